"""`play --room`: the projector and the phones follow the facilitator's rounds, then take the reflections."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from stigmacards.cli.playroom import follow
from stigmacards.deck.model import localize
from stigmacards.play.runner import Runner
from stigmacards.play.timing import RoundOutcome, RoundResult
from stigmacards.room.room import Phase, Room
from stigmacards.web.app import Links, create_app

from ..conftest import ROOT
from ..play.test_runner import FakeStage, _runner
from .conftest import Clock
from .test_room_server import Phone, serving


class WatchingStage(FakeStage):
    """A fake terminal stage that looks at the room's pages during each round."""

    def __init__(self, client: TestClient, room: Room) -> None:
        super().__init__()
        self.client, self.room = client, room
        self.seen: list[dict[str, object]] = []
        self.paused = False

    def run_round(self, play: Runner) -> RoundResult:
        phone = self.client.get(f"/j/{self.room.join_token}/table/2", follow_redirects=True).text
        screen = self.client.get(f"/s/{self.room.screen_token}").text
        self.seen.append({"board": self.room.board, "phone": phone, "screen": screen})
        if play.session.round == 1:
            play.pass_table(2)  # the facilitator presses p, 2 in the terminal
            phone = self.client.get(f"/j/{self.room.join_token}", follow_redirects=True).text
            self.seen.append({"board": self.room.board, "phone": phone, "screen": ""})
            play.pause(True)  # space in the terminal
            self.paused = self.room.board.paused
        return RoundResult(RoundOutcome.DONE, 0.0)


def test_the_room_follows_every_round_and_pass(tmp_path: Path) -> None:
    stage = FakeStage()
    runner = _runner(tmp_path, stage, tables=2, rounds=2)
    clock = Clock()
    decks = {code: localize(runner.deck, code) for code in ("nl", "en")}
    room = Room(language="nl", decks=decks, clock=clock)
    client = TestClient(
        create_app(room, Links(start="http://x/", join="http://x/j/t")), base_url="http://127.0.0.1"
    )
    watching = WatchingStage(client, room)
    runner.stage = watching
    runner.watch = follow(room, calm=False)
    follow(room, calm=False)(runner.session)
    assert room.board.phase is Phase.WAITING
    assert "De sessie begint zo" in client.get(f"/j/{room.join_token}", follow_redirects=True).text
    runner.run(resumed=False)

    first, after_pass, second = watching.seen
    deck = decks["nl"]
    for seen, round_ in ((first, 1), (second, 2)):
        board = seen["board"]
        assert board.phase is Phase.ROUND  # type: ignore[attr-defined]
        assert board.round == round_  # type: ignore[attr-defined]
        table_two = deck.card(board.cards[1])  # type: ignore[attr-defined]
        for question in table_two.questions:
            assert question.replace("'", "&#39;") in seen["phone"]  # type: ignore[operator]
        assert f"Ronde {round_}" in seen["screen"]  # type: ignore[operator]
        assert "Tafel 1" in seen["screen"]  # type: ignore[operator]
    passed = after_pass["board"]
    assert passed.cards[1] != first["board"].cards[1]  # type: ignore[attr-defined]
    assert passed.cards[0] == first["board"].cards[0]  # type: ignore[attr-defined]
    for question in deck.card(passed.cards[1]).questions:  # type: ignore[attr-defined]
        assert question.replace("'", "&#39;") in after_pass["phone"]  # type: ignore[operator]
    assert watching.paused  # the pause reached the projector's timer
    assert room.board.phase is Phase.CLOSED  # after the last round (no reflections asked here)


@pytest.mark.skipif(sys.platform == "win32", reason="sends POSIX signals")
def test_play_room_runs_rounds_then_takes_reflections_from_phones() -> None:
    """A real `play --room` without a terminal, on a fast clock: rounds pass, phones answer, SIGTERM ends it."""
    env = {"PYTHONPATH": str(ROOT / "tests" / "platform" / "nowin"), "STIGMACARDS_FAST_CLOCK": "1"}
    args = ("--yes", "--lang", "en", "--tables", "2", "--rounds", "2", "--minutes", "5", "--group-size", "3")
    with serving("play", "stigma-sekswerk", *args, "--room", "--host", "127.0.0.1", env=env) as room:
        phone = Phone(room.join)
        deadline = time.monotonic() + 60
        while "what happens with your answers" not in phone.open():  # the rounds pass on the fast clock
            assert time.monotonic() < deadline, phone.page[-500:]
            assert room.process.poll() is None
        phone.send()
        phone.send(answer="5", do="next")
        for _ in range(3):
            phone.send(do="skip")
        assert "Saved. Thank you." in phone.page
        room.process.send_signal(signal.SIGTERM)
        _, err = room.process.communicate(timeout=60)
    process = room.process
    assert process.returncode == 0, err
    assert "Room closed: 1 submission saved now." in err
    session = re.search(r"Session (\w+) holds answers from at least 1 person", err)
    assert session, err
    done = subprocess.run(
        [sys.executable, "-m", "stigmacards", "session", "list"], capture_output=True, text=True, check=True
    )
    assert session.group(1) in done.stdout


def test_the_reflections_after_play_show_how_to_join_again_then_collect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the rounds the terminal has scrolled on: the QR code and the room code come back first."""
    from stigmacards import paths
    from stigmacards.cli import room as room_cli
    from stigmacards.cli.playroom import RoomDesk
    from stigmacards.reflections.store import ReflectionStore

    from .conftest import new_session

    session_id = new_session()
    with ReflectionStore.in_home(paths.home(), read_only=True) as store:
        deck_id = store.get_session(session_id).deck_id
    from stigmacards.deck.catalog import open_deck

    deck = open_deck(deck_id, bundled_dir=paths.bundled_decks_dir(), user_dir=paths.user_decks_dir()).deck
    room = Room(language="en", decks={"en": localize(deck, "en")}, clock=Clock())
    steps: list[str] = []
    monkeypatch.setattr(
        room_cli, "collect", lambda *args, **kwargs: steps.append(f"collect {room.board.phase}")
    )
    RoomDesk(room=room, now=lambda: None, remind=lambda: steps.append("remind")).collect(
        session_id, room.decks["en"]
    )  # type: ignore[arg-type,return-value]
    assert steps == ["remind", "collect reflect"]
    assert room.session_id == session_id
    assert room.board.phase is Phase.CLOSED  # closed to answers once the facilitator ended them
