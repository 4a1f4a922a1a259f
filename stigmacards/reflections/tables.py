"""The tables of the reflections database, and bringing an older file up to date.

What the columns hold, and why nothing more, is in store.py and docs/privacy.md.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3

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
# A migration is a frozen copy of the table as that version left it: it must not follow later
# edits of SCHEMA, so the columns are written out again here.
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


def upgrade(conn: sqlite3.Connection) -> int:
    """Create the tables in a new file or migrate an older one; return the file's schema version.

    A version above SCHEMA_VERSION is returned as it is (a newer stigmacards wrote the file).
    """
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version not in (0, 1, 2):
        return version
    conn.execute("BEGIN IMMEDIATE")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])  # another process may have won
    if version in (0, 1, 2):
        script = (_SCHEMA, _MIGRATE_FROM_1 + _MIGRATE_FROM_2, _MIGRATE_FROM_2)[version]
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")
    return SCHEMA_VERSION
