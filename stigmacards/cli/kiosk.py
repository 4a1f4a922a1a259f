"""Kiosk mode: one laptop passed round the group, wiped between people, ended only by the facilitator.

The loop around `reflect --kiosk` and `play --reflect`: the facilitator's start screen with the
end code (after a projector warning), the neutral screen between people, one participant's
turn, and the end code with its growing wait after wrong codes. The rules (what `:end` means,
the code, the throttle) are in reflections/flow.py; the prompter and terminal seams are
cli/asking.py's, which tests replace.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING

from stigmacards.cli import asking
from stigmacards.cli.env import ENV
from stigmacards.errors import Cancelled, ExitCode, SessionError, StigmaError
from stigmacards.i18n import _, ngettext
from stigmacards.reflections.flow import (
    EndCodeThrottle,
    KioskAction,
    Outcome,
    Question,
    code_matches,
    collect,
    kiosk_action,
    new_end_code,
    submit,
)

if TYPE_CHECKING:
    from rich.console import Console

    from stigmacards.reflections.store import ReflectionStore, SessionInfo
    from stigmacards.ui.kiosk import Screen
    from stigmacards.ui.prompts import Prompter


def wait(seconds: float) -> None:
    """The kiosk's pause after a wrong end code (a seam: tests record instead of sleeping)."""
    import time

    time.sleep(seconds)


def run_kiosk(
    store: ReflectionStore,
    info: SessionInfo,
    questions: Sequence[Question],
    *,
    title: str,
    code: str | None = None,
) -> int:
    """Pass one laptop round the group until the facilitator ends it; return the submissions saved."""
    from stigmacards.ui.kiosk import Screen

    out = ENV.console()
    screen = Screen(sys.stdout)
    prompter = asking.make_prompter(kiosk=True)
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
        if not asking.has_terminal():
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

    asker = asking.PromptAsker(prompter=prompter, console=out, title=title, interactive=True)
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
        return submit(draft, asking.save_without_interruption(store, info.id), asker=asker)
    except (Cancelled, KeyboardInterrupt):
        # The draft was only ever in this frame's locals: leaving it discards it.
        return None
    except Exception as error:
        if not asking.has_terminal():
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
