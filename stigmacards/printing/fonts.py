"""The card font: which characters it has and how wide a string is, read from the font files.

Both the PDF and the ready-to-print check (`deck lint --print`) measure with these metrics, so
the check says exactly what printing will do. fontTools comes with fpdf2.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "DejaVuSans"
MM_PER_PT = 25.4 / 72
COVERS = "Latin, Greek and Cyrillic"


@dataclass(frozen=True, slots=True)
class _Font:
    widths: dict[int, float]  # code point -> advance width, in em
    missing_width: float


@functools.cache
def _font(bold: bool) -> _Font:
    from fontTools.ttLib import TTFont

    with TTFont(FONT_DIR / FONT_FILES["B" if bold else ""], lazy=True) as font:
        per_em = float(font["head"].unitsPerEm)
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
        missing = metrics[".notdef"][0] / per_em if ".notdef" in metrics else 0.5
    return _Font(widths, missing)


class Metrics:
    """String widths in mm at a size in points; cached per (text, bold) at 1 pt."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, bool], float] = {}

    def __call__(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold)
        width = self._cache.get(key)
        if width is None:
            font = _font(bold)
            get = font.widths.get
            em = sum(get(ord(c), font.missing_width) for c in text)
            width = self._cache[key] = em * MM_PER_PT
        return width * size


def missing_glyphs(text: str, *, bold: bool = False) -> list[str]:
    """The characters of `text` the card font cannot draw (format characters such as ZWJ aside)."""
    widths = _font(bold).widths
    return [c for c in dict.fromkeys(text) if ord(c) not in widths and unicodedata.category(c) != "Cf"]


def describe(chars: Iterable[str]) -> str:
    """Missing characters as a reader can find them: the character and its code point."""
    return ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)
