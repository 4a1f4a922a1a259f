"""Where cards go on paper: the sheet's grid, duplex mirroring, and which face goes on which page.

Pure geometry in millimetres; nothing here draws.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from stigmacards.errors import UsageError
from stigmacards.i18n import _

MARGIN_MM = 10.0  # unprintable border of most office printers; crop marks live in it
PER_PAGE_CHOICES = (4, 8)


class Paper(enum.StrEnum):
    a4 = "a4"
    letter = "letter"


PAPER_SIZES_MM = {Paper.a4: (210.0, 297.0), Paper.letter: (215.9, 279.4)}


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


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


def paginate(groups: Sequence[int], per_page: int, *, separate: bool) -> tuple[tuple[int, ...], ...]:
    """The faces (numbered 0, 1, … across the groups) on each page, in reading order.

    `groups` holds the number of faces in each group (a table's pack). With `separate`, every
    group starts on a new page, so no page holds two tables' cards; otherwise they run on.
    """
    pages: list[list[int]] = []
    face = 0
    for size in groups:
        for n in range(size):
            if not pages or len(pages[-1]) == per_page or (separate and n == 0):
                pages.append([])
            pages[-1].append(face)
            face += 1
    return tuple(tuple(page) for page in pages)


@dataclass(frozen=True, slots=True)
class Placement:
    """Face number `face` goes in slot `slot` of page `page` (0-based); `back` for its reverse."""

    page: int
    slot: int
    face: int
    back: bool


def impose(pages: Sequence[Sequence[int]], *, duplex: bool) -> tuple[Placement, ...]:
    """Where every face (and, for duplex, every back) goes: each page of fronts is followed by
    its page of backs, each back in the slot that lies behind its front."""
    placements: list[Placement] = []
    sides = 2 if duplex else 1
    for number, faces in enumerate(pages):
        for side in range(sides):
            page = number * sides + side
            placements.extend(Placement(page, slot, face, back=side == 1) for slot, face in enumerate(faces))
    return tuple(placements)
