"""Small pieces every command group shares: global state, deck resolution, output helpers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .. import paths
from ..catalog import DeckSource, open_deck
from ..i18n import _

if TYPE_CHECKING:
    from ..model import Deck, LocalDeck


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


def language_notice(deck: Deck, local: LocalDeck, *, card_ids: set[str] | None = None) -> str | None:
    """What the room sees in the deck's own language instead of the language asked for, if any.

    `card_ids`, when given, limits the list to the cards that are shown or printed.
    """
    untranslated = [c for c in local.untranslated if card_ids is None or c in card_ids]
    if untranslated:
        return _("Not translated into {lang}, shown in {own}: {cards}").format(
            lang=local.requested, own=deck.language, cards=", ".join(untranslated)
        )
    if not deck.speaks(local.requested):
        return _("The deck has no text in {lang}; it is shown in {own}.").format(
            lang=local.requested, own=deck.language
        )
    return None
