"""Style warnings (SC201–SC206): each fires on its own, at the value it is about."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stigmacards.deck.lint import MAX_QUESTION_LENGTH, MIN_CARDS, ends_as_question, lint
from stigmacards.deck.loading import analyse_text
from stigmacards.deck.problems import CODES, Severity

from ..conftest import DECKS


def card(cid: str, questions: tuple[str, str, str] | None = None, *, title: str | None = None) -> str:
    qs = questions or (f"Wat denk je over {cid}?", f"Waarom {cid}?", f"Wat doe je met {cid}?")
    lines = [f"  - id: {cid}"]
    if title:
        lines.append(f"    title: {title}")
    lines.append("    questions:")
    lines.extend(f'      - "{q}"' for q in qs)
    return "\n".join(lines) + "\n"


def deck(cards: list[str] | None = None, *, license_: bool = True, extra: str = "") -> str:
    """A deck with MIN_CARDS distinct cards (or the given ones) that lints clean."""
    body = cards if cards is not None else [card(f"k{n}") for n in range(MIN_CARDS)]
    head = "deck: 1\nid: lint-test\ntitle: Lint\nlanguage: nl\n"
    if license_:
        head += "license: CC-BY-4.0\n"
    return head + "cards:\n" + "".join(body) + extra


def warnings(text: str) -> list[tuple[int, int, str]]:
    analysis = analyse_text(text, "d.yaml")
    assert analysis.errors == [], [p.format() for p in analysis.errors]
    found = lint(analysis)
    assert all(p.severity is Severity.WARNING for p in found)
    return [(p.line, p.column, p.code) for p in found]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Line and column (1-based) where the nth occurrence of `needle` starts in `text`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def messages(text: str, code: str) -> list[str]:
    return [p.message for p in lint(analyse_text(text, "d.yaml")) if p.code == code]


def test_a_clean_deck_has_no_warnings() -> None:
    assert warnings(deck()) == []


def test_bundled_decks_have_no_warnings() -> None:
    """The bundled decks must pass `deck validate --strict`."""
    for path in sorted(DECKS.glob("*.yaml")):
        analysis = analyse_text(path.read_text(encoding="utf-8"), str(path))
        assert analysis.deck is not None
        assert [p.format() for p in lint(analysis)] == []


def test_invalid_deck_is_not_linted() -> None:
    analysis = analyse_text("deck: 1\nid: x\n", "d.yaml")
    assert analysis.errors
    assert lint(analysis) == []


def test_long_question_is_reported_at_the_question() -> None:
    long_q = "Wat " + "heel " * 30 + "lang?"
    cards = [card(f"k{n}") for n in range(MIN_CARDS)]
    cards[1] = card("k1", ("Kort?", long_q, "Ook kort?"))
    text = deck(cards)
    assert warnings(text) == [(*at(text, f'"{long_q}"'), "SC201")]
    assert messages(text, "SC201") == [
        f"card 'k1': question 2 is {len(long_q)} characters long, more than 120"
    ]


def test_question_of_exactly_the_limit_is_fine() -> None:
    limit_q = "W" * (MAX_QUESTION_LENGTH - 1) + "?"
    cards = [card(f"k{n}") for n in range(MIN_CARDS)]
    cards[0] = card("k0", (limit_q, "B?", "C?"))
    assert warnings(deck(cards)) == []


def test_missing_question_mark_names_card_and_question() -> None:
    cards = [card(f"k{n}") for n in range(MIN_CARDS)]
    cards[0] = card("k0", ("Vertel over je dag.", "B?", "C?"))
    text = deck(cards)
    assert warnings(text) == [(*at(text, '"Vertel over je dag."'), "SC202")]
    assert messages(text, "SC202") == ["card 'k0': question 1 does not end with '?'"]


@pytest.mark.parametrize(
    "text",
    [
        "Wat denk je?",
        "Wat denk je?  ",
        "Hij vroeg: ‘Waarom?’",
        "Zij vroeg: “Waarom?”",
        "Hij vroeg: „Waarom?“",
        'He asked: "Why?"',
        "He asked: 'why?'",
        "(Waarom?)",
        "[Waarom?]",
        "Waarom?»",
        "你怎么看？",
        "ما رأيك؟",
    ],
)
def test_question_marks_that_end_a_question(text: str) -> None:
    assert ends_as_question(text)


@pytest.mark.parametrize("text", ["Vertel.", "Waarom? Vertel.", "Echt?!", "(Waarom)", "", "?x"])
def test_texts_that_do_not_end_as_a_question(text: str) -> None:
    assert not ends_as_question(text)


def test_same_question_twice_ignores_case_and_spacing() -> None:
    cards = [card(f"k{n}") for n in range(MIN_CARDS)]
    cards[3] = card("k3", ("  wat DENK je   over k0 ?", "Anders?", "Nog anders?"))
    text = deck(cards)
    assert warnings(text) == [(*at(text, '"  wat DENK'), "SC203")]
    first_line = at(text, '"Wat denk je over k0?"')[0]
    assert messages(text, "SC203") == [
        f"card 'k3': question 1 is the same as card 'k0' question 1 (line {first_line})"
    ]


def test_same_question_twice_within_one_card() -> None:
    cards = [card(f"k{n}") for n in range(MIN_CARDS)]
    cards[0] = card("k0", ("Hoe?", "Waarom?", "Hoe?"))
    text = deck(cards)
    assert warnings(text) == [(*at(text, '"Hoe?"', nth=1), "SC203")]
    assert messages(text, "SC203") == [
        f"card 'k0': question 3 is the same as question 1 (line {at(text, 'Hoe?')[0]})"
    ]


TRANSLATIONS = """translations:
  en:
    title: Lint
    cards:
{cards}"""


def _translated(ids: list[str], questions: dict[str, list[str]] | None = None) -> str:
    rows = []
    for cid in ids:
        qs = (questions or {}).get(cid, [f"What about {cid}?", f"Why {cid}?", f"What do you do with {cid}?"])
        rows.append(f"      {cid}:\n        questions:\n" + "".join(f'          - "{q}"\n' for q in qs))
    return TRANSLATIONS.format(cards="".join(rows))


def test_duplicates_are_per_language() -> None:
    """The same text in the deck's language and in a translation is not a repeat."""
    ids = [f"k{n}" for n in range(MIN_CARDS)]
    same_as_dutch = {"k0": ["Wat denk je over k0?", "Why k0?", "And then k0?"]}
    assert warnings(deck(extra=_translated(ids, same_as_dutch))) == []
    repeated = {"k1": ["What about k0?", "Why k1?", "And then k1?"]}
    text = deck(extra=_translated(ids, repeated))
    first_line = at(text, '"What about k0?"')[0]
    assert warnings(text) == [(*at(text, '"What about k0?"', nth=1), "SC203")]
    assert messages(text, "SC203") == [
        f"translation 'en' of card 'k1': question 1 is the same as card 'k0' question 1 (line {first_line})"
    ]


def test_missing_translations_are_one_warning_per_language_at_the_translation() -> None:
    ids = [f"k{n}" for n in range(MIN_CARDS)]
    text = deck(extra=_translated(ids[:-3]))
    found = warnings(text)
    assert found == [(*at(text, "en:"), "SC204")]  # the `en:` key
    assert messages(text, "SC204") == ["translation 'en' lacks 3 cards: k9, k10, k11"]


def test_untranslated_deck_texts_are_named() -> None:
    ids = [f"k{n}" for n in range(MIN_CARDS)]
    text = deck(extra=_translated(ids)).replace(
        "title: Lint\nlanguage", "title: Lint\nintro: [Je mag passen.]\nlanguage"
    )
    assert messages(text, "SC204") == ["translation 'en' lacks: intro"]


def test_complete_translation_has_no_warning() -> None:
    ids = [f"k{n}" for n in range(MIN_CARDS)]
    assert warnings(deck(extra=_translated(ids))) == []


def test_few_cards_is_reported_at_the_cards_key() -> None:
    text = deck([card(f"k{n}") for n in range(MIN_CARDS - 1)])
    assert warnings(text) == [(*at(text, "cards:"), "SC205")]
    assert messages(text, "SC205")[0].startswith(f"deck has {MIN_CARDS - 1} cards;")


def test_missing_license_is_reported_once() -> None:
    text = deck(license_=False)
    assert warnings(text) == [(1, 1, "SC206")]
    assert messages(text, "SC206") == ["deck has no license"]


def test_warnings_come_sorted_by_position() -> None:
    cards = [card("k0", ("A.", "B.", "A."))]
    found = warnings(deck(cards, license_=False))
    assert found == sorted(found)
    assert [code for _, _, code in found] == ["SC206", "SC205", "SC202", "SC202", "SC202", "SC203"]


@given(st.text(min_size=1, max_size=150).filter(lambda s: s.strip()))
def test_lint_never_fails_on_any_question_text(question: str) -> None:
    """Whatever a valid deck says, lint returns warnings rather than raising."""
    from stigmacards.deck.skeleton import quote

    text = deck([card("k0", (question, "B?", "C?")).replace(f'"{question}"', quote(question))])
    analysis = analyse_text(text, "d.yaml")
    if analysis.deck is not None:
        for problem in lint(analysis):
            assert problem.line >= 1


_KEYS = [
    "deck", "id", "title", "language", "cards", "questions", "level", "tags", "reflection", "kind",
    "prompt", "min", "max", "labels", "options", "translations", "en", "intro", "closing", "x-a", "crads",
]  # fmt: skip
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=False), st.text(max_size=8),
    st.sampled_from(["scale", "choice", "text", "nl", "en", "k-1", "Wat?", ""]),
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.integers(0, 6), inner, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {"deck": st.just(1), "id": st.just("x"), "title": st.just("T"), "language": st.just("nl")},
        optional=dict.fromkeys(_KEYS[4:], _values),
    )
)
@example(  # a list where a card id should be, with an unknown key under translations (was a TypeError)
    {
        "deck": 1,
        "id": "x",
        "title": "T",
        "language": "nl",
        "cards": [{"id": []}],
        "translations": {"deck": {"deck": None}},
    }
)
def test_any_deck_shaped_data_gives_problems_not_exceptions(data: dict[str, object]) -> None:
    """Every mistake becomes a positioned problem with a message; nothing in the wording raises."""
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    analysis = analyse_text(text, "d.yaml")
    for problem in [*analysis.problems, *lint(analysis)]:
        assert problem.message
        assert problem.code in CODES
        assert problem.line >= 1
