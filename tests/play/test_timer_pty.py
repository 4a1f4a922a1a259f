"""`stigmacards timer` in a real pseudo-terminal, as a person runs it (slow: real seconds pass)."""

from __future__ import annotations

import io
import os
import re
import signal
import sys
import termios
import time

import pexpect
import pytest

from ..conftest import run_process

pytestmark = pytest.mark.slow

ENTER_ALT, LEAVE_ALT = "\x1b[?1049h", "\x1b[?1049l"
HIDE_CURSOR, SHOW_CURSOR = "\x1b[?25l", "\x1b[?25h"


def spawn(*args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    return pexpect.spawn(
        sys.executable,
        ["-m", "stigmacards", "timer", *args],
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        codec_errors="replace",
        timeout=20,
    )


def finish(child: pexpect.spawn) -> tuple[int | None, str]:
    """Wait for the end; return the exit status and everything the child wrote."""
    child.expect(pexpect.EOF)
    seen = child.logfile_read.getvalue() if child.logfile_read else ""
    child.close()
    return child.exitstatus, seen


def recorded(child: pexpect.spawn) -> pexpect.spawn:
    child.logfile_read = io.StringIO()
    return child


def assert_restored(output: str) -> None:
    assert output.rfind(LEAVE_ALT) > output.rfind(ENTER_ALT) >= 0
    assert output.rfind(SHOW_CURSOR) > output.rfind(HIDE_CURSOR) >= 0


def test_counts_down_rings_and_waits_for_enter() -> None:
    child = recorded(spawn("0.05"))
    child.expect("Time's up")
    time.sleep(0.5)
    assert child.isalive(), "it must wait for the facilitator at zero"
    child.send("\r")
    status, output = finish(child)
    assert status == 0
    assert "\x07" in output
    assert_restored(output)
    assert "Time's up." in output[output.rfind(LEAVE_ALT) :]


def test_space_pauses_and_q_then_y_quits() -> None:
    child = recorded(spawn("1"))
    child.expect("space pause")
    child.expect(pexpect.TIMEOUT, timeout=1.2)
    child.send(" ")
    child.expect("Paused")
    child.expect(pexpect.TIMEOUT, timeout=1.6)  # over a second passes while paused
    assert "█" not in child.before, "nothing may tick while paused"
    child.send("q")
    child.expect(r"Quit\? y/n")
    child.send("y")
    status, output = finish(child)
    assert status == 0
    assert_restored(output)
    assert re.search(r"Stopped with 0:5\d left", output[output.rfind(LEAVE_ALT) :])


def test_ctrl_c_exits_130_with_the_terminal_restored() -> None:
    child = recorded(spawn("1"))
    child.expect("space pause")
    fd = child.child_fd
    assert not termios.tcgetattr(fd)[3] & termios.ECHO  # cbreak: no echo during the round
    child.sendintr()
    child.expect(pexpect.EOF)
    lflag = termios.tcgetattr(fd)[3]
    output = child.logfile_read.getvalue()
    child.close()
    assert child.exitstatus == 130
    assert lflag & termios.ECHO
    assert lflag & termios.ICANON
    assert_restored(output)


def test_sigterm_exits_143_with_the_terminal_restored() -> None:
    child = recorded(spawn("1", "--calm"))
    child.expect("about one minute left")
    child.kill(signal.SIGTERM)
    status, output = finish(child)
    assert status == 143
    assert_restored(output)


def test_plain_in_a_terminal_still_takes_keys() -> None:
    child = recorded(spawn("1", "--plain"))
    child.expect(r"Timer started: 1:00\. Press \? for the keys\.")
    child.send("n")
    status, output = finish(child)
    assert status == 0
    assert "Round ended with" in output
    assert ENTER_ALT not in output


def test_plain_when_piped_prints_only_the_few_lines() -> None:
    result = run_process("timer", "0.01", env={"NO_COLOR": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Timer started: 0:01.", "Time's up."]
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
