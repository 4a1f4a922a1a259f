"""Merging exports into the store: adding another laptop's reflections, and finding them again.

A mixin of `ReflectionStore` (store.py), in its own module because merging is its own concept:
a session holds either answers typed on this laptop or imported ones, never both; imported
rows keep their random ids, so importing a file twice adds nothing; imported free text is
checked for personal data again; and the declared group size still caps every question.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from stigmacards.errors import SessionError
from stigmacards.i18n import _
from stigmacards.reflections.dbfile import private_umask
from stigmacards.reflections.pii import find_pii

if TYPE_CHECKING:
    from stigmacards.reflections.records import StoredReflection


class Merging:
    """`import_reflections` and `merged_already`; the rest of the store is declared for mypy."""

    if TYPE_CHECKING:

        @property
        def conn(self) -> sqlite3.Connection: ...

        def _writing(self, message: str, *, explains: bool = True) -> AbstractContextManager[None]: ...

        def _cannot_write(self) -> str: ...

        def _cannot_open(self) -> str: ...

        def _rollback(self) -> None: ...

        def _require_open(self, session_id: str) -> bool: ...

        def _require_within_group(self, session_id: str) -> None: ...

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
