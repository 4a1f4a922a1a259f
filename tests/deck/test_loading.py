"""The loader: the documented format loads, and every problem has a position."""

from __future__ import annotations

from pathlib import Path

import pytest

from stigmacards.deck.loading import analyse_text, load_deck_text
from stigmacards.deck.model import localize

from ..conftest import DECKS

FULL = """\
# yaml-language-server: $schema=deck.schema.json
deck: 1
id: stigma-sekswerk
title: Sekswerk en stigma
language: nl
description: Een deck.
version: "1.0"
authors: [Iemand]
license: CC-BY-4.0
content_notes: [geweld]
intro: [Je mag altijd passen., Wat hier gezegd wordt blijft hier.]
closing: [Zorg goed voor jezelf., Praat met iemand die je vertrouwt.]
reflection:
  - {id: veilig, kind: scale, prompt: Hoe veilig voelde je je?, min: 1, max: 5, labels: {1: Niet, 5: Heel}}
  - {id: rol, kind: choice, prompt: Wat is je rol?, options: [Sekswerker, Hulpverlener]}
  - {id: inzicht, kind: text, prompt: Wat neem je mee?}
cards:
  - id: eerste-indruk
    title: Eerste indruk
    level: 1
    tags: [vooroordelen]
    content_note: Kan gaan over geweld.
    facilitator_note: Rustig aan.
    questions:
      - Wat dacht je eerst?
      - Waar kwam dat vandaan?
      - Wat denk je nu?
  - id: woorden
    questions:
      - Welke woorden hoor je?
      - Welke gebruik je zelf?
      - Welke doen pijn?
x-editor: free for tools
translations:
  en:
    title: Sex work and stigma
    intro: [You may always pass., What is said here stays here.]
    closing: [Take care of yourself., Talk to someone you trust.]
    reflection: {veilig: {prompt: How safe did you feel?, labels: {1: Not, 5: Very}}, rol: {prompt: Your role?, options: [Sex worker, Social worker]}}
    cards:
      eerste-indruk: {title: First impression, questions: [What did you think first?, Where did it come from?, What now?]}
"""


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_documented_format_loads_as_written(pure: bool) -> None:
    analysis = analyse_text(FULL, "deck.yaml", pure=pure)
    assert analysis.problems == []
    deck = analysis.deck
    assert deck is not None
    assert deck.id == "stigma-sekswerk"
    assert deck.cards[0].content_note == "Kan gaan over geweld."
    assert deck.cards[1].level == 1
    assert deck.reflection[0].prompt == "Hoe veilig voelde je je?"
    assert deck.languages == ("nl", "en")


def test_both_parsers_build_the_same_deck() -> None:
    assert analyse_text(FULL, pure=False).deck == analyse_text(FULL, pure=True).deck


def test_localize_falls_back_per_card() -> None:
    local = localize(load_deck_text(FULL), "en")
    assert local.title == "Sex work and stigma"
    assert local.card("eerste-indruk").questions[0] == "What did you think first?"
    assert local.card("woorden").questions[0] == "Welke woorden hoor je?"
    assert local.untranslated == ("woorden",)
    assert local.reflection[1].options == ("Sex worker", "Social worker")
    assert dict(local.reflection[0].labels) == {1: "Not", 5: "Very"}


def _codes(text: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in analyse_text(text, "d.yaml").problems]


def test_unknown_key_has_did_you_mean_hint() -> None:
    text = FULL.replace("\ncards:", "\ncrads:")
    problems = analyse_text(text, "d.yaml").problems
    unknown = [p for p in problems if p.code == "SC101"]
    assert unknown
    assert "did you mean 'cards'" in unknown[0].hint
    assert (unknown[0].line, unknown[0].column) == (17, 1)


def test_wrong_question_count_is_reported_at_the_list() -> None:
    text = FULL.replace("      - Welke doen pijn?\n", "")
    problems = analyse_text(text, "d.yaml").problems
    assert [(p.line, p.column, p.code) for p in problems] == [(30, 7, "SC103")]
    assert problems[0].message == "card 'woorden' has 2 questions, expected 3"
    assert problems[0].format().startswith("d.yaml:30:7: error SC103 card 'woorden' has 2 questions")


def test_all_problems_are_reported_at_once_in_order() -> None:
    text = FULL.replace("level: 1", "level: 7").replace("id: woorden", "id: eerste-indruk")
    assert _codes(text) == [(20, 12, "SC105"), (28, 9, "SC106")]


def test_every_valid_bundled_deck_loads() -> None:
    paths = sorted(DECKS.glob("*.yaml"))
    assert len(paths) >= 2
    for path in paths:
        analysis = analyse_text(path.read_text(encoding="utf-8"), str(path))
        assert analysis.errors == [], [p.format() for p in analysis.errors]


def test_read_file_positions_use_display_path(tmp_path: Path) -> None:
    from stigmacards.deck.loading import analyse_file

    path = tmp_path / "x.yaml"
    path.write_text("deck: 1\nid: BAD\n", encoding="utf-8")
    problems = analyse_file(path, display="shown.yaml").problems
    assert all(p.path == "shown.yaml" for p in problems)


@pytest.mark.parametrize(
    ("text", "what"), [("- a\n", "a list"), ("hello\n", "text"), ("3\n", "a number"), ("", "empty")]
)
def test_a_file_that_is_not_a_mapping_says_what_it_is(text: str, what: str) -> None:
    problems = analyse_text(text, "d.yaml").problems
    assert [p.code for p in problems] == ["SC100"]
    assert problems[0].message.endswith(f"this file is {what}")
