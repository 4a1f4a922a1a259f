"""The model's validation: msgspec's fast path and the field-by-field walk must agree.

A valid deck takes one C call (`msgspec.convert`); an invalid one is walked field by field so a
trainer sees every problem. If the two ever disagreed, an invalid deck could pass, or a valid
one be refused with no message: the properties below mutate a full deck at random places and
check that they agree, and that every problem still has a position and one inert line.

STIGMACARDS_FUZZ_EXAMPLES=20000 (say) runs many fresh random examples (`make fuzz`).
"""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stigmacards.deck.loading import analyse_text
from stigmacards.deck.model import Deck
from stigmacards.deck.validation import structure_errors, validate
from stigmacards.text import is_inert

from ..fuzzing import fuzz
from .test_loading import FULL

FUZZ = fuzz(200)

BASE: dict[str, Any] = analyse_text(FULL, "full.yaml").data

# Values a trainer's typo, YAML's type guessing or a hostile file can put anywhere.
VALUES: list[Any] = [
    None, True, False, 0, 1, 2, 3, 4, -1, 1.5, 2.0, 10**30, "", " ", "\n", "\u00a0", "\u2003", "\u200b",
    "abc", "Abc", "a-", "a--b", "-a", "abc\n", "nl", "nl\n", "en-GB", "en-", "engl", "a b",
    [], ["a"], ["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d"], ["a", "b", "c", "d", "e"], [None],
    ["", "b", "c"], ["a", "", "c", "d"], ["a", "b", "c", {"x": 1}, "e"], [1, 2, 3], [[]], [{}],
    {}, {"a": 1}, {1: "x"}, {"1": "a"}, {-1: "x", 11: "y"}, {"kind": "scale"}, {"kind": "bogus", "id": "x"},
    {"kind": 5}, {"kind": None}, {"kind": ["scale"]}, {"kind": "text", "id": "Bad", "prompt": ""},
    {"id": "x", "questions": ["a", "b", "c"]}, {"id": "a", "questions": ["a", "b", "c"], "level": 0},
    {"id": "x", "kind": "choice", "prompt": "p", "options": ["a"]},
    {"kind": "scale", "id": "s", "prompt": "p", "min": 5, "max": 1, "labels": {9: "x"}},
    {"en": {"title": "x"}}, {"EN": {"cards": {"x": {"questions": ["a"]}}}}, {"True": {}}, {1: {}},
    {1: "a", "b": "c", 2: ""}, {"prompt": 3, "labels": {"a": "b", 1: ""}, "options": "x"},
]  # fmt: skip
KEYS: list[Any] = ["crads", "titel", "kind", "id", 1, "x-free", "questions", "labels", "True", "cards"]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


@st.composite
def mutated_decks(draw: st.DrawFn) -> dict[str, Any]:
    """The full example deck with one to three things changed, removed or added."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)[1:]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        value = copy.deepcopy(draw(st.sampled_from(VALUES)))
        if action == "replace":
            parent[key] = value
        elif action == "remove" and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = value
        else:
            parent.append(value)
    return data


@FUZZ
@given(data=mutated_decks())
def test_the_fast_path_and_the_walk_agree(data: dict[str, Any]) -> None:
    try:
        msgspec.convert(data, Deck)
    except msgspec.ValidationError:
        accepted = False
    else:
        accepted = True
    errors = structure_errors(data)
    assert accepted == (errors == []), errors
    deck, reported = validate(data)
    assert (deck is not None) == accepted
    assert reported == errors


@FUZZ
@given(data=mutated_decks())
def test_mutated_decks_give_positioned_inert_problems(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    analysis = analyse_text(text, "mutated.yaml")
    for problem in analysis.problems:
        assert problem.line >= 1
        assert problem.column >= 1
        assert is_inert(problem.message)
        assert "\n" not in problem.message + problem.hint
    assert (analysis.deck is None) == bool(analysis.errors)


def _messages(text: str) -> list[str]:
    return [p.format() for p in analyse_text(text, "d.yaml").problems]


CARD = "deck: 1\nid: d\ntitle: T\nlanguage: nl\ncards:\n  - id: a\n    questions:\n"


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        # Four questions, one of them wrong: the wrong one is named, not the count (it counts
        # the valid ones, which is three).
        (["a", "b", "c", 4], "d.yaml:11:9: error SC104 card 'a': question 4 must be text, not a number"),
        # Five with one wrong: still too many, and that is the one problem reported for the list.
        (["a", "b", "c", 4, "e"], "d.yaml:8:7: error SC103 card 'a' has 5 questions, expected 3"),
        # Three with one wrong: the list's length is right, only the question is named.
        (["a", "", "c"], "d.yaml:9:9: error SC105 card 'a': question 2 is empty"),
        (["a", "b"], "d.yaml:8:7: error SC103 card 'a' has 2 questions, expected 3"),
    ],
)
def test_list_lengths_count_valid_items(questions: list[Any], expected: str) -> None:
    text = CARD + "".join(f"      - {q if q != '' else chr(34) * 2}\n" for q in questions)
    assert [m.split(" (", 1)[0] for m in _messages(text)] == [expected]


def test_a_mapping_key_that_is_not_text() -> None:
    text = CARD + "      - a\n      - b\n      - c\n    1: x\n"
    assert _messages(text) == [
        "d.yaml:11:5: error SC104 card 'a' has key 1, which must be text (put the text in quotes)"
    ]


def test_an_id_with_a_trailing_newline_is_not_a_slug() -> None:
    """Python's `$` matches before a final newline; the model's patterns end the text."""
    text = "deck: 1\nid: |\n  abc\ntitle: T\nlanguage: nl\ncards:\n  - id: a\n    questions: [a, b, c]\n"
    assert any("SC105 deck id 'abc" in m for m in _messages(text))
    _, errors = validate({**analyse_text(text, "d.yaml").data})
    assert [e["type"] for e in errors] == ["pattern_mismatch"]
