"""The terminal side of collecting reflections, shared by `reflect` and kiosk mode.

The seams tests replace (`has_terminal`, `make_prompter`), the signals that end a turn with the
terminal restored, saving without being interrupted, and `PromptAsker`: the reflection flow's
questions asked with a Prompter. Callers use them through this module (`asking.make_prompter`),
so that a test's replacement is seen everywhere.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING

import typer

from stigmacards import platform
from stigmacards.cli import common
from stigmacards.deck.format import PromptKind
from stigmacards.errors import ExitCode, StigmaError, StoreError, UsageError
from stigmacards.i18n import _
from stigmacards.platform import ENDING_SIGNALS, signals, signals_held
from stigmacards.reflections.flow import (
    PROMISED_MIN_GROUP,
    SKIP,
    PiiChoice,
    Question,
    Skip,
    Value,
    options_for,
    text_problem,
)
from stigmacards.text import inert

if TYPE_CHECKING:
    from rich.console import Console

    from stigmacards.reflections.pii import PiiFlag
    from stigmacards.reflections.store import Answer, ReflectionStore
    from stigmacards.ui.prompts import Prompter


# --- Seams: tests replace these instead of needing a terminal. ---------------------------


def has_terminal() -> bool:
    """True when a person can answer prompts here (stdin and stdout are terminals)."""
    return platform.has_terminal()


# The prompter, a seam tests replace (cli/common.py makes the real one).
make_prompter = common.make_prompter


# --- Signals: SIGTERM and SIGHUP end the turn like Ctrl-C, with the terminal restored. -------


class Signalled(SystemExit):
    """Raised from a signal handler.

    A SystemExit, because asyncio (under prompt_toolkit) hands any other exception raised in a
    callback to its exception handler and carries on; SystemExit unwinds the prompt, which puts
    the terminal back. Uncaught, it still ends the process with the conventional 128 + N.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


# What exists here of SIGTERM and SIGHUP (Windows has no SIGHUP: a closed console ends the process).
_ENDING = signals(*ENDING_SIGNALS)
_BLOCKED_WHILE_SAVING = (signal.SIGINT, *_ENDING)


@contextmanager
def signals_end_the_turn() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into `Signalled` so prompts unwind (and restore the terminal).

    Once a signal came, or the terminal is gone, whatever else escapes while unwinding (a write
    to a hung-up terminal fails with EIO) is part of the same ending and gets its exit code.
    """
    received: list[int] = []
    had_terminal = has_terminal()

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        raise Signalled(signum)

    previous = {sig: signal.signal(sig, handler) for sig in _ENDING}
    try:
        yield
    except BaseException as exc:
        if received:
            hung_up = received[0] != signal.SIGTERM
        elif had_terminal and isinstance(exc, (OSError, EOFError, UsageError)) and not has_terminal():
            hung_up = True
        else:
            raise
        if hung_up:
            # The terminal is gone: there is no one to tell, and writing to it would fail.
            raise typer.Exit(int(ExitCode.HANGUP)) from None
        raise StigmaError(_("terminated: nothing typed was saved"), exit_code=ExitCode.TERMINATED) from None
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def save_without_interruption(store: ReflectionStore, session_id: str) -> Callable[[Sequence[Answer]], None]:
    """Saving is a fraction of a millisecond: let it finish, then deliver any signal."""

    def save(answers: Sequence[Answer]) -> None:
        with signals_held(*_BLOCKED_WHILE_SAVING):
            store.save_submission(session_id, answers)

    return save


# --- The terminal side of the flow. ---------------------------------------------------------


@dataclass
class PromptAsker:
    """Asks the reflection questions with a Prompter and shows the reflection screens."""

    prompter: Prompter
    console: Console
    title: str
    interactive: bool

    def accept_promise(self) -> bool:
        from stigmacards.ui.kiosk import promise

        self.console.print(promise(min_group=PROMISED_MIN_GROUP, title=self.title))
        return self.prompter.confirm(_("Start the questions?"), default=True, flag="--yes")

    def ask(self, question: Question, *, number: int, total: int) -> Value | Skip:
        from stigmacards.ui.prompts import Choice

        head = _("Question {n} of {total}").format(n=number, total=total)
        message = f"{head} · {inert(question.prompt, single_line=True)}"
        flag = f"--answer {question.id}=… / --skip {question.id}"
        if question.kind is not PromptKind.text:  # "skip" first and under the cursor: see options_for
            choices = [Choice(inert(o.label, single_line=True), o.value) for o in options_for(question)]
            answer: Value | Skip = self.prompter.select(message, choices, default=SKIP, flag=flag)
            return answer
        typed = self.prompter.text(message + "  " + _("(leave empty to skip)"), flag=flag)
        return self._within_limit(question, typed, message, flag)

    def _within_limit(self, question: Question, typed: str, message: str, flag: str) -> str | Skip:
        while (problem := text_problem(typed)) is not None:
            from stigmacards.ui.render import safe

            self.console.print(safe(problem, "yellow", single_line=True))
            typed = self.prompter.text(message, default=typed, flag=flag)
        return typed.strip() or SKIP

    def review_pii(self, question: Question, text: str, flags: Sequence[PiiFlag]) -> PiiChoice:
        from stigmacards.ui.kiosk import pii_review
        from stigmacards.ui.prompts import Choice

        if not self.interactive:
            raise UsageError(
                _(
                    "the answer to '{id}' looks like it holds personal data: pass --pii remove or --pii keep"
                ).format(id=question.id)
            )
        self.console.print(pii_review(flags))
        choices = [
            Choice(_("Remove these parts"), PiiChoice.REMOVE),
            Choice(_("Keep my answer as it is"), PiiChoice.KEEP),
            Choice(_("Edit my answer"), PiiChoice.EDIT),
            Choice(_("Skip this question"), PiiChoice.SKIP),
        ]
        chosen: PiiChoice = self.prompter.select(
            _("What would you like to do?"), choices, default=PiiChoice.REMOVE, flag="--pii remove|keep"
        )
        return chosen

    def edit(self, question: Question, text: str) -> str | Skip:
        message = inert(question.prompt, single_line=True) + "  " + _("(leave empty to skip)")
        typed = self.prompter.text(message, default=text, flag="--pii remove|keep")
        return self._within_limit(question, typed, message, "--pii remove|keep")

    def removed(self, question: Question, text: str) -> None:
        from stigmacards.ui.render import safe

        self.console.print(_("Your answer will be saved as:"), markup=False, highlight=False)
        self.console.print(safe(text, "bold"))

    def save_failed(self, error: StoreError) -> bool:
        from stigmacards.ui.kiosk import not_saved
        from stigmacards.ui.prompts import Choice

        self.console.print(not_saved(str(error)))
        if not self.interactive:
            return False
        again: bool = self.prompter.select(
            _("Your answers are kept until you choose."),
            [
                Choice(_("Try again"), True),
                Choice(_("Skip saving (your answers are discarded)"), False),
            ],
            default=True,
        )
        return again
