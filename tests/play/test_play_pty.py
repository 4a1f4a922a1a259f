"""`play` end to end in a real pseudo-terminal, pressing keys as a facilitator would."""

from __future__ import annotations

import io
import os
import shlex
import sys
from pathlib import Path

import pytest

from stigmacards.play import state as playstate

pexpect = pytest.importorskip("pexpect")

pytestmark = [pytest.mark.slow, pytest.mark.posix]

ALT_SCREEN_ON = "\x1b[?1049h"
ALT_SCREEN_OFF = "\x1b[?1049l"
CURSOR_OFF = "\x1b[?25l"
CURSOR_ON = "\x1b[?25h"


def _spawn(home: Path, *args: str, then: str = "") -> tuple[pexpect.spawn, io.StringIO]:  # type: ignore[name-defined]
    """Start `stigmacards play ARGS` (followed by the shell command `then`); returns it and its raw output."""
    env = _env(home)
    command = [sys.executable, "-m", "stigmacards", "play", *args]
    if then:
        command = ["/bin/sh", "-c", f'{shlex.join(command)}; echo "exit=$?"; {then}']
    # A signal can cut a paint short mid-character; that must not fail the test's decoding.
    child = pexpect.spawn(
        command[0],
        command[1:],
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        timeout=20,
        dimensions=(40, 100),
    )
    raw = io.StringIO()
    child.logfile_read = raw
    return child, raw


def _env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "STIGMACARDS_HOME": str(home),
        "COLUMNS": "100",
        "LINES": "40",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    env.pop("NO_COLOR", None)
    return env


def _restored(raw: str) -> bool:
    """Every alternate screen entered was left again, and the cursor shown after the last hide."""
    return raw.rfind(ALT_SCREEN_ON) < raw.rfind(ALT_SCREEN_OFF) and raw.rfind(CURSOR_OFF) < raw.rfind(
        CURSOR_ON
    )


def _finish(child: pexpect.spawn) -> int:  # type: ignore[name-defined]
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def _only_session(home: Path) -> playstate.Session:
    sessions, damaged = playstate.scan(home / "sessions")
    assert not damaged
    (session,) = sessions
    return session


def test_two_tables_two_rounds_with_a_pass_and_next(isolated_env: Path) -> None:
    """p then 1 gives table 1 a new card, n ends round 1, - runs round 2 out, Enter moves on."""
    child, raw = _spawn(
        isolated_env, "--yes", "--tables", "2", "--rounds", "2", "--minutes", "0.5", "--quiet"
    )
    child.expect("Round 1 of 2")
    child.expect("Table 2")
    child.send("p")
    child.expect("Which table gets a new card")
    child.send("1")
    child.expect("Round 1 of 2")  # the cards are drawn again, with the new one
    child.send("n")
    child.expect("Round 2 of 2")
    child.send("-")
    child.expect("Time's up")
    child.send("\r")
    child.expect("Thank you for taking part")
    assert _finish(child) == 0
    assert ALT_SCREEN_ON in raw.getvalue()
    assert _restored(raw.getvalue())
    session = _only_session(isolated_env)
    assert session.phase is playstate.Phase.DONE
    assert [(d.round, d.table) for d in session.deal.passed] == [(1, 1)]
    assert len(session.deal.rounds) == 2


def test_ctrl_c_exits_130_and_resume_finishes_the_session(isolated_env: Path) -> None:
    child, raw = _spawn(
        isolated_env, "--yes", "--tables", "2", "--rounds", "2", "--minutes", "0.5", "--quiet"
    )
    child.expect("Round 1 of 2")
    child.expect("Table 2")
    child.sendintr()
    child.expect("--resume")
    assert _finish(child) == 130
    assert _restored(raw.getvalue())
    interrupted = _only_session(isolated_env)
    assert interrupted.open
    assert interrupted.round == 1
    first_round = interrupted.deal.rounds[0]

    child, _raw = _spawn(isolated_env, "--resume", "--quiet")
    child.expect("Continuing the session")
    child.expect("Round 1 of 2")
    child.send("n")
    child.expect("Round 2 of 2")
    child.send("n")
    child.expect("Collect anonymous reflections now")  # the hand-off to cli/reflect.py
    child.send("n")
    child.expect("Thank you for taking part")
    assert _finish(child) == 0
    finished = _only_session(isolated_env)
    assert finished.phase is playstate.Phase.DONE
    assert finished.deal.rounds[0] == first_round, "resume dealt round 1 again"


def test_the_terminal_modes_are_restored_after_quitting(isolated_env: Path) -> None:
    """After q, y the same terminal echoes and reads lines again (stty runs on it afterwards)."""
    child, raw = _spawn(isolated_env, "--yes", "--minutes", "1", "--quiet", then="stty -a")
    child.expect("Round 1 of 3")
    child.send("q")
    child.expect("Quit")
    child.send("y")
    child.expect("the session is saved")
    child.expect("exit=0")
    child.expect(pexpect.EOF)
    modes = (child.before or "").split()
    assert "icanon" in modes
    assert "echo" in modes
    assert _restored(raw.getvalue())
    assert _only_session(isolated_env).open


def test_with_output_piped_the_questions_are_asked_on_the_terminal(
    isolated_env: Path, tmp_path: Path
) -> None:
    """Found by hand: `play | tee log` wrote half-drawn questions into the pipe and the log."""
    log = tmp_path / "log.txt"
    args = ["--lang", "en", "--tables", "1", "--rounds", "1", "--minutes", "1", "--max-level", "1"]
    command = [sys.executable, "-m", "stigmacards", "play", "stigma-sekswerk", *args]
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", f"{shlex.join(command)} > {shlex.quote(str(log))}"],
        env=_env(isolated_env),
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )
    child.expect(r"Deal the cards for round 1\?")
    child.send("n")
    assert _finish(child) == 0
    written = log.read_text(encoding="utf-8")
    assert "Before we start" in written
    assert "the session is saved" in written
    assert "Deal the cards" not in written
