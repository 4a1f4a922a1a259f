"""Reflections after `play`: this laptop passed round in kiosk mode (a `play.runner.ReflectionDesk`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from stigmacards.cli.env import ENV
from stigmacards.deck.model import LocalDeck
from stigmacards.errors import SessionError
from stigmacards.i18n import _

if TYPE_CHECKING:
    from stigmacards.reflections.store import ReflectionStore, SessionInfo


@dataclass(frozen=True, slots=True)
class KioskDesk:
    """Opens the reflection session in the store and runs kiosk mode on it (cli/kiosk.py)."""

    now: Callable[[], datetime]

    def available(self) -> str | None:
        from stigmacards.cli.asking import has_terminal

        if has_terminal():
            return None
        return _("--reflect needs a terminal for kiosk mode: no reflections collected now.")

    def open(self, deck: LocalDeck, *, deck_hash: str, language: str, group_size: int) -> str:
        from stigmacards.reflections.store import ReflectionStore

        with ReflectionStore.in_home(ENV.home()) as store:
            store.ensure_writable()
            info = store.create_session(
                deck_id=deck.id,
                deck_hash=deck_hash,
                language=language,
                group_size=group_size,
                day=self.now().date(),
            )
        ENV.console().print(
            _("Reflection session {id} ({n} people).").format(id=info.id, n=group_size),
            markup=False,
            highlight=False,
        )
        return info.id

    def collect(self, session_id: str, deck: LocalDeck) -> None:
        from stigmacards.cli.asking import signals_end_the_turn
        from stigmacards.cli.kiosk import run_kiosk
        from stigmacards.platform import no_core_dumps
        from stigmacards.reflections.flow import questions_from

        no_core_dumps()
        with signals_end_the_turn():
            opened = reopen(session_id)
            if opened is None:
                return
            store, info = opened
            with store:
                run_kiosk(store, info, questions_from(deck), title=deck.title)


def reopen(session_id: str) -> tuple[ReflectionStore, SessionInfo] | None:
    """The reflection session opened after the rounds; None (and why, in yellow) when it was closed meanwhile."""
    from stigmacards.cli.reflect import open_session

    try:
        return open_session(session_id)
    except SessionError as exc:  # closed with `session close` in the meantime
        ENV.console().print(str(exc), style="yellow", markup=False, highlight=False)
        return None
