"""The projector page: how to join, the count, the round and timer; never what anyone wrote."""

from __future__ import annotations

import asyncio
import json

from stigmacards.room.room import Board, Phase
from stigmacards.web import live

from .conftest import Served

CANARY = "Canary-7f3a: my neighbour's story"


def _answer_with_canary(served: Served) -> None:
    phone = served.phone()
    phone.open()
    phone.send()
    phone.send(answer="2", do="next")
    phone.send(do="skip")
    phone.send(answer=CANARY, do="next")
    phone.send(do="skip")
    assert "Saved" in phone.last


def test_the_projector_shows_how_to_join_and_the_count_only(served: Served) -> None:
    url = f"/s/{served.room.screen_token}"
    page = served.client.get(url)
    assert page.status_code == 200
    assert served.room.code in page.text
    assert "http://127.0.0.1:8000/" in page.text
    assert f"{url}/qr.svg" in page.text
    assert '<strong id="count">0</strong>' in page.text
    _answer_with_canary(served)
    page = served.client.get(url)
    assert '<strong id="count">1</strong>' in page.text
    assert "Canary-7f3a" not in page.text
    assert "Canary-7f3a" not in json.dumps(served.room.snapshot())


def test_the_qr_code_is_an_svg_of_the_join_address(served: Served) -> None:
    response = served.client.get(f"/s/{served.room.screen_token}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.lstrip().startswith("<svg")
    assert "<script" not in response.text


def test_group_full_is_shown(served: Served) -> None:
    served.room.resize(1)
    _answer_with_canary(served)
    page = served.client.get(f"/s/{served.room.screen_token}")
    assert 'id="full" hidden' not in page.text
    assert "group full" in page.text


def test_a_round_shows_each_tables_card_and_the_server_timer(served: Served) -> None:
    deck = served.room.decks["en"]
    first, second = deck.cards[0], deck.cards[1]
    served.room.show(Board(phase=Phase.ROUND, round=2, cards=(first.id, second.id), remaining=600.0))
    served.clock.now += 65
    page = served.client.get(f"/s/{served.room.screen_token}").text
    assert "Round 2" in page
    assert "8:55" in page  # 600 s less the 65 s that passed on the room's clock
    assert "Table 1" in page
    assert "Table 2" in page
    assert (first.title or first.questions[0]) in page
    served.room.show(Board(phase=Phase.ROUND, round=2, cards=(first.id,), remaining=90.0, paused=True))
    served.clock.now += 30
    page = served.client.get(f"/s/{served.room.screen_token}").text
    assert "1:30" in page  # paused: no time passes
    for question in first.questions:
        assert question.replace("'", "&#39;") in page  # one table: the card itself, large


def test_the_event_stream_sends_counts_and_wakes_on_change(served: Served) -> None:
    async def first_events() -> list[dict[str, object]]:
        hub = live.Hub()
        hub.bind(asyncio.get_running_loop())
        served.room.listen(hub.changed)
        stream = live.stream(served.room, hub, served.room.snapshot)
        assert (await anext(stream)).startswith("retry:")
        got = [json.loads((await anext(stream))[len("data: ") :])]
        waiting = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)
        assert not waiting.done()  # nothing changed: the stream waits
        served.room.resize(3)
        got.append(json.loads((await asyncio.wait_for(waiting, 5))[len("data: ") :]))
        await stream.aclose()
        assert hub.streams == 0
        return got

    events = asyncio.run(first_events())
    assert events[0]["group"] == 8
    assert events[1]["group"] == 3
    assert set(events[1]) == {
        "version",
        "phase",
        "round",
        "remaining",
        "paused",
        "calm",
        "count",
        "full",
        "group",
    }
