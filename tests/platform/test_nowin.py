"""Every command of the README's tour on a Python without POSIX-only parts, as on Windows.

Each command runs twice in fresh processes, once as on Linux and once with stigmacards' own
imports unable to see termios, tty, fcntl, resource, pwd, grp, os.fchmod/getuid/O_DIRECTORY/
O_NOFOLLOW, SIGHUP/SIGTSTP/SIGWINCH, pthread_sigmask… (tests/platform/nowin/sitecustomize.py).
Both must end with the same exit code, and the second never with a traceback. The child's
clock is fast (sleeping moves time on), so timer rounds take no real time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DATA, DECKS

NOWIN = Path(__file__).resolve().parent / "nowin"
DECK = str(DECKS / "stigma-sekswerk.yaml")

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str


def _tour(home: Path, *, nowin: bool) -> list[Run]:
    """The README's tour, scripted, in `home`; stops at nothing, so every command is seen."""
    work = home / "work"
    work.mkdir(parents=True)
    env = {
        **os.environ,
        "STIGMACARDS_HOME": str(home / "data"),
        "HOME": str(home),
        "PYTHONPATH": os.pathsep.join([str(NOWIN), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "STIGMACARDS_NOWIN": "1" if nowin else "0",
        "STIGMACARDS_FAST_CLOCK": "1",
        "COLUMNS": "100",
        "NO_COLOR": "1",
    }
    runs: list[Run] = []

    def run(*args: str) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "stigmacards", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        runs.append(Run(args, done.returncode, done.stdout, done.stderr))
        return runs[-1]

    run("--version")
    run("--help")
    run("deck", "list")
    run("deck", "validate", DECK)
    run("deck", "lint", DECK)
    run("deck", "show", "stigma-sekswerk", "--lang", "en", "--card", "woorden")
    run("deck", "schema", "-o", "deck.schema.json")
    run("deck", "new", "--title", "Stigma op het werk", "--lang", "nl", "--yes")
    run("deck", "validate", "stigma-op-het-werk.yaml")
    run("deck", "print", "stigma-sekswerk", "-o", "kaarten.pdf")
    run("deck", "export", "stigma-sekswerk", "--format", "md", "-o", "handout.md")
    run("deck", "import", str(DATA / "import" / "excel.csv"), "-o", "mijn-deck.yaml")
    run("deal", "--tables", "4", "--rounds", "3", "--seed", "1234", "--format", "json")
    run("deal", "--tables", "4", "--rounds", "3", "--seed", "1234", "--pdf", "tafels.pdf")
    run("timer", "1", "--plain", "--quiet")
    run("play", "--yes", "--plain", "--tables", "2", "--rounds", "2", "--minutes", "1", "--quiet")
    run("play", "--resume", "--plain", "--quiet")
    session = run("session", "new", "stigma-sekswerk", "--group-size", "6").stdout.strip()
    for value in ("3", "4", "4", "5", "5"):
        run(
            "reflect",
            session,
            "--answer",
            f"veilig={value}",
            "--answer",
            "inzicht=Luisteren hielp.",
            "--skip-rest",
            "--yes",
        )
    run("session", "resize", session, "--group-size", "8")
    run("session", "list")
    run("session", "close", session)
    run("session", "review", session, "--keep-all")
    run("session", "report", session)
    run("session", "report", session, "--format", "json")
    run("session", "export", session, "--format", "csv", "-o", "reflecties.csv")
    run("session", "export", session, "--transfer", "-o", "overdracht.json")
    run("session", "merge", "reflecties.csv")
    run("session", "purge", "--all", "--yes")
    run("deck", "validate", "does-not-exist.yaml")  # an error path too: exit 2, one line
    return runs


@pytest.fixture(scope="module")
def tours(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Run], list[Run]]:
    return (
        _tour(tmp_path_factory.mktemp("linux"), nowin=False),
        _tour(tmp_path_factory.mktemp("nowin"), nowin=True),
    )


def test_the_posix_parts_are_really_hidden(tmp_path: Path) -> None:
    """The simulation itself: without it this file would prove nothing."""
    probe = "import stigmacards.platform as p, signal; print(p.signals('SIGHUP', 'SIGTERM'), p.NOFOLLOW)"
    env = {**os.environ, "PYTHONPATH": str(NOWIN), "STIGMACARDS_NOWIN": "1"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["(<Signals.SIGTERM:", "15>,)", "0"]
    hidden = (
        "try:\n exec('import termios', {'__name__': 'stigmacards.probe'})\n"
        "except ImportError: print('ok')\nimport termios  # other code still has it"
    )
    done = subprocess.run([sys.executable, "-c", hidden], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "ok"


def test_every_tour_command_exits_as_on_linux_without_a_traceback(
    tours: tuple[list[Run], list[Run]],
) -> None:
    linux, nowin = tours
    assert [r.args[:1] for r in linux] == [r.args[:1] for r in nowin]
    for on_linux, without_posix in zip(linux, nowin, strict=True):
        shown = " ".join(without_posix.args)
        assert "Traceback" not in without_posix.stderr, f"{shown}\n{without_posix.stderr}"
        assert without_posix.code == on_linux.code, (
            f"{shown}: {without_posix.code} != {on_linux.code}\n{without_posix.stderr}"
        )
    # And the tour itself went as a facilitator would see it, not failing the same way twice.
    expected = {
        ("play", "--resume"): 4,
        ("deck", "validate", "does-not-exist.yaml"): 2,
    }  # nothing to resume; no file
    failed = [
        (" ".join(r.args), r.code, r.stderr.strip()[-200:])
        for r in nowin
        if r.code != next((code for args, code in expected.items() if r.args[: len(args)] == args), 0)
    ]
    assert failed == [], failed


def test_the_outputs_are_the_same_without_posix(tours: tuple[list[Run], list[Run]]) -> None:
    linux, nowin = tours
    for on_linux, without_posix in zip(linux, nowin, strict=True):
        if (
            without_posix.args[0] in ("session", "reflect", "play", "deal")
            or "--version" in without_posix.args
        ):
            continue  # session ids, shuffles and seeds differ between the two runs
        assert without_posix.stdout == on_linux.stdout, " ".join(without_posix.args)
