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

import math
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from types import FrameType

from rich.console import Console, RenderableType

from stigmacards.platform import ENDING_SIGNALS, SUSPEND_SIGNAL, signals
from stigmacards.play.timing import (
    ONE_MINUTE,
    Clock,
    Countdown,
    RoundOutcome,
    RoundResult,
    SystemClock,
)
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
from stigmacards.ui.roundtext import (
    LONGEST_WAIT,
    MINUS,
    PLUS,
    YES,
    _Ask,
    _Event,
    _State,
    _View,
)
from stigmacards.ui.roundviews import (
    _PlainView,
    _ScreenView,
)


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
