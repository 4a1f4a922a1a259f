"""The declared group size as a cap: what a report says when the answers do not fit it.

The store refuses a submission that would give one question more answers than people were
declared (see `ReflectionStore.save_submission`), so a padded group cannot be made there. A
store written by an older version, or merged from files that were, can still hold more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from stigmacards.i18n import _
from stigmacards.reflections.store import SessionInfo, StoredReflection


def group_notes(info: SessionInfo, rows: Sequence[StoredReflection], *, k: int) -> list[str]:
    """Warnings for a report: no declared group size, or more answers to a question than people."""
    if info.group_size is None:
        return [
            _(
                "No group size was declared for this session, so it cannot be checked that the {k} or "
                "more answers of a group come from {k} or more people."
            ).format(k=k)
        ]
    counts = Counter(row.prompt_id for row in rows)
    over = sorted(prompt for prompt, n in counts.items() if n > info.group_size)
    if not over:
        return []
    return [
        _(
            "Question(s) {ids} have more answers than the declared group size ({n}): someone may have "
            "answered more than once, and a group of k answers may come from fewer than k people."
        ).format(ids=", ".join(over), n=info.group_size)
    ]
