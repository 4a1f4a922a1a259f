"""Opening the reflections database file: for writing (private, durable, up to date) or read-only.

A store this user cannot write (a read-only directory, file or disk, a copy on a stick) is
opened for reading, so `session list` and `report` still work; SQLite is then told not to
create a -wal or -shm it could not create anyway.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

from stigmacards.errors import StoreError
from stigmacards.i18n import _
from stigmacards.reflections.failures import cannot_open, explain
from stigmacards.reflections.tables import SCHEMA_VERSION, upgrade

BUSY_TIMEOUT_MS = 200  # a locked database fails fast: the participant keeps their draft and retries


def connect_read_only(path: Path, *, timeout_ms: int) -> sqlite3.Connection:
    """Open a store this user cannot write (a read-only directory, file or disk) for reading."""
    try:
        info = path.lstat()
    except OSError:
        raise StoreError(cannot_open(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(_("{path} is not a regular file").format(path=path))
    uri = path.resolve().as_uri()
    # A cleanly closed WAL database has no -wal or -shm, and a read-only directory cannot
    # take them: then nobody can be writing, and the file alone is the whole store.
    alone = not path.with_name(path.name + "-wal").exists()
    try:
        conn = sqlite3.connect(
            uri + ("?mode=ro&immutable=1" if alone else "?mode=ro"),
            uri=True,
            timeout=timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise StoreError(explain(error, path=path, fallback=cannot_open(path))) from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise StoreError(
                _("{path} cannot be read: it is read-only and needs upgrading first").format(path=path)
                if version < SCHEMA_VERSION
                else _("{path} was written by a newer stigmacards (schema {version})").format(
                    path=path, version=version
                )
            )
    except sqlite3.Error as error:
        quietly_close(conn)
        raise StoreError(explain(error, path=path, fallback=cannot_open(path))) from None
    except StoreError:
        quietly_close(conn)
        raise
    return conn


def connect(path: Path, *, timeout_ms: int) -> sqlite3.Connection:
    """Open the store for writing: private, durable, WAL mode, tables created or migrated."""
    try:
        conn = sqlite3.connect(path, timeout=timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        raise StoreError(cannot_open(path)) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA secure_delete = ON")  # deleted text is overwritten, not just unlinked
        conn.execute("PRAGMA temp_store = MEMORY")  # no temp files (sorts, VACUUM) in TMPDIR
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError("journal mode")
        conn.execute("PRAGMA synchronous = FULL")
        version = upgrade(conn)
        if version != SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                _("{path} was written by a newer stigmacards (schema {version})").format(
                    path=path, version=version
                )
            )
    except sqlite3.Error as error:
        quietly_close(conn)
        if not os.access(path.parent, os.W_OK | os.X_OK):  # SQLite needs to create -wal, -shm
            raise StoreError(
                _("cannot write to the reflections store: the directory {path} is read-only").format(
                    path=path.parent
                )
            ) from None
        raise StoreError(explain(error, path=path, fallback=cannot_open(path))) from None
    return conn


def quietly_close(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files created inside (by us or by SQLite: -wal, -shm, -journal) are readable by the owner only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def writable(path: Path) -> bool:
    """Whether the database (if it exists) and its directory (for -wal and -shm) can be written."""
    return os.access(path.parent, os.W_OK | os.X_OK) and (not path.exists() or os.access(path, os.W_OK))


def tighten(path: Path) -> None:
    """Make an existing file owner-only; refuse a symlink where a private file belongs."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise StoreError(_("{path} is not a regular file").format(path=path))
    if info.st_mode & 0o077:
        path.chmod(0o600)
