"""The shared room state: the facilitator's g, the cap, closing."""

from __future__ import annotations

from stigmacards.room.room import Admission, Room


def _room(group_size: int | None, earlier: int = 0) -> Room:
    room = Room(language="en", decks={}, clock=lambda: 0.0)
    room.attach("s1", {}, lambda answers: None, group_size=group_size, earlier=earlier)
    return room


def test_g_lets_exactly_one_more_person_answer_and_stores_it_first() -> None:
    stored: list[int] = []
    room = _room(group_size=3, earlier=3)
    assert room.admission() is Admission.FULL
    assert room.one_more(stored.append) == 4
    assert stored == [4]
    assert room.admission() is Admission.OPEN
    # Without a declared size, one more than those who answered already.
    unsized = _room(group_size=None, earlier=7)
    assert unsized.one_more() == 8
    assert unsized.group_size == 8
