"""The live round timer: big digits, a calm bar or plain lines, driven by keys.

`run_round` counts one round down under the cards (`header()`), reacts to the facilitator's
keys and returns how the round ended. The whole screen is painted only when something other
than the time changes (start, a passed card, help, a resize); otherwise only the timer block
is repainted, and only when what it shows changes. Between paints the process waits in
`select()` inside `KeySource.read`, so a running timer costs almost no CPU.

The terminal is always restored (alternate screen left, cursor shown, cbreak mode off) on a
normal end, Ctrl-C, SIGTERM/SIGHUP and crashes.
"""

from __future__ import annotations

import enum
import math
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from types import FrameType
from typing import Protocol

from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group, RenderableType
from rich.control import Control
from rich.panel import Panel
from rich.segment import Segment, Segments
from rich.style import Style
from rich.table import Table
from rich.text import Text

from stigmacards.i18n import _
from stigmacards.platform import ENDING_SIGNALS, SUSPEND_SIGNAL, signals
from stigmacards.play.timing import (
    ONE_MINUTE,
    Clock,
    Countdown,
    RoundOutcome,
    RoundResult,
    SystemClock,
    clock_face,
    shown_seconds,
    until_shown_changes,
)
from stigmacards.ui import bigdigits
from stigmacards.ui.keys import (
    ENTER,
    RESIZE,
    SPACE,
    KeySource,
    NoKeys,
    TerminalKeys,
    open_keys,
    stdin_is_terminal,
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


class TimerMode(StrEnum):
    BIG = "big"
    CALM = "calm"
    PLAIN = "plain"


def timer_mode_for(console: Console, *, calm: bool, plain: bool) -> TimerMode:
    """The display a round gets: PLAIN when asked for or when output is not a (capable) terminal."""
    if plain or not console.is_terminal or console.is_dumb_terminal:
        return TimerMode.PLAIN
    return TimerMode.CALM if calm else TimerMode.BIG


def run_round(
    *,
    seconds: float,
    elapsed: float = 0.0,
    header: Callable[[], RenderableType],
    tables: int,
    mode: TimerMode,
    quiet: bool,
    big: bool,
    console: Console,
    clock: Clock | None = None,
    keys: KeySource | None = None,
    on_pass: Callable[[int], None] | None = None,
    on_progress: Callable[[float], None] | None = None,
    paused: bool = False,
    on_pause: Callable[[bool], None] | None = None,
    notes: Callable[[], RenderableType] | None = None,
) -> RoundResult:
    """Count one round down under `header()` and return how it ended.

    Keys: space pause/resume, +/- one minute, p pass (asks which table; calls `on_pass`),
    n end now, q quit (confirmed), ? help. At zero: bell unless `quiet`, "Time's up", then wait
    for Enter/space/n. Without a keyboard (stdin not a terminal) it returns at zero.
    `on_progress(remaining)` is called at least once a second and after every pause or extension.
    `elapsed`: time the round already ran before (a resumed round), so the bar starts part-filled.
    `paused`: start paused (a round that was paused when it was interrupted); `on_pause(paused)`
    is called whenever the countdown is paused or continues. `notes()`: the facilitator notes of
    the cards on the tables, shown with f (below the cards, like the help).
    """
    if mode is not TimerMode.PLAIN and (not console.is_terminal or console.is_dumb_terminal):
        mode = TimerMode.PLAIN
    countdown = Countdown(seconds, elapsed=elapsed)
    with ExitStack() as stack:
        stack.enter_context(_exit_on_signals())
        if keys is None:
            keys = stack.enter_context(open_keys()) if stdin_is_terminal() else NoKeys()
        state = _State(
            countdown=countdown,
            tables=max(1, tables),
            can_pass=on_pass is not None,
            interactive=not isinstance(keys, NoKeys),
            notes=notes,
        )
        view: _View
        if mode is TimerMode.PLAIN:
            view = _PlainView(console, state, header)
        else:
            view = _ScreenView(console, state, header, calm=mode is TimerMode.CALM, big=big)
        stack.callback(view.close)
        clock = clock or SystemClock()
        stack.enter_context(_step_aside_on_ctrl_z(view, keys, clock))
        return _Round(
            state,
            view,
            keys=keys,
            clock=clock,
            console=console,
            quiet=quiet,
            on_pass=on_pass,
            on_progress=on_progress,
            paused=paused,
            on_pause=on_pause,
        ).run()
    raise AssertionError("unreachable")  # pragma: no cover - ExitStack does not swallow exceptions


@contextmanager
def _exit_on_signals() -> Iterator[None]:
    """SIGTERM/SIGHUP end the round as SystemExit(128+n), so every `finally` restores the terminal."""

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous: dict[signal.Signals, object] = {}
    try:
        for signum in signals(*ENDING_SIGNALS):  # no SIGHUP on Windows
            previous[signum] = signal.signal(signum, leave)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)  # type: ignore[arg-type]


# --- state and events ------------------------------------------------------------------------


class _Ask(enum.Enum):
    NOTHING = enum.auto()
    TABLE = enum.auto()
    QUIT = enum.auto()
    HELP = enum.auto()
    NOTES = enum.auto()


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


@contextmanager
def _step_aside_on_ctrl_z(view: _View, keys: KeySource, clock: Clock) -> Iterator[None]:
    """Ctrl-Z: give the shell a normal terminal while stopped, and take it back on `fg`."""

    found = signals(SUSPEND_SIGNAL)
    if not found:  # Windows: no job control, Ctrl-Z is just a key
        yield
        return
    (suspend,) = found

    def stop(signum: int, frame: FrameType | None) -> None:
        view.suspend()
        if isinstance(keys, TerminalKeys):
            keys.suspend()
        signal.signal(suspend, signal.SIG_DFL)
        os.kill(os.getpid(), suspend)  # stops here until SIGCONT
        signal.signal(suspend, stop)
        if isinstance(keys, TerminalKeys):
            keys.resume()
        view.resume(clock.monotonic())

    try:
        previous = signal.signal(suspend, stop)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(suspend, previous if previous is not None else signal.SIG_DFL)


class _Round:
    """The key handling and the waiting; what is shown is up to the view."""

    def __init__(
        self,
        state: _State,
        view: _View,
        *,
        keys: KeySource,
        clock: Clock,
        console: Console,
        quiet: bool,
        on_pass: Callable[[int], None] | None,
        on_progress: Callable[[float], None] | None,
        paused: bool = False,
        on_pause: Callable[[bool], None] | None = None,
    ) -> None:
        self.state = state
        self.view = view
        self.keys = keys
        self.clock = clock
        self.console = console
        self.quiet = quiet
        self.on_pass = on_pass
        self.on_progress = on_progress
        self.on_pause = on_pause
        self._start_paused = paused
        self._last_progress = -math.inf

    def run(self) -> RoundResult:
        state, countdown = self.state, self.state.countdown
        now = self.clock.monotonic()
        countdown.start(now)
        if self._start_paused:
            countdown.pause(now)
        self.view.open(now)
        self._progress(now)
        while True:
            if not state.up and countdown.expired(now):
                state.up = True
                if state.ask is _Ask.TABLE:
                    state.ask = _Ask.NOTHING
                    state.no_such_table = None
                self.view.on(_Event.TIME_UP, now)
                if not self.quiet:
                    self.console.bell()
                self._progress(now)
                if not state.interactive:
                    return RoundResult(RoundOutcome.DONE, 0.0)
            else:
                self.view.tick(now)
            key = self.keys.read(self._timeout(now))
            now = self.clock.monotonic()
            if key is not None:
                outcome = self._key(key, now)
                if outcome is not None:
                    return RoundResult(outcome, 0.0 if state.up else countdown.remaining(now))
            if self.on_progress is not None and not state.up and now - self._last_progress >= 1.0 - 1e-6:
                self._progress(now)

    def _timeout(self, now: float) -> float:
        countdown = self.state.countdown
        wait = self.view.wake_in(now)
        if not self.state.up:
            if countdown.running:
                wait = min(wait, countdown.remaining(now))
            if self.on_progress is not None:
                wait = min(wait, self._last_progress + 1.0 - now)
        return max(0.0, min(wait, LONGEST_WAIT))

    def _progress(self, now: float) -> None:
        self._last_progress = now
        if self.on_progress is not None:
            self.on_progress(self.state.countdown.remaining(now))

    def _key(self, key: str, now: float) -> RoundOutcome | None:
        state, countdown = self.state, self.state.countdown
        if key == RESIZE:
            self.view.on(_Event.RESIZED, now)
            return None
        if state.ask in (_Ask.HELP, _Ask.NOTES):  # any key closes the help or the notes
            state.ask = _Ask.NOTHING
            self.view.on(_Event.HELP_CLOSED, now)
            return None
        if state.ask is _Ask.QUIT:
            state.ask = _Ask.NOTHING
            if key in YES:
                self.view.on(_Event.QUITTING, now)
                return RoundOutcome.QUIT
            self.view.on(_Event.NOT_QUIT, now)
            return None
        if state.ask is _Ask.TABLE:
            self._table_key(key, now)
            return None
        if key in ("q", "Q"):
            state.ask = _Ask.QUIT
            self.view.on(_Event.ASK_QUIT, now)
        elif key == "?":
            if self.view.modal_help:
                state.ask = _Ask.HELP
            self.view.on(_Event.HELP, now)
        elif key in ("f", "F") and state.notes is not None:
            if self.view.modal_help:
                state.ask = _Ask.NOTES
            self.view.on(_Event.NOTES, now)
        elif state.up:
            if key in (ENTER, SPACE, "n", "N"):
                return RoundOutcome.DONE
            if key in PLUS:  # one more minute after all
                countdown.extend(ONE_MINUTE, now)
                countdown.resume(now)
                if self.on_pause is not None:
                    self.on_pause(False)
                state.up = False
                self.view.on(_Event.LONGER, now)
                self._progress(now)
        elif key == SPACE:
            paused = countdown.toggle(now)
            self.view.on(_Event.PAUSED if paused else _Event.RESUMED, now)
            self._progress(now)
            if self.on_pause is not None:
                self.on_pause(paused)
        elif key in PLUS or key in MINUS:
            countdown.extend(ONE_MINUTE if key in PLUS else -ONE_MINUTE, now)
            self.view.on(_Event.LONGER if key in PLUS else _Event.SHORTER, now)
            self._progress(now)
        elif key in ("p", "P") and state.can_pass:
            if state.tables == 1:
                self._pass(1, now)
            else:
                state.ask = _Ask.TABLE
                state.table_digits = ""
                self.view.on(_Event.ASK_TABLE, now)
        elif key in ("n", "N"):
            self.view.on(_Event.ENDED_EARLY, now)
            return RoundOutcome.NEXT
        return None

    def _table_key(self, key: str, now: float) -> None:
        """A digit (or, with ten tables or more, digits then Enter) picks the table.

        A number with no such table says so and asks again; any other key cancels.
        """
        state = self.state
        if len(key) == 1 and key in "0123456789":
            number = int(state.table_digits + key)
            if 1 <= number <= state.tables and number * 10 > state.tables:
                self._pass(number, now)
                return
            if number >= 1 and number * 10 <= state.tables:  # more digits could follow
                state.table_digits += key
                state.no_such_table = None
                self.view.on(_Event.ASK_TABLE, now)
                return
            self._no_such_table(number, now)
            return
        if key == ENTER and state.table_digits:
            number = int(state.table_digits)
            if 1 <= number <= state.tables:
                self._pass(number, now)
            else:
                self._no_such_table(number, now)
            return
        state.ask = _Ask.NOTHING
        state.table_digits = ""
        state.no_such_table = None
        self.view.on(_Event.NOT_PASSED, now)

    def _no_such_table(self, number: int, now: float) -> None:
        state = self.state
        state.table_digits = ""
        state.no_such_table = number
        self.view.on(_Event.NO_SUCH_TABLE, now)

    def _pass(self, table: int, now: float) -> None:
        state = self.state
        state.ask = _Ask.NOTHING
        state.table_digits = ""
        state.no_such_table = None
        state.passed_table = table
        assert self.on_pass is not None
        self.on_pass(table)
        self.view.on(_Event.PASSED, now)


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


# --- the full-screen view (BIG and CALM) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    width: int
    height: int
    scale: int  # big digit scale; 0 = one compact line
    timer_row: int


Line = str  # one screen row, escape codes included
RESET = "\x1b[0m"
ERASE_TO_END = "\x1b[K"


class _ScreenView:
    """Paints the alternate screen: cards on top, the timer block, a footer of keys."""

    modal_help = True

    def __init__(
        self,
        console: Console,
        state: _State,
        header: Callable[[], RenderableType],
        *,
        calm: bool,
        big: bool,
    ) -> None:
        self.console = console
        self.state = state
        self.header = header
        self.calm = calm
        self.big = big
        self.ascii_only = not bigdigits.can_show_blocks(console.encoding)
        self._header: RenderableType = Text("")
        self._layout: _Layout | None = None
        self._shown: tuple[object, ...] | None = None
        self._painted: dict[int, Line] = {}
        self._status_cache: tuple[tuple[object, ...], Line] | None = None
        self._sgr: dict[Style | str, str] = {}
        self._open = False

    # lifecycle

    def open(self, now: float) -> None:
        self._header = self.header()
        self._open = True
        self.console.set_alt_screen(True)
        self.console.show_cursor(False)
        self._paint_all(now)

    def suspend(self) -> None:
        self.close()

    def resume(self, now: float) -> None:
        self._open = True
        self.console.set_alt_screen(True)
        self.console.show_cursor(False)
        self._paint_all(now)

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        try:
            # Blank the alternate screen first: tmux copies some of its rows onto the normal
            # screen when the window was resized during the round.
            self.console.control(Control.home(), Control.clear())
            self.console.set_alt_screen(False)
            self.console.show_cursor(True)
        except OSError:  # the terminal is gone (hang-up)
            pass

    # what changes

    def tick(self, now: float) -> None:
        # Polled as well as signalled (RESIZE): a caller's own KeySource may not report resizes.
        if self._layout is None or tuple(self.console.size) != (self._layout.width, self._layout.height):
            self._paint_all(now)
        elif self._fingerprint(now) != self._shown:
            self._paint_timer(now)

    def on(self, event: _Event, now: float) -> None:
        if event is _Event.PASSED:
            self._header = self.header()
        if event in (
            _Event.PASSED,
            _Event.HELP,
            _Event.NOTES,
            _Event.HELP_CLOSED,
            _Event.RESIZED,
            _Event.TIME_UP,
        ):
            self._paint_all(now)
        elif event not in (_Event.ENDED_EARLY, _Event.QUITTING):
            self._paint_timer(now)

    def wake_in(self, now: float) -> float:
        countdown = self.state.countdown
        if self.state.up or not countdown.running:
            return math.inf
        remaining = countdown.remaining(now)
        if not self.calm:
            return until_shown_changes(remaining) + AFTER_BOUNDARY
        # Calm: the next whole minute of "about N minutes", or the next step of the bar.
        to_minute = remaining - (math.ceil(remaining / ONE_MINUTE - 1e-9) - 1) * ONE_MINUTE
        to_step = CALM_STEP - countdown.elapsed(now) % CALM_STEP
        return min(to_minute, to_step) + AFTER_BOUNDARY

    # what is shown

    def _fingerprint(self, now: float) -> tuple[object, ...]:
        """Everything the timer block shows; it is repainted only when this changes."""
        state, countdown = self.state, self.state.countdown
        remaining = countdown.remaining(now)
        common = (state.ask, state.table_digits, state.no_such_table, state.up, countdown.paused)
        if self.calm:
            return (*common, _minutes_left(remaining), self._filled(now))
        return (*common, shown_seconds(remaining))

    def _bar_width(self) -> int:
        return max(10, min(self._width() - 8, 100))

    def _filled(self, now: float) -> int:
        countdown = self.state.countdown
        total, elapsed = countdown.total(now), countdown.elapsed(now)
        cells = self._bar_width()
        if self.calm and not self.state.up:  # the calm bar moves in steps, not with every second
            elapsed = math.floor(elapsed / CALM_STEP + 1e-9) * CALM_STEP
        return cells if total <= 0 else min(cells, math.floor(cells * elapsed / total))

    def _bar(self, now: float, style: str) -> Line:
        cells, filled = self._bar_width(), self._filled(now)
        full, empty = ("=", "-") if self.ascii_only else ("━", "─")
        width = self._width()
        left = max(0, (width - cells) // 2)
        return (
            " " * left
            + self._encode(full * filled, style)
            + self._encode(empty * (cells - filled), STYLE_BAR_EMPTY)
            + " " * max(0, width - left - cells)
        )

    def _timer_lines(self, now: float, scale: int) -> list[Line]:
        """The timer block, one encoded line per screen row (built directly: this runs every second)."""
        state, countdown = self.state, self.state.countdown
        remaining = countdown.remaining(now)
        last_minute = 0 < remaining <= LAST_MINUTE
        if self.calm:
            if state.up:
                words = self._centered(_("Time's up"), STYLE_TIME_UP)
            else:
                words = self._centered(_minutes_left(remaining), "dim" if countdown.paused else "bold")
            return [words, self._bar(now, STYLE_BAR_CALM), self._status()]
        if state.up:
            style = STYLE_TIME_UP
        elif countdown.paused:
            style = STYLE_PAUSED
        else:
            style = STYLE_AMBER if last_minute else STYLE_DIGITS
        face = clock_face(shown_seconds(remaining))
        if scale == 0:
            digits = [self._centered(face, style)]
        else:
            rows = bigdigits.render(face, scale=scale, ascii_only=self.ascii_only)
            digits = [self._centered(row, style) for row in rows]
            digits.append(" " * self._width())
        bar = self._bar(now, STYLE_BAR_AMBER if last_minute else STYLE_BAR)
        return [*digits, bar, self._status()]

    def _status(self) -> Line:
        state = self.state
        key = (
            state.ask,
            state.table_digits,
            state.no_such_table,
            state.up,
            state.countdown.paused,
            self._width(),
        )
        if self._status_cache is None or self._status_cache[0] != key:
            self._status_cache = (key, self._text_line(_ask_line(state), self._width()))
        return self._status_cache[1]

    def _width(self) -> int:
        return self._layout.width if self._layout else self.console.size.width

    def _centered(self, text: str, style: str) -> Line:
        width = self._width()
        if cell_len(text) > width:
            text = set_cell_size(text, width)
        left = (width - cell_len(text)) // 2
        return " " * left + self._encode(text, style) + " " * (width - left - cell_len(text))

    def _encode(self, text: str, style: Style | str | None) -> str:
        """`text` with the escape codes for `style`, as this console would write them (NO_COLOR too)."""
        if not style or not text:
            return text
        prefix = self._sgr.get(style)
        if prefix is None:
            resolved = self.console.get_style(style) if isinstance(style, str) else style
            with self.console.capture() as capture:
                self.console.print(Segments([Segment("X", resolved)]), end="")
            prefix = self._sgr[style] = capture.get().partition("X")[0]
        return f"{prefix}{text}{RESET}" if prefix else text

    def _segments(self, segments: Iterable[Segment]) -> Line:
        return "".join(self._encode(seg.text, seg.style) for seg in segments if not seg.control)

    def _text_line(self, text: Text, width: int, *, justify: str = "center") -> Line:
        line = text.copy()
        line.truncate(width)
        line.align("left" if justify == "left" else "center", width)  # pads: overwrites what was there
        return self._segments(line.render(self.console, end=""))

    def _block_height(self, scale: int) -> int:
        if self.calm:
            return 3
        return 3 if scale == 0 else bigdigits.ROWS * scale + 3

    # painting

    def _plan(self, now: float, header_height: int, header_blank: bool) -> _Layout:
        width, height = self.console.size
        hours = self.state.countdown.remaining(now) >= 3600
        widest = bigdigits.width("0:00:00" if hours else "00:00")
        scales = [0] if self.calm else ([2, 1, 0] if self.big else [1, 0])
        scale = 0
        for candidate in scales:
            fits_across = candidate == 0 or widest * candidate <= width
            if fits_across and self._block_height(candidate) + header_height + 2 <= height:
                scale = candidate
                break
        block = self._block_height(scale)
        if header_blank:
            row = max(0, (height - 1 - block) // 2)
        else:
            row = max(0, min(header_height + 1, height - 1 - block))
        return _Layout(width, height, scale, row)

    def _overlay(self) -> RenderableType | None:
        """The help or the facilitator notes: shown below the cards, in the timer's place."""
        state = self.state
        if state.ask is _Ask.HELP:
            return _help(state)
        if state.ask is _Ask.NOTES and state.notes is not None:
            return Group(state.notes(), Text(_("any key closes the notes"), style="dim"))
        return None

    def _overlay_shown(self) -> bool:
        return self.state.ask is _Ask.HELP or (self.state.ask is _Ask.NOTES and self.state.notes is not None)

    def _paint_all(self, now: float) -> None:
        console = self.console
        width, height = console.size
        body = self._header
        blank = _is_blank(console, body)
        rendered = [] if blank else console.render_lines(body, console.options.update(width=width), pad=True)
        lines = [self._segments(line) for line in rendered]
        layout = self._layout = self._plan(now, len(lines), blank)
        room = max(0, layout.timer_row - 1)
        if len(lines) > room:
            lines = lines[: max(0, room - 1)]
            if room:
                more = Text(_("… more above the timer: make the window larger"), style="dim")
                lines.append(self._text_line(more, width, justify="left"))
        block = self._timer_lines(now, layout.scale)
        overlay = self._overlay()
        over: list[Line] = []
        over_row = height
        if overlay is not None:
            rendered_over = console.render_lines(overlay, console.options.update(width=width), pad=True)
            over = [self._segments(line) for line in rendered_over][: height - 1]
            # In the timer's place; higher (over the lowest card lines) only when it must.
            over_row = min(layout.timer_row, max(0, height - 1 - len(over)))
            block = []
        # One column short: writing the bottom-right cell can scroll some terminals.
        footer = self._text_line(Text(_footer(self.state, width - 1), style=STYLE_FOOTER), width - 1)
        self._painted = {}
        rows: list[tuple[int, Line]] = []
        for row in range(height):
            offset = row - layout.timer_row
            if 0 <= row - over_row < len(over) and row < height - 1:
                rows.append((row, over[row - over_row]))
            elif row < len(lines):
                rows.append((row, lines[row]))
            elif 0 <= offset < len(block) and row < height - 1:
                rows.append((row, block[offset]))
                self._painted[row] = block[offset]
            elif row == height - 1:
                # Erase the last cell too, without writing it: after a resize it can hold a
                # stray character from the screen before.
                rows.append((row, footer + ERASE_TO_END))
            else:
                rows.append((row, " " * width))
        self._write(rows)
        self._shown = self._fingerprint(now)

    def _paint_timer(self, now: float) -> None:
        """Repaint the rows of the timer block that changed (usually only the digits)."""
        layout = self._layout
        if layout is None:
            self._paint_all(now)
            return
        if self._overlay_shown():
            return  # the help or the notes cover the timer until a key closes them
        rows: list[tuple[int, Line]] = []
        for offset, line in enumerate(self._timer_lines(now, layout.scale)):
            row = layout.timer_row + offset
            if row >= layout.height - 1:
                break
            if self._painted.get(row) != line:
                self._painted[row] = line
                rows.append((row, line))
        self._write(rows)
        self._shown = self._fingerprint(now)

    def _write(self, rows: list[tuple[int, Line]]) -> None:
        # Straight to the file, one write: rich's print pipeline costs more CPU than the rest of a tick.
        if rows and not self.console.quiet:
            file = self.console.file
            file.write("".join(f"\x1b[{row + 1};1H{line}" for row, line in rows))
            file.flush()


# --- the plain view: a few lines, no cursor movement ------------------------------------------


class _PlainView:
    """One line at the start, at every whole minute and at the end (screen readers, logs)."""

    modal_help = False

    def __init__(self, console: Console, state: _State, header: Callable[[], RenderableType]) -> None:
        self.console = console
        self.state = state
        self.header = header
        self._next_minute = 0  # the next whole minute left to announce (0: none)

    def open(self, now: float) -> None:
        self._print_header()
        face = clock_face(shown_seconds(self.state.countdown.remaining(now)))
        line = _("Timer started: {time}.").format(time=face)
        if self.state.interactive:
            line += " " + _("Press ? for the keys.")
        self._say(line)
        if self.state.countdown.paused:  # a round that was paused when it was interrupted
            self._say(_("Paused with {time} left. Press space to continue.").format(time=face))
        self._aim(now)

    def close(self) -> None:
        pass

    def suspend(self) -> None:
        pass

    def resume(self, now: float) -> None:
        pass

    def tick(self, now: float) -> None:
        countdown = self.state.countdown
        remaining = countdown.remaining(now)
        if self._next_minute and countdown.running and remaining <= self._next_minute * ONE_MINUTE:
            minutes = max(1, math.ceil(remaining / ONE_MINUTE - 1e-6))
            self._say(_("One minute left.") if minutes == 1 else _("{n} minutes left.").format(n=minutes))
            self._aim(now)

    def wake_in(self, now: float) -> float:
        countdown = self.state.countdown
        if not self._next_minute or not countdown.running or self.state.up:
            return math.inf
        return countdown.remaining(now) - self._next_minute * ONE_MINUTE + AFTER_BOUNDARY

    def on(self, event: _Event, now: float) -> None:
        state = self.state
        face = clock_face(shown_seconds(state.countdown.remaining(now)))
        if event is _Event.PAUSED:
            self._say(_("Paused with {time} left. Press space to continue.").format(time=face))
        elif event is _Event.RESUMED:
            self._say(_("Continuing: {time} left.").format(time=face))
        elif event is _Event.LONGER:
            self._say(_("One minute more: {time} left.").format(time=face))
        elif event is _Event.SHORTER:
            self._say(_("One minute less: {time} left.").format(time=face))
        elif event is _Event.ASK_TABLE:
            if not state.table_digits:
                self._say(_("Which table gets a new card? Type 1–{n} (Esc: cancel).").format(n=state.tables))
        elif event is _Event.NO_SUCH_TABLE:
            self._say(_no_such_table(state) + " " + _("(Esc: cancel)"))
        elif event is _Event.PASSED:
            self._print_header()
            self._say(_("Table {n} has a new card.").format(n=state.passed_table))
        elif event is _Event.NOT_PASSED:
            self._say(_("No new card."))
        elif event is _Event.ASK_QUIT:
            self._say(_("Quit? Press y to quit, any other key to go on."))
        elif event is _Event.NOT_QUIT:
            self._say(_("Continuing: {time} left.").format(time=face))
        elif event is _Event.HELP:
            self.console.print(_help(state, modal=False))
        elif event is _Event.NOTES and state.notes is not None:
            self.console.print(state.notes())
        elif event is _Event.TIME_UP:
            self._say(_("Time's up."), style=STYLE_TIME_UP)
            if state.interactive:
                self._say(_("Press Enter to continue, + for one more minute, q to quit."))
        elif event is _Event.ENDED_EARLY:
            self._say(_("Round ended with {time} left.").format(time=face))
        elif event is _Event.QUITTING:
            self._say(_("Stopped with {time} left.").format(time=face))
        if event in (_Event.LONGER, _Event.SHORTER, _Event.RESUMED):
            self._aim(now)

    def _aim(self, now: float) -> None:
        """Aim at the largest whole minute strictly below the time left."""
        remaining = self.state.countdown.remaining(now)
        self._next_minute = max(0, math.ceil(remaining / ONE_MINUTE - 1e-6) - 1)

    def _print_header(self) -> None:
        renderable = self.header()
        if not _is_blank(self.console, renderable):
            self.console.print(renderable)

    def _say(self, line: str, *, style: str = "") -> None:
        self.console.print(Text(line, style=style), soft_wrap=True)
