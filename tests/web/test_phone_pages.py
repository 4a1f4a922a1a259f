"""A phone's walk through the room's pages without JavaScript: promise, questions, data check, saved.

Every test goes through the real app and a real store file; what the store holds afterwards is
the proof.
"""

from __future__ import annotations

import re

from .conftest import Served, stored


def test_a_phone_walks_from_promise_to_saved(served: Served) -> None:
    phone = served.phone()
    page = phone.open()
    assert "what happens with your answers" in page
    assert "not to the internet" in page  # the room's own promise line
    assert phone.send() == 303
    assert "Question 1 of 4" in phone.last
    assert phone.send(answer="4", do="next") == 303
    assert phone.send(answer="1", do="next") == 303  # the second option of `rol`
    assert phone.send(answer="Listening to each other helped.", do="next") == 303
    assert phone.send(do="skip") == 303
    assert "Saved. Thank you." in phone.last
    assert stored(served.session_id) == [
        ("inzicht", "Listening to each other helped."),
        ("rol", 1),
        ("veilig", 4),
    ]
    assert served.room.saved == 1


def test_nothing_is_ever_chosen_for_a_participant(served: Served) -> None:
    phone = served.phone()
    phone.open()
    phone.send()
    for number in range(1, 5):
        assert f"Question {number} of 4" in phone.last
        assert "checked" not in phone.last  # no radio button is pre-selected
        assert phone.send(do="next") == 303  # "Next" on an untouched question
    assert "nothing was saved" in phone.last
    assert stored(served.session_id) == []
    assert served.room.saved == 0


def test_every_option_has_a_label_and_skip_is_offered(served: Served) -> None:
    phone = served.phone()
    phone.open()
    phone.send()
    radios = re.findall(r'<input type="radio" id="([^"]+)"', phone.last)
    assert len(radios) == 5  # the scale 1-5; "skip" is its own button
    for radio in radios:
        assert f'for="{radio}"' in phone.last
    assert 'value="skip"' in phone.last
    assert "Skip this question" in phone.last


def test_reloading_or_going_back_never_sends_twice(served: Served) -> None:
    phone = served.phone()
    phone.open()
    phone.send()
    question_page = phone.last
    assert phone.send(answer="5", do="next") == 303
    phone.last = question_page  # the back button: the old form, sent again
    assert phone.send(answer="2", do="next") == 409
    assert "out of date" in phone.last
    phone.open()
    assert "Question 2 of 4" in phone.last


def test_one_submission_per_phone(served: Served) -> None:
    phone = served.phone()
    phone.start()
    phone.answer_rest("3")
    assert "Saved" in phone.last
    phone.open()
    assert "Saved" in phone.last
    assert "form" not in phone.last
    response = phone.client.post(phone.url, data={"form_token": "x", "step": "promise"})
    assert response.status_code == 403
    assert stored(served.session_id) == [("veilig", 3)]


def test_personal_data_gets_the_four_choices_and_remove_is_checked_again(served: Served) -> None:
    phone = served.phone()
    phone.to_free_text()
    phone.send(answer="Mail me at jan@example.org about it.", do="next")
    assert "seems to contain personal data" in phone.last
    for choice in ("remove", "keep", "edit", "skip"):
        assert f'value="{choice}"' in phone.last
    assert "jan@example.org" in phone.last  # shown back to the one who typed it, on this phone only
    phone.send(choice="remove")
    assert "will be saved as" in phone.last
    phone.send(do="skip")
    saved = dict(stored(served.session_id))
    assert "jan@example.org" not in str(saved["inzicht"])
    assert str(saved["inzicht"]).startswith("Mail me at")


def test_edit_and_keep(served: Served) -> None:
    phone = served.phone()
    phone.to_free_text()
    phone.send(answer="Call 06 12345678 please", do="next")
    phone.send(choice="edit")
    assert "<textarea" in phone.last
    assert "06 12345678" in phone.last
    phone.send(answer="Call me please")
    assert "Question 4 of 4" in phone.last
    phone.send(answer="Bel Jan Jansen uit Utrecht", do="next")
    phone.send(choice="keep")
    assert stored(served.session_id) == [
        ("inzicht", "Call me please"),
        ("volgende-keer", "Bel Jan Jansen uit Utrecht"),
    ]


def test_text_from_a_phone_is_inert_when_shown_back(served: Served) -> None:
    phone = served.phone()
    phone.to_free_text()
    phone.send(answer='<script>alert(1)</script> jan@example.org "x"', do="next")
    assert "<script>alert(1)</script>" not in phone.last
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in phone.last


def test_the_group_cap_holds_in_the_room(served: Served) -> None:
    served.room.resize(2, lambda n: served.store.resize(served.session_id, n))
    for _ in range(2):
        phone = served.phone()
        phone.start()
        phone.answer_rest("2")
        assert "Saved" in phone.last
    late = served.phone()
    assert "The group is complete" in late.open()
    assert "<form" not in late.last
    assert [value for prompt, value in stored(served.session_id)] == [2, 2]


def test_a_phone_part_way_when_the_group_fills_keeps_its_answers_until_it_chooses(served: Served) -> None:
    served.room.resize(1, lambda n: served.store.resize(served.session_id, n))
    slow, fast = served.phone(), served.phone()
    for phone in (slow, fast):
        phone.start()
    fast.answer_rest("5")
    slow.answer_rest("1")
    assert "group is complete" in slow.last
    assert "Try again" in slow.last
    served.room.resize(2, lambda n: served.store.resize(served.session_id, n))  # the facilitator's g
    slow.send(do="again")
    assert "Saved" in slow.last
    assert sorted(value for _, value in stored(served.session_id)) == [1, 5]


def test_the_session_ending_closes_every_phone(served: Served) -> None:
    phone = served.phone()
    phone.open()
    phone.send()
    served.room.close()
    assert phone.send(answer="4", do="next") == 410
    assert "The session has ended" in phone.open()
    assert stored(served.session_id) == []


def test_a_phone_can_switch_between_dutch_and_english(served: Served) -> None:
    phone = served.phone()
    assert 'lang="en"' in phone.open()
    phone.open("/lang/nl")
    assert '<html lang="nl">' in phone.last
    assert "Voor je begint: wat er met je antwoorden gebeurt" in phone.last
    assert "gespreksleider" in phone.last
    assert 'href="/j/' in phone.last
    assert "/lang/en" in phone.last
    assert phone.last.count("<form") == 1
    phone.send()
    assert "Vraag 1 van 4" in phone.last
    phone.send(do="next")
    phone.open("/lang/en")
    assert "Question 2 of 4" in phone.last  # switching keeps where the phone is


def test_a_session_closed_elsewhere_ends_the_room_for_every_phone(served: Served) -> None:
    """`session close` in another terminal while phones answer: they are told the session ended."""
    from stigmacards import paths
    from stigmacards.reflections.store import ReflectionStore

    phone, other = served.phone(), served.phone()
    phone.start()
    other.start()
    with ReflectionStore.in_home(paths.home()) as elsewhere:
        elsewhere.seal(served.session_id)
    phone.answer_rest("4")
    assert "The session has ended" in phone.last
    assert "The session has ended" in other.open()
    assert stored(served.session_id) == []
    assert all(not p.draft.values for p in served.room.phones.values())  # drafts dropped with the room
