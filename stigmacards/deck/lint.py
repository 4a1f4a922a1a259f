"""Style warnings for decks (`deck lint`, and `deck validate --strict`).

The loader decides whether a deck can be used at all; these rules say whether it reads well in a
session. Each warning points at the value it is about, like an error does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from stigmacards.deck.analysis import Analysis, Path_, Pos
from stigmacards.deck.model import Deck
from stigmacards.deck.problems import Problem, Severity

MAX_QUESTION_LENGTH = 120
MIN_CARDS = 12
MAX_LISTED = 20
# ASCII, fullwidth (Chinese, Japanese) and Arabic question marks, and the interrobang.
QUESTION_MARKS = frozenset("?？؟‽")
# What may follow the question mark: closing quotes and brackets ("…?" and (…?) end a question).
_CLOSING_CATEGORIES = frozenset({"Pe", "Pf", "Pi"})
_CLOSING_EXTRA = frozenset("\"'")
_ENDINGS = tuple(QUESTION_MARKS)


# One question: its language, card id, index (0-based), text and path in the file. Plain tuples:
# a 10,000-card deck with a translation has 60,000 of them, and nearly all are fine.
_Question = tuple[str, str, int, str, Path_]


def _where(question: _Question) -> str:
    lang, card_id, _, _, path = question
    return f"card '{card_id}'" if path[0] == "cards" else f"translation '{lang}' of card '{card_id}'"


@dataclass(slots=True)
class _Warnings:
    path: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], Severity.WARNING, code, message, hint))


_Add = Callable[[Pos, str, str, str], None]


def lint(analysis: Analysis) -> list[Problem]:
    """Return the style warnings for a valid deck, sorted by position; none for an invalid one."""
    deck = analysis.deck
    if deck is None:
        return []
    found = _Warnings(analysis.path)
    warn = found.add
    first_seen: dict[tuple[str, str], _Question] = {}
    for q in _questions(deck):
        lang, card_id, index, raw, path = q
        text = unicodedata.normalize("NFC", raw.strip())
        if len(text) > MAX_QUESTION_LENGTH:
            warn(
                analysis.locate(path),
                "SC201",
                f"{_where(q)}: question {index + 1} is {len(text)} characters long, "
                f"more than {MAX_QUESTION_LENGTH}",
                "shorten it or split it; background for the facilitator fits in facilitator_note",
            )
        if not ends_as_question(text):
            warn(
                analysis.locate(path),
                "SC202",
                f"{_where(q)}: question {index + 1} does not end with '?'",
                "phrase it as a question, so every table knows what to answer",
            )
        first = first_seen.setdefault((lang, _comparable(text)), q)
        if first is not q:
            earlier = f"question {first[2] + 1}"
            if first[1] != card_id:
                earlier = f"card '{first[1]}' {earlier}"
            warn(
                analysis.locate(path),
                "SC203",
                f"{_where(q)}: question {index + 1} is the same as {earlier} "
                f"(line {analysis.locate(first[4])[0]})",
                "ask each question once; rephrase or remove one",
            )
    for lang in deck.translations:
        _translation_warnings(analysis, deck, lang, warn)
    _placeholder_warnings(analysis, deck, warn)
    if len(deck.cards) < MIN_CARDS:
        warn(
            analysis.locate_key(("cards",)),
            "SC205",
            f"deck has {len(deck.cards)} card{'s' if len(deck.cards) != 1 else ''}; "
            f"a session with several tables and rounds needs at least {MIN_CARDS}",
            "add cards, at several levels",
        )
    if deck.license is None:
        warn(
            analysis.locate(()),
            "SC206",
            "deck has no license",
            "add e.g. 'license: CC-BY-4.0' so others know whether they may share and adapt it",
        )
    return sorted(found.problems, key=Problem.sort_key)


def _placeholder_warnings(analysis: Analysis, deck: Deck, warn: _Add) -> None:
    """SC207: text that `deck new` wrote for the author to replace, still there."""
    from stigmacards.deck.skeleton import is_placeholder

    for i, card in enumerate(deck.cards):
        j = next((j for j, q in enumerate(card.questions) if is_placeholder(q)), None)
        if j is not None:
            warn(
                analysis.locate(("cards", i, "questions", j)),
                "SC207",
                f"card '{card.id}': question {j + 1} is still the example text from 'deck new'",
                "write your own questions, or remove the card",
            )
    texts: list[tuple[Path_, str, str]] = []
    if deck.description:
        texts.append((("description",), "the description", deck.description))
    texts += [(("intro", i), f"intro line {i + 1}", line) for i, line in enumerate(deck.intro)]
    texts += [(("closing", i), f"closing line {i + 1}", line) for i, line in enumerate(deck.closing)]
    for path, name, text in texts:
        if is_placeholder(text):
            warn(
                analysis.locate(path),
                "SC207",
                f"{name} is still the example text from 'deck new'",
                "replace it with your own text (for the closing: where participants find support)",
            )


def ends_as_question(text: str) -> bool:
    """True when `text` ends with a question mark, perhaps followed by closing quotes or brackets."""
    text = text.rstrip()
    if text.endswith(_ENDINGS):
        return True  # the usual case, without looking at characters one by one
    end = len(text)
    while end > 0 and (
        text[end - 1] in _CLOSING_EXTRA or unicodedata.category(text[end - 1]) in _CLOSING_CATEGORIES
    ):
        end -= 1
    return end > 0 and text[end - 1] in QUESTION_MARKS


def _comparable(text: str) -> str:
    """The question as compared for duplicates: case, spacing and compatibility forms ignored."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _questions(deck: Deck) -> Iterator[_Question]:
    own = deck.language
    for i, card in enumerate(deck.cards):
        for j, text in enumerate(card.questions):
            yield (own, card.id, j, text, ("cards", i, "questions", j))
    for lang, tr in deck.translations.items():
        for card_id, ct in tr.cards.items():
            for j, text in enumerate(ct.questions or ()):
                yield (lang, card_id, j, text, ("translations", lang, "cards", card_id, "questions", j))


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown if len(items) <= MAX_LISTED else f"{shown} and {len(items) - MAX_LISTED} more"


def _translation_warnings(analysis: Analysis, deck: Deck, lang: str, warn: _Add) -> None:
    """SC204: what a group reading `lang` would still see in the deck's own language."""
    tr = deck.translations[lang]
    pos = analysis.locate_key(("translations", lang))
    untranslated: list[str] = []
    partial: list[str] = []
    for card in deck.cards:
        ct = tr.cards.get(card.id)
        if ct is None or ct.questions is None:
            untranslated.append(card.id)
            continue
        for name, original, translated in (
            ("title", card.title, ct.title),
            ("content note", card.content_note, ct.content_note),
            ("facilitator note", card.facilitator_note, ct.facilitator_note),
        ):
            if original is not None and translated is None:
                partial.append(f"{name} of card '{card.id}'")
    if untranslated:
        count = len(untranslated)
        warn(
            pos,
            "SC204",
            f"translation '{lang}' lacks {count} card{'s' if count != 1 else ''}: {_listing(untranslated)}",
            f"a group reading '{lang}' gets these cards in '{deck.language}'",
        )
    missing: list[str] = []
    deck_texts: tuple[tuple[str, object, object], ...] = (
        ("title", deck.title, tr.title),
        ("description", deck.description, tr.description),
        ("content_notes", deck.content_notes, tr.content_notes),
        ("intro", deck.intro, tr.intro),
        ("closing", deck.closing, tr.closing),
    )
    for part, ours, theirs in deck_texts:
        if ours and theirs is None:
            missing.append(part)
    for prompt in deck.reflection:
        pt = tr.reflection.get(prompt.id)
        options = getattr(prompt, "options", ())
        labels = getattr(prompt, "labels", {})
        if (
            pt is None
            or pt.prompt is None
            or (options and pt.options is None)
            or (labels and not set(labels) <= set(pt.labels or {}))
        ):
            missing.append(f"reflection prompt '{prompt.id}'")
    missing.extend(partial)
    if missing:
        warn(
            pos,
            "SC204",
            f"translation '{lang}' lacks: {_listing(missing)}",
            f"a group reading '{lang}' sees these in '{deck.language}'",
        )
