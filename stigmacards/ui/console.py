"""The one module that owns the terminal: a stdout console and a stderr console.

rich honours NO_COLOR and TERM=dumb itself. Everything a deck or a participant wrote is
wrapped in `Text` after `inert()`, never printed as markup.
"""

from __future__ import annotations

from functools import cache

from rich.console import Console


@cache
def console() -> Console:
    return Console(highlight=False, emoji=False)


@cache
def error_console() -> Console:
    return Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def reset() -> None:
    """Forget the consoles (tests change the environment between runs)."""
    console.cache_clear()
    error_console.cache_clear()
