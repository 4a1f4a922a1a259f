"""`stigmacards reflect`: scripted flags, a scripted prompter, and the real questionary prompts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from stigmacards import paths
from stigmacards.cli import asking as asking_cli
from stigmacards.cli import kiosk as kiosk_cli
from stigmacards.deck.catalog import content_hash
from stigmacards.errors import Cancelled, StoreError
from stigmacards.play.runner import PEOPLE_PER_TABLE
from stigmacards.reflections.store import Answer, ReflectionStore, not_saved_message
from stigmacards.ui.prompts import Choice, QuestionaryPrompter

from ..conftest import DECKS, Cli

DECK_FILE = DECKS / "stigma-sekswerk.yaml"
ALL_FLAGS = ("--yes", "--answer", "veilig=4", "--answer", "rol=2", "--answer", "inzicht=Listening helped.")


def new_session(*, language: str = "en", deck_hash: str | None = None, sealed: bool = False) -> str:
    with ReflectionStore.in_home(paths.home()) as store:
        info = store.create_session(
            deck_id="stigma-sekswerk",
            deck_hash=deck_hash or content_hash([DECK_FILE]),
            language=language,
            group_size=8,
            day=date(2026, 11, 20),
        )
        if sealed:
            store.seal(info.id)
    return info.id


def stored(session_id: str) -> list[tuple[str, object]]:
    with ReflectionStore.in_home(paths.home()) as store:
        return sorted((r.prompt_id, r.value) for r in store.reflections(session_id))


@dataclass
class ScriptedPrompter:
    """Replies in order: a select reply is an option title, text a str, confirm a bool.

    An exception instance as a reply is raised instead (Ctrl-C is `Cancelled`).
    """

    replies: list[Any]
    seen: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def _next(self) -> Any:
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def select(self, message: str, choices: Sequence[Choice], *, default: Any = None, flag: str = "") -> Any:
        self.seen.append(("select", message, tuple(c.title for c in choices)))
        title = self._next()
        if title == "":  # Enter on an untouched list: what the real prompt has under its cursor
            return default if default is not None else choices[0].value
        return next(c.value for c in choices if c.title == title)

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        self.seen.append(("text", message, (default,)))
        return str(self._next())

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        self.seen.append(("confirm", message, ()))
        return bool(self._next())

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        raise AssertionError("not asked in reflect")

    def number(
        self, message: str, *, default: float, minimum: float, maximum: float, flag: str = ""
    ) -> float:
        raise AssertionError("not asked in reflect")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> list[ScriptedPrompter]:
    """Pretend a person sits at a terminal; tests append the prompter they want used."""
    prompters: list[ScriptedPrompter] = []
    monkeypatch.setattr(asking_cli, "has_terminal", lambda: True)
    monkeypatch.setattr(asking_cli, "make_prompter", lambda *, kiosk: prompters[0])
    return prompters


# --- Scripted use: flags for everything. ---------------------------------------------------


def test_flags_answer_every_prompt_and_save_one_submission(cli: Cli) -> None:
    session = new_session()
    result = cli("reflect", session, *ALL_FLAGS, "--skip", "volgende-keer")
    assert result.exit_code == 0, result.stderr
    assert "Saved: 3 answers. Thank you." in result.stdout
    assert stored(session) == [("inzicht", "Listening helped."), ("rol", 1), ("veilig", 4)]


@pytest.mark.posix
def test_reflect_turns_core_dumps_off(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash while someone types must not leave their words in a core dump on disk."""
    import resource

    limits: list[tuple[int, int]] = []
    monkeypatch.setattr(resource, "setrlimit", lambda which, value: limits.append((which, value)))
    result = cli("reflect", new_session(), *ALL_FLAGS, "--skip-rest")
    assert result.exit_code == 0, result.stderr
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    assert limits == [(resource.RLIMIT_CORE, (0, hard))]


def test_a_unique_prefix_of_the_session_id_is_enough(cli: Cli) -> None:
    session = new_session()
    result = cli("reflect", session[:6], "--yes", "--answer", "veilig=1", "--skip-rest")
    assert result.exit_code == 0, result.stderr
    assert stored(session) == [("veilig", 1)]


def test_without_a_terminal_and_flags_one_line_names_the_flags(cli: Cli) -> None:
    session = new_session()
    for args in ((), ("--answer", "veilig=3", "--skip-rest"), ("--yes", "--answer", "veilig=3")):
        result = cli("reflect", session, *args)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1
        for flag in ("--yes", "--answer PROMPT_ID=VALUE", "--skip PROMPT_ID", "--skip-rest", "veilig, rol"):
            assert flag in result.stderr
    assert stored(session) == []


def test_bad_flags_are_one_line_usage_errors(cli: Cli) -> None:
    session = new_session()
    result = cli("reflect", session, "--yes", "--answer", "veilig=9", "--skip-rest")
    assert result.exit_code == 2
    assert result.stderr == "stigmacards: --answer veilig: give a whole number from 1 to 5\n"
    result = cli("reflect", session, "--yes", "--answer", "nope=1", "--skip-rest")
    assert result.exit_code == 2
    assert "no reflection prompt 'nope'" in result.stderr
    assert stored(session) == []


def test_unknown_and_closed_sessions_take_no_reflections(cli: Cli) -> None:
    result = cli("reflect", "abcdef", *ALL_FLAGS, "--skip-rest")
    assert result.exit_code == 4
    assert result.stderr == "stigmacards: no session 'abcdef'\n"
    sealed = new_session(sealed=True)
    result = cli("reflect", sealed, *ALL_FLAGS, "--skip-rest")
    assert result.exit_code == 4
    assert "is closed" in result.stderr
    assert stored(sealed) == []


def test_a_changed_deck_is_refused(cli: Cli, tmp_path: Path) -> None:
    """Choices are saved by position, so answers to a changed deck could mean something else."""
    session = new_session(deck_hash="0" * 16)
    result = cli("reflect", session, *ALL_FLAGS, "--skip-rest")
    assert result.exit_code == 4
    assert "changed since session" in result.stderr
    other = tmp_path / "other.yaml"
    other.write_text(
        DECK_FILE.read_text(encoding="utf-8").replace("id: stigma-sekswerk", "id: iets-anders", 1)
    )
    result = cli("reflect", new_session(), "--deck", str(other), *ALL_FLAGS, "--skip-rest")
    assert result.exit_code == 4
    assert "holds deck 'iets-anders'" in result.stderr


def test_the_deck_can_be_given_as_a_path(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.yaml"
    copy.write_bytes(DECK_FILE.read_bytes())
    session = new_session()
    result = cli("reflect", session, "--deck", str(copy), *ALL_FLAGS, "--skip-rest")
    assert result.exit_code == 0, result.stderr


def test_personal_data_in_flags_needs_a_decision(cli: Cli) -> None:
    session = new_session()
    text = "inzicht=Mail me at jan@example.nl"
    result = cli("reflect", session, "--yes", "--answer", text, "--skip-rest")
    assert result.exit_code == 2
    assert "--pii remove or --pii keep" in result.stderr
    assert stored(session) == []
    result = cli("reflect", session, "--yes", "--answer", text, "--skip-rest", "--pii", "remove")
    assert result.exit_code == 0, result.stderr
    assert stored(session) == [("inzicht", "Mail me at […]")]


def test_kiosk_mode_asks_everyone_itself_and_needs_a_terminal(cli: Cli) -> None:
    session = new_session()
    result = cli("reflect", session, "--kiosk", "--yes")
    assert result.exit_code == 2
    assert "--kiosk asks every participant itself" in result.stderr
    result = cli("reflect", session, "--kiosk")
    assert result.exit_code == 2
    assert "--kiosk needs a terminal" in result.stderr


def test_reflect_has_help_with_an_example(cli: Cli) -> None:
    result = cli("reflect", "--help")
    assert result.exit_code == 0
    for text in ("--answer", "--skip-rest", "--kiosk", "--pii", "Example: stigmacards reflect"):
        assert text in result.stdout


# --- A person at the terminal (scripted prompter). -------------------------------------------


def test_the_promise_comes_first_in_the_session_language(cli: Cli, terminal) -> None:
    session = new_session(language="nl")
    prompter = ScriptedPrompter([True, "3", "Deze vraag overslaan", "Rustig gesprek.", ""])
    terminal.append(prompter)
    result = cli("reflect", session)
    assert result.exit_code == 0, result.stderr
    promise_at = result.stdout.index("Voor je begint")
    assert promise_at < result.stdout.index("Bewaard: 2 antwoorden. Dank je wel.")
    assert prompter.seen[0] == ("confirm", "Beginnen met de vragen?", ())
    kinds = [(kind, message.split(" · ")[0]) for kind, message, _ in prompter.seen[1:]]
    assert kinds == [
        ("select", "Vraag 1 van 4"),
        ("select", "Vraag 2 van 4"),
        ("text", "Vraag 3 van 4"),
        ("text", "Vraag 4 van 4"),
    ]
    assert prompter.seen[1][2][0] == prompter.seen[2][2][0] == "Deze vraag overslaan"
    assert prompter.seen[1][2][1] == "1 — Helemaal niet veilig"
    assert stored(session) == [("inzicht", "Rustig gesprek."), ("veilig", 3)]


def test_lang_flag_overrides_the_session_language(cli: Cli, terminal) -> None:
    session = new_session(language="nl")
    terminal.append(ScriptedPrompter([True, "Skip this question", "Government or enforcement", "", ""]))
    result = cli("reflect", session, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "Before you start" in result.stdout
    assert stored(session) == [("rol", 2)]


def test_declining_the_promise_saves_nothing(cli: Cli, terminal) -> None:
    session = new_session()
    terminal.append(ScriptedPrompter([False]))
    result = cli("reflect", session)
    assert result.exit_code == 0
    assert "Nothing was saved." in result.stdout
    assert stored(session) == []


def test_ctrl_c_discards_the_draft(cli: Cli, terminal) -> None:
    session = new_session()
    terminal.append(ScriptedPrompter([True, "4", "Other", Cancelled("cancelled")]))
    result = cli("reflect", session)
    assert result.exit_code == 130
    assert result.stderr == "stigmacards: cancelled: nothing was saved\n"
    assert stored(session) == []


def test_personal_data_is_shown_and_removed_on_request(cli: Cli, terminal) -> None:
    session = new_session()
    prompter = ScriptedPrompter(
        [
            True,
            "Skip this question",
            "Skip this question",
            "Call 06-12345678 any time",
            "Remove these parts",
            "",
        ]
    )
    terminal.append(prompter)
    result = cli("reflect", session)
    assert result.exit_code == 0, result.stderr
    assert "phone number: 06-12345678" in result.stdout
    assert "This check does not catch everything" in result.stdout
    assert "Call […] any time" in result.stdout  # shown as it will be saved
    assert stored(session) == [("inzicht", "Call […] any time")]


def test_an_unwritable_store_is_found_before_the_first_question(  # type: ignore[no-untyped-def]
    cli, terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = new_session()

    def refuse(self: ReflectionStore) -> None:
        raise StoreError("cannot write to the reflections store")

    monkeypatch.setattr(ReflectionStore, "ensure_writable", refuse)
    prompter = ScriptedPrompter([])
    terminal.append(prompter)
    result = cli("reflect", session)
    assert result.exit_code == 3
    assert result.stderr == "stigmacards: cannot write to the reflections store\n"
    assert prompter.seen == []
    assert "Before you start" not in result.stdout


def _failing_saves(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[tuple[Answer, ...]]:
    attempts: list[tuple[Answer, ...]] = []
    real = ReflectionStore.save_submission

    def flaky(self: ReflectionStore, session_id: str, answers: Sequence[Answer]) -> None:
        attempts.append(tuple(answers))
        if len(attempts) <= failures:
            raise StoreError(not_saved_message())
        real(self, session_id, answers)

    monkeypatch.setattr(ReflectionStore, "save_submission", flaky)
    return attempts


def test_a_failed_save_keeps_the_answers_for_another_try(  # type: ignore[no-untyped-def]
    cli, terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = new_session()
    attempts = _failing_saves(monkeypatch, failures=1)
    terminal.append(
        ScriptedPrompter([True, "5 — Very safe", "Skip this question", "Kept in memory.", "", "Try again"])
    )
    result = cli("reflect", session)
    assert result.exit_code == 0, result.stderr
    assert "Not saved — your answer is still here, try again or skip" in result.stdout
    assert attempts[0] == attempts[1]
    assert stored(session) == [("inzicht", "Kept in memory."), ("veilig", 5)]


def test_giving_up_after_a_failed_save_stores_nothing(  # type: ignore[no-untyped-def]
    cli, terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = new_session()
    _failing_saves(monkeypatch, failures=1)
    terminal.append(
        ScriptedPrompter(
            [True, "2", "Skip this question", "x", "", "Skip saving (your answers are discarded)"]
        )
    )
    result = cli("reflect", session)
    assert result.exit_code == 3
    assert "not saved: your answers were discarded" in result.stderr
    assert stored(session) == []


# --- The real questionary prompts, driven through a pipe. ---------------------------------------

DOWN, UP, ENTER, CTRL_C = "\x1b[B", "\x1b[A", "\r", "\x03"


def _with_keys(monkeypatch: pytest.MonkeyPatch, cli, keys: str, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(asking_cli, "has_terminal", lambda: True)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        return cli(*args)


def test_questionary_scale_choice_text_and_skip(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    session = new_session()
    keys = (
        "y"  # accept the promise
        + DOWN + DOWN + ENTER  # scale: the cursor starts on "Skip this question", two down is 2
        + ENTER  # choice, untouched: Enter passes
        + "Typed for real" + ENTER  # free text
        + ENTER  # empty free text: skipped
    )  # fmt: skip
    result = _with_keys(monkeypatch, cli, keys, "reflect", session)
    assert result.exit_code == 0, result.stderr
    assert stored(session) == [("inzicht", "Typed for real"), ("veilig", 2)]


def test_questionary_choice_option_is_saved_by_index(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    session = new_session()
    keys = "y" + ENTER + DOWN + DOWN + DOWN + ENTER + ENTER + ENTER  # skip the scale; the third option
    result = _with_keys(monkeypatch, cli, keys, "reflect", session)
    assert result.exit_code == 0, result.stderr
    assert stored(session) == [("rol", 2)]


def test_questionary_ctrl_c_while_typing_stores_nothing(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    session = new_session()
    keys = "y" + ENTER + ENTER + "half a thought" + CTRL_C
    result = _with_keys(monkeypatch, cli, keys, "reflect", session)
    assert result.exit_code == 130
    assert stored(session) == []


def test_questionary_text_with_a_byte_that_is_not_utf8_is_saved(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A terminal sending Latin-1 (or a stray byte) used to crash saving with a traceback."""
    session = new_session()
    monkeypatch.setattr(asking_cli, "has_terminal", lambda: True)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("y" + ENTER + ENTER)  # the promise; Enter passes the untouched scale and choice
        pipe.send_bytes(b"caf\xe9 ok\r\r")
        result = cli("reflect", session)
    assert result.exit_code == 0, result.stderr
    assert stored(session) == [("inzicht", "caf\ufffd ok")]


def test_scripted_text_with_a_lone_surrogate_is_saved(cli: Cli) -> None:
    """Command-line arguments that are not UTF-8 reach Python as lone surrogates."""
    session = new_session()
    result = cli("reflect", session, "--yes", "--answer", "inzicht=a\udcffb", "--skip-rest")
    assert result.exit_code == 0, result.stderr
    assert stored(session) == [("inzicht", "a\ufffdb")]


def test_questionary_prompter_kiosk_mode_turns_ctrl_d_into_cancel() -> None:
    """In kiosk mode Ctrl-D must not look like "no terminal" (that would end the kiosk)."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("\x04")
        with pytest.raises(Cancelled):
            QuestionaryPrompter(eof_cancels=True).text("Ready?")


# --- Kiosk mode in-process (the pseudo-terminal test is in test_kiosk_pty.py). ---------------


@pytest.fixture
def fixed_code(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(kiosk_cli, "new_end_code", lambda: "KXRT")
    return "KXRT"


def _turn(scale: str, text: str, *, skip: str = "") -> list[Any]:
    """One participant's replies: begin, accept the promise, scale, Enter on the choice, text, skip the last."""
    return ["", True, scale, skip, text, ""]


def test_kiosk_takes_turns_until_the_facilitator_gives_the_code(cli: Cli, terminal, fixed_code) -> None:
    from stigmacards.ui.kiosk import PASS_ON_WIPE

    session = new_session()
    prompter = ScriptedPrompter(
        [
            "",  # only the facilitator can see the screen
            "",  # the facilitator has noted the code
            *_turn("2", "First turn."),
            "",  # the next person begins, and stops with Ctrl-C
            True,
            "3",
            Cancelled("cancelled"),
            Cancelled("cancelled"),  # Ctrl-C at the screen between people does nothing either
            "",  # begins, but declines the promise
            False,
            *_turn("4", "Second turn."),
            ":end",
            "ABCD",  # a wrong code: kiosk mode goes on
            ":END",
            "kxrt",
        ]
    )
    terminal.append(prompter)
    result = cli("reflect", session, "--kiosk")
    assert result.exit_code == 0, result.stderr
    assert stored(session) == [
        ("inzicht", "First turn."),
        ("inzicht", "Second turn."),
        ("veilig", 2),
        ("veilig", 4),
    ]
    out = result.stdout
    assert out.count("KXRT") == 1  # shown once, at the start
    assert out.index("The next screen shows the code") < out.index("KXRT")  # after the projector warning
    assert out.count(PASS_ON_WIPE) >= 6
    assert "That is not the code: kiosk mode goes on." in out
    assert "Kiosk mode ended: 2 submissions saved now." in out
    assert f"Session {session} holds answers from at least 2 people." in out
    assert "session close" in out
    # The welcome screen once; after every turn the thank-you screen, however the turn ended
    # (saved, Ctrl-C, "no"), so the next person cannot tell what the last one did.
    screens = [s for s in out.split(PASS_ON_WIPE) if "to begin." in s]
    kinds = ["thanks" if "Thank you — pass the laptop on." in s else "welcome" for s in screens]
    assert kinds == ["welcome", "thanks", "thanks", "thanks", "thanks", "thanks", "thanks"]


def test_wrong_end_codes_make_kiosk_mode_wait_longer_each_time(  # type: ignore[no-untyped-def]
    cli, terminal, fixed_code, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = new_session()
    waited: list[float] = []
    monkeypatch.setattr(kiosk_cli, "wait", waited.append)
    wrong = [":end", "AAAA"] * 4
    terminal.append(ScriptedPrompter(["", "", *wrong, ":end", "KXRT"]))
    result = cli("reflect", session, "--kiosk")
    assert result.exit_code == 0, result.stderr
    assert waited == [1.0, 2.0, 4.0]  # the first wrong code is free
    assert "That is not the code. Wait 4 seconds." in result.stdout
    assert "Kiosk mode ended" in result.stdout  # the right code still ends it at once


def test_restarted_kiosk_says_what_the_session_already_holds(cli: Cli, terminal, fixed_code) -> None:
    """Ending a second kiosk run with no new turn must not read as "everything was lost"."""
    session = new_session()
    with ReflectionStore.in_home(paths.home()) as store:
        for value in (2, 4, 5):
            store.save_submission(session, [Answer(prompt_id="veilig", value=value)])
        store.save_submission(session, [Answer(prompt_id="inzicht", value="One text.")])
    terminal.append(ScriptedPrompter(["", "", ":end", "KXRT"]))
    result = cli("reflect", session, "--kiosk")
    assert result.exit_code == 0, result.stderr
    assert "Kiosk mode ended: 0 submissions saved now." in result.stdout
    assert f"Session {session} holds answers from at least 3 people." in result.stdout
    assert len(stored(session)) == 4


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, method: str, number: int, error: Exception) -> None:
    """ReflectionStore.<method> raises `error` on its `number`-th call and works as usual otherwise."""
    real = getattr(ReflectionStore, method)
    calls = 0

    def failing(self: ReflectionStore, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return real(self, *args)

    monkeypatch.setattr(ReflectionStore, method, failing)


def test_kiosk_checks_the_store_before_each_person(  # type: ignore[no-untyped-def]
    cli, terminal, fixed_code, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = new_session()
    _fail_on_call(monkeypatch, "ensure_writable", 2, StoreError("cannot write to the reflections store"))
    prompter = ScriptedPrompter(["", "", "", "", *_turn("5 — Very safe", "After the fix."), ":end", "KXRT"])
    terminal.append(prompter)
    result = cli("reflect", session, "--kiosk")
    assert result.exit_code == 0, result.stderr
    assert "Please tell the facilitator. Press Enter." in [m for _k, m, _c in prompter.seen]
    assert stored(session) == [("inzicht", "After the fix."), ("veilig", 5)]


def test_kiosk_survives_an_unexpected_error_in_a_turn(  # type: ignore[no-untyped-def]
    cli, terminal, fixed_code, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the facilitator ends kiosk mode: a bug in one turn must not drop the next person in a shell."""
    session = new_session()
    _fail_on_call(monkeypatch, "save_submission", 1, RuntimeError("Secret typed words"))
    prompter = ScriptedPrompter(
        ["", "", *_turn("2", "Lost turn."), "", *_turn("3", "Next turn."), ":end", "KXRT"]
    )
    terminal.append(prompter)
    result = cli("reflect", session, "--kiosk")
    assert result.exit_code == 0, result.stderr
    assert "not saved: your answers were discarded" in result.stdout
    assert "RuntimeError" in result.stdout
    assert "Secret typed words" not in result.stdout + result.stderr  # the message could quote an answer
    assert stored(session) == [("inzicht", "Next turn."), ("veilig", 3)]


def test_kiosk_tells_each_person_when_the_session_was_closed_elsewhere(  # type: ignore[no-untyped-def]
    cli, terminal, fixed_code
) -> None:
    session = new_session()
    prompter = ScriptedPrompter(["", "", "", "", ":end", "KXRT"])

    def close_it(message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        if not prompter.seen:
            with ReflectionStore.in_home(paths.home()) as store:
                store.seal(session)  # `session close` in another terminal
        return ScriptedPrompter.text(prompter, message, default=default, flag=flag)

    prompter.text = close_it  # type: ignore[method-assign]
    terminal.append(prompter)
    result = cli("reflect", session, "--kiosk")
    assert result.exit_code == 0, result.stderr
    assert "is closed: it takes no more reflections" in result.stdout
    assert "Please tell the facilitator. Press Enter." in [m for _k, m, _c in prompter.seen]
    assert not any(kind == "confirm" for kind, _m, _c in prompter.seen)  # no promise, no questions


# --- The hand-off from `play`. -------------------------------------------------------------


@pytest.fixture
def play_seams(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]

    from ..play.test_play_cli import FakeClock, quiet_seams

    return quiet_seams(monkeypatch, FakeClock())


PLAY = ("play", "--plain", "--quiet", "--rounds", "1", "--minutes", "0.5", "--lang", "nl")


def _sessions_in_store() -> list[Any]:
    with ReflectionStore.in_home(paths.home()) as store:
        return store.list_sessions()


def test_play_reflect_collects_in_kiosk_mode_after_the_last_round(  # type: ignore[no-untyped-def]
    cli, play_seams, terminal, fixed_code
) -> None:
    terminal.append(
        ScriptedPrompter(["", "", *_turn("4", "Goed gesprek.", skip="Deze vraag overslaan"), ":end", "KXRT"])
    )
    result = cli(*PLAY, "--yes", "--tables", "2", "--reflect", "--group-size", "7")
    assert result.exit_code == 0, result.stderr
    (info,) = _sessions_in_store()
    assert (info.deck_id, info.deck_hash, info.language, info.group_size, info.day) == (
        "stigma-sekswerk",
        content_hash([DECK_FILE]),
        "nl",
        7,
        "2026-11-03",
    )
    assert stored(info.id) == [("inzicht", "Goed gesprek."), ("veilig", 4)]
    out = result.stdout
    assert f"Reflectiesessie {info.id} (7 mensen)." in out
    assert f"session report {info.id}" in out
    # The room sees the closing screen before the reflections start, and again at the end.
    first, after = out.split("Kioskmodus beëindigd")
    assert "Bedankt voor het meedoen" in first
    assert "Bedankt voor het meedoen" in after


def test_play_offers_reflection_and_asks_the_group_size(  # type: ignore[no-untyped-def]
    cli, play_seams, terminal, fixed_code
) -> None:
    from ..play.test_play_cli import FakePrompter

    facilitator = FakePrompter({"--yes": True, "--reflect/--no-reflect": True})
    play_seams.terminal = lambda: True
    play_seams.prompter = lambda: facilitator
    terminal.append(ScriptedPrompter(["", "", ":end", "KXRT"]))
    result = cli(*PLAY, "--tables", "3", "--max-level", "3", "stigma-sekswerk")
    assert result.exit_code == 0, result.stderr
    assert facilitator.asked[-2:] == ["--reflect/--no-reflect", "--group-size"]
    (info,) = _sessions_in_store()
    assert info.group_size == 3 * PEOPLE_PER_TABLE


@pytest.mark.parametrize(
    ("args", "answers", "shown"),
    [
        (("--no-reflect",), {"--yes": True}, ""),
        ((), {"--yes": True, "--reflect/--no-reflect": False}, "session new stigma-sekswerk"),
    ],
    ids=["no-reflect", "declined"],
)
def test_play_without_reflections_creates_no_session(  # type: ignore[no-untyped-def]
    cli, play_seams, args: tuple[str, ...], answers: dict[str, Any], shown: str
) -> None:
    from ..play.test_play_cli import FakePrompter

    facilitator = FakePrompter(answers)
    play_seams.terminal = lambda: True
    play_seams.prompter = lambda: facilitator
    result = cli(*PLAY, "--tables", "1", "--max-level", "3", "stigma-sekswerk", *args)
    assert result.exit_code == 0, result.stderr
    assert shown in result.stdout
    assert ("--reflect/--no-reflect" in facilitator.asked) == (not args)
    assert _sessions_in_store() == []


def test_play_yes_asks_nothing_and_reflect_needs_a_terminal(cli: Cli, play_seams) -> None:
    assert cli(*PLAY, "--yes").exit_code == 0
    assert _sessions_in_store() == []
    result = cli(*PLAY, "--yes", "--reflect")
    assert result.exit_code == 0, result.stderr
    assert "--reflect heeft een terminal nodig" in result.stdout
    assert _sessions_in_store() == []


@pytest.mark.parametrize("kind", ["select", "confirm", "text"])
def test_ctrl_d_in_kiosk_mode_cancels_every_kind_of_question(kind: str) -> None:
    """The docs promise Ctrl-D discards a participant's answers; on a scale it used to do nothing."""
    prompter = QuestionaryPrompter(eof_cancels=True)
    ask = {
        "select": lambda: prompter.select("How safe?", [Choice("Skip this question", None), Choice("1", 1)]),
        "confirm": lambda: prompter.confirm("Start the questions?", default=True),
        "text": lambda: prompter.text("What helped?"),
    }[kind]
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("\x04")
        with pytest.raises(Cancelled):
            ask()
