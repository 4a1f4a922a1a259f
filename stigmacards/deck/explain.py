"""Turn the model's validation errors (validation.py) into messages a trainer can act on.

`loading` finds the problems; this module words them, in the interface language: which card,
which question, what was expected, what was found, and a hint for the usual YAML surprises
(unquoted `no`, a `: ` inside text). Codes stay stable; only the wording lives here.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from stigmacards.deck.analysis import Analysis, Path_, allowed_keys, is_required, resolve_loc, value_at
from stigmacards.deck.format import LANG_PATTERN
from stigmacards.deck.model import QUESTIONS_PER_CARD
from stigmacards.deck.problems import Problem, Severity
from stigmacards.i18n import N_, _

# The item of each list (and a scale label) with its number, as a trainer would say it.
_ITEMS = {
    "questions": N_("question {n}"),
    "tags": N_("tag {n}"),
    "intro": N_("intro line {n}"),
    "closing": N_("closing line {n}"),
    "authors": N_("author {n}"),
    "content_notes": N_("content note {n}"),
    "options": N_("option {n}"),
    "labels": N_("label {n}"),
}
# "needs at least {n} …" per list.
_AT_LEAST = {
    "questions": N_("needs at least {n} questions under '{key}'"),
    "options": N_("needs at least {n} options under '{key}'"),
    "cards": N_("needs at least {n} cards under '{key}'"),
}
# What was expected, by the kind of validation error (internal keys; words below).
_EXPECTED = {
    "not_text": "text",
    "not_a_whole_number": "number",
    "not_a_list": "list",
    "not_a_mapping": "mapping",
}
_EXPECTED_WORDS = {
    "text": N_("text"),
    "number": N_("a whole number"),
    "list": N_("a list"),
    "mapping": N_("a mapping"),
}
_QUOTE_HINT = N_("put the text in quotes")
_BOOL_HINT = N_("YAML reads yes, no, on, off, true and false as true/false; put the text in quotes")
_LIST_HINT = N_("write one '- ' item per line")
_LEVEL_HINT = N_("1 is an opening card, 2 goes deeper, 3 is the most personal; leave the line out for 1")
_FIELD_HINTS: dict[Path_, str] = {
    ("deck",): N_("the format version: write 'deck: 1'"),
    ("cards",): N_("start each card with '- id: ...' on its own line"),
    ("reflection",): N_("start each prompt with '- id: ...' on its own line"),
    ("translations",): N_("one key per language, e.g. 'en:', with the translated texts under it"),
}


def kind_of(value: Any) -> str:
    """What a YAML value is, in words: 'text', 'a number', 'a list' …"""
    # One branch per YAML type, each with its own words.
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int):
        return _("a number")
    if isinstance(value, float):
        return _("a decimal number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("empty")


def describe(data: Any, path: Path_) -> str:
    """The part of the deck `path` is in: "card 'x'", "translation 'en' of card 'x'"; '' for the deck."""
    if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
        cid = value_at(data, ("cards", path[1], "id"))
        if isinstance(cid, str) and cid:
            return _("card '{id}'").format(id=cid)
        return _("card {n}").format(n=path[1] + 1)
    if len(path) >= 2 and path[0] == "reflection" and isinstance(path[1], int):
        pid = value_at(data, ("reflection", path[1], "id"))
        if isinstance(pid, str) and pid:
            return _("reflection prompt '{id}'").format(id=pid)
        return _("reflection prompt {n}").format(n=path[1] + 1)
    if len(path) >= 4 and path[0] == "translations" and path[2] == "cards":
        return _("translation '{lang}' of card '{id}'").format(lang=path[1], id=path[3])
    if len(path) >= 4 and path[0] == "translations" and path[2] == "reflection":
        return _("translation '{lang}' of reflection prompt '{id}'").format(lang=path[1], id=path[3])
    if len(path) >= 2 and path[0] == "translations":
        return _("translation '{lang}'").format(lang=path[1])
    return ""


def _is_entity(path: Path_) -> bool:
    """True when `path` names a whole card, prompt or translation (`describe` already says which)."""
    return (len(path) == 2 and path[0] in ("cards", "reflection", "translations")) or (
        len(path) == 4 and path[0] == "translations" and path[2] in ("cards", "reflection")
    )


def _subject(path: Path_) -> str:
    """What inside `describe(path)` the message is about: 'question 3', "'title'", or ''."""
    if _is_entity(path):
        return ""
    if len(path) >= 2 and isinstance(path[-1], int) and path[-2] in _ITEMS:
        number = path[-1] if path[-2] == "labels" else path[-1] + 1
        return _(_ITEMS[str(path[-2])]).format(n=number)
    name = next((p for p in reversed(path) if isinstance(p, str)), "value")
    return f"'{name}'"


def _sentence(where: str, subject: str, rest: str) -> str:
    if not subject:
        return f"{where or _('deck')} {rest}"
    if not where:
        return f"{subject} {rest}"
    return f"{where}: {subject} {rest}"


def _type_hint(expected: str, value: Any) -> str:
    if expected == "text":
        if isinstance(value, bool):
            return _(_BOOL_HINT)
        if isinstance(value, int | float):
            return _(_QUOTE_HINT)
        if isinstance(value, dict):
            return _("a ': ' inside text starts a mapping; put the text in quotes")
        if isinstance(value, list):
            return _("text starting with '[' is read as a list; put the text in quotes")
    if expected == "list" and isinstance(value, str) and value.startswith("-"):
        return _("put a space after each '-': '- item'")
    if expected == "list" and isinstance(value, str | int | float):
        return _(_LIST_HINT)
    return ""


def _empty_hint(path: Path_, expected: str) -> str:
    if _is_entity(path) or not path:
        return ""
    if len(path) >= 2 and path[-2] == "questions" and isinstance(path[-1], int):
        return _("write the question; every card has three")
    if path in _FIELD_HINTS:
        return _(_FIELD_HINTS[path])
    if is_required(path):
        return {
            "list": _("write the items under it, one '- ' line each; this key is required"),
            "number": _("write a whole number; this key is required"),
        }.get(expected, _("write the text; this key is required"))
    if isinstance(path[-1], str):
        return {
            "list": _("write the items under it, one '- ' line each, or remove the key"),
            "number": _("write a whole number, or remove the key"),
        }.get(expected, _("write the text, or remove the key"))
    return {
        "list": _("write the items under it, one '- ' line each, or remove the line"),
        "number": _("write a whole number, or remove the line"),
    }.get(expected, _("write the text, or remove the line"))


def _level_problem(where: str, value: Any, typ: str) -> tuple[str, str, str]:
    """Code, message and hint for a level that is not 1, 2 or 3."""
    if value is None:
        return (
            "SC104",
            _sentence(where, "'level'", _("is empty")),
            _("write 1, 2 or 3, or remove the line for level 1"),
        )
    if isinstance(value, bool):
        shown_value, hint = _("true/false"), _("level is a number: 1, 2 or 3")
    elif isinstance(value, str) and value.strip().isdigit():
        shown_value, hint = repr(value), _("write the number without quotes")
    elif isinstance(value, float) and value.is_integer():
        shown_value, hint = repr(value), _("write a whole number: {n}").format(n=int(value))
    elif isinstance(value, int):
        shown_value, hint = repr(value), _(_LEVEL_HINT)
    else:
        shown_value, hint = repr(value), ""
    code = "SC104" if typ in _EXPECTED else "SC105"
    return (
        code,
        _sentence(where, "", _("has level {value}; level must be 1, 2 or 3").format(value=shown_value)),
        hint,
    )


# Keys a Dutch-speaking author may write for the format's English ones.
_DUTCH_KEYS = {
    "vragen": "questions",
    "vraag": "questions",
    "titel": "title",
    "niveau": "level",
    "taal": "language",
    "kaarten": "cards",
    "vertalingen": "translations",
    "beschrijving": "description",
    "omschrijving": "description",
    "auteurs": "authors",
    "licentie": "license",
    "inhoudswaarschuwing": "content_note",
    "afsluiting": "closing",
    "reflectie": "reflection",
}


def _looks_like_language(key: Any) -> bool:
    """'en', 'nl', 'en-GB': a language tag, not one of the format's keys."""
    return isinstance(key, str) and len(key) <= 8 and re.fullmatch(LANG_PATTERN, key) is not None


def _translation_hint(data: Any, parent: Path_, lang: str) -> str:
    """Where a translation goes: under 'translations:' at the end of the deck, by card id."""
    if len(parent) == 2 and parent[0] == "cards":
        cid = value_at(data, (*parent, "id"))
        card = cid if isinstance(cid, str) and cid else "CARD-ID"
        return _(
            "translations do not go inside a card: write them at the end of the deck under "
            "'translations:', then '{lang}:', 'cards:', '{card}:' and 'questions:'"
        ).format(lang=lang, card=card)
    return _("translations go at the end of the deck under 'translations:', then '{lang}:'").format(lang=lang)


def _unknown_key_hint(data: Any, path: Path_) -> str:
    """Why a key may be unknown here: a near miss, a Dutch name, or a card id one level too high."""
    key, parent = path[-1], path[:-1]
    allowed = allowed_keys(parent)
    english = _DUTCH_KEYS.get(str(key).lower())
    if english in allowed:
        return _("keys are written in English: '{key}'").format(key=english)
    if _looks_like_language(key) and parent and not (len(parent) == 2 and parent[0] == "translations"):
        return _translation_hint(data, parent, str(key))
    if len(parent) == 2 and parent[0] == "translations":
        if key in _ids_under(data, "cards"):
            return _("'{key}' is a card: put it under 'cards:' in this translation").format(key=key)
        if key in _ids_under(data, "reflection"):
            return _("'{key}' is a reflection prompt: put it under 'reflection:' in this translation").format(
                key=key
            )
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    if close:
        return _("did you mean '{key}'?").format(key=close[0])
    return _("keys starting with 'x-' are free for your own use")


def _ids_under(data: Any, section: str) -> set[str]:
    """The ids of the cards or reflection prompts in `data`, as far as they can be read."""
    items = value_at(data, (section,))
    if not isinstance(items, list):
        return set()
    return {item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


def convert(analysis: Analysis, data: Any, err: Any) -> Problem:
    """One validation error as a Problem with a position, a stable code and a readable message."""
    loc = tuple(err["loc"])
    typ = err["type"]
    path = resolve_loc(data, loc)
    where = describe(data, path)
    subject = _subject(path)
    name = next((p for p in reversed(path) if isinstance(p, str)), "value")
    value = err.get("input")
    pos = analysis.locate(path)
    code, hint = "SC105", ""

    if typ == "missing":
        code = "SC102"
        key = path[-1] if path else name
        message = (
            _("{where} is missing required key '{key}'").format(where=where, key=key)
            if where
            else _("missing required key '{key}'").format(key=key)
        )
        pos = analysis.locate(path[:-1])
    elif typ == "unknown_key":
        code = "SC101"
        key = path[-1]
        message = _("unknown key '{key}'").format(key=key)
        message = f"{where}: {message}" if where else message
        hint = _unknown_key_hint(data, path)
        pos = analysis.locate_key(path)
    elif typ == "key_not_text":  # a number or true/false where a field name belongs
        code = "SC104"
        message = _sentence(
            where, "", _("has key {key}, which must be text").format(key=path[-1] if path else repr(value))
        )
        hint = _(_QUOTE_HINT)
        pos = analysis.locate_key(path)
    elif "[key]" in loc:
        pos = analysis.locate_key(path)
        key = path[-1] if path else value
        if len(path) == 2 and path[0] == "translations":
            message = _("'{key}' is not a language tag").format(key=key)
            hint = (
                _('YAML reads no, yes, on and off as true/false; write the tag in quotes, e.g. "no":')
                if key in ("True", "False")
                else _("translations are keyed by a BCP 47 tag such as 'nl', 'en' or 'en-GB'")
            )
        elif len(path) >= 2 and path[-2] == "labels":
            code = "SC104"
            message = _sentence(
                where,
                "",
                _("has label '{key}'; labels are keyed by a whole number on the scale").format(key=key),
            )
        else:
            code = "SC104"
            message = _sentence(where, "", _("has key {key}, which must be text").format(key=repr(key)))
    elif name == "questions" and typ in ("too_short", "too_long") and len(path) and path[-1] == "questions":
        code = "SC103"
        count = len(value) if isinstance(value, list | tuple) else 0
        message = (
            _("{where} has {n} question, expected {expected}")
            if count == 1
            else _("{where} has {n} questions, expected {expected}")
        ).format(where=where, n=count, expected=QUESTIONS_PER_CARD)
        hint = _("every card has exactly three questions, one '- ' line each")
    elif path == ("cards",) and typ == "too_short":
        code = "SC102"
        message = _("deck has no cards; add at least one under 'cards:'")
    elif typ == "kind_unknown":
        tag = err.get("ctx", {}).get("tag", "")
        message = _sentence(
            where, "", _("has kind '{kind}'; kind must be scale, choice or text").format(kind=tag)
        )
        pos = analysis.locate((*path, "kind"))
    elif typ == "kind_missing":
        code = "SC102"
        message = _sentence(where, "", _("is missing required key 'kind' (scale, choice or text)"))
    elif name == "level" and path and path[-1] == "level":
        code, message, hint = _level_problem(where, value, typ)
    elif value is None and typ in _EXPECTED:
        code = "SC104"
        message = _sentence(where, subject, _("is empty"))
        hint = _empty_hint(path, _EXPECTED[typ])
    elif typ in _EXPECTED:
        code = "SC104"
        expected = _(_EXPECTED_WORDS[_EXPECTED[typ]])
        if _is_entity(path) and len(path) == 2 and path[0] == "cards":
            expected = _("a mapping with keys such as id and questions")
        elif _is_entity(path) and len(path) == 2 and path[0] == "reflection":
            expected = _("a mapping with keys such as id, kind and prompt")
        message = _sentence(
            where,
            subject,
            _("must be {expected}, not {found}").format(expected=expected, found=kind_of(value)),
        )
        hint = _type_hint(_EXPECTED[typ], value) or (_(_FIELD_HINTS[path]) if path in _FIELD_HINTS else "")
    elif typ == "blank":
        message = _sentence(where, subject, _("is empty"))
        hint = _empty_hint(path, "text")
    elif typ == "pattern_mismatch" and name == "language":
        message = (
            _sentence(where, "", _("has language '{lang}', which is not a language tag").format(lang=value))
            if where
            else _("'{key}' is not a language tag").format(key=value)
        )
        hint = _("use a BCP 47 tag such as 'nl', 'en' or 'en-GB'")
    elif typ == "pattern_mismatch" and name == "id":
        message = (
            _("{owner}: id '{id}' is not valid").format(owner=describe_by_index(path), id=value)
            if where
            else _("deck id '{id}' is not valid").format(id=value)
        )
        hint = _("use lowercase letters a-z, digits and single hyphens, e.g. 'first-impression'")
    elif typ == "too_short":
        minimum = err.get("ctx", {}).get("min_length", 1)
        wording = _AT_LEAST.get(name, N_("needs at least {n} items under '{key}'"))
        message = _sentence(where, "", _(wording).format(n=minimum, key=name))
    elif typ in ("below_minimum", "above_maximum"):
        ctx = err.get("ctx", {})
        wording = (
            _("is {value}; it must be at least {bound}")
            if typ == "below_minimum"
            else _("is {value}; it must be at most {bound}")
        )
        message = _sentence(
            where,
            subject,
            wording.format(value=repr(value), bound=ctx.get("ge" if typ == "below_minimum" else "le")),
        )
    else:
        message = _sentence(where, subject, _("is not valid"))
    return Problem(analysis.path, pos[0], pos[1], Severity.ERROR, code, message, hint)


def describe_by_index(path: Path_) -> str:
    """A card or prompt by its position, for when its id is the problem."""
    if len(path) >= 2 and isinstance(path[1], int) and path[0] == "cards":
        return _("card {n}").format(n=path[1] + 1)
    if len(path) >= 2 and isinstance(path[1], int) and path[0] == "reflection":
        return _("reflection prompt {n}").format(n=path[1] + 1)
    return _("deck")
