"""The session runner in the core, driven by a fake front end (no terminal, no real time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stigmacards.deck.catalog import DeckSource, content_hash
from stigmacards.deck.loading import load_deck
from stigmacards.deck.model import LocalDeck
from stigmacards.errors import Cancelled
from stigmacards.play import state as playstate
from stigmacards.play.dealing import Deal
from stigmacards.play.runner import PEOPLE_PER_TABLE, Handoff, NoteChoice, Places, Runner
from stigmacards.play.setup import Wanted, new_session, options_from
from stigmacards.play.state import Phase, Session
from stigmacards.play.timing import RoundOutcome, RoundResult

from ..conftest import DECKS

DECK_FILE = DECKS / "stigma-sekswerk.yaml"
NOW = datetime(2026, 11, 3, 14, 0, tzinfo=UTC)


@dataclass
class FakeStage:
    """Records what it was asked to show; answers from scripts."""

    rounds: list[RoundResult | str] = field(default_factory=list)  # str: a key-like action first
    go: bool = True
    notes: list[NoteChoice] = field(default_factory=list)
    reflect: bool | None = None
    size: int | None = None
    shown: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)

    def opening(self, deck: LocalDeck, session: Session, *, resumed: bool) -> None:
        self.shown.append("resumed" if resumed else "summary")

    def intro(self, deck: LocalDeck) -> bool:
        self.shown.append("intro")
        return self.go

    def content_notes(self, deck: LocalDeck, deals: Sequence[Deal], *, several: bool) -> NoteChoice:
        self.shown.append("notes")
        return self.notes.pop(0)

    def run_round(self, play: Runner) -> RoundResult:
        self.shown.append(f"round {play.session.round}: {[d.card_id for d in play.session.deal.current]}")
        step = self.rounds.pop(0) if self.rounds else RoundResult(RoundOutcome.DONE, 0.0)
        while isinstance(step, str):  # "pass N"
            play.pass_table(int(step.split()[1]))
            step = self.rounds.pop(0) if self.rounds else RoundResult(RoundOutcome.DONE, 0.0)
        return step

    def closing(self, deck: LocalDeck) -> None:
        self.shown.append("closing")

    def ask_reflect(self, deck: LocalDeck) -> bool | None:
        self.shown.append("ask reflect")
        return self.reflect

    def ask_group_size(self, *, default: int, maximum: int) -> int | None:
        self.shown.append(f"ask size {default}")
        return self.size

    def say(self, message: str, *, warning: bool = False) -> None:
        self.said.append(message)


@dataclass
class FakeDesk:
    opened: list[int] = field(default_factory=list)
    collected: list[str] = field(default_factory=list)
    why_not: str | None = None

    def available(self) -> str | None:
        return self.why_not

    def open(self, deck: LocalDeck, *, deck_hash: str, language: str, group_size: int) -> str:
        self.opened.append(group_size)
        return f"r{len(self.opened)}"

    def collect(self, session_id: str, deck: LocalDeck) -> None:
        self.collected.append(session_id)


def _runner(
    tmp_path: Path,
    stage: FakeStage,
    *,
    desk: FakeDesk | None = None,
    handoff: Handoff | None = None,
    **wanted,
) -> Runner:
    source = DeckSource(path=DECK_FILE, bundled=True, deck=load_deck(DECK_FILE))
    options = options_from(Wanted(**{"tables": 2, "rounds": 2, **wanted}), language="nl")
    session = new_session(source, options, seed=7, memory=frozenset(), now=NOW)
    places = Places(sessions=tmp_path / "sessions", groups=tmp_path / "groups", now=lambda: NOW)
    return Runner(
        session=session, deck=source.deck, stage=stage, places=places, desk=desk, handoff=handoff or Handoff()
    )


def _saved(tmp_path: Path) -> Session:
    (session,) = playstate.scan(tmp_path / "sessions")[0]
    return session


def test_a_session_runs_from_the_intro_through_every_round_to_the_closing(tmp_path: Path) -> None:
    """Intro, round 1, round 2, closing; the saved session is done."""
    stage = FakeStage()
    _runner(tmp_path, stage).run(resumed=False)
    assert stage.shown[0:2] == ["summary", "intro"]
    assert [s.split(":")[0] for s in stage.shown[2:4]] == ["round 1", "round 2"]
    assert stage.shown[-1] == "closing"
    assert _saved(tmp_path).phase is Phase.DONE


def test_declining_to_start_saves_the_session_before_the_first_round(tmp_path: Path) -> None:
    stage = FakeStage(go=False)
    _runner(tmp_path, stage).run(resumed=False)
    assert _saved(tmp_path).phase is Phase.INTRO
    assert "play --resume" in stage.said[-1]


def test_quitting_a_round_keeps_its_time_for_resume(tmp_path: Path) -> None:
    stage = FakeStage(rounds=[RoundResult(RoundOutcome.QUIT, 123.0)])
    _runner(tmp_path, stage).run(resumed=False)
    saved = _saved(tmp_path)
    assert (saved.phase, saved.round, saved.remaining) == (Phase.ROUND, 1, 123.0)


def test_a_pass_gives_the_table_a_new_card_and_is_saved(tmp_path: Path) -> None:
    stage = FakeStage(rounds=["pass 2", RoundResult(RoundOutcome.QUIT, 60.0)])
    runner = _runner(tmp_path, stage)
    runner.run(resumed=False)
    saved = _saved(tmp_path)
    assert [d.table for d in saved.deal.passed] == [2]
    assert runner.notice is None


def test_ctrl_c_in_a_round_saves_and_says_how_to_continue(tmp_path: Path) -> None:
    class Interrupting(FakeStage):
        def run_round(self, play: Runner) -> RoundResult:
            play.progress(42.0)
            raise KeyboardInterrupt

    with pytest.raises(Cancelled, match="play --resume"):
        _runner(tmp_path, Interrupting()).run(resumed=False)
    assert _saved(tmp_path).remaining == 42.0


def test_reflections_come_after_the_rounds_with_the_default_group_size(tmp_path: Path) -> None:
    stage, desk = FakeStage(reflect=True), FakeDesk()
    _runner(tmp_path, stage, desk=desk, tables=3).run(resumed=False)
    assert desk.opened == [3 * PEOPLE_PER_TABLE]
    assert desk.collected == ["r1"]
    assert f"ask size {3 * PEOPLE_PER_TABLE}" in stage.shown


def test_declined_reflections_open_nothing_and_say_how_to_do_it_later(tmp_path: Path) -> None:
    stage, desk = FakeStage(reflect=False), FakeDesk()
    _runner(tmp_path, stage, desk=desk).run(resumed=False)
    assert desk.opened == []
    assert any("session new stigma-sekswerk" in line for line in stage.said)


def test_reflect_without_a_place_to_collect_says_why(tmp_path: Path) -> None:
    stage, desk = FakeStage(), FakeDesk(why_not="no terminal")
    _runner(tmp_path, stage, desk=desk, handoff=Handoff(reflect=True, group_size=5)).run(resumed=False)
    assert desk.opened == []
    assert stage.said[0].startswith("no terminal")


def test_the_deck_fingerprint_is_kept(tmp_path: Path) -> None:
    _runner(tmp_path, FakeStage()).run(resumed=False)
    assert _saved(tmp_path).content_hash == content_hash([DECK_FILE])


def test_a_resumed_hand_over_continues_the_same_reflection_session(tmp_path: Path) -> None:
    """Interrupted in kiosk mode: the resumed runner asks nothing and collects in the same session."""

    class Interrupted(FakeDesk):
        def collect(self, session_id: str, deck: LocalDeck) -> None:
            super().collect(session_id, deck)
            if len(self.collected) == 1:
                raise KeyboardInterrupt

    stage, desk = FakeStage(reflect=True, size=11), Interrupted()
    with pytest.raises(Cancelled):
        _runner(tmp_path, stage, desk=desk).run(resumed=False)
    saved = _saved(tmp_path)
    assert saved.reflection == playstate.Reflection(id="r1", group_size=11)
    assert saved.phase is Phase.AFTER
    again = FakeStage()
    places = Places(sessions=tmp_path / "sessions", groups=tmp_path / "groups", now=lambda: NOW)
    runner = Runner(session=saved, deck=load_deck(DECK_FILE), stage=again, places=places, desk=desk)
    runner.run(resumed=True)
    assert desk.opened == [11]  # not opened a second time
    assert desk.collected == ["r1", "r1"]
    assert "ask reflect" not in again.shown
    assert not any(s.startswith("ask size") for s in again.shown)
    assert again.shown.count("closing") == 2  # before the reflections and at the end
    assert _saved(tmp_path).phase is Phase.DONE


def test_a_resumed_hand_over_without_a_terminal_leaves_the_reflection_session_open(tmp_path: Path) -> None:
    session = playstate.with_reflection(
        playstate.next_round(
            playstate.next_round(playstate.next_round(_runner(tmp_path, FakeStage()).session))
        ),
        "r9",
        6,
    )
    assert session.phase is Phase.AFTER
    stage, desk = FakeStage(), FakeDesk(why_not="no terminal")
    places = Places(sessions=tmp_path / "sessions", groups=tmp_path / "groups", now=lambda: NOW)
    Runner(session=session, deck=load_deck(DECK_FILE), stage=stage, places=places, desk=desk).run(
        resumed=True
    )
    assert desk.collected == []
    assert "stigmacards reflect r9 --kiosk" in stage.said[0]
