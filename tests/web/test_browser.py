"""The room's pages in a real browser: headless Chromium (the system package) driven by Playwright.

A phone-sized page walks promise → questions → saved, with and without JavaScript; the projector
follows live. No page is wider than the phone, no console error (a CSP violation is one), every
field has a label. Set STIGMACARDS_SCREENSHOTS=docs/images to refresh the screenshots in docs/room.md.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import new_session, stored
from .test_room_server import room_process

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is a dev dependency"
)
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses the Debian chromium package")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no system Chromium (apt-get install chromium; `make test` installs it where it can)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _shots(tmp_path: Path) -> Path:
    chosen = os.environ.get("STIGMACARDS_SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path


def _page(browser: Any, *, javascript: bool = True, size: dict[str, int] = PHONE) -> tuple[Any, list[str]]:
    context = browser.new_context(
        viewport=size,
        java_script_enabled=javascript,
        is_mobile=size is PHONE,
        has_touch=size is PHONE,
        device_scale_factor=2 if size is PHONE else 1,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _fits_and_is_labelled(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.outerHTML)"""
    )
    assert unlabelled == []
    assert page.locator("form").count() <= 1


def test_a_phone_walks_promise_questions_saved_with_javascript(browser: Any, tmp_path: Path) -> None:
    session_id = new_session()
    shots = _shots(tmp_path)
    with room_process(session_id) as room:
        page, errors = _page(browser)
        page.goto(room.join)
        assert "what happens with your answers" in page.content()
        _fits_and_is_labelled(page)
        page.screenshot(path=str(shots / "room-phone-promise.png"), full_page=True)
        page.get_by_role("button", name="Start the questions").click()
        page.wait_for_selector("text=Question 1 of 4")
        _fits_and_is_labelled(page)
        assert page.locator("input[type=radio]:checked").count() == 0  # nothing chosen for anyone
        page.get_by_label("4").check()
        page.screenshot(path=str(shots / "room-phone-question.png"), full_page=True)
        page.get_by_role("button", name="Next").click()
        page.wait_for_selector("text=Question 2 of 4")
        page.get_by_role("button", name="Skip this question").click()
        page.wait_for_selector("text=Question 3 of 4")
        page.get_by_role("textbox").fill("Mail me: jan@example.org")
        page.get_by_role("button", name="Next").click()
        page.wait_for_selector("text=seems to contain personal data")
        _fits_and_is_labelled(page)
        page.screenshot(path=str(shots / "room-phone-personal-data.png"), full_page=True)
        page.get_by_label("Remove these parts").check()
        page.get_by_role("button", name="Next").click()
        page.wait_for_selector("text=Question 4 of 4")
        page.get_by_role("button", name="Next").click()
        page.wait_for_selector("text=Saved. Thank you.")
        page.screenshot(path=str(shots / "room-phone-saved.png"), full_page=True)
        page.reload()  # post-redirect-get: a reload sends nothing again
        assert "Saved. Thank you." in page.content()
        page.context.close()
    assert errors == []
    rows = dict(stored(session_id))
    assert rows["veilig"] == 4
    assert "jan@example.org" not in str(rows["inzicht"])
    assert len(rows) == 2


def test_a_phone_without_javascript_gets_there_too(browser: Any) -> None:
    session_id = new_session()
    with room_process(session_id) as room:
        page, errors = _page(browser, javascript=False)
        page.goto(room.join)
        page.get_by_role("link", name="Nederlands").click()
        page.get_by_role("button", name="Begin met de vragen").click()
        page.get_by_label("2", exact=True).check()
        page.get_by_role("button", name="Volgende").click()
        for _ in range(3):
            page.get_by_role("button", name="Deze vraag overslaan").click()
        assert "Bewaard. Dank je wel." in page.content()
        page.go_back()  # the browser's back button shows where the phone is: nothing is sent again
        assert "Bewaard" in page.content()
        page.context.close()
    assert errors == []
    assert stored(session_id) == [("veilig", 2)]


def test_the_projector_follows_live_and_never_shows_text(browser: Any, tmp_path: Path) -> None:
    session_id = new_session()
    shots = _shots(tmp_path)
    with room_process(session_id) as room:
        screen, errors = _page(browser, size={"width": 1280, "height": 720})
        screen.goto(room.screen)
        assert screen.locator("#count").inner_text() == "0"
        assert screen.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")
        phone, phone_errors = _page(browser)
        phone.goto(room.join)
        phone.get_by_role("button", name="Start the questions").click()
        phone.get_by_role("button", name="Skip this question").click()
        phone.get_by_role("button", name="Skip this question").click()
        phone.get_by_role("textbox").fill("A sentence only the store may hold")
        phone.get_by_role("button", name="Next").click()
        phone.get_by_role("button", name="Skip this question").click()
        phone.wait_for_selector("text=Saved. Thank you.")
        playwright_api.expect(screen.locator("#count")).to_have_text("1", timeout=10_000)
        assert "A sentence only the store may hold" not in screen.content()
        screen.screenshot(path=str(shots / "room-projector.png"))
        screen.context.close()
        phone.context.close()
    assert errors == []
    assert phone_errors == []


@pytest.fixture
def live_room() -> Iterator[tuple[Any, str, str]]:
    """A room served in this process on 127.0.0.1, its board set by the test as `play --room` would."""
    import time as real_time

    from stigmacards import paths
    from stigmacards.cli.room import build_room
    from stigmacards.reflections.store import ReflectionStore
    from stigmacards.web import live
    from stigmacards.web.app import Links, create_app
    from stigmacards.web.serve import Server, bind

    session_id = new_session()
    with ReflectionStore.in_home(paths.home()) as store:
        room = build_room(store, store.get_session(session_id), deck=None, language="en")
        room.clock = real_time.monotonic
        sock = bind("127.0.0.1", 0)
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        hub = live.Hub()
        server = Server(
            create_app(room, Links(start=base + "/", join=f"{base}/j/{room.join_token}"), hub), sock
        )
        server.start()
        try:
            yield room, f"{base}/j/{room.join_token}", f"{base}/s/{room.screen_token}"
        finally:
            room.close()
            hub.close()
            server.stop()


def test_phones_and_projector_follow_the_rounds_live(
    browser: Any, live_room: tuple[Any, str, str], tmp_path: Path
) -> None:
    from stigmacards.room.room import Board, Phase

    room, join, screen_url = live_room
    cards = [card.id for card in room.decks["en"].cards]
    room.show(Board(phase=Phase.ROUND, round=1, cards=(cards[0], cards[1], cards[2]), remaining=300.0))
    phone, phone_errors = _page(browser)
    phone.goto(join)
    phone.get_by_role("link", name="Table 2").click()
    first = room.decks["en"].card(cards[1])
    phone.wait_for_selector(f"text={first.questions[0]}")
    _fits_and_is_labelled(phone)
    phone.screenshot(path=str(_shots(tmp_path) / "room-phone-round.png"), full_page=True)
    screen, screen_errors = _page(browser, size={"width": 1280, "height": 720})
    screen.clock.install()
    screen.goto(screen_url)
    assert screen.locator(".timer").inner_text() in ("5:00", "4:59")
    screen.wait_for_selector("body[data-live=yes]")  # its first live update: the countdown runs
    screen.clock.run_for(65_000)  # the browser's clock, not ours: no real waiting
    assert screen.locator(".timer").inner_text() in ("3:55", "3:54")
    screen.screenshot(path=str(_shots(tmp_path) / "room-projector-round.png"))

    # The facilitator pauses: the projector's timer stops.
    room.show(
        Board(phase=Phase.ROUND, round=1, cards=(cards[0], cards[1], cards[2]), remaining=200.0, paused=True)
    )
    screen.locator(".paused").wait_for(state="visible")
    screen.clock.run_for(30_000)
    assert screen.locator(".timer").inner_text() == "3:20"

    # Next round: both pages move on by themselves, the phone to its table's new card.
    room.show(Board(phase=Phase.ROUND, round=2, cards=(cards[3], cards[4], cards[5]), remaining=300.0))
    second = room.decks["en"].card(cards[4])
    phone.wait_for_selector(f"text={second.questions[0]}", timeout=10_000)
    screen.wait_for_selector("text=Round 2", timeout=10_000)

    # Then the reflections: the phone shows the promise.
    room.show(Board(phase=Phase.REFLECT, round=2))
    phone.wait_for_selector("text=what happens with your answers", timeout=10_000)
    phone.context.close()
    screen.context.close()
    assert phone_errors == []
    assert screen_errors == []


def test_no_page_asset_comes_from_elsewhere() -> None:
    """Nothing the pages load needs the internet: no CDN, no web font, no absolute URL."""
    web = Path(__file__).resolve().parents[2] / "stigmacards" / "web"
    for path in [*web.glob("templates/*.html"), *web.glob("static/*")]:
        text = path.read_text(encoding="utf-8")
        for found in ("http://", "https://", "//cdn", "@import", "url("):
            if found in text and not (
                path.suffix == ".svg" and found == "http://" and "www.w3.org/2000/svg" in text
            ):
                raise AssertionError(f"{path.name} refers to {found}")
