"""Keys as the rest of the program sees them, whatever the keyboard: names, splitting, the protocol.

Shared by the POSIX terminal reader (ui/posix_keys.py), the Windows console reader
(ui/windows_keys.py) and the choice between them (ui/keys.py).
"""

from __future__ import annotations

import re
from typing import Protocol

ENTER = "\n"
ESCAPE = "\x1b"
SPACE = " "
# Not a key: the terminal changed size; displays redraw.
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
