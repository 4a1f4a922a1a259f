"""A whole deck in one spreadsheet, every language side by side: export, edit, import."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import assume, given

from stigmacards.deck import sheet
from stigmacards.deck.loading import load_deck
from stigmacards.deck.model import Deck
from stigmacards.text import inert

from ..conftest import DATA, DECKS, Cli
from ..fuzzing import fuzz
from .test_loader_properties import decks

BUNDLED = sorted(DECKS.glob("*.yaml"))
TRAINER = sorted(p for p in (DATA / "trainer").iterdir() if p.suffix in (".yaml", ".yml"))


def _round_trip(deck: Deck) -> Deck:
    data, rejected = sheet.parse(sheet.to_csv(deck))
    assert rejected == []
    return msgspec.convert(data, Deck)


@pytest.mark.parametrize("path", BUNDLED + TRAINER, ids=lambda p: p.name)
def test_every_part_of_a_deck_survives_the_sheet(path: Path) -> None:
    deck = load_deck(path)
    back = _round_trip(deck)
    if path.name == "quirky.yml":  # a tab inside a question is printed as a space (text.inert)
        deck = msgspec.structs.replace(
            deck,
            cards=tuple(
                msgspec.structs.replace(c, questions=tuple(q.replace("\t", " ") for q in c.questions))
                for c in deck.cards
            ),
        )
    assert back == deck


def test_one_column_per_language_and_rows_for_every_part() -> None:
    rows = sheet.rows(load_deck(DECKS / "stigma-sekswerk.yaml"))
    assert rows[0] == ["part", "id", "field", "nl", "en"]
    fields = {(r[0], r[2]) for r in rows[1:]}
    for expected in [
        ("deck", "intro"),
        ("deck", "closing"),
        ("deck", "license"),
        ("deck", "description"),
        ("deck", "content_note"),
        ("card", "question1"),
        ("card", "content_note"),
        ("card", "facilitator_note"),
        ("reflection", "prompt"),
        ("reflection", "option"),
    ]:
        assert expected in fields
    intro = next(r for r in rows if r[:3] == ["deck", "", "intro"])
    assert intro[3].startswith("Je mag altijd passen")
    assert intro[4].startswith("You can always pass")


def _sheet(*rows: list[str], delimiter: str = ";") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


DUTCH_SHEET = _sheet(
    ["onderdeel", "id", "veld", "nl", "en"],
    ["deck", "", "id", "werk", ""],
    ["deck", "", "titel", "Werk", "Work"],
    ["deck", "", "inleiding", "Je mag altijd passen.", "You can always pass."],
    ["kaart", "een", "niveau", "2.0", ""],
    ["kaart", "een", "vraag1", "Een?", "One?"],
    ["kaart", "een", "vraag2", "Twee?", "Two?"],
    ["kaart", "een", "vraag3", "Drie?", "Three?"],
)


def test_a_sheet_with_dutch_column_and_field_names_imports() -> None:
    data, rejected = sheet.parse(DUTCH_SHEET)
    assert rejected == []
    deck = msgspec.convert(data, Deck)
    assert (deck.language, deck.cards[0].level, deck.intro) == ("nl", 2, ("Je mag altijd passen.",))
    assert deck.translations["en"].cards["een"].questions == ("One?", "Two?", "Three?")


def test_an_unknown_field_is_named_with_the_accepted_ones() -> None:
    text = DUTCH_SHEET + "kaart;een;opmerking;x;\nkamer;;titel;x;\n"
    _data, rejected = sheet.parse(text)
    assert [line for line, _why in rejected] == [9, 10]
    assert "unknown field 'opmerking' for card; accepted: title (titel), level (niveau)" in rejected[0][1]
    assert "unknown part 'kamer'" in rejected[1][1]


def test_an_edit_in_the_spreadsheet_comes_back(cli: Cli, tmp_path: Path) -> None:
    """The round trip a trainer makes: export, change an English question, import."""
    exported = tmp_path / "deck.csv"
    assert cli("deck", "export", "stigma-algemeen", "-o", str(exported)).exit_code == 0
    deck = load_deck(DECKS / "stigma-algemeen.yaml")
    first = deck.cards[0]
    old = deck.translations["en"].cards[first.id].questions[0]  # type: ignore[index]
    text = exported.read_text(encoding="utf-8-sig").replace(old, "What did you hear first?", 1)
    exported.write_text(text, encoding="utf-8")
    back = tmp_path / "back.yaml"
    result = cli("deck", "import", str(exported), "-o", str(back), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "the languages are the sheet's columns; --lang is not used" in result.stderr
    again = load_deck(back)
    assert again.translations["en"].cards[first.id].questions[0] == "What did you hear first?"  # type: ignore[index]
    assert again.cards == deck.cards


def test_a_mistake_in_the_sheet_is_named_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "werk.csv"
    source.write_text(DUTCH_SHEET.replace("2.0", "5"), encoding="utf-8")
    target = tmp_path / "werk.yaml"
    result = cli("deck", "import", str(source), "-o", str(target))
    assert result.exit_code != 0
    assert "werk.csv: card 'een' has level 5; level must be 1, 2 or 3" in result.stderr
    assert not target.exists()


def test_markdown_export_says_which_language_it_is_in(cli: Cli) -> None:
    """`deck export` wrote the interface's language without a word."""
    result = cli("deck", "export", "stigma-sekswerk", "--format", "md")
    assert result.exit_code == 0
    assert "The handout is in en; choose with --lang." in result.stderr  # the interface language


def _as_the_sheet_keeps_it(value: Any, key: str = "") -> Any:
    """Deck data as the sheet promises to keep it: text through inert(), tags split at '|'."""
    if key == "tags":
        return [part.strip() for tag in value for part in inert(tag).split("|") if part.strip()]
    if isinstance(value, dict):
        return {k: _as_the_sheet_keeps_it(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_the_sheet_keeps_it(v) for v in value]
    return inert(value) if isinstance(value, str) else value


@fuzz(40, share=0.1)
@given(data=decks())
def test_any_valid_deck_survives_the_sheet(data: dict[str, Any]) -> None:
    """Every generated deck comes back as the sheet promises: the property behind the bundled decks."""
    deck = msgspec.convert({k: v for k, v in data.items() if not k.startswith("x-")}, Deck)
    try:
        expected = msgspec.convert(
            _as_the_sheet_keeps_it({k: v for k, v in data.items() if not k.startswith("x-")}), Deck
        )
    except msgspec.ValidationError:
        assume(False)  # a text that was only control characters: not a deck after inert()
        raise
    assert _round_trip(deck) == expected
