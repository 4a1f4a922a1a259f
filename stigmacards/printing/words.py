"""Breaking text into lines: at spaces, and a word too wide for the card at a hyphenation point.

Dutch compounds ("ervaringsdeskundigheid") are often wider than a card's line. They are broken
where a Dutch (or English) reader expects a hyphen, with the hyphen written, using pyphen's
bundled LibreOffice patterns. Only when no hyphenation point fits is a word cut where it must
be; `deck lint --print` warns about such words.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyphen

Width = Callable[[str], float]

_LETTERS = re.compile(r"[^\W\d_]+")
_BREAK_AFTER = frozenset("-/–")  # a word may break after these without an added hyphen
HYPHEN = "-"


@functools.cache
def _hyphenator(lang: str) -> pyphen.Pyphen | None:
    import pyphen

    found = pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=found) if found else None


@functools.cache
def break_points(word: str, lang: str) -> tuple[int, ...]:
    """Where `word` may break: after an inner hyphen or slash, and at its hyphenation points."""
    points = {i + 1 for i, c in enumerate(word[:-1]) if c in _BREAK_AFTER and i > 0}
    hyphenator = _hyphenator(lang)
    if hyphenator is not None:
        for run in _LETTERS.finditer(word):
            points.update(run.start() + p for p in hyphenator.positions(run.group()))
    return tuple(sorted(p for p in points if 0 < p < len(word)))


def head(word: str, point: int) -> str:
    """The part of `word` before `point`, as printed at a line's end (with its hyphen)."""
    part = word[:point]
    return part if part[-1] in _BREAK_AFTER else part + HYPHEN


def wrap(text: str, width: float, *, measure: Width, lang: str = "en") -> list[str]:
    """Break `text` into lines no wider than `width`: at spaces; a word wider than a whole line at
    a hyphenation point (filling the line it starts on); only failing that, by character."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if measure(word) <= width:
            lines.append(current)
            current = word
            continue
        rest, offset = word, 0
        points = break_points(word, lang)
        while measure(rest) > width:
            prefix = f"{current} " if current else ""
            fitting = [
                p - offset for p in points if p > offset and measure(prefix + head(rest, p - offset)) <= width
            ]
            if fitting:
                lines.append(prefix + head(rest, fitting[-1]))
            elif current:
                lines.append(current)  # try again on a line of its own
                current = ""
                continue
            else:  # no hyphenation point fits: cut where the line ends (lint warns of this)
                fitting = [max(1, _longest_prefix(rest, width, measure))]
                lines.append(rest[: fitting[-1]])
            current = ""
            rest, offset = rest[fitting[-1] :], offset + fitting[-1]
        current = rest
    if current or not lines:
        lines.append(current)
    return lines


def too_wide(text: str, width: float, *, measure: Width, lang: str = "en") -> list[str]:
    """The words of `text` that cannot be set in `width` even when broken at hyphenation points."""
    found: list[str] = []
    for word in dict.fromkeys(text.split()):
        if measure(word) <= width:
            continue
        cuts = (0, *break_points(word, lang), len(word))
        pieces = [word[a:b] + (HYPHEN if b < len(word) else "") for a, b in itertools.pairwise(cuts)]
        if any(measure(piece) > width for piece in pieces):
            found.append(word)
    return found


def _longest_prefix(word: str, width: float, measure: Width) -> int:
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo
