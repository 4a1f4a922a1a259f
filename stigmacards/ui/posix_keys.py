"""Keys from a POSIX terminal: cbreak mode, select() as the only wait, SIGWINCH for resizes.

One side of the key-input seam (ui/keys.py chooses); the Windows console's side is
ui/windows_keys.py. termios and tty are imported where used, so importing this module is safe
everywhere.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import signal
import sys
from collections import deque
from types import FrameType, TracebackType
from typing import Any, Self

from stigmacards.ui.keycodes import RESIZE, split_keys


def available() -> bool:
    """Whether this Python can put a terminal in cbreak mode (not on Windows)."""
    try:
        import termios  # noqa: F401 - only to learn whether this is a POSIX system
        import tty  # noqa: F401
    except ImportError:
        return False
    return True


class TerminalKeys:
    """Keys from a terminal on `fd` (stdin by default), in cbreak mode while entered."""

    def __init__(self, fd: int | None = None) -> None:
        self._fd = sys.stdin.fileno() if fd is None else fd
        self._saved: list[Any] | None = None
        self._pending: deque[str] = deque()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._eof = False
        self._wake_r = -1
        self._wake_w = -1
        self._previous_winch: object = None
        self._watching_winch = False

    def __enter__(self) -> Self:
        import termios
        import tty

        self._saved = termios.tcgetattr(self._fd)
        try:
            # TCSAFLUSH: keys typed before the round started must not act in it.
            tty.setcbreak(self._fd, termios.TCSAFLUSH)
            self._watch_resize()
        except BaseException:
            self._restore()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._restore()

    def suspend(self) -> None:
        """Put the terminal back as it was (Ctrl-Z); `resume` takes it again."""
        import termios

        if self._saved is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def resume(self) -> None:
        import termios
        import tty

        if self._saved is not None:
            with contextlib.suppress(termios.error, OSError):
                tty.setcbreak(self._fd, termios.TCSANOW)

    def read(self, timeout: float) -> str | None:
        if self._pending:
            return self._pending.popleft()
        timeout = max(0.0, timeout)
        watched = [self._fd] if not self._eof else []
        if self._wake_r >= 0:
            watched.append(self._wake_r)
        # select() is the waiting: it returns at the timeout, on a key, or on a resize.
        ready, _, _ = select.select(watched, [], [], timeout)
        if self._wake_r in ready:
            self._drain_wake()
            return RESIZE
        if self._fd not in ready:
            return None
        try:
            data = os.read(self._fd, 64)
        except OSError:
            data = b""
        if not data:
            # The terminal is gone; from now on only wait (no busy loop on a dead descriptor).
            self._eof = True
            return None
        self._pending.extend(split_keys(self._decoder.decode(data)))
        return self._pending.popleft() if self._pending else None

    def _watch_resize(self) -> None:
        try:
            self._wake_r, self._wake_w = os.pipe()
            os.set_blocking(self._wake_w, False)
            self._previous_winch = signal.signal(signal.SIGWINCH, self._on_winch)
            self._watching_winch = True
        except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGWINCH
            self._close_wake()

    def _on_winch(self, signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(OSError):  # pipe full: a redraw is already due
            os.write(self._wake_w, b"w")

    def _drain_wake(self) -> None:
        with contextlib.suppress(OSError):
            os.read(self._wake_r, 1024)

    def _close_wake(self) -> None:
        if self._watching_winch:
            self._watching_winch = False
            previous = self._previous_winch
            # None means a handler not set from Python: the default is the closest we can restore.
            signal.signal(signal.SIGWINCH, previous if previous is not None else signal.SIG_DFL)  # type: ignore[arg-type]
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1

    def _restore(self) -> None:
        import termios

        self._close_wake()
        if self._saved is not None:
            saved, self._saved = self._saved, None
            with contextlib.suppress(termios.error, OSError):  # the terminal is gone (hang-up)
                termios.tcsetattr(self._fd, termios.TCSADRAIN, saved)
