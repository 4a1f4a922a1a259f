"""The room served in-process (Starlette's TestClient) over a real store file, with a fake clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest
from starlette.testclient import TestClient

from stigmacards import paths
from stigmacards.deck.catalog import content_hash
from stigmacards.reflections.store import ReflectionStore
from stigmacards.room.room import Room
from stigmacards.web.app import Links, create_app

from ..conftest import DECKS

DECK_FILE = DECKS / "stigma-sekswerk.yaml"
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
STEP = re.compile(r'name="step" value="([^"]+)"')
QUESTION = re.compile(r'name="q" value="([^"]+)"')


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def new_session(group_size: int | None = 8, language: str = "en") -> str:
    with ReflectionStore.in_home(paths.home()) as store:
        return store.create_session(
            deck_id="stigma-sekswerk",
            deck_hash=content_hash([DECK_FILE]),
            language=language,
            group_size=group_size,
            day=date(2026, 12, 4),
        ).id


def stored(session_id: str) -> list[tuple[str, object]]:
    with ReflectionStore.in_home(paths.home(), read_only=True) as store:
        return sorted((r.prompt_id, r.value) for r in store.reflections(session_id))


@dataclass
class Served:
    room: Room
    client: TestClient
    store: ReflectionStore
    session_id: str
    clock: Clock

    def phone(self) -> PhoneWalk:
        client = TestClient(self.client.app, base_url="http://127.0.0.1:8000", follow_redirects=False)
        return PhoneWalk(self, client)


@dataclass
class PhoneWalk:
    """One phone (its own cookie jar) walking the pages as a browser without JavaScript would."""

    served: Served
    client: TestClient
    last: str = ""
    statuses: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/j/{self.served.room.join_token}"

    def open(self, path: str = "") -> str:
        response = self.client.get(self.url + path)
        if response.status_code == 303:
            response = self.client.get(response.headers["location"])
        self.statuses.append(response.status_code)
        self.last = response.text
        return self.last

    def step(self) -> str:
        found = STEP.search(self.last)
        return found.group(1) if found else ""

    def send(self, **fields: str) -> int:
        """Post the current page's form with `fields` (token, step and question filled in), follow the 303."""
        data = {"form_token": FORM_TOKEN.search(self.last).group(1), "step": self.step()}  # type: ignore[union-attr]
        question = QUESTION.search(self.last)
        if question:
            data["q"] = question.group(1)
        data.update(fields)
        response = self.client.post(self.url, data=data)
        self.statuses.append(response.status_code)
        if response.status_code == 303:
            self.open()
        else:
            self.last = response.text
        return response.status_code

    def start(self) -> None:
        """Open the join page and accept the promise."""
        self.open()
        self.send()

    def to_free_text(self) -> None:
        """Accept the promise and skip the scale and the choice: the first free-text question is next."""
        self.start()
        self.send(do="skip")
        self.send(do="skip")

    def answer_rest(self, scale: str | None = None) -> None:
        """From question 1: the scale answer (or skip), then skip every other question."""
        if scale:
            self.send(answer=scale, do="next")
        else:
            self.send(do="skip")
        for _ in range(3):
            self.send(do="skip")


@pytest.fixture
def served() -> Iterator[Served]:
    from stigmacards.cli.room import build_room

    session_id = new_session()
    store = ReflectionStore.in_home(paths.home())
    info = store.get_session(session_id)
    clock = Clock()
    room = build_room(store, info, deck=None, language="en")
    room.clock = clock
    assert room.throttle is not None
    room.throttle.clock = clock
    app = create_app(
        room, Links(start="http://127.0.0.1:8000/", join=f"http://127.0.0.1:8000/j/{room.join_token}")
    )
    with store, TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False) as client:
        yield Served(room=room, client=client, store=store, session_id=session_id, clock=clock)
