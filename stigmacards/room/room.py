"""The room: one open session served to phones and a projector, changed by the facilitator.

Shared between the web server's thread (phones, projector) and the facilitator's terminal (keys,
counts), so every change happens under one lock and bumps `version`; the web side waits for a
new version to push live updates. What the room knows about a phone is only its `Phone` (a
random cookie value, a language, an unsaved draft): no address, no device, no time. The count
of submissions is all the facilitator and the projector ever see of the reflections.
"""

from __future__ import annotations

import enum
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from stigmacards.errors import SessionError, StoreError
from stigmacards.room.access import CodeThrottle, new_room_code, new_token, try_code
from stigmacards.room.phones import Ending, Phone

if TYPE_CHECKING:
    from stigmacards.deck.model import LocalDeck
    from stigmacards.reflections.flow import Question
    from stigmacards.reflections.store import Answer

# Phones that never finish are forgotten oldest first beyond this many (a bound on memory
# whatever a client does); finished ones are kept, so a phone cannot answer twice.
MAX_OPEN_PHONES = 2000


class Phase(enum.StrEnum):
    WAITING = "waiting"  # `play --room` before the first round
    ROUND = "round"
    REFLECT = "reflect"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Board:
    """What the projector shows and the phones follow: the phase, the round, each table's card, the timer.

    `remaining` was measured at `stamp` (the room's monotonic clock); while the timer runs the
    pages count down from it themselves, so the server only speaks when something changes.
    """

    phase: Phase = Phase.REFLECT
    round: int = 0
    cards: tuple[str | None, ...] = ()  # card id per table (table n is cards[n - 1])
    remaining: float = 0.0
    paused: bool = False
    stamp: float = 0.0
    calm: bool = False  # hide the seconds, as the terminal's calm mode


class Admission(enum.StrEnum):
    OPEN = "open"
    FULL = "full"
    CLOSED = "closed"


@dataclass
class Room:
    """The state of one room; `save` stores one submission (the store's save_submission).

    `room SESSION` makes it with its reflection session; `play --room` makes it for the rounds
    and `attach`es the reflection session when the rounds are over.
    """

    language: str
    decks: Mapping[str, LocalDeck]  # the session's deck in each language a phone can choose
    clock: Callable[[], float]
    session_id: str | None = None
    questions: Mapping[str, tuple[Question, ...]] = field(default_factory=dict)
    save: Callable[[Sequence[Answer]], None] | None = None
    # Asked when a save is refused: True when the session was closed elsewhere (`session close`).
    closed_elsewhere: Callable[[], bool] | None = None
    group_size: int | None = None
    earlier: int = 0  # people who had answered before this room opened (a lower bound)
    join_token: str = field(default_factory=new_token)
    screen_token: str = field(default_factory=new_token)
    code: str = field(default_factory=new_room_code)
    board: Board = field(default_factory=Board)
    saved: int = 0
    version: int = 0
    phones: OrderedDict[str, Phone] = field(default_factory=OrderedDict)
    throttle: CodeThrottle | None = None  # made from `clock` when not given
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _listeners: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.throttle is None:
            self.throttle = CodeThrottle(clock=self.clock)

    # --- reading --------------------------------------------------------------------------

    @property
    def count(self) -> int:
        """People who have answered in this session, at least: before this room and in it."""
        return self.earlier + self.saved

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.decks)

    def admission(self) -> Admission:
        if self.board.phase is Phase.CLOSED or self.save is None:
            return Admission.CLOSED
        if self.group_size is not None and self.count >= self.group_size:
            return Admission.FULL
        return Admission.OPEN

    def remaining(self) -> float:
        board = self.board
        if board.paused or board.phase is not Phase.ROUND:
            return board.remaining
        return max(0.0, board.remaining - (self.clock() - board.stamp))

    def try_code(self, typed: str, client: str) -> tuple[bool, float]:
        """Whether `typed` is the room code, and else how long `client` waits before trying again."""
        with self._lock:
            assert self.throttle is not None
            return try_code(self.throttle, self.code, typed, client)

    def phone(self, phone_id: str | None) -> Phone | None:
        with self._lock:
            return self.phones.get(phone_id) if phone_id else None

    # --- phones ---------------------------------------------------------------------------

    def new_phone(self, lang: str | None = None) -> Phone:
        with self._lock:
            phone = Phone(
                id=new_token(), lang=lang if lang is not None and lang in self.decks else self.language
            )
            self.phones[phone.id] = phone
            self._forget_idle()
            return phone

    def _forget_idle(self) -> None:
        open_ids = [pid for pid, phone in self.phones.items() if phone.ending is None]
        for pid in open_ids[: max(0, len(open_ids) - MAX_OPEN_PHONES)]:
            del self.phones[pid]

    def submit(self, phone: Phone) -> Ending | None:
        """Save the phone's draft as one submission; None when it was not saved (try again)."""
        with self._lock:
            if self.save is None:
                phone.unsaved = True
                return None
            # Never linked to a table's card in the room: a table is a handful of people.
            answers = phone.draft.answers(card_id=None)
            if not answers:
                phone.finish(Ending.EMPTY)
                return Ending.EMPTY
            if self.admission() is not Admission.OPEN:
                phone.unsaved = True
                return None
            try:
                self.save(answers)
            except (SessionError, StoreError) as error:
                phone.unsaved = True  # the draft stays: try again, or discard
                ended = isinstance(error, SessionError) and self._ended_elsewhere()
            else:
                ended = False
                self.saved += 1
                phone.finish(Ending.SAVED)
        if ended:
            self.close()  # every phone now says the session has ended
            return None
        self._changed()
        return None if phone.unsaved else Ending.SAVED

    def _ended_elsewhere(self) -> bool:
        try:
            return self.closed_elsewhere is not None and self.closed_elsewhere()
        except (SessionError, StoreError):
            return False

    def discard(self, phone: Phone) -> None:
        with self._lock:
            phone.finish(Ending.DISCARDED)

    # --- the facilitator ------------------------------------------------------------------

    def show(self, board: Board) -> None:
        with self._lock:
            self.board = replace(board, stamp=self.clock())
        self._changed()

    def attach(
        self,
        session_id: str,
        questions: Mapping[str, tuple[Question, ...]],
        save: Callable[[Sequence[Answer]], None],
        *,
        group_size: int | None,
        earlier: int = 0,
        closed_elsewhere: Callable[[], bool] | None = None,
    ) -> None:
        """Open the reflections of `session_id` to the phones (after the rounds of `play --room`)."""
        with self._lock:
            self.session_id, self.questions, self.save = session_id, questions, save
            self.closed_elsewhere = closed_elsewhere
            self.group_size, self.earlier = group_size, earlier
        self.show(replace(self.board, phase=Phase.REFLECT))

    def resize(self, group_size: int, apply: Callable[[int], None] | None = None) -> None:
        """A new group size; `apply` stores it first (under the lock that also guards saving)."""
        with self._lock:
            if apply is not None:
                apply(group_size)
            self.group_size = group_size
        self._changed()

    def one_more(self, apply: Callable[[int], None] | None = None) -> int:
        """Let one more person answer (the facilitator's g): the group size after it, stored by `apply`."""
        with self._lock:
            size = max(self.group_size or 0, self.count) + 1
            self.resize(size, apply)
        return size

    def part_way(self) -> int:
        """Phones that accepted the promise and have not finished: their drafts end with the room."""
        with self._lock:
            return sum(1 for phone in self.phones.values() if phone.accepted and phone.ending is None)

    def close(self) -> None:
        """No more answers: phones that are part-way see that the session has ended, their drafts dropped."""
        with self._lock:
            for phone in self.phones.values():
                if phone.ending is None:
                    phone.forget_draft()
        self.show(replace(self.board, phase=Phase.CLOSED))

    # --- live updates ---------------------------------------------------------------------

    def listen(self, callback: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(callback)

    def _changed(self) -> None:
        with self._lock:
            self.version += 1
            listeners = list(self._listeners)
        for callback in listeners:
            callback()

    def snapshot(self) -> dict[str, object]:
        """What the live updates send: counts and the board, never anything a participant wrote."""
        with self._lock:
            board = self.board
            return {
                "version": self.version,
                "phase": board.phase.value,
                "round": board.round,
                "remaining": round(self.remaining(), 1),
                "paused": board.paused,
                "calm": board.calm,
                "count": self.count,
                "full": self.admission() is Admission.FULL,
                "group": self.group_size,
            }
