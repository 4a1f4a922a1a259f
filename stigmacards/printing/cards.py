"""Printable cards: card sheets for a deck and table packs for a dealt session, as PDF.

What goes on a card is decided in faces.py, where it goes on paper in layout.py, how its text is
set in fitting.py and words.py. This module checks the text against the font, fits every face
before the first page is drawn (so a card that does not fit produces nothing), and draws with
fpdf2, imported inside the functions that draw so that start-up and `deck validate` never pay
for it. Text is set in the bundled DejaVu Sans: the PDF core fonts cannot encode ’ “ ” –.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stigmacards.deck.model import LocalDeck
from stigmacards.errors import LayoutError
from stigmacards.files import write_atomic
from stigmacards.i18n import _
from stigmacards.printing.branding import Branding
from stigmacards.printing.faces import Face, FaceKind, PlanLike, deck_faces, select_cards, table_faces
from stigmacards.printing.fitting import (
    ASCENT,
    LINE_HEIGHT,
    MIN_SIZE_PT,
    Fitted,
    Measure,
    Style,
    at_size,
    cut_words,
    fit,
    same_size,
    sizes,
    split_to_fit,
    style_for,
)
from stigmacards.printing.fonts import (
    FONT_DIR,
    FONT_FAMILY,
    FONT_FILES,
    MM_PER_PT,
    Metrics,
    missing_glyphs,
)
from stigmacards.printing.labels import clean
from stigmacards.printing.layout import Paper, Rect, Sheet, impose, paginate, sheet
from stigmacards.printing.words import wrap

if TYPE_CHECKING:
    from fpdf import FPDF

MAX_LISTED_GLYPHS = 12


@dataclass(frozen=True, slots=True)
class PrintResult:
    """What was printed: question cards, faces (cards plus intro and closing) and pages."""

    cards: int
    faces: int
    pages: int
    path: Path | None = None
    cut: tuple[str, ...] = ()  # "word (card)" for words cut where no hyphenation point fitted


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """How to print: paper, cards per page, back sides, and whether each group gets its own sheet."""

    paper: Paper | str = Paper.a4
    per_page: int = 4
    duplex: bool = False
    separate: bool = True  # one table per sheet in a table pack
    branding: Branding | None = None


def face_texts(face: Face) -> list[tuple[str, str, bool]]:
    """(where, text, bold) for everything printed on a face, as an error names it."""
    what = _("question {n}") if face.numbered else _("line {n}")
    return [
        (_("title"), face.title, True),
        (_("the deck's title"), face.deck_title, True),
        (_("label"), face.label or "", True),
        (_("content note"), face.note or "", False),
        *((_("footer"), line, False) for line in face.footer),
        *((what.format(n=n), item, False) for n, item in enumerate(face.items, start=1)),
    ]


def check_glyphs(faces: Sequence[Face]) -> None:
    """Raise LayoutError listing every character, on every card, the card font has no glyph for.

    fpdf2 would leave them out with a warning: a question in Chinese printed as a blank line.
    """
    found: list[str] = []
    chars: dict[str, None] = {}
    for face in faces:
        for where, text, bold in face_texts(face):
            missing = missing_glyphs(text, bold=bold)
            if missing:
                chars.update(dict.fromkeys(missing))
                found.append(
                    _("card '{card}' {where}: {chars}").format(
                        card=face.name, where=where, chars=" ".join(missing)
                    )
                )
    if found:
        shown = "; ".join(found[:MAX_LISTED_GLYPHS])
        if len(found) > MAX_LISTED_GLYPHS:
            shown += " " + _("and {n} more").format(n=len(found) - MAX_LISTED_GLYPHS)
        raise LayoutError(
            _(
                "the card font has no glyph for {n} character(s) ({shown}); it covers Latin, Greek and Cyrillic, not "
                "Chinese, Japanese, Korean or emoji: remove or replace them (`deck lint --print` "
                "gives their lines)"
            ).format(n=len(chars), shown=shown)
        )


def _fit_parts(face: Face, sheet_: Sheet, *, style: Style, measure: Measure) -> list[Fitted]:
    if face.kind is FaceKind.card:
        return [fit(face, sheet_.card_w, sheet_.card_h, style=style, measure=measure)]
    return split_to_fit(face, sheet_.card_w, sheet_.card_h, style=style, measure=measure)


def _even(
    fitted: list[Fitted | None],
    pages: Sequence[Sequence[int]],
    sheet_: Sheet,
    *,
    style: Style,
    measure: Measure,
) -> None:
    """One question size per sheet (per side)."""
    for page in pages:
        present = [i for i in page if fitted[i] is not None]
        evened = same_size(
            [f for i in present if (f := fitted[i]) is not None],
            sheet_.card_w,
            sheet_.card_h,
            style=style,
            measure=measure,
        )
        for i, f in zip(present, evened, strict=True):
            fitted[i] = f


def fit_faces(
    groups: Sequence[Sequence[Face]],
    sheet_: Sheet,
    *,
    separate: bool,
    measure: Measure,
    reverse: Sequence[Sequence[Face]] | None = None,
) -> tuple[list[Fitted | None], list[Fitted | None] | None, tuple[tuple[int, ...], ...]]:
    """Fit every face (an intro or closing face may become several), lay them out on pages, and
    give every sheet one type size for its questions.

    `reverse` (bilingual printing) holds the same faces in the other language, printed on the
    backs; where one language needs more cards for its intro or closing than the other, the
    other side of the extra cards is left plain (None).
    """
    style = style_for(sheet_.per_page)
    fronts: list[Fitted | None] = []
    backs: list[Fitted | None] = []
    counts: list[int] = []
    for n, group in enumerate(groups):
        before = len(fronts)
        for m, face in enumerate(group):
            front = _fit_parts(face, sheet_, style=style, measure=measure)
            other = reverse[n][m] if reverse and m < len(reverse[n]) else None
            back = _fit_parts(other, sheet_, style=style, measure=measure) if other else []
            size = max(len(front), len(back))
            fronts.extend([*front, *[None] * (size - len(front))])
            backs.extend([*back, *[None] * (size - len(back))])
        counts.append(len(fronts) - before)
    pages = paginate(counts, sheet_.per_page, separate=separate)
    _even(fronts, pages, sheet_, style=style, measure=measure)
    if reverse is None:
        return fronts, None, pages
    _even(backs, pages, sheet_, style=style, measure=measure)
    return fronts, backs, pages


@dataclass(frozen=True, slots=True)
class Rendered:
    data: bytes
    pages: int
    faces: int
    cut: tuple[str, ...]


def _cut_words(fitted: Sequence[Fitted | None], sheet_: Sheet, measure: Measure) -> tuple[str, ...]:
    """The words printing had to cut without a hyphenation point, as "word (card)"."""
    style = style_for(sheet_.per_page)
    found: dict[str, None] = {}
    for f in fitted:
        if f is not None:
            for _where, word in cut_words(f, sheet_.card_w, style=style, measure=measure):
                found[f"{word[:40]} ({f.face.name})"] = None
    return tuple(found)


# The same parameters as fit_faces above where they share work: both take the faces of a sheet.
def render(
    groups: Sequence[Sequence[Face]],
    options: PrintOptions,
    *,
    title: str,
    language: str,
    reverse: Sequence[Sequence[Face]] | None = None,
) -> Rendered:
    """Fit every face, impose them on pages; return the PDF, its page count and printed faces.

    With `reverse` (the same faces in another language) every card's back is that card in the
    other language, lined up behind its front. Every face is fitted before the first page is
    drawn, so a card that does not fit raises LayoutError and nothing is produced.
    """
    from fpdf import FPDF

    sheet_ = sheet(options.paper, options.per_page)
    check_glyphs([face for side in (groups, reverse or ()) for group in side for face in group])
    measure = Metrics()
    fronts, reverses, pages = fit_faces(
        groups, sheet_, separate=options.separate, measure=measure, reverse=reverse
    )
    branding = options.branding or Branding()
    style = style_for(sheet_.per_page)
    plain = [f or r for f, r in zip(fronts, reverses or fronts, strict=True)]
    backs = [
        _back_lines(f.face, sheet_.card_w, sheet_.card_h, style=style, measure=measure) if f else []
        for f in plain
    ]
    pdf = FPDF(orientation="portrait", unit="mm", format=(sheet_.width, sheet_.height))
    for font_style, name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, font_style, FONT_DIR / name)
    try:
        pdf.set_auto_page_break(auto=False)
        pdf.set_margins(0, 0, 0)
        count = 0
        for placement in impose(pages, duplex=options.duplex or reverse is not None):
            while count <= placement.page:
                pdf.add_page()
                _cut_marks(pdf, sheet_)
                count += 1
            rect = sheet_.slot(placement.slot, back=placement.back)
            side = (reverses or fronts) if placement.back else fronts
            fitted = side[placement.face]
            if fitted is not None and (not placement.back or reverses is not None):
                _draw_front(pdf, fitted, rect, branding=branding)
                continue
            face = plain[placement.face]
            if face is not None:
                _draw_back(pdf, face.face, backs[placement.face], rect, style=style, branding=branding)
        pdf.set_title(title)
        pdf.set_creator("stigmacards")
        pdf.set_lang(language)
        cut = _cut_words([*fronts, *(reverses or ())], sheet_, measure)
        return Rendered(bytes(pdf.output()), count, len(fronts), cut)
    finally:
        # fontTools reads the font files lazily and keeps them open; fpdf2 closes only the
        # fonts a finished document used, so close them all here, on every path.
        for font in pdf.fonts.values():
            close = getattr(font, "close", None)
            if callable(close):
                close()


def _tint(rgb: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    """`rgb` mixed with white: `share` of the colour is left."""
    r, g, b = (round(255 - (255 - c) * share) for c in rgb)
    return (r, g, b)


def _draw_front(pdf: FPDF, fitted: Fitted, rect: Rect, *, branding: Branding) -> None:
    colour = branding.colour(fitted.face.level)
    band = fitted.band
    pdf.set_fill_color(*_tint(colour, 0.22))
    pdf.rect(
        rect.x + band.x, rect.y + band.y, band.w, band.h, style="F", round_corners=True, corner_radius=1.5
    )
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.6)
    pdf.line(rect.x + band.x, rect.y + band.y + band.h, rect.x + band.x + band.w, rect.y + band.y + band.h)
    for run in fitted.runs:
        pdf.set_font(FONT_FAMILY, "B" if run.bold else "", run.size)
        pdf.set_text_color(85 if run.gray else 0)
        pdf.text(rect.x + run.x, rect.y + run.baseline, run.text)


BackLines = list[tuple[str, bool, float]]
LOGO_SHARE = 0.28  # of the card's height, at most


def _draw_back(
    pdf: FPDF, face: Face, lines: BackLines, rect: Rect, *, style: Style, branding: Branding
) -> None:
    """A back: a frame in the level's colour, the logo, the deck's title and the level, centred."""
    import io

    inset = style.padding - 1.5
    colour = branding.colour(face.level)
    pdf.set_draw_color(*colour)
    for offset, line_width in ((inset, 0.8), (inset + 1.6, 0.25)):
        pdf.set_line_width(line_width)
        pdf.rect(
            rect.x + offset,
            rect.y + offset,
            rect.w - 2 * offset,
            rect.h - 2 * offset,
            round_corners=True,
            corner_radius=2.5,
        )
    total = sum(LINE_HEIGHT * size * MM_PER_PT for _line, _bold, size in lines)
    logo_h = rect.h * LOGO_SHARE if branding.logo else 0.0
    gap = 3.0 if branding.logo else 0.0
    y = rect.y + (rect.h - total - logo_h - gap) / 2
    if branding.logo:
        ratio = branding.logo_size[0] / branding.logo_size[1]
        logo_w = min(rect.w - 2 * (inset + 6), logo_h * ratio)
        logo_h_drawn = logo_w / ratio
        pdf.image(io.BytesIO(branding.logo), x=rect.x + (rect.w - logo_w) / 2, y=y, w=logo_w, h=logo_h_drawn)
        y += logo_h + gap
    measure = Metrics()
    for line, bold, size in lines:
        pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        pdf.set_text_color(0 if bold else 70)
        pdf.text(rect.x + (rect.w - measure(line, bold, size)) / 2, y + ASCENT * size * MM_PER_PT, line)
        y += LINE_HEIGHT * size * MM_PER_PT


def _back_lines(face: Face, width: float, height: float, *, style: Style, measure: Measure) -> BackLines:
    """The back's lines (text, bold, size): the deck title as large as fits without breaking a
    word (else as large as fits, hyphenated), then the detail."""
    inset = style.padding - 1.5
    width, height = width - 2 * (inset + 5), height * (1 - LOGO_SHARE) - 2 * (inset + 4)
    detail_pt = max(MIN_SIZE_PT, style.meta_pt + 1.5)
    detail = wrap(face.back_detail, width, measure=at_size(measure, False, detail_pt), lang=face.language)
    detail_lines: BackLines = [(line, False, detail_pt) for line in detail if line]
    longest = max(face.back_title.split() or [""], key=lambda word: measure(word, True, 1.0))
    for whole_words in (True, False):
        for size in sizes(style.title_start):
            if whole_words and measure(longest, True, size) > width:
                continue
            title = wrap(face.back_title, width, measure=at_size(measure, True, size), lang=face.language)
            lines: BackLines = [(line, True, size) for line in title] + detail_lines
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
    options: PrintOptions | None = None,
    card_ids: Sequence[str] | None = None,
    max_level: int | None = None,
    sensitive: bool = True,
    intro: bool = True,
    closing: bool = True,
    back: LocalDeck | None = None,
) -> tuple[bytes, PrintResult]:
    """A deck's cards as a PDF (bytes), with the intro and closing cards when the deck has them.

    `back`, the same deck in another language, prints bilingual cards: each card's back is the
    card in that language."""
    options = options or PrintOptions()
    sheet(options.paper, options.per_page)  # a bad --paper before anything else
    cards = select_cards(deck, card_ids=card_ids, max_level=max_level, sensitive=sensitive)
    faces = deck_faces(deck, cards, intro=intro, closing=closing)
    reverse = None
    if back is not None:
        reverse = (deck_faces(back, [back.card(card.id) for card in cards], intro=intro, closing=closing),)
    done = render((faces,), options, title=clean(deck.title), language=deck.language, reverse=reverse)
    return done.data, PrintResult(cards=len(cards), faces=done.faces, pages=done.pages, cut=done.cut)


def table_pack_pdf(
    plan: PlanLike,
    local_deck: LocalDeck,
    out: Path,
    *,
    options: PrintOptions | None = None,
    intro: bool = True,
    closing: bool = True,
) -> PrintResult:
    """Write a table pack for `plan` to `out` atomically: per table, its card for every round;
    each table on sheets of its own unless `options.separate` is off."""
    options = options or PrintOptions()
    sheet(options.paper, options.per_page)
    groups = table_faces(plan, local_deck, intro=intro, closing=closing)
    done = render(groups, options, title=clean(local_deck.title), language=local_deck.language)
    write_atomic(out, done.data, mode=None)
    cards = sum(1 for group in groups for face in group if face.kind is FaceKind.card)
    return PrintResult(cards=cards, faces=done.faces, pages=done.pages, path=out, cut=done.cut)
