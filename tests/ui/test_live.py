"""The live round timer without a terminal: scripted keys at scripted times on a fake clock.

`FakeKeys.read(timeout)` returns the next scripted key when it falls within the timeout, and
otherwise advances the fake clock by the whole timeout, so a ten-minute round runs in
milliseconds. Output goes to a `Terminal` file that remembers when each write happened;
`screen()` replays the cursor moves to show what a person would see.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from rich.console import Console, RenderableType
from rich.text import Text

from stigmacards import i18n
from stigmacards.ui import bigdigits
from stigmacards.ui.keys import ENTER, ESCAPE, RESIZE, NoKeys
from stigmacards.ui.live import (
    RoundOutcome,
    RoundResult,
    TimerMode,
    run_round,
    timer_mode_for,
)

from ..conftest import Cli

RESTORED = "\x1b[?1049l\x1b[?25h"
AMBER = "38;5;214"  # orange1 in the 256-colour palette

Key = str | Callable[[], str | None]


class FakeClock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now


class Terminal(io.StringIO):
    """A console file that notes the fake time of every write."""

    def __init__(self, clock: FakeClock, encoding: str = "utf-8") -> None:
        super().__init__()
        self.clock = clock
        self._encoding = encoding
        self.writes: list[tuple[float, str]] = []

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def write(self, text: str) -> int:
        self.writes.append((self.clock.now, text))
        return super().write(text)

    def between(self, start: float, end: float) -> str:
        return "".join(text for at, text in self.writes if start <= at < end)


class FakeKeys:
    """Scripted keys at scripted times; a callable in the script is run at its time instead."""

    def __init__(
        self, clock: FakeClock, script: Sequence[tuple[float, Key]] = (), *, limit: float = 1e5
    ) -> None:
        self.clock = clock
        self.script = list(script)
        self.limit = limit
        self.timeouts: list[float] = []
        self.pressed: list[tuple[float, str, int]] = []  # time, key, output length before it
        self.terminal: Terminal | None = None

    def read(self, timeout: float) -> str | None:
        self.timeouts.append(timeout)
        assert self.clock.now < self.limit, "the round never ended"
        if self.script and self.script[0][0] <= self.clock.now + timeout:
            at, key = self.script.pop(0)
            self.clock.now = max(self.clock.now, at)
            if callable(key):
                return key()  # type: ignore[func-returns-value]
            written = len(self.terminal.getvalue()) if self.terminal else 0
            self.pressed.append((self.clock.now, key, written))
            return key
        self.clock.now += timeout
        return None


class FakeNoKeys(NoKeys):
    """stdin is not a terminal: only waiting, on the fake clock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.timeouts: list[float] = []

    def read(self, timeout: float) -> str | None:
        self.timeouts.append(timeout)
        self.clock.now += timeout
        return None


@dataclass
class Run:
    result: RoundResult
    terminal: Terminal
    console: Console
    keys: FakeKeys | FakeNoKeys
    clock: FakeClock
    passes: list[int] = field(default_factory=list)
    progress: list[tuple[float, float]] = field(default_factory=list)
    headers: int = 0

    @property
    def output(self) -> str:
        return self.terminal.getvalue()

    def screen_before(self, index: int) -> list[str]:
        """What was on the screen just before the index-th scripted key."""
        return screen(self.output[: self.keys.pressed[index][2]])  # type: ignore[union-attr]

    def lines(self) -> list[str]:
        return [line for line in strip(self.output).splitlines() if line.strip()]


def run(
    seconds: float,
    script: Sequence[tuple[float, Key]] = (),
    *,
    elapsed: float = 0.0,
    mode: TimerMode = TimerMode.BIG,
    tables: int = 1,
    quiet: bool = False,
    big: bool = False,
    can_pass: bool = True,
    header: Callable[[], RenderableType] | None = None,
    color: bool | None = False,
    interactive: bool = True,
    with_progress: bool = False,
    size: tuple[int, int] = (80, 24),
    encoding: str = "utf-8",
    console_hook: Callable[[Console], None] | None = None,
    notes: Callable[[], RenderableType] | None = None,
) -> Run:
    clock = FakeClock()
    terminal = Terminal(clock, encoding)
    console = Console(
        file=terminal,
        width=size[0],
        height=size[1],
        force_terminal=mode is not TimerMode.PLAIN,
        color_system="256" if mode is not TimerMode.PLAIN else None,  # as rich detects it
        no_color=None if color is None else not color,
        highlight=False,
    )
    keys: FakeKeys | FakeNoKeys
    if interactive:
        keys = FakeKeys(clock, script)
        keys.terminal = terminal
    else:
        keys = FakeNoKeys(clock)
    passes: list[int] = []
    progress: list[tuple[float, float]] = []
    headers = [0]

    def default_header() -> RenderableType:
        return Text(f"CARD for table 1 (dealt {len(passes)})")

    def counted_header() -> RenderableType:
        headers[0] += 1
        return (header or default_header)()

    if console_hook:
        console_hook(console)
    result = run_round(
        seconds=seconds,
        elapsed=elapsed,
        header=counted_header,
        tables=tables,
        mode=mode,
        quiet=quiet,
        big=big,
        console=console,
        clock=clock,
        keys=keys,
        on_pass=passes.append if can_pass else None,
        on_progress=(lambda left: progress.append((clock.now, left))) if with_progress else None,
        notes=notes,
    )
    return Run(result, terminal, console, keys, clock, passes, progress, headers[0])


_CUP = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[2J")
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x07")


def strip(output: str) -> str:
    return _ESCAPES.sub("", output)


def screen(output: str, height: int = 40) -> list[str]:
    """Replay absolute cursor moves and clears: the rows as they stand at the end of `output`."""
    rows = [""] * height
    row = 0
    position = 0
    for match in _CUP.finditer(output):
        if row < height:
            rows[row] = strip(output[position : match.start()]).rstrip() or rows[row]
        if match.group(0) == "\x1b[2J":
            rows = [""] * height
        else:
            row = int(match.group(1)) - 1
            rows[row] = ""
        position = match.end()
    if row < height:
        rows[row] = strip(output[position:]).split("\x1b", 1)[0].rstrip() or rows[row]
    return rows


def shows(rows: list[str], text: str) -> bool:
    return any(text in row for row in rows)


def big_face(face: str, scale: int = 1) -> list[str]:
    return [row.rstrip() for row in bigdigits.render(face, scale=scale)]


def shows_face(rows: list[str], face: str, scale: int = 1) -> bool:
    wanted = big_face(face, scale)
    stripped = [row.strip() for row in rows]
    return any(
        stripped[i : i + len(wanted)] == [w.strip() for w in wanted]
        for i in range(len(rows) - len(wanted) + 1)
    )


# --- modes --------------------------------------------------------------------------------------


def test_mode_follows_the_flags_and_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True)
    piped = Console(file=io.StringIO(), force_terminal=False)
    assert timer_mode_for(terminal, calm=False, plain=False) is TimerMode.BIG
    assert timer_mode_for(terminal, calm=True, plain=False) is TimerMode.CALM
    assert timer_mode_for(terminal, calm=False, plain=True) is TimerMode.PLAIN
    assert timer_mode_for(piped, calm=True, plain=False) is TimerMode.PLAIN
    monkeypatch.setenv("TERM", "dumb")
    dumb = Console(file=io.StringIO(), force_terminal=True)
    assert timer_mode_for(dumb, calm=False, plain=False) is TimerMode.PLAIN


# --- plain --------------------------------------------------------------------------------------


def test_plain_lines_at_start_whole_minutes_one_minute_left_and_end() -> None:
    done = run(150, mode=TimerMode.PLAIN, interactive=False)
    assert done.result == RoundResult(RoundOutcome.DONE, 0.0)
    said = [(round(at, 2), text.strip()) for at, text in done.terminal.writes if text.strip()]
    assert said == [
        (0.0, "CARD for table 1 (dealt 0)"),
        (0.0, "Timer started: 2:30."),
        (30.0, "2 minutes left."),
        (90.0, "One minute left."),
        (150.0, "Time's up."),
    ]
    assert "\x1b" not in done.output  # no cursor movement, no colour: fine for logs
    assert "\x07" not in done.output  # no bell into a log


def test_plain_help_does_not_promise_that_a_key_closes_it() -> None:
    done = run(600, [(5, "?"), (6, "n")], mode=TimerMode.PLAIN)
    assert "pass: a new card for a table" in done.output
    assert "any key closes this help" not in done.output


def test_plain_wakes_only_for_its_lines() -> None:
    """Without keys or progress to report, a ten-minute plain round wakes about once a minute."""
    done = run(600, mode=TimerMode.PLAIN, interactive=False, header=lambda: Text(""))
    assert done.lines() == [
        "Timer started: 10:00.",
        *[f"{n} minutes left." for n in range(9, 1, -1)],
        "One minute left.",
        "Time's up.",
    ]
    assert len(done.keys.timeouts) <= 11


def test_plain_short_round_says_only_start_and_end() -> None:
    done = run(15, mode=TimerMode.PLAIN, interactive=False, header=lambda: Text(""))
    assert done.lines() == ["Timer started: 0:15.", "Time's up."]


def test_plain_keys_still_work_when_stdin_is_a_terminal() -> None:
    script = [(10, " "), (20, " "), (30, "+"), (40, "-"), (45, "q"), (46, "x"), (50, "?"), (55, "n")]
    done = run(600, script, mode=TimerMode.PLAIN, header=lambda: Text(""))
    assert done.result == RoundResult(RoundOutcome.NEXT, 600 - 55 + 10)
    lines = done.lines()
    assert lines[0] == "Timer started: 10:00. Press ? for the keys."
    assert lines[1:7] == [
        "Paused with 9:50 left. Press space to continue.",
        "Continuing: 9:50 left.",
        "One minute more: 10:40 left.",
        "One minute less: 9:30 left.",
        "Quit? Press y to quit, any other key to go on.",
        "Continuing: 9:24 left.",
    ]
    assert any("this help" in line for line in lines)
    assert lines[-1] == "Round ended with 9:15 left."


def test_plain_waits_for_the_facilitator_when_keys_work() -> None:
    done = run(30, [(100, ENTER)], mode=TimerMode.PLAIN, header=lambda: Text(""))
    assert done.result.outcome is RoundOutcome.DONE
    assert done.lines()[-2:] == [
        "Time's up.",
        "Press Enter to continue, + for one more minute, q to quit.",
    ]
    assert done.clock.now == 100


def test_big_mode_on_a_non_terminal_console_falls_back_to_plain() -> None:
    clock = FakeClock()
    console = Console(file=Terminal(clock), width=80, force_terminal=False)
    result = run_round(
        seconds=5,
        header=lambda: Text(""),
        tables=1,
        mode=TimerMode.BIG,
        quiet=False,
        big=False,
        console=console,
        clock=clock,
        keys=FakeNoKeys(clock),
    )
    assert result.outcome is RoundOutcome.DONE
    assert strip(console.file.getvalue()).split("\n")[:2] == ["Timer started: 0:05.", "Time's up."]


# --- big digits ---------------------------------------------------------------------------------


def test_big_digits_redraw_only_when_the_shown_second_changes() -> None:
    done = run(600, [(2.5, "n")])
    assert done.result == RoundResult(RoundOutcome.NEXT, 597.5)
    paints = [at for at, text in done.terminal.writes if "\x1b[" in text and ";1H" in text]
    assert [round(at, 3) for at in paints] == [0.0, 1.001, 2.001]
    assert shows_face(done.screen_before(0), "9:58")
    assert shows(done.screen_before(0), "space pause")
    assert shows(done.screen_before(0), "CARD for table 1")


def test_big_digits_scale_up_for_a_projector_when_there_is_room() -> None:
    done = run(600, [(0.5, "n")], big=True, size=(100, 30))
    assert shows_face(done.screen_before(0), "10:00", scale=2)
    small = run(600, [(0.5, "n")], big=True, size=(80, 14))
    assert shows_face(small.screen_before(0), "10:00", scale=1)


def test_ascii_fallback_when_the_encoding_has_no_blocks() -> None:
    done = run(65, [(0.5, "n")], encoding="ascii")
    assert "█" not in done.output
    assert "#####" in done.output
    assert "=" in done.output or "-" * 20 in done.output


def test_amber_in_the_last_minute() -> None:
    done = run(65, [(80, ENTER)], color=True)
    assert AMBER not in done.terminal.between(0, 5)
    assert AMBER in done.terminal.between(5, 6)  # 1:00 left
    assert AMBER in done.terminal.between(30, 31)


def test_no_color_is_respected() -> None:
    done = run(65, [(80, ENTER)], color=None)  # the test environment sets NO_COLOR=1
    assert os.environ["NO_COLOR"]
    assert not re.search(r"\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7])(?:;|m)", done.output)
    assert "Time's up" in done.output


def test_tall_cards_are_cut_with_a_note() -> None:
    tall = Text("\n".join(f"question line {n}" for n in range(40)))
    done = run(600, [(0.5, "n")], header=lambda: tall)
    rows = done.screen_before(0)
    assert shows(rows, "question line 0")
    assert shows(rows, "more above the timer")
    assert shows(rows, "space pause")
    assert shows_face(rows, "10:00") or shows(rows, "10:00")


def _resized_at_5_seconds(size: tuple[int, int]) -> Run:
    """A round whose terminal becomes `size` after 5 s; then n ends it."""
    holder: list[Console] = []

    def resize() -> str:
        holder[0].size = size
        return RESIZE

    return run(600, [(5, resize), (6, "n")], console_hook=holder.append)


def test_resize_repaints_the_whole_screen() -> None:
    done = _resized_at_5_seconds((100, 30))
    assert "\x1b[30;1H" in done.terminal.between(5, 5.0001)  # the new bottom row (the footer)
    assert "\x1b[30;1H" not in done.terminal.between(0, 5)


def test_after_a_resize_the_last_cell_of_the_footer_row_is_cleared() -> None:
    """Found by hand in tmux: a stray '─' from the old screen stayed in the bottom-right corner."""
    done = _resized_at_5_seconds((50, 15))
    written = done.terminal.between(5, 5.0001).split("\x1b[15;1H", 1)[1]
    assert strip(written).split() == ["space", "+/-", "p", "n", "q", "?", "help"]  # 50 columns: keys only
    assert re.match(r"(?:[^\x1b]|\x1b\[[0-9;]*m)*\x1b\[K", written), "the row is not erased to its end"


def test_a_resize_is_noticed_at_the_next_tick_without_a_signal() -> None:
    holder: list[Console] = []

    def grow() -> None:
        holder[0].size = (100, 30)

    done = run(600, [(4.5, grow), (6.5, "n")], console_hook=holder.append)
    assert "\x1b[30;1H" not in done.terminal.between(0, 4.5)
    assert "\x1b[30;1H" in done.terminal.between(4.5, 4.51)


# --- keys ---------------------------------------------------------------------------------------


def test_space_pauses_and_nothing_is_redrawn_while_paused() -> None:
    done = run(600, [(10, " "), (50, "n")])
    assert done.result == RoundResult(RoundOutcome.NEXT, 590)
    assert shows(done.screen_before(1), "Paused: space to continue")
    assert done.terminal.between(10.001, 50) == ""
    assert max(done.keys.timeouts) > 30  # no ticking wake-ups while paused


def test_space_again_resumes() -> None:
    done = run(600, [(10, " "), (50, " "), (60, "n")])
    assert done.result == RoundResult(RoundOutcome.NEXT, 600 - 20)


def test_plus_and_minus_change_the_time_by_a_minute() -> None:
    done = run(600, [(10, "+"), (20, "-"), (30, "-"), (40, "n")])
    assert done.result == RoundResult(RoundOutcome.NEXT, 600 - 40 + 60 - 120)
    assert shows_face(done.screen_before(1), "10:41")  # painted at 19.001: 641 s left


def test_minus_below_zero_ends_the_round() -> None:
    done = run(30, [(5, "-"), (9, ENTER)])
    assert done.result == RoundResult(RoundOutcome.DONE, 0.0)
    assert shows(done.screen_before(1), "Time's up")


def test_pass_asks_which_table_and_redraws_the_cards() -> None:
    done = run(600, [(5, "p"), (6, "2"), (7, "n")], tables=3)
    assert done.passes == [2]
    assert done.headers == 2
    assert shows(done.screen_before(1), "Which table gets a new card? 1–3")
    assert shows(done.screen_before(2), "CARD for table 1 (dealt 1)")
    assert not shows(done.screen_before(2), "Which table")


def test_pass_with_one_table_asks_nothing() -> None:
    done = run(600, [(5, "p"), (6, "n")], tables=1)
    assert done.passes == [1]
    assert done.result.outcome is RoundOutcome.NEXT


def test_pass_is_cancelled_by_escape_or_a_wrong_number() -> None:
    done = run(600, [(5, "p"), (6, ESCAPE), (7, "p"), (8, "7"), (9, "p"), (10, "0"), (11, "n")], tables=3)
    assert done.passes == []
    assert done.result.outcome is RoundOutcome.NEXT


def test_pass_with_ten_tables_or_more_takes_two_digits() -> None:
    done = run(600, [(1, "p"), (2, "1"), (3, "2"), (4, "p"), (5, "1"), (6, ENTER), (7, "n")], tables=12)
    assert done.passes == [12, 1]
    assert shows(done.screen_before(2), "1_")


def test_no_pass_key_without_a_pass_handler() -> None:
    done = run(600, [(5, "p"), (6, "n")], can_pass=False)
    assert done.passes == []
    assert not shows(done.screen_before(0), "p pass")
    assert done.result.outcome is RoundOutcome.NEXT


def test_n_ends_the_round_now() -> None:
    done = run(600, [(42.25, "n")])
    assert done.result == RoundResult(RoundOutcome.NEXT, 600 - 42.25)


def test_q_then_y_quits() -> None:
    done = run(600, [(5, "q"), (6, "y")])
    assert done.result == RoundResult(RoundOutcome.QUIT, 594)
    assert shows(done.screen_before(1), "Quit? y/n")


def test_q_then_n_goes_on() -> None:
    done = run(600, [(5, "q"), (6, "n"), (8, "n")])
    assert done.result == RoundResult(RoundOutcome.NEXT, 592)
    assert not shows(done.screen_before(2), "Quit?")


def test_dutch_interface_and_j_for_ja() -> None:
    i18n.set_language("nl")
    done = run(600, [(5, "q"), (6, "j")])
    assert done.result.outcome is RoundOutcome.QUIT
    assert shows(done.screen_before(1), "Stoppen? j/n")
    assert shows(done.screen_before(0), "spatie pauze")


def test_dutch_keys_fit_in_80_columns_with_help_last() -> None:
    """Found by hand: the Dutch footer lost its '? hulp' at 80 columns."""
    i18n.set_language("nl")
    done = run(600, [(5, "n")], tables=2)
    footer = done.screen_before(0)[23]
    assert footer.rstrip().endswith("? hulp")
    assert "p passen" in footer


def test_question_mark_shows_help_until_any_key() -> None:
    done = run(600, [(5, "?"), (6, "n"), (7, "n")], tables=2)
    rows = done.screen_before(1)
    assert shows(rows, "Keys")
    assert shows(rows, "pass: a new card for a table")
    assert shows(rows, "CARD for table 1")  # below the cards: the room can still read them
    assert shows(done.screen_before(2), "CARD for table 1")
    assert done.result == RoundResult(RoundOutcome.NEXT, 593)  # the first n only closed the help


def test_f_shows_the_facilitator_notes_below_the_cards_until_any_key() -> None:
    done = run(
        600, [(5, "f"), (6, "x"), (7, "n")], tables=2, notes=lambda: Text("NOTE: ask who wants a break")
    )
    rows = done.screen_before(1)
    assert shows(rows, "NOTE: ask who wants a break")
    assert shows(rows, "any key closes the notes")
    assert shows(rows, "CARD for table 1")
    assert not shows(done.screen_before(2), "NOTE: ask who")
    assert "f notes" in done.screen_before(0)[23]
    assert done.result == RoundResult(RoundOutcome.NEXT, 593)


def test_a_table_that_does_not_exist_is_named_on_screen_and_asked_again() -> None:
    done = run(600, [(5, "p"), (6, "4"), (7, "2"), (8, "n")], tables=3)
    assert shows(done.screen_before(2), "There is no table 4: type 1–3.")
    assert shows(done.screen_before(2), "(Esc: cancel)")
    assert done.passes == [2]


def test_without_notes_f_does_nothing_and_is_not_offered() -> None:
    done = run(600, [(5, "f"), (6, "n")], tables=2)
    assert "f notes" not in done.screen_before(0)[23]
    assert done.result == RoundResult(RoundOutcome.NEXT, 594)


# --- time's up ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [ENTER, " ", "n"])
def test_time_up_waits_for_the_facilitator(key: str) -> None:
    done = run(60, [(75, key)])
    assert done.result == RoundResult(RoundOutcome.DONE, 0.0)
    assert done.keys.pressed[0][0] == 75  # it waited after zero
    rows = done.screen_before(0)
    assert shows(rows, "Time's up")
    assert shows_face(rows, "0:00")


def test_time_up_other_keys_are_ignored_and_q_asks() -> None:
    done = run(60, [(61, "x"), (62, "p"), (63, "q"), (64, "n"), (65, "q"), (66, "y")])
    assert done.result == RoundResult(RoundOutcome.QUIT, 0.0)
    assert done.passes == []


def test_time_up_plus_gives_one_more_minute() -> None:
    done = run(60, [(70, "+"), (100, "n")], with_progress=True)
    assert done.result == RoundResult(RoundOutcome.NEXT, 30)
    assert (70, 60.0) in done.progress


@pytest.mark.parametrize(
    ("script", "words"),
    [
        ([(61, ENTER)], "Time's up"),
        ([(5, "q"), (6, "n"), (7, "n")], "Quit? y/n"),
        ([(5, "p"), (6, ESCAPE), (7, "n")], "Which table"),
    ],
)
def test_only_the_words_are_highlighted_not_the_whole_row(
    script: list[tuple[float, Key]], words: str
) -> None:
    """Found by hand: a reversed bar ran across the screen, the dim hint unreadable inside it."""
    done = run(60, script, tables=2, color=True)
    index = 0 if words == "Time's up" else 1
    written = done.output[: done.keys.pressed[index][2]]
    row = next(line for line in re.split(r"\x1b\[\d+;1H", written) if words in line)
    assert re.match(r" +\x1b\[", row), f"the centring spaces have a style: {row!r}"


def test_bell_unless_quiet() -> None:
    assert "\x07" in run(5, [(6, ENTER)]).terminal.between(5, 5.5)
    assert "\x07" not in run(5, [(6, ENTER)], quiet=True).output


def test_without_keys_it_returns_at_zero_without_waiting() -> None:
    done = run(60, interactive=False)
    assert done.result == RoundResult(RoundOutcome.DONE, 0.0)
    assert done.clock.now == pytest.approx(60)
    assert done.output.endswith(RESTORED)


# --- progress -----------------------------------------------------------------------------------


def test_progress_at_least_once_a_second_and_on_every_change() -> None:
    done = run(10, [(3.5, " "), (5, " "), (6.25, "+"), (80, ENTER)], with_progress=True, mode=TimerMode.CALM)
    times = [at for at, _ in done.progress]
    assert done.progress[0] == (0.0, 10.0)
    assert (3.5, 6.5) in done.progress  # paused
    assert (6.25, 70 - 6.25 + 1.5) in done.progress  # one minute more
    assert all(b - a <= 1.0 + 1e-6 for a, b in itertools.pairwise(times) if not 3.5 <= a < 5)
    assert done.progress[-1][1] == 0.0
    assert times[-1] == pytest.approx(70 + 1.5)  # nothing more while waiting after zero


# --- calm ---------------------------------------------------------------------------------------


def test_calm_shows_no_ticking_digits() -> None:
    calm = run(600, [(30, "x"), (61, "x"), (700, ENTER)], mode=TimerMode.CALM)
    assert shows(calm.screen_before(0), "about 10 minutes left")
    assert shows(calm.screen_before(1), "about 9 minutes left")
    assert not any(face in calm.output for face in ("10:00", "9:59", "9:30", "█████"))
    assert shows(calm.screen_before(2), "Time's up")
    assert calm.result.outcome is RoundOutcome.DONE


def test_calm_words_change_once_a_minute() -> None:
    done = run(300, [(400, ENTER)], mode=TimerMode.CALM)
    changes = []
    previous = ""
    for at, text in done.terminal.writes:
        found = re.search(r"about (\w+) minutes? left", strip(text))
        if found and found.group(1) != previous:
            previous = found.group(1)
            changes.append((round(at), previous))
    assert changes == [(0, "5"), (60, "4"), (120, "3"), (180, "2"), (240, "one")]


def test_calm_repaints_rarely_even_in_a_short_round() -> None:
    done = run(30, [(40, ENTER)], mode=TimerMode.CALM)
    paints = {round(at, 2) for at, text in done.terminal.writes if ";1H" in text}
    assert len(paints) <= 30 / 5 + 3
    assert len(done.keys.timeouts) <= 30 / 5 + 3


def test_calm_bar_fills_slowly() -> None:
    done = run(600, [(300, "x"), (700, ENTER)], mode=TimerMode.CALM)
    half = next(row for row in done.screen_before(0) if "━" in row or "─" in row)
    assert 0.4 < half.count("━") / len(half.strip()) < 0.6


@pytest.mark.parametrize("mode", [TimerMode.CALM, TimerMode.BIG])
def test_a_resumed_round_starts_with_its_bar_part_filled(mode: TimerMode) -> None:
    done = run(300, [(1, "x"), (400, ENTER)], elapsed=300, mode=mode)
    bar = next(row for row in done.screen_before(0) if "━" in row or "─" in row)
    assert 0.4 < bar.count("━") / len(bar.strip()) < 0.6


# --- the terminal is always restored ------------------------------------------------------------


def test_terminal_restored_after_a_normal_end() -> None:
    done = run(600, [(5, "n")])
    assert done.output.startswith("\x1b[?1049h")
    assert "\x1b[?25l" in done.output
    assert done.output.endswith(RESTORED)


def _output_of_a_round_that_raises(
    expected: type[BaseException], seconds: float, script: Sequence[tuple[float, Key]], **options: object
) -> tuple[pytest.ExceptionInfo[BaseException], str]:
    """A quiet big-timer round that must end in `expected`, and everything it wrote to the terminal."""
    consoles: list[Console] = []
    with pytest.raises(expected) as caught:
        run(seconds, script, quiet=True, console_hook=consoles.append, **options)  # type: ignore[arg-type]
    return caught, consoles[0].file.getvalue()


def test_terminal_restored_on_ctrl_c() -> None:
    def interrupt() -> str:
        raise KeyboardInterrupt

    _caught, output = _output_of_a_round_that_raises(KeyboardInterrupt, 600, [(5, interrupt)])
    assert "\x1b[?1049h" in output
    assert output.endswith(RESTORED)


def test_terminal_restored_when_drawing_crashes() -> None:
    calls = [0]

    def header() -> RenderableType:
        calls[0] += 1
        if calls[0] > 1:
            raise RuntimeError("a bug in the cards")
        return Text("card")

    caught, output = _output_of_a_round_that_raises(RuntimeError, 60, [(5, "p")], header=header)
    assert "a bug" in str(caught.value)
    assert output.endswith(RESTORED)


def test_sigterm_ends_the_round_with_143_and_puts_the_handler_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    during: list[object] = []

    def terminate() -> None:
        during.append(signal.getsignal(signal.SIGTERM))
        os.kill(os.getpid(), signal.SIGTERM)

    exit_info, output = _output_of_a_round_that_raises(SystemExit, 60, [(5, terminate), (6, "n")])
    assert exit_info.value.code == 143
    assert during
    assert during[0] is not before
    assert signal.getsignal(signal.SIGTERM) is before
    assert output.endswith(RESTORED)


# --- the timer command --------------------------------------------------------------------------


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The command's own seams: its clock and its key source (stdin is not a terminal here)."""
    from stigmacards.ui import live

    clock = FakeClock()
    monkeypatch.setattr(live, "SystemClock", lambda: clock)

    class ClockedNoKeys(FakeNoKeys):
        def __init__(self) -> None:
            super().__init__(clock)

    monkeypatch.setattr(live, "NoKeys", ClockedNoKeys)
    return clock


def test_timer_command_plain_when_piped(cli: Cli, fake_time: FakeClock) -> None:
    result = cli("timer", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["Timer started: 2:00.", "One minute left.", "Time's up."]
    assert fake_time.now == pytest.approx(120)


def test_timer_command_accepts_decimals_and_dutch(cli: Cli, fake_time: FakeClock) -> None:
    result = cli("--lang", "nl", "timer", "0.25")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["Timer gestart: 0:15.", "De tijd is om."]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("timer", "0"), "more than 0"),
        (("timer", "--", "-3"), "more than 0"),
        (("timer", "nan"), "more than 0"),
        (("timer", "100000"), "at most 1440"),
        (("timer", "1", "--calm", "--plain"), "--calm"),
    ],
)
def test_timer_command_rejects_bad_input(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_timer_command_has_help(cli: Cli) -> None:
    result = cli("timer", "--help")
    assert result.exit_code == 0
    assert "Example: stigmacards timer" in result.stdout
    assert "--calm" in result.stdout


# --- key input ----------------------------------------------------------------------------------


def test_split_keys_keeps_escape_sequences_whole() -> None:
    from stigmacards.ui.keys import split_keys

    assert split_keys("\x1b[A p\r2\x1b") == ["\x1b[A", " ", "p", "\n", "2", "\x1b"]


@pytest.mark.posix
def test_terminal_keys_read_one_key_at_a_time_and_restore_the_mode() -> None:
    import termios

    from stigmacards.ui.keys import TerminalKeys

    master, slave = os.openpty()
    try:
        before = termios.tcgetattr(slave)
        with TerminalKeys(fd=slave) as keys:
            assert not termios.tcgetattr(slave)[3] & termios.ECHO
            assert keys.read(0.01) is None
            os.write(master, b"q+")
            assert keys.read(5) == "q"
            assert keys.read(0) == "+"
            os.write(master, "é".encode())
            assert keys.read(5) == "é"
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)
