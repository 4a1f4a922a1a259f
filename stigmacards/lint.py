"""Style warnings for decks (`deck lint`, and `deck validate --strict`)."""

from __future__ import annotations

from .diagnostics import Problem
from .loading import Analysis


def lint(analysis: Analysis) -> list[Problem]:
    """Return the style warnings for a valid deck (none yet: filled in by the lint rules)."""
    return []
