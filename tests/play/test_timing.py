"""The countdown core against a fake clock: deadline arithmetic, no drift, pause and extend."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stigmacards.play.timing import (
    Countdown,
    SystemClock,
    clock_face,
    shown_seconds,
    until_shown_changes,
)


def test_counts_down_from_the_start() -> None:
    countdown = Countdown(600)
    assert countdown.remaining(5.0) == 600  # not started: nothing runs
    countdown.start(100.0)
    assert countdown.remaining(100.0) == 600
    assert countdown.remaining(160.5) == pytest.approx(539.5)
    assert countdown.elapsed(160.5) == pytest.approx(60.5)
    assert not countdown.expired(699.999)
    assert countdown.expired(700.0)


def test_never_negative_and_elapsed_stops_at_the_deadline() -> None:
    countdown = Countdown(10)
    countdown.start(0.0)
    assert countdown.remaining(25.0) == 0.0
    assert countdown.elapsed(25.0) == 10.0
    assert countdown.total(25.0) == 10.0


def test_a_resumed_countdown_counts_what_ran_before() -> None:
    """Found by hand: after --resume the bar of a half-run round started empty again."""
    countdown = Countdown(300, elapsed=300)
    countdown.start(0.0)
    assert countdown.total(0.0) == 600
    assert countdown.elapsed(60.0) == 360
    assert countdown.remaining(60.0) == 240
    with pytest.raises(ValueError, match="elapsed"):
        Countdown(300, elapsed=float("nan"))


def test_no_drift_over_ten_minutes_of_jittery_ticks() -> None:
    """However irregular the looks at it, the time left is exact and it expires on the deadline."""
    rng = random.Random(20261127)
    countdown = Countdown(600)
    start = 1234.5678
    countdown.start(start)
    now = start
    while now < start + 600 - 1.2:
        now += rng.uniform(0.0, 1.0) + rng.choice([0.0, 0.0, 0.05, 0.2])  # late and bunched ticks
        assert countdown.remaining(now) == pytest.approx(600 - (now - start), abs=1e-9)
        assert countdown.elapsed(now) + countdown.remaining(now) == pytest.approx(600, abs=1e-9)
        assert not countdown.expired(now)
    assert not countdown.expired(start + 599.999)
    assert countdown.expired(start + 600.0)


def test_pause_freezes_and_resume_continues() -> None:
    countdown = Countdown(300)
    countdown.start(0.0)
    countdown.pause(100.0)
    assert countdown.paused
    assert countdown.remaining(100.0) == countdown.remaining(1000.0) == 200.0
    assert countdown.elapsed(1000.0) == 100.0
    countdown.resume(1000.0)
    assert not countdown.paused
    assert countdown.remaining(1050.0) == 150.0
    assert countdown.expired(1200.0)
    assert countdown.elapsed(1200.0) == 300.0


def test_toggle_reports_whether_paused() -> None:
    countdown = Countdown(60)
    countdown.start(0.0)
    assert countdown.toggle(10.0) is True
    assert countdown.toggle(20.0) is False
    assert countdown.remaining(20.0) == 50.0


def test_pause_and_resume_are_idempotent() -> None:
    countdown = Countdown(60)
    countdown.start(0.0)
    countdown.resume(5.0)  # not paused: nothing happens
    countdown.pause(10.0)
    countdown.pause(30.0)  # already paused: the first pause counts
    assert countdown.remaining(40.0) == 50.0


def test_extend_adds_and_takes_a_minute_but_never_below_zero() -> None:
    countdown = Countdown(120)
    countdown.start(0.0)
    assert countdown.extend(60, 30.0) == 150.0
    assert countdown.remaining(40.0) == 140.0
    assert countdown.extend(-60, 40.0) == 80.0
    assert countdown.extend(-60, 40.0) == 20.0
    assert countdown.extend(-60, 40.0) == 0.0
    assert countdown.expired(40.0)
    assert countdown.total(40.0) == 40.0


def test_extend_while_paused_keeps_it_paused() -> None:
    countdown = Countdown(60)
    countdown.start(0.0)
    countdown.pause(30.0)
    assert countdown.extend(60, 50.0) == 90.0
    assert countdown.paused
    assert countdown.remaining(500.0) == 90.0


def test_extend_after_the_deadline_starts_a_new_minute_from_now() -> None:
    countdown = Countdown(60)
    countdown.start(0.0)
    assert countdown.expired(80.0)
    assert countdown.extend(60, 80.0) == 60.0
    assert countdown.remaining(110.0) == 30.0
    assert countdown.elapsed(110.0) == 90.0  # the 20 s after the first deadline are not counted


def test_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        Countdown(-1)
    with pytest.raises(ValueError, match="finite"):
        Countdown(float("nan"))
    countdown = Countdown(1)
    countdown.start(0.0)
    with pytest.raises(RuntimeError):
        countdown.start(1.0)


_OPS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=90, allow_nan=False),
        st.sampled_from(["pause", "resume", "toggle", "plus", "minus", "look"]),
    ),
    max_size=40,
)


@given(seconds=st.floats(min_value=0, max_value=7200, allow_nan=False), ops=_OPS)
def test_any_sequence_keeps_the_books_straight(seconds: float, ops: list[tuple[float, str]]) -> None:
    """Never negative; frozen while paused; elapsed + remaining = total; time only runs down."""
    countdown = Countdown(seconds)
    now = 0.0
    countdown.start(now)
    for step, op in ops:
        before = countdown.remaining(now)
        was_paused = countdown.paused
        now += step
        after = countdown.remaining(now)
        assert 0.0 <= after <= before
        if was_paused:
            assert after == before
        if op == "pause":
            countdown.pause(now)
        elif op == "resume":
            countdown.resume(now)
        elif op == "toggle":
            countdown.toggle(now)
        elif op in ("plus", "minus"):
            left = countdown.extend(60 if op == "plus" else -60, now)
            assert left == max(0.0, after + (60 if op == "plus" else -60))
        assert countdown.remaining(now) >= 0.0
        assert countdown.elapsed(now) + countdown.remaining(now) == pytest.approx(countdown.total(now))


@pytest.mark.parametrize(
    ("remaining", "shown"),
    [(600.0, 600), (599.5, 600), (599.0, 599), (0.2, 1), (0.0, 0), (60.000000000001, 60)],
)
def test_shown_seconds_round_up(remaining: float, shown: int) -> None:
    assert shown_seconds(remaining) == shown


def test_until_shown_changes_points_at_the_next_second() -> None:
    assert until_shown_changes(599.25) == pytest.approx(0.25)
    assert until_shown_changes(600.0) == pytest.approx(1.0)
    assert shown_seconds(599.25 - until_shown_changes(599.25)) == 599


@pytest.mark.parametrize(
    ("seconds", "face"), [(0, "0:00"), (9, "0:09"), (65, "1:05"), (600, "10:00"), (3723, "1:02:03")]
)
def test_clock_face(seconds: int, face: str) -> None:
    assert clock_face(seconds) == face


def test_system_clock_is_monotonic() -> None:
    clock = SystemClock()
    first = clock.monotonic()
    assert clock.monotonic() >= first
