"""Turn the model's validation errors (validation.py) into messages a trainer can act on.

`loading` finds the problems; this module words them: which card, which question, what was
expected, what was found, and a hint for the usual YAML surprises (unquoted `no`, a `: ` inside
text). Codes stay stable; only the wording lives here.
"""

from __future__ import annotations

import difflib
from typing import Any

from stigmacards.deck.analysis import Analysis, Path_, allowed_keys, is_required, resolve_loc, value_at
from stigmacards.deck.model import QUESTIONS_PER_CARD
from stigmacards.deck.problems import Problem, Severity

# Names of the items of each list (and of the scale labels), as a trainer would say them.
_ITEM_NAMES = {
    "questions": "question",
    "tags": "tag",
    "intro": "intro line",
    "closing": "closing line",
    "authors": "author",
    "content_notes": "content note",
    "options": "option",
    "labels": "label",
}
_EXPECTED = {
    "not_text": "text",
    "not_a_whole_number": "a whole number",
    "not_a_list": "a list",
    "not_a_mapping": "a mapping",
}
_QUOTE_HINT = "put the text in quotes"
_BOOL_HINT = "YAML reads yes, no, on, off, true and false as true/false; put the text in quotes"
_LIST_HINT = "write one '- ' item per line"
_LEVEL_HINT = "1 is an opening card, 2 goes deeper, 3 is the most personal; leave the line out for 1"
_FIELD_HINTS: dict[Path_, str] = {
    ("deck",): "the format version: write 'deck: 1'",
    ("cards",): "start each card with '- id: ...' on its own line",
    ("reflection",): "start each prompt with '- id: ...' on its own line",
    ("translations",): "one key per language, e.g. 'en:', with the translated texts under it",
}


def kind_of(value: Any) -> str:
    """What a YAML value is, in words: 'text', 'a number', 'a list' …"""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty"


def describe(data: Any, path: Path_) -> str:
    """The part of the deck `path` is in: "card 'x'", "translation 'en' of card 'x'", or 'deck'."""
    if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
        cid = value_at(data, ("cards", path[1], "id"))
        return f"card '{cid}'" if isinstance(cid, str) and cid else f"card {path[1] + 1}"
    if len(path) >= 2 and path[0] == "reflection" and isinstance(path[1], int):
        pid = value_at(data, ("reflection", path[1], "id"))
        return (
            f"reflection prompt '{pid}'"
            if isinstance(pid, str) and pid
            else f"reflection prompt {path[1] + 1}"
        )
    if len(path) >= 4 and path[0] == "translations" and path[2] in ("cards", "reflection"):
        what = "card" if path[2] == "cards" else "reflection prompt"
        return f"translation '{path[1]}' of {what} '{path[3]}'"
    if len(path) >= 2 and path[0] == "translations":
        return f"translation '{path[1]}'"
    return "deck"


def _is_entity(path: Path_) -> bool:
    """True when `path` names a whole card, prompt or translation (`describe` already says which)."""
    return (len(path) == 2 and path[0] in ("cards", "reflection", "translations")) or (
        len(path) == 4 and path[0] == "translations" and path[2] in ("cards", "reflection")
    )


def _subject(path: Path_) -> str:
    """What inside `describe(path)` the message is about: 'question 3', "'title'", or ''."""
    if _is_entity(path):
        return ""
    if len(path) >= 2 and isinstance(path[-1], int) and path[-2] in _ITEM_NAMES:
        number = path[-1] if path[-2] == "labels" else path[-1] + 1
        return f"{_ITEM_NAMES[str(path[-2])]} {number}"
    name = next((p for p in reversed(path) if isinstance(p, str)), "value")
    return f"'{name}'"


def _sentence(where: str, subject: str, rest: str) -> str:
    if not subject:
        return f"{where} {rest}"
    if where == "deck":
        return f"{subject} {rest}"
    return f"{where}: {subject} {rest}"


def _type_hint(expected: str, value: Any) -> str:
    if expected == "text":
        if isinstance(value, bool):
            return _BOOL_HINT
        if isinstance(value, int | float):
            return _QUOTE_HINT
        if isinstance(value, dict):
            return "a ': ' inside text starts a mapping; " + _QUOTE_HINT
        if isinstance(value, list):
            return "text starting with '[' is read as a list; " + _QUOTE_HINT
    if expected == "a list" and isinstance(value, str) and value.startswith("-"):
        return "put a space after each '-': '- item'"
    if expected == "a list" and isinstance(value, str | int | float):
        return _LIST_HINT
    return ""


def _empty_hint(subject: str, path: Path_, expected: str) -> str:
    if not subject:
        return ""
    if subject.startswith("question"):
        return "write the question; every card has three"
    if path in _FIELD_HINTS:
        return _FIELD_HINTS[path]
    what = {"a list": "the items under it, one '- ' line each", "a whole number": "a whole number"}.get(
        expected, "the text"
    )
    if is_required(path):
        return f"write {what}; this key is required"
    return (
        f"write {what}, or remove the key" if subject.startswith("'") else f"write {what}, or remove the line"
    )


def _level_problem(where: str, value: Any, typ: str) -> tuple[str, str, str]:
    """Code, message and hint for a level that is not 1, 2 or 3."""
    if value is None:
        return (
            "SC104",
            _sentence(where, "'level'", "is empty"),
            "write 1, 2 or 3, or remove the line for level 1",
        )
    if isinstance(value, bool):
        shown_value, hint = "true/false", "level is a number: 1, 2 or 3"
    elif isinstance(value, str) and value.strip().isdigit():
        shown_value, hint = repr(value), "write the number without quotes"
    elif isinstance(value, float) and value.is_integer():
        shown_value, hint = repr(value), f"write a whole number: {int(value)}"
    elif isinstance(value, int):
        shown_value, hint = repr(value), _LEVEL_HINT
    else:
        shown_value, hint = repr(value), ""
    code = "SC104" if typ in _EXPECTED else "SC105"
    return code, _sentence(where, "", f"has level {shown_value}; level must be 1, 2 or 3"), hint


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
    import re

    from stigmacards.deck.format import LANG_PATTERN

    return isinstance(key, str) and len(key) <= 8 and re.fullmatch(LANG_PATTERN, key) is not None


def _translation_hint(data: Any, parent: Path_, lang: str) -> str:
    """Where a translation goes: under 'translations:' at the end of the deck, by card id."""
    if len(parent) == 2 and parent[0] == "cards":
        cid = value_at(data, (*parent, "id"))
        card = cid if isinstance(cid, str) and cid else "CARD-ID"
        return (
            f"translations do not go inside a card: write them at the end of the deck under "
            f"'translations:', then '{lang}:', 'cards:', '{card}:' and 'questions:'"
        )
    return f"translations go at the end of the deck under 'translations:', then '{lang}:'"


def _unknown_key_hint(data: Any, path: Path_) -> str:
    """Why a key may be unknown here: a near miss, a Dutch name, or a card id one level too high."""
    key, parent = path[-1], path[:-1]
    allowed = allowed_keys(parent)
    english = _DUTCH_KEYS.get(str(key).lower())
    if english in allowed:
        return f"keys are written in English: '{english}'"
    if _looks_like_language(key) and parent and not (len(parent) == 2 and parent[0] == "translations"):
        return _translation_hint(data, parent, str(key))
    if len(parent) == 2 and parent[0] == "translations":
        cards = value_at(data, ("cards",))
        card_ids = (
            {c.get("id") for c in cards if isinstance(c, dict) and isinstance(c.get("id"), str)}
            if isinstance(cards, list)
            else set()
        )
        if key in card_ids:
            return f"'{key}' is a card: put it under 'cards:' in this translation"
        prompts = value_at(data, ("reflection",))
        prompt_ids = (
            {p.get("id") for p in prompts if isinstance(p, dict) and isinstance(p.get("id"), str)}
            if isinstance(prompts, list)
            else set()
        )
        if key in prompt_ids:
            return f"'{key}' is a reflection prompt: put it under 'reflection:' in this translation"
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "keys starting with 'x-' are free for your own use"


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
            f"missing required key '{key}'" if where == "deck" else f"{where} is missing required key '{key}'"
        )
        pos = analysis.locate(path[:-1])
    elif typ == "unknown_key":
        code = "SC101"
        key = path[-1]
        message = f"unknown key '{key}'" if where == "deck" else f"{where}: unknown key '{key}'"
        hint = _unknown_key_hint(data, path)
        pos = analysis.locate_key(path)
    elif typ == "key_not_text":  # a number or true/false where a field name belongs
        code = "SC104"
        message = _sentence(where, "", f"has key {path[-1] if path else value!r}, which must be text")
        hint = _QUOTE_HINT
        pos = analysis.locate_key(path)
    elif "[key]" in loc:
        pos = analysis.locate_key(path)
        key = path[-1] if path else value
        if len(path) == 2 and path[0] == "translations":
            message = f"'{key}' is not a language tag"
            hint = (
                'YAML reads no, yes, on and off as true/false; write the tag in quotes, e.g. "no":'
                if key in ("True", "False")
                else "translations are keyed by a BCP 47 tag such as 'nl', 'en' or 'en-GB'"
            )
        elif len(path) >= 2 and path[-2] == "labels":
            code = "SC104"
            message = _sentence(
                where, "", f"has label '{key}'; labels are keyed by a whole number on the scale"
            )
        else:
            code = "SC104"
            message = _sentence(where, "", f"has key {key!r}, which must be text")
    elif name == "questions" and typ in ("too_short", "too_long") and len(path) and path[-1] == "questions":
        code = "SC103"
        count = len(value) if isinstance(value, list | tuple) else 0
        message = f"{where} has {count} question{'s' if count != 1 else ''}, expected {QUESTIONS_PER_CARD}"
        hint = "every card has exactly three questions, one '- ' line each"
    elif path == ("cards",) and typ == "too_short":
        code = "SC102"
        message = "deck has no cards; add at least one under 'cards:'"
    elif typ == "kind_unknown":
        tag = err.get("ctx", {}).get("tag", "")
        message = _sentence(where, "", f"has kind '{tag}'; kind must be scale, choice or text")
        pos = analysis.locate((*path, "kind"))
    elif typ == "kind_missing":
        code = "SC102"
        message = _sentence(where, "", "is missing required key 'kind' (scale, choice or text)")
    elif name == "level" and path and path[-1] == "level":
        code, message, hint = _level_problem(where, value, typ)
    elif value is None and typ in _EXPECTED:
        code = "SC104"
        message = _sentence(where, subject, "is empty")
        hint = _empty_hint(subject, path, _EXPECTED[typ])
    elif typ in _EXPECTED:
        code = "SC104"
        expected = _EXPECTED[typ]
        if _is_entity(path):
            fields = {"cards": "id and questions", "reflection": "id, kind and prompt"}.get(str(path[0]), "")
            expected = f"a mapping with keys such as {fields}" if fields and len(path) == 2 else expected
        message = _sentence(where, subject, f"must be {expected}, not {kind_of(value)}")
        hint = _type_hint(_EXPECTED[typ], value) or _FIELD_HINTS.get(path, "")
    elif typ == "blank":
        message = _sentence(where, subject, "is empty")
        hint = _empty_hint(subject, path, "text")
    elif typ == "pattern_mismatch" and name == "language":
        message = _sentence(where, "", f"has language '{value}', which is not a language tag")
        message = f"'{value}' is not a language tag" if where == "deck" else message
        hint = "use a BCP 47 tag such as 'nl', 'en' or 'en-GB'"
    elif typ == "pattern_mismatch" and name == "id":
        owner = "deck id" if where == "deck" else describe_by_index(path) + ": id"
        message = f"{owner} '{value}' is not valid"
        hint = "use lowercase letters a-z, digits and single hyphens, e.g. 'first-impression'"
    elif typ == "too_short":
        minimum = err.get("ctx", {}).get("min_length", 1)
        items = _ITEM_NAMES.get(name, "item")
        message = _sentence(where, "", f"needs at least {minimum} {items}s under '{name}'")
    elif typ in ("below_minimum", "above_maximum"):
        ctx = err.get("ctx", {})
        bound = f"at least {ctx.get('ge')}" if typ == "below_minimum" else f"at most {ctx.get('le')}"
        message = _sentence(where, subject, f"is {value!r}; it must be {bound}")
    else:
        message = _sentence(where, subject, "is not valid")
    return Problem(analysis.path, pos[0], pos[1], Severity.ERROR, code, message, hint)


def describe_by_index(path: Path_) -> str:
    """A card or prompt by its position, for when its id is the problem."""
    if len(path) >= 2 and isinstance(path[1], int):
        what = {"cards": "card", "reflection": "reflection prompt"}.get(str(path[0]), "item")
        return f"{what} {path[1] + 1}"
    return "deck"
