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
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from stigmacards.errors import SessionError, StoreError
from stigmacards.i18n import _
from stigmacards.reflections.pii import find_pii

DB_NAME = "reflections.db"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 200  # a locked database fails fast: the participant keeps their draft and retries
# Closing and purging wait this long for another program's read to end before they give up:
# both must fold the WAL into the database file, which a reader holding a snapshot prevents.
TIDY_WAIT_MS = 3000
ERASE_TRACES = "erase-traces"  # the one chore: fold the WAL and rebuild the file in key order
# SQLite's primary result codes (sqlite3 exposes them from Python 3.11 on; named here for 3.11).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_CORRUPT = 5, 6, 8, 11
_SQLITE_FULL, _SQLITE_NOTADB = 13, 26
SESSION_ID_BYTES = 8
REFLECTION_ID_BYTES = 16
MAX_TEXT = 20_000  # characters per free-text answer

_SCHEMA = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    deck_id TEXT NOT NULL,
    deck_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    group_size INTEGER CHECK (group_size IS NULL OR group_size > 0),
    sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1)),
    pii_review TEXT NOT NULL DEFAULT 'none' CHECK (pii_review IN ('none', 'pending', 'done')),
    imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1))
) WITHOUT ROWID;
CREATE TABLE reflections (
    id TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    prompt_id TEXT NOT NULL,
    card_id TEXT,
    value,
    flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
CREATE TABLE chores (
    name TEXT PRIMARY KEY NOT NULL CHECK (name IN ('erase-traces'))
) WITHOUT ROWID;
"""

# Version 2 had no chores: work a close or purge could not finish, left for the next command.
_MIGRATE_FROM_2 = """
CREATE TABLE chores (
    name TEXT PRIMARY KEY NOT NULL CHECK (name IN ('erase-traces'))
) WITHOUT ROWID;
"""

# Version 1 had no `imported` column and made reflection ids unique across sessions.
_MIGRATE_FROM_1 = """
ALTER TABLE sessions ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
CREATE TABLE reflections_2 (
    id TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    prompt_id TEXT NOT NULL,
    card_id TEXT,
    value,
    flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
INSERT INTO reflections_2 SELECT id, session_id, prompt_id, card_id, value, flagged FROM reflections;
DROP TABLE reflections;
ALTER TABLE reflections_2 RENAME TO reflections;
"""

_SELECT_SESSIONS = (
    "SELECT s.id, s.deck_id, s.deck_hash, s.language, s.day, s.group_size, s.sealed, s.pii_review, "
    "(SELECT count(*) FROM reflections r WHERE r.session_id = s.id), s.imported FROM sessions s"
)


class Review(StrEnum):
    """Where the facilitator's review of personal-data flags stands for a session."""

    NONE = "none"  # nothing was ever flagged
    PENDING = "pending"  # flagged free text waits for a decision
    DONE = "done"  # every flag was redacted or kept


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str
    deck_id: str
    deck_hash: str
    language: str
    day: str  # ISO date, the day only
    group_size: int | None
    sealed: bool
    answers: int
    review: Review = Review.NONE
    imported: bool = False  # holds answers merged from exports: takes no typed reflections
    tidy: bool = True  # False right after a close that could not yet erase the order of saving


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer of one participant.

    `value` is an int for a scale value or a choice (the option's 0-based index, so answers
    do not depend on the language), a str only for free text. A blank str counts as skipped.
    """

    prompt_id: str
    value: str | int
    card_id: str | None = None


class StoredReflection(NamedTuple):
    """A reflection as stored; `value` is None only for an answer withheld in an imported export.

    A named tuple rather than a frozen dataclass: reports read 100,000 of these at a time.
    """

    id: str
    prompt_id: str
    card_id: str | None
    value: str | int | None
    flagged: bool = False  # SQLite's 0 and 1 stand for False and True


def not_saved_message() -> str:
    return _("not saved — your answer is still here, try again or skip")


def typed_into_merged_message(session_id: str) -> str:
    return _(
        "session {id} holds answers merged from other laptops: it takes no answers typed here "
        "(anyone with those files could tell them apart). Start a new session"
    ).format(id=session_id)


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files created inside (by us or by SQLite: -wal, -shm, -journal) are readable by the owner only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


class ReflectionStore:
    """The reflections database at `path`; opened (and created, privately) on construction."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """Open the store; with `read_only`, a store this user cannot write is opened for reading.

        A store that can be written is always opened for writing (it may need creating or
        migrating, and work left by an earlier close or purge is finished first).
        """
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self.read_only = read_only and self.path.is_file() and not _writable(self.path)
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
                if info.st_uid != os.getuid():
                    raise StoreError(
                        _(
                            "{path} is shared with other users: keep reflections in a private directory"
                        ).format(path=directory)
                    )
                directory.chmod(0o700)
            if not self.path.exists() and not self.path.is_symlink():
                fd = os.open(
                    self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
                )
                os.close(fd)
                _fsync_dir(directory)
            for candidate in (self.path, *(self._side(s) for s in SIDE_SUFFIXES)):
                _tighten(candidate)
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
        return _("cannot write to the reflections store {path}").format(path=self.path)

    def _cannot_open(self) -> str:
        return _("cannot open the reflections store {path}").format(path=self.path)

    def _explain(self, error: BaseException, fallback: str) -> str:
        """Say what really went wrong: busy, full, read-only or damaged, else `fallback`."""
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        number = getattr(error, "errno", None)
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return _(
                "the reflections store {path} is busy: another program is using it. Try again in a moment"
            ).format(path=self.path)
        if code == _SQLITE_FULL or number in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return _("the disk is full: the reflections store {path} cannot grow").format(path=self.path)
        if code == _SQLITE_READONLY or number in (errno.EROFS, errno.EACCES, errno.EPERM):
            return _("the reflections store {path} is read-only: this command needs to write to it").format(
                path=self.path
            )
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return _("{path} is damaged or not a reflections store").format(path=self.path)
        return fallback

    def _connect_read_only(self) -> sqlite3.Connection:
        """Open a store this user cannot write (a read-only directory, file or disk) for reading."""
        try:
            info = self.path.lstat()
        except OSError:
            raise StoreError(self._cannot_open()) from None
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(_("{path} is not a regular file").format(path=self.path))
        uri = self.path.resolve().as_uri()
        # A cleanly closed WAL database has no -wal or -shm, and a read-only directory cannot
        # take them: then nobody can be writing, and the file alone is the whole store.
        alone = not self._side("-wal").exists()
        try:
            conn = sqlite3.connect(
                uri + ("?mode=ro&immutable=1" if alone else "?mode=ro"),
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise StoreError(self._explain(error, self._cannot_open())) from None
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                raise StoreError(
                    _("{path} cannot be read: it is read-only and needs upgrading first").format(
                        path=self.path
                    )
                    if version < SCHEMA_VERSION
                    else _("{path} was written by a newer stigmacards (schema {version})").format(
                        path=self.path, version=version
                    )
                )
        except sqlite3.Error as error:
            _quietly_close(conn)
            raise StoreError(self._explain(error, self._cannot_open())) from None
        except StoreError:
            _quietly_close(conn)
            raise
        return conn

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error:
            raise StoreError(self._cannot_open()) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA secure_delete = ON")  # deleted text is overwritten, not just unlinked
            conn.execute("PRAGMA temp_store = MEMORY")  # no temp files (sorts, VACUUM) in TMPDIR
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError("journal mode")
            conn.execute("PRAGMA synchronous = FULL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version in (0, 1, 2):
                conn.execute("BEGIN IMMEDIATE")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version in (0, 1, 2):
                    script = (_SCHEMA, _MIGRATE_FROM_1 + _MIGRATE_FROM_2, _MIGRATE_FROM_2)[version]
                    for statement in script.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            elif version != SCHEMA_VERSION:
                conn.close()
                raise StoreError(
                    _("{path} was written by a newer stigmacards (schema {version})").format(
                        path=self.path, version=version
                    )
                )
        except sqlite3.Error as error:
            _quietly_close(conn)
            if not os.access(self.path.parent, os.W_OK | os.X_OK):  # SQLite needs to create -wal, -shm
                raise StoreError(
                    _("cannot write to the reflections store: the directory {path} is read-only").format(
                        path=self.path.parent
                    )
                ) from None
            raise StoreError(self._explain(error, self._cannot_open())) from None
        for side in SIDE_SUFFIXES:
            _tighten(self._side(side))
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(_("the reflections store is closed"))
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            with private_umask():
                _quietly_close(self._conn)
            self._conn = None

    def ensure_writable(self) -> None:
        """Raise StoreError now if nothing could be saved (read-only directory or file, full disk, lock)."""
        if self.read_only or not _writable(self.path):
            raise StoreError(
                _("cannot write to the reflections store {path}: it is read-only").format(path=self.path)
            )
        with private_umask(), self._writing(self._cannot_write()):
            self.conn.execute("BEGIN IMMEDIATE")
            # Rewriting the header page makes SQLite write a WAL frame: a real write, then undone.
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def _writing(self, message: str, *, explain: bool = True) -> Iterator[None]:
        """Turn any SQLite or OS failure inside into StoreError after rolling back.

        The error says what happened (busy, full disk, read-only) where that is known, else
        `message`; with `explain=False` always `message` (a participant's "not saved").
        """
        try:
            yield
        except (sqlite3.Error, OSError) as error:
            self._rollback()
            raise StoreError(self._explain(error, message) if explain else message) from None
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
        return _session(rows[0])

    def list_sessions(self) -> list[SessionInfo]:
        """Every session, newest day first."""
        with private_umask(), self._writing(self._cannot_open()):
            rows = self.conn.execute(_SELECT_SESSIONS + " ORDER BY s.day DESC, s.id").fetchall()
        return [_session(row) for row in rows]

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
        """Remove what the files could tell about the order of saving; False if another process blocked it.

        The WAL keeps the pages each submission changed side by side, and inside a page new
        rows are placed in the order they arrive. Folding the WAL into the database, rebuilding
        the file (VACUUM, in key order) and truncating the WAL again leaves neither. A program
        reading the store keeps its snapshot and blocks the folding: this waits `wait_ms` for
        it; if it is still there, the chore stays recorded for the next command.
        """
        try:
            with private_umask(), self._waiting(wait_ms):
                if not self._truncate_wal():
                    return False
                self.conn.execute("VACUUM")
                if not self._truncate_wal():
                    return False
                self.conn.execute("DELETE FROM chores WHERE name = ?", (ERASE_TRACES,))
                return self._truncate_wal()
        except sqlite3.Error:
            self._rollback()
            return False

    def _finish_chores(self) -> None:
        """Finish what an earlier close or purge could not (quietly: the data is safe either way)."""
        try:
            pending = self.conn.execute("SELECT 1 FROM chores WHERE name = ?", (ERASE_TRACES,)).fetchone()
        except sqlite3.Error:
            return
        if pending:
            self.erase_traces()

    @contextlib.contextmanager
    def _waiting(self, wait_ms: int) -> Iterator[None]:
        """Let SQLite wait up to `wait_ms` for other connections inside (its own busy handler)."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _truncate_wal(self) -> bool:
        busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy

    # --- reflections --------------------------------------------------------------------

    def save_submission(self, session_id: str, answers: Sequence[Answer]) -> None:
        """Save one participant's answers in one transaction; return only once they are on disk.

        Raises SessionError when the session is unknown or sealed, StoreError (with the
        "not saved" message) when the disk is full, the file read-only or the database locked.
        """
        rows = [_row_for(session_id, answer) for answer in answers if not _blank(answer.value)]
        if not rows:
            return
        try:
            with private_umask(), self._writing(not_saved_message(), explain=False):
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
                self._truncate_wal()

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

    def import_reflections(
        self, session_id: str, rows: Sequence[StoredReflection], *, group_size_increment: int | None = None
    ) -> int:
        """Add reflections exported elsewhere; those whose id is in this session already are skipped.

        Returns how many were added. Free text is checked for personal data again. When
        anything was added, a known group size grows by `group_size_increment`. A session
        with answers typed on this laptop takes no imports (see the module docstring); one
        without any becomes an imported session.
        """
        with private_umask(), self._writing(self._cannot_write()):
            self.conn.execute("BEGIN IMMEDIATE")
            if not self._require_open(session_id):
                if self.conn.execute(
                    "SELECT 1 FROM reflections WHERE session_id = ? LIMIT 1", (session_id,)
                ).fetchone():
                    self._rollback()
                    raise SessionError(
                        _(
                            "session {id} has answers typed on this laptop: anyone with the other files "
                            "could work them out from a merged report. Close and export it too, then "
                            "merge all the files into a new session"
                        ).format(id=session_id)
                    )
                self.conn.execute("UPDATE sessions SET imported = 1 WHERE id = ?", (session_id,))
            before = self.conn.total_changes
            flagged = False
            for row in rows:
                flag = isinstance(row.value, str) and bool(find_pii(row.value))
                flagged = flagged or flag
                self.conn.execute(
                    "INSERT OR IGNORE INTO reflections (id, session_id, prompt_id, card_id, value, flagged) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (row.id, session_id, row.prompt_id, row.card_id, row.value, int(flag)),
                )
            added = self.conn.total_changes - before
            if added and group_size_increment:
                self.conn.execute(
                    "UPDATE sessions SET group_size = group_size + ? WHERE id = ? AND group_size IS NOT NULL",
                    (group_size_increment, session_id),
                )
            self._require_within_group(session_id)
            if flagged and added:
                self.conn.execute(
                    "UPDATE sessions SET pii_review = 'pending' WHERE id = ? AND EXISTS "
                    "(SELECT 1 FROM reflections WHERE session_id = ? AND flagged = 1)",
                    (session_id, session_id),
                )
            self.conn.execute("COMMIT")
        return added

    def merged_already(self, ids: Iterable[str]) -> str | None:
        """The id of an imported session that holds every one of these reflection ids, if any."""
        wanted = set(ids)
        held: dict[str, int] = {}
        with private_umask(), self._writing(self._cannot_open()):
            rows = self.conn.execute(
                "SELECT s.id, r.id FROM sessions s JOIN reflections r ON r.session_id = s.id "
                "WHERE s.imported = 1"
            ).fetchall()
        for session_id, reflection_id in rows:
            if reflection_id in wanted:
                held[session_id] = held.get(session_id, 0) + 1
        return next((sid for sid, n in held.items() if n == len(wanted)), None)

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

    # --- deleting -----------------------------------------------------------------------

    def purge(self, session_ids: Sequence[str]) -> int:
        """Delete these sessions and their reflections so that no text stays readable in the files.

        secure_delete overwrites the deleted cells, the TRUNCATE checkpoint empties the WAL,
        VACUUM rebuilds the file (its temporary copy lives in memory). Returns the number of
        reflections deleted.
        """
        ids = list(dict.fromkeys(session_ids))
        if not ids:
            return 0
        message = self._cannot_write()
        with private_umask(), self._writing(message), self._waiting(TIDY_WAIT_MS):
            # A reader's snapshot would keep the old pages in the database file after the
            # delete: make sure nobody holds one before anything is deleted. Rewriting the
            # header page puts a frame in the WAL, which a reader's snapshot keeps from folding.
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
            if not self._truncate_wal():
                raise StoreError(in_use_message(self.path))
            self.conn.execute("BEGIN IMMEDIATE")
            deleted = 0
            for session_id in ids:
                deleted += self.conn.execute(
                    "DELETE FROM reflections WHERE session_id = ?", (session_id,)
                ).rowcount
                self.conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            # Should a reader slip in now after all, the next command finishes the wiping.
            self.conn.execute("INSERT OR IGNORE INTO chores (name) VALUES (?)", (ERASE_TRACES,))
            self.conn.execute("COMMIT")
        if not self.erase_traces(wait_ms=TIDY_WAIT_MS):
            raise StoreError(
                _(
                    "deleted, but another program started reading {path} meanwhile: the text stays in the "
                    "file until it is closed. The next stigmacards command then wipes it"
                ).format(path=self.path)
            )
        return deleted

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to zero bytes; False if another process blocked it."""
        with private_umask(), self._writing(self._cannot_write()):
            busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy


def in_use_message(path: Path) -> str:
    return _("another program is reading {path}: nothing was deleted. Close it and try again").format(
        path=path
    )


def over_group_message(session_id: str, size: int) -> str:
    return _(
        "not saved: session {id} was declared for {n} people and one question already has {n} answers. "
        "If more people take part, raise the group size: stigmacards session resize {id} --group-size NUMBER"
    ).format(id=session_id, n=size)


def _writable(path: Path) -> bool:
    """Whether the database (if it exists) and its directory (for -wal and -shm) can be written."""
    return os.access(path.parent, os.W_OK | os.X_OK) and (not path.exists() or os.access(path, os.W_OK))


def _session(row: Sequence[object]) -> SessionInfo:
    group_size = row[5]
    return SessionInfo(
        id=str(row[0]),
        deck_id=str(row[1]),
        deck_hash=str(row[2]),
        language=str(row[3]),
        day=str(row[4]),
        group_size=group_size if isinstance(group_size, int) else None,
        sealed=bool(row[6]),
        answers=int(row[8]),  # type: ignore[call-overload]
        review=Review(str(row[7])),
        imported=bool(row[9]),
    )


def _blank(value: str | int) -> bool:
    return isinstance(value, str) and not value.strip()


def _row_for(session_id: str, answer: Answer) -> tuple[str, str, str, str | None, str | int, int]:
    value = answer.value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError("an answer is an int (scale, choice index) or a str (free text)")
    if not answer.prompt_id:
        raise ValueError("an answer needs a prompt id")
    if isinstance(value, str):
        value = value.replace("\x00", "")  # invisible, and a merge would refuse the export holding it
    flagged = isinstance(value, str) and bool(find_pii(value))
    return (
        secrets.token_hex(REFLECTION_ID_BYTES),
        session_id,
        answer.prompt_id,
        answer.card_id,
        value,
        int(flagged),
    )


def _tighten(path: Path) -> None:
    """Make an existing file owner-only; refuse a symlink where a private file belongs."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise StoreError(_("{path} is not a regular file").format(path=path))
    if info.st_mode & 0o077:
        path.chmod(0o600)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _quietly_close(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()
