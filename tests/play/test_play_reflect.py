"""`play --reflect`: the hand-over to kiosk mode, kept in the play session across Ctrl-C and --resume."""

from __future__ import annotations

from typing import Any

import pytest

from stigmacards import paths
from stigmacards.cli import play as play_cli
from stigmacards.play import state as playstate
from stigmacards.reflections.store import ReflectionStore

from ..conftest import Cli
from ..reflections.test_reflect_cli import ScriptedPrompter, _turn, fixed_code, stored, terminal
from .test_play_cli import FakeClock, FakePrompter, quiet_seams

__all__ = ["fixed_code", "terminal"]  # fixtures used by name

PLAY = ("play", "--plain", "--quiet", "--rounds", "1", "--minutes", "0.5", "--lang", "nl")


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch) -> play_cli.Seams:
    return quiet_seams(monkeypatch, FakeClock())


def _reflection_sessions() -> list[Any]:
    with ReflectionStore.in_home(paths.home()) as store:
        return store.list_sessions()


def test_resume_continues_the_same_reflection_session_without_asking_again(
    cli: Cli, seams: play_cli.Seams, terminal: list[ScriptedPrompter], fixed_code: str
) -> None:
    """Ctrl-C in kiosk mode, then --resume: same id and group size, the first answers kept."""
    facilitator = FakePrompter({"--yes": True, "--reflect/--no-reflect": True, "--group-size": 9})
    seams.terminal = lambda: True
    seams.prompter = lambda: facilitator
    terminal.append(
        ScriptedPrompter(
            ["", "", *_turn("4", "Eerste beurt.", skip="Deze vraag overslaan"), KeyboardInterrupt()]
        )
    )
    first = cli(*PLAY, "--tables", "2", "--max-level", "3", "stigma-sekswerk")
    assert first.exit_code == 130, first.stderr
    assert "play --resume" in first.stderr
    (info,) = _reflection_sessions()
    assert info.group_size == 9
    (saved,) = playstate.scan(paths.sessions_dir())[0]
    assert saved.reflection == playstate.Reflection(id=info.id, group_size=9)

    facilitator.asked.clear()
    terminal[0] = ScriptedPrompter(
        ["", "", *_turn("2", "Tweede beurt.", skip="Deze vraag overslaan"), ":end", "KXRT"]
    )
    second = cli("play", "--resume", "--plain", "--quiet")
    assert second.exit_code == 0, second.stderr
    assert "--group-size" not in facilitator.asked
    assert "--reflect/--no-reflect" not in facilitator.asked
    assert [s.id for s in _reflection_sessions()] == [info.id]  # no second reflection session
    assert stored(info.id) == [
        ("inzicht", "Eerste beurt."),
        ("inzicht", "Tweede beurt."),
        ("veilig", 2),
        ("veilig", 4),
    ]
    (done,) = playstate.scan(paths.sessions_dir())[0]
    assert not done.open


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--group-size", "99999999999999999999"), "--group-size must be a whole number from 1 to 10000"),
        (("--group-size", "0"), "--group-size must be a whole number from 1 to 10000"),
        (("--group-size", "5", "--no-reflect"), "leave it out with --no-reflect"),
    ],
)
def test_a_bad_group_size_is_one_line(
    cli: Cli, seams: play_cli.Seams, args: tuple[str, ...], message: str
) -> None:
    result = cli("play", "--plain", "--rounds", "1", "--yes", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_group_size_implies_reflect(
    cli: Cli, seams: play_cli.Seams, terminal: list[ScriptedPrompter], fixed_code: str
) -> None:
    """--group-size alone collects reflections: it says what the facilitator wants."""
    terminal.append(ScriptedPrompter(["", "", ":end", "KXRT"]))
    result = cli(*PLAY, "--yes", "--group-size", "6")
    assert result.exit_code == 0, result.stderr
    (info,) = _reflection_sessions()
    assert info.group_size == 6


def test_the_asked_group_size_is_bounded_like_the_flag(
    cli: Cli, seams: play_cli.Seams, terminal: list[ScriptedPrompter], fixed_code: str
) -> None:
    facilitator = FakePrompter({"--yes": True, "--reflect/--no-reflect": True})
    limits: list[tuple[int, int]] = []

    def integer(message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        limits.append((minimum, maximum))
        return default

    facilitator.integer = integer  # type: ignore[method-assign]
    seams.terminal = lambda: True
    seams.prompter = lambda: facilitator
    terminal.append(ScriptedPrompter(["", "", ":end", "KXRT"]))
    result = cli(*PLAY, "--tables", "1", "--max-level", "3", "stigma-sekswerk")
    assert result.exit_code == 0, result.stderr
    assert limits == [(1, 10_000)]
