"""A facilitated session as a value, its steps, and its files (sessions and group memory).

The session is saved after every step, atomically, so Ctrl-C, a closed lid or a crash loses at
most a few seconds of the clock. The files hold no participant data: deck id and fingerprint,
the options, the seed, which cards were dealt and how much time was left. A group's memory holds
the group's name (chosen by the facilitator) and the ids of the cards it has had.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from stigmacards.errors import SessionError, UsageError
from stigmacards.i18n import _
from stigmacards.play import dealing
from stigmacards.play.dealing import DealState

FORMAT = 1
_SESSION_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$")


class Phase(StrEnum):
    INTRO = "intro"  # set up, nothing dealt yet
    ROUND = "round"  # the cards of the current round are on the tables
    AFTER = "after"  # every round is over: reflection and closing to come
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Options:
    """What the facilitator chose for the session (display flags are not part of it)."""

    language: str
    tables: int = 1
    rounds: int = 3
    minutes: float = 10.0
    max_level: int = 3
    include_sensitive: bool = False
    group: str | None = None

    @property
    def seconds(self) -> float:
        return self.minutes * 60


@dataclass(frozen=True, slots=True)
class Reflection:
    """The reflection session a play session hands over to: resuming continues this one."""

    id: str
    group_size: int


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    deck_id: str
    deck_path: str
    content_hash: str
    options: Options
    deal: DealState
    phase: Phase = Phase.INTRO
    remaining: float | None = None  # seconds left in the current round
    paused: bool = False  # the round's countdown was paused when last saved
    reflection: Reflection | None = None  # the reflection session it handed over to, once opened
    started: str = ""
    updated: str = ""

    @property
    def round(self) -> int:
        """The current round (1-based); 0 before the first."""
        return len(self.deal.rounds)

    @property
    def open(self) -> bool:
        return self.phase is not Phase.DONE

    @property
    def remaining_or_zero(self) -> float:
        return 0.0 if self.remaining is None else self.remaining


# --- Steps (pure) ------------------------------------------------------------------------------


def new_session_id(now: datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def start(
    *,
    session_id: str,
    deck_id: str,
    deck_path: str,
    content_hash: str,
    options: Options,
    pool: tuple[dealing.PoolCard, ...],
    seed: int,
    memory: Iterable[str] = (),
    now: datetime,
) -> Session:
    """A new session, checked: raises UsageError when the deck cannot serve these options."""
    if options.rounds < 1:
        raise UsageError(_("--rounds must be at least 1"))
    if not math.isfinite(options.minutes) or options.minutes <= 0:
        raise UsageError(_("--minutes must be more than 0"))
    state = dealing.new_state(pool, tables=options.tables, seed=seed, memory=memory)
    stamp = now.isoformat(timespec="seconds")
    return Session(
        id=session_id,
        deck_id=deck_id,
        deck_path=deck_path,
        content_hash=content_hash,
        options=options,
        deal=state,
        started=stamp,
        updated=stamp,
    )


def next_round(session: Session) -> Session:
    """Deal the next round and give it the full time; after the last round, move on."""
    if session.round >= session.options.rounds:
        return replace(session, phase=Phase.AFTER, remaining=None)
    return replace(
        session,
        deal=dealing.deal_round(session.deal),
        phase=Phase.ROUND,
        remaining=session.options.seconds,
        paused=False,
    )


def pass_table(session: Session, table: int, *, exclude: Iterable[str] = ()) -> Session:
    """Give `table` another card in the current round (never one of `exclude`)."""
    return replace(session, deal=dealing.pass_card(session.deal, table, exclude=exclude))


def progress(session: Session, remaining: float, *, paused: bool | None = None) -> Session:
    """The time left in the round (and whether it is paused, when given)."""
    return replace(
        session, remaining=max(0.0, remaining), paused=session.paused if paused is None else paused
    )


def with_reflection(session: Session, reflection_id: str, group_size: int) -> Session:
    """`session`, handing over to the reflection session `reflection_id` of `group_size` people."""
    return replace(session, reflection=Reflection(id=reflection_id, group_size=group_size))


def with_language(session: Session, language: str) -> Session:
    """The same session shown in another language (the cards stay the same)."""
    return replace(session, options=replace(session.options, language=language))


def finish(session: Session) -> Session:
    return replace(session, phase=Phase.DONE, remaining=None, paused=False)


# --- Files -------------------------------------------------------------------------------------


def write_private_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON so a crash leaves either the old file or the new one, readable only by us.

    A temp file in the same directory (os.replace is only atomic within one filesystem),
    fsync before the rename, then fsync the directory so the rename itself survives a power cut.
    """
    from stigmacards.paths import ensure_private_dir
    from stigmacards.platform import make_private

    ensure_private_dir(path.parent)
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        make_private(fd)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    with contextlib.suppress(OSError):  # not every platform can open a directory
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def session_file(directory: Path, session_id: str) -> Path:
    return directory / f"{session_id}.json"


def save(session: Session, directory: Path, *, now: datetime) -> Session:
    """Save `session` under `directory`; returns it with `updated` set."""
    session = replace(session, updated=now.isoformat(timespec="seconds"))
    try:
        write_private_json(session_file(directory, session.id), to_dict(session))
    except OSError as exc:
        raise SessionError(
            _("cannot save the session in {dir}: {error}").format(dir=directory, error=exc.strerror or exc)
        ) from None
    return session


def to_dict(session: Session) -> dict[str, Any]:
    o = session.options
    return {
        "format": FORMAT,
        "id": session.id,
        "deck": {"id": session.deck_id, "path": session.deck_path, "content_hash": session.content_hash},
        "options": {
            "language": o.language,
            "tables": o.tables,
            "rounds": o.rounds,
            "minutes": o.minutes,
            "max_level": o.max_level,
            "include_sensitive": o.include_sensitive,
            "group": o.group,
        },
        "deal": session.deal.to_dict(),
        "phase": str(session.phase),
        "remaining": session.remaining,
        "paused": session.paused,
        "reflection": (
            None
            if session.reflection is None
            else {"id": session.reflection.id, "group_size": session.reflection.group_size}
        ),
        "started": session.started,
        "updated": session.updated,
    }


def from_dict(data: Any) -> Session:
    """Rebuild a session; raises ValueError when `data` is not one."""
    try:
        if data["format"] != FORMAT:
            raise ValueError(f"unknown format {data['format']!r}")
        deck, opts = data["deck"], data["options"]
        minutes = opts["minutes"]
        remaining = data["remaining"]
        if not _finite(minutes) or minutes <= 0:
            raise TypeError("minutes")
        if remaining is not None and (not _finite(remaining) or remaining < 0):
            raise TypeError("remaining")
        group = opts["group"]
        reflection = data.get("reflection")  # absent in files written before it was kept
        if reflection is not None:
            reflection = Reflection(id=_text(reflection["id"]), group_size=_whole(reflection["group_size"]))
        options = Options(
            language=_text(opts["language"]),
            tables=_whole(opts["tables"]),
            rounds=_whole(opts["rounds"]),
            minutes=float(minutes),
            max_level=_whole(opts["max_level"]),
            include_sensitive=bool(opts["include_sensitive"]),
            group=None if group is None else _text(group),
        )
        session = Session(
            id=_text(data["id"]),
            deck_id=_text(deck["id"]),
            deck_path=_text(deck["path"]),
            content_hash=_text(deck["content_hash"]),
            options=options,
            deal=DealState.from_dict(data["deal"]),
            phase=Phase(data["phase"]),
            remaining=None if remaining is None else float(remaining),
            paused=data.get("paused", False) is True,
            reflection=reflection,
            started=_text(data["started"]),
            updated=_text(data["updated"]),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"missing or wrong field: {exc}") from None
    if not _SESSION_ID.match(session.id) or session.deal.tables != options.tables:
        raise ValueError("inconsistent session")
    return session


def load(path: Path) -> Session:
    """Read a session file; a damaged or foreign file is a SessionError, never a traceback."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SessionError(_("no session file {path}").format(path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SessionError(
            _("cannot read the session file {path}: {error}").format(path=path, error=exc)
        ) from None
    try:
        return from_dict(json.loads(raw))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise SessionError(
            _(
                "the session file {path} is damaged ({error}); start a new session with `stigmacards play`"
            ).format(path=path, error=exc)
        ) from None


def scan(directory: Path) -> tuple[list[Session], list[Path]]:
    """Every session under `directory`, newest first, and the files that could not be read."""
    sessions: list[Session] = []
    damaged: list[Path] = []
    if not directory.is_dir():
        return sessions, damaged
    for path in sorted(directory.glob("*.json")):
        try:
            sessions.append(load(path))
        except SessionError:
            damaged.append(path)
    sessions.sort(key=lambda s: (s.updated, s.id), reverse=True)
    return sessions, damaged


def open_sessions(directory: Path) -> list[Session]:
    """Sessions that have not finished, newest first."""
    return [s for s in scan(directory)[0] if s.open]


def latest_open(directory: Path) -> Session:
    """The session to resume: the newest unfinished one.

    A damaged file newer than it is reported rather than skipped: it is most likely the
    session the facilitator means.
    """
    sessions, damaged = scan(directory)
    candidates = [s for s in sessions if s.open]
    newest = max(
        (s for s in candidates), key=lambda s: session_file(directory, s.id).stat().st_mtime, default=None
    )
    newest_time = session_file(directory, newest.id).stat().st_mtime if newest else float("-inf")
    for path in sorted(damaged, key=lambda p: p.stat().st_mtime, reverse=True):
        if path.stat().st_mtime >= newest_time:
            load(path)  # raises the SessionError that says what is wrong with it
    if newest is None:
        raise SessionError(_("there is no unfinished session to continue; start one with `stigmacards play`"))
    return newest


def discard(directory: Path, which: str) -> list[str]:
    """Delete the unfinished session `which` (an id, or "all"); return the ids discarded.

    Session files hold no participant data; a finished session is never discarded this way.
    """
    sessions = open_sessions(directory)
    if which != "all":
        sessions = [s for s in sessions if s.id == which]
        if not sessions:
            raise SessionError(_("there is no unfinished session {id}").format(id=which))
    for session in sessions:
        try:
            session_file(directory, session.id).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SessionError(
                _("cannot discard the session file {path}: {error}").format(
                    path=session_file(directory, session.id), error=exc.strerror or exc
                )
            ) from None
    return [s.id for s in sessions]


# --- Group memory ------------------------------------------------------------------------------


def group_slug(name: str) -> str:
    """A file-safe name for a group: 'Team Noord 2' → 'team-noord-2'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    if not slug:
        raise UsageError(_("--group needs a name with at least one letter or digit"))
    return slug[:64]


def group_file(directory: Path, name: str) -> Path:
    return directory / f"{group_slug(name)}.json"


def load_group(directory: Path, name: str, deck_id: str) -> frozenset[str]:
    """The ids of the cards of `deck_id` this group has had (empty for a new group)."""
    path = group_file(directory, name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cards = data["decks"].get(deck_id, [])
        if not isinstance(cards, list) or not all(isinstance(c, str) for c in cards):
            raise TypeError("cards")
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SessionError(
            _("the group memory {path} is damaged ({error}); delete it to start the group afresh").format(
                path=path, error=exc
            )
        ) from None
    return frozenset(cards)


def save_group(directory: Path, name: str, deck_id: str, cards: Iterable[str]) -> None:
    path = group_file(directory, name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        decks = dict(data["decks"])
    except (OSError, ValueError, KeyError, TypeError):
        decks = {}
    decks[deck_id] = sorted(set(cards))
    try:
        write_private_json(path, {"format": FORMAT, "group": name, "decks": decks})
    except OSError as exc:
        raise SessionError(
            _("cannot save the group memory in {dir}: {error}").format(
                dir=directory, error=exc.strerror or exc
            )
        ) from None


def _finite(value: Any) -> bool:
    """A real number (JSON may hold NaN and Infinity, which no timer can count down)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value
