"""Raw key input: one key at a time, with a timeout that is also the timer's only wait.

The seam: `open_keys` picks the POSIX terminal's reader (`TerminalKeys`, ui/posix_keys.py:
cbreak mode, waiting in `select()`, so a waiting timer uses no CPU) or the Windows console's
(`WindowsKeys`, ui/windows_keys.py). Both are context managers that put the terminal back as
it was. `NoKeys` is for when stdin is not a terminal: it only waits.
"""

from __future__ import annotations

import contextlib
import time

from stigmacards import platform
from stigmacards.ui import posix_keys
from stigmacards.ui.keycodes import ENTER, ESCAPE, RESIZE, SPACE, KeySource, split_keys
from stigmacards.ui.posix_keys import TerminalKeys
from stigmacards.ui.windows_keys import WindowsKeys

__all__ = [
    "ENTER",
    "ESCAPE",
    "RESIZE",
    "SPACE",
    "KeySource",
    "NoKeys",
    "TerminalKeys",
    "WindowsKeys",
    "open_keys",
    "split_keys",
    "stdin_is_terminal",
]


def open_keys() -> contextlib.AbstractContextManager[KeySource]:
    """The keyboard of the terminal on stdin: a POSIX terminal's or the Windows console's."""
    if posix_keys.available():
        return TerminalKeys()
    try:
        return WindowsKeys()
    except ImportError:  # neither: keys cannot be read one at a time here
        return contextlib.nullcontext(NoKeys())


class NoKeys:
    """No keyboard (stdin is not a terminal): reading just waits out the timeout."""

    def read(self, timeout: float) -> str | None:
        # Nothing can wake us early, so this is the one plain wait the timer makes.
        time.sleep(max(0.0, timeout))
        return None


stdin_is_terminal = platform.stdin_is_terminal  # the one terminal check lives in platform.py
