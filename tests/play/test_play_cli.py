"""`play` and `deal` through the real CLI entry point, with scripted prompts, keys and a fake clock."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from stigmacards import paths
from stigmacards.cli import play as play_cli
from stigmacards.deck.loading import load_deck
from stigmacards.deck.model import localize
from stigmacards.play import state as playstate
from stigmacards.ui.prompts import Choice

from ..conftest import DECKS, Cli

SEKSWERK = load_deck(DECKS / "stigma-sekswerk.yaml")
TITLES_NL = {c.id: c.title for c in localize(SEKSWERK, "nl").cards}
TITLES_EN = {c.id: c.title for c in localize(SEKSWERK, "en").cards}
ENTER = "\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


class ScriptedKeys:
    """Keys pressed after given pauses; time passes only while the timer waits for a key.

    Each step is (seconds to wait, key); a key may also be an exception to raise. Once the script
    is used up, Enter is pressed whenever asked, so a round that is over moves on.
    """

    def __init__(self, clock: FakeClock, steps: Iterable[tuple[float, str | BaseException]] = ()) -> None:
        self.clock = clock
        self.steps = list(steps)
        self.reads = 0

    def read(self, timeout: float) -> str | None:
        self.reads += 1
        assert self.reads < 10_000, "the round never ended"
        if not self.steps:
            self.clock.now += timeout
            return ENTER
        wait, key = self.steps[0]
        if wait > timeout:
            self.steps[0] = (wait - timeout, key)
            self.clock.now += timeout
            return None
        self.steps.pop(0)
        self.clock.now += wait
        if isinstance(key, BaseException):
            raise key
        return key


class FakePrompter:
    """Answers by flag name (every question names its flag); records what was asked."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        self.answers = dict(answers or {})
        self.asked: list[str] = []

    def _answer(self, flag: str, default: Any) -> Any:
        self.asked.append(flag)
        value = self.answers.get(flag, default)
        if isinstance(value, list):  # a different answer each time the question comes
            return value.pop(0)
        return value

    def select(self, message: str, choices: list[Choice], *, default: Any = None, flag: str = "") -> Any:
        answer = self._answer(flag, default)
        assert answer in [c.value for c in choices], f"{answer!r} is not a choice for {flag}"
        return answer

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        return str(self._answer(flag, default))

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        return bool(self._answer(flag, default))

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        return int(self._answer(flag, default))

    def number(
        self, message: str, *, default: float, minimum: float, maximum: float, flag: str = ""
    ) -> float:
        return float(self._answer(flag, default))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def quiet_seams(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> play_cli.Seams:
    """`play`'s seams with no terminal, a fake clock and keys that just move on (the play, reflect
    and kiosk tests share them); tests change what they need."""
    fake = play_cli.Seams(
        prompter=lambda: pytest.fail("nothing may be asked"),
        terminal=lambda: False,
        now=lambda: datetime(2026, 11, 3, 14, 0, tzinfo=UTC),
        clock=clock,
        keys=ScriptedKeys(clock),
    )
    monkeypatch.setattr(play_cli, "seams", fake)
    return fake


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> play_cli.Seams:
    return quiet_seams(monkeypatch, clock)


def _sessions() -> list[playstate.Session]:
    return playstate.scan(paths.sessions_dir())[0]


def _shown(titles: dict[str, str | None], output: str) -> list[str]:
    """Card ids whose titles appear in `output`, in order of appearance."""
    found = [(output.find(str(title)), cid) for cid, title in titles.items() if title and title in output]
    return [cid for _pos, cid in sorted(found)]


def test_a_two_table_two_round_session_runs_to_the_closing_screen(cli: Cli, seams) -> None:
    result = cli(
        "play", "--yes", "--plain", "--tables", "2", "--rounds", "2", "--minutes", "0.5", "--seed", "11"
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Round 1 of 2" in out
    assert "Round 2 of 2" in out
    assert "Table 1" in out
    assert "Table 2" in out
    assert localize(SEKSWERK, "en").intro[0] in out
    assert localize(SEKSWERK, "en").closing[0] in out
    (session,) = _sessions()
    assert session.phase is playstate.Phase.DONE
    assert session.deal.seed == 11
    dealt = [d.card_id for deals in session.deal.rounds for d in deals]
    assert _shown(TITLES_EN, out) == dealt


def test_p_gives_a_table_a_new_card_and_n_ends_the_round(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(5, "p"), (1, "1"), (2, "n")])
    result = cli("play", "--yes", "--plain", "--tables", "2", "--rounds", "1", "--minutes", "10")
    assert result.exit_code == 0, result.stderr
    (session,) = _sessions()
    (passed,) = session.deal.passed
    (final,) = session.deal.rounds
    assert passed.table == 1
    assert final[0].card_id != passed.card_id
    assert "Table 1 has a new card." in result.stdout
    assert result.stdout.count(str(TITLES_EN[passed.card_id])) == 1
    assert str(TITLES_EN[final[0].card_id]) in result.stdout
    assert re.search(r"Round ended with 9:5\d left", result.stdout)


def test_quitting_keeps_the_session_for_resume(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(89, "q"), (1, "y")])
    result = cli("play", "--yes", "--plain", "--rounds", "2", "--minutes", "3")
    assert result.exit_code == 0, result.stderr
    assert "Stopped: the session is saved; `stigmacards play --resume` continues it" in result.stdout
    (session,) = _sessions()
    assert session.open
    assert session.round == 1
    assert session.remaining == pytest.approx(90, abs=1)

    seams.keys = ScriptedKeys(clock)
    resumed = cli("play", "--resume", "--yes", "--plain")
    assert resumed.exit_code == 0, resumed.stderr
    assert "Continuing the session" in resumed.stdout
    assert "Timer started: 1:30" in resumed.stdout, "resume did not keep the time left"
    assert "Round 2 of 2" in resumed.stdout
    (session,) = _sessions()
    assert session.phase is playstate.Phase.DONE
    assert _shown(TITLES_EN, resumed.stdout) == [d.card_id for deals in session.deal.rounds for d in deals]


def test_a_resumed_round_tells_the_timer_how_long_it_already_ran(cli: Cli, seams, clock, monkeypatch) -> None:
    from stigmacards.ui import live

    seams.keys = ScriptedKeys(clock, [(89, "q"), (1, "y")])
    assert cli("play", "--yes", "--plain", "--rounds", "1", "--minutes", "3").exit_code == 0
    started: list[tuple[float, float]] = []
    real = live.run_round

    def spy(**kwargs: Any) -> live.RoundResult:
        started.append((kwargs["seconds"], kwargs["elapsed"]))
        return real(**kwargs)

    monkeypatch.setattr(live, "run_round", spy)
    seams.keys = ScriptedKeys(clock)
    assert cli("play", "--resume", "--yes", "--plain").exit_code == 0
    ((seconds, elapsed),) = started
    assert seconds + elapsed == pytest.approx(180)
    assert elapsed == pytest.approx(90, abs=1)


@pytest.mark.parametrize("minutes", ["nan", "NaN"])
def test_minutes_that_are_not_a_number_are_one_line_not_a_traceback(cli: Cli, seams, minutes: str) -> None:
    """click's range check lets NaN through (every comparison with it is false)."""
    result = cli("play", "--yes", "--plain", "--minutes", minutes)
    assert result.exit_code == 2
    assert result.stderr.strip() == "stigmacards: --minutes must be more than 0"
    assert not _sessions(), "a session that can never run was saved"


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [
        (KeyboardInterrupt(), 130, "--resume"),
        # Found by hand: `kill` ended the round with exit 143 and not a word about --resume.
        (SystemExit(143), 143, "terminated: the session is saved; `stigmacards play --resume` continues it"),
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_ctrl_c_and_sigterm_save_the_session_and_say_so(
    cli: Cli, seams, clock, stop: BaseException, code: int, said: str
) -> None:
    seams.keys = ScriptedKeys(clock, [(70, stop)])
    result = cli("play", "--yes", "--plain", "--rounds", "1", "--minutes", "2")
    assert result.exit_code == code
    assert result.stderr.count("\n") == 1
    assert said in result.stderr
    (session,) = _sessions()
    assert session.remaining == pytest.approx(50, abs=1)


def test_a_hang_up_saves_the_session_quietly(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(70, SystemExit(129))])
    with pytest.raises(SystemExit) as ended:
        cli("play", "--yes", "--plain", "--rounds", "1", "--minutes", "2")
    assert ended.value.code == 129
    (session,) = _sessions()
    assert session.remaining == pytest.approx(50, abs=1)


def test_resume_refuses_a_deck_that_changed(cli: Cli, seams, clock, tmp_path: Path) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text((DECKS / "stigma-algemeen.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    seams.keys = ScriptedKeys(clock, [(5, "q"), (0, "y")])
    assert cli("play", str(deck), "--yes", "--plain", "--minutes", "0.5").exit_code == 0
    deck.write_text(deck.read_text(encoding="utf-8").replace("level: 1", "level: 2", 1), encoding="utf-8")
    result = cli("play", "--resume", "--yes", "--plain")
    assert result.exit_code == 4
    assert "has changed since this session started" in result.stderr
    assert result.stderr.count("\n") == 1


def test_resume_of_a_damaged_session_is_one_line_not_a_traceback(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(5, "q"), (0, "y")])
    assert cli("play", "--yes", "--plain", "--minutes", "0.5").exit_code == 0
    (path,) = paths.sessions_dir().glob("*.json")
    path.write_text(path.read_text(encoding="utf-8")[:100], encoding="utf-8")
    result = cli("play", "--resume", "--yes", "--plain")
    assert result.exit_code == 4
    assert "is damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_resume_without_a_session_and_with_settings_are_errors(cli: Cli, seams) -> None:
    none = cli("play", "--resume", "--yes")
    assert none.exit_code == 4
    assert "no unfinished session" in none.stderr
    mixed = cli("play", "--resume", "--tables", "2")
    assert mixed.exit_code == 2
    assert "leave out --tables" in mixed.stderr


def test_without_a_terminal_the_error_names_the_missing_flags(cli: Cli, seams) -> None:
    result = cli("play", "--tables", "2")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    for flag in ("--yes", "DECK", "--lang", "--rounds", "--minutes", "--max-level"):
        assert flag in result.stderr
    assert "--tables" not in result.stderr
    assert not _sessions()


def test_without_a_terminal_all_flags_are_enough(cli: Cli, seams) -> None:
    args = (
        "stigma-algemeen",
        "--lang",
        "nl",
        "--tables",
        "1",
        "--rounds",
        "1",
        "--minutes",
        "1",
        "--max-level",
        "1",
    )
    result = cli("play", *args, "--plain")
    assert result.exit_code == 0, result.stderr
    assert "Ronde 1 van 1" in result.stdout  # the interface follows --lang


def test_the_setup_asks_only_what_no_flag_answered(cli: Cli, seams) -> None:
    prompter = FakePrompter(
        {
            "DECK": str(DECKS / "stigma-sekswerk.yaml"),
            "--lang": "en",
            "--tables": 3,
            "--minutes": 0.25,
            "--max-level": 2,
            "--yes": True,
            "--reflect/--no-reflect": False,
        }
    )
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    result = cli("play", "--rounds", "2", "--plain")
    assert result.exit_code == 0, result.stderr
    # Nothing sensitive sits at level 2 or below in this deck, so that question is not asked.
    assert prompter.asked == [
        "DECK",
        "--lang",
        "--tables",
        "--minutes",
        "--max-level",
        "--yes",
        "--reflect/--no-reflect",  # after the last round: reflections now? (cli/reflect.py)
    ]
    (session,) = _sessions()
    o = session.options
    assert (o.language, o.tables, o.rounds, o.minutes, o.max_level, o.include_sensitive) == (
        "en",
        3,
        2,
        0.25,
        2,
        False,
    )
    assert max(d.level for deals in session.deal.rounds for d in deals) <= 2


def test_the_setup_offers_the_unfinished_session_first(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(5, "q"), (0, "y")])
    assert cli("play", "--yes", "--plain", "--rounds", "1", "--minutes", "0.5").exit_code == 0
    (open_session,) = _sessions()
    prompter = FakePrompter({"--resume": open_session.id, "--reflect/--no-reflect": False})
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    seams.keys = ScriptedKeys(clock)
    result = cli("play", "--plain")
    assert result.exit_code == 0, result.stderr
    assert prompter.asked == ["--resume", "--reflect/--no-reflect"]
    (session,) = _sessions()
    assert session.id == open_session.id
    assert session.phase is playstate.Phase.DONE


def test_the_setup_does_not_offer_a_session_whose_deck_changed(
    cli: Cli, seams, clock, tmp_path: Path
) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text((DECKS / "stigma-algemeen.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    seams.keys = ScriptedKeys(clock, [(5, "q"), (0, "y")])
    assert cli("play", str(deck), "--yes", "--plain", "--minutes", "0.5").exit_code == 0
    deck.write_text(deck.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    prompter = FakePrompter({"DECK": str(DECKS / "stigma-algemeen.yaml"), "--yes": False})
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    result = cli("play", "--plain", "--lang", "nl", "--tables", "1", "--rounds", "1", "--minutes", "1")
    assert result.exit_code == 0, result.stderr
    assert "--resume" not in prompter.asked
    assert prompter.asked[0] == "DECK"


TWO_CARDS = """\
deck: 1
id: twee-kaarten
title: Twee kaarten
language: nl
cards:
  - id: zwaar
    title: Zware kaart
    level: 1
    content_note: Kan gaan over geweld.
    facilitator_note: Bespreek vooraf wie even weg wil.
    questions: [Vraag een?, Vraag twee?, Vraag drie?]
  - id: licht
    title: Lichte kaart
    level: 2
    questions: [Vraag vier?, Vraag vijf?, Vraag zes?]
"""


def test_the_facilitator_sees_a_content_note_first_and_may_swap_the_card(
    cli: Cli, seams, tmp_path: Path
) -> None:
    deck = tmp_path / "twee.yaml"
    deck.write_text(TWO_CARDS, encoding="utf-8")
    prompter = FakePrompter({"--yes": [True, "other"]})
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    args = (str(deck), "--tables", "1", "--rounds", "1", "--minutes", "1", "--max-level", "3", "--lang", "nl")
    result = cli("play", *args, "--include-sensitive", "--plain")
    assert result.exit_code == 0, result.stderr
    assert prompter.asked == ["--yes", "--yes"]  # ready? then: show these cards?
    before, during = result.stdout.split("Ronde 1 van 1")
    assert "Inhoudswaarschuwing: eerst voor jou, voordat de zaal de kaart ziet" in before
    assert "Kan gaan over geweld." in before
    assert "Bespreek vooraf wie even weg wil." in before
    assert "Zware kaart" not in during
    assert "Lichte kaart" in during
    (session,) = _sessions()
    assert [d.card_id for d in session.deal.passed] == ["zwaar"]


def test_with_yes_the_content_note_is_printed_and_accepted(cli: Cli, seams, tmp_path: Path) -> None:
    deck = tmp_path / "twee.yaml"
    deck.write_text(TWO_CARDS, encoding="utf-8")
    result = cli(
        "play",
        str(deck),
        "--yes",
        "--include-sensitive",
        "--plain",
        "--rounds",
        "1",
        "--lang",
        "nl",
        "--minutes",
        "0.1",
    )
    assert result.exit_code == 0, result.stderr
    before, during = result.stdout.split("Ronde 1 van 1")
    assert "Kan gaan over geweld." in before
    assert "Zware kaart" in during


def test_a_dutch_only_deck_on_an_english_laptop_speaks_dutch_to_the_room(
    cli: Cli, seams, tmp_path: Path
) -> None:
    """Found by hand: "Round 1 of 1" above Dutch cards, and an English line about passing
    among the deck's Dutch ground rules."""
    deck = tmp_path / "twee.yaml"
    deck.write_text(
        TWO_CARDS.replace("cards:\n", "intro: [Wat hier gezegd wordt, blijft hier.]\ncards:\n", 1)
    )
    result = cli("play", str(deck), "--yes", "--plain", "--rounds", "1", "--minutes", "0.1")
    assert result.exit_code == 0, result.stderr
    assert "Ronde 1 van 1" in result.stdout
    assert "Iedereen mag altijd passen" in result.stdout
    assert "Everyone may always pass" not in result.stdout
    assert "Round" not in result.stdout
    english = cli("play", str(deck), "--yes", "--plain", "--rounds", "1", "--minutes", "0.1", "--lang", "en")
    assert "Round 1 of 1" in english.stdout, "an explicit --lang still chooses the interface"
    assert "The deck has no text in en" in english.stderr


def test_deal_labels_a_dutch_only_deck_in_dutch(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "twee.yaml"
    deck.write_text(TWO_CARDS)
    result = cli("deal", str(deck), "--tables", "2", "--rounds", "1", "--seed", "1", "--include-sensitive")
    assert result.exit_code == 0, result.stderr
    assert "Ronde 1" in result.stdout
    assert "Tafel 2" in result.stdout
    assert "Table" not in result.stdout


def test_resume_speaks_the_language_the_session_was_run_in(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(5, "q"), (0, "y")])
    assert cli("play", "--yes", "--plain", "--lang", "nl", "--rounds", "1", "--minutes", "1").exit_code == 0
    seams.keys = ScriptedKeys(clock)
    resumed = cli("play", "--resume", "--yes", "--plain")
    assert resumed.exit_code == 0, resumed.stderr
    assert "Verder met de sessie van" in resumed.stdout
    assert "Ronde 1 van 1" in resumed.stdout


def test_with_yes_at_a_terminal_the_facilitator_still_sees_the_note_first(
    cli: Cli, seams, tmp_path: Path
) -> None:
    """Found by hand: with --yes the note was printed and at once covered by the round screen."""
    deck = tmp_path / "twee.yaml"
    deck.write_text(TWO_CARDS, encoding="utf-8")
    prompter = FakePrompter({"--yes": "other"})
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    args = (str(deck), "--yes", "--include-sensitive", "--plain", "--rounds", "1", "--minutes", "0.1")
    result = cli("play", *args)
    assert result.exit_code == 0, result.stderr
    assert prompter.asked == ["--yes"], "only the content note was asked about"
    before, during = result.stdout.split("Ronde 1 van 1")
    assert "Kan gaan over geweld." in before
    assert "Zware kaart" not in during


def test_the_setup_asks_again_for_fewer_tables_than_cards(cli: Cli, seams, tmp_path: Path) -> None:
    """Found by hand: 9 tables for a small deck ended the set-up with an error after every answer."""
    deck = tmp_path / "twee.yaml"
    deck.write_text(TWO_CARDS, encoding="utf-8")
    prompter = FakePrompter(
        {"--tables": [9, 1], "--include-sensitive": False, "--yes": True, "--max-level": 3, "--minutes": 0.1}
    )
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    result = cli("play", str(deck), "--plain", "--rounds", "1")
    assert result.exit_code == 0, result.stderr
    assert prompter.asked.count("--tables") == 2
    (session,) = _sessions()
    assert session.options.tables == 1
    flagged = cli("play", str(deck), "--plain", "--rounds", "1", "--tables", "9")
    assert flagged.exit_code == 2, "a number of tables given as a flag is not asked again"
    assert "niet genoeg kaarten voor 9 tafels" in flagged.stderr


def test_without_a_terminal_sensitive_cards_need_yes(cli: Cli, seams, tmp_path: Path) -> None:
    deck = tmp_path / "twee.yaml"
    deck.write_text(TWO_CARDS, encoding="utf-8")
    args = (str(deck), "--lang", "nl", "--tables", "1", "--rounds", "1", "--minutes", "1", "--max-level", "3")
    result = cli("play", *args, "--include-sensitive")
    assert result.exit_code == 2
    assert "--yes" in result.stderr


def test_sensitive_cards_are_never_shown_without_opting_in(cli: Cli, seams) -> None:
    result = cli(
        "play", "--yes", "--plain", "--tables", "4", "--rounds", "9", "--minutes", "0.02", "--seed", "3"
    )
    assert result.exit_code == 0, result.stderr
    (session,) = _sessions()
    sensitive = {c.id for c in SEKSWERK.cards if c.sensitive}
    assert not sensitive & {d.card_id for deals in session.deal.rounds for d in deals}
    assert 8 in session.deal.restarted_cycles  # 28 cards for 4 tables: round 8 starts again
    assert "Every card has been dealt once" in result.stdout


def test_a_group_does_not_get_the_same_cards_next_time(cli: Cli, seams) -> None:
    # Laid out like the all-flags test's arguments only by the formatter: other flags, nothing to share.
    args = (
        "play",
        "--yes",
        "--plain",
        "--tables",
        "2",
        "--rounds",
        "2",
        "--minutes",
        "0.02",
        "--group",
        "Team Noord",
    )
    assert cli(*args, "--seed", "1").exit_code == 0
    (first,) = _sessions()
    assert cli(*args, "--seed", "1").exit_code == 0
    (second,) = [s for s in _sessions() if s.id != first.id]
    had = {d.card_id for deals in first.deal.rounds for d in deals}
    assert not had & {d.card_id for deals in second.deal.rounds for d in deals}
    memory = json.loads((paths.groups_dir() / "team-noord.json").read_text(encoding="utf-8"))
    assert len(memory["decks"]["stigma-sekswerk"]) == 8


def test_untranslated_cards_are_listed(cli: Cli, seams, tmp_path: Path) -> None:
    deck = tmp_path / "twee.yaml"
    deck.write_text(TWO_CARDS, encoding="utf-8")
    result = cli("play", str(deck), "--yes", "--plain", "--lang", "en", "--rounds", "1", "--minutes", "0.02")
    assert result.exit_code == 0, result.stderr
    assert "The deck has no text in en; it is shown in nl." in result.stderr
    assert "Lichte kaart" in result.stdout
    half = (
        TWO_CARDS
        + "translations:\n  en:\n    cards:\n      licht: {title: Light card, questions: [Q4?, Q5?, Q6?]}\n"
    )
    deck.write_text(half, encoding="utf-8")
    result = cli("deal", str(deck), "--tables", "1", "--rounds", "2", "--lang", "en", "--include-sensitive")
    assert result.exit_code == 0, result.stderr
    assert "Not translated into en, shown in nl: zwaar" in result.stderr
    assert "Light card" in result.stdout


# --- deal --------------------------------------------------------------------------------------


def test_deal_json_has_the_documented_shape_and_is_reproducible(cli: Cli) -> None:
    args = ("deal", "--tables", "3", "--rounds", "2", "--seed", "99", "--lang", "nl", "--format", "json")
    first = cli(*args)
    assert first.exit_code == 0, first.stderr
    data = json.loads(first.stdout)
    assert set(data) == {"deck", "language", "seed", "rounds"}
    assert (data["deck"], data["language"], data["seed"]) == ("stigma-sekswerk", "nl", 99)
    assert [r["round"] for r in data["rounds"]] == [1, 2]
    for rnd in data["rounds"]:
        assert [t["table"] for t in rnd["tables"]] == [1, 2, 3]
        for table in rnd["tables"]:
            assert set(table) == {"table", "card", "level"}
            assert SEKSWERK.card(table["card"]).level == table["level"]
    assert cli(*args).stdout == first.stdout


def test_play_deals_what_deal_planned_for_the_same_seed(cli: Cli, seams) -> None:
    args = ("--tables", "3", "--rounds", "4", "--seed", "5", "--max-level", "2")
    plan = json.loads(cli("deal", *args, "--format", "json").stdout)
    assert cli("play", *args, "--yes", "--plain", "--minutes", "0.02").exit_code == 0
    (session,) = _sessions()
    assert [[t["card"] for t in r["tables"]] for r in plan["rounds"]] == [
        [d.card_id for d in deals] for deals in session.deal.rounds
    ]


def test_deal_text_shows_titles_and_questions_and_the_seed(cli: Cli) -> None:
    result = cli("deal", "stigma-sekswerk", "--tables", "2", "--rounds", "1", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    seed = int(re.search(r"--seed (\d+)", result.stdout).group(1))  # type: ignore[union-attr]
    again = json.loads(
        cli("deal", "--tables", "2", "--rounds", "1", "--seed", str(seed), "--format", "json").stdout
    )
    for table in again["rounds"][0]["tables"]:
        card = localize(SEKSWERK, "en").card(table["card"])
        assert str(card.title) in result.stdout
        assert card.questions[2][:30] in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tables", "30", "--rounds", "1"), "not enough cards for 30 tables"),
        (
            ("--tables", "2", "--rounds", "1", "--lang", "fr"),
            "unsupported language 'fr' (choose one of: en, nl)",
        ),
        (("nope", "--tables", "2", "--rounds", "1"), "no deck 'nope'"),
        (("--tables", "2", "--rounds", "1", "--group", "!!"), "--group needs a name"),
    ],
)
def test_deal_errors_are_one_clear_line(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli("deal", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_deck_errors_are_dutch_with_lang_nl(cli: Cli, tmp_path: Path) -> None:
    """Found by hand: 'no deck ...' and '(and 3 more; run ...)' stayed English under --lang nl."""
    unknown = cli("--lang", "nl", "play", "nope", "--yes")
    assert unknown.exit_code == 2
    assert "geen deck 'nope' (beschikbaar: " in unknown.stderr
    broken = tmp_path / "kapot.yaml"
    broken.write_text("deck: 1\n", encoding="utf-8")
    invalid = cli("--lang", "nl", "deal", str(broken), "--tables", "1", "--rounds", "1")
    assert invalid.exit_code == 1
    assert "(en nog 3; gebruik 'stigmacards deck validate')" in invalid.stderr


def test_deal_honours_group_memory_without_changing_it(cli: Cli, seams) -> None:
    directory = paths.groups_dir()
    level_one = sorted(c.id for c in SEKSWERK.cards if c.level == 1)
    playstate.save_group(directory, "Team", "stigma-sekswerk", level_one[:-1])
    data = json.loads(
        cli("deal", "--tables", "2", "--rounds", "1", "--group", "Team", "--format", "json").stdout
    )
    cards = [t["card"] for t in data["rounds"][0]["tables"]]
    assert cards[0] == level_one[-1]
    assert data["rounds"][0]["tables"][1]["level"] == 2
    assert playstate.load_group(directory, "Team", "stigma-sekswerk") == set(level_one[:-1])


def test_every_new_command_has_help_with_an_example(cli: Cli) -> None:
    for command in ("play", "deal"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "Example: stigmacards " + command in result.stdout


# --- screens -----------------------------------------------------------------------------------


def _render(renderable: object, width: int = 80, height: int = 100) -> str:
    from rich.console import Console

    console = Console(record=True, width=width, height=height, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _three_tables() -> tuple[Any, tuple[Any, ...]]:
    from stigmacards.play.dealing import Deal

    local = localize(SEKSWERK, "en")
    deals = tuple(Deal(1, n, card.id, card.level) for n, card in enumerate(local.cards[:3], start=1))
    return local, deals


def test_tables_sit_side_by_side_as_far_as_the_width_allows() -> None:
    from stigmacards.ui.screens import round_view

    local, deals = _three_tables()
    normal = _render(round_view(local, deals, round_number=1, rounds=3), width=80)
    first_line = next(line for line in normal.splitlines() if "Table 1" in line)
    assert "Table 2" in first_line
    assert "Table 3" not in first_line
    projector = _render(round_view(local, deals, round_number=1, rounds=3, big=True), width=80)
    assert all(line.count("Table ") <= 1 for line in projector.splitlines())
    wide = _render(round_view(local, deals, round_number=1, rounds=3, big=True), width=200)
    assert any(line.count("Table ") == 3 for line in wide.splitlines())


def test_on_a_low_screen_every_table_still_sees_its_card() -> None:
    from stigmacards.play.dealing import Deal
    from stigmacards.ui.screens import round_view

    local = localize(SEKSWERK, "en")
    deals = tuple(Deal(1, n, card.id, card.level) for n, card in enumerate(local.cards[:4], start=1))
    for height in (40, 30):
        text = _render(round_view(local, deals, round_number=1, rounds=3, big=True), width=100, height=height)
        lines = text.rstrip("\n").splitlines()
        assert len(lines) <= height - 6, f"no room left for the timer at height {height}"
        for card in local.cards[:4]:
            assert card.questions[2][:20] in text


@pytest.mark.parametrize("big", [False, True])
def test_a_wrapped_question_lines_up_under_its_first_word(big: bool) -> None:
    """Found by hand: the second line of a long question started under its number."""
    from stigmacards.ui.screens import round_view

    local, deals = _three_tables()
    text = _render(round_view(local, deals[:1], round_number=1, rounds=1, big=big), width=40)
    rows = [line.strip("│┃ ") for line in text.splitlines()]
    first = next(i for i, row in enumerate(rows) if row.startswith("1. "))
    continued = text.splitlines()[first + 1]
    assert not rows[first + 1].startswith("2."), "the first question should wrap at 40 columns"
    assert continued.index(rows[first + 1]) == text.splitlines()[first].index(rows[first][3:])


def test_a_title_cut_short_by_a_narrow_panel_ends_in_an_ellipsis() -> None:
    from stigmacards.play.dealing import Deal
    from stigmacards.ui.screens import round_view

    local = localize(SEKSWERK, "en")
    longest = max(local.cards, key=lambda card: len(card.title or ""))
    deals = (Deal(1, 1, longest.id, longest.level), Deal(1, 2, local.cards[0].id, local.cards[0].level))
    text = _render(round_view(local, deals, round_number=1, rounds=1), width=76)
    title = next(line for line in text.splitlines() if "Table 1" in line)
    assert str(longest.title) not in title, "the test needs a title too long for the panel"
    assert title.split("Table 2")[0].rstrip("─╮╭ ").endswith("…")


def test_one_table_gets_no_table_label() -> None:
    from stigmacards.ui.screens import round_view

    local, deals = _three_tables()
    assert "Table" not in _render(round_view(local, deals[:1], round_number=1, rounds=1))


def test_deck_text_is_shown_inert(tmp_path: Path) -> None:
    from stigmacards.deck.loading import load_deck_text
    from stigmacards.play.dealing import Deal
    from stigmacards.ui.screens import content_note_notice, round_view

    hostile = TWO_CARDS.replace("Zware kaart", '"[bold red]Zwaar\\e]8;;http://x\\aklik\\e]8;;\\a\\u202e"')
    local = localize(load_deck_text(hostile), "nl")
    deal = (Deal(1, 1, "zwaar", 1),)
    for view in (
        round_view(local, deal, round_number=1, rounds=1),
        content_note_notice(local, deal, several=False),
    ):
        text = _render(view)
        assert "[bold red]Zwaar" in text
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\u202e" not in text


def test_a_paused_round_stays_paused_across_ctrl_c_and_resume(cli: Cli, seams, clock) -> None:
    """Paused at 0:32, Ctrl-C, --resume: still paused at 0:32, however long the break."""
    seams.keys = ScriptedKeys(clock, [(28, " "), (50, KeyboardInterrupt())])
    first = cli("play", "--yes", "--plain", "--rounds", "1", "--minutes", "1", "--seed", "3")
    assert first.exit_code == 130
    (saved,) = _sessions()
    assert (saved.paused, saved.remaining) == (True, 32)
    seams.keys = ScriptedKeys(clock, [(600, "q"), (0, "y")])
    second = cli("play", "--resume", "--plain")
    assert second.exit_code == 0, second.stderr
    assert "Paused with 0:32 left" in second.stdout
    (saved,) = _sessions()
    assert (saved.paused, saved.remaining) == (True, 32)
    seams.keys = ScriptedKeys(clock, [(1, " "), (10, "q"), (0, "y")])  # space continues
    assert cli("play", "--resume", "--plain").exit_code == 0
    (saved,) = _sessions()
    assert (saved.paused, saved.remaining) == (False, 22)


def test_a_table_number_that_does_not_exist_is_named_and_asked_again(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(5, "p"), (1, "7"), (1, "0"), (1, "2"), (2, "n")])
    result = cli(
        "play", "--yes", "--plain", "--tables", "3", "--rounds", "1", "--minutes", "1", "--seed", "5"
    )
    assert result.exit_code == 0, result.stderr
    assert "There is no table 7: type 1–3." in result.stdout
    assert "There is no table 0: type 1–3." in result.stdout
    assert "Table 2 has a new card." in result.stdout
    (session,) = _sessions()
    assert [d.table for d in session.deal.passed] == [2]


class RecordingPrompter(FakePrompter):
    """Also records the choices of every select, in order."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        super().__init__(answers)
        self.choices: dict[str, list[Choice]] = {}

    def select(self, message: str, choices: list[Choice], *, default: Any = None, flag: str = "") -> Any:
        self.choices[flag] = list(choices)
        return super().select(message, choices, default=default, flag=flag)


def _quit_sessions(cli: Cli, seams, clock, count: int) -> list[playstate.Session]:
    for _n in range(count):
        seams.keys = ScriptedKeys(clock, [(5, "q"), (0, "y")])
        assert cli("play", "--yes", "--plain", "--rounds", "1", "--minutes", "0.5").exit_code == 0
        clock.now += 1
    return _sessions()


def test_the_unfinished_session_is_the_first_choice_and_the_default(cli: Cli, seams, clock) -> None:
    sessions = _quit_sessions(cli, seams, clock, 1)
    prompter = RecordingPrompter({"--reflect/--no-reflect": False})
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    seams.keys = ScriptedKeys(clock)
    result = cli("play", "--plain")
    assert result.exit_code == 0, result.stderr
    first = prompter.choices["--resume"][0]
    assert first.value == sessions[0].id
    assert first.title.startswith("Continue:")
    (session,) = _sessions()
    assert session.phase is playstate.Phase.DONE  # Enter on the default continued it


def test_the_setup_can_discard_the_unfinished_sessions(cli: Cli, seams, clock) -> None:
    _quit_sessions(cli, seams, clock, 2)
    prompter = RecordingPrompter({"--resume": "discard", "--yes": False})
    seams.terminal = lambda: True
    seams.prompter = lambda: prompter
    result = cli("play", "--plain", "--lang", "en", "--tables", "1", "--rounds", "1", "--minutes", "1")
    assert result.exit_code == 0, result.stderr
    assert "Discard the 2 unfinished sessions, then start a new one" in [
        c.title for c in prompter.choices["--resume"]
    ]
    assert "Discarded 2 unfinished sessions." in result.stdout
    (new,) = _sessions()  # only the new session, stopped before its first round
    assert new.phase is playstate.Phase.INTRO


def test_discard_flag_takes_an_id_or_all(cli: Cli, seams, clock) -> None:
    first, second = _quit_sessions(cli, seams, clock, 2)
    result = cli("play", "--discard", first.id)
    assert result.exit_code == 0, result.stderr
    assert "Discarded 1 unfinished session." in result.stdout
    assert [s.id for s in _sessions()] == [second.id]
    missing = cli("play", "--discard", first.id)
    assert missing.exit_code == 4
    assert f"there is no unfinished session {first.id}" in missing.stderr
    mixed = cli("play", "--discard", "all", "--tables", "2")
    assert mixed.exit_code == 2
    assert "--discard only discards" in mixed.stderr
    assert cli("play", "--discard", "all").exit_code == 0
    assert _sessions() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tables", "x"), "stigmacards play: Invalid value for '--tables'"),
        (("--bogus",), "stigmacards play: No such option: --bogus"),
        (("--rounds", "0"), "stigmacards play: Invalid value for '--rounds'"),
    ],
)
def test_bad_play_flags_are_one_line(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli("play", *args)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(message)
    assert line.endswith("Try 'stigmacards play -h' for help.")


def test_an_unsupported_language_names_the_supported_ones(cli: Cli, seams) -> None:
    result = cli("play", "--yes", "--plain", "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr.strip() == "stigmacards: unsupported language 'fr' (choose one of: en, nl)"


def test_dutch_set_up_words_and_real_plurals(cli: Cli, seams, clock) -> None:
    """'Welke kaartenset?', 'Startwaarde', 'De tijd is om', and plurals without '(s)'."""
    from stigmacards import i18n
    from stigmacards.ui.setup import ask_deck, ask_open_session

    i18n.set_language("nl")
    prompter = RecordingPrompter()
    messages: list[str] = []
    original = prompter.select

    def select(message: str, choices: list[Choice], *, default: Any = None, flag: str = "") -> Any:
        messages.append(message)
        return original(message, choices, default=default, flag=flag)

    prompter.select = select  # type: ignore[method-assign]
    from stigmacards.deck.catalog import scan

    ask_deck(prompter, scan([(DECKS, True)]))
    assert messages == ["Welke kaartenset?"]
    sessions = _quit_sessions(cli, seams, clock, 2)
    i18n.set_language("nl")
    ask_open_session(prompter, sessions)
    assert messages[-1] == "Er zijn 2 onafgemaakte sessies."
    assert "De 2 onafgemaakte sessies weggooien en een nieuwe beginnen" in [
        c.title for c in prompter.choices["--resume"]
    ]
    result = cli(
        "play", "--yes", "--plain", "--lang", "nl", "--rounds", "1", "--minutes", "0.1", "--no-reflect"
    )
    assert "Startwaarde" in result.stdout
    assert "De tijd is om." in result.stdout


def test_the_deck_picker_shows_titles_in_the_interface_language() -> None:
    from stigmacards.deck.catalog import scan
    from stigmacards.ui.setup import ask_deck

    prompter = RecordingPrompter()
    ask_deck(prompter, scan([(DECKS, True)]))
    titles = [c.title for c in prompter.choices["DECK"]]
    english = localize(SEKSWERK, "en").title
    assert english != SEKSWERK.title
    assert f"{english} (stigma-sekswerk)" in titles


def test_f_shows_the_facilitator_notes_of_the_cards_on_the_tables(cli: Cli, seams, clock) -> None:
    seams.keys = ScriptedKeys(clock, [(5, "f"), (1, "n")])
    result = cli("play", "--yes", "--plain", "--tables", "3", "--rounds", "1", "--lang", "en", "--seed", "4")
    assert result.exit_code == 0, result.stderr
    (session,) = _sessions()
    cards = [localize(SEKSWERK, "en").card(d.card_id) for d in session.deal.rounds[0]]
    notes = [c.facilitator_note for c in cards if c.facilitator_note]
    assert "Facilitator notes" in result.stdout
    if notes:
        assert notes[0].split()[0] in result.stdout
    else:
        assert "have no facilitator notes" in result.stdout


def test_deal_notes_adds_the_facilitator_notes_to_text_and_json(cli: Cli) -> None:
    args = ("deal", "--tables", "8", "--rounds", "1", "--seed", "1", "--lang", "en", "--max-level", "3")
    local = localize(SEKSWERK, "en")
    plain = json.loads(cli(*args, "--format", "json").stdout)
    assert "facilitator_note" not in plain["rounds"][0]["tables"][0]
    data = json.loads(cli(*args, "--format", "json", "--notes").stdout)
    tables = data["rounds"][0]["tables"]
    assert [t["facilitator_note"] for t in tables] == [local.card(t["card"]).facilitator_note for t in tables]
    assert any(t["facilitator_note"] for t in tables)
    text = cli(*args, "--notes").stdout
    assert "Facilitator note:" in text
    assert "Facilitator note:" not in cli(*args).stdout


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_at_60_by_20_three_tables_all_show_and_the_keys_keep_help(big: bool, lang: str) -> None:
    """Found by hand: the third table was cut off and the key line ended in a bare '?'."""
    from stigmacards import i18n
    from stigmacards.play.dealing import Deal
    from stigmacards.ui.screens import round_view

    from ..ui.test_live import run, shows

    i18n.set_language(lang)
    local = localize(SEKSWERK, "nl")
    deals = tuple(Deal(1, n, card.id, card.level) for n, card in enumerate(local.cards[:3], start=1))
    done = run(
        600,
        [(5, "n")],
        tables=3,
        size=(60, 20),
        big=big,
        header=lambda: round_view(local, deals, round_number=1, rounds=3, big=big),
    )
    rows = done.screen_before(0)[:20]
    label = "Table" if lang == "en" else "Tafel"
    for n, deal in enumerate(deals, start=1):
        assert shows(rows, f"{label} {n}"), "\n".join(rows)
        last_question_start = local.card(deal.card_id).questions[2].split()[:2]
        assert shows(rows, f"3. {' '.join(last_question_start)}"), "\n".join(rows)
    assert not shows(rows, "more above the timer")
    footer = rows[19].rstrip()
    assert footer.endswith("? help" if lang == "en" else "? hulp"), footer
