"""Minimum group size k: what reports and exports may show, and the fresh random order."""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigmacards.deck.format import PromptKind
from stigmacards.errors import UsageError
from stigmacards.reflections.anonymity import (
    DEFAULT_K,
    MIN_K,
    Hidden,
    PromptSpec,
    ProtectedRow,
    Report,
    build_report,
    check_k,
    infer_specs,
    normalise_choices,
    protect,
    scale_bands,
    shuffled,
    suppress,
)
from stigmacards.reflections.store import Review, SessionInfo, StoredReflection

SPECS = {
    "veilig": PromptSpec("veilig", PromptKind.scale, "Hoe veilig?", tuple((v, "") for v in range(1, 6))),
    "rol": PromptSpec(
        "rol", PromptKind.choice, "Welke rol?", ((0, "Sekswerker"), (1, "Hulpverlening"), (2, "Anders"))
    ),
    "inzicht": PromptSpec("inzicht", PromptKind.text, "Wat neem je mee?"),
}


def session(*, group_size: int | None = 20, sealed: bool = True) -> SessionInfo:
    return SessionInfo(
        "ab12cd34ef56ab78", "deck", "h", "nl", "2026-11-20", group_size, sealed, 0, Review.NONE
    )


def rows_of(
    prompt: str, values: Sequence[str | int | None], cards: Sequence[str | None] | None = None
) -> list[StoredReflection]:
    cards = cards or [None] * len(values)
    return [StoredReflection(secrets.token_hex(16), prompt, c, v) for v, c in zip(values, cards, strict=True)]


# --- suppress ---------------------------------------------------------------------------


def test_suppress_hides_small_counts() -> None:
    assert suppress({"a": 7, "b": 5, "c": 0}, 5) == {"a", "b"}


def test_suppress_hides_a_second_cell_so_a_single_small_one_cannot_be_subtracted() -> None:
    # Showing a=6 with a total of 8 would reveal b=2: a is withheld too.
    assert suppress({"a": 6, "b": 2}, 5) == frozenset()
    # With a larger cell to spare, the smallest shown one joins the pool.
    assert suppress({"a": 9, "b": 6, "c": 1}, 5) == {"a"}


def test_suppress_counts_already_withheld_answers_in_the_pool() -> None:
    assert suppress({"a": 9}, 5, pooled=5) == {"a"}
    assert suppress({"a": 9, "b": 6}, 5, pooled=2) == {"a"}


def test_k_is_never_below_three() -> None:
    assert check_k(MIN_K) == 3
    assert DEFAULT_K == 5
    with pytest.raises(UsageError, match="at least 3"):
        check_k(2)
    with pytest.raises(UsageError):
        protect([], SPECS, k=1, group_size=None)


# --- protect and report -------------------------------------------------------------------


def test_prompt_with_fewer_than_k_answers_is_hidden_entirely() -> None:
    rows = rows_of("inzicht", ["een", "twee", "drie", "vier"])
    assert protect(rows, SPECS, k=5, group_size=None) == []
    report = build_report(session(), rows, SPECS, k=5, rng=random.Random(1))
    text = next(p for p in report.prompts if p.id == "inzicht")
    assert text.hidden
    assert text.texts == ()


def test_declared_group_below_k_hides_everything() -> None:
    rows = rows_of("veilig", [4] * 10)
    assert protect(rows, SPECS, k=5, group_size=4) == []
    report = build_report(session(group_size=4), rows, SPECS, k=5, rng=random.Random(1))
    assert report.hidden is Hidden.GROUP
    assert report.prompts == ()


def test_numbers_under_a_prompt_the_deck_now_calls_free_text_stay_protected() -> None:
    """The deck changed since the session (scale -> text): shown as text, the lone "1" was readable."""
    changed = {**SPECS, "veilig": PromptSpec("veilig", PromptKind.text, "Hoe veilig?")}
    rows = rows_of("veilig", [5, 5, 5, 5, 1])
    assert {r.value for r in protect(rows, changed, k=3, group_size=None)} == {None}
    assert infer_specs(rows, changed)["veilig"].kind is PromptKind.scale
    report = build_report(session(), rows, changed, k=3, rng=random.Random(1))
    veilig = next(p for p in report.prompts if p.id == "veilig")
    assert (veilig.kind, veilig.texts, veilig.withheld) == (PromptKind.scale, (), 5)
    texts = rows_of("inzicht", ["5", "5", "1"])  # numbers typed as free text are text
    assert {r.value for r in protect(texts, SPECS, k=3, group_size=None)} == {"5", "1"}


def test_open_session_shows_not_even_counts() -> None:
    """Counts before and after one more person would tell which questions that person skipped."""
    before = rows_of("veilig", [4] * 6) + rows_of("inzicht", ["a", "b", "c", "d", "e"])
    after = before + rows_of("veilig", [2])  # the next person answered the scale, skipped the text
    reports = [
        build_report(session(sealed=False), rows, SPECS, k=5, rng=random.Random(1))
        for rows in (before, after)
    ]
    for report in reports:
        assert report.hidden is Hidden.OPEN
        assert all(p.cells == () and p.texts == () and p.answers is None for p in report.prompts)
    assert reports[0].prompts == reports[1].prompts


def test_scale_distribution_shows_big_cells_and_hides_small_ones() -> None:
    rows = rows_of("veilig", [4] * 6 + [5] * 5 + [1] * 3 + [2] * 2)
    report = build_report(session(), rows, SPECS, k=5, rng=random.Random(1))
    scale = next(p for p in report.prompts if p.id == "veilig")
    assert scale.answers == 16
    assert {c.value: c.count for c in scale.cells} == {1: None, 2: None, 3: None, 4: 6, 5: 5}
    assert scale.withheld == 5


def test_choice_values_saved_as_text_count_like_indexes() -> None:
    rows = rows_of("rol", ["Sekswerker"] * 3 + [0] * 3)
    assert {r.value for r in normalise_choices(rows, SPECS)} == {0}
    report = build_report(session(), rows, SPECS, k=5, rng=random.Random(1))
    choice = next(p for p in report.prompts if p.id == "rol")
    assert [(c.label, c.count) for c in choice.cells] == [
        ("Sekswerker", 6),
        ("Hulpverlening", None),
        ("Anders", None),
    ]


def test_a_withheld_value_the_deck_does_not_define_is_not_listed() -> None:
    rows = rows_of("veilig", [4] * 8 + [9])
    report = build_report(session(), rows, SPECS, k=5, rng=random.Random(1))
    scale = next(p for p in report.prompts if p.id == "veilig")
    assert 9 not in {c.value for c in scale.cells}


def test_small_card_groups_lose_their_card_id() -> None:
    cards = ["woorden"] * 6 + ["media"] * 2 + [None] * 3
    rows = rows_of("veilig", [3] * 11, cards)
    protected = protect(rows, SPECS, k=5, group_size=None)
    assert Counter(r.card_id for r in protected) == {"woorden": 6, None: 5}
    report = build_report(session(), rows, SPECS, k=5, rng=random.Random(1))
    scale = next(p for p in report.prompts if p.id == "veilig")
    assert [(g.card_id, g.answers) for g in scale.by_card] == [("woorden", 6), (None, 5)]


def test_unknown_prompts_are_guessed_from_their_values() -> None:
    rows = rows_of("cijfer", [7, 8]) + rows_of("opmerking", ["a", 3])
    specs = infer_specs(rows, {})
    assert specs["cijfer"].kind is PromptKind.scale
    assert specs["opmerking"].kind is PromptKind.text


def test_unreviewed_flagged_text_is_shown_redacted() -> None:
    texts = ["mooi", "fijn", "goed", "leerzaam", "Bel me op 0612345678"]
    rows = [StoredReflection(secrets.token_hex(16), "inzicht", None, t, flagged="06" in t) for t in texts]
    report = build_report(session(), rows, SPECS, k=5, rng=random.Random(1))
    prompt = next(p for p in report.prompts if p.id == "inzicht")
    assert prompt.redacted == 1
    assert "Bel me op […]" in prompt.texts
    assert not any("0612345678" in t for t in prompt.texts)


# --- properties ---------------------------------------------------------------------------

CARDS = (None, "woorden", "media", "macht")


VALUES: dict[str, st.SearchStrategy[str | int | None]] = {
    "veilig": st.one_of(st.integers(1, 5), st.none()),
    "rol": st.sampled_from([0, 1, 2, "Anders"]),
    "inzicht": st.sampled_from(["a", "b c", "d", "eee"]),
    "onbekend": st.integers(0, 3),
}


@st.composite
def sessions_rows(draw: st.DrawFn) -> tuple[list[StoredReflection], int, int | None]:
    k = draw(st.integers(MIN_K, 8))
    group_size = draw(st.one_of(st.none(), st.integers(1, 40)))
    rows: list[StoredReflection] = []
    for prompt, values in VALUES.items():
        drawn = draw(st.lists(st.tuples(st.sampled_from(CARDS), values), max_size=30))
        rows += [StoredReflection(f"{len(rows) + i:032x}", prompt, c, v) for i, (c, v) in enumerate(drawn)]
    return rows, k, group_size


def _groups_of_protected(rows: Sequence[ProtectedRow], specs: dict[str, PromptSpec]) -> list[int]:
    """Sizes of every group the protected table shows: per prompt, per card, per (card, value)."""
    sizes: list[int] = []
    sizes += Counter(r.prompt_id for r in rows).values()
    sizes += Counter((r.prompt_id, r.card_id) for r in rows).values()
    sizes += Counter(
        (r.prompt_id, r.card_id, r.value) for r in rows if specs[r.prompt_id].kind is not PromptKind.text
    ).values()
    return sizes


def _shown_numbers(report: Report) -> list[int]:
    numbers: list[int] = []
    for p in report.prompts:
        if p.answers is not None:
            numbers.append(p.answers)
        numbers += [c.count for c in p.cells if c.count is not None]
        numbers += [p.withheld] if p.withheld else []
        numbers += [c.count for c in p.bands if c.count is not None]
        band_pool = (p.answers or 0) - sum(c.count or 0 for c in p.bands)
        numbers += [band_pool] if p.bands and band_pool else []
        singles = {c.value: c.count or 0 for c in p.cells}
        for band, values in scale_bands([v for v, _label in SPECS[p.id].values] if p.id in SPECS else []):
            shown = next((c.count for c in p.bands if c.value == band), None)
            unexplained = (shown or 0) - sum(singles.get(v, 0) for v in values)
            numbers += [unexplained] if shown is not None and unexplained else []  # band minus its values
        for g in p.by_card:
            numbers.append(g.answers)
            numbers += [c.count for c in g.cells if c.count is not None]
            numbers += [g.withheld] if g.withheld else []
    return numbers


@settings(max_examples=200, deadline=None)
@given(data=sessions_rows())
def test_every_group_an_export_shows_has_at_least_k_answers(
    data: tuple[list[StoredReflection], int, int | None],
) -> None:
    rows, k, group_size = data
    rows = normalise_choices(rows, SPECS)
    specs = infer_specs(rows, SPECS)
    protected = protect(rows, specs, k=k, group_size=group_size)
    if group_size is not None and group_size < k:
        assert protected == []
    assert all(size >= k for size in _groups_of_protected(protected, specs))
    # Nothing is invented: every protected row is a stored one, with its own prompt and text.
    by_id = {r.id: r for r in rows}
    for row in protected:
        original = by_id[row.id]
        assert row.prompt_id == original.prompt_id
        assert row.card_id in (None, original.card_id)
        assert row.value in (None, original.value)


@settings(max_examples=200, deadline=None)
@given(data=sessions_rows(), sealed=st.booleans())
def test_every_number_a_report_shows_is_at_least_k(
    data: tuple[list[StoredReflection], int, int | None], sealed: bool
) -> None:
    rows, k, group_size = data
    report = build_report(
        session(group_size=group_size, sealed=sealed), rows, SPECS, k=k, rng=random.Random(0)
    )
    assert all(n >= k for n in _shown_numbers(report))
    counts = Counter(r.prompt_id for r in rows)
    for p in report.prompts:
        if p.texts:
            assert counts[p.id] >= k
            assert len(p.texts) == counts[p.id]


def test_free_text_comes_in_a_fresh_random_order_each_time() -> None:
    texts = [f"reflectie {i}" for i in range(60)]
    rows = rows_of("inzicht", texts)
    orders = []
    for _ in range(4):
        report = build_report(session(), rows, SPECS, k=5, rng=secrets.SystemRandom())
        shown = next(p for p in report.prompts if p.id == "inzicht").texts
        assert sorted(shown) == sorted(texts)
        orders.append(shown)
    # Equal orders by chance: (1/60!) per pair; and the stored order is not kept either.
    assert len(set(orders)) == len(orders)
    assert all(list(order) != [str(r.value) for r in rows] for order in orders)


def test_export_rows_are_shuffled_freshly() -> None:
    rows = rows_of("veilig", [3] * 80)
    protected = protect(rows, SPECS, k=5, group_size=None)
    first = shuffled(protected, secrets.SystemRandom())
    second = shuffled(protected, secrets.SystemRandom())
    assert sorted(r.id for r in first) == sorted(r.id for r in protected)
    assert [r.id for r in first] != [r.id for r in second]


def test_a_small_group_gets_bands_and_a_median_where_single_values_are_withheld() -> None:
    """Eight people, k = 5: every single value is below k, but all eight felt fairly safe or safe."""
    rows = rows_of("veilig", [4, 5] * 4)
    report = build_report(session(group_size=8), rows, SPECS, k=5, rng=random.Random(1))
    scale = next(p for p in report.prompts if p.id == "veilig")
    assert {c.value: c.count for c in scale.cells}[4] is None
    assert scale.withheld == 8
    assert [(c.value, c.count) for c in scale.bands] == [("low", None), ("middle", None), ("high", 8)]
    assert scale.median == 4.5
    assert any(c.label == "high (4–5)" for c in scale.bands)


def test_no_bands_when_the_rest_would_be_a_group_below_k() -> None:
    rows = rows_of("veilig", [4, 5] * 4 + [1, 2])  # high 8, low 2: showing high would reveal low
    scale = next(
        p for p in build_report(session(), rows, SPECS, k=5, rng=random.Random(1)).prompts if p.id == "veilig"
    )
    assert scale.bands == ()
    assert scale.median == 4.0  # ten answered: a median is still shown


def test_scale_bands_keep_the_outer_bands_equal() -> None:
    assert scale_bands([1, 2, 3, 4, 5]) == (("low", (1, 2)), ("middle", (3,)), ("high", (4, 5)))
    assert scale_bands(list(range(1, 11))) == (
        ("low", (1, 2, 3)),
        ("middle", (4, 5, 6, 7)),
        ("high", (8, 9, 10)),
    )
    assert scale_bands([1, 2]) == ()


def test_a_band_is_never_shown_where_it_minus_its_single_values_is_below_k() -> None:
    """4: 5 shown; 1: 2, 3: 3 and 5: 2 withheld. "high (4–5): 7" beside "4: 5" would reveal 5: 2."""
    rows = rows_of("veilig", [4] * 5 + [5] * 2 + [3] * 3 + [1] * 2)
    report = build_report(session(), rows, SPECS, k=5, rng=random.Random(1))
    scale = next(p for p in report.prompts if p.id == "veilig")
    assert {c.value: c.count for c in scale.cells} == {1: None, 2: None, 3: None, 4: 5, 5: None}
    assert not any(c.value == "high" and c.count is not None for c in scale.bands)
    assert scale.median == 4.0


def test_answers_withheld_by_an_imported_export_count_as_hidden_for_the_bands() -> None:
    """Found by Hypothesis: 1, 1, 1 and one imported "withheld" with k = 3 must not show "low: 3"."""
    rows = [StoredReflection(f"{i:032x}", "veilig", None, value) for i, value in enumerate([None, 1, 1, 1])]
    report = build_report(session(), rows, SPECS, k=3, rng=random.Random(0))
    scale = next(p for p in report.prompts if p.id == "veilig")
    assert all(c.count is None for c in scale.cells)
    assert scale.bands == ()
