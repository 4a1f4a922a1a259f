"""A small built-in digit font (0-9 and ':') for a timer readable from the back of a room.

rich has no big text. Glyphs are five rows of '#' and ' '; they are drawn with full blocks, or
with '#' when the console encoding cannot show blocks. `scale` doubles (triples …) every cell
for projectors.
"""

from __future__ import annotations

from functools import cache

ROWS = 5
BLOCK = "█"
ASCII_BLOCK = "#"

_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("#####", "#   #", "#   #", "#   #", "#####"),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": ("#####", "    #", "#####", "#    ", "#####"),
    "3": ("#####", "    #", " ####", "    #", "#####"),
    "4": ("#   #", "#   #", "#####", "    #", "    #"),
    "5": ("#####", "#    ", "#####", "    #", "#####"),
    "6": ("#####", "#    ", "#####", "#   #", "#####"),
    "7": ("#####", "    #", "   # ", "  #  ", "  #  "),
    "8": ("#####", "#   #", "#####", "#   #", "#####"),
    "9": ("#####", "#   #", "#####", "    #", "#####"),
    ":": ("   ", " # ", "   ", " # ", "   "),
}
CHARACTERS = frozenset(_GLYPHS)


def can_show_blocks(encoding: str) -> bool:
    """Whether text in `encoding` can carry the block character."""
    try:
        BLOCK.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def width(text: str, *, scale: int = 1) -> int:
    """Columns `render(text, scale=scale)` takes (one blank column between glyphs)."""
    if not text:
        return 0
    return (sum(len(_GLYPHS[ch][0]) for ch in text) + len(text) - 1) * scale


@cache
def render(text: str, *, scale: int = 1, ascii_only: bool = False) -> tuple[str, ...]:
    """The rows of `text` in the big font; raise ValueError for characters it does not have."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    unknown = sorted(set(text) - CHARACTERS)
    if unknown:
        raise ValueError(f"no big glyph for {''.join(unknown)!r}")
    ink = ASCII_BLOCK if ascii_only else BLOCK
    rows: list[str] = []
    for row in range(ROWS):
        line = " ".join(_GLYPHS[ch][row] for ch in text)
        line = "".join(cell * scale for cell in line).replace("#", ink)
        rows.extend([line] * scale)
    return tuple(rows)
