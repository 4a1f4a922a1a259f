"""Round timing: a clock seam and countdown state as deadline arithmetic.

Pure: nothing here sleeps, and only `SystemClock` reads the real clock. The remaining time is
always computed from a deadline on the monotonic clock, never by subtracting ticks, so a
countdown does not drift however irregularly it is looked at.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

ONE_MINUTE = 60.0


class RoundOutcome(StrEnum):
    """How a timed round ended."""

    DONE = "done"  # time was up and the facilitator moved on
    NEXT = "next"  # the facilitator ended the round early
    QUIT = "quit"  # the facilitator quit (and confirmed)


@dataclass(frozen=True, slots=True)
class RoundResult:
    outcome: RoundOutcome
    remaining: float


class Clock(Protocol):
    def monotonic(self) -> float: ...


class SystemClock:
    """The real monotonic clock (unaffected by changes to the wall clock)."""

    def monotonic(self) -> float:
        return time.monotonic()


class Countdown:
    """A countdown that can be paused, resumed and lengthened or shortened.

    Every method takes the current monotonic time `now`. While running, the countdown holds a
    deadline; while paused (or before `start`) it holds the seconds left.
    """

    __slots__ = ("_deadline", "_left", "_ran", "_since", "_started")

    def __init__(self, seconds: float, *, elapsed: float = 0.0) -> None:
        """Count `seconds` down; `elapsed` is time already counted before (a resumed round)."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"a countdown needs a finite, non-negative number of seconds, not {seconds}")
        if not math.isfinite(elapsed) or elapsed < 0:
            raise ValueError(f"elapsed time must be finite and non-negative, not {elapsed}")
        self._left = float(seconds)  # seconds left while not running
        self._deadline: float | None = None  # set while running
        self._since = 0.0  # start of the current running stretch
        self._ran = float(elapsed)  # running time of the earlier stretches
        self._started = False

    @property
    def started(self) -> bool:
        return self._started

    @property
    def running(self) -> bool:
        return self._deadline is not None

    @property
    def paused(self) -> bool:
        return self._started and self._deadline is None

    def start(self, now: float) -> None:
        """Start counting down from `now`; starting twice is an error."""
        if self._started:
            raise RuntimeError("countdown already started")
        self._started = True
        self._run(now)

    def pause(self, now: float) -> None:
        """Freeze the time left; does nothing when not running."""
        if self._deadline is None:
            return
        self._left = max(0.0, self._deadline - now)
        self._ran += self._stretch(now)
        self._deadline = None

    def resume(self, now: float) -> None:
        """Continue after a pause; does nothing unless paused."""
        if self.paused:
            self._run(now)

    def toggle(self, now: float) -> bool:
        """Pause when running, resume when paused; return whether it is paused now."""
        if self.running:
            self.pause(now)
        else:
            self.resume(now)
        return self.paused

    def extend(self, seconds: float, now: float) -> float:
        """Add (or with a negative number, take away) time; never below zero. Return the time left."""
        left = max(0.0, self.remaining(now) + seconds)
        if self._deadline is None:
            self._left = left
        else:
            # Close the running stretch at the old deadline, so overtime never counts as elapsed.
            self._ran += self._stretch(now)
            self._since = now
            self._deadline = now + left
        return left

    def remaining(self, now: float) -> float:
        """Seconds left at `now`, never negative."""
        if self._deadline is None:
            return self._left
        return max(0.0, self._deadline - now)

    def expired(self, now: float) -> bool:
        return self.remaining(now) <= 0.0

    def elapsed(self, now: float) -> float:
        """Seconds counted down so far: pauses and time after the deadline do not count."""
        return self._ran + (self._stretch(now) if self._deadline is not None else 0.0)

    def total(self, now: float) -> float:
        """The length of the countdown including every extension: elapsed plus remaining."""
        return self.elapsed(now) + self.remaining(now)

    def _run(self, now: float) -> None:
        self._since = now
        self._deadline = now + self._left

    def _stretch(self, now: float) -> float:
        assert self._deadline is not None
        return max(0.0, min(now, self._deadline) - self._since)


def shown_seconds(remaining: float) -> int:
    """The whole seconds a countdown display shows: rounded up, so it reads 0 only at the end."""
    return math.ceil(remaining - 1e-9) if remaining > 0 else 0


def clock_face(seconds: int) -> str:
    """'9:05', '10:00', '1:02:03'."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def until_shown_changes(remaining: float) -> float:
    """Seconds until `shown_seconds(remaining)` changes (the next whole-second boundary)."""
    if remaining <= 0:
        return math.inf
    return remaining - (shown_seconds(remaining) - 1)
