"""Laying a face out on a card (pure, given a measure function).

A front is designed, not just filled: a band at the top with the level (and the table and
round in a pack), the title below it, and the questions centred in the space that is left, above
a small footer. The questions' type size steps down only when a card is too tall; a title first
shrinks to fit its width, and only then breaks (between words, or at a hyphenation point).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from stigmacards.deck.format import level_dots
from stigmacards.errors import LayoutError
from stigmacards.i18n import _, translator
from stigmacards.printing.faces import Face
from stigmacards.printing.fonts import MM_PER_PT
from stigmacards.printing.labels import PART
from stigmacards.printing.words import too_wide, wrap

MIN_SIZE_PT = 7.0  # the smallest text we print: still readable on a card at arm's length
SIZE_STEP_PT = 0.5
LINE_HEIGHT = 1.25  # line pitch as a multiple of the font size
ASCENT = 0.93  # DejaVu Sans ascender, in em: baseline offset from the top of a line
DESCENT = 0.24
FOOTER_LINES = 2
PARAGRAPH = 1.45  # baseline distance between paragraphs, in em; must stay under poppler's 1.5
TITLE_SHRINK = 0.75  # a title of several words shrinks to this share of its size, then wraps

Measure = Callable[[str, bool, float], float]  # (text, bold, size in pt) -> width in mm


@dataclass(frozen=True, slots=True)
class Style:
    """Sizes for one card format (points, millimetres)."""

    padding: float
    meta_pt: float  # the small footer
    start_pt: float  # the questions start here and step down to MIN_SIZE_PT
    gap: float  # the least space between the card's text and its footer
    larger_exists: bool = False  # whether fewer cards per page would give bigger cards
    title_pt: float = 0.0  # 0: 1.25 × start_pt
    band_pt: float = 8.0  # the level band's text

    @property
    def title_start(self) -> float:
        return self.title_pt or round(self.start_pt * 1.25 * 2) / 2

    def band_height(self) -> float:
        return self.band_pt * MM_PER_PT * 2.0


def style_for(per_page: int) -> Style:
    if per_page <= 4:
        return Style(padding=7.0, meta_pt=7.5, start_pt=14.0, gap=3.0, title_pt=17.0, band_pt=9.0)
    return Style(
        padding=5.0, meta_pt=7.0, start_pt=10.0, gap=2.0, larger_exists=True, title_pt=12.5, band_pt=7.5
    )


@dataclass(frozen=True, slots=True)
class Run:
    """One line of text on a card: `x`, `baseline` relative to the card's top-left corner."""

    text: str
    x: float
    baseline: float
    size: float
    bold: bool = False
    gray: bool = False


@dataclass(frozen=True, slots=True)
class Band:
    """The coloured band at the top of a front, relative to the card's top-left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Fitted:
    face: Face
    runs: tuple[Run, ...]
    size: float  # the size the questions (or lines) ended up at
    band: Band


class _DoesNotFitError(Exception):
    pass


def sizes(start: float, *, down_to: float = MIN_SIZE_PT) -> Iterator[float]:
    size = start
    while size >= down_to - 1e-9:
        yield size
        size -= SIZE_STEP_PT


def at_size(measure: Measure, bold: bool, size: float) -> Callable[[str], float]:
    return lambda text: measure(text, bold, size)


def fit(face: Face, width: float, height: float, *, style: Style, measure: Measure) -> Fitted:
    """Lay `face` out on a `width` × `height` mm card at the largest size that fits.

    Raises LayoutError naming the card when it does not fit even at MIN_SIZE_PT.
    """
    for size in sizes(style.start_pt):
        try:
            return layout(face, width, height, size=size, style=style, measure=measure)
        except _DoesNotFitError:
            continue
    bare = replace(face, items=tuple("" for _item in face.items))
    try:
        layout(bare, width, height, size=MIN_SIZE_PT, style=style, measure=measure)
    except _DoesNotFitError:
        raise LayoutError(
            _(
                "card '{card}' does not fit on a {w:.0f} × {h:.0f} mm card even without its questions; "
                "shorten its title or content note, or the deck's title"
            ).format(card=face.name, w=width, h=height)
        ) from None
    longest = max(range(len(face.items)), key=lambda i: len(face.items[i]))
    what = _("question {n}").format(n=longest + 1) if face.numbered else _("line {n}").format(n=longest + 1)
    message = _(
        "card '{card}' does not fit on a {w:.0f} × {h:.0f} mm card even at {size:g} pt; "
        "shorten its text ({what} has {chars} characters)"
    ).format(
        card=face.name, w=width, h=height, size=MIN_SIZE_PT, what=what, chars=f"{len(face.items[longest]):,}"
    )
    if style.larger_exists:
        message += _(", or print fewer cards per page")
    raise LayoutError(message)


def fits(face: Face, width: float, height: float, *, size: float, style: Style, measure: Measure) -> bool:
    try:
        layout(face, width, height, size=size, style=style, measure=measure)
    except _DoesNotFitError:
        return False
    return True


def same_size(
    fitted: Sequence[Fitted], width: float, height: float, *, style: Style, measure: Measure
) -> list[Fitted]:
    """The cards of one sheet at one type size: the smallest any of them needs.

    A card that would not fit at that size (line breaks can make a smaller size longer) keeps
    its own.
    """
    if not fitted:
        return []
    size = min(f.size for f in fitted)
    result: list[Fitted] = []
    for f in fitted:
        if f.size == size:
            result.append(f)
            continue
        try:
            result.append(layout(f.face, width, height, size=size, style=style, measure=measure))
        except _DoesNotFitError:
            result.append(f)
    return result


def _title_lines(
    title: str, width: float, *, size: float, style: Style, measure: Measure, lang: str
) -> tuple[float, list[str]]:
    """The title's size and lines: as large as fits the width on one line; a title of several
    words shrinks a little and then wraps between words; only at the body size is a word broken."""
    floor = max(size, style.title_start * TITLE_SHRINK)
    longest_word = max(title.split() or [""], key=lambda w: measure(w, True, 1.0))
    for title_size in sizes(style.title_start, down_to=size):
        if measure(title, True, title_size) <= width:
            return title_size, [title]
        if title_size <= floor + 1e-9 and measure(longest_word, True, title_size) <= width:
            return title_size, wrap(title, width, measure=at_size(measure, True, title_size), lang=lang)
    return size, wrap(title, width, measure=at_size(measure, True, size), lang=lang)


def layout(face: Face, width: float, height: float, *, size: float, style: Style, measure: Measure) -> Fitted:
    """Place the face's text with its questions at `size`; raise _DoesNotFitError when it runs
    into the footer.

    Paragraphs are at most PARAGRAPH em apart within the title block and within the questions:
    text extractors such as poppler's pdftotext then read each card as one piece, card after
    card, instead of interleaving the lines of cards that sit side by side.
    """
    pad = style.padding
    inner = width - 2 * pad
    lang = face.language
    runs: list[Run] = []
    inset = pad * 0.5
    band = Band(inset, inset, width - 2 * inset, style.band_height())
    band_parts = [level_dots(face.level)] if face.level is not None else []
    if face.label:
        band_parts.append(face.label)
    if band_parts:
        band_text = "  ".join(band_parts)
        band_pt = style.band_pt
        while measure(band_text, True, band_pt) > inner and band_pt > MIN_SIZE_PT:
            band_pt -= SIZE_STEP_PT
        runs.append(Run(band_text, pad, band.y + band.h / 2 + 0.35 * band_pt * MM_PER_PT, band_pt, bold=True))
    top = band.y + band.h + style.gap

    title_size, title = _title_lines(face.title, inner, size=size, style=style, measure=measure, lang=lang)
    title_em = title_size * MM_PER_PT
    baseline = top + ASCENT * title_em
    for line in title:
        runs.append(Run(line, pad, baseline, title_size, bold=True))
        baseline += LINE_HEIGHT * title_em
    em = size * MM_PER_PT
    if face.note:
        baseline += (PARAGRAPH - LINE_HEIGHT) * em
        for line in wrap(face.note, inner, measure=at_size(measure, False, size), lang=lang):
            runs.append(Run(line, pad, baseline, size, gray=True))
            baseline += LINE_HEIGHT * em
    head_bottom = baseline - LINE_HEIGHT * em + DESCENT * em

    # The questions, measured first, then centred in the space between the title and the footer.
    marker_w = marker_width(size, measure)
    body: list[Run] = []
    y = 0.0  # baseline offset within the block
    for number, item in enumerate(face.items, start=1):
        body.append(Run(f"{number}." if face.numbered else "•", pad, y, size, bold=face.numbered))
        for line in wrap(item, inner - marker_w, measure=at_size(measure, False, size), lang=lang):
            body.append(Run(line, pad + marker_w, y, size))
            y += LINE_HEIGHT * em
        y += (PARAGRAPH - LINE_HEIGHT) * em
    block = (y - PARAGRAPH * em) + (ASCENT + DESCENT) * em if face.items else 0.0

    meta_em = style.meta_pt * MM_PER_PT
    footer = [
        line
        for text in face.footer
        for line in wrap(text, inner, measure=at_size(measure, False, style.meta_pt), lang=lang)
    ]
    footer_top = height - pad - max(FOOTER_LINES, len(footer)) * LINE_HEIGHT * meta_em
    free_top = head_bottom + PARAGRAPH * em - (ASCENT + DESCENT) * em
    free_bottom = footer_top - style.gap
    if free_top + block > free_bottom:
        raise _DoesNotFitError
    block_top = free_top + (free_bottom - free_top - block) / 2
    runs.extend(replace(run, baseline=block_top + ASCENT * em + run.baseline) for run in body)
    # Footers start at the same height on every card: pdftotext then sees the sheet as a grid.
    for n, line in enumerate(footer):
        runs.append(
            Run(line, pad, footer_top + (n * LINE_HEIGHT + ASCENT) * meta_em, style.meta_pt, gray=True)
        )
    return Fitted(face, tuple(runs), size, band)


def marker_width(size: float, measure: Measure) -> float:
    """The room a question's number ("3.") takes before its text."""
    return measure("3.", True, size) + 0.6 * size * MM_PER_PT


def cut_words(
    fitted: Fitted, width: float, *, style: Style, measure: Measure
) -> list[tuple[int | None, str]]:
    """The words of a fitted face that had to be cut where no hyphenation point fitted:
    (None for the title, else the question's or line's index; the word)."""
    size, face = fitted.size, fitted.face
    inner = width - 2 * style.padding
    found: list[tuple[int | None, str]] = [
        (None, w)
        for w in too_wide(face.title, inner, measure=at_size(measure, True, size), lang=face.language)
    ]
    narrower = inner - marker_width(size, measure)
    for j, item in enumerate(face.items):
        words = too_wide(item, narrower, measure=at_size(measure, False, size), lang=face.language)
        found.extend((j, word) for word in words)
    return found


def split_to_fit(face: Face, width: float, height: float, *, style: Style, measure: Measure) -> list[Fitted]:
    """Fit an intro or closing face, spreading its lines over more cards when they need it."""
    try:
        return [fit(face, width, height, style=style, measure=measure)]
    except LayoutError:
        if face.numbered or len(face.items) < 2:
            raise
    groups: list[list[str]] = [[]]
    for item in face.items:
        trial = replace(face, items=(*groups[-1], item))
        if groups[-1] and not fits(trial, width, height, size=MIN_SIZE_PT, style=style, measure=measure):
            groups.append([])
        groups[-1].append(item)
    parts = len(groups)
    t = translator(face.language)
    return [
        fit(
            replace(
                face,
                items=tuple(group),
                title=t(PART).format(title=face.title, part=n, parts=parts),
                name=f"{face.name} ({n}/{parts})",
            ),
            width,
            height,
            style=style,
            measure=measure,
        )
        for n, group in enumerate(groups, start=1)
    ]
