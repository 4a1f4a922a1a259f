"""Raw key input: one key at a time, with a timeout that is also the timer's only wait.

`TerminalKeys` puts the terminal in cbreak mode (no echo, no line buffering; Ctrl-C still
raises KeyboardInterrupt) and waits in `select()`, so a waiting timer uses no CPU. It is a
context manager that always puts the terminal back as it was. `NoKeys` is for when stdin is
not a terminal: it only waits.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import select
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, Protocol, Self

ENTER = "\n"
ESCAPE = "\x1b"
SPACE = " "
# Not a key: the terminal changed size (SIGWINCH); displays redraw.
RESIZE = "\x00resize"

# One key per match: CSI / SS3 escape sequences (arrows, function keys), Alt+key, or one character.
_KEY = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1bO.|\x1b.|.", re.DOTALL)


class KeySource(Protocol):
    def read(self, timeout: float) -> str | None:
        """One key, or None after `timeout` seconds without one."""
        ...


def split_keys(text: str) -> list[str]:
    """Split what the terminal sent into keys; Enter is always '\\n'."""
    return ["\n" if key == "\r" else key for key in _KEY.findall(text)]


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


def open_keys() -> contextlib.AbstractContextManager[KeySource]:
    """The keyboard of the terminal on stdin: a POSIX terminal's or the Windows console's."""
    try:
        import termios  # noqa: F401 - only to learn whether this is a POSIX terminal
    except ImportError:
        try:
            return WindowsKeys()
        except ImportError:  # neither: keys cannot be read one at a time here
            return contextlib.nullcontext(NoKeys())
    return TerminalKeys()


class NoKeys:
    """No keyboard (stdin is not a terminal): reading just waits out the timeout."""

    def read(self, timeout: float) -> str | None:
        # Nothing can wake us early, so this is the one plain wait the timer makes.
        time.sleep(max(0.0, timeout))
        return None


def stdin_is_terminal() -> bool:
    try:
        return os.isatty(sys.stdin.fileno())
    except (ValueError, OSError, AttributeError):
        return False
