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
from stigmacards.i18n import N_, _

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
    lang, card_id, _index, _text, path = question
    if path[0] == "cards":
        return _("card '{id}'").format(id=card_id)
    return _("translation '{lang}' of card '{id}'").format(lang=lang, id=card_id)


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
                _("{where}: question {n} is {length} characters long, more than {limit}").format(
                    where=_where(q), n=index + 1, length=len(text), limit=MAX_QUESTION_LENGTH
                ),
                _("shorten it or split it; background for the facilitator fits in facilitator_note"),
            )
        if not ends_as_question(text):
            warn(
                analysis.locate(path),
                "SC202",
                _("{where}: question {n} does not end with '?'").format(where=_where(q), n=index + 1),
                _("phrase it as a question, so every table knows what to answer"),
            )
        first = first_seen.setdefault((lang, _comparable(text)), q)
        if first is not q:
            earlier = _("question {n}").format(n=first[2] + 1)
            if first[1] != card_id:
                earlier = _("card '{id}' question {n}").format(id=first[1], n=first[2] + 1)
            warn(
                analysis.locate(path),
                "SC203",
                _("{where}: question {n} is the same as {earlier} (line {line})").format(
                    where=_where(q), n=index + 1, earlier=earlier, line=analysis.locate(first[4])[0]
                ),
                _("ask each question once; rephrase or remove one"),
            )
    for lang in deck.translations:
        _translation_warnings(analysis, deck, lang, warn)
    _placeholder_warnings(analysis, deck, warn)
    if len(deck.cards) < MIN_CARDS:
        warn(
            analysis.locate_key(("cards",)),
            "SC205",
            (
                _("deck has {n} card; a session with several tables and rounds needs at least {min}")
                if len(deck.cards) == 1
                else _("deck has {n} cards; a session with several tables and rounds needs at least {min}")
            ).format(n=len(deck.cards), min=MIN_CARDS),
            _("add cards, at several levels"),
        )
    if deck.license is None:
        warn(
            analysis.locate(()),
            "SC206",
            _("deck has no license"),
            _("add e.g. 'license: CC-BY-4.0' so others know whether they may share and adapt it"),
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
                _("card '{id}': question {n} is still the example text from 'deck new'").format(
                    id=card.id, n=j + 1
                ),
                _("write your own questions, or remove the card"),
            )
    texts: list[tuple[Path_, str, str]] = []
    if deck.description:
        texts.append((("description",), _("the description"), deck.description))
    texts += [(("intro", i), _("intro line {n}").format(n=i + 1), t) for i, t in enumerate(deck.intro)]
    texts += [(("closing", i), _("closing line {n}").format(n=i + 1), t) for i, t in enumerate(deck.closing)]
    for path, name, text in texts:
        if is_placeholder(text):
            warn(
                analysis.locate(path),
                "SC207",
                _("{what} is still the example text from 'deck new'").format(what=name),
                _("replace it with your own text (for the closing: where participants find support)"),
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
    if len(items) <= MAX_LISTED:
        return shown
    return _("{items} and {n} more").format(items=shown, n=len(items) - MAX_LISTED)


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
            (N_("title of card '{id}'"), card.title, ct.title),
            (N_("content note of card '{id}'"), card.content_note, ct.content_note),
            (N_("facilitator note of card '{id}'"), card.facilitator_note, ct.facilitator_note),
        ):
            if original is not None and translated is None:
                partial.append(_(name).format(id=card.id))
    if untranslated:
        count = len(untranslated)
        warn(
            pos,
            "SC204",
            (
                _("translation '{lang}' lacks {n} card: {cards}")
                if count == 1
                else _("translation '{lang}' lacks {n} cards: {cards}")
            ).format(lang=lang, n=count, cards=_listing(untranslated)),
            _("a group reading '{lang}' gets these cards in '{own}'").format(lang=lang, own=deck.language),
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
            missing.append(_("reflection prompt '{id}'").format(id=prompt.id))
    missing.extend(partial)
    if missing:
        warn(
            pos,
            "SC204",
            _("translation '{lang}' lacks: {parts}").format(lang=lang, parts=_listing(missing)),
            _("a group reading '{lang}' sees these in '{own}'").format(lang=lang, own=deck.language),
        )
