"""T4: room mode keeps nothing about a phone: no cookie, token, address or browser in the store files."""

from __future__ import annotations

from pathlib import Path

from stigmacards import paths

from ..web.conftest import Served, served  # noqa: F401 - the fixture


def _store_bytes() -> bytes:
    home = paths.home()
    return b"".join(p.read_bytes() for p in Path(home).rglob("*") if p.is_file())


def test_nothing_about_the_phone_reaches_the_store(served: Served) -> None:  # noqa: F811
    phone = served.phone()
    phone.client.headers["user-agent"] = "Canary-Browser/9.9 (Phone; NL)"
    phone.open()
    cookie = phone.client.cookies.get("stigmacards_phone")
    assert cookie
    phone.send()
    phone.send(answer="3", do="next")
    phone.send(do="skip")
    phone.send(answer="What I will remember is the silence.", do="next")
    phone.send(do="skip")
    assert "Saved" in phone.last
    served.store.checkpoint()
    data = _store_bytes()
    assert b"What I will remember is the silence." in data  # the answer is there …
    for trace in (cookie, "Canary-Browser", "127.0.0.1", "testclient"):  # … and nothing else of the phone
        assert trace.encode() not in data, trace
    for phone_state in served.room.phones.values():
        assert phone_state.form_token.encode() not in data


def test_a_phone_is_forgotten_with_its_draft_once_it_has_sent(served: Served) -> None:  # noqa: F811
    phone = served.phone()
    phone.open()
    phone.send()
    phone.send(answer="4", do="next")
    state = next(iter(served.room.phones.values()))
    assert state.draft.values  # held in memory while the phone is part-way …
    for _ in range(3):
        phone.send(do="skip")
    assert not state.draft.values  # … and dropped once saved
    assert served.room.saved == 1
