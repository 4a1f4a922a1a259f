"""The reflections database at an explicit path (stdlib sqlite3).

What it keeps is deliberately little. A session: a random id, the deck id and hash, the
language, the day (no time), the declared group size, whether it is sealed, where the
review of personal-data flags stands, and whether its answers were imported from exports. A reflection: a random id, its session, the prompt id,
an optional card id, the answer, and whether it still has personal-data flags to review. No
timestamps, no user, host or terminal names, and no link between the answers one person gave:
tables are WITHOUT ROWID with random keys, so the file's order reveals nothing about who
answered first. Reflections are clustered by session (then random id), so a report reads one
contiguous range.

A session holds either answers typed on this laptop or answers imported from exports, never
both: whoever has the exports could subtract them from a report of the mix and read the
laptop's own answers in groups smaller than k. An export's rows keep their ids, so the same
answer may sit in its own session and in a merged one; importing into one session twice adds
nothing.

Files are private under any umask: the directory 0700, the database and its -wal, -shm and
-journal files 0600. A save returns only after COMMIT with synchronous=FULL, so an answer the
participant saw as saved survives a crash; a failed save leaves earlier rows intact and writes
nothing anywhere else.

The declared group size caps the answers to each question (checked in the saving transaction,
for every front end), and upkeep.py erases the order of saving from the files at close.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import TracebackType

from stigmacards.errors import SessionError, StoreError
from stigmacards.i18n import _
from stigmacards.platform import CLOEXEC, NOFOLLOW, owned_by_someone_else, sync_directory
from stigmacards.reflections.dbfile import (
    BUSY_TIMEOUT_MS,
    connect,
    connect_read_only,
    private_umask,
    quietly_close,
    tighten,
    writable,
)
from stigmacards.reflections.failures import (
    cannot_open,
    cannot_write,
    explain,
    full_message,
    not_saved_message,
    over_group_message,
    typed_into_merged_message,
)
from stigmacards.reflections.merging import Merging
from stigmacards.reflections.purging import Purging
from stigmacards.reflections.records import (
    REFLECTION_ID_BYTES,
    Answer,
    Review,
    SessionInfo,
    StoredReflection,
    is_blank,
    row_for,
    session_from_row,
)
from stigmacards.reflections.tables import SCHEMA_VERSION
from stigmacards.reflections.upkeep import (
    ERASE_TRACES,
    TIDY_WAIT_MS,
    chore_pending,
    erase_traces,
    truncate_wal,
)

__all__ = [  # names other modules import from here, though they are defined elsewhere
    "REFLECTION_ID_BYTES",
    "SCHEMA_VERSION",
    "TIDY_WAIT_MS",
    "Answer",
    "Review",
    "SessionInfo",
    "StoredReflection",
    "not_saved_message",
    "typed_into_merged_message",
]

DB_NAME = "reflections.db"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
SESSION_ID_BYTES = 8
MAX_TEXT = 20_000  # characters per free-text answer

_SELECT_SESSIONS = (
    "SELECT s.id, s.deck_id, s.deck_hash, s.language, s.day, s.group_size, s.sealed, s.pii_review, "
    "(SELECT count(*) FROM reflections r WHERE r.session_id = s.id), s.imported FROM sessions s"
)


class ReflectionStore(Merging, Purging):
    """The reflections database at `path`; opened (and created, privately) on construction."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """Open the store; with `read_only`, a store this user cannot write is opened for reading.

        A store that can be written is always opened for writing (it may need creating or
        migrating, and work left by an earlier close or purge is finished first).
        """
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self.read_only = read_only and self.path.is_file() and not writable(self.path)
        with private_umask():
            if self.read_only:
                self._conn = self._connect_read_only()
            else:
                self._prepare_files()
                self._conn = self._connect()
                self._finish_chores()

    @classmethod
    def in_home(cls, home: Path, *, read_only: bool = False) -> ReflectionStore:
        return cls(Path(home) / DB_NAME, read_only=read_only)

    def __enter__(self) -> ReflectionStore:
        return self

    # The context-manager protocol: alike in shape to every other one (ui/posix_keys) by nature.
    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- opening ------------------------------------------------------------------------

    def _prepare_files(self) -> None:
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            info = directory.stat()
            if info.st_mode & 0o077:
                if owned_by_someone_else(info):
                    raise StoreError(
                        _(
                            "{path} is shared with other users: keep reflections in a private directory"
                        ).format(path=directory)
                    )
                directory.chmod(0o700)
            if not self.path.exists() and not self.path.is_symlink():
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC, 0o600)
                os.close(fd)
                sync_directory(directory)
            for candidate in (self.path, *(self._side(s) for s in SIDE_SUFFIXES)):
                tighten(candidate)
        except StoreError:
            raise
        except OSError:
            raise StoreError(self._cannot_open()) from None

    def _side(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def side_files(self) -> list[Path]:
        """The database file and whichever of its side files exist now."""
        return [p for p in (self.path, *(self._side(s) for s in SIDE_SUFFIXES)) if p.exists()]

    def _cannot_write(self) -> str:
        return cannot_write(self.path)

    def _cannot_open(self) -> str:
        return cannot_open(self.path)

    def _connect_read_only(self) -> sqlite3.Connection:
        return connect_read_only(self.path, timeout_ms=BUSY_TIMEOUT_MS)

    def _connect(self) -> sqlite3.Connection:
        conn = connect(self.path, timeout_ms=BUSY_TIMEOUT_MS)
        for side in SIDE_SUFFIXES:
            tighten(self._side(side))
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(_("the reflections store is closed"))
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            with private_umask():
                quietly_close(self._conn)
            self._conn = None

    def ensure_writable(self) -> None:
        """Raise StoreError now if nothing could be saved (read-only directory or file, full disk, lock)."""
        if self.read_only or not writable(self.path):
            raise StoreError(
                _("cannot write to the reflections store {path}: it is read-only").format(path=self.path)
            )
        with private_umask(), self._writing(self._cannot_write()):
            self.conn.execute("BEGIN IMMEDIATE")
            # Rewriting the header page makes SQLite write a WAL frame: a real write, then undone.
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def _writing(self, message: str, *, explains: bool = True) -> Iterator[None]:
        """Turn any SQLite or OS failure inside into StoreError after rolling back.

        The error says what happened (busy, full disk, read-only) where that is known, else
        `message`; with `explains=False` always `message` (a participant's "not saved").
        """
        try:
            yield
        except (sqlite3.Error, OSError) as error:
            self._rollback()
            raise StoreError(
                explain(error, path=self.path, fallback=message) if explains else message
            ) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    # --- sessions -----------------------------------------------------------------------

    def create_session(
        self, *, deck_id: str, deck_hash: str, language: str, group_size: int | None, day: date
    ) -> SessionInfo:
        if group_size is not None and group_size < 1:
            raise ValueError("group_size must be positive")
        session_id = secrets.token_hex(SESSION_ID_BYTES)
        with private_umask(), self._writing(self._cannot_write()):
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(
                "INSERT INTO sessions (id, deck_id, deck_hash, language, day, group_size) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, deck_id, deck_hash, language, day.isoformat(), group_size),
            )
            self.conn.execute("COMMIT")
        return SessionInfo(
            id=session_id,
            deck_id=deck_id,
            deck_hash=deck_hash,
            language=language,
            day=day.isoformat(),
            group_size=group_size,
            sealed=False,
            answers=0,
        )

    def get_session(self, session_id: str) -> SessionInfo:
        """The session with this id, or with this unique id prefix."""
        prefix = session_id.strip().lower()
        if not prefix or not all(c in "0123456789abcdef" for c in prefix):
            raise SessionError(_("no session '{id}'").format(id=session_id))
        with private_umask(), self._writing(self._cannot_open()):
            rows = self.conn.execute(
                _SELECT_SESSIONS + " WHERE substr(s.id, 1, ?) = ? LIMIT 2",
                (len(prefix), prefix),
            ).fetchall()
        if not rows:
            raise SessionError(_("no session '{id}'").format(id=session_id))
        if len(rows) > 1:
            raise SessionError(
                _("'{id}' matches more than one session: give more of the id").format(id=session_id)
            )
        return session_from_row(rows[0])

    def list_sessions(self) -> list[SessionInfo]:
        """Every session, newest day first."""
        with private_umask(), self._writing(self._cannot_open()):
            rows = self.conn.execute(_SELECT_SESSIONS + " ORDER BY s.day DESC, s.id").fetchall()
        return [session_from_row(row) for row in rows]

    def resize(self, session_id: str, group_size: int) -> SessionInfo:
        """Declare a new group size for an open session (more people came than planned)."""
        if group_size < 1:
            raise ValueError("group_size must be positive")
        info = self.get_session(session_id)
        with private_umask(), self._writing(self._cannot_write()):
            self.conn.execute("BEGIN IMMEDIATE")
            self._require_open(info.id)
            most = self._most_answers(info.id)
            if group_size < most:
                self._rollback()
                raise SessionError(
                    _(
                        "session {id} already has {n} answers to one question: the group size cannot be "
                        "below that"
                    ).format(id=info.id, n=most)
                )
            self.conn.execute("UPDATE sessions SET group_size = ? WHERE id = ?", (group_size, info.id))
            self.conn.execute("COMMIT")
        return self.get_session(info.id)

    def seal(self, session_id: str) -> SessionInfo:
        """Close the session for good: no reflection is added to it after this.

        Then the order of saving is erased from the files (see `erase_traces`); when another
        program holds the store, that is left as a chore for the next command and `tidy`
        on the returned session is False.
        """
        info = self.get_session(session_id)
        with private_umask(), self._writing(self._cannot_write()):
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("UPDATE sessions SET sealed = 1 WHERE id = ?", (info.id,))
            self.conn.execute("INSERT OR IGNORE INTO chores (name) VALUES (?)", (ERASE_TRACES,))
            self.conn.execute("COMMIT")
        tidy = self.erase_traces(wait_ms=TIDY_WAIT_MS)
        return replace(self.get_session(info.id), tidy=tidy)

    def erase_traces(self, *, wait_ms: int = BUSY_TIMEOUT_MS) -> bool:
        """Erase the order of saving from the files (upkeep.erase_traces); False if a reader blocked it."""
        with private_umask():
            return erase_traces(self.conn, wait_ms=wait_ms, normal_ms=BUSY_TIMEOUT_MS)

    def _finish_chores(self) -> None:
        """Finish what an earlier close or purge could not (quietly: the data is safe either way)."""
        if chore_pending(self.conn):
            self.erase_traces()

    # --- reflections --------------------------------------------------------------------

    def save_submission(self, session_id: str, answers: Sequence[Answer]) -> None:
        """Save one participant's answers in one transaction; return only once they are on disk.

        Raises SessionError when the session is unknown or sealed, StoreError (with the
        "not saved" message) when the disk is full, the file read-only or the database locked.
        """
        rows = [row_for(session_id, answer) for answer in answers if not is_blank(answer.value)]
        if not rows:
            return
        try:
            with private_umask(), self._writing(not_saved_message(), explains=False):
                self.conn.execute("BEGIN IMMEDIATE")
                if self._require_open(session_id):
                    self._rollback()
                    raise SessionError(typed_into_merged_message(session_id))
                self.conn.executemany(
                    "INSERT INTO reflections (id, session_id, prompt_id, card_id, value, flagged) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
                self._require_within_group(session_id)
                if any(row[5] for row in rows):
                    self.conn.execute(
                        "UPDATE sessions SET pii_review = 'pending' WHERE id = ?", (session_id,)
                    )
                self.conn.execute("COMMIT")
        finally:
            # Keep the WAL empty between submissions: the pages of a save that failed half-way
            # (a full disk) are cut off here, and those of a saved one are folded in, so the
            # WAL never shows which answers were saved together. Best effort: a reader may hold it.
            with private_umask(), contextlib.suppress(sqlite3.Error, OSError, StoreError):
                truncate_wal(self.conn)

    def require_room(self, session_id: str) -> None:
        """Raise SessionError when a question already has as many answers as people were declared.

        Front ends ask this before a participant starts, so nobody answers in vain; the
        saving transaction checks the cap again (see `_require_within_group`).
        """
        info = self.get_session(session_id)
        if info.group_size is None:
            return
        with private_umask(), self._writing(self._cannot_open()):
            most = self._most_answers(info.id)
        if most >= info.group_size:
            raise SessionError(full_message(info.id, info.group_size))

    def answered_by_at_least(self, session_id: str) -> int:
        """How many people at least have answered in the session: the most answers to one question.

        Rows are not linked to a submission, so this is a lower bound, never a head count.
        """
        with private_umask(), self._writing(self._cannot_open()):
            return self._most_answers(self.get_session(session_id).id)

    def _most_answers(self, session_id: str) -> int:
        """The largest number of answers to one question in the session (0 without answers)."""
        found = self.conn.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM reflections WHERE session_id = ? GROUP BY prompt_id)",
            (session_id,),
        ).fetchone()
        return int(found[0] or 0)

    def _require_within_group(self, session_id: str) -> None:
        """Inside a write transaction: roll back unless every question has at most group-size answers.

        The declared group size is a promise about k: one person must not pad a group by
        answering again. One place, checked in the transaction that adds the rows.
        """
        size = self.conn.execute("SELECT group_size FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if size is None or size[0] is None:
            return
        if self._most_answers(session_id) > size[0]:
            self._rollback()
            raise SessionError(over_group_message(session_id, size[0]))

    def _require_open(self, session_id: str) -> bool:
        """Raise SessionError unless the session exists and is open; return whether it is imported."""
        found = self.conn.execute(
            "SELECT sealed, imported FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if found is None:
            self._rollback()
            raise SessionError(_("no session '{id}'").format(id=session_id))
        if found[0]:
            self._rollback()
            raise SessionError(
                _("session {id} is closed: it takes no more reflections").format(id=session_id)
            )
        return bool(found[1])

    def reflections(self, session_id: str) -> list[StoredReflection]:
        """Every reflection of the session, in the order of their random ids (not of saving)."""
        with private_umask(), self._writing(self._cannot_open()):
            rows = self.conn.execute(
                "SELECT id, prompt_id, card_id, value, flagged FROM reflections WHERE session_id = ?",
                (session_id,),
            ).fetchall()
        return list(map(StoredReflection._make, rows))

    def resolve_flags(self, session_id: str, *, redacted: Mapping[str, str], kept: Iterable[str]) -> bool:
        """Record the facilitator's review: replace redacted texts, clear the flags of kept ones.

        Returns False when a redacted original may still sit in the WAL because another
        process holds the database open (run the review again later to fold it in).
        """
        kept = list(kept)
        with private_umask(), self._writing(self._cannot_write()):
            self.conn.execute("BEGIN IMMEDIATE")
            for reflection_id, text in redacted.items():
                self.conn.execute(
                    "UPDATE reflections SET value = ?, flagged = 0 WHERE id = ? AND session_id = ?",
                    (text, reflection_id, session_id),
                )
            for reflection_id in kept:
                self.conn.execute(
                    "UPDATE reflections SET flagged = 0 WHERE id = ? AND session_id = ?",
                    (reflection_id, session_id),
                )
            pending = self.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM reflections WHERE session_id = ? AND flagged = 1)",
                (session_id,),
            ).fetchone()[0]
            if pending:
                state = Review.PENDING
            else:
                current = self.conn.execute(
                    "SELECT pii_review FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()
                decided = bool(redacted) or bool(kept) or (current is not None and current[0] != "none")
                state = Review.DONE if decided else Review.NONE
            self.conn.execute("UPDATE sessions SET pii_review = ? WHERE id = ?", (str(state), session_id))
            self.conn.execute("COMMIT")
        return self.checkpoint() if redacted else True

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to zero bytes; False if another process blocked it."""
        with private_umask(), self._writing(self._cannot_write()):
            busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy
