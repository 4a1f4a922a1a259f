"""Small pieces every command group shares: global state, deck resolution, output helpers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .. import paths
from ..catalog import DeckSource, open_deck


@dataclass
class State:
    debug: bool = False


state = State()


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def load(spec: str) -> DeckSource:
    """Open a DECK argument: a bundled id, a deck under $STIGMACARDS_HOME/decks, or a path."""
    return open_deck(spec, bundled_dir=paths.bundled_decks_dir(), user_dir=paths.user_decks_dir())
