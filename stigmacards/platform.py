"""The one place that knows POSIX from Windows: permissions, durable renames, signals, core dumps.

Everything else calls these functions instead of reaching for `os.fchmod`, `signal.SIGHUP`,
`resource` or `os.O_DIRECTORY`, which do not exist on Windows. Each function checks for what
it needs (not for the name of the system), so a Python without a POSIX feature takes the
fallback, and `tests/platform/` can check every fallback on Linux by hiding those names.

On Windows the data folder lives in the user's own profile (AppData), which other users
cannot read; chmod there only toggles read-only, so it is skipped rather than trusted.
Key input, which needs the terminal, has its own seam in `ui/keys.py` (posix_keys, windows_keys).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Open flags that refuse to follow a symbolic link and keep descriptors out of child processes;
# 0 where the system has no such flag (Windows has neither, nor symlinks a user makes by accident).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# Terminal signals by purpose; a name that does not exist here is simply left out.
ENDING_SIGNALS = ("SIGTERM", "SIGHUP")  # end the program, terminal restored (window closed: HUP)
SUSPEND_SIGNAL = "SIGTSTP"  # Ctrl-Z
RESIZE_SIGNAL = "SIGWINCH"


def signals(*names: str) -> tuple[signal.Signals, ...]:
    """The signals among `names` that this system has."""
    found = (getattr(signal, name, None) for name in names)
    return tuple(sig for sig in found if isinstance(sig, signal.Signals))


def has_signal(name: str) -> bool:
    return bool(signals(name))


def make_private(fd: int, mode: int = 0o600) -> None:
    """Give an open file `mode`; where permissions mean little (Windows), leave it as it is."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)


def owned_by_someone_else(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to another user (never, where users have no uid)."""
    getuid = getattr(os, "getuid", None)
    return getuid is not None and info.st_uid != getuid()


def sync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` survive a power cut, where the system can.

    POSIX needs the directory itself fsynced; Windows cannot open a directory and makes the
    rename durable with the file, so there is nothing to do.
    """
    flag = getattr(os, "O_DIRECTORY", None)
    if flag is None:
        return
    with contextlib.suppress(OSError):  # some file systems cannot fsync a directory either
        fd = os.open(directory, os.O_RDONLY | flag)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def no_core_dumps() -> None:
    """A crash must not leave what people typed in a core dump (systemd-coredump keeps them).

    Windows writes no core dumps of a console program unless a debugger or WER is set up to.
    """
    try:
        import resource
    except ImportError:
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    except (ValueError, OSError):
        pass


def terminal_sequences(stream: Any, *, platform: str | None = None, windll: Any = None) -> bool:
    """Whether `stream` understands the terminal's escape sequences (wipe, alternate screen).

    POSIX terminals do. A Windows console does once its "virtual terminal processing" mode is
    on, which this switches on (Windows 10 and later, Windows Terminal); an older console
    cannot, and the caller falls back (kiosk mode then clears with `cls`).
    """
    if (sys.platform if platform is None else platform) != "win32":
        return True
    enable_vt = 0x0004  # ENABLE_VIRTUAL_TERMINAL_PROCESSING
    try:
        if windll is None:
            import ctypes

            windll = ctypes.windll  # type: ignore[attr-defined,unused-ignore]
        import msvcrt

        handle = msvcrt.get_osfhandle(stream.fileno())  # type: ignore[attr-defined,unused-ignore]
        mode = _DWord()
        if not windll.kernel32.GetConsoleMode(handle, mode.ref()):
            return False
        return bool(mode.value & enable_vt) or bool(
            windll.kernel32.SetConsoleMode(handle, mode.value | enable_vt)
        )
    except (AttributeError, OSError, ImportError, ValueError):
        return False


class _DWord:
    """A DWORD for GetConsoleMode, made with ctypes only when asked for."""

    def __init__(self) -> None:
        import ctypes

        self._value = ctypes.c_ulong(0)

    def ref(self) -> Any:
        import ctypes

        return ctypes.byref(self._value)

    @property
    def value(self) -> int:
        return int(self._value.value)


@contextlib.contextmanager
def signals_held(*sigs: signal.Signals) -> Iterator[None]:
    """Hold `sigs` back during a short critical step (a save), and deliver them after.

    Where signals cannot be blocked (Windows), the step runs as it is: there, Ctrl-C is the
    only one that can arrive, and the store's transaction makes a half-save impossible anyway.
    """
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or not sigs:
        yield
        return
    old = mask(signal.SIG_BLOCK, set(sigs))
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


# --- Terminals: the one place that asks whether a stream is one. ------------------------------


def is_terminal(stream: Any) -> bool:
    """Whether `stream` is an interactive terminal; False for pipes, files, closed or missing streams."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def stdin_is_terminal() -> bool:
    return is_terminal(sys.stdin)


def stdout_is_terminal() -> bool:
    return is_terminal(sys.stdout)


def has_terminal() -> bool:
    """True when a person can answer prompts here: standard input and output are both terminals."""
    return stdin_is_terminal() and stdout_is_terminal()
