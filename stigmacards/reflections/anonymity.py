"""What a report or an export may show: minimum group size k, withheld cells, fresh shuffles.

Everything shown is derived from one protected table per prompt, so no two views can be
subtracted from each other to recover a small group:

1. A prompt with fewer than k answers is hidden entirely (not even its count is shown).
2. Card groups with fewer than k answers lose their card id (pooled with the answers that
   had none). If that pool would be smaller than k, the next smallest card is pooled too.
3. For scale and choice prompts, within each card group, values chosen fewer than k times are
   withheld; again, if the withheld pool would be smaller than k, the next smallest value is
   withheld too, so a withheld value can never be worked out from the total.
4. A session whose declared group size is below k shows nothing at all.
5. An open session shows nothing, not even counts: reports before and after one person
   answered could be compared.

Free text is shown only for prompts with at least k answers, in a fresh random order each
time, and never linked to a person's other answers (the store keeps no such link).
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import NamedTuple, TypeVar

from stigmacards.deck.format import PromptKind
from stigmacards.errors import UsageError
from stigmacards.i18n import N_, _
from stigmacards.reflections.pii import find_pii, redact
from stigmacards.reflections.store import SessionInfo, StoredReflection

MIN_K = 3
DEFAULT_K = 5
DEFAULT_RETENTION_DAYS = 30

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Hidden(StrEnum):
    """Why a whole report shows no answers."""

    GROUP = "group"  # the declared group size is below k
    OPEN = "open"  # the session is not closed yet


@dataclass(frozen=True, slots=True)
class PromptSpec:
    """What a report knows about a prompt: from the deck, or guessed from the answers.

    `values` lists the scale values or choice options (by 0-based index) with their labels,
    so that every possible answer is listed whether or not someone chose it.
    """

    id: str
    kind: PromptKind
    text: str | None = None
    values: tuple[tuple[int, str], ...] = ()


class ProtectedRow(NamedTuple):
    """A reflection as it may leave the machine: card id or value None when withheld."""

    id: str
    prompt_id: str
    card_id: str | None
    value: str | int | None


@dataclass(frozen=True, slots=True)
class Cell:
    """One possible answer and how many gave it; count None when hidden (fewer than k)."""

    value: str | int
    label: str
    count: int | None


@dataclass(frozen=True, slots=True)
class CardGroup:
    card_id: str | None  # None: answers without a card, or whose card group was too small
    answers: int
    cells: tuple[Cell, ...]
    withheld: int


@dataclass(frozen=True, slots=True)
class PromptSummary:
    id: str
    kind: PromptKind
    text: str | None
    answers: int | None  # None when hidden: fewer than k answers
    cells: tuple[Cell, ...] = ()
    withheld: int = 0  # answers whose value is withheld: 0 or at least k
    by_card: tuple[CardGroup, ...] = ()
    texts: tuple[str, ...] = ()  # free text in a fresh random order
    redacted: int = 0  # texts shown with personal data removed because the review is pending
    bands: tuple[Cell, ...] = ()  # a scale in low / middle / high, when single values show too little
    median: float | None = None  # scale prompts with at least k answers

    @property
    def hidden(self) -> bool:
        return self.answers is None


@dataclass(frozen=True, slots=True)
class Report:
    session: SessionInfo
    k: int
    hidden: Hidden | None
    prompts: tuple[PromptSummary, ...]


def check_k(k: int) -> int:
    """Return `k`, or raise UsageError when it is below the floor of 3."""
    if k < MIN_K:
        raise UsageError(
            _("--min-group must be at least {floor}: smaller groups cannot protect anyone").format(
                floor=MIN_K
            )
        )
    return k


def suppress(counts: Mapping[K, int], k: int, *, pooled: int = 0) -> frozenset[K]:
    """The keys whose counts may be shown.

    Each shown count is at least k, and the pool of everything not shown (plus `pooled`,
    answers that are withheld already) is 0 or at least k, so no hidden count can be worked
    out by subtraction.
    """
    shown = {key for key, n in counts.items() if n >= k}
    pool = pooled + sum(n for key, n in counts.items() if key not in shown)
    for key in sorted(shown, key=lambda key: (counts[key], repr(key))):
        if pool == 0 or pool >= k:
            break
        shown.discard(key)
        pool += counts[key]
    return frozenset(shown)


def never_shown(rows: Sequence[StoredReflection], *, group_size: int | None) -> frozenset[str]:
    """Ids of reflections that no report or export can show, whatever k is chosen.

    Their prompt has fewer than MIN_K answers, or the declared group is smaller than MIN_K.
    """
    if group_size is not None and group_size < MIN_K:
        return frozenset(r.id for r in rows)
    counts = Counter(r.prompt_id for r in rows)
    return frozenset(r.id for r in rows if counts[r.prompt_id] < MIN_K)


def infer_specs(rows: Sequence[StoredReflection], known: Mapping[str, PromptSpec]) -> dict[str, PromptSpec]:
    """Specs for every prompt in `rows`: from `known` (the deck), else guessed from the values.

    A prompt whose answers are all whole numbers is treated as a scale (its values are
    protected like choices); anything with words in it is free text. A prompt the deck calls
    free text but that has numbers among its answers (the deck changed since) is a scale too:
    shown as text, a number chosen by one person would be readable.
    """
    specs = dict(known)
    by_prompt: dict[str, list[str | int | None]] = defaultdict(list)
    numeric_text = {
        r.prompt_id for r in rows if isinstance(r.value, int) and _is_text(specs.get(r.prompt_id))
    }
    for prompt_id in numeric_text:
        specs[prompt_id] = PromptSpec(prompt_id, PromptKind.scale, specs[prompt_id].text)
    for row in rows:
        if row.prompt_id not in specs:
            by_prompt[row.prompt_id].append(row.value)
    for prompt_id, values in by_prompt.items():
        numeric = all(v is None or isinstance(v, int) for v in values)
        specs[prompt_id] = PromptSpec(prompt_id, PromptKind.scale if numeric else PromptKind.text)
    return specs


def _is_text(spec: PromptSpec | None) -> bool:
    return spec is not None and spec.kind is PromptKind.text


def normalise_choices(
    rows: Sequence[StoredReflection], specs: Mapping[str, PromptSpec]
) -> list[StoredReflection]:
    """Choice answers saved as the option's text become its index, like the ones saved as index."""
    choices = {
        pid: {label: i for i, label in spec.values}
        for pid, spec in specs.items()
        if spec.kind is PromptKind.choice
    }
    if not choices:
        return list(rows)
    out: list[StoredReflection] = []
    for row in rows:
        options = choices.get(row.prompt_id)
        index = options.get(row.value) if options is not None and isinstance(row.value, str) else None
        out.append(row if index is None else row._replace(value=index))
    return out


def protect(
    rows: Sequence[StoredReflection], specs: Mapping[str, PromptSpec], *, k: int, group_size: int | None
) -> list[ProtectedRow]:
    """The reflections that may be shown, with small card groups and rare values withheld."""
    check_k(k)
    if group_size is not None and group_size < k:
        return []
    by_prompt: dict[str, list[StoredReflection]] = defaultdict(list)
    for row in rows:
        by_prompt[row.prompt_id].append(row)
    result: list[ProtectedRow] = []
    for prompt_id, prompt_rows in by_prompt.items():
        if len(prompt_rows) < k:
            continue
        card_counts = Counter(r.card_id for r in prompt_rows)
        no_card = card_counts.pop(None, 0)
        shown_cards = suppress(card_counts, k, pooled=no_card) if card_counts else frozenset()
        spec = specs.get(prompt_id)
        if _is_text(spec) and not any(isinstance(r.value, int) for r in prompt_rows):  # see infer_specs
            if card_counts:
                result.extend(
                    ProtectedRow(r.id, prompt_id, r.card_id if r.card_id in shown_cards else None, r.value)
                    for r in prompt_rows
                )
            else:  # the common case, kept fast: the first four fields as they are
                result.extend(map(ProtectedRow._make, (r[:4] for r in prompt_rows)))
            continue
        buckets: dict[str | None, list[StoredReflection]] = defaultdict(list)
        for r in prompt_rows:
            buckets[r.card_id if r.card_id in shown_cards else None].append(r)
        for card, bucket in buckets.items():
            value_counts = Counter(r.value for r in bucket)
            withheld = value_counts.pop(None, 0)
            shown_values = suppress(value_counts, k, pooled=withheld)
            result.extend(
                ProtectedRow(r.id, prompt_id, card, r.value if r.value in shown_values else None)
                for r in bucket
            )
    return result


def build_report(
    session: SessionInfo,
    rows: Sequence[StoredReflection],
    specs: Mapping[str, PromptSpec],
    *,
    k: int,
    rng: random.Random,
) -> Report:
    """Summarise a session: counts, distributions and shuffled free text, all at least k strong."""
    check_k(k)
    rows = normalise_choices(rows, specs)
    specs = infer_specs(rows, specs)
    order = list(specs)  # the deck's prompts in deck order (unanswered ones show as hidden), then others
    if session.group_size is not None and session.group_size < k:
        return Report(session, k, Hidden.GROUP, ())
    if not session.sealed:
        # Not even counts: two reports, before and after one person, would show which
        # questions that person answered and which they skipped.
        summaries = tuple(PromptSummary(pid, specs[pid].kind, specs[pid].text, None) for pid in order)
        return Report(session, k, Hidden.OPEN, summaries)
    # Flagged free text not yet reviewed is shown with the flagged parts removed.
    pending = {r.id for r in rows if r.flagged and isinstance(r.value, str)}
    prepared = [
        StoredReflection(r.id, r.prompt_id, r.card_id, redact(r.value, find_pii(r.value)), False)
        if r.id in pending and isinstance(r.value, str)
        else r
        for r in rows
    ]
    protected = protect(prepared, specs, k=k, group_size=session.group_size)
    raw_numbers: dict[str, list[int]] = defaultdict(list)
    for stored in prepared:
        if isinstance(stored.value, int) and not isinstance(stored.value, bool):
            raw_numbers[stored.prompt_id].append(stored.value)
    by_prompt: dict[str, list[ProtectedRow]] = defaultdict(list)
    for row in protected:
        by_prompt[row.prompt_id].append(row)
    summaries_list: list[PromptSummary] = []
    for pid in order:
        spec = specs[pid]
        prompt_rows = by_prompt.get(pid, [])
        if not prompt_rows:
            summaries_list.append(PromptSummary(pid, spec.kind, spec.text, None))
            continue
        if spec.kind is PromptKind.text:
            texts = shuffled([str(r.value) for r in prompt_rows if r.value is not None], rng)
            summaries_list.append(
                PromptSummary(
                    pid,
                    spec.kind,
                    spec.text,
                    len(prompt_rows),
                    texts=tuple(texts),
                    redacted=sum(1 for r in prompt_rows if r.id in pending),
                )
            )
            continue
        cells, withheld = _cells(spec, prompt_rows)
        numbers = raw_numbers.get(pid, []) if spec.kind is PromptKind.scale else []
        median = float(statistics.median(numbers)) if len(numbers) >= k else None
        bands = _bands(spec, numbers, cells, k, answers=len(prompt_rows)) if withheld else ()
        if _shown(bands) > _shown(cells):
            # Coarser but useful: a small group's scale in three bands, beside the single values
            # they agree with, but not beside per-card counts they could be subtracted from.
            summary = PromptSummary(pid, spec.kind, spec.text, len(prompt_rows), cells, withheld)
            summaries_list.append(replace(summary, bands=bands, median=median))
            continue
        groups: list[CardGroup] = []
        if any(r.card_id is not None for r in prompt_rows):
            by_card: dict[str | None, list[ProtectedRow]] = defaultdict(list)
            for r in prompt_rows:
                by_card[r.card_id].append(r)
            for card in sorted(by_card, key=lambda c: (c is None, c or "")):
                card_cells, card_withheld = _cells(spec, by_card[card])
                groups.append(CardGroup(card, len(by_card[card]), card_cells, card_withheld))
        summaries_list.append(
            PromptSummary(
                pid, spec.kind, spec.text, len(prompt_rows), cells, withheld, tuple(groups), median=median
            )
        )
    return Report(session, k, None, tuple(summaries_list))


BAND_NAMES = (N_("low"), N_("middle"), N_("high"))


def scale_bands(scale: Sequence[int]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """A scale's values in three bands, the outer two the same size: 1–5 is 1–2, 3, 4–5."""
    if len(scale) < 3:
        return ()
    cut = max(1, round(len(scale) / 3))
    parts = (scale[:cut], scale[cut : len(scale) - cut], scale[len(scale) - cut :])
    return tuple((name, tuple(part)) for name, part in zip(BAND_NAMES, parts, strict=True) if part)


def _bands(
    spec: PromptSpec, numbers: Sequence[int], cells: Sequence[Cell], k: int, *, answers: int
) -> tuple[Cell, ...]:
    """Band cells, or () when no band can be shown.

    Each shown band holds at least k answers; the hidden bands together hold 0 or at least k;
    and within a shown band, the answers the single-value cells do not show number 0 or at
    least k, so nothing smaller than k can be worked out by subtracting one view from another.
    """
    scale = [value for value, _label in spec.values] or sorted(set(numbers))
    bands = scale_bands(scale)
    if not bands:
        return ()
    counts = {name: sum(1 for n in numbers if n in values) for name, values in bands}
    shown_single = {c.value: c.count or 0 for c in cells}
    # Hidden already: values no longer on the deck's scale, and answers an imported export withheld.
    outside = answers - sum(counts.values())
    shown = set(suppress(counts, k, pooled=outside))
    for name, values in bands:
        unexplained = counts[name] - sum(shown_single.get(v, 0) for v in values)
        if name in shown and 0 < unexplained < k:
            shown.discard(name)
    hidden = outside + sum(n for name, n in counts.items() if name not in shown)
    if not shown or 0 < hidden < k:
        return ()
    return tuple(
        Cell(
            name,
            f"{_(name)} ({values[0]}–{values[-1]})" if len(values) > 1 else f"{_(name)} ({values[0]})",
            counts[name] if name in shown else None,
        )
        for name, values in bands
    )


def _shown(cells: Sequence[Cell]) -> int:
    return sum(c.count or 0 for c in cells)


def _cells(spec: PromptSpec, rows: Sequence[ProtectedRow]) -> tuple[tuple[Cell, ...], int]:
    """Every listed value with its count (None when it was withheld), and the withheld total."""
    counts = Counter(r.value for r in rows if r.value is not None)
    withheld = sum(1 for r in rows if r.value is None)
    labels = dict(spec.values)
    # Listed: every value the deck defines (chosen or not), and values shown from the data.
    # A withheld value the deck does not define is not listed: listing it would reveal it.
    listed: list[str | int] = [value for value, _label in spec.values]
    listed += sorted((v for v in counts if v not in labels), key=lambda v: (isinstance(v, str), str(v)))
    cells = tuple(
        Cell(value, _label_for(spec, value, labels), counts.get(value)) for value in dict.fromkeys(listed)
    )
    return cells, withheld


def _label_for(spec: PromptSpec, value: str | int, labels: Mapping[int, str]) -> str:
    label = labels.get(value) if isinstance(value, int) else None
    if spec.kind is PromptKind.scale:
        return f"{value} {label}" if label else str(value)
    return label if label else str(value)


def shuffled(items: Sequence[T], rng: random.Random) -> list[T]:
    """A fresh random permutation of `items`.

    Sorting by random 64-bit keys drawn in one call is as uniform as a shuffle (ties among
    100,000 items: about 1 in 3 billion) and, with SystemRandom, needs one system call
    instead of one per item.
    """
    n = len(items)
    if n < 2:
        return list(items)
    keys = memoryview(rng.randbytes(8 * n)).cast("Q").tolist()
    return [items[i] for i in sorted(range(n), key=keys.__getitem__)]


def older_than(sessions: Sequence[SessionInfo], *, today: date, days: int) -> list[SessionInfo]:
    """Sessions whose day lies more than `days` days before `today`."""
    return [s for s in sessions if (today - date.fromisoformat(s.day)).days > days]
