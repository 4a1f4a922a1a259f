"""Loaded by every Python started with this folder on PYTHONPATH (tests/platform/test_nowin.py).

STIGMACARDS_NOWIN=1: stigmacards' own imports see a Python without its POSIX-only parts, as on
Windows: the modules termios, tty, fcntl, resource, pty, pwd, grp are missing, and os and signal
lack fchmod, getuid, O_DIRECTORY, O_NOFOLLOW, SIGHUP, SIGTSTP, SIGWINCH, pthread_sigmask and
friends. Third-party libraries keep theirs, as they would take their own Windows paths there.
Paths, consoles and file locking still behave as on Linux: this is not Windows, it catches code
of ours that needs POSIX without a fallback.

STIGMACARDS_FAST_CLOCK=1: time.sleep returns at once and moves time.monotonic/time.time on by
the time slept, so a timer round in a child process takes no real time.
"""

from __future__ import annotations

import builtins
import os
import time
import types
from typing import Any

HIDDEN_MODULES = {"termios", "tty", "fcntl", "resource", "pty", "pwd", "grp"}
HIDDEN_NAMES = {
    "os": {
        "fchmod", "getuid", "geteuid", "getgid", "getegid", "fchown", "chown", "lchown",
        "O_DIRECTORY", "O_NOFOLLOW", "O_CLOEXEC", "fork", "forkpty", "setsid", "getpgrp", "killpg",
    },
    "signal": {
        "SIGHUP", "SIGTSTP", "SIGWINCH", "SIGALRM", "SIGQUIT", "SIGCONT", "SIGUSR1", "SIGUSR2",
        "pthread_sigmask", "setitimer", "siginterrupt",
    },
}  # fmt: skip


# STIGMACARDS_NOWIN_TESTS=1: the test suite's own modules too (to learn which need POSIX).
_PREFIXES = ("stigmacards", "tests") if os.environ.get("STIGMACARDS_NOWIN_TESTS") == "1" else ("stigmacards",)


def _ours(globals_: Any) -> bool:
    name = (globals_ or {}).get("__name__", "") or ""
    return any(name == prefix or name.startswith(prefix + ".") for prefix in _PREFIXES)


def _hide_posix() -> None:
    proxies: dict[str, types.ModuleType] = {}
    real_import = builtins.__import__

    def proxy(module: types.ModuleType) -> types.ModuleType:
        if module.__name__ not in proxies:
            hidden = HIDDEN_NAMES[module.__name__]
            stand_in = types.ModuleType(module.__name__)
            stand_in.__dict__.update({k: v for k, v in vars(module).items() if k not in hidden})
            proxies[module.__name__] = stand_in
        return proxies[module.__name__]

    def hiding_import(
        name: str, globals_: Any = None, locals_: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        if level == 0 and _ours(globals_):
            if name.split(".", maxsplit=1)[0] in HIDDEN_MODULES:
                raise ModuleNotFoundError(f"No module named '{name}' (hidden: not on Windows)", name=name)
            if name in HIDDEN_NAMES:
                module = real_import(name, globals_, locals_, fromlist, level)
                for wanted in fromlist or ():
                    if wanted in HIDDEN_NAMES[name]:
                        raise ImportError(f"cannot import name '{wanted}' from '{name}' (not on Windows)")
                return proxy(module)
        return real_import(name, globals_, locals_, fromlist, level)

    builtins.__import__ = hiding_import


def _fast_clock() -> None:
    offset = [0.0]
    real_monotonic, real_time, real_perf = time.monotonic, time.time, time.perf_counter

    def sleep(seconds: float) -> None:
        offset[0] += max(0.0, seconds)

    time.sleep = sleep
    time.monotonic = lambda: real_monotonic() + offset[0]
    time.time = lambda: real_time() + offset[0]
    time.perf_counter = lambda: real_perf() + offset[0]


if os.environ.get("STIGMACARDS_NOWIN") == "1":
    _hide_posix()
if os.environ.get("STIGMACARDS_FAST_CLOCK") == "1":
    _fast_clock()
