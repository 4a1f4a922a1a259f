"""A real pseudo-terminal for end-to-end tests: pexpect runs stigmacards, pyte shows what a person sees.

pyte is a terminal emulator with scrollback (`HistoryScreen`), so tests can ask what is on the
screen and what could be scrolled back to, not only what bytes were written. The emulated
terminal is the least forgiving kind: no alternate screen, and clearing the screen pushes what
was on it into the scrollback (as VTE-based terminals do), so only erasing the scrollback too
(ESC [3J) leaves nothing to scroll back to.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte

ROWS, COLUMNS = 24, 80


class UnforgivingScreen(pyte.HistoryScreen):  # type: ignore[misc]
    """A screen whose "clear" (ESC [2J) keeps the cleared lines in the scrollback."""

    def erase_in_display(self, how: int = 0, *args: object, **kwargs: object) -> None:
        if how == 2:
            for y in range(self.lines):
                self.history.top.append(dict(self.buffer[y]))
        super().erase_in_display(how, *args, **kwargs)


def private_env(base: Path, stigmacards_home: Path) -> dict[str, str]:
    """An environment whose HOME, XDG dirs and TMPDIR are fresh empty directories under `base`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTEST_"))}
    dirs = {
        "HOME": base / "home",
        "XDG_DATA_HOME": base / "xdg-data",
        "XDG_CONFIG_HOME": base / "xdg-config",
        "XDG_CACHE_HOME": base / "xdg-cache",
        "XDG_STATE_HOME": base / "xdg-state",
        "XDG_RUNTIME_DIR": base / "xdg-runtime",
        "TMPDIR": base / "tmp",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    env.update({k: str(v) for k, v in dirs.items()})
    env.update(
        STIGMACARDS_HOME=str(stigmacards_home),
        TERM="xterm-256color",
        NO_COLOR="1",
        LC_ALL="C.UTF-8",
        COLUMNS=str(COLUMNS),
        # pyte does not answer cursor-position requests; without this prompt_toolkit waits for one.
        PROMPT_TOOLKIT_NO_CPR="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


class Terminal:
    """stigmacards in a pseudo-terminal, with a screen and scrollback that can be read."""

    def __init__(
        self,
        *args: str,
        env: dict[str, str],
        shell: str | None = None,
        cwd: Path | None = None,
        rows: int = ROWS,
    ) -> None:
        if shell is None:
            command, argv = sys.executable, ["-m", "stigmacards", *args]
        else:
            command, argv = "/bin/sh", ["-c", shell]
        self.child = pexpect.spawn(
            command,
            argv,
            env={**env, "LINES": str(rows)},
            cwd=str(cwd) if cwd else None,
            dimensions=(rows, COLUMNS),
            encoding="utf-8",
            codec_errors="replace",
            timeout=20,
        )
        self.screen = UnforgivingScreen(COLUMNS, rows, history=5000)
        self.stream = pyte.Stream(self.screen)
        self.raw = ""

    def _pump(self, timeout: float) -> bool:
        """Read what the program wrote; False at end of output."""
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def display(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def scrollback(self) -> str:
        lines = [*self.screen.history.top, *self.screen.history.bottom]
        blank = self.screen.default_char
        return "\n".join("".join(line.get(x, blank).data for x in range(COLUMNS)).rstrip() for line in lines)

    def everything_visible(self) -> str:
        """The screen and every line that could be scrolled back to."""
        return self.scrollback() + "\n" + self.display()

    def wait_for(self, text: str, *, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.display():
            if time.monotonic() > deadline or not self._pump(0.05):
                raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.display()}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self, *, timeout: float = 20) -> int:
        """Read to the end and return the exit status (128 + N when killed by signal N)."""
        deadline = time.monotonic() + timeout
        while self._pump(0.1):
            if time.monotonic() > deadline:
                self.child.kill(9)
                raise AssertionError("the program did not end")
        self.child.close()
        if self.child.signalstatus is not None:
            return 128 + int(self.child.signalstatus)
        return int(self.child.exitstatus or 0)

    def program_pid(self) -> int:
        """The pid of stigmacards itself (the shell's child when started through a shell)."""
        children = Path(f"/proc/{self.child.pid}/task/{self.child.pid}/children")
        if children.exists() and children.read_text().split():
            return int(children.read_text().split()[0])
        return int(self.child.pid)


def new_reflection_session() -> str:
    """A fresh reflection session on the bundled default deck, in the test's STIGMACARDS_HOME."""
    from datetime import date

    from stigmacards import paths
    from stigmacards.deck.catalog import content_hash
    from stigmacards.reflections.store import ReflectionStore

    from .conftest import DECKS

    with ReflectionStore.in_home(paths.home()) as store:
        return store.create_session(
            deck_id="stigma-sekswerk",
            deck_hash=content_hash([DECKS / "stigma-sekswerk.yaml"]),
            language="en",
            group_size=6,
            day=date(2026, 11, 20),
        ).id


def typing_an_answer(term: Terminal, draft: str) -> None:
    """Accept the promise, answer the scale and the choice, and type (not submit) a free answer."""
    enter = "\r"
    term.wait_for("Start the questions?")
    term.send("y")
    term.wait_for("Question 1 of 4")
    term.send(enter)
    term.wait_for("Question 2 of 4")
    term.send(enter)
    term.wait_for("Question 3 of 4")
    term.send(draft)
    term.wait_for(draft)
