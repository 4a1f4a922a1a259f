"""Kiosk mode in a real pseudo-terminal: a laptop passed round, wiped between people."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

from stigmacards import paths
from stigmacards.reflections.store import ReflectionStore
from stigmacards.ui.kiosk import PASS_ON_WIPE

from ..pty_terminal import Terminal, new_reflection_session, private_env, typing_an_answer

pytestmark = pytest.mark.slow

ENTER, UP, DOWN, CTRL_C, CTRL_D = "\r", "\x1b[A", "\x1b[B", "\x03", "\x04"
WIPE = "\x1b[2J\x1b[3J\x1b[H"  # erase screen, erase scrollback, cursor home
ALT_ON, ALT_OFF = "\x1b[?1049h", "\x1b[?1049l"


def read_code(term: Terminal) -> str:
    """The end code, read off the facilitator's start screen like a person would."""
    for line in term.display().splitlines():
        letters = line.strip(" │")
        if re.fullmatch(r"[A-Z]{4}", letters):
            return letters
    raise AssertionError("no code on the start screen:\n" + term.display())


def start_kiosk(term: Terminal) -> str:
    """The facilitator's start: the projector warning (no code on screen yet), the code, the welcome."""
    term.wait_for("Press Enter when only you can see this screen")
    assert not re.search(r"\b[A-Z]{4}\b", term.display().replace("KIOSK", ""))  # no code yet
    term.send(ENTER)
    term.wait_for("Press Enter when you have noted the code")
    code = read_code(term)
    term.send(ENTER)
    term.wait_for("Press Enter to begin.")
    return code


def participant(term: Terminal, text: str, *, peek_history: str | None = None, small: bool = True) -> None:
    """One person: promise, a scale answered 2, a choice passed with Enter, a written answer, one skipped."""
    term.send(ENTER)
    term.wait_for("Start the questions?")
    term.send("y")
    term.wait_for("Question 1 of 4")
    term.send(DOWN + DOWN)  # the cursor starts on "Skip this question": two down is 2
    term.send(ENTER)
    term.wait_for("Question 2 of 4")
    term.send(ENTER)  # untouched: passes, nothing is chosen for them
    term.wait_for("Question 3 of 4")
    if peek_history is not None:
        # Up-arrow in a text prompt recalls history: there must be none from the previous person.
        term.send(UP + "#peek#")
        term.wait_for("#peek#")
        assert peek_history not in term.everything_visible()
        term.send("\x7f" * len("#peek#"))
    term.send(text + ENTER)
    term.wait_for("Question 4 of 4")
    if small:  # on a small screen the promise has scrolled up into the scrollback by now
        assert "Before you start" in term.scrollback()
    term.send(ENTER)
    term.wait_for("Thank you — pass the laptop on.")


def test_three_people_one_laptop_nothing_left_behind(tmp_path: Path) -> None:
    session = new_reflection_session()
    first, second, third = "CANARY-FIRST-7Q", "CANARY-SECOND-3W", "CANARY-THIRD-9Z"
    dropped = "CANARY-DROPPED-5K"
    term = Terminal("reflect", session, "--kiosk", env=private_env(tmp_path, paths.home()), rows=16)

    code = start_kiosk(term)
    assert code not in term.everything_visible()

    participant(term, first)
    at_thanks = term.everything_visible()
    assert first not in at_thanks
    # Not even the promise or the questions the last person saw, on screen or scrolled back.
    assert "Before you start" not in at_thanks
    assert "Question" not in at_thanks

    participant(term, second, peek_history=first)

    # Someone starts, types, and changes their mind: Ctrl-C discards it and shows the same
    # thank-you screen as after a saved turn.
    term.send(ENTER)
    typing_an_answer(term, dropped)
    term.wait_for(dropped)
    term.send(CTRL_C)
    term.wait_for("Thank you — pass the laptop on.")
    assert dropped not in term.everything_visible()

    # Ctrl-D at that screen does not end kiosk mode either.
    term.send(CTRL_D)
    term.wait_for("Ready?")
    participant(term, third)

    # Only the facilitator ends it: :end, then the code shown at the start (a wrong one is refused).
    term.send(":end" + ENTER)
    term.wait_for("Code to end kiosk mode:")
    term.send("ZZZZ" + ENTER)
    term.wait_for("That is not the code: kiosk mode goes on.")
    term.send(":end" + ENTER)
    term.wait_for("Code to end kiosk mode:")
    term.send(code.lower() + ENTER)
    assert term.finish() == 0
    assert "Kiosk mode ended: 3 submissions saved now." in term.display()
    assert not {first, second, third, dropped, code} & set(term.everything_visible().split())

    raw = term.raw
    # Kiosk mode starts by wiping the facilitator's screen and moving to the alternate screen,
    # and leaves it wiped.
    assert raw.index(WIPE + ALT_ON + WIPE) < raw.index("For the facilitator")
    assert raw.rindex(WIPE + ALT_OFF + WIPE) < raw.index("Kiosk mode ended")
    # Between people: the exact wipe, and nothing one person typed is written after it.
    assert PASS_ON_WIPE == WIPE + ALT_OFF + WIPE + ALT_ON + WIPE
    segments = raw.split(PASS_ON_WIPE)
    for secret in (code, first, second, dropped, third):
        typed_in = [i for i, segment in enumerate(segments) if secret in segment]
        assert len(typed_in) == 1, secret
        assert PASS_ON_WIPE in raw[raw.index(secret) :]
    # Each person's turn is its own segment, in order, each begun behind a wipe.
    order = [next(i for i, s in enumerate(segments) if x in s) for x in (code, first, second, dropped, third)]
    assert order == sorted(order)
    assert len(set(order)) == 5

    with ReflectionStore.in_home(paths.home()) as store:
        rows = store.reflections(session)
    texts = sorted(str(r.value) for r in rows if r.prompt_id == "inzicht")
    assert texts == sorted([first, second, third])
    assert [r.value for r in rows if r.prompt_id == "veilig"] == [2, 2, 2]
    assert not [r for r in rows if r.prompt_id == "rol"]  # Enter on the untouched choice stored nothing
    database = b"".join(p.read_bytes() for p in paths.home().glob("reflections.db*"))
    assert dropped.encode() not in database
    assert first.encode() in database  # the scan above can see text at all


def test_kiosk_ended_by_sigterm_wipes_and_stores_nothing(tmp_path: Path) -> None:
    """The laptop is shut down mid-answer: the draft is dropped and the screen is left wiped."""
    session = new_reflection_session()
    draft = "CANARY-HALFWAY-2M"
    term = Terminal("reflect", session, "--kiosk", env=private_env(tmp_path, paths.home()))
    start_kiosk(term)
    term.send(ENTER)
    typing_an_answer(term, draft)
    os.kill(term.program_pid(), signal.SIGTERM)
    assert term.finish() == 143
    after_draft = term.raw[term.raw.rindex(draft) :]
    assert WIPE + ALT_OFF + WIPE in after_draft
    assert draft not in term.everything_visible()
    with ReflectionStore.in_home(paths.home()) as store:
        assert store.reflections(session) == []


def test_play_hands_the_laptop_round_after_the_last_round(tmp_path: Path) -> None:
    """`play --reflect`: the timer's terminal modes are undone and kiosk mode runs before the closing."""
    env = private_env(tmp_path, paths.home())
    args = (
        "play",
        "--yes",
        "--rounds",
        "1",
        "--minutes",
        "0.01",
        "--quiet",
        "--reflect",
        "--group-size",
        "6",
    )
    term = Terminal(*args, env=env, rows=40)
    term.wait_for("Time's up")
    term.send(ENTER)
    code = start_kiosk(term)
    participant(term, "CANARY-AFTER-PLAY-4T", small=False)
    term.send(":end" + ENTER)
    term.wait_for("Code to end kiosk mode:")
    term.send(code + ENTER)
    term.wait_for("Thank you for taking part")
    assert term.finish() == 0
    with ReflectionStore.in_home(paths.home()) as store:
        (info,) = store.list_sessions()
        values = [r.value for r in store.reflections(info.id)]
    assert info.group_size == 6
    assert "CANARY-AFTER-PLAY-4T" in values
    assert f"session report {info.id}" in term.raw


def test_enter_on_every_untouched_question_stores_nothing(tmp_path: Path) -> None:
    """Someone who only wants to move on is never stored as "not safe at all" or as a sex worker."""
    session = new_reflection_session()
    term = Terminal("reflect", session, env=private_env(tmp_path, paths.home()))
    term.wait_for("Start the questions?")
    term.send("y")
    for number in (1, 2):
        term.wait_for(f"Question {number} of 4")
        screen = term.display()
        # The cursor (») is on "Skip this question", not on the first answer.
        assert re.search(r"»\s*Skip this question", screen), screen
        term.send(ENTER)
    for number in (3, 4):
        term.wait_for(f"Question {number} of 4")
        term.send(ENTER)
    term.wait_for("nothing to save")
    assert term.finish() == 0
    with ReflectionStore.in_home(paths.home()) as store:
        assert store.reflections(session) == []


def test_ctrl_d_at_a_terminal_stops_instead_of_claiming_there_is_no_terminal(tmp_path: Path) -> None:
    session = new_reflection_session()
    term = Terminal("reflect", session, env=private_env(tmp_path, paths.home()))
    term.wait_for("Start the questions?")
    term.send("y")
    term.wait_for("Question 1 of 4")
    term.send(CTRL_D)
    assert term.finish() == 130
    assert "cancelled" in term.display()
    assert "no terminal" not in term.raw


def test_ctrl_d_on_a_kiosk_scale_discards_the_turn(tmp_path: Path) -> None:
    session = new_reflection_session()
    term = Terminal("reflect", session, "--kiosk", env=private_env(tmp_path, paths.home()))
    code = start_kiosk(term)
    term.send(ENTER)
    term.wait_for("Start the questions?")
    term.send("y")
    term.wait_for("Question 1 of 4")
    term.send(DOWN + DOWN + DOWN + ENTER)  # an answer in the draft, then a change of mind
    term.wait_for("Question 2 of 4")
    term.send(CTRL_D)
    term.wait_for("Thank you — pass the laptop on.")
    term.send(":end" + ENTER)
    term.wait_for("Code to end kiosk mode:")
    term.send(code + ENTER)
    assert term.finish() == 0
    with ReflectionStore.in_home(paths.home()) as store:
        assert store.reflections(session) == []
