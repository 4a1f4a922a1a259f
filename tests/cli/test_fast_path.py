"""Start-up: the fast paths in __main__ and which libraries each command imports.

`deck validate` and `deck lint` in their plain forms skip typer (see __main__): they must say,
print and exit exactly what the typer commands do. Everything else must go to typer.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stigmacards.__main__ import fast_check

from ..conftest import DATA, DECKS, Cli, Result

HOSTILE = DATA / "hostile"
VALID = DECKS / "stigma-sekswerk.yaml"


def _fast(capsys: pytest.CaptureFixture[str], args: list[str]) -> Result:
    code = fast_check(args)
    assert code is not None, f"not taken by the fast path: {args}"
    out, err = capsys.readouterr()
    return Result(code, out, err)


def _cases() -> list[list[str]]:
    hostile = sorted(str(p) for p in HOSTILE.glob("*.yaml"))
    few = [str(VALID), str(HOSTILE / "unknown-key-crads.yaml"), str(HOSTILE / "wrong-question-count.yaml")]
    cases: list[list[str]] = []
    for command in ("validate", "lint"):
        cases += [
            ["deck", command, str(VALID)],
            ["deck", command, str(DECKS)],  # a directory
            ["deck", command, "stigma-algemeen"],  # a bundled id
            ["deck", command, *few],
            ["deck", command, "--format", "json", *few],
            ["deck", command, *few, "--format=json"],
            ["deck", command, "--format", "json", "--format", "text", *few],
            ["--lang", "nl", "deck", command, *few],
            ["--lang=en", "deck", command, "--format", "json", str(VALID)],
            ["deck", command, "no/such/deck.yaml"],  # exit 2, before any output
            ["deck", command, "no-such-deck-id"],
            ["deck", command, str(VALID), str(Path(__file__).parent)],  # a directory without decks
            ["deck", command, *hostile],
        ]
    cases += [
        ["deck", "validate", "--strict", *few],
        ["deck", "validate", *few, "--strict", "--format", "json"],
        ["deck", "validate", "--strict", str(DECKS)],
    ]
    return cases


@pytest.mark.parametrize("args", _cases(), ids=lambda a: " ".join(Path(x).name for x in a)[:60])
def test_the_fast_path_says_what_typer_says(
    cli: Cli, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    fast = _fast(capsys, args)
    full = cli(*args)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (full.exit_code, full.stdout, full.stderr)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["deck"],
        ["deck", "validate"],  # no PATH: typer's usage error
        ["deck", "validate", "--help"],
        ["deck", "validate", "-h", str(VALID)],
        ["deck", "lint", "--strict", str(VALID)],  # lint has no --strict
        ["deck", "validate", "--format", "yaml", str(VALID)],
        ["deck", "validate", "--format", "JSON", str(VALID)],
        ["deck", "validate", "--format"],
        ["deck", "validate", "--", str(VALID)],
        ["deck", "validate", "-", str(VALID)],
        ["deck", "validate", "", str(VALID)],
        ["deck", "validate", str(VALID), "--debug"],
        ["--debug", "deck", "validate", str(VALID)],
        ["--version", "deck", "validate", str(VALID)],
        ["--lang", "nl", "--lang", "en", "deck", "validate", str(VALID)],
        ["--lang"],
        ["deck", "validate", "--lang", "nl", str(VALID)],
        ["deck", "show", str(VALID)],
        ["deck", "--help"],
        ["validate", str(VALID)],
        ["play", "--yes"],
    ],
)
def test_everything_else_goes_to_typer(args: list[str]) -> None:
    assert fast_check(args) is None


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_a_reader_that_goes_away_means_exit_1_as_with_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    """`stigmacards deck validate … | head -1`: click exits 1 when the pipe closes; so does the
    fast path (a valid deck in JSON would otherwise exit 0)."""
    from stigmacards.cli import main

    args = ["deck", "validate", "--format", "json", str(VALID)]
    monkeypatch.setattr(sys, "stderr", sys.stderr)  # both paths replace it; restored after
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert fast_check(args) == 1
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    with pytest.raises(SystemExit) as typer_exit:
        main(args)
    assert typer_exit.value.code == 1


def test_usage_errors_of_the_plain_forms_come_from_typer(cli: Cli) -> None:
    result = cli("deck", "validate", "--format", "yaml", str(VALID))
    assert result.exit_code == 2
    assert "yaml" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "utf-8"])
def test_an_ascii_terminal_gets_what_typer_gives_it(tmp_path: Path, encoding: str) -> None:
    """typer (click) writes UTF-8 to a stream set to ASCII rather than fail; so does the fast path."""
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "deck: 1\nid: d\ntitle: “Tïtel”\nlanguage: nl\ncards:\n  - id: é\n    questions: [a, b, c]\n",
        encoding="utf-8",
    )
    runs = [
        subprocess.run(
            [sys.executable, "-m", "stigmacards", *extra, "deck", "validate", str(deck)],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": encoding},
            timeout=60,
            check=False,
        )
        for extra in ([], ["--debug"])  # --debug: through typer
    ]
    fast, full = runs
    assert b"'\xc3\xa9'" in fast.stdout  # the id, as UTF-8
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)


def _imported(*args: str) -> set[str]:
    """Modules a real `python -m stigmacards ARGS` imports, and their top-level packages."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "stigmacards", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    names = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return names | {name.split(".")[0] for name in names}


HEAVY = {"rich", "questionary", "prompt_toolkit", "fpdf", "fontTools", "PIL", "sqlite3", "pydantic"}


@pytest.mark.slow
def test_version_imports_nothing_of_the_cli() -> None:
    loaded = _imported("--version")
    assert "stigmacards" in loaded  # the check below can fail
    assert not loaded & (HEAVY | {"typer", "yaml", "msgspec", "stigmacards.cli"})


@pytest.mark.slow
def test_validate_imports_neither_typer_nor_the_terminal_libraries() -> None:
    loaded = _imported("deck", "validate", str(VALID))
    assert "yaml" in loaded  # the check above can fail
    assert not loaded & (HEAVY | {"typer"})


@pytest.mark.slow
def test_help_imports_no_model_loader_or_terminal_library() -> None:
    loaded = _imported("--help")
    assert "typer" in loaded
    assert not loaded & (HEAVY | {"yaml", "msgspec"})


def test_an_unsupported_language_is_left_to_typer_which_refuses_it(cli: Cli) -> None:
    """`--lang xx` is a usage error (exit 2) on both paths, not silently English."""
    from stigmacards.__main__ import fast_check

    assert fast_check(["--lang", "xx", "deck", "validate", str(VALID)]) is None
    result = cli("--lang", "xx", "deck", "validate", str(VALID))
    assert result.exit_code == 2
    assert "xx" in result.stderr
