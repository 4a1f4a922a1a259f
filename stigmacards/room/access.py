"""Who may open which page: unguessable tokens, the short room code, and guessing it slowly.

The join and projector URLs carry independent random tokens (160 bits each, from `secrets`), so
neither can be derived from the other or guessed. People who type instead of scanning use the
short room code on the start page; a code of 6 of 19 unambiguous letters (47 million codes) is
only safe because wrong guesses cost time: each client gets a few free tries, then waits longer
after every wrong one, and the whole room takes at most a bounded number of wrong codes a minute,
so guessing from many addresses is as slow as from one.
"""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from stigmacards.reflections.flow import CODE_LETTERS

TOKEN_BYTES = 20  # 160 bits: the issue asks for at least 128
ROOM_CODE_LENGTH = 6
FREE_TRIES = 5  # typos are common on a phone keyboard
FIRST_WAIT = 2.0  # seconds after the first wrong code beyond the free ones, doubling
MAX_WAIT = 600.0
ROOM_WRONG_PER_MINUTE = 60  # for all clients together
MAX_CLIENTS = 4096  # the throttle's memory is bounded: the oldest entries go first


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_room_code(choice: Callable[[str], str] = secrets.choice) -> str:
    return "".join(choice(CODE_LETTERS) for _ in range(ROOM_CODE_LENGTH))


def same_secret(expected: str, given: str) -> bool:
    """Compare in constant time; any type or encoding problem is simply 'not the same'."""
    try:
        return hmac.compare_digest(expected.encode(), given.encode())
    except (AttributeError, UnicodeEncodeError):
        return False


def normal_code(typed: str) -> str:
    """What a participant typed, as a code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[: ROOM_CODE_LENGTH * 2]


@dataclass
class _Client:
    wrong: int = 0
    until: float = 0.0


@dataclass
class CodeThrottle:
    """Wrong room codes cost time, per client and for the whole room.

    `clock` is a monotonic clock in seconds (injected: tests never sleep). Client keys are held
    in memory only, for this purpose only, and never written anywhere.
    """

    clock: Callable[[], float]
    _clients: OrderedDict[str, _Client] = field(default_factory=OrderedDict)
    _room_wrong: list[float] = field(default_factory=list)

    def wait(self, client: str) -> float:
        """Seconds `client` must wait before a code is even compared (0: try now)."""
        now = self.clock()
        self._room_wrong = [t for t in self._room_wrong if now - t < 60.0]
        if len(self._room_wrong) >= ROOM_WRONG_PER_MINUTE:
            return 60.0 - (now - self._room_wrong[0])
        found = self._clients.get(client)
        return max(0.0, found.until - now) if found else 0.0

    def wrong(self, client: str) -> float:
        """Count a wrong code; return how long this client now waits."""
        now = self.clock()
        self._room_wrong.append(now)
        found = self._clients.pop(client, None) or _Client()
        found.wrong += 1
        if found.wrong > FREE_TRIES:
            found.until = now + min(FIRST_WAIT * 2.0 ** min(found.wrong - FREE_TRIES - 1, 16), MAX_WAIT)
        self._clients[client] = found
        while len(self._clients) > MAX_CLIENTS:
            self._clients.popitem(last=False)
        return max(0.0, found.until - now)

    def right(self, client: str) -> None:
        self._clients.pop(client, None)


def try_code(throttle: CodeThrottle, code: str, typed: str, client: str) -> tuple[bool, float]:
    """(True, 0) when `typed` is the room code; else (False, seconds to wait before the next try)."""
    waiting = throttle.wait(client)
    if waiting > 0:
        return False, waiting
    if same_secret(code, normal_code(typed)):
        throttle.right(client)
        return True, 0.0
    return False, throttle.wrong(client)
