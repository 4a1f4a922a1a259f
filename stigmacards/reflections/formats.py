"""The file formats of a session's reflections, as the commands offer them and `exchange` writes them.

Kept apart from `exchange` (which imports the store) so that the command line can name the
choices at start-up without loading SQLite.
"""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    """`session export --format`: a table for spreadsheets, or JSON for `session merge` and programs."""

    csv = "csv"
    json = "json"
