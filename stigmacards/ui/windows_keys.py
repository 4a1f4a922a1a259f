"""Keys from the Windows console (msvcrt): the other side of the key-input seam in ui/keys.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from stigmacards.ui.keycodes import ENTER

# The second half of a Windows console's two-character keys (after "\x00" or "\xe0"), as the
# ANSI sequences a POSIX terminal sends, so the rest of the program sees one kind of key.
_WINDOWS_SPECIAL = {"H": "\x1b[A", "P": "\x1b[B", "M": "\x1b[C", "K": "\x1b[D", "G": "\x1b[H", "O": "\x1b[F"}


class WindowsKeys:
    """Keys from the Windows console (msvcrt), the counterpart of `TerminalKeys`.

    msvcrt reads a key without echo and without waiting for Enter, but cannot wait with a
    timeout, so `read` looks every 20 ms: a few hundred cheap calls a minute while a round runs.
    Ctrl-C still raises KeyboardInterrupt; Windows has no Ctrl-Z job control and no resize signal.
    """

    POLL = 0.02

    def __init__(
        self,
        console: Any = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if console is None:
            import msvcrt

            console = msvcrt
        self._console = console
        self._monotonic = monotonic
        self._sleep = sleep

    def __enter__(self) -> Self:
        while self._console.kbhit():  # keys typed before the round started must not act in it
            self._console.getwch()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def read(self, timeout: float) -> str | None:
        deadline = self._monotonic() + max(0.0, timeout)
        while not self._console.kbhit():
            left = deadline - self._monotonic()
            if left <= 0:
                return None
            self._sleep(min(self.POLL, left))
        key = self._console.getwch()
        if key in ("\x00", "\xe0"):  # an arrow or function key: a second character says which
            return _WINDOWS_SPECIAL.get(self._console.getwch())
        return ENTER if key == "\r" else key
