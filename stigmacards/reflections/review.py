"""The facilitator's review of free text before a report or export: what to show, what to change.

Pure: the command asks, this decides. A review only ever sees a closed session (one text at a
time, right after someone saved it, would tell who wrote it), never a text that no report can
show (its flagged parts are removed unseen), and an edit replaces the stored text in place:
the original is not kept anywhere (the store overwrites it with secure_delete and empties the WAL).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stigmacards.errors import UsageError
from stigmacards.i18n import _
from stigmacards.reflections.anonymity import never_shown
from stigmacards.reflections.pii import REDACTED, PiiFlag, find_pii, redact
from stigmacards.reflections.records import StoredReflection

# `--replace ID=TEXT` takes a unique start of an answer's id, at least this long.
MIN_ID_PREFIX = 6
# The shortest id start `--show` prints: long enough to be unique in any real session.
SHOWN_ID = 8


class Decision(enum.Enum):
    REDACT = "redact"  # remove the marked parts
    KEEP = "keep"  # keep the text as written
    EDIT = "edit"  # replace the text with the facilitator's wording


@dataclass(frozen=True, slots=True)
class Item:
    """One free-text answer up for review, with the parts the personal-data check marked."""

    row: StoredReflection
    flags: tuple[PiiFlag, ...]

    @property
    def text(self) -> str:
        return str(self.row.value)

    @property
    def short_id(self) -> str:
        return self.row.id[:SHOWN_ID]


@dataclass(frozen=True, slots=True)
class Plan:
    """What a review is about: the texts to go through and the flagged texts cleaned unseen."""

    items: tuple[Item, ...]
    cleaned_unseen: Mapping[str, str]


def plan(rows: Sequence[StoredReflection], *, group_size: int | None, everything: bool) -> Plan:
    """The flagged texts (with `everything`, every free text) a report could show, in id order."""
    unseen = never_shown(rows, group_size=group_size)
    texts = [r for r in rows if isinstance(r.value, str)]
    cleaned = {
        r.id: redact(str(r.value), find_pii(str(r.value))) for r in texts if r.flagged and r.id in unseen
    }
    items = tuple(
        Item(r, tuple(find_pii(str(r.value))))
        for r in texts
        if r.id not in unseen and (everything or r.flagged)
    )
    return Plan(items=items, cleaned_unseen=cleaned)


def edited(text: str) -> str:
    """The facilitator's new wording as stored: trimmed; nothing left becomes the removal marker."""
    return text.strip() or REDACTED


def apply(item: Item, decision: Decision, new_text: str | None = None) -> str | None:
    """The text to store for this decision, or None to keep the stored text (and clear its flag)."""
    if decision is Decision.REDACT:
        return redact(item.text, item.flags) if item.flags else None
    if decision is Decision.EDIT:
        return edited(new_text or "")
    return None


def replacements(values: Iterable[str], items: Sequence[Item]) -> dict[str, str]:
    """`--replace ID=TEXT` values as {reflection id: new text}; UsageError names the bad one."""
    found: dict[str, str] = {}
    for value in values:
        prefix, sep, text = value.partition("=")
        prefix = prefix.strip().lower()
        if not sep or len(prefix) < MIN_ID_PREFIX:
            raise UsageError(
                _(
                    "--replace {value}: give ID=TEXT, with at least {n} characters of the id `--show` prints"
                ).format(value=value, n=MIN_ID_PREFIX)
            )
        matches = [item.row.id for item in items if item.row.id.startswith(prefix)]
        if len(matches) != 1:
            reason = (
                _("no text to review has that id") if not matches else _("more than one text has that id")
            )
            raise UsageError(_("--replace {id}: {reason}").format(id=prefix, reason=reason))
        found[matches[0]] = edited(text)
    return found


def outcome(items: Sequence[Item], changed: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The store's resolve_flags arguments: changed texts, and flagged texts kept as written."""
    kept = [item.row.id for item in items if item.row.flagged and item.row.id not in changed]
    return dict(changed), kept
