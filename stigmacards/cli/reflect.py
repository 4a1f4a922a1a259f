"""`stigmacards reflect SESSION`: collect anonymous reflections, one person or a kiosk laptop.

The flow itself (which prompts, skipping, the draft, saving once) is in `reflecting`; this module
connects it to the store, the prompts and the screen. What a participant types is held in memory
only and saved once, at the end of their answers.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards import paths
from stigmacards.cli.common import load
from stigmacards.errors import Cancelled, ExitCode, SessionError, StigmaError, StoreError, UsageError
from stigmacards.i18n import _, language, ngettext, normalize, set_language
from stigmacards.platform import ENDING_SIGNALS, no_core_dumps, signals, signals_held
from stigmacards.reflections.flow import (
    PROMISED_MIN_GROUP,
    SKIP,
    EndCodeThrottle,
    KioskAction,
    Outcome,
    PiiChoice,
    PiiPolicy,
    PromptKind,
    Question,
    Script,
    Skip,
    Value,
    code_matches,
    collect,
    kiosk_action,
    needs_terminal,
    new_end_code,
    options_for,
    parse_script,
    questions_for,
    submit,
    text_problem,
)
from stigmacards.text import inert

if TYPE_CHECKING:
    from rich.console import Console

    from stigmacards.deck.catalog import DeckSource
    from stigmacards.reflections.pii import PiiFlag
    from stigmacards.reflections.store import Answer, ReflectionStore, SessionInfo
    from stigmacards.ui.kiosk import Screen
    from stigmacards.ui.prompts import Prompter


# --- Seams: tests replace these instead of needing a terminal. ---------------------------


def has_terminal() -> bool:
    """True when a person can answer prompts here (stdin and stdout are terminals)."""
    try:
        return os.isatty(sys.stdin.fileno()) and os.isatty(sys.stdout.fileno())
    except (AttributeError, ValueError, OSError):
        return False


def wait(seconds: float) -> None:
    """The kiosk's pause after a wrong end code (a seam: tests record instead of sleeping)."""
    import time

    time.sleep(seconds)


def make_prompter(*, kiosk: bool) -> Prompter:
    from stigmacards.ui.prompts import QuestionaryPrompter

    return QuestionaryPrompter(eof_cancels=kiosk)


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


def _save_without_interruption(store: ReflectionStore, session_id: str) -> Callable[[Sequence[Answer]], None]:
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


# --- The command. ----------------------------------------------------------------------------


def reflect(
    ctx: typer.Context,
    session: Annotated[str, typer.Argument(help="Session id (from `session new` or `play`).")],
    *,
    kiosk: Annotated[
        bool, typer.Option("--kiosk", help="One laptop passed round: wipe the screen after each person.")
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the questions (default: the session's).")
    ] = None,
    deck: Annotated[
        str | None,
        typer.Option("--deck", metavar="PATH", help="The session's deck file, if it is not found by its id."),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer", metavar="PROMPT_ID=VALUE", help="Answer a prompt without asking (repeatable)."
        ),
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", metavar="PROMPT_ID", help="Skip a prompt (repeatable).")
    ] = None,
    skip_rest: Annotated[
        bool, typer.Option("--skip-rest", help="Skip every prompt not given with --answer.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Accept the promise about your answers.")] = False,
    pii: Annotated[
        PiiPolicy,
        typer.Option(
            "--pii", help="What to do with answers that look like personal data: ask, remove or keep."
        ),
    ] = PiiPolicy.ask,
) -> None:
    """Ask a session's reflection questions and save the answers once, at the end.

    The first screen says what is stored and what is not. Every question can be skipped.
    Scripts pass --yes and --answer/--skip for each prompt (or --skip-rest).

    Example: stigmacards reflect 3f9a0c17 --kiosk
    """
    no_core_dumps()
    with signals_end_the_turn():
        store, info = open_session(session)
        with store:
            chosen = lang or _global_lang(ctx) or info.language
            ui_lang = normalize(chosen)
            if ui_lang and ui_lang != language():
                set_language(ui_lang)
            source = session_deck(info, deck)
            questions = questions_for(source.deck, chosen)
            script = parse_script(
                questions, answers=answer or (), skipped=skip or (), skip_rest=skip_rest, pii=pii
            )
            from stigmacards.deck.model import localize

            title = localize(source.deck, chosen).title
            if not kiosk:
                _one_participant(store, info, questions, script, title=title, accepted=yes)
                return
            if not script.empty or yes or pii is not PiiPolicy.ask:
                raise UsageError(
                    _("--kiosk asks every participant itself: leave out --answer, --skip, --yes and --pii")
                )
            if not has_terminal():
                raise UsageError(_("--kiosk needs a terminal"))
            run_kiosk(store, info, questions, title=title)


def open_session(session_id: str) -> tuple[ReflectionStore, SessionInfo]:
    """The store and an open session; the store must be writable before anyone is asked anything."""
    from stigmacards.reflections.store import ReflectionStore, typed_into_merged_message

    store = ReflectionStore.in_home(paths.home())
    try:
        info = store.get_session(session_id)
        if info.sealed:
            raise SessionError(_("session {id} is closed: it takes no more reflections").format(id=info.id))
        if info.imported:
            raise SessionError(typed_into_merged_message(info.id))
        store.require_room(info.id)  # nobody answers in vain: the group may be complete
        store.ensure_writable()
    except BaseException:
        store.close()
        raise
    return store, info


def session_deck(info: SessionInfo, spec: str | None) -> DeckSource:
    """The deck the session was started with, unchanged (choices are saved by their position)."""
    from stigmacards.deck.catalog import content_hash

    source = load(spec or info.deck_id)
    if source.deck.id != info.deck_id:
        raise SessionError(
            _("{path} holds deck '{found}', but session {id} uses deck '{deck}'").format(
                path=source.path, found=source.deck.id, id=info.id, deck=info.deck_id
            )
        )
    if content_hash([source.path]) != info.deck_hash:
        raise SessionError(
            _(
                "deck '{deck}' changed since session {id} started: its questions may differ; "
                "start a new session with `stigmacards session new {deck}`"
            ).format(deck=info.deck_id, id=info.id)
        )
    return source


def _one_participant(
    store: ReflectionStore,
    info: SessionInfo,
    questions: Sequence[Question],
    script: Script,
    *,
    title: str,
    accepted: bool,
) -> None:
    from stigmacards.ui.console import console
    from stigmacards.ui.kiosk import saved_line

    interactive = has_terminal()
    if needs_terminal(questions, script, promise_accepted=accepted) and not interactive:
        ids = ", ".join(q.id for q in questions)
        raise UsageError(
            _(
                "no terminal to ask on: pass --yes and, for each prompt, --answer PROMPT_ID=VALUE or "
                "--skip PROMPT_ID (or --skip-rest); prompts: {ids}"
            ).format(ids=ids)
        )
    asker = PromptAsker(
        prompter=make_prompter(kiosk=False) if interactive else _NoPrompter(),
        console=console(),
        title=title,
        interactive=interactive,
    )
    try:
        if not accepted and not asker.accept_promise():
            console().print(_("Nothing was saved."))
            return
        draft = collect(questions, asker, script=script)
        outcome = submit(
            draft, _save_without_interruption(store, info.id), asker=asker if interactive else None
        )
    except Cancelled:
        raise Cancelled(_("cancelled: nothing was saved")) from None
    if outcome is Outcome.SAVED:
        console().print(saved_line(len(draft)))
    elif outcome is Outcome.EMPTY:
        console().print(_("You skipped every question: nothing to save. Thank you."))
    else:
        raise StoreError(_("not saved: your answers were discarded"))


class _NoPrompter:
    """Stands in when there is no terminal; the flow checks beforehand that it is never asked."""

    def _none(self, flag: str) -> UsageError:
        return UsageError(_("no terminal to ask the question on (pass {flag})").format(flag=flag))

    def select(self, message: str, choices: object, *, default: object = None, flag: str = "") -> object:
        raise self._none(flag)

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        raise self._none(flag)

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        raise self._none(flag)

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        raise self._none(flag)

    def number(
        self, message: str, *, default: float, minimum: float, maximum: float, flag: str = ""
    ) -> float:
        raise self._none(flag)


# --- Kiosk mode. -------------------------------------------------------------------------


def run_kiosk(
    store: ReflectionStore,
    info: SessionInfo,
    questions: Sequence[Question],
    *,
    title: str,
    code: str | None = None,
) -> int:
    """Pass one laptop round the group until the facilitator ends it; return the submissions saved."""
    from stigmacards.ui.console import console
    from stigmacards.ui.kiosk import Screen

    out = console()
    screen = Screen(sys.stdout)
    prompter = make_prompter(kiosk=True)
    code = code or new_end_code()
    saved = 0
    throttle = EndCodeThrottle()
    with screen.kiosk():
        _facilitator_start(out, prompter, code, info.id, screen)
        screen.wipe()
        thanks = False
        notice: str | None = None
        while True:
            action = _welcome(out, prompter, title=title, thanks=thanks, notice=notice)
            notice = None
            if action is None:
                screen.wipe()
                continue
            if action is KioskAction.END:
                if _facilitator_confirms(prompter, code):
                    break
                delay = throttle.wrong()
                screen.wipe()
                if delay:
                    out.print(
                        ngettext(
                            "That is not the code. Wait {n} second.",
                            "That is not the code. Wait {n} seconds.",
                            round(delay),
                        ).format(n=round(delay)),
                        markup=False,
                        highlight=False,
                    )
                    wait(delay)
                notice = _("That is not the code: kiosk mode goes on.")
                screen.wipe()
                continue
            screen.wipe()
            outcome = _kiosk_turn(
                store, info, questions, out=out, prompter=prompter, title=title, screen=screen
            )
            screen.wipe()
            # The same screen after every turn, saved or not: the next person learns nothing
            # about whether the last one finished, declined or pressed Ctrl-C.
            thanks = True
            saved += outcome is Outcome.SAVED
    total = store.answered_by_at_least(info.id)  # earlier kiosk runs too: 0 now is not data loss
    out.print(
        ngettext(
            "Kiosk mode ended: {n} submission saved now.",
            "Kiosk mode ended: {n} submissions saved now.",
            saved,
        ).format(n=saved)
        + "\n"
        + ngettext(
            "Session {id} holds answers from at least {total} person.",
            "Session {id} holds answers from at least {total} people.",
            total,
        ).format(id=info.id, total=total)
        + "\n"
        + _(
            "When everyone is done: stigmacards session close {id}, then session review {id} and "
            "session report {id}"
        ).format(id=info.id)
    )
    return saved


def _facilitator_start(out: Console, prompter: Prompter, code: str, session_id: str, screen: Screen) -> None:
    """The end code, shown once and only after the facilitator says nobody else can see it."""
    from stigmacards.ui.kiosk import before_the_code, kiosk_start

    out.print(before_the_code(session_id=session_id))
    prompter.text(_("Press Enter when only you can see this screen"))
    screen.wipe()
    out.print(kiosk_start(code, session_id=session_id))
    prompter.text(_("Press Enter when you have noted the code"))


def _welcome(
    out: Console, prompter: Prompter, *, title: str, thanks: bool, notice: str | None
) -> KioskAction | None:
    """The screen between participants; None when the input was cancelled (Ctrl-C, Ctrl-D)."""
    from stigmacards.ui.kiosk import thanks as thanks_screen
    from stigmacards.ui.kiosk import welcome

    out.print(thanks_screen() if thanks else welcome(title))
    if notice:
        out.print(notice, style="yellow", markup=False, highlight=False)
    try:
        typed = prompter.text(_("Ready?"))
    except Cancelled:
        if not has_terminal():
            raise StigmaError(_("the terminal went away"), exit_code=ExitCode.HANGUP) from None
        return None
    return kiosk_action(typed)


def _facilitator_confirms(prompter: Prompter, code: str) -> bool:
    try:
        return code_matches(code, prompter.text(_("Code to end kiosk mode:")))
    except Cancelled:
        return False


def _kiosk_turn(
    store: ReflectionStore,
    info: SessionInfo,
    questions: Sequence[Question],
    *,
    out: Console,
    prompter: Prompter,
    title: str,
    screen: Screen,
) -> Outcome | None:
    """One participant from promise to saved answers; None when they stopped (draft discarded).

    Only the facilitator ends kiosk mode: whatever goes wrong in a turn (the session closed
    elsewhere, a bug) is shown and the turn ends, so the next person never lands in a shell.
    """
    from stigmacards.ui.kiosk import not_saved

    asker = PromptAsker(prompter=prompter, console=out, title=title, interactive=True)
    try:
        try:
            store.ensure_writable()
            if store.get_session(info.id).sealed:
                raise SessionError(
                    _("session {id} is closed: it takes no more reflections").format(id=info.id)
                )
            store.require_room(info.id)  # the group is complete: say so before anyone answers
        except StigmaError as error:
            out.print(not_saved(str(error)))
            prompter.text(_("Please tell the facilitator. Press Enter."))
            return None
        if not asker.accept_promise():
            return None
        draft = collect(questions, asker)
        return submit(draft, _save_without_interruption(store, info.id), asker=asker)
    except (Cancelled, KeyboardInterrupt):
        # The draft was only ever in this frame's locals: leaving it discards it.
        return None
    except Exception as error:
        if not has_terminal():
            raise
        # No message: it could quote what was typed. The type is enough to ask about it.
        from stigmacards.ui.render import safe

        reason = str(error) if isinstance(error, StigmaError) else type(error).__name__
        shown = safe(_("not saved: your answers were discarded"), "bold red")
        shown.append("\n")
        shown.append_text(safe(reason, "dim", single_line=True))
        out.print(shown)
        with suppress(Cancelled):
            prompter.text(_("Please tell the facilitator. Press Enter."))
        return None


def _global_lang(ctx: typer.Context) -> str | None:
    parent = ctx.parent
    value = parent.params.get("lang") if parent is not None else None
    return value if isinstance(value, str) else None
