"""Tokens, the room code and the throttle that makes guessing the code impractical."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from stigmacards.reflections.flow import CODE_LETTERS
from stigmacards.room.access import (
    FREE_TRIES,
    MAX_WAIT,
    ROOM_CODE_LENGTH,
    ROOM_WRONG_PER_MINUTE,
    CodeThrottle,
    new_room_code,
    new_token,
    normal_code,
    try_code,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_tokens_carry_at_least_128_bits_and_differ() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        # url-safe base64: 6 bits a character
        assert len(token) * 6 >= 128
        assert all(ch.isalnum() or ch in "-_" for ch in token)


def test_room_code_uses_only_unambiguous_letters() -> None:
    for _ in range(100):
        code = new_room_code()
        assert len(code) >= 6 == ROOM_CODE_LENGTH
        assert set(code) <= set(CODE_LETTERS)
    assert not set("01IOSBGZQ") & set(CODE_LETTERS)


def test_typed_code_ignores_case_spaces_and_dashes() -> None:
    assert normal_code(" acd-efh ") == "ACDEFH"
    clock = Clock()
    assert try_code(CodeThrottle(clock=clock), "ACDEFH", "acd efh", "a") == (True, 0.0)


def test_wrong_codes_cost_growing_time_per_client() -> None:
    clock = Clock()
    throttle = CodeThrottle(clock=clock)
    for _ in range(FREE_TRIES):
        assert try_code(throttle, "ACDEFH", "XXXXXX", "phone-1") == (False, 0.0)
    ok, wait = try_code(throttle, "ACDEFH", "XXXXXX", "phone-1")
    assert not ok
    assert wait > 0
    # While it waits even the right code is not compared.
    assert try_code(throttle, "ACDEFH", "ACDEFH", "phone-1")[0] is False
    # Another client is not affected.
    assert try_code(throttle, "ACDEFH", "ACDEFH", "phone-2") == (True, 0.0)
    waits = []
    for _ in range(20):
        clock.now += 10_000
        waits.append(try_code(throttle, "ACDEFH", "YYYYYY", "phone-1")[1])
    assert waits == sorted(waits)
    assert waits[-1] == MAX_WAIT
    clock.now += MAX_WAIT + 1
    assert try_code(throttle, "ACDEFH", "ACDEFH", "phone-1") == (True, 0.0)


def test_the_whole_room_takes_a_bounded_number_of_wrong_codes_a_minute() -> None:
    clock = Clock()
    throttle = CodeThrottle(clock=clock)
    for n in range(ROOM_WRONG_PER_MINUTE):
        try_code(throttle, "ACDEFH", "XXXXXX", f"client-{n}")
    ok, wait = try_code(throttle, "ACDEFH", "ACDEFH", "fresh-client")
    assert not ok
    assert 0 < wait <= 60
    clock.now += 61
    assert try_code(throttle, "ACDEFH", "ACDEFH", "fresh-client") == (True, 0.0)


def test_guessing_the_code_takes_years() -> None:
    """What the limits mean: at most ROOM_WRONG_PER_MINUTE guesses a minute for everyone together."""
    codes = len(CODE_LETTERS) ** ROOM_CODE_LENGTH
    minutes_for_half = codes / 2 / ROOM_WRONG_PER_MINUTE
    assert minutes_for_half / (60 * 24 * 365) > 0.7  # a session lasts hours, not most of a year
    assert math.log2(codes) > 25


@given(st.text(max_size=40))
def test_any_typed_text_is_safe_to_try(typed: str) -> None:
    throttle = CodeThrottle(clock=Clock())
    ok, wait = try_code(throttle, "ACDEFH", typed, "c")
    assert ok == (normal_code(typed) == "ACDEFH")
    assert wait >= 0
