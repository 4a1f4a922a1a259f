"""Where the room listens: the laptop's LAN address (never 0.0.0.0 unless asked), a free port."""

from __future__ import annotations

import ipaddress
import socket

from stigmacards.web.serve import bind, lan_address


def test_the_default_address_is_a_real_one_found_without_the_internet() -> None:
    found = ipaddress.ip_address(lan_address())
    assert not found.is_unspecified  # never 0.0.0.0 unless the facilitator asks for it
    assert not found.is_link_local
    assert found.version == 4


def test_port_zero_gets_a_free_port_with_nagle_off() -> None:
    sock = bind("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert port > 0
        assert sock.proto == socket.IPPROTO_TCP  # so asyncio sets TCP_NODELAY on every connection
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        sock.close()
