"""The value objects of the reflections store, and how they map to rows."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from stigmacards.reflections.pii import find_pii

REFLECTION_ID_BYTES = 16


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


def session_from_row(row: Sequence[object]) -> SessionInfo:
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


def is_blank(value: str | int) -> bool:
    return isinstance(value, str) and not value.strip()


def row_for(session_id: str, answer: Answer) -> tuple[str, str, str, str | None, str | int, int]:
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
