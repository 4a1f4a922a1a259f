"""Session state: the steps, the files (atomic, private, round-trip) and what damage looks like."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stigmacards.errors import ExitCode, SessionError, UsageError
from stigmacards.play import dealing
from stigmacards.play import state as playstate
from stigmacards.play.state import Options, Phase, Session

from .test_dealing import SMALL_DECK

T0 = datetime(2026, 11, 3, 14, 0, 0, tzinfo=UTC)


def _session(*, rounds: int = 2, tables: int = 2, group: str | None = None, at: datetime = T0) -> Session:
    return playstate.start(
        session_id=playstate.new_session_id(at),
        deck_id="small",
        deck_path="/decks/small.yaml",
        content_hash="0123456789abcdef",
        options=Options(language="nl", tables=tables, rounds=rounds, minutes=0.5, group=group),
        pool=dealing.eligible(SMALL_DECK),
        seed=7,
        now=at,
    )


def test_steps_walk_a_session_from_intro_to_done() -> None:
    s = _session(rounds=2)
    assert (s.phase, s.round, s.remaining) == (Phase.INTRO, 0, None)
    s = playstate.next_round(s)
    assert (s.phase, s.round, s.remaining) == (Phase.ROUND, 1, 30.0)
    s = playstate.progress(s, 12.5)
    assert s.remaining == 12.5
    s = playstate.next_round(s)
    assert (s.round, s.remaining) == (2, 30.0)
    s = playstate.next_round(s)
    assert (s.phase, s.round) == (Phase.AFTER, 2)
    s = playstate.finish(s)
    assert not s.open


def test_a_session_survives_a_save_and_a_load(isolated_env: Path) -> None:
    directory = isolated_env / "sessions"
    s = playstate.pass_table(playstate.progress(playstate.next_round(_session(group="Team Noord")), 17.25), 1)
    saved = playstate.save(s, directory, now=T0 + timedelta(minutes=3))
    loaded = playstate.load(playstate.session_file(directory, s.id))
    assert loaded == saved
    assert loaded.updated == "2026-11-03T14:03:00+00:00"
    assert loaded.deal.passed, "the pass was not kept"


def test_session_files_are_private_and_written_whole(isolated_env: Path) -> None:
    directory = isolated_env / "sessions"
    s = _session()
    for step in range(3):
        s = playstate.save(playstate.next_round(s), directory, now=T0 + timedelta(seconds=step))
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    files = list(directory.iterdir())
    assert [f.name for f in files] == [f"{s.id}.json"], "a temp file was left behind"
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600


def test_a_loose_sessions_directory_is_tightened(isolated_env: Path) -> None:
    directory = isolated_env / "sessions"
    directory.mkdir(parents=True, mode=0o755)
    directory.chmod(0o755)
    playstate.save(_session(), directory, now=T0)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda text: text[: len(text) // 2], "damaged"),
        (lambda text: "", "damaged"),
        (lambda text: text.replace('"tables": 2', '"tables": "two"', 1), "damaged"),
        (lambda text: json.dumps({"format": 99}), "damaged"),
        (lambda text: "[1, 2, 3]", "damaged"),
        (lambda text: text.replace('"minutes": 0.5', '"minutes": NaN', 1), "damaged"),
        (lambda text: text.replace('"remaining": 30.0', '"remaining": Infinity', 1), "damaged"),
        (lambda text: text.replace('"remaining": 30.0', '"remaining": -5', 1), "damaged"),
    ],
    ids=[
        "truncated",
        "empty",
        "wrong-type",
        "future-format",
        "not-a-mapping",
        "nan-minutes",
        "infinite-time-left",
        "negative-time-left",
    ],
)
def test_a_damaged_session_file_is_a_clear_error(isolated_env: Path, damage, expected: str) -> None:  # type: ignore[no-untyped-def]
    directory = isolated_env / "sessions"
    s = playstate.save(playstate.next_round(_session()), directory, now=T0)
    path = playstate.session_file(directory, s.id)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SessionError, match=expected) as caught:
        playstate.load(path)
    assert caught.value.exit_code is ExitCode.SESSION
    assert str(path) in str(caught.value)


def test_latest_open_session_is_the_newest_unfinished_one(isolated_env: Path) -> None:
    directory = isolated_env / "sessions"
    with pytest.raises(SessionError, match="no unfinished session"):
        playstate.latest_open(directory)
    older = playstate.save(_session(at=T0), directory, now=T0)
    newer = playstate.save(_session(at=T0 + timedelta(hours=1)), directory, now=T0 + timedelta(hours=1))
    os.utime(playstate.session_file(directory, older.id), (1, 1))
    assert playstate.latest_open(directory).id == newer.id
    playstate.save(playstate.finish(newer), directory, now=T0 + timedelta(hours=2))
    assert playstate.latest_open(directory).id == older.id


def test_a_damaged_newest_file_is_reported_not_skipped(isolated_env: Path) -> None:
    directory = isolated_env / "sessions"
    good = playstate.save(_session(), directory, now=T0)
    os.utime(playstate.session_file(directory, good.id), (1, 1))
    (directory / "20261103-150000-abcd.json").write_text('{"format": 1, "id": ', encoding="utf-8")
    with pytest.raises(SessionError, match=r"20261103-150000-abcd\.json is damaged"):
        playstate.latest_open(directory)


def test_group_memory_round_trip_per_deck(isolated_env: Path) -> None:
    directory = isolated_env / "groups"
    assert playstate.load_group(directory, "Team Noord", "small") == frozenset()
    playstate.save_group(directory, "Team Noord", "small", {"a", "b"})
    playstate.save_group(directory, "team noord!", "other", {"x"})
    assert playstate.load_group(directory, "Team Noord", "small") == {"a", "b"}
    assert playstate.load_group(directory, "Team Noord", "other") == {"x"}
    path = directory / "team-noord.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("{", encoding="utf-8")
    with pytest.raises(SessionError, match=r"group memory .* is damaged"):
        playstate.load_group(directory, "Team Noord", "small")


def test_group_names_become_safe_file_names() -> None:
    assert playstate.group_slug("  Team Noord / 2 ") == "team-noord-2"
    assert playstate.group_slug("../../etc") == "etc"
    with pytest.raises(UsageError, match="--group needs a name"):
        playstate.group_slug("!!!")


def test_start_refuses_options_the_deck_cannot_serve() -> None:
    with pytest.raises(UsageError, match="not enough cards for 9 tables"):
        _session(tables=9)
