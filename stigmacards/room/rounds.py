"""What the room shows of a facilitated session (`play --room`): the phase, the round, each table's card, the time.

A pure translation from the play session (as the runner saves it) to the room's `Board`; the
runner calls it after every save, so the projector and the phones follow every step, pause,
extra minute and passed card the facilitator makes in the terminal.
"""

from __future__ import annotations

from stigmacards.play.state import Phase as PlayPhase
from stigmacards.play.state import Session
from stigmacards.room.room import Board, Phase


def board_for(session: Session, *, calm: bool = False) -> Board:
    """The room's board for `session` at this moment (the room stamps it with its own clock)."""
    if session.phase is PlayPhase.INTRO:
        return Board(phase=Phase.WAITING, calm=calm)
    if session.phase is PlayPhase.ROUND:
        cards: list[str | None] = [None] * session.options.tables
        for deal in session.deal.current:
            if 1 <= deal.table <= len(cards):
                cards[deal.table - 1] = deal.card_id
        remaining = session.options.seconds if session.remaining is None else session.remaining
        return Board(
            phase=Phase.ROUND,
            round=session.round,
            cards=tuple(cards),
            remaining=max(0.0, remaining),
            paused=session.paused,
            calm=calm,
        )
    # After the last round: the reflections (the runner attaches them), then the end.
    return Board(
        phase=Phase.WAITING if session.phase is PlayPhase.AFTER else Phase.CLOSED,
        round=session.round,
        calm=calm,
    )
