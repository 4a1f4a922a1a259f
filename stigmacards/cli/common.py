"""Small pieces every command group shares: global state, deck resolution, output helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stigmacards import paths
from stigmacards.deck.checking import OutputFormat
from stigmacards.i18n import _

if TYPE_CHECKING:
    import typer

    from stigmacards.deck.catalog import DeckSource
    from stigmacards.deck.model import Deck, LocalDeck
    from stigmacards.ui.prompts import Prompter

__all__ = ["OutputFormat", "State", "language_notice", "load", "make_prompter", "state"]


@dataclass
class State:
    debug: bool = False


state = State()


def load(spec: str) -> DeckSource:
    """Open a DECK argument: a bundled id, a deck under $STIGMACARDS_HOME/decks, or a path."""
    from stigmacards.deck.catalog import open_deck

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


def make_prompter(flags: str | None = None, *, kiosk: bool = False) -> Prompter:
    """The real prompter, for every command that asks (each module keeps it as a seam for tests).

    With `flags`, refuse before anything is shown when there is no terminal to ask on, naming
    the flags that answer instead. In kiosk mode Ctrl-D cancels a participant's turn.
    """
    from stigmacards.errors import UsageError
    from stigmacards.platform import stdin_is_terminal
    from stigmacards.ui.prompts import QuestionaryPrompter

    if flags is not None and not stdin_is_terminal():
        raise UsageError(_("no terminal to ask the question on (pass {flag})").format(flag=flags))
    return QuestionaryPrompter(eof_cancels=kiosk)


def global_lang(ctx: typer.Context) -> str | None:
    """`stigmacards --lang X COMMAND`: the language given before the command, if any."""
    parent = ctx.parent
    value = parent.params.get("lang") if parent is not None else None
    return value if isinstance(value, str) else None
