"""Properties of the loader on arbitrary input (Hypothesis).

By default a modest number of examples, derandomized so CI is reproducible; set
STIGMACARDS_FUZZ_EXAMPLES=20000 (say) to fuzz for real with fresh random examples.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stigmacards.deck.loading import analyse_bytes, analyse_text, c_loader_available, load_deck_text
from stigmacards.deck.model import SLUG_PATTERN, Deck
from stigmacards.errors import DeckError
from stigmacards.text import is_inert

from ..fuzzing import fuzz

LOADER = fuzz(150)
# Generating whole decks is the slow part (~70 ms an example): fewer of them, in CI and fuzzing.
DECKS = fuzz(40, share=0.1)
needs_libyaml = pytest.mark.skipif(not c_loader_available(), reason="libyaml is not installed")

# Text that gets the parsers past the first character: YAML's indicators, breaks, tabs, quotes,
# escapes, a few words and non-ASCII.
_PIECES = [
    *"ab:-?[]{},#&*!|>'\"%@`\\ \t\n\r\u00e9x0123.~<=",
    *("a: ", "- ", "\n  ", ": ", "\r\n", "  - ", "id: ", "中", "😀", '"\\u00e9"', "'it''s'", "|\n"),
    *(">-\n", "---\n", "...\n", "!!str ", "&a ", "*a", "? ", "%YAML 1.1\n", "\\x1b", '"\\e[1m"'),
    *("deck: 1\n", "cards:\n", "questions: "),
]
YAMLISH = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _check(analysis: Any) -> None:
    """What every analysis promises: positioned, single-line, inert problems; a deck only if valid."""
    for problem in analysis.problems:
        assert problem.line >= 0
        assert problem.column >= 0
        assert is_inert(problem.message)
        assert "\n" not in problem.message + problem.hint
    assert analysis.deck is None or not analysis.errors


@LOADER
@given(text=st.text(), pure=st.booleans())
def test_any_text_gives_problems_not_exceptions(text: str, pure: bool) -> None:
    _check(analyse_text(text, "fuzz.yaml", pure=pure))


@LOADER
@given(text=YAMLISH, pure=st.booleans())
def test_yamlish_text_gives_problems_not_exceptions(text: str, pure: bool) -> None:
    _check(analyse_text(text, "fuzz.yaml", pure=pure))


@LOADER
@given(data=st.binary())
def test_any_bytes_give_problems_not_exceptions(data: bytes) -> None:
    _check(analyse_bytes(data, "fuzz.yaml"))
    _check(analyse_bytes(b"\xef\xbb\xbf" + data, "fuzz.yaml", pure=True))


@LOADER
@given(text=st.one_of(st.text(), YAMLISH))
def test_load_deck_text_raises_only_deck_error(text: str) -> None:
    try:
        load_deck_text(text)
    except DeckError as exc:
        error = exc
    else:
        return
    assert error.problems
    assert "\n" not in str(error)


@needs_libyaml
@LOADER
@given(text=YAMLISH)
def test_both_parsers_agree_on_yamlish_text(text: str) -> None:
    fast = analyse_text(text, "fuzz.yaml", pure=False)
    pure = analyse_text(text, "fuzz.yaml", pure=True)
    assert fast.problems == pure.problems
    assert fast.data == pure.data
    if not fast.problems:
        assert fast.positions == pure.positions
        assert fast.key_positions == pure.key_positions


# --- Valid decks: built as data, written by yaml.safe_dump, read back -----------------------

# What YAML 1.1 calls a line break but editors do not; the loader refuses them raw.
_NOT_IN_DECKS = "\x85\u2028\u2029"
WORDS = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=_NOT_IN_DECKS),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")
SLUGS = st.from_regex(SLUG_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 20)
LANGS = st.sampled_from(["nl", "en", "en-GB", "fr", "ar", "tr"])


@st.composite
def cards(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    result = []
    for card_id in ids:
        card: dict[str, Any] = {"id": card_id, "questions": draw(st.lists(WORDS, min_size=3, max_size=3))}
        if draw(st.booleans()):
            card["title"] = draw(WORDS)
        if draw(st.booleans()):
            card["level"] = draw(st.integers(1, 3))
        if draw(st.booleans()):
            card["tags"] = draw(st.lists(WORDS, max_size=3))
        if draw(st.booleans()):
            card["content_note"] = draw(WORDS)
        result.append(card)
    return result


@st.composite
def prompts(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(SLUGS, max_size=3, unique=True))
    result = []
    for prompt_id in ids:
        kind = draw(st.sampled_from(["scale", "choice", "text"]))
        prompt: dict[str, Any] = {"id": prompt_id, "kind": kind, "prompt": draw(WORDS)}
        if kind == "scale":
            low = draw(st.integers(0, 3))
            high = draw(st.integers(low + 1, low + 10))
            prompt |= {"min": low, "max": high, "labels": {low: draw(WORDS), high: draw(WORDS)}}
        elif kind == "choice":
            prompt["options"] = draw(st.lists(WORDS, min_size=2, max_size=4))
        result.append(prompt)
    return result


@st.composite
def decks(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(SLUGS, min_size=1, max_size=5, unique=True))
    language = draw(LANGS)
    deck: dict[str, Any] = {
        "deck": 1,
        "id": draw(SLUGS),
        "title": draw(WORDS),
        "language": language,
        "intro": draw(st.lists(WORDS, max_size=3)),
        "closing": draw(st.lists(WORDS, max_size=3)),
        "reflection": draw(prompts()),
        "cards": draw(cards(ids)),
    }
    if draw(st.booleans()):
        deck["description"] = draw(WORDS)
    if draw(st.booleans()):
        deck["x-editor"] = {"anything": [1, 2, {"goes": None}]}
    other = draw(LANGS.filter(lambda tag: tag != language))
    translated = draw(st.lists(st.sampled_from(ids), unique=True))
    if translated:
        deck["translations"] = {
            other: {
                "title": draw(WORDS),
                "cards": {
                    card_id: {"questions": draw(st.lists(WORDS, min_size=3, max_size=3))}
                    for card_id in translated
                },
            }
        }
    return deck


@needs_libyaml
@DECKS
@given(
    deck=decks(),
    flow=st.sampled_from([False, None]),
    width=st.sampled_from([80, 10_000]),
    line_break=st.sampled_from(["\n", "\r\n"]),
)
def test_valid_decks_load_the_same_under_both_parsers(
    deck: dict[str, Any], flow: bool | None, width: int, line_break: str
) -> None:
    """A deck written by yaml.safe_dump loads, identically under both parsers, as the model says."""
    text = yaml.safe_dump(
        deck, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=width, line_break=line_break
    )
    fast = analyse_text(text, "gen.yaml", pure=False)
    pure = analyse_text(text, "gen.yaml", pure=True)
    assert fast.problems == [], [p.format() for p in fast.problems]
    assert pure.problems == []
    # Every key and value at the same place, so lint warnings point at the same place too.
    assert fast.positions == pure.positions
    assert fast.key_positions == pure.key_positions
    expected = msgspec.convert({k: v for k, v in deck.items() if not k.startswith("x-")}, Deck)
    assert fast.deck == expected
    assert pure.deck == expected
