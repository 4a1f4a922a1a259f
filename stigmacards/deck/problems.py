"""Problems found in a deck: a position, a severity, a stable code and a message."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, reported as `path:line:col: severity CODE message`."""

    path: str
    line: int  # 1-based; 0 when the problem has no position (e.g. the whole file)
    column: int  # 1-based
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity} {self.code} {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


# Codes are stable: editors and CI filter on them. Documented in docs/deck-format.md.
CODES: dict[str, str] = {
    "SC001": "file too large",
    "SC002": "file is not valid UTF-8",
    "SC003": "file contains a NUL byte or another character YAML does not allow",
    "SC004": "YAML syntax error",
    "SC005": "anchors and aliases are not allowed",
    "SC006": "merge keys (<<) are not allowed",
    "SC007": "unknown or unsafe tag",
    "SC008": "nesting too deep",
    "SC009": "duplicate key",
    "SC010": "explicit '?' key inside a flow list",
    "SC012": "too many problems: reading stopped",
    "SC100": "document is not a mapping",
    "SC101": "unknown key",
    "SC102": "missing required key",
    "SC103": "wrong number of questions",
    "SC104": "wrong type",
    "SC105": "invalid value",
    "SC106": "duplicate id",
    "SC107": "reference to an unknown id",
    "SC108": "unsupported deck format version",
    "SC201": "question too long",
    "SC202": "question does not end with '?'",
    "SC203": "same question twice",
    "SC204": "missing translation",
    "SC205": "fewer than 12 cards",
    "SC206": "no license",
    "SC207": "example text from 'deck new' not yet replaced",
    "SC301": "character the card font cannot print",
    "SC302": "card does not fit when printed",
    "SC303": "word too wide for a printed card",
    "SC304": "invalid x-print settings",
    "SC305": "x-print logo missing or not an image",
}
