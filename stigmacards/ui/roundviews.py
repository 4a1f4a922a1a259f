"""The two views of a live round: the full screen (big digits or a calm bar) and plain lines.

`_ScreenView` paints the whole screen only when something other than the time changes and
otherwise repaints only the timer block; `_PlainView` writes a few lines and never moves the
cursor, for logs, pipes and consoles without an alternate screen. Both follow ui/roundtext.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group, RenderableType
from rich.control import Control
from rich.segment import Segment, Segments
from rich.style import Style
from rich.text import Text

from stigmacards.i18n import _
from stigmacards.play.timing import (
    ONE_MINUTE,
    clock_face,
    shown_seconds,
    until_shown_changes,
)
from stigmacards.ui import bigdigits
from stigmacards.ui.roundtext import (
    AFTER_BOUNDARY,
    CALM_STEP,
    LAST_MINUTE,
    STYLE_AMBER,
    STYLE_BAR,
    STYLE_BAR_AMBER,
    STYLE_BAR_CALM,
    STYLE_BAR_EMPTY,
    STYLE_DIGITS,
    STYLE_FOOTER,
    STYLE_PAUSED,
    STYLE_TIME_UP,
    _Ask,
    _ask_line,
    _Event,
    _footer,
    _help,
    _is_blank,
    _minutes_left,
    _no_such_table,
    _State,
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
        # Plain attribute assignments, alike in shape to ui/live's runner by nature.
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
