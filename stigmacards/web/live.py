"""Live updates: server-sent events that wake when the room changes, and cost nothing while idle.

The room calls `Hub.changed` from whichever thread changed it (the facilitator's keys, a save);
each open event stream waits on one shared asyncio event, so 300 waiting phones are 300
suspended coroutines and a timer wake-up only for the keep-alive comment.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable

from stigmacards.room.room import Room

KEEP_ALIVE = 20.0  # seconds: proxies and phones drop silent connections
MAX_STREAMS = 1000  # open event streams at once; more get 503 and the page still works


class Hub:
    """One asyncio event per room version, set when the room changes."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._event = asyncio.Event()
        self._loop = loop
        self.streams = 0
        self.closing = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def changed(self) -> None:
        """Thread-safe: wake every stream."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._wake)
        except RuntimeError:  # the loop stopped between the check and the call
            return

    def _wake(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    def close(self) -> None:
        self.closing = True
        self.changed()

    async def wait(self, timeout: float) -> bool:
        """True when the room changed, False after `timeout` seconds of quiet."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        return True


async def stream(room: Room, hub: Hub, view: Callable[[], dict[str, object]]) -> AsyncIterator[str]:
    """The event stream of one page: the view now, then again whenever it changes."""
    hub.streams += 1
    try:
        yield "retry: 3000\n\n"
        last: str | None = None
        while not hub.closing:
            data = json.dumps(view(), separators=(",", ":"), sort_keys=True)
            if data != last:
                yield f"data: {data}\n\n"
                last = data
            if not await hub.wait(KEEP_ALIVE):
                yield ": keep-alive\n\n"
        yield f"data: {json.dumps({**view(), 'phase': 'closed'})}\n\n"
    finally:
        hub.streams -= 1
