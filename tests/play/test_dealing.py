"""Dealing: the rules as properties over random decks, plus a pinned plan for cross-machine stability."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigmacards.errors import UsageError
from stigmacards.play import dealing
from stigmacards.play.dealing import Deal, DealState, Plan, PoolCard

from ..conftest import ROOT


@dataclass(frozen=True)
class FakeCard:
    id: str
    level: int
    sensitive: bool = False


SMALL_DECK = (
    FakeCard("a", 1),
    FakeCard("b", 1),
    FakeCard("c", 1),
    FakeCard("d", 2),
    FakeCard("e", 2),
    FakeCard("f", 3),
    FakeCard("g", 3, sensitive=True),
)


@st.composite
def decks(draw: st.DrawFn) -> tuple[FakeCard, ...]:
    specs = draw(st.lists(st.tuples(st.integers(1, 3), st.booleans()), min_size=1, max_size=24))
    return tuple(FakeCard(f"card-{i:02d}", level, sensitive) for i, (level, sensitive) in enumerate(specs))


@st.composite
def sessions(draw: st.DrawFn) -> tuple[tuple[FakeCard, ...], dict[str, object]]:
    """A deck and dealing options that the deck can serve."""
    deck = draw(decks())
    include_sensitive = draw(st.booleans())
    max_level = draw(st.integers(1, 3))
    pool = dealing.eligible(deck, max_level=max_level, include_sensitive=include_sensitive)
    if not pool:
        include_sensitive, max_level = True, 3
        pool = dealing.eligible(deck, max_level=3, include_sensitive=True)
    options = {
        "tables": draw(st.integers(1, min(len(pool), 5))),
        "rounds": draw(st.integers(1, 12)),
        "seed": draw(st.integers(0, 10**6)),
        "max_level": max_level,
        "include_sensitive": include_sensitive,
    }
    return deck, options


def _plan(deck: tuple[FakeCard, ...], memory: frozenset[str] = frozenset(), **options: object) -> Plan:
    return dealing.make_plan(deck, deck_id="t", language="nl", memory=memory, **options)  # type: ignore[arg-type]


def _eligible(deck: tuple[FakeCard, ...], options: dict[str, object]) -> tuple[PoolCard, ...]:
    """The cards a session with these options deals from."""
    return dealing.eligible(
        deck,
        max_level=options["max_level"],  # type: ignore[arg-type]
        include_sensitive=options["include_sensitive"],  # type: ignore[arg-type]
    )


def _flat(plan: Plan) -> list[Deal]:
    return [deal for deals in plan.rounds for deal in deals]


@settings(max_examples=150, deadline=None)
@given(sessions())
def test_no_card_twice_before_every_eligible_card_was_dealt(
    case: tuple[tuple[FakeCard, ...], dict[str, object]],
) -> None:
    deck, options = case
    plan = _plan(deck, **options)
    pool = {c.id for c in _eligible(deck, options)}
    ids = [d.card_id for d in _flat(plan)]
    first_repeat = next((i for i, card in enumerate(ids) if card in ids[:i]), None)
    if first_repeat is None:
        assert plan.restarted_cycles == ()
    else:
        assert set(ids[:first_repeat]) == pool
        assert plan.restarted_cycles[0] == first_repeat // options["tables"] + 1  # type: ignore[operator]
    for deals in plan.rounds:
        assert len({d.card_id for d in deals}) == len(deals), "one round shows a card twice"
        assert [d.table for d in deals] == list(range(1, len(deals) + 1))


@settings(max_examples=150, deadline=None)
@given(sessions())
def test_levels_start_shallow_and_never_go_back_within_a_cycle(
    case: tuple[tuple[FakeCard, ...], dict[str, object]],
) -> None:
    deck, options = case
    plan = _plan(deck, **options)
    levels = {c.id: c.level for c in deck}
    eligible_levels = {c.level for c in _eligible(deck, options)}
    assert plan.rounds[0][0].level == min(eligible_levels)
    for number, deals in enumerate(plan.rounds, start=1):
        assert all(d.level == levels[d.card_id] for d in deals)
        assert all(d.level <= options["max_level"] for d in deals)  # type: ignore[operator]
        if number in plan.restarted_cycles:
            continue
        assert [d.level for d in deals] == sorted(d.level for d in deals)
        if number > 1:  # the last deal of the round before is the deepest of its cycle
            assert min(d.level for d in deals) >= plan.rounds[number - 2][-1].level


@settings(max_examples=150, deadline=None)
@given(sessions(), st.lists(st.integers(1, 5), max_size=3))
def test_a_table_never_gets_the_same_card_two_rounds_running(
    case: tuple[tuple[FakeCard, ...], dict[str, object]], passes: list[int]
) -> None:
    """Also right after a new cycle starts, as long as the pool has a card to spare."""
    deck, options = case
    pool = _eligible(deck, options)
    tables = options["tables"]
    assert isinstance(tables, int)
    if len(pool) <= tables:
        return
    state = dealing.new_state(pool, tables=tables, seed=options["seed"])  # type: ignore[arg-type]
    before: tuple[Deal, ...] = ()
    for number in range(options["rounds"]):  # type: ignore[call-overload]
        state = dealing.deal_round(state)
        if number < len(passes) and passes[number] <= tables and len(pool) > tables + 1:
            state = dealing.pass_card(state, passes[number])
        for old, new in zip(before, state.current, strict=False):
            assert old.card_id != new.card_id, f"table {new.table} got {new.card_id} again"
        before = state.current


def test_five_cards_three_tables_no_table_gets_its_card_back() -> None:
    """The case found by hand: a 5-card deck, 3 tables, the deck restarting in rounds 2 and 3."""
    deck = tuple(FakeCard(name, level) for name, level in zip("abcde", (1, 1, 2, 2, 3), strict=True))
    for seed in range(200):
        plan = _plan(deck, tables=3, rounds=6, seed=seed)
        for earlier, later in zip(plan.rounds, plan.rounds[1:], strict=False):
            assert all(a.card_id != b.card_id for a, b in zip(earlier, later, strict=True)), seed


def test_after_a_restart_a_shallower_card_beats_the_tables_own_card_again() -> None:
    """Six cards, five tables: in round 4 the last table's only deeper card was its own of round 3."""
    deck = tuple(FakeCard(f"card-{i}", level) for i, level in enumerate((1, 1, 2, 3, 3, 3)))
    plan = _plan(deck, tables=5, rounds=4, seed=0)
    for earlier, later in zip(plan.rounds, plan.rounds[1:], strict=False):
        assert all(a.card_id != b.card_id for a, b in zip(earlier, later, strict=True))


@settings(max_examples=150, deadline=None)
@given(sessions())
def test_sensitive_cards_only_when_included(case: tuple[tuple[FakeCard, ...], dict[str, object]]) -> None:
    deck, options = case
    sensitive = {c.id for c in deck if c.sensitive}
    dealt = {d.card_id for d in _flat(_plan(deck, **options))}
    if not options["include_sensitive"]:
        assert not dealt & sensitive


@settings(max_examples=100, deadline=None)
@given(sessions())
def test_same_seed_same_deal(case: tuple[tuple[FakeCard, ...], dict[str, object]]) -> None:
    deck, options = case
    assert _plan(deck, **options) == _plan(tuple(reversed(deck)), **options)


@settings(max_examples=150, deadline=None)
@given(sessions(), st.data())
def test_group_memory_is_skipped_until_the_pool_is_used_up(
    case: tuple[tuple[FakeCard, ...], dict[str, object]], data: st.DataObject
) -> None:
    deck, options = case
    pool = [c.id for c in _eligible(deck, options)]
    memory = frozenset(data.draw(st.lists(st.sampled_from(pool), unique=True)))
    fresh = set(pool) - memory
    ids = [d.card_id for d in _flat(_plan(deck, memory, **options))]
    head = ids[: len(fresh)]
    assert not set(head) & memory, "a card the group had came before the fresh ones ran out"
    assert len(set(head)) == len(head)


def test_memory_after_a_session_continues_or_restarts() -> None:
    pool = dealing.eligible(SMALL_DECK)
    state = dealing.new_state(pool, tables=2, seed=1, memory={"a", "other-deck-card"})
    state = dealing.deal_round(state)
    after = dealing.group_memory_after(state, {"a", "other-deck-card"})
    assert after == {"a", "other-deck-card", *(d.card_id for d in state.current)}
    for _ in range(3):  # past the end of the pool: the memory restarts with the new cycle
        state = dealing.deal_round(state)
    after = dealing.group_memory_after(state, {"a", "other-deck-card"})
    assert state.restarted_cycles
    assert after == {"other-deck-card"} | state.seen
    assert {d.card_id for d in state.current} <= after


def test_pinned_plan_for_a_small_deck() -> None:
    """Guards reproducibility across machines and Python versions: change only on purpose."""
    plan = _plan(SMALL_DECK, tables=2, rounds=4, seed=42, max_level=3, include_sensitive=False)
    assert [[(d.card_id, d.level) for d in deals] for deals in plan.rounds] == [
        [("a", 1), ("b", 1)],
        [("c", 1), ("d", 2)],
        [("e", 2), ("f", 3)],
        [("b", 1), ("a", 1)],
    ]
    assert plan.restarted_cycles == (4,)
    assert plan.as_dict()["rounds"][0] == {
        "round": 1,
        "tables": [{"table": 1, "card": "a", "level": 1}, {"table": 2, "card": "b", "level": 1}],
    }


SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from stigmacards.play.dealing import make_plan
from tests.play.test_dealing import SMALL_DECK
plan = make_plan(SMALL_DECK, deck_id="t", language="nl", tables=3, rounds=5, seed=2024, include_sensitive=True)
print(json.dumps(plan.as_dict()))
"""


@pytest.mark.slow
@pytest.mark.parametrize("hashseed", ["1", "4242"])
def test_same_plan_in_another_process_with_another_hash_seed(hashseed: str) -> None:
    here = _plan(SMALL_DECK, tables=3, rounds=5, seed=2024, include_sensitive=True).as_dict()
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    assert json.loads(out.stdout) == here


def test_pass_gives_the_table_a_new_card_and_keeps_the_others() -> None:
    state = dealing.deal_round(dealing.new_state(dealing.eligible(SMALL_DECK), tables=2, seed=3))
    before = state.current
    after = dealing.pass_card(state, 2)
    assert after.current[0] == before[0]
    assert after.current[1].card_id not in {d.card_id for d in before}
    assert after.passed == (before[1],)
    later = [d.card_id for deals in dealing.deal_round(after).rounds[1:] for d in deals]
    assert before[1].card_id not in later, "a passed card came back before the pool was used up"


def test_pass_never_deals_an_excluded_card() -> None:
    deck = (FakeCard("a", 1), FakeCard("b", 1), FakeCard("s", 1, sensitive=True), FakeCard("c", 2))
    state = dealing.deal_round(
        dealing.new_state(dealing.eligible(deck, include_sensitive=True), tables=1, seed=0)
    )
    others = [card for card in ("a", "b", "s") if card != state.current[0].card_id]
    passed = dealing.pass_card(state, 1, exclude=others[1:])
    assert passed.current[0].card_id == others[0]
    with pytest.raises(UsageError, match="no other card without a content note"):
        dealing.pass_card(state, 1, exclude=[*others, "c"])


def test_pass_with_no_spare_card_is_a_clear_error() -> None:
    state = dealing.deal_round(dealing.new_state(dealing.eligible(SMALL_DECK[:2]), tables=2, seed=0))
    with pytest.raises(UsageError, match="no other card"):
        dealing.pass_card(state, 1)
    with pytest.raises(UsageError, match="no table 3"):
        dealing.pass_card(state, 3)


def test_more_tables_than_cards_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match=r"not enough cards for 7 tables.*allow 6"):
        _plan(SMALL_DECK, tables=7, rounds=1, seed=0)
    with pytest.raises(UsageError, match="no card can be dealt"):
        _plan((FakeCard("x", 3),), tables=1, rounds=1, seed=0, max_level=2)


@pytest.mark.parametrize(
    ("deck", "options", "message"),
    [
        (SMALL_DECK, {"tables": 8, "include_sensitive": True}, "these settings allow 7 (lower --tables)"),
        (SMALL_DECK, {"tables": 7}, "allow 6 (lower --tables or add --include-sensitive)"),
        (SMALL_DECK, {"tables": 4, "max_level": 1}, "allow 3 (lower --tables or raise --max-level)"),
        (
            (*SMALL_DECK, FakeCard("h", 1, sensitive=True)),
            {"tables": 7, "max_level": 2},
            "allow 5 (lower --tables, raise --max-level or add --include-sensitive)",
        ),
        (
            (FakeCard("s", 2, sensitive=True),),
            {"tables": 1, "max_level": 1},
            "no card can be dealt with these settings (raise --max-level and add --include-sensitive)",
        ),
    ],
)
def test_not_enough_cards_names_only_the_changes_that_would_help(
    deck: tuple[FakeCard, ...], options: dict[str, object], message: str
) -> None:
    """Found by hand: 'add --include-sensitive' was suggested to someone who had added it."""
    with pytest.raises(UsageError) as caught:
        dealing.pool_for(deck, **options)  # type: ignore[arg-type]
    assert str(caught.value).endswith(message)


# The property-test head (settings, strategies, unpacking the case) is the same in each such test by design.
@settings(max_examples=50, deadline=None)
@given(sessions(), st.lists(st.integers(1, 5), max_size=4))
def test_state_survives_a_round_trip_through_json(
    case: tuple[tuple[FakeCard, ...], dict[str, object]], passes: list[int]
) -> None:
    deck, options = case
    pool = _eligible(deck, options)
    state = dealing.deal_round(dealing.new_state(pool, tables=options["tables"], seed=options["seed"]))  # type: ignore[arg-type]
    for table in passes:
        if table <= state.tables and len(pool) > state.tables:
            state = dealing.pass_card(state, table)
    copy = DealState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert copy == state
    assert dealing.deal_round(copy) == dealing.deal_round(state)


@pytest.mark.parametrize(
    "broken",
    [{}, {"seed": "1"}, {"seed": 1, "tables": 0, "pool": {}}],
    ids=["empty", "wrong-type", "no-tables"],
)
def test_broken_state_is_a_value_error(broken: dict[str, object]) -> None:
    good = dealing.new_state(dealing.eligible(SMALL_DECK), tables=1, seed=0).to_dict()
    with pytest.raises(ValueError, match="not a deal state"):
        DealState.from_dict({**good, **broken} if broken else broken)
