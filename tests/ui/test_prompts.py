"""The questionary adapter in the interface language, driven by keystrokes through a pipe."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from stigmacards import i18n
from stigmacards.ui.prompts import Choice, QuestionaryPrompter


@contextmanager
def terminal() -> Iterator[tuple[PipeInput, io.StringIO]]:
    """Keys in through a pipe; what the prompt shows, as plain text."""
    shown = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=PlainTextOutput(shown)):
        yield pipe, shown


@pytest.mark.parametrize(("key", "answer"), [("j", True), ("J", True), ("y", True), ("n", False)])
def test_dutch_yes_no_question_takes_j_for_ja(key: str, answer: bool) -> None:
    """Found by hand: a Dutch participant pressing 'j' got no answer, and saw (y/N) and Yes."""
    i18n.set_language("nl")
    with terminal() as (pipe, shown):
        pipe.send_text(key)
        assert QuestionaryPrompter().confirm("Beginnen?", default=not answer) is answer
    text = shown.getvalue()
    assert ("(j/N)" if answer else "(J/n)") in text
    assert ("Ja" if answer else "Nee") in text
    assert "Yes" not in text
    assert "(y/N)" not in text


def test_yes_no_question_enter_takes_the_default_in_english() -> None:
    with terminal() as (pipe, shown):
        pipe.send_text("\r")
        assert QuestionaryPrompter().confirm("Start?", default=True) is True
    assert "(Y/n)" in shown.getvalue()
    assert "Yes" in shown.getvalue()


def test_yes_no_question_ignores_other_keys_and_ctrl_c_cancels() -> None:
    from stigmacards.errors import Cancelled

    with terminal() as (pipe, _shown):
        pipe.send_text("xq\x03")
        with pytest.raises(Cancelled):
            QuestionaryPrompter().confirm("Start?", default=True)


def test_dutch_choice_shows_dutch_instructions() -> None:
    i18n.set_language("nl")
    with terminal() as (pipe, shown):
        pipe.send_text("\x1b[B\r")
        picked = QuestionaryPrompter().select("Welke?", [Choice("een", 1), Choice("twee", 2)], default=1)
    assert picked == 2
    assert "(kies met de pijltjestoetsen)" in shown.getvalue()
    assert "Use arrow keys" not in shown.getvalue()
