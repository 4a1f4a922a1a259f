"""Small pieces every command group shares: global state, deck resolution, output helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import paths
from ..checking import OutputFormat

if TYPE_CHECKING:
    from ..catalog import DeckSource

__all__ = ["OutputFormat", "State", "load", "state"]


@dataclass
class State:
    debug: bool = False


state = State()


def load(spec: str) -> DeckSource:
    """Open a DECK argument: a bundled id, a deck under $STIGMACARDS_HOME/decks, or a path."""
    from ..catalog import open_deck

    return open_deck(spec, bundled_dir=paths.bundled_decks_dir(), user_dir=paths.user_decks_dir())
