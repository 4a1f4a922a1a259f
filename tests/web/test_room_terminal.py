"""The facilitator's terminal in room mode, in a real pseudo-terminal: how to join, the count, g and q."""

from __future__ import annotations

import os
import re
import ssl
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import new_session, stored
from .test_room_server import TOKEN, Phone, room_process

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminal")


def _join_by_code(start: str, code: str) -> Phone:
    """A participant who types the short address and the room code instead of scanning."""
    phone = Phone(start)
    with phone.opener.open(start, timeout=20) as response:
        token = TOKEN.search(response.read().decode()).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({"form_token": token, "code": code.lower()}).encode()
    with phone.opener.open(urllib.request.Request(start, data=body, method="POST"), timeout=20) as response:
        phone.join = response.geturl().split("?", 1)[0]
        phone.page = response.read().decode()
    return phone


@pytest.mark.posix  # keys one at a time through termios (the Windows console's are tested in tests/ui)
def test_the_terminal_shows_how_to_join_counts_and_stops_with_q() -> None:
    session_id = new_session(group_size=1)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "stigmacards", "room", session_id, "--host", "127.0.0.1"],
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
        encoding="utf-8",
        codec_errors="replace",
        timeout=30,
        dimensions=(60, 100),
    )
    try:
        child.expect("▀|▄|█")  # the QR code, drawn in half blocks
        child.expect(r"(http://127\.0\.0\.1:\d+/)\s")
        start = child.match.group(1)
        child.expect(r"room code\s+([A-Z]{6})")
        code = child.match.group(1)
        child.expect(r"/s/[\w-]{20,}")
        child.expect("0 submissions arrived · 0 of 1 people")
        phone = _join_by_code(start, code)
        assert "what happens with your answers" in phone.page
        phone.send()
        phone.send(answer="4", do="next")
        for _ in range(3):
            phone.send(do="skip")
        child.expect("1 submission arrived · 1 of 1 people · group full: press g")
        child.send("g")
        child.expect("1 of 2 people")
        late = _join_by_code(start, code)
        late.send()  # part-way when the facilitator stops
        child.send("q")
        child.expect("1 person is still answering: press q again")
        child.send("q")
        child.expect("Room closed: 1 submission saved now.")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert stored(session_id) == [("veilig", 4)]


def test_https_with_cert_and_key(tmp_path: Path) -> None:
    if subprocess.run(["openssl", "version"], capture_output=True, check=False).returncode != 0:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    session_id = new_session()
    with room_process(session_id, "--cert", str(cert), "--key", str(key)) as room:
        assert room.join.startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(room.join, context=context, timeout=20) as response:
            assert "what happens with your answers" in response.read().decode()
            cookie = response.headers["set-cookie"]
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert re.search(r"SameSite=strict", cookie, re.IGNORECASE)
