"""The terminal as a `play.runner.Stage`: the screens, the prompts and the live round timer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.text import Text

from stigmacards.deck.model import LocalDeck
from stigmacards.i18n import _
from stigmacards.play.dealing import Deal
from stigmacards.play.runner import NoteChoice
from stigmacards.play.state import Session
from stigmacards.play.timing import RoundResult
from stigmacards.ui.prompts import Choice, Prompter
from stigmacards.ui.screens import (
    closing_view,
    content_note_notice,
    facilitator_notes_view,
    intro_view,
    resume_notice,
    round_view,
    setup_summary,
)

if TYPE_CHECKING:
    from stigmacards.play.runner import Runner


@dataclass(frozen=True, slots=True)
class Display:
    """The display flags of `play`: not part of the session, they may change on --resume."""

    big: bool = False
    calm: bool = False
    plain: bool = False
    quiet: bool = False


@dataclass
class TerminalStage:
    """Shows the session on `console`; asks `prompter` (None: ask nothing, take the defaults).

    `notes` is asked about content notes: at a terminal even with --yes, because a note printed
    just before the cards would be covered by them at once, unread. None: accepted in advance.
    `clock` and `keys` are the live timer's seams (None: the real ones).
    """

    console: Console
    display: Display
    prompter: Prompter | None = None
    notes: Prompter | None = None
    clock: Any = None
    keys: Any = None

    def opening(self, deck: LocalDeck, session: Session, *, resumed: bool) -> None:
        if resumed:
            self.console.print(resume_notice(session))
        else:
            self.console.print(setup_summary(deck, session.options, seed=session.deal.seed))

    def intro(self, deck: LocalDeck) -> bool:
        self.console.print(intro_view(deck, big=self.display.big))
        if self.prompter is None:
            return True
        return self.prompter.confirm(_("Deal the cards for round 1?"), default=True, flag="--yes")

    def content_notes(self, deck: LocalDeck, deals: Sequence[Deal], *, several: bool) -> NoteChoice:
        notice = content_note_notice(deck, deals, several=several)
        if notice is not None:
            self.console.print(notice)
        if self.notes is None:  # no terminal, --yes: accepted in advance
            return NoteChoice.SHOW
        answer = self.notes.select(
            _("Show these cards to the room?"),
            [
                Choice(title=_("Yes, show the cards"), value=NoteChoice.SHOW),
                Choice(title=_("No, deal another card without a content note"), value=NoteChoice.OTHER),
                Choice(title=_("Stop here (the session is saved)"), value=NoteChoice.STOP),
            ],
            default=NoteChoice.SHOW,
            flag="--yes",
        )
        return NoteChoice(answer)

    def run_round(self, play: Runner) -> RoundResult:
        from stigmacards.ui.live import run_round, timer_mode_for

        session = play.session
        remaining = session.remaining_or_zero

        def header() -> RenderableType:
            """The cards above the timer (called again after a pass)."""
            view = round_view(
                play.local,
                play.session.deal.current,
                round_number=play.session.round,
                rounds=play.session.options.rounds,
                big=self.display.big,
                restarted=play.restarted,
            )
            if play.notice:
                return Group(view, Text(play.notice, style="yellow"))
            return view

        def notes() -> RenderableType:
            deals = play.session.deal.current
            return facilitator_notes_view(play.local, deals, several=len(deals) > 1)

        return run_round(
            seconds=remaining,
            # A resumed round: its bar goes on from where it was, not from empty.
            elapsed=max(0.0, session.options.seconds - remaining),
            header=header,
            tables=session.options.tables,
            mode=timer_mode_for(self.console, calm=self.display.calm, plain=self.display.plain),
            quiet=self.display.quiet,
            big=self.display.big,
            console=self.console,
            clock=self.clock,
            keys=self.keys,
            on_pass=play.pass_table,
            on_progress=play.progress,
            paused=session.paused,
            on_pause=play.pause,
            notes=notes if any(c.facilitator_note for c in play.local.cards) else None,
        )

    def closing(self, deck: LocalDeck) -> None:
        self.console.print(closing_view(deck, big=self.display.big))

    def ask_reflect(self, deck: LocalDeck) -> bool | None:
        if self.prompter is None:
            return None
        return self.prompter.confirm(
            _("Collect anonymous reflections now, with this laptop passed round?"),
            default=True,
            flag="--reflect/--no-reflect",
        )

    def ask_group_size(self, *, default: int, maximum: int) -> int | None:
        if self.prompter is None:
            return None
        return self.prompter.integer(
            _("How many people took part?"), default=default, minimum=1, maximum=maximum, flag="--group-size"
        )

    def say(self, message: str, *, warning: bool = False) -> None:
        self.console.print(message, style="yellow" if warning else None, markup=False, highlight=False)
