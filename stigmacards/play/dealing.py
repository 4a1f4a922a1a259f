"""Who gets which card: a pure, seedable dealer.

The rules, in order of priority:

- Only eligible cards are dealt: level at most `max_level`, and cards with a content note only
  when sensitive cards are included.
- No card twice until every eligible card has been dealt (a *cycle*); then a new cycle starts,
  and the round it started in is recorded so the facilitator can be told. Cards on the tables at
  that moment stay out of the new cycle's first deals, so one round never shows a card twice,
  and a table does not get back the card it had in the round before when another one is left.
- Levels deepen gently: every deal takes the shallowest level that still has undealt cards at
  or above the level dealt before it in this cycle, so a round is never shallower than the round
  before (several tables in one round may share a level). A new cycle starts from the top again.
- A group's memory (cards it had in earlier sessions) counts as already dealt in the first cycle.

Randomness: every draw seeds its own `random.Random` from the session seed and the number of
draws so far, so the whole state is a few plain values (easy to save and resume). Only
`Random.random()` is used: Python guarantees its sequence for a given seed across versions and
machines, which `choice`/`shuffle` do not. String seeds go through SHA-512, never through the
per-process salted `hash()`.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from stigmacards.errors import UsageError
from stigmacards.i18n import _

SEED_LIMIT = 1_000_000  # short enough to read out and type again


# Protocols and small frozen value classes: alike in shape to others in the core by nature.
class CardLike(Protocol):
    """What the dealer needs to know about a card (model.Card and model.LocalCard both fit)."""

    @property
    def id(self) -> str: ...

    @property
    def level(self) -> int: ...

    @property
    def sensitive(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PoolCard:
    """An eligible card, reduced to what dealing needs."""

    id: str
    level: int


@dataclass(frozen=True, slots=True)
class Deal:
    """One card on one table in one round."""

    round: int
    table: int
    card_id: str
    level: int


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole session's deal, as `stigmacards deal` prints it."""

    deck_id: str
    language: str
    seed: int
    rounds: tuple[tuple[Deal, ...], ...]
    restarted_cycles: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape (nothing more, so scripts can rely on it)."""
        return {
            "deck": self.deck_id,
            "language": self.language,
            "seed": self.seed,
            "rounds": [
                {
                    "round": number,
                    "tables": [{"table": d.table, "card": d.card_id, "level": d.level} for d in deals],
                }
                for number, deals in enumerate(self.rounds, start=1)
            ],
        }


@dataclass(frozen=True, slots=True)
class DealState:
    """Everything needed to go on dealing: serialisable with `to_dict` / `from_dict`."""

    seed: int
    tables: int
    pool: tuple[PoolCard, ...]
    seen: frozenset[str] = frozenset()  # had in the current cycle (group memory included)
    cycle: int = 1
    level: int = 0  # level of the latest deal in this cycle; 0 before the first
    draws: int = 0
    rounds: tuple[tuple[Deal, ...], ...] = ()
    passed: tuple[Deal, ...] = ()
    restarted_cycles: tuple[int, ...] = ()

    @property
    def current(self) -> tuple[Deal, ...]:
        """The cards on the tables now (the latest round), empty before the first round."""
        return self.rounds[-1] if self.rounds else ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "tables": self.tables,
            "pool": {c.id: c.level for c in self.pool},
            "seen": sorted(self.seen),
            "cycle": self.cycle,
            "level": self.level,
            "draws": self.draws,
            "rounds": [[_deal_row(d) for d in deals] for deals in self.rounds],
            "passed": [_deal_row(d) for d in self.passed],
            "restarted_cycles": list(self.restarted_cycles),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DealState:
        """Rebuild a state; raises ValueError when `data` is not one."""
        try:
            state = cls(
                seed=_int(data["seed"]),
                tables=_int(data["tables"]),
                pool=tuple(PoolCard(_str(k), _int(v)) for k, v in sorted(_dict(data["pool"]).items())),
                seen=frozenset(_str(s) for s in _list(data["seen"])),
                cycle=_int(data["cycle"]),
                level=_int(data["level"]),
                draws=_int(data["draws"]),
                rounds=tuple(tuple(_deal(row) for row in _list(r)) for r in _list(data["rounds"])),
                passed=tuple(_deal(row) for row in _list(data["passed"])),
                restarted_cycles=tuple(_int(n) for n in _list(data["restarted_cycles"])),
            )
        except (KeyError, IndexError, TypeError) as exc:
            raise ValueError(f"not a deal state: {exc!r}") from None
        if state.tables < 1 or not state.pool:
            raise ValueError("not a deal state: no tables or no cards")
        return state


def new_seed() -> int:
    """A fresh seed, short enough to note down and pass to `--seed` again."""
    return secrets.randbelow(SEED_LIMIT)


def eligible(
    cards: Iterable[CardLike], *, max_level: int = 3, include_sensitive: bool = False
) -> tuple[PoolCard, ...]:
    """The cards that may be dealt, in id order (so reordering a deck file changes nothing)."""
    pool = [
        PoolCard(card.id, card.level)
        for card in cards
        if card.level <= max_level and (include_sensitive or not card.sensitive)
    ]
    return tuple(sorted(pool, key=lambda c: c.id))


def pool_for(
    cards: Iterable[CardLike], *, tables: int, max_level: int = 3, include_sensitive: bool = False
) -> tuple[PoolCard, ...]:
    """The eligible cards, or a UsageError naming only the changes that would give enough of them."""
    cards = list(cards)
    pool = eligible(cards, max_level=max_level, include_sensitive=include_sensitive)
    if pool and len(pool) >= tables:
        return pool
    deeper = any(c.level > max_level and (include_sensitive or not c.sensitive) for c in cards)
    sensitive = not include_sensitive and any(c.sensitive and c.level <= max_level for c in cards)
    remedies = [_("lower --tables")] if pool else []
    if deeper:
        remedies.append(_("raise --max-level"))
    if sensitive:
        remedies.append(_("add --include-sensitive"))
    if not deeper and not sensitive and not include_sensitive and any(c.level > max_level for c in cards):
        remedies.append(_("raise --max-level and add --include-sensitive"))
    hint = f" ({_either(remedies)})" if remedies else ""
    if not pool:
        raise UsageError(_("no card can be dealt with these settings{hint}").format(hint=hint))
    raise UsageError(
        _("not enough cards for {tables} tables in one round: these settings allow {n}{hint}").format(
            tables=tables, n=len(pool), hint=hint
        )
    )


def _either(choices: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(choices) < 2:
        return "".join(choices)
    return _("{some} or {last}").format(some=", ".join(choices[:-1]), last=choices[-1])


def new_state(pool: tuple[PoolCard, ...], *, tables: int, seed: int, memory: Iterable[str] = ()) -> DealState:
    """Start dealing `pool` to `tables` tables; `memory` holds card ids the group already had."""
    if not pool:
        raise UsageError(
            _("no card can be dealt with these settings (raise --max-level or add --include-sensitive)")
        )
    if tables < 1:
        raise UsageError(_("--tables must be at least 1"))
    if tables > len(pool):
        raise UsageError(
            _(
                "not enough cards for {tables} tables in one round: these settings allow {n}"
                " (lower --tables, raise --max-level or add --include-sensitive)"
            ).format(n=len(pool), tables=tables)
        )
    ids = {c.id for c in pool}
    return DealState(seed=seed, tables=tables, pool=pool, seen=frozenset(m for m in memory if m in ids))


def deal_round(state: DealState) -> DealState:
    """Deal the next round: one card to every table."""
    number = len(state.rounds) + 1
    deals: list[Deal] = []
    for table in range(1, state.tables + 1):
        in_use = frozenset(d.card_id for d in deals)
        state, deal = _draw(
            state, number=number, table=table, in_use=in_use, avoid=_had_before(state, table, number)
        )
        deals.append(deal)
    return replace(state, rounds=(*state.rounds, tuple(deals)))


def pass_card(state: DealState, table: int, *, exclude: Iterable[str] = ()) -> DealState:
    """Replace the card on `table` in the current round, under the same rules.

    Cards in `exclude` are not taken this time (they stay undealt): a session leaves out cards
    with a content note here, because mid-round there is no moment to show the note first.
    """
    if not state.rounds:
        raise UsageError(_("no cards have been dealt yet"))
    if not 1 <= table <= state.tables:
        raise UsageError(_("there is no table {table}").format(table=table))
    current = state.current
    old = current[table - 1]
    in_use = frozenset(d.card_id for d in current)
    number = len(state.rounds)
    state, deal = _draw(
        state,
        number=number,
        table=table,
        in_use=in_use,
        exclude=frozenset(exclude),
        avoid=_had_before(state, table, number),
    )
    updated = tuple(deal if d.table == table else d for d in current)
    return replace(state, rounds=(*state.rounds[:-1], updated), passed=(*state.passed, old))


def plan(state: DealState, *, deck_id: str, language: str) -> Plan:
    return Plan(
        deck_id=deck_id,
        language=language,
        seed=state.seed,
        rounds=state.rounds,
        restarted_cycles=state.restarted_cycles,
    )


def make_plan(
    cards: Iterable[CardLike],
    *,
    deck_id: str,
    language: str,
    tables: int,
    rounds: int,
    seed: int,
    max_level: int = 3,
    include_sensitive: bool = False,
    memory: Iterable[str] = (),
) -> Plan:
    """Deal a whole session at once."""
    if rounds < 1:
        raise UsageError(_("--rounds must be at least 1"))
    pool = pool_for(cards, tables=tables, max_level=max_level, include_sensitive=include_sensitive)
    state = new_state(pool, tables=tables, seed=seed, memory=memory)
    for _round in range(rounds):
        state = deal_round(state)
    return plan(state, deck_id=deck_id, language=language)


def group_memory_after(state: DealState, before: Iterable[str]) -> frozenset[str]:
    """What the group has had after this session: its memory, continued or restarted."""
    ids = {c.id for c in state.pool}
    return frozenset(m for m in before if m not in ids) | state.seen


def restarted_in(state: DealState, round_number: int) -> bool:
    """True when a new cycle started while dealing `round_number` (tell the facilitator)."""
    return round_number in state.restarted_cycles


def _had_before(state: DealState, table: int, number: int) -> frozenset[str]:
    """The card `table` had in the round before round `number` (none in the first round)."""
    if number < 2 or len(state.rounds) < number - 1:
        return frozenset()
    return frozenset(d.card_id for d in state.rounds[number - 2] if d.table == table)


def _draw(
    state: DealState,
    *,
    number: int,
    table: int,
    in_use: frozenset[str],
    exclude: frozenset[str] = frozenset(),
    avoid: frozenset[str] = frozenset(),
) -> tuple[DealState, Deal]:
    candidates = [c for c in state.pool if c.id not in state.seen and c.level >= state.level]
    if not candidates:
        # Every eligible card has been dealt in this cycle: start again from the top, keeping
        # the cards now on the tables out of it so no round shows one card twice.
        restarted = state.restarted_cycles
        if not restarted or restarted[-1] != number:
            restarted = (*restarted, number)
        state = replace(state, seen=in_use, level=0, cycle=state.cycle + 1, restarted_cycles=restarted)
        candidates = [c for c in state.pool if c.id not in state.seen]
        if not candidates:
            raise UsageError(_("there is no other card to deal: every eligible card is on a table"))
    candidates = [c for c in candidates if c.id not in exclude]
    if not candidates:
        raise UsageError(_("there is no other card without a content note to deal in this round"))
    # Only after a new cycle started in this round can the table's card of the round before come
    # up again: give it another one if there is any, of a shallower level if need be (the new
    # cycle has started from the top in this round anyway).
    if avoid & {c.id for c in candidates}:
        fresh = [c for c in candidates if c.id not in avoid] or [
            c for c in state.pool if c.id not in state.seen | in_use | exclude | avoid
        ]
        candidates = fresh or candidates
    shallowest = min(c.level for c in candidates)
    choices = [c for c in candidates if c.level == shallowest]
    rng = random.Random(f"stigmacards-deal:{state.seed}:{state.draws}")
    pick = choices[min(int(rng.random() * len(choices)), len(choices) - 1)]
    state = replace(state, seen=state.seen | {pick.id}, level=pick.level, draws=state.draws + 1)
    return state, Deal(round=number, table=table, card_id=pick.id, level=pick.level)


def _deal_row(deal: Deal) -> list[Any]:
    return [deal.round, deal.table, deal.card_id, deal.level]


def _deal(row: Any) -> Deal:
    items = _list(row)
    return Deal(round=_int(items[0]), table=_int(items[1]), card_id=_str(items[2]), level=_int(items[3]))


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value


def _dict(value: Any) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value
