"""Serving the room: the laptop's address on the local network, a free port, uvicorn in a thread.

uvicorn runs with its access log off and without a Server header: the server logs nothing about
anyone. It runs in a background thread, so the facilitator's terminal keeps its keys; the
thread's event loop answers every phone, and `Server.stop` finishes requests in flight before
it returns, so a phone that was told "saved" is saved.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

# Limits that keep a flood from taking the room down: connections beyond this get 503 at once,
# idle keep-alive connections close after a few seconds, headers are bounded by h11's default.
MAX_CONNECTIONS = 2000
KEEP_ALIVE_SECONDS = 5
GRACEFUL_SECONDS = 3


def lan_address() -> str:
    """The address other devices on the local network reach this laptop at; 127.0.0.1 if none.

    A UDP socket "connected" to a private address makes the OS choose the outgoing interface
    without sending a packet: nothing reaches the internet, and it works without one.
    """
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect((probe, 9))
                found = str(sock.getsockname()[0])
            except OSError:
                continue
        if _usable(found):
            return found
    try:
        for found in socket.gethostbyname_ex(socket.gethostname())[2]:
            if _usable(found):
                return found
    except OSError:
        pass
    return "127.0.0.1"


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one, chosen by the OS)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto named explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
    # is IPPROTO_TCP, and accepted sockets inherit it. With proto 0 every response on a kept-alive
    # connection waited ~40 ms for the phone's delayed ACK (benchmarks/bench_room.py found it).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    sock.set_inheritable(True)
    return sock


@dataclass
class Tls:
    cert: Path
    key: Path


class Server:
    """The room's HTTP server in a background thread."""

    def __init__(self, app: Any, sock: socket.socket, *, tls: Tls | None = None) -> None:
        options: dict[str, Any] = {}
        if tls is not None:
            options = {"ssl_certfile": str(tls.cert), "ssl_keyfile": str(tls.key)}
        config = uvicorn.Config(
            app,
            access_log=False,
            server_header=False,
            date_header=False,
            log_level="critical",
            log_config=None,
            lifespan="on",
            limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
            proxy_headers=False,
            forwarded_allow_ips="",
            http="h11",
            loop="asyncio",
            ws="none",
            **options,
        )
        self._server = uvicorn.Server(config)
        self._sock = sock
        self._thread = threading.Thread(target=self._run, name="stigmacards-room", daemon=True)
        self.failed: BaseException | None = None

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._sock])
        except BaseException as error:  # reported by `start` or `stop` in the main thread
            self.failed = error

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        waited = 0.0
        while not self._server.started and self._thread.is_alive() and waited < timeout:
            self._thread.join(0.02)
            waited += 0.02
        if not self._server.started:
            raise OSError(f"the room's web server did not start: {self.failed!r}")

    def stop(self) -> None:
        """Finish requests in flight (a save is never cut off), then stop."""
        self._server.should_exit = True
        self._thread.join(GRACEFUL_SECONDS + 5)
        self._sock.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()
