"""Bad input of every kind gets a clear page and the right 4xx, and nothing is stored partially."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stigmacards.reflections.flow import MAX_TEXT
from stigmacards.web.forms import MAX_BODY

from .conftest import FORM_TOKEN, Served, stored


def _at_question(served: Served) -> tuple[object, str]:
    phone = served.phone()
    phone.open()
    phone.send()
    token = FORM_TOKEN.search(phone.last).group(1)  # type: ignore[union-attr]
    return phone, token


def test_wrong_tokens_are_404_and_say_nothing(served: Served) -> None:
    for path in (
        "/j/wrong",
        "/s/wrong",
        "/j/wrong/events",
        "/s/wrong/qr.svg",
        f"/s/{served.room.join_token}",
    ):
        response = served.client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.text
        assert served.room.join_token not in response.text
        assert served.room.screen_token not in response.text
    # The projector's token is not the join token and cannot be derived from it.
    assert served.room.screen_token != served.room.join_token
    assert served.client.get(f"/j/{served.room.screen_token}").status_code == 404


def test_a_post_without_the_form_token_is_refused(served: Served) -> None:
    phone, _token = _at_question(served)
    response = phone.client.post(phone.url, data={"step": "question", "q": "veilig", "answer": "3"})  # type: ignore[attr-defined]
    assert response.status_code == 403
    assert "expired" in response.text
    assert stored(served.session_id) == []


def test_a_post_from_another_phone_is_refused(served: Served) -> None:
    _first, token = _at_question(served)
    other, _ = _at_question(served)
    response = other.client.post(  # type: ignore[attr-defined]
        other.url,
        data={"form_token": token, "step": "question", "q": "veilig", "answer": "3"},  # type: ignore[attr-defined]
    )
    assert response.status_code == 403


def test_bad_forms(served: Served) -> None:
    phone, token = _at_question(served)
    client, url = phone.client, phone.url  # type: ignore[attr-defined]
    base = {"form_token": token, "step": "question", "q": "veilig"}
    cases = [
        ({**base, "answer": "9"}, 400),  # not one of the options
        ({**base, "answer": "skip"}, 400),
        ({**base, "q": "nope", "answer": "3"}, 409),  # unknown question id
        ({**base, "step": "pii", "choice": "keep"}, 409),  # another step
    ]
    for data, status in cases:
        response = client.post(url, data=data)
        assert response.status_code == status, data
        assert "<h1>" in response.text
    # invalid UTF-8
    response = client.post(
        url,
        content=b"form_token=" + token.encode() + b"&step=question&q=veilig&answer=%FF%FE",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    # not a form
    response = client.post(url, json=base)
    assert response.status_code == 415
    # too many fields
    response = client.post(
        url,
        content="&".join(f"f{n}=1" for n in range(50)).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert stored(served.session_id) == []


def test_over_long_text_and_huge_bodies_are_refused_and_the_server_lives_on(served: Served) -> None:
    phone, token = _at_question(served)
    client, url = phone.client, phone.url  # type: ignore[attr-defined]
    client.post(url, data={"form_token": token, "step": "question", "q": "veilig", "do": "skip"})
    client.post(url, data={"form_token": token, "step": "question", "q": "rol", "do": "skip"})
    long_text = "a" * (MAX_TEXT + 1)
    response = client.post(
        url, data={"form_token": token, "step": "question", "q": "inzicht", "answer": long_text}
    )
    assert response.status_code == 413
    assert str(MAX_TEXT) in response.text
    huge = b"form_token=" + token.encode() + b"&answer=" + b"x" * (5 * 1024 * 1024)
    response = client.post(url, content=huge, headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413

    # A body that lies about its length is cut off at the limit too.
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"x" * 4096

    response = client.post(
        url, content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert MAX_BODY < 5 * 1024 * 1024
    # Still answering, and the phone is where it was.
    page = client.get(url)
    assert page.status_code == 200
    assert "Question 3 of 4" in page.text
    assert stored(served.session_id) == []


def test_the_start_page_takes_the_room_code(served: Served) -> None:
    page = served.client.get("/")
    assert "Room code" in page.text
    token = FORM_TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    assert served.client.post("/", data={"code": served.room.code}).status_code == 403  # no form token
    response = served.client.post("/", data={"form_token": token, "code": served.room.code.lower()})
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/j/{served.room.join_token}")
    wrong = served.client.post("/", data={"form_token": token, "code": "XXXXXX"})
    assert wrong.status_code == 403
    assert "not the room code" in wrong.text
    statuses = [
        served.client.post("/", data={"form_token": token, "code": "XXXXXX"}).status_code for _ in range(10)
    ]
    assert statuses[-1] == 429
    assert "wait" in served.client.post("/", data={"form_token": token, "code": served.room.code}).text
    served.clock.now += 3600
    assert served.client.post("/", data={"form_token": token, "code": served.room.code}).status_code == 303


FIELD_NAMES = st.sampled_from(["form_token", "step", "q", "answer", "do", "choice", "code", "x"])
FIELD_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "promise",
            "question",
            "pii",
            "edit",
            "retry",
            "veilig",
            "rol",
            "inzicht",
            "keep",
            "remove",
            "edit",
            "skip",
            "next",
            "3",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    forms=st.lists(st.dictionaries(FIELD_NAMES, FIELD_VALUES, max_size=6), min_size=1, max_size=6),
    raw=st.binary(max_size=200),
)
def test_fuzzed_forms_never_crash_and_never_store_a_partial_submission(
    served: Served, forms: list[dict[str, str]], raw: bytes
) -> None:
    phone = served.phone()
    phone.open()
    token = FORM_TOKEN.search(phone.last).group(1)  # type: ignore[union-attr]
    for sent in forms:
        form = {"form_token": token, **sent}
        response = phone.client.post(phone.url, data=form)
        assert response.status_code in (303, 400, 403, 409, 410, 413, 415), response.status_code
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    response = phone.client.post(
        phone.url, content=raw, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code in (303, 400, 403, 409, 413)
    response = phone.client.get(phone.url)
    assert response.status_code == 200
    # Whatever was sent, the store holds whole submissions only: every saved phone's answers,
    # nothing from a phone part-way.
    saved_phones = sum(
        1 for p in served.room.phones.values() if p.ending is not None and p.ending.value == "saved"
    )
    assert served.room.saved == saved_phones
    rows = stored(served.session_id)
    assert len(rows) <= 4 * saved_phones
