"""Shared fixtures: every test runs with a private STIGMACARDS_HOME, fixed width, no colour."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from stigmacards import i18n
from stigmacards.cli import main
from stigmacards.ui import console as console_module

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "decks"
DATA = Path(__file__).resolve().parent / "data"

# Test modules that need a POSIX system (a pseudo-terminal, termios, SIGHUP, fork) are not
# collected where those are missing, as on Windows (docs/windows.md). Found by running the suite
# with tests/platform/nowin hiding them from the tests as well (STIGMACARDS_NOWIN_TESTS=1).
# Tests of POSIX behaviour itself carry the `posix` marker and are skipped there.
POSIX_ONLY = ["play/test_timer_pty.py", "reflections/test_reflect_signals.py"]
try:
    import termios  # noqa: F401 - only to learn whether this is a POSIX system
except ImportError:
    POSIX = False
else:
    POSIX = hasattr(signal, "SIGHUP") and hasattr(os, "fchmod")
collect_ignore = [] if POSIX else POSIX_ONLY


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if POSIX:
        return
    skip = pytest.mark.skip(reason="tests POSIX behaviour (termios, file modes, signals): not on Windows")
    for item in items:
        if item.get_closest_marker("posix"):
            item.add_marker(skip)


# A run started in the background by a non-interactive shell (`make test &`) inherits SIGINT
# ignored, and every child process would too, so the Ctrl-C tests could never see a Ctrl-C.
# A Python handler is reset to the default at exec, so children start with SIGINT as in a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Never touch the real home; pin width, colour and language."""
    home = tmp_path / "stigmacards-home"
    monkeypatch.setenv("STIGMACARDS_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.delenv("LANG", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("STIGMACARDS_LANG", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for multiplexer in ("TMUX", "TMUX_PANE", "STY", "WINDOW"):  # kiosk tests must not wipe yours
        monkeypatch.delenv(multiplexer, raising=False)
    console_module.reset()
    i18n.set_language("en")
    yield home
    console_module.reset()
    i18n.set_language("en")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


class Cli(Protocol):
    """The `cli` fixture: run the CLI in-process with these arguments."""

    def __call__(self, *args: str) -> Result: ...


def one_error_line(result: Result, code: int) -> str:
    """The one line `stigmacards: …` a failed command prints, after checking the exit code."""
    assert result.exit_code == code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("stigmacards: ")
    return lines[0]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run the CLI in-process through its real entry point; returns exit code and output."""

    def run(*args: str) -> Result:
        console_module.reset()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def run_python(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -c CODE ARGS` in a fresh process, output as text; the caller checks the exit code."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def run_process(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    input_text: str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m stigmacards ARGS` in a fresh process (for start-up, crashes, signals)."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "stigmacards", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        input=input_text,
        timeout=timeout,
        check=False,
    )
