"""No file makes `deck validate`, `deck show` or `deck list` print a traceback.

Unreadable paths are usage errors (exit 2, one line); broken decks are deck errors (exit 1);
Ctrl-C is exit 130 with one line; `--debug` is the way to see a traceback.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from stigmacards.deck import events, loading, reading
from stigmacards.errors import UsageError

from ..conftest import DATA, Result, one_error_line

Cli = Callable[..., Result]
HOSTILE = DATA / "hostile"
VALID = "deck: 1\nid: geldig\ntitle: Geldig\nlanguage: nl\ncards:\n  - id: een\n    questions: [Een?, Twee?, Drie?]\n"


def test_a_directory_given_to_show_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    line = one_error_line(cli("deck", "show", str(tmp_path)), 2)
    assert "is a directory" in line


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_a_device_is_not_read(cli: Cli) -> None:
    """/dev/zero never ends: only regular files are read."""
    line = one_error_line(cli("deck", "show", "/dev/zero"), 2)
    assert "not a regular file" in line
    one_error_line(cli("deck", "validate", "/dev/zero"), 2)


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command", ["show", "validate"])
def test_a_fifo_does_not_hang(cli: Cli, tmp_path: Path, command: str) -> None:
    """Opening a FIFO for reading would wait for a writer forever; we refuse it instead."""
    fifo = tmp_path / "deck.yaml"
    os.mkfifo(fifo)
    one_error_line(cli("deck", command, str(fifo)), 2)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_read_regular_file_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "deck.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        reading.read_regular_file(fifo)


def test_a_missing_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    for command in ("show", "validate"):
        line = one_error_line(cli("deck", command, str(tmp_path / "nope.yaml")), 2)
        assert "nope.yaml" in line


def _deny(monkeypatch: pytest.MonkeyPatch, target: Path, exc: OSError) -> None:
    """Make opening `target` fail as the OS would (tests may run as root, which reads anything)."""
    real_open = os.open

    def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(path)) == target:
            raise exc
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading.os, "open", fake_open)


@pytest.mark.parametrize("command", ["show", "validate"])
def test_permission_denied_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    path = tmp_path / "geheim.yaml"
    path.write_text(VALID, encoding="utf-8")
    _deny(monkeypatch, path, PermissionError(errno.EACCES, "Permission denied"))
    line = one_error_line(cli("deck", command, str(path)), 2)
    assert line == f"stigmacards: {path}: permission denied"


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads anything")
def test_permission_denied_for_real(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "geheim.yaml"
    path.write_text(VALID, encoding="utf-8")
    path.chmod(0)
    one_error_line(cli("deck", "validate", str(path)), 2)


def test_a_read_error_is_one_line(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text(VALID, encoding="utf-8")

    def failing_read(fd: int, size: int) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(reading.os, "read", failing_read)
    line = one_error_line(cli("deck", "show", str(path)), 2)
    assert line == f"stigmacards: {path}: cannot be read (Input/output error)"


@pytest.mark.parametrize(
    "name", ["alias-bomb.yaml", "utf16.yaml", "depth-33-flow.yaml", "unterminated-quote.yaml", "empty.yaml"]
)
def test_show_of_a_hostile_deck_is_one_line(cli: Cli, name: str) -> None:
    """`deck show` names the first problem and points to `deck validate` for the rest."""
    line = one_error_line(cli("deck", "show", str(HOSTILE / name)), 1)
    assert " error SC" in line


def test_list_marks_hostile_user_decks_invalid(cli: Cli, isolated_env: Path) -> None:
    """Broken decks in $STIGMACARDS_HOME/decks are listed as invalid, never a traceback."""
    decks = isolated_env / "decks"
    decks.mkdir(parents=True)
    for name in ("alias-bomb.yaml", "utf16.yaml", "nul-byte.yaml", "empty.yaml", "two-documents.yaml"):
        (decks / name).write_bytes((HOSTILE / name).read_bytes())
    os.mkfifo(decks / "fifo.yaml")
    (decks / "dir.yaml").mkdir()
    result = cli("deck", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    import json

    rows = {row["id"]: row for row in json.loads(result.stdout) if row["source"] == "yours"}
    assert set(rows) == {"alias-bomb", "utf16", "nul-byte", "empty", "two-documents"}
    assert all(row["status"].startswith("invalid") for row in rows.values())
    text = cli("deck", "list")
    assert text.exit_code == 0
    assert "alias-bomb" in text.stdout


def test_recursion_error_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing recurses, but if something did, the file gets a problem, not a traceback."""

    def deep(self: object) -> object:
        raise RecursionError

    monkeypatch.setattr(events._Builder, "build", deep)
    assert [p.code for p in loading.analyse_text(VALID).problems] == ["SC008"]


def test_memory_error_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def hungry(self: object) -> object:
        raise MemoryError

    monkeypatch.setattr(events._Builder, "build", hungry)
    assert [p.code for p in loading.analyse_text(VALID).problems] == ["SC001"]


def test_debug_shows_the_traceback(cli: Cli, tmp_path: Path) -> None:
    result = cli("--debug", "deck", "show", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "UsageError" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("stigmacards: ")


def test_ctrl_c_in_process_exits_130(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text(VALID, encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("stigmacards.deck.loading.analyse_file", interrupted)
    assert one_error_line(cli("deck", "validate", str(path)), 130) == "stigmacards: interrupted"


_BLOCKING = """
import sys, threading
import stigmacards.deck.loading as loading

def slow(*args, **kwargs):
    print("ready", flush=True)
    threading.Event().wait()

loading.analyse_file = slow
from stigmacards.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_sigint_in_a_real_process_exits_130(tmp_path: Path) -> None:
    """A real SIGINT while validating: exit 130, one line, no traceback."""
    path = tmp_path / "deck.yaml"
    path.write_text(VALID, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", _BLOCKING, "deck", "validate", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.strip() == "stigmacards: interrupted"
    assert "Traceback" not in out + err


def test_one_mapping_from_failures_to_exit_codes() -> None:
    """exits.exit_status is the single mapping both entry paths use; a bug keeps its traceback."""
    from stigmacards.errors import OutputError, SessionError, StoreError
    from stigmacards.exits import exit_status

    assert exit_status(StoreError("x")) == (3, "x")
    assert exit_status(SessionError("y")) == (4, "y")
    assert exit_status(OutputError("z")) == (5, "z")
    assert exit_status(KeyboardInterrupt()) == (130, "interrupted")
    assert exit_status(BrokenPipeError()) == (1, None)
    with pytest.raises(ZeroDivisionError):
        exit_status(ZeroDivisionError())


def test_ctrl_c_on_both_entry_paths_is_the_same_line_and_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fast path (`deck validate`) and the typer path word an interrupt identically."""
    from stigmacards import __main__ as entry
    from stigmacards.deck import checking

    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(checking, "check", interrupted)
    fast = entry.fast_check(["deck", "validate", "x.yaml"])
    fast_err = capsys.readouterr().err
    from stigmacards.cli import main

    slow = main(["deck", "validate", "x.yaml"])  # main() is the typer path, without the fast one
    slow_err = capsys.readouterr().err
    assert fast == slow == 130
    assert fast_err.strip() == slow_err.strip() == "stigmacards: interrupted"
