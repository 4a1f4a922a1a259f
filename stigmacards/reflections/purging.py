"""Purging sessions: deleted so that no text of theirs stays readable in any of the store's files.

A mixin of `ReflectionStore` (store.py): all or nothing from the user's view, even with another
program reading the file, and the bytes gone from the database, its -wal and its -shm before
it reports success.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from stigmacards.errors import StoreError
from stigmacards.i18n import _
from stigmacards.reflections.dbfile import BUSY_TIMEOUT_MS, private_umask
from stigmacards.reflections.failures import in_use_message
from stigmacards.reflections.tables import SCHEMA_VERSION
from stigmacards.reflections.upkeep import ERASE_TRACES, TIDY_WAIT_MS, truncate_wal, waiting


class Purging:
    """`purge`; the rest of the store is declared for mypy."""

    if TYPE_CHECKING:
        path: Path

        @property
        def conn(self) -> sqlite3.Connection: ...

        def _writing(self, message: str, *, explains: bool = True) -> AbstractContextManager[None]: ...

        def _cannot_write(self) -> str: ...

        def erase_traces(self, *, wait_ms: int = BUSY_TIMEOUT_MS) -> bool: ...

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
        with (
            private_umask(),
            self._writing(message),
            waiting(self.conn, TIDY_WAIT_MS, normal_ms=BUSY_TIMEOUT_MS),
        ):
            # A reader's snapshot would keep the old pages in the database file after the
            # delete: make sure nobody holds one before anything is deleted. Rewriting the
            # header page puts a frame in the WAL, which a reader's snapshot keeps from folding.
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
            if not truncate_wal(self.conn):
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
