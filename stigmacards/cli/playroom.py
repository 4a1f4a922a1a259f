"""`play --room`: the whole session in the room — the projector and phones follow the rounds, then the reflections.

The runner drives the session from the terminal as always; after every step it tells the room
(`Runner.watch`), which shows the round, each table's card and the timer on the projector and
the table's card on each phone. After the last round the reflections go to the phones instead
of a kiosk laptop (`RoomDesk`, a `play.runner.ReflectionDesk`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from stigmacards.errors import UsageError
from stigmacards.i18n import SUPPORTED, _

if TYPE_CHECKING:
    from stigmacards.deck.model import Deck, LocalDeck
    from stigmacards.play.runner import Runner
    from stigmacards.play.state import Session
    from stigmacards.room.room import Room


@dataclass(frozen=True)
class RoomOptions:
    """`--room` and the options that go with it (the same as `stigmacards room`)."""

    host: str | None = None
    port: int = 0
    qr: bool = True
    cert: Path | None = None
    key: Path | None = None


def room_options(room: bool, *, host: str | None, port: int, no_qr: bool) -> RoomOptions | None:
    """`--room` with its options; the options alone are a usage error."""
    if not room:
        raise UsageError(_("--host, --port and --no-qr go with --room"))
    return RoomOptions(host=host, port=port, qr=not no_qr)


@contextmanager
def room_for(
    session: Session, deck: Deck, options: RoomOptions, *, calm: bool
) -> Iterator[tuple[Room, Callable[[], None]]]:
    """A room for a facilitated session, served while the block runs."""
    from stigmacards.cli import room as room_cli
    from stigmacards.deck.model import localize
    from stigmacards.room.room import Room

    language = session.options.language
    decks = {code: localize(deck, code) for code in (language, *SUPPORTED)}
    the_room = Room(language=language, decks=decks, clock=time.monotonic)
    follow(the_room, calm=calm)(session)
    with room_cli.opened(
        the_room, host=options.host, port=options.port, qr=options.qr, cert=options.cert, key=options.key
    ) as urls:
        # The terminal has shown the rounds since: show how to join again when the reflections open.
        yield the_room, lambda: room_cli.remind(the_room, urls, qr=options.qr)


def run_in_room(
    runner: Runner, options: RoomOptions, *, calm: bool, resumed: bool, now: Callable[[], datetime]
) -> None:
    """Run the session with the room following it; the reflections go to the phones."""
    with room_for(runner.session, runner.deck, options, calm=calm) as (the_room, remind):
        runner.watch = follow(the_room, calm=calm)
        runner.desk = RoomDesk(room=the_room, now=now, remind=remind)
        runner.run(resumed=resumed)


def follow(the_room: Room, *, calm: bool) -> Callable[[Session], None]:
    """The runner's `watch`: show each saved step of the session in the room."""
    from stigmacards.play.state import Phase as PlayPhase
    from stigmacards.room.rounds import board_for

    def watch(session: Session) -> None:
        if session.phase is PlayPhase.AFTER and the_room.session_id is not None:
            return  # the reflections are open: the room shows them until they are done
        the_room.show(board_for(session, calm=calm))

    return watch


@dataclass(frozen=True)
class RoomDesk:
    """Reflections on the participants' phones: opens the reflection session, then the room collects."""

    room: Room
    now: Callable[[], datetime]
    remind: Callable[[], None] = lambda: None  # how to join, shown again in the terminal

    def available(self) -> str | None:
        return None  # phones need no terminal; without one, a signal ends the reflections

    def open(self, deck: LocalDeck, *, deck_hash: str, language: str, group_size: int) -> str:
        from stigmacards.cli.kioskdesk import KioskDesk

        return KioskDesk(now=self.now).open(
            deck, deck_hash=deck_hash, language=language, group_size=group_size
        )

    def collect(self, session_id: str, deck: LocalDeck) -> None:
        from stigmacards.cli import room as room_cli
        from stigmacards.cli.kioskdesk import reopen
        from stigmacards.reflections.flow import questions_from

        opened = reopen(session_id)
        if opened is None:
            return
        store, info = opened
        with store:
            self.room.attach(
                info.id,
                {code: questions_from(local) for code, local in self.room.decks.items()},
                lambda answers: store.save_submission(info.id, answers),
                group_size=info.group_size,
                earlier=store.answered_by_at_least(info.id),
                closed_elsewhere=lambda: store.get_session(info.id).sealed,
            )
            self.remind()
            room_cli.collect(self.room, store, info)
            self.room.close()  # no more answers once the facilitator ended the reflections
