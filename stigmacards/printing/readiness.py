"""Is a deck ready to print? Every printed string against the card font and the card size.

`deck lint --print` and `deck validate --print` add these problems to the loader's, each at the
file:line:col of the text it is about, all at once: a deck that passes here prints. The checks
use the same font metrics, faces and fitting as `deck print`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from stigmacards.deck.loading import Analysis, Path_
from stigmacards.deck.model import Deck, localize
from stigmacards.deck.problems import Problem, Severity
from stigmacards.errors import LayoutError
from stigmacards.printing.faces import Face, FaceKind, deck_faces
from stigmacards.printing.fitting import (
    MIN_SIZE_PT,
    Fitted,
    Style,
    cut_words,
    fit,
    fits,
    split_to_fit,
    style_for,
)
from stigmacards.printing.fonts import COVERS, Metrics, describe, missing_glyphs
from stigmacards.printing.layout import Paper, sheet

# One printed string: its text, where it is in the file, whether it is set in bold, what it is.
_Printed = tuple[str, Path_, bool, str]
_Add = Callable[[Path_, Severity, str, str, str], None]
# The default format first: a card that does not fit there is an error, elsewhere a warning.
FORMATS = ((Paper.a4, 4), (Paper.letter, 4), (Paper.a4, 8), (Paper.letter, 8))


def check(analysis: Analysis, source: Path | None = None) -> list[Problem]:
    """The print problems of a valid deck (none for an invalid one: the loader's come first)."""
    deck = analysis.deck
    if deck is None:
        return []
    problems: list[Problem] = []

    def add(path: Path_, severity: Severity, code: str, message: str, hint: str) -> None:
        line, column = analysis.locate(path)
        problems.append(Problem(analysis.path, line, column, severity, code, message, hint))

    for text, path, bold, what in _printed(deck):
        missing = missing_glyphs(text, bold=bold)
        if missing:
            add(
                path,
                Severity.ERROR,
                "SC301",
                f"{what}: the card font has no glyph for {describe(missing)}",
                f"the card font covers {COVERS}, not Chinese, Japanese, Korean or emoji; remove or replace them",
            )
    if not any(p.code == "SC301" for p in problems):  # fitting text the font cannot set says little
        _fit_problems(deck, add)
    if source is not None:
        from stigmacards.printing.branding import read_branding

        problems.extend(read_branding(source, display=analysis.path)[1])
    return problems


def _printed(deck: Deck) -> Iterator[_Printed]:
    yield deck.title, ("title",), True, "the deck's title"
    if deck.license:
        yield deck.license, ("license",), False, "the licence"
    for part in ("intro", "closing"):
        for j, line in enumerate(getattr(deck, part)):
            yield line, (part, j), False, f"{part} line {j + 1}"
    for i, card in enumerate(deck.cards):
        where = f"card '{card.id}'"
        yield card.title or "", ("cards", i, "title"), True, f"{where} title"
        yield card.content_note or "", ("cards", i, "content_note"), False, f"{where} content note"
        for j, question in enumerate(card.questions):
            yield question, ("cards", i, "questions", j), False, f"{where} question {j + 1}"
    for lang, tr in deck.translations.items():
        base: Path_ = ("translations", lang)
        yield tr.title or "", (*base, "title"), True, f"translation '{lang}': the deck's title"
        for part in ("intro", "closing"):
            for j, line in enumerate(getattr(tr, part) or ()):
                yield line, (*base, part, j), False, f"translation '{lang}': {part} line {j + 1}"
        for card_id, ct in tr.cards.items():
            where = f"translation '{lang}' of card '{card_id}'"
            yield ct.title or "", (*base, "cards", card_id, "title"), True, f"{where}: title"
            yield (
                ct.content_note or "",
                (*base, "cards", card_id, "content_note"),
                False,
                f"{where}: content note",
            )
            for j, question in enumerate(ct.questions or ()):
                yield question, (*base, "cards", card_id, "questions", j), False, f"{where}: question {j + 1}"


def _face_path(deck: Deck, lang: str, face: Face) -> Path_:
    own = deck.language in (lang, face.language)
    if face.kind is not FaceKind.card:
        return (face.kind.value,) if own else ("translations", lang, face.kind.value)
    if own:
        return ("cards", next(i for i, c in enumerate(deck.cards) if c.id == face.name))
    return ("translations", lang, "cards", face.name)


def _fit_problems(deck: Deck, add: _Add) -> None:
    """SC302 when a card does not fit (an error on A4 4 per page, the default; a warning for
    Letter or 8 per page);
    SC303 when a word is wider than its line even broken at its hyphenation points."""
    measure = Metrics()
    seen: set[tuple[Path_, str]] = set()
    for lang in deck.languages:
        local = localize(deck, lang)
        faces = [
            f
            for f in deck_faces(local, local.cards)
            if f.kind is not FaceKind.card or f.language == local.language
        ]
        for paper, per_page in FORMATS:
            grid = sheet(paper, per_page)
            style = style_for(per_page)
            first = (paper, per_page) == FORMATS[0]
            for face in faces:
                path = _face_path(deck, lang, face)
                try:
                    if face.kind is FaceKind.card:
                        fitted = [fit(face, grid.card_w, grid.card_h, style=style, measure=measure)]
                    else:
                        fitted = split_to_fit(face, grid.card_w, grid.card_h, style=style, measure=measure)
                except LayoutError as exc:
                    bare = replace(face, items=tuple("" for _item in face.items))
                    if not fits(
                        bare, grid.card_w, grid.card_h, size=MIN_SIZE_PT, style=style, measure=measure
                    ):
                        path = (*path, "title")  # the title (or note) alone is too long
                    elif face.items:  # point at the longest question or line
                        longest = max(range(len(face.items)), key=lambda i: len(face.items[i]))
                        items: Path_ = ("questions",) if face.kind is FaceKind.card else ()
                        path = (*path, *items, longest)
                    if (path, "SC302") not in seen:
                        seen.add((path, "SC302"))
                        add(
                            path,
                            Severity.ERROR if first else Severity.WARNING,
                            "SC302",
                            str(exc) if first else f"{exc} ({paper.value.upper()}, {per_page} per page)",
                            "" if first else "it prints on A4, 4 per page",
                        )
                    continue
                if first:
                    for f in fitted:
                        _word_problems(
                            f, path, width=grid.card_w, style=style, measure=measure, add=add, seen=seen
                        )


def _word_problems(
    fitted: Fitted,
    path: Path_,
    *,
    width: float,
    style: Style,
    measure: Metrics,
    add: _Add,
    seen: set[tuple[Path_, str]],
) -> None:
    face = fitted.face
    items: Path_ = ("questions",) if face.kind is FaceKind.card else ()
    for index, word in cut_words(fitted, width, style=style, measure=measure):
        where: Path_ = (*path, "title") if index is None else (*path, *items, index)
        if (where, word) in seen:
            continue
        seen.add((where, word))
        add(
            where,
            Severity.WARNING,
            "SC303",
            f"card '{face.name}': '{word[:40]}' is wider than a printed card's line at {fitted.size:g} pt "
            "and has no hyphenation point that helps; it will be cut where the line ends",
            "break it with a hyphen or a space, or shorten it",
        )
