"""What the live round screen shows, whatever the view: its state, styles and words.

Shared by the views (ui/roundviews.py) and the round loop (ui/live.py): the state of a round on
screen, the events the loop sends the views, the key sets, the styles, and the footer, help,
question line and "minutes left" in the interface language.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from stigmacards.i18n import _
from stigmacards.play.timing import (
    ONE_MINUTE,
    Countdown,
)

STYLE_DIGITS = "bold"
STYLE_AMBER = "bold orange1"  # the last minute; rich maps it to yellow on 8-colour terminals
STYLE_TIME_UP = "bold magenta"
STYLE_PAUSED = "dim"
STYLE_BAR = "cyan"
STYLE_BAR_AMBER = "orange1"
STYLE_BAR_CALM = "blue"
STYLE_BAR_EMPTY = "dim"
STYLE_FOOTER = "dim"

LAST_MINUTE = ONE_MINUTE
CALM_STEP = 5.0  # seconds: the calm bar moves at most this often
# Nothing to show for a long time (paused, waiting after time's up): wake up now and then anyway.
LONGEST_WAIT = 3600.0
# Wake just after a display boundary, not just before it (then nothing would have changed yet).
AFTER_BOUNDARY = 0.001

YES = frozenset("yYjJ")  # y(es) / j(a)
PLUS = frozenset("+=")  # '=' is '+' without Shift on most layouts
MINUS = frozenset("-_")


# --- state and events ------------------------------------------------------------------------


class _Ask(enum.Enum):
    NOTHING = enum.auto()
    TABLE = enum.auto()
    QUIT = enum.auto()
    HELP = enum.auto()
    NOTES = enum.auto()


# Enumerations: alike in shape to _Ask above by nature.
class _Event(enum.Enum):
    PAUSED = enum.auto()
    RESUMED = enum.auto()
    LONGER = enum.auto()
    SHORTER = enum.auto()
    ASK_TABLE = enum.auto()
    NO_SUCH_TABLE = enum.auto()
    PASSED = enum.auto()
    NOT_PASSED = enum.auto()
    ASK_QUIT = enum.auto()
    NOT_QUIT = enum.auto()
    HELP = enum.auto()
    NOTES = enum.auto()
    HELP_CLOSED = enum.auto()
    TIME_UP = enum.auto()
    ENDED_EARLY = enum.auto()
    QUITTING = enum.auto()
    RESIZED = enum.auto()


@dataclass
class _State:
    countdown: Countdown
    tables: int
    can_pass: bool
    interactive: bool
    ask: _Ask = _Ask.NOTHING
    table_digits: str = ""
    no_such_table: int | None = None  # a table number just typed that does not exist (asked again)
    up: bool = False  # time's up: shown, now waiting for the facilitator
    passed_table: int = 0
    notes: Callable[[], RenderableType] | None = None  # the facilitator notes of the cards shown


class _View(Protocol):
    modal_help: bool

    def open(self, now: float) -> None: ...

    def close(self) -> None: ...

    def tick(self, now: float) -> None: ...

    def on(self, event: _Event, now: float) -> None: ...

    def wake_in(self, now: float) -> float: ...

    def suspend(self) -> None: ...

    def resume(self, now: float) -> None: ...


# --- interface text shared by the views -------------------------------------------------------


def _no_such_table(state: _State) -> str:
    return _("There is no table {n}: type 1–{tables}.").format(n=state.no_such_table, tables=state.tables)


def _minutes_left(remaining: float) -> str:
    minutes = max(1, math.ceil(remaining / ONE_MINUTE - 1e-9))
    if minutes == 1:
        return _("about one minute left")
    return _("about {n} minutes left").format(n=minutes)


def _footer(state: _State, width: int = 0) -> str:
    """The keys, on one line of at most `width` cells (0: any): shorter as the screen narrows.

    '? help' always stays, last: the help says what the shortened keys do.
    """
    full = [_("space pause"), _("+/- one minute")]
    short = [_("space pause"), "+/-"]
    keys = [_("space"), "+/-"]
    if state.can_pass:
        full.append(_("p pass"))
        short.append(_("p pass"))
        keys.append("p")
    if state.notes is not None:
        full.append(_("f notes"))
        short.append(_("f notes"))
        keys.append("f")
    full += [_("n next"), _("q quit"), _("? help")]
    short += [_("n next"), _("q quit"), _("? help")]
    keys += ["n", "q", _("? help")]
    candidates = [
        "  ·  ".join(full),
        " · ".join(full),  # the Dutch keys, '? hulp' last, do not fit in 80 columns otherwise
        " · ".join(short),
        " ".join(keys),
    ]
    if not width:
        return candidates[0]
    return next((line for line in candidates if cell_len(line) <= width), candidates[-1])


def _help(state: _State, *, modal: bool = True) -> Panel:
    rows = [
        (_("space"), _("pause, or continue after a pause")),
        ("+  -", _("one minute more, one minute less")),
    ]
    if state.can_pass:
        rows.append(("p", _("pass: a new card for a table (asks which)")))
    if state.notes is not None:
        rows.append(("f", _("the facilitator notes of these cards")))
    rows += [
        ("n", _("end this round now")),
        ("q", _("quit (asks first)")),
        ("?", _("this help")),
        (_("Enter"), _("when the time is up: continue")),
    ]
    table = Table.grid(padding=(0, 3))
    table.add_column(style="bold")
    table.add_column()
    for key, meaning in rows:
        table.add_row(key, meaning)
    return Panel(
        table,
        title=Text(_("Keys"), style="bold"),
        # The plain view prints the help and goes on: there is nothing to close.
        subtitle=Text(_("any key closes this help"), style="dim") if modal else None,
        title_align="left",
        expand=False,
        padding=(0, 2),  # below the cards, it takes the timer's place: keep it low
    )


def _ask_line(state: _State) -> Text:
    """The question or state shown under the timer ('' when there is nothing to say).

    Styles go on the words only: a style given to the whole Text would also colour the padding
    that centres it, painting a reversed bar across the screen.
    """
    text = Text()
    if state.ask is _Ask.TABLE:
        if state.no_such_table is not None:  # in place of the question: it says what to type
            text.append(" " + _no_such_table(state) + " ", "bold reverse")
        else:
            text.append(
                " " + _("Which table gets a new card? 1–{n}").format(n=state.tables) + " ", "bold reverse"
            )
        text.append("  ")
        if state.table_digits:
            text.append(state.table_digits + "_", style="bold")
        text.append("  " + _("(Esc: cancel)"), style="dim")
    elif state.ask is _Ask.QUIT:
        text.append(" " + _("Quit? y/n") + " ", style="bold reverse")
    elif state.up:
        text.append(" " + _("Time's up") + " ", style=f"{STYLE_TIME_UP} reverse")
        if state.interactive:
            text.append("  " + _("Enter: continue  ·  +: one more minute"), style="dim")
    elif state.countdown.paused:
        text.append(_("Paused: space to continue"), style="bold")
    return text


def _is_blank(console: Console, renderable: RenderableType) -> bool:
    return all(
        not segment.text.strip() for line in console.render_lines(renderable, pad=False) for segment in line
    )
