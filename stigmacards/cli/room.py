"""`stigmacards room SESSION`: participants answer on their own phones; the projector is a web page.

Wires the pure room (stigmacards/room) to the store, the web server (stigmacards/web) and the
facilitator's terminal. The web stack is imported only here, inside the command, so every other
command starts as fast as before. Stopping (q, Ctrl-C, SIGTERM) closes the room to new answers,
lets requests in flight finish, and only then returns: a phone that was told "saved" is saved.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards.cli.common import global_lang
from stigmacards.cli.env import ENV
from stigmacards.errors import ExitCode, StigmaError, UsageError
from stigmacards.i18n import SUPPORTED, _, ngettext, normalize, set_language
from stigmacards.platform import ENDING_SIGNALS, signals

if TYPE_CHECKING:
    from stigmacards.reflections.store import ReflectionStore, SessionInfo
    from stigmacards.room.room import Room


@dataclass(frozen=True)
class Addresses:
    start: str
    join: str
    screen: str


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
def room(
    ctx: typer.Context,
    session: Annotated[str, typer.Argument(help="Session id (from `session new` or `play`).")],
    *,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="Address to serve on (default: this laptop's address on the local network; "
            "0.0.0.0 only if you ask for it).",
        ),
    ] = None,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (default: a free one).")] = 0,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the pages (default: the session's).")
    ] = None,
    no_qr: Annotated[bool, typer.Option("--no-qr", help="Do not draw the QR code in the terminal.")] = False,
    deck: Annotated[
        str | None,
        typer.Option("--deck", metavar="PATH", help="The session's deck file, if it is not found by its id."),
    ] = None,
    cert: Annotated[
        Path | None, typer.Option("--cert", metavar="FILE", help="TLS certificate (PEM) to serve HTTPS.")
    ] = None,
    key: Annotated[
        Path | None, typer.Option("--key", metavar="FILE", help="TLS private key (PEM) for --cert.")
    ] = None,
) -> None:
    """Serve a session's reflection questions to participants' phones and a projector page.

    Everything stays on this laptop and the room's network: no internet, no accounts. Share the
    QR code or the short address and room code; open the projector address in a browser (F11).
    Stop with q, Ctrl-C or SIGTERM: every answer a phone was told is saved stays saved.

    Example: stigmacards room 3f9a0c17
    """
    if (cert is None) != (key is None):
        raise UsageError(_("--cert and --key go together"))
    from stigmacards.cli.reflect import open_session
    from stigmacards.platform import no_core_dumps

    no_core_dumps()
    store, info = open_session(session)
    with store:
        chosen = normalize(lang or global_lang(ctx) or info.language) or "en"
        set_language(chosen)
        the_room = build_room(store, info, deck=deck, language=chosen)
        # The signals are ours before the addresses are printed: a script may stop it at once.
        with (
            _stop_on_signals() as stopping,
            opened(the_room, host=host, port=port, qr=not no_qr, cert=cert, key=key),
        ):
            collect(the_room, store, info, stopping=stopping)


def build_room(store: ReflectionStore, info: SessionInfo, *, deck: str | None, language: str) -> Room:
    """The room for an open session: its deck in every interface language, the group cap, the store."""
    import time

    from stigmacards.cli.reflect import session_deck
    from stigmacards.deck.model import localize
    from stigmacards.reflections.flow import questions_from
    from stigmacards.room.room import Room

    source = session_deck(info, deck)
    decks = {code: localize(source.deck, code) for code in (language, *SUPPORTED) if code}
    the_room = Room(language=language, decks=decks, clock=time.monotonic)
    the_room.attach(
        info.id,
        {code: questions_from(local) for code, local in decks.items()},
        lambda answers: store.save_submission(info.id, answers),
        group_size=info.group_size,
        earlier=store.answered_by_at_least(info.id),
        closed_elsewhere=lambda: store.get_session(info.id).sealed,
    )
    return the_room


@contextmanager
def opened(
    the_room: Room,
    *,
    host: str | None,
    port: int,
    qr: bool,
    cert: Path | None = None,
    key: Path | None = None,
) -> Iterator[Addresses]:
    """Serve `the_room` while the block runs; say how to join; on the way out close it and say what was saved.

    Closing first (no more answers), then stopping the server, which finishes requests in
    flight: a phone that was told "saved" is saved.
    """
    from stigmacards.web import app as web_app
    from stigmacards.web import live
    from stigmacards.web.serve import Server, Tls, bind, lan_address

    if (cert is None) != (key is None):
        raise UsageError(_("--cert and --key go together"))
    address = host or lan_address()
    try:
        sock = bind(address, port)
    except OSError as error:
        raise StigmaError(
            _("cannot serve on {host}:{port}: {reason}").format(
                host=address, port=port, reason=error.strerror
            ),
            exit_code=ExitCode.USAGE,
        ) from None
    scheme = "https" if cert else "http"
    shown_host = f"[{address}]" if ":" in address else address
    base = f"{scheme}://{shown_host}:{sock.getsockname()[1]}"
    urls = Addresses(
        start=base + "/", join=f"{base}/j/{the_room.join_token}", screen=f"{base}/s/{the_room.screen_token}"
    )
    hub = live.Hub()
    app = web_app.create_app(
        the_room, web_app.Links(start=urls.start, join=urls.join, secure=bool(cert)), hub
    )
    server = Server(app, sock, tls=Tls(cert, key) if cert and key else None)
    server.start()
    try:
        _announce(the_room, urls, qr=qr)
        yield urls
    finally:
        the_room.close()
        hub.close()
        server.stop()
        _summary(the_room)


def collect(
    the_room: Room, store: ReflectionStore, info: SessionInfo, *, stopping: threading.Event | None = None
) -> None:
    """The reflections: counts and keys for the facilitator (or, without a terminal, a wait for a signal).

    q, Ctrl-C, SIGTERM and SIGHUP end it; `stopping` is set by the caller's signal handlers, or
    by ours for as long as this runs.
    """
    if stopping is None:
        with _stop_on_signals() as ours:
            collect(the_room, store, info, stopping=ours)
        return
    if _terminal():
        _facilitate(the_room, store, info, stopping=stopping)
    else:
        _unattended(the_room, stopping=stopping)


def _announce(the_room: Room, urls: Addresses, *, qr: bool) -> None:
    """How to join: two lines for scripts when there is no terminal, the QR code and addresses when there is."""
    from stigmacards.platform import stdout_is_terminal

    if not stdout_is_terminal():
        print(f"join\t{urls.join}", flush=True)
        print(f"screen\t{urls.screen}", flush=True)
        print(f"start\t{urls.start}\ncode\t{the_room.code}", flush=True)
        return
    remind(the_room, urls, qr=qr)


def remind(the_room: Room, urls: Addresses, *, qr: bool) -> None:
    """How to join, again, on the facilitator's terminal (scripts already have the two lines)."""
    from stigmacards.platform import stdout_is_terminal

    if stdout_is_terminal():
        from stigmacards.ui import roomview

        ENV.console().print(
            roomview.joining(urls.start, the_room.code, urls.screen, qr=urls.join if qr else None)
        )


def _terminal() -> bool:
    from stigmacards.platform import has_terminal

    return has_terminal()


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """SIGTERM (and SIGHUP) set the returned event; Ctrl-C does too, instead of a traceback."""
    stopping = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    ending = (*signals(*ENDING_SIGNALS), signal.SIGINT)
    previous = {sig: signal.signal(sig, handler) for sig in ending}
    try:
        yield stopping
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _unattended(the_room: Room, *, stopping: threading.Event) -> None:
    """No terminal: a count line whenever it changes, until a signal."""
    shown = -1
    while not stopping.wait(0.2):
        if the_room.saved != shown:
            shown = the_room.saved
            print(f"saved\t{shown}", flush=True)


def _facilitate(
    the_room: Room, store: ReflectionStore, info: SessionInfo, *, stopping: threading.Event
) -> None:
    """The facilitator's terminal during the reflections: the count, and the keys (g: one more person, q: stop)."""
    from stigmacards.ui import roomview
    from stigmacards.ui.keys import open_keys

    out = ENV.console()
    shown: tuple[int, int | None, bool] | None = None
    asked_to_stop = False
    with open_keys() as keys:
        while not stopping.is_set():
            now = (the_room.count, the_room.group_size, the_room.admission().value == "full")
            if now != shown:
                shown = now
                out.print(roomview.status(the_room.saved, the_room.count, the_room.group_size, full=now[2]))
            pressed = keys.read(0.25)
            if pressed is None:
                continue
            if pressed in ("q", "Q"):
                waiting = the_room.part_way()
                if waiting and not asked_to_stop:
                    asked_to_stop = True
                    out.print(roomview.part_way(waiting))
                    continue
                return
            asked_to_stop = False
            if pressed in ("g", "G", "+"):
                the_room.one_more(lambda n: _resize(store, info, n))


def _resize(store: ReflectionStore, info: SessionInfo, size: int) -> None:
    store.resize(info.id, size)


def _summary(the_room: Room) -> None:
    if the_room.session_id is None:  # `play --room` stopped before the reflections
        return
    session_id = the_room.session_id
    saved = the_room.saved
    lines = [
        ngettext(
            "Room closed: {n} submission saved now.", "Room closed: {n} submissions saved now.", saved
        ).format(n=saved),
        ngettext(
            "Session {id} holds answers from at least {total} person.",
            "Session {id} holds answers from at least {total} people.",
            the_room.count,
        ).format(id=session_id, total=the_room.count),
        _(
            "When everyone is done: stigmacards session close {id}, then session review {id} and "
            "session report {id}"
        ).format(id=session_id),
    ]
    ENV.error_console().print("\n".join(lines), markup=False, highlight=False)
