"""Upkeep of the reflections database file: erase the order of saving, keep the WAL empty.

Inside a page of the database file, new rows sit in the order they arrived, and the WAL keeps
the pages of each save side by side. Folding the WAL into the database, rebuilding the file
(VACUUM, in key order) and truncating the WAL leaves neither. A program reading the store
keeps its snapshot and blocks the folding; then the work is recorded as a chore in the file
itself, and the next command that opens the store finishes it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

# Closing and purging wait this long for another program's read to end before they give up.
TIDY_WAIT_MS = 3000
ERASE_TRACES = "erase-traces"  # the one chore: fold the WAL and rebuild the file in key order


@contextlib.contextmanager
def waiting(conn: sqlite3.Connection, wait_ms: int, *, normal_ms: int) -> Iterator[None]:
    """Let SQLite wait up to `wait_ms` for other connections inside (its own busy handler)."""
    conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {int(normal_ms)}")


def truncate_wal(conn: sqlite3.Connection) -> bool:
    """Fold the WAL into the database and cut it to zero bytes; False if a reader blocked it."""
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


def chore_pending(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("SELECT 1 FROM chores WHERE name = ?", (ERASE_TRACES,)).fetchone() is not None
    except sqlite3.Error:
        return False


def erase_traces(conn: sqlite3.Connection, *, wait_ms: int, normal_ms: int) -> bool:
    """Rebuild the file in key order with an empty WAL and clear the chore; False if a reader blocked it."""
    try:
        with waiting(conn, wait_ms, normal_ms=normal_ms):
            if not truncate_wal(conn):
                return False
            conn.execute("VACUUM")
            if not truncate_wal(conn):
                return False
            conn.execute("DELETE FROM chores WHERE name = ?", (ERASE_TRACES,))
            return truncate_wal(conn)
    except sqlite3.Error:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        return False
