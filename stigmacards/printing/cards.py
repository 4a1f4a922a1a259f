"""Printable cards: card sheets for a deck and table packs for a dealt session.

The geometry (paper, slots, duplex mirroring, which face goes where) and the text fitting are
pure and tested directly; the fitting takes a `measure` function so it does not care which PDF
library measures. Drawing uses fpdf2, imported inside the functions that draw so that start-up
and `deck validate` never pay for it. Text is set in the bundled DejaVu Sans, because the PDF
core fonts cannot encode ’ “ ” – which Dutch text uses.

Printed labels ("Table 3 · Round 2", "Ground rules") are in the deck's language, not the
interface language: the cards are read by the people at the table.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from stigmacards.deck.format import level_dots
from stigmacards.deck.handout import AFTERWARDS, CONTENT_NOTE, GROUND_RULES, RIGHT_TO_PASS
from stigmacards.deck.model import LocalCard, LocalDeck
from stigmacards.errors import LayoutError, UsageError
from stigmacards.files import write_atomic
from stigmacards.i18n import N_, _, translator
from stigmacards.text import inert

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "DejaVuSans"
MM_PER_PT = 25.4 / 72
MIN_SIZE_PT = 7.0  # the smallest text we print: still readable on a card at arm's length
SIZE_STEP_PT = 0.5
LINE_HEIGHT = 1.25  # line pitch as a multiple of the font size
ASCENT = 0.93  # DejaVu Sans ascender, in em: baseline offset from the top of a line
DESCENT = 0.24
FOOTER_LINES = 3
PARAGRAPH = 1.45  # baseline distance between paragraphs, in em; must stay under poppler's 1.5
MARGIN_MM = 10.0  # unprintable border of most office printers; crop marks live in it
PER_PAGE_CHOICES = (4, 8)
LEVEL_MAX = 3

# The same titles as `deck show` uses for the intro and the closing.
TABLE_ROUND = N_("Table {table} · Round {round}")
TABLE = N_("Table {table}")
PART = N_("{title} ({part}/{parts})")


class Paper(enum.StrEnum):
    a4 = "a4"
    letter = "letter"


PAPER_SIZES_MM = {Paper.a4: (210.0, 297.0), Paper.letter: (215.9, 279.4)}


# --- Geometry (pure) -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h


@dataclass(frozen=True, slots=True)
class Sheet:
    """A page of cards: a grid of equal slots inside a margin; sizes in millimetres."""

    paper: Paper
    per_page: int
    width: float
    height: float
    cols: int
    rows: int
    margin: float = MARGIN_MM

    @property
    def card_w(self) -> float:
        return (self.width - 2 * self.margin) / self.cols

    @property
    def card_h(self) -> float:
        return (self.height - 2 * self.margin) / self.rows

    def slot(self, index: int, *, back: bool = False) -> Rect:
        """The rectangle of slot `index` (row by row); on a back page, mirrored left to right.

        A portrait page flipped on its long edge turns over left to right, so the back of the
        card in column c lies in column (cols - 1 - c) of the back page, in the same row.
        """
        row, col = divmod(index, self.cols)
        x = self.margin + col * self.card_w
        y = self.margin + row * self.card_h
        if back:
            x = self.width - x - self.card_w
        return Rect(x, y, self.card_w, self.card_h)


def sheet(paper: Paper | str, per_page: int) -> Sheet:
    """The sheet for `paper` with 4 (A6-like) or 8 (A7-like) cards per page, portrait."""
    try:
        paper = Paper(paper.strip().lower())  # 'A4' is how people write it
    except ValueError:
        raise UsageError(
            _("unknown paper '{paper}' (choose one of: {choices})").format(
                paper=paper, choices=", ".join(p.value for p in Paper)
            )
        ) from None
    if per_page not in PER_PAGE_CHOICES:
        raise UsageError(
            _("cards per page must be one of: {choices}").format(
                choices=", ".join(str(n) for n in PER_PAGE_CHOICES)
            )
        )
    width, height = PAPER_SIZES_MM[paper]
    return Sheet(paper, per_page, width, height, cols=2, rows=per_page // 2)


@dataclass(frozen=True, slots=True)
class Placement:
    """Face number `face` goes in slot `slot` of page `page` (0-based); `back` for its reverse."""

    page: int
    slot: int
    face: int
    back: bool


def impose(count: int, per_page: int, *, duplex: bool) -> tuple[Placement, ...]:
    """Where every face (and, for duplex, every back) goes: fronts in reading order, each front
    page followed by its back page."""
    placements: list[Placement] = []
    pages_per_sheet = 2 if duplex else 1
    for number in range(math.ceil(count / per_page)):
        first = number * per_page
        faces = range(first, min(first + per_page, count))
        for sides in range(pages_per_sheet):
            page = number * pages_per_sheet + sides
            placements.extend(Placement(page, face - first, face, back=sides == 1) for face in faces)
    return tuple(placements)


def page_count(count: int, per_page: int, *, duplex: bool) -> int:
    return math.ceil(count / per_page) * (2 if duplex else 1)


# --- What goes on a card (pure) --------------------------------------------------------------


class FaceKind(enum.StrEnum):
    card = "card"
    intro = "intro"
    closing = "closing"


@dataclass(frozen=True, slots=True)
class Face:
    """The text of one printed card, front and back, already in the deck's language."""

    kind: FaceKind
    name: str  # what an error calls it: the card id, or "intro" / "closing"
    deck_title: str
    title: str
    items: tuple[str, ...]  # the questions (numbered) or the intro/closing lines (bulleted)
    level: int | None = None
    label: str | None = None  # "Table 3 · Round 2" in a table pack
    note: str | None = None  # the card's content note
    footer: tuple[str, ...] = ()
    back_title: str = ""
    back_detail: str = ""
    language: str = "en"  # of the labels, for the few added when a face is split

    @property
    def numbered(self) -> bool:
        return self.kind is FaceKind.card


def clean(text: str) -> str:
    """Deck text for print: no controls or bidi tricks, whitespace collapsed to single spaces."""
    return " ".join(inert(text, single_line=True).split())


def select_cards(
    deck: LocalDeck,
    *,
    card_ids: Sequence[str] | None = None,
    max_level: int | None = None,
    sensitive: bool = True,
) -> tuple[LocalCard, ...]:
    """The cards to print: `card_ids` in the order given (else the deck's order), up to
    `max_level`, without the cards that carry a content note unless `sensitive`."""
    if card_ids:
        known = {card.id for card in deck.cards}
        unknown = [card_id for card_id in card_ids if card_id not in known]
        if unknown:
            import difflib

            message = _("deck '{deck}' has no card(s): {cards}").format(
                deck=deck.id, cards=", ".join(unknown)
            )
            close = difflib.get_close_matches(unknown[0], sorted(known), n=1)
            if close:
                message += " " + _("(did you mean '{card}'?)").format(card=close[0])
            raise UsageError(message)
        cards = tuple(deck.card(card_id) for card_id in dict.fromkeys(card_ids))
    else:
        cards = deck.cards
    if max_level is not None:
        cards = tuple(card for card in cards if card.level <= max_level)
    if not sensitive:
        cards = tuple(card for card in cards if not card.sensitive)
    if not cards:
        raise UsageError(_("no cards left to print: check --cards, --max-level and --no-sensitive"))
    return cards


def card_face(deck: LocalDeck, card: LocalCard, *, label: str | None = None) -> Face:
    t = translator(deck.language)
    ids = " · ".join(clean(part) for part in (deck.title, deck.license, deck.id, card.id) if part)
    return Face(
        kind=FaceKind.card,
        name=card.id,
        deck_title=clean(deck.title),
        title=clean(card.title or card.id),
        items=tuple(clean(q) for q in card.questions),
        level=card.level,
        label=label,
        note=f"{t(CONTENT_NOTE).strip()} {clean(card.content_note)}" if card.content_note else None,
        footer=(t(RIGHT_TO_PASS), ids),
        back_title=clean(deck.title),
        back_detail=label or card.id,
        language=deck.language,
    )


def lines_face(deck: LocalDeck, kind: FaceKind, *, label: str | None = None) -> Face | None:
    """The intro (ground rules) or closing (aftercare) card, or None when the deck has none."""
    t = translator(deck.language)
    lines = deck.intro if kind is FaceKind.intro else deck.closing
    if not lines:
        return None
    title = t(GROUND_RULES) if kind is FaceKind.intro else t(AFTERWARDS)
    footer = " · ".join(clean(part) for part in (deck.title, deck.license, deck.id) if part)
    return Face(
        kind=kind,
        name=kind.value,
        deck_title=clean(deck.title),
        title=title,
        items=tuple(clean(line) for line in lines),
        label=label,
        footer=(footer,) if footer else (),
        back_title=clean(deck.title),
        back_detail=label or title,
        language=deck.language,
    )


def deck_faces(
    deck: LocalDeck, cards: Iterable[LocalCard], *, intro: bool = True, closing: bool = True
) -> tuple[Face, ...]:
    """Intro card, the cards, closing card: a deck's print run."""
    faces: list[Face] = []
    if intro and (face := lines_face(deck, FaceKind.intro)):
        faces.append(face)
    faces.extend(card_face(deck, card) for card in cards)
    if closing and (face := lines_face(deck, FaceKind.closing)):
        faces.append(face)
    return tuple(faces)


class DealLike(Protocol):
    """One card dealt to one table in one round (dealing.Deal)."""

    @property
    def round(self) -> int: ...
    @property
    def table(self) -> int: ...
    @property
    def card_id(self) -> str: ...


class PlanLike(Protocol):
    """A dealt session (dealing.Plan): `rounds[i]` holds the deals of round i + 1."""

    @property
    def rounds(self) -> Sequence[Sequence[DealLike]]: ...


def table_faces(
    plan: PlanLike, deck: LocalDeck, *, intro: bool = True, closing: bool = True
) -> tuple[Face, ...]:
    """A table pack: for each table, its ground rules, its card for every round, its aftercare."""
    t = translator(deck.language)
    by_table: dict[int, list[DealLike]] = {}
    for deals in plan.rounds:
        for deal in deals:
            by_table.setdefault(deal.table, []).append(deal)
    faces: list[Face] = []
    for table in sorted(by_table):
        table_label = t(TABLE).format(table=table)
        if intro and (face := lines_face(deck, FaceKind.intro, label=table_label)):
            faces.append(face)
        for deal in sorted(by_table[table], key=lambda d: d.round):
            try:
                card = deck.card(deal.card_id)
            except KeyError:
                raise UsageError(
                    _("the plan deals card '{card}', which deck '{deck}' does not have").format(
                        card=deal.card_id, deck=deck.id
                    )
                ) from None
            label = t(TABLE_ROUND).format(table=table, round=deal.round)
            faces.append(card_face(deck, card, label=label))
        if closing and (face := lines_face(deck, FaceKind.closing, label=table_label)):
            faces.append(face)
    if not faces:
        raise UsageError(_("the plan deals no cards"))
    return tuple(faces)


# --- Fitting text on a card (pure, given a measure function) ---------------------------------

Measure = Callable[[str, bool, float], float]  # (text, bold, size in pt) -> width in mm


@dataclass(frozen=True, slots=True)
class Style:
    """Sizes for one card format (points, millimetres)."""

    padding: float
    meta_pt: float  # the small footer
    start_pt: float  # the card's text starts here and steps down to MIN_SIZE_PT
    gap: float  # the least space between the card's text and its footer
    larger_exists: bool = False  # whether fewer cards per page would give bigger cards


def style_for(per_page: int) -> Style:
    if per_page <= 4:
        return Style(padding=7.0, meta_pt=7.5, start_pt=14.0, gap=3.0)
    return Style(padding=5.0, meta_pt=7.0, start_pt=10.0, gap=2.0, larger_exists=True)


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
class Fitted:
    face: Face
    runs: tuple[Run, ...]
    size: float  # the size the questions (or lines) ended up at


class _DoesNotFitError(Exception):
    pass


def wrap(text: str, width: float, *, measure: Callable[[str], float]) -> list[str]:
    """Break `text` into lines no wider than `width`, at spaces; over-long words by character."""
    lines: list[str] = []
    current = ""
    for whole in text.split():
        word = whole
        candidate = f"{current} {whole}" if current else whole
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while measure(word) > width:  # a word wider than the card: break it where it must
            cut = max(1, _longest_prefix(word, width, measure))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _longest_prefix(word: str, width: float, measure: Callable[[str], float]) -> int:
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _sizes(style: Style) -> Iterator[float]:
    size = style.start_pt
    while size >= MIN_SIZE_PT - 1e-9:
        yield size
        size -= SIZE_STEP_PT


def fit(face: Face, width: float, height: float, *, style: Style, measure: Measure) -> Fitted:
    """Lay `face` out on a `width` × `height` mm card at the largest size that fits.

    Raises LayoutError naming the card when it does not fit even at MIN_SIZE_PT.
    """
    for size in _sizes(style):
        try:
            runs = _layout(face, width, height, size=size, style=style, measure=measure)
        except _DoesNotFitError:
            continue
        return Fitted(face, runs, size)
    bare = replace(face, items=tuple("" for _item in face.items))
    try:
        _layout(bare, width, height, size=MIN_SIZE_PT, style=style, measure=measure)
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


def _layout(
    face: Face, width: float, height: float, *, size: float, style: Style, measure: Measure
) -> tuple[Run, ...]:
    """Place the face's text at `size`; raise _DoesNotFitError when it runs into the footer.

    The body (label, title, note, questions) is one size with paragraphs at most PARAGRAPH em
    apart: text extractors such as poppler's pdftotext then read each card as one block, card
    after card, instead of interleaving the lines of cards that sit side by side.
    """
    pad = style.padding
    inner = width - 2 * pad
    em = size * MM_PER_PT
    runs: list[Run] = []
    baseline = pad + ASCENT * em

    def paragraph(text: str, x: float, w: float, *, bold: bool = False, gray: bool = False) -> None:
        nonlocal baseline
        for line in wrap(text, w, measure=_at(measure, bold, size)):
            runs.append(Run(line, x, baseline, size, bold, gray))
            baseline += LINE_HEIGHT * em
        baseline += (PARAGRAPH - LINE_HEIGHT) * em

    if face.label:
        paragraph(face.label, pad, inner, bold=True)
    # The level dots lead the title's line, a space away: text extractors read them as words of
    # that line (far apart on one line they become a stray block read out of order).
    indent = 0.0
    if face.level is not None:
        dots = level_dots(face.level)
        runs.append(Run(dots, pad, baseline, size))
        indent = measure(dots + " ", False, size)
    paragraph(face.title, pad + indent, inner - indent, bold=True)
    if face.note:
        paragraph(face.note, pad, inner, gray=True)
    marker_w = measure("3.", True, size) + 0.6 * em
    for number, item in enumerate(face.items, start=1):
        runs.append(Run(f"{number}." if face.numbered else "•", pad, baseline, size, bold=face.numbered))
        paragraph(item, pad + marker_w, inner - marker_w)
    body_bottom = baseline - PARAGRAPH * em + DESCENT * em
    # The footer sits at the bottom of the card, in small type; it must not meet the body.
    meta_em = style.meta_pt * MM_PER_PT
    footer = [
        line for text in face.footer for line in wrap(text, inner, measure=_at(measure, False, style.meta_pt))
    ]
    # Footers start at the same height on every card (room for FOOTER_LINES): pdftotext then
    # sees the sheet as a grid and reads it row by row, card by card, the order it was laid out.
    footer_top = height - pad - max(FOOTER_LINES, len(footer)) * LINE_HEIGHT * meta_em
    if body_bottom + style.gap > footer_top:
        raise _DoesNotFitError
    for n, line in enumerate(footer):
        runs.append(
            Run(line, pad, footer_top + (n * LINE_HEIGHT + ASCENT) * meta_em, style.meta_pt, gray=True)
        )
    return tuple(runs)


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
        if groups[-1] and not _fits_at_min(trial, width, height, style=style, measure=measure):
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


def _fits_at_min(face: Face, width: float, height: float, *, style: Style, measure: Measure) -> bool:
    try:
        _layout(face, width, height, size=MIN_SIZE_PT, style=style, measure=measure)
    except _DoesNotFitError:
        return False
    return True


# --- Drawing (fpdf2, imported here and only here) --------------------------------------------


@dataclass(frozen=True, slots=True)
class PrintResult:
    """What was printed: question cards, faces (cards plus intro and closing) and pages."""

    cards: int
    faces: int
    pages: int
    path: Path | None = None


class _Measurer:
    """String widths in mm from the embedded font's metrics, cached per (text, bold)."""

    def __init__(self, pdf: FPDF) -> None:
        self._pdf = pdf
        self._cache: dict[tuple[str, bool], float] = {}

    def __call__(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold)
        width = self._cache.get(key)
        if width is None:
            self._pdf.set_font(FONT_FAMILY, "B" if bold else "", 10)
            width = self._cache[key] = float(self._pdf.get_string_width(text))
        return width * size / 10


def render(
    faces: Sequence[Face], sheet_: Sheet, *, duplex: bool, title: str, language: str
) -> tuple[bytes, int, int]:
    """Fit every face, impose them on pages; return the PDF, its page count and printed faces.

    Every face is fitted before the first page is drawn, so a card that does not fit raises
    LayoutError and nothing is produced.
    """
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format=(sheet_.width, sheet_.height))
    for font_style, name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, font_style, FONT_DIR / name)
    try:
        return _render_into(pdf, faces, sheet_, duplex=duplex, title=title, language=language)
    finally:
        # fontTools reads the font files lazily and keeps them open; fpdf2 closes only the
        # fonts a finished document used, so close them all here, on every path.
        for font in pdf.fonts.values():
            close = getattr(font, "close", None)
            if callable(close):
                close()


def _render_into(
    pdf: FPDF, faces: Sequence[Face], sheet_: Sheet, *, duplex: bool, title: str, language: str
) -> tuple[bytes, int, int]:
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    measure = _Measurer(pdf)
    style = style_for(sheet_.per_page)
    _check_glyphs(pdf, faces)
    fitted: list[Fitted] = []
    for face in faces:
        if face.kind is FaceKind.card:
            fitted.append(fit(face, sheet_.card_w, sheet_.card_h, style=style, measure=measure))
        else:
            fitted.extend(split_to_fit(face, sheet_.card_w, sheet_.card_h, style=style, measure=measure))
    pages = 0
    for placement in impose(len(fitted), sheet_.per_page, duplex=duplex):
        while pages <= placement.page:
            pdf.add_page()
            _cut_marks(pdf, sheet_)
            pages += 1
        rect = sheet_.slot(placement.slot, back=placement.back)
        if placement.back:
            _draw_back(pdf, fitted[placement.face].face, rect, style=style, measure=measure)
        else:
            _draw_front(pdf, fitted[placement.face], rect)
    pdf.set_title(title)
    pdf.set_creator("stigmacards")
    pdf.set_lang(language)
    return bytes(pdf.output()), pages, len(fitted)


def _check_glyphs(pdf: FPDF, faces: Sequence[Face]) -> None:
    """Raise LayoutError naming the first card with characters the card font has no glyph for.

    fpdf2 leaves them out with a warning: a question in Chinese printed as a blank line.
    """
    import unicodedata

    from fpdf.fonts import TTFFont

    fonts = [pdf.fonts[FONT_FAMILY.lower() + style] for style in ("", "B")]
    regular, bold = (set(font.cmap) if isinstance(font, TTFFont) else set() for font in fonts)
    for face in faces:
        parts: list[tuple[str, str, set[int]]] = [
            (_("title"), face.title, bold),
            (_("the deck's title"), face.deck_title, bold),
            (_("label"), face.label or "", bold),
            (_("content note"), face.note or "", regular),
            *((_("footer"), line, regular) for line in face.footer),
        ]
        what = _("question {n}") if face.numbered else _("line {n}")
        parts += [(what.format(n=n), item, regular) for n, item in enumerate(face.items, start=1)]
        for where, text, covered in parts:
            missing = [
                c for c in dict.fromkeys(text) if ord(c) not in covered and unicodedata.category(c) != "Cf"
            ]
            if missing:
                raise LayoutError(
                    _(
                        "card '{card}': the card font has no {chars} ({where}); it covers Latin, Greek and "
                        "Cyrillic, not Chinese, Japanese, Korean or emoji: remove or replace them"
                    ).format(card=face.name, chars=" ".join(missing[:10]), where=where)
                )


def _at(measure: Measure, bold: bool, size: float) -> Callable[[str], float]:
    return lambda text: measure(text, bold, size)


def _text_color(pdf: FPDF, gray: bool) -> None:
    pdf.set_text_color(85 if gray else 0)


def _draw_front(pdf: FPDF, fitted: Fitted, rect: Rect) -> None:
    for run in fitted.runs:
        pdf.set_font(FONT_FAMILY, "B" if run.bold else "", run.size)
        _text_color(pdf, run.gray)
        pdf.text(rect.x + run.x, rect.y + run.baseline, run.text)


def _draw_back(pdf: FPDF, face: Face, rect: Rect, *, style: Style, measure: Measure) -> None:
    """A back: a double frame, the deck title and what the card is, centred."""
    inset = style.padding - 1.5
    pdf.set_draw_color(150)
    for offset, line_width in ((inset, 0.5), (inset + 1.5, 0.2)):
        pdf.set_line_width(line_width)
        pdf.rect(
            rect.x + offset,
            rect.y + offset,
            rect.w - 2 * offset,
            rect.h - 2 * offset,
            round_corners=True,
            corner_radius=2.5,
        )
    width = rect.w - 2 * (inset + 5)
    lines = _back_lines(face, width, rect.h - 2 * (inset + 4), style=style, measure=measure)
    total = sum(LINE_HEIGHT * size * MM_PER_PT for _line, _bold, size in lines)
    y = rect.y + (rect.h - total) / 2
    for line, bold, size in lines:
        pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        _text_color(pdf, not bold)
        pdf.text(rect.x + (rect.w - measure(line, bold, size)) / 2, y + ASCENT * size * MM_PER_PT, line)
        y += LINE_HEIGHT * size * MM_PER_PT


def _back_lines(
    face: Face, width: float, height: float, *, style: Style, measure: Measure
) -> list[tuple[str, bool, float]]:
    """The back's lines (text, bold, size): the deck title as large as fits, then the detail."""
    detail_pt = max(MIN_SIZE_PT, style.meta_pt + 1)
    for size in _sizes(style):
        lines = [
            (line, True, size) for line in wrap(face.back_title, width, measure=_at(measure, True, size))
        ]
        if face.back_detail:
            detail = wrap(face.back_detail, width, measure=_at(measure, False, detail_pt))
            lines += [(line, False, detail_pt) for line in detail]
        if sum(LINE_HEIGHT * z * MM_PER_PT for _line, _bold, z in lines) <= height:
            return lines
    raise LayoutError(
        _("the back of card '{card}' does not fit: the deck title has {chars} characters").format(
            card=face.name, chars=f"{len(face.back_title):,}"
        )
    )


def _cut_marks(pdf: FPDF, sheet_: Sheet) -> None:
    """Crop marks in the margin at every cut, and light dashed guides along the cuts."""
    xs = [sheet_.margin + col * sheet_.card_w for col in range(sheet_.cols + 1)]
    ys = [sheet_.margin + row * sheet_.card_h for row in range(sheet_.rows + 1)]
    top, bottom = ys[0], ys[-1]
    left, right = xs[0], xs[-1]
    gap, length = 2.0, min(6.0, sheet_.margin - 3.0)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    for x in xs:
        pdf.line(x, top - gap - length, x, top - gap)
        pdf.line(x, bottom + gap, x, bottom + gap + length)
    for y in ys:
        pdf.line(left - gap - length, y, left - gap, y)
        pdf.line(right + gap, y, right + gap + length, y)
    pdf.set_draw_color(190)
    pdf.set_line_width(0.1)
    pdf.set_dash_pattern(dash=1.0, gap=1.5)
    for x in xs:
        pdf.line(x, top, x, bottom)
    for y in ys:
        pdf.line(left, y, right, y)
    pdf.set_dash_pattern()


def deck_pdf(
    deck: LocalDeck,
    *,
    paper: Paper | str = Paper.a4,
    per_page: int = 4,
    duplex: bool = False,
    card_ids: Sequence[str] | None = None,
    max_level: int | None = None,
    sensitive: bool = True,
    intro: bool = True,
    closing: bool = True,
) -> tuple[bytes, PrintResult]:
    """A deck's cards as a PDF (bytes), with the intro and closing cards when the deck has them."""
    layout = sheet(paper, per_page)
    cards = select_cards(deck, card_ids=card_ids, max_level=max_level, sensitive=sensitive)
    faces = deck_faces(deck, cards, intro=intro, closing=closing)
    data, pages, printed = render(
        faces, layout, duplex=duplex, title=clean(deck.title), language=deck.language
    )
    return data, PrintResult(cards=len(cards), faces=printed, pages=pages)


def table_pack_pdf(
    plan: PlanLike,
    local_deck: LocalDeck,
    out: Path,
    *,
    paper: Paper | str = Paper.a4,
    per_page: int = 4,
    duplex: bool = False,
    intro: bool = True,
    closing: bool = True,
) -> PrintResult:
    """Write a table pack for `plan` to `out` atomically: per table, its card for every round."""
    layout = sheet(paper, per_page)
    faces = table_faces(plan, local_deck, intro=intro, closing=closing)
    data, pages, printed = render(
        faces, layout, duplex=duplex, title=clean(local_deck.title), language=local_deck.language
    )
    write_atomic(out, data, mode=None)
    cards = sum(1 for face in faces if face.kind is FaceKind.card)
    return PrintResult(cards=cards, faces=printed, pages=pages, path=out)


# --- Writing files ---------------------------------------------------------------------------
