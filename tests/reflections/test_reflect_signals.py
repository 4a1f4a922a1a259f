"""Stopping mid-answer (Ctrl-C, SIGTERM, SIGHUP) stores nothing; typed text goes nowhere but the db."""

from __future__ import annotations

import os
import re
import secrets
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stigmacards import paths
from stigmacards.reflections.store import ReflectionStore

from ..pty_terminal import Terminal, new_reflection_session, private_env, typing_an_answer

pytestmark = pytest.mark.slow

ENTER, CTRL_C = "\r", "\x03"


def stored(session_id: str) -> list[object]:
    with ReflectionStore.in_home(paths.home()) as store:
        return [r.value for r in store.reflections(session_id)]


def database_bytes() -> bytes:
    return b"".join(p.read_bytes() for p in sorted(paths.home().glob("reflections.db*")))


def terminal_settings_after(raw: str) -> tuple[int, str]:
    """The exit code and `stty -a` that the wrapping shell printed after stigmacards ended."""
    found = re.search(r"RC=(\d+)", raw)
    assert found, raw[-2000:]
    return int(found.group(1)), raw[found.end() :]


@pytest.mark.parametrize(
    ("stop", "code", "message"),
    [
        ("ctrl-c", 130, "cancelled: nothing was saved"),
        (signal.SIGTERM, 143, "terminated: nothing typed was saved"),
        (signal.SIGHUP, 129, ""),
    ],
    ids=["ctrl-c", "sigterm", "sighup"],
)
def test_stopping_while_typing_stores_nothing_and_restores_the_terminal(
    tmp_path: Path, stop: str | signal.Signals, code: int, message: str
) -> None:
    session = new_reflection_session()
    draft = "DRAFT" + secrets.token_hex(6)
    env = private_env(tmp_path, paths.home())
    shell = f"'{sys.executable}' -m stigmacards reflect {session}; echo RC=$?; stty -a"
    term = Terminal(env=env, shell=shell)
    typing_an_answer(term, draft)
    if stop == "ctrl-c":
        term.send(CTRL_C)
    else:
        os.kill(term.program_pid(), stop)
    term.finish()
    exit_code, stty = terminal_settings_after(term.raw)
    assert exit_code == code
    assert message in term.raw
    # Raw mode is undone: line editing and echo are back on.
    assert re.search(r"(?<![-\w])icanon\b", stty)
    assert re.search(r"(?<![-\w])echo\b", stty)
    assert "-icanon" not in stty
    assert stored(session) == []
    assert draft.encode() not in database_bytes()


def test_closing_the_terminal_while_typing_stores_nothing(tmp_path: Path) -> None:
    """A real hang-up: the terminal window is closed (the kernel sends SIGHUP, writes fail)."""
    session = new_reflection_session()
    draft = "DRAFT" + secrets.token_hex(6)
    term = Terminal("reflect", session, env=private_env(tmp_path, paths.home()))
    typing_an_answer(term, draft)
    term.child.ptyproc.fileobj.close()  # the terminal's side of the pty goes away
    assert term.child.wait() == 129
    assert stored(session) == []
    assert draft.encode() not in database_bytes()


def _files(root: Path, *, since: float) -> Iterator[Path]:
    for directory, _dirs, files in os.walk(root, onerror=lambda error: None):
        for name in files:
            path = Path(directory) / name
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                    yield path
            except OSError:
                continue


def test_typed_text_goes_nowhere_but_the_database(tmp_path: Path) -> None:
    """Canary: HOME, XDG dirs and TMPDIR are fresh; what a person types is found only in the db.

    One answer is submitted, one is abandoned with Ctrl-C; no history, log or temp file appears.
    """
    start = time.time() - 1
    kept, abandoned = "KEPT" + secrets.token_hex(8), "GONE" + secrets.token_hex(8)
    env = private_env(tmp_path / "env", paths.home())
    work = tmp_path / "cwd"
    work.mkdir()
    session = new_reflection_session()

    term = Terminal("reflect", session, env=env, cwd=work)
    typing_an_answer(term, kept)
    term.send(ENTER)
    term.wait_for("Question 4 of 4")
    term.send(ENTER)
    assert term.finish() == 0
    term = Terminal("reflect", session, env=env, cwd=work)
    typing_an_answer(term, abandoned)
    term.send(CTRL_C)
    assert term.finish() == 130

    assert stored(session).count(kept) == 1
    db_files = {p.resolve() for p in paths.home().glob("reflections.db*")}
    assert kept.encode() in database_bytes()  # the scan can see the canary where it is allowed
    roots = [tmp_path, Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
    found = []
    for root in roots:
        for path in _files(root, since=start):
            if path.resolve() in db_files:
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if kept.encode() in data or abandoned.encode() in data:
                found.append(path)
    assert found == []
    assert abandoned.encode() not in database_bytes()
    # Nothing at all was written to the private HOME, XDG dirs, TMPDIR or the working directory.
    assert [p for p in (tmp_path / "env").rglob("*") if p.is_file()] == []
    assert list(work.iterdir()) == []
