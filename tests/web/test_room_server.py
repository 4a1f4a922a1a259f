"""`stigmacards room` as a real process on 127.0.0.1: the two lines, the pages, SIGTERM, kill -9.

The proof of "a phone told 'saved' is saved" is a real kill -9 in the middle of a burst of
submissions, then reading the real store file.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import new_session, stored

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="sends POSIX signals")
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
STEP = re.compile(r'name="step" value="([^"]+)"')
QUESTION = re.compile(r'name="q" value="([^"]+)"')


@dataclass
class Running:
    process: subprocess.Popen[str]
    join: str
    screen: str


NOWIN = Path(__file__).resolve().parents[1] / "platform" / "nowin"


@contextmanager
def room_process(session_id: str, *extra: str, nowin: bool = False) -> Iterator[Running]:
    """`stigmacards room` without a terminal; `nowin`: with every POSIX-only module hidden, as on Windows."""
    env = {"PYTHONPATH": str(NOWIN), "STIGMACARDS_NOWIN": "1"} if nowin else {}
    with serving("room", session_id, "--host", "127.0.0.1", *extra, env=env) as running:
        yield running


@contextmanager
def serving(*args: str, env: dict[str, str]) -> Iterator[Running]:
    """`stigmacards ARGS` serving a room without a terminal, once it has said where (its two lines)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "stigmacards", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        assert process.stdout is not None
        first, second = process.stdout.readline(), process.stdout.readline()
        assert re.match(r"join\thttps?://127\.0\.0\.1:\d+/j/[\w-]{27,}\n$", first), first
        assert re.match(r"screen\thttps?://127\.0\.0\.1:\d+/s/[\w-]{27,}\n$", second), second
        yield Running(process, first.split("\t", 1)[1].strip(), second.split("\t", 1)[1].strip())
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=20)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


class Phone:
    """A phone without JavaScript: its own cookie jar, following the 303s."""

    def __init__(self, join: str) -> None:
        self.join = join
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.page = ""
        self.headers: dict[str, str] = {}

    def open(self) -> str:
        with self.opener.open(self.join, timeout=20) as response:
            self.headers = {k.lower(): v for k, v in response.headers.items()}
            self.page = response.read().decode()
        return self.page

    def send(self, **fields: str) -> str:
        data = {"form_token": TOKEN.search(self.page).group(1), "step": STEP.search(self.page).group(1)}  # type: ignore[union-attr]
        question = QUESTION.search(self.page)
        if question:
            data["q"] = question.group(1)
        data.update(fields)
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(
            urllib.request.Request(self.join, data=body, method="POST"), timeout=20
        ) as response:
            self.page = response.read().decode()
        return self.page

    def answer_all(self, text: str) -> str:
        self.open()
        self.send()
        self.send(answer="3", do="next")
        self.send(do="skip")
        self.send(answer=text, do="next")
        return self.send(do="skip")


@pytest.mark.parametrize("nowin", [False, True], ids=["posix", "without-posix-modules"])
def test_without_a_terminal_it_prints_two_lines_serves_and_stops_cleanly_on_sigterm(nowin: bool) -> None:
    session_id = new_session()
    with room_process(session_id, nowin=nowin) as room:
        phone = Phone(room.join)
        assert "what happens with your answers" in phone.open()
        assert "server" not in phone.headers  # uvicorn's Server header is off
        assert "date" not in phone.headers
        assert phone.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in phone.headers["content-security-policy"]
        assert phone.headers["referrer-policy"] == "no-referrer"
        assert "Saved" in phone.answer_all("It was good to listen.")
        with urllib.request.urlopen(room.screen, timeout=20) as response:
            assert "It was good to listen." not in response.read().decode()
        room.process.send_signal(signal.SIGTERM)
        out, err = room.process.communicate(timeout=30)
    assert room.process.returncode == 0, err
    assert "Room closed: 1 submission saved now." in err
    assert "Traceback" not in err
    # Nothing about a participant in any output: no access log, no address, no browser.
    for line in (out + err).splitlines():
        assert "127.0.0.1" not in line or line.startswith(("start\t", "join\t", "screen\t")), line
        assert "Python-urllib" not in line
        assert "GET /" not in line
        assert "POST /" not in line
    assert ("inzicht", "It was good to listen.") in stored(session_id)


def test_ctrl_c_stops_it_the_same_way() -> None:
    session_id = new_session()
    with room_process(session_id) as room:
        room.process.send_signal(signal.SIGINT)
        _, err = room.process.communicate(timeout=30)
    assert room.process.returncode == 0
    assert "Room closed: 0 submissions saved now." in err


def test_kill_9_during_a_burst_loses_no_submission_a_phone_was_told_is_saved() -> None:
    session_id = new_session(group_size=None)
    confirmed: list[str] = []
    ten_saved = threading.Event()
    lock = threading.Lock()
    with room_process(session_id) as room:

        def phone(number: int) -> None:
            text = f"phone {number} finished"
            try:
                page = Phone(room.join).answer_all(text)
            except Exception:  # reset, incomplete read, no page: the server died under this phone
                return  # and it was never told "saved"
            if "Saved. Thank you." in page:
                with lock:
                    confirmed.append(text)
                    if len(confirmed) >= 10:
                        ten_saved.set()

        threads = [threading.Thread(target=phone, args=(n,)) for n in range(80)]
        for thread in threads:
            thread.start()
        assert ten_saved.wait(timeout=60)
        os.kill(room.process.pid, signal.SIGKILL)  # mid-burst: dozens of phones are part-way
        for thread in threads:
            thread.join(timeout=60)
    assert 10 <= len(confirmed) < 80  # some were told "saved", the kill cut others off
    texts = {value for prompt, value in stored(session_id) if prompt == "inzicht"}
    missing = set(confirmed) - texts
    assert not missing, f"told 'saved' but not in the store: {sorted(missing)}"


def test_other_commands_do_not_import_the_web_stack() -> None:
    code = (
        "import sys; from stigmacards import cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'jinja2', 'segno')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_a_port_in_use_is_a_clear_error() -> None:
    import socket

    session_id = new_session()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "stigmacards",
                "room",
                session_id,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.startswith("stigmacards: cannot serve on 127.0.0.1:")
    assert len(done.stderr.strip().splitlines()) == 1


def test_lang_chooses_the_language_of_the_pages() -> None:
    session_id = new_session(language="en")
    with room_process(session_id, "--lang", "nl", "--no-qr") as room:
        page = Phone(room.join).open()
        room.process.send_signal(signal.SIGTERM)
        _, err = room.process.communicate(timeout=30)
    assert '<html lang="nl">' in page
    assert "Voor je begint" in page
    assert "Ruimte gesloten: nu 0 inzendingen bewaard." in err  # the facilitator's lines follow --lang too
