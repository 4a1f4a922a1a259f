"""Found by trying stigmacards as a trainer would: hand-written decks, hostile files, imports, print.

Each test pins one bug that was found and fixed, through the public surface.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from stigmacards.deck.loading import analyse_bytes, analyse_text, load_deck, load_deck_text
from stigmacards.deck.model import localize
from stigmacards.text import is_inert

from ..conftest import DATA, ROOT, Result, one_error_line
from .test_schema import as_json, yaml_data

Cli = Callable[..., Result]

HEAD = "deck: 1\nid: proef\ntitle: Proef\nlanguage: nl\n"
CARD = "cards:\n  - id: een\n    questions:\n      - Wat dacht je eerst?\n      - Waar kwam dat vandaan?\n      - Wat denk je nu?\n"


# --- Reading files: never a hang ------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
@pytest.mark.parametrize("command", [("deck", "import"), ("session", "merge")])
def test_import_and_merge_refuse_a_device(cli: Cli, command: tuple[str, ...]) -> None:
    """/dev/zero never ends: reading it whole ran out of memory (import) or hung (merge)."""
    line = one_error_line(cli(*command, "/dev/zero"), 2)
    assert "not a regular file" in line


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command", [("deck", "import"), ("session", "merge")])
def test_import_and_merge_do_not_wait_on_a_fifo(cli: Cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    fifo = tmp_path / "vragen.csv"
    os.mkfifo(fifo)
    line = one_error_line(cli(*command, str(fifo)), 2)
    assert "not a regular file" in line


# --- A language the deck does not have: said, not silently replaced --------------------------

PARTIAL = (
    HEAD
    + CARD
    + "  - id: twee\n    questions: [Een?, Twee?, Drie?]\n"
    + "translations:\n  en:\n    cards:\n      een: {questions: [First?, Second?, Third?]}\n"
)


@pytest.mark.parametrize(
    "command",
    [
        ("deck", "show"),
        ("deck", "export", "--format", "md"),
        ("deck", "print", "-o", "kaarten.pdf"),
    ],
)
def test_a_language_the_deck_lacks_is_named(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """`deck show/print/export --lang de` printed Dutch without a word; `play` already said so."""
    monkeypatch.chdir(tmp_path)
    deck = tmp_path / "proef.yaml"
    deck.write_text(PARTIAL, encoding="utf-8")
    result = cli(*command[:2], str(deck), *command[2:], "--lang", "de")
    assert result.exit_code == 0, result.stderr
    assert "The deck has no text in de; it is shown in nl." in result.stderr


def test_show_card_lists_only_that_card_as_untranslated(cli: Cli, tmp_path: Path) -> None:
    """`--card een` is translated: no notice about the other cards."""
    deck = tmp_path / "proef.yaml"
    deck.write_text(PARTIAL, encoding="utf-8")
    assert "Not translated" not in cli("deck", "show", str(deck), "--lang", "en", "--card", "een").stderr
    shown = cli("deck", "show", str(deck), "--lang", "en", "--card", "twee")
    assert "Not translated into en, shown in nl: twee" in shown.stderr


def test_deck_list_never_cuts_an_id(cli: Cli, isolated_env: Path) -> None:
    """At 80 columns the ids were cut to 'stigma-sek…': the one thing people type next."""
    decks = isolated_env / "decks"
    decks.mkdir(parents=True)
    long_id = "stigma-op-het-werk-en-in-de-zorg-voor-teams"
    text = HEAD.replace("id: proef", f"id: {long_id}").replace(
        "title: Proef", "title: Een titel van behoorlijk wat woorden lang"
    )
    (decks / "eigen.yaml").write_text(text + CARD, encoding="utf-8")
    result = cli("deck", "list")
    assert result.exit_code == 0, result.stderr
    for deck_id in ("stigma-sekswerk", "stigma-algemeen", long_id):
        assert deck_id in result.stdout


# --- Printing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["A4", "Letter", "LETTER"])
def test_paper_names_are_not_case_sensitive(cli: Cli, tmp_path: Path, paper: str) -> None:
    """`--paper A4` was refused: 'unknown paper 'A4' (choose one of: a4, letter)'."""
    out = tmp_path / "kaarten.pdf"
    result = cli(
        "deck", "print", "stigma-sekswerk", "--cards", "eerste-indruk", "--paper", paper, "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


# --- Messages a trainer can act on ------------------------------------------------------------


def _problems(text: str, *, pure: bool = False) -> list[str]:
    return [p.format() for p in analyse_text(text, "d.yaml", pure=pure).problems]


def _card(*questions: str) -> str:
    return "cards:\n  - id: een\n    questions:\n" + "".join(f"      - {q}\n" for q in questions)


@pytest.mark.parametrize("pure", [False, True])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The line that lacks its ': ' is line 5, not the next one (was reported at 6:1).
        (HEAD + "license:CC-BY-4.0\n" + CARD, "d.yaml:5:1: error SC004 "),
        # A question wrapped onto a line that is not indented further: point at that line.
        (
            HEAD + _card("Wat dacht je", "eerst?", "Hoe?").replace("      - eerst?", "      eerst?"),
            "d.yaml:9:7:",
        ),
    ],
)
def test_a_missing_colon_is_reported_on_its_own_line(text: str, expected: str, pure: bool) -> None:
    (line,) = _problems(text, pure=pure)
    assert line.startswith(expected)
    assert "with a space after the ':'" in line


@pytest.mark.parametrize("pure", [False, True])
@pytest.mark.parametrize(
    ("question", "hint"),
    [
        ("%50 van de mensen?", "text that starts with %, @ or ` must be put in quotes"),
        ("@iedereen: wat denk je?", "text that starts with %, @ or ` must be put in quotes"),
        ("*Echt* waar?", "text that starts with * must be put in quotes"),
        ("& wat dan?", "text that starts with & must be put in quotes"),
        ("!Belangrijk! Wat?", "text that starts with ! must be put in quotes"),
        ("> 18 jaar?", "text that starts with | or > must be put in quotes"),
        ('"Nee" is nee, toch?', "text goes on after a closing quote or bracket"),
        ("[optioneel] Wat denk je?", "text goes on after a closing quote or bracket"),
    ],
)
def test_text_starting_with_a_yaml_indicator_gets_a_quote_hint(question: str, hint: str, pure: bool) -> None:
    """These were reported as bare parser errors ('cannot start any token') without a hint."""
    problems = _problems(HEAD + _card(question, "Waar?", "Hoe?"), pure=pure)
    assert problems
    assert all(":8:" in p for p in problems)
    assert hint in problems[-1]
    assert "<scalar>" not in problems[-1]
    assert "<block end>" not in problems[-1]


def test_an_alias_that_was_meant_as_text_gets_a_quote_hint() -> None:
    problems = _problems(HEAD + _card("*Echt waar?", "Waar?", "Hoe?"))
    assert "put text that starts with * in quotes" in problems[0]


@pytest.mark.parametrize(
    ("title", "hint"),
    [("null", "(write the text; this key is required)"), ("''", "(write the text; this key is required)")],
)
def test_an_empty_required_key_is_not_to_be_removed(title: str, hint: str) -> None:
    """'title: null' got the hint 'write the text, or remove the key': removing it is another error."""
    (line,) = _problems(HEAD.replace("title: Proef", f"title: {title}") + CARD)
    assert line.endswith("'title' is empty " + hint)


def test_empty_questions_ask_for_items() -> None:
    (line,) = _problems(HEAD + "cards:\n  - id: een\n    questions:\n")
    assert line.endswith(
        "card 'een': 'questions' is empty (write the items under it, one '- ' line each; this key is required)"
    )


@pytest.mark.parametrize(
    ("level", "message"),
    [
        ("null", "card 'een': 'level' is empty (write 1, 2 or 3, or remove the line for level 1)"),
        ("yes", "card 'een' has level true/false; level must be 1, 2 or 3 (level is a number: 1, 2 or 3)"),
        ("'2'", "card 'een' has level '2'; level must be 1, 2 or 3 (write the number without quotes)"),
        ("2.0", "card 'een' has level 2.0; level must be 1, 2 or 3 (write a whole number: 2)"),
    ],
)
def test_level_messages_do_not_leak_python(level: str, message: str) -> None:
    """'has level None' and 'has level True' read like a crash report."""
    text = HEAD + CARD.replace("  - id: een\n", f"  - id: een\n    level: {level}\n")
    (line,) = _problems(text)
    assert line.endswith(message)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            HEAD + "cards:\n  - id: een\n    vragen: [a?, b?, c?]\n",
            "(keys are written in English: 'questions')",
        ),
        (HEAD + "titel: Proef\n" + CARD, "(keys are written in English: 'title')"),
        (
            HEAD + CARD + "translations:\n  en:\n    een:\n      questions: [A?, B?, C?]\n",
            "('een' is a card: put it under 'cards:' in this translation)",
        ),
        (
            HEAD
            + "reflection:\n  - {id: rol, kind: text, prompt: Wie?}\n"
            + CARD
            + "translations:\n  en:\n    rol: {prompt: Who?}\n",
            "('rol' is a reflection prompt: put it under 'reflection:' in this translation)",
        ),
    ],
)
def test_unknown_keys_say_what_was_probably_meant(text: str, hint: str) -> None:
    unknown = [p for p in _problems(text) if " SC101 " in p]
    assert len(unknown) == 1
    assert unknown[0].endswith(hint)


def test_a_missing_space_after_a_dash_is_named() -> None:
    (line,) = _problems(
        HEAD + "cards:\n  - id: een\n    questions:\n      -Wat?\n      -Waar?\n      -Hoe?\n"
    )
    assert line.endswith("(put a space after each '-': '- item')")


# --- What the documented format promises ------------------------------------------------------


def test_version_is_text_with_something_in_it() -> None:
    """The docs call `version` text (a visible character); '' was accepted."""
    (line,) = _problems(HEAD + "version: ''\n" + CARD)
    assert " SC105 'version' is empty" in line


def test_a_block_scalar_question_has_no_trailing_line_break(cli: Cli, tmp_path: Path) -> None:
    """`- >` leaves a line break at the end of the text: `deck show` drew a blank line under it."""
    deck = tmp_path / "blok.yaml"
    deck.write_text(
        HEAD + "cards:\n  - id: een\n    questions:\n      - >\n        Wat dacht je\n        eerst?\n"
        "      - Waar?\n      - Hoe?\n",
        encoding="utf-8",
    )
    card = localize(load_deck(deck)).cards[0]
    assert card.questions[0] == "Wat dacht je eerst?"
    shown = cli("deck", "show", str(deck)).stdout.splitlines()
    first = next(i for i, line in enumerate(shown) if "1. Wat dacht je eerst?" in line)
    assert "2. Waar?" in shown[first + 1]


@pytest.mark.parametrize(
    ("translations", "expected"),
    [
        ("  nl:\n    title: Proef (NL)\n", "8:3: error SC105 translation 'nl' is in the deck's own language"),
        ("  NL:\n    title: Proef (NL)\n", "8:3: error SC105 translation 'NL' is in the deck's own language"),
        (
            "  en: {title: Test}\n  EN: {title: Test 2}\n",
            "9:3: error SC106 translation 'EN' repeats translation 'en' (line 8)",
        ),
    ],
)
def test_a_translation_nobody_would_see_is_an_error(translations: str, expected: str) -> None:
    """An `nl:` translation of an `nl` deck was accepted and silently never shown."""
    text = HEAD + "cards:\n  - {id: een, questions: [A?, B?, C?]}\ntranslations:\n" + translations
    (line,) = _problems(text)
    assert line.startswith("d.yaml:" + expected)


def test_a_regional_translation_of_the_same_language_is_fine() -> None:
    text = (
        HEAD + "cards:\n  - {id: een, questions: [A?, B?, C?]}\ntranslations:\n  nl-BE: {title: Proef (BE)}\n"
    )
    assert _problems(text) == []


# --- Import -------------------------------------------------------------------------------------


def _import(cli: Cli, tmp_path: Path, name: str, text: str) -> Result:
    """`deck import` of `text`, written to tmp_path/name, into tmp_path/uit.yaml."""
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return cli("deck", "import", str(source), "-o", str(tmp_path / "uit.yaml"))


def test_import_says_one_question_not_one_questions(cli: Cli, tmp_path: Path) -> None:
    result = _import(cli, tmp_path, "vragen.csv", "vraag1;vraag2;vraag3\nEen?;;\nA?;B?;C?\n")
    assert result.exit_code == 1
    assert "vragen.csv:2: row has 1 question, expected 3" in result.stderr


def test_import_names_a_quote_that_is_never_closed(cli: Cli, tmp_path: Path) -> None:
    """The row swallowed the rest of the file and was reported as 'row has 1 questions'."""
    result = _import(cli, tmp_path, "vragen.csv", 'q1,q2,q3\nA?,B?,C?\n"D?,E?,F?\nG?,H?,I?\n')
    assert result.exit_code == 1
    assert "vragen.csv:3: a double quote opened in this row is never closed" in result.stderr
    assert "import the 1 good card" in result.stderr


def test_import_with_no_good_card_does_not_offer_skip_bad(cli: Cli, tmp_path: Path) -> None:
    """'pass --skip-bad to import the 0 good card(s)' offered nothing."""
    result = _import(cli, tmp_path, "vragen.txt", "Een?\nTwee?\n")
    assert result.exit_code == 1
    assert "--skip-bad" not in result.stderr
    assert "1 row rejected and no good cards: nothing written" in result.stderr


def test_text_import_reads_dutch_theme_lines(cli: Cli, tmp_path: Path) -> None:
    """The CSV importer knew the column "thema's"; a text card with "thema's:" got 4 questions."""
    result = _import(
        cli, tmp_path, "vragen.txt", "titel: Dokter\nthema's: zorg, vertrouwen\nEen?\nTwee?\nDrie?\n"
    )
    assert result.exit_code == 0, result.stderr
    assert load_deck(tmp_path / "uit.yaml").cards[0].tags == ("zorg", "vertrouwen")


@pytest.mark.parametrize(
    ("questions", "where", "chars"),
    [
        ('["Wat denk je?", "你好吗？", "Hoe?"]', "question 2", "你 好 吗 ？"),
        ('["Wat denk je? 🙂", "Waar?", "Hoe?"]', "question 1", "🙂"),
    ],
)
def test_print_refuses_characters_the_font_cannot_draw(
    cli: Cli, tmp_path: Path, questions: str, where: str, chars: str
) -> None:
    """fpdf2 left them out with a warning of its own: a Chinese question printed as a blank line."""
    deck = tmp_path / "uni.yaml"
    deck.write_text(HEAD + f"cards:\n  - id: een\n    questions: {questions}\n", encoding="utf-8")
    out = tmp_path / "kaarten.pdf"
    line = one_error_line(cli("deck", "print", str(deck), "-o", str(out)), 6)
    assert "the card font has no glyph for" in line
    assert f"card 'een' {where}: {chars}" in line
    assert not out.exists()


def test_print_keeps_latin_greek_cyrillic_and_arabic(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "uni.yaml"
    deck.write_text(
        HEAD
        + 'cards:\n  - id: een\n    questions: ["Zürich, Łódź, İstanbul?", "Ελληνικά; Кириллица?", "مرحبا؟"]\n',
        encoding="utf-8",
    )
    result = cli("deck", "print", str(deck), "-o", str(tmp_path / "kaarten.pdf"))
    assert result.exit_code == 0, result.stderr


def test_deal_wraps_a_long_question_under_its_text(cli: Cli, tmp_path: Path) -> None:
    """The second line of a long question started at column 0, under the table names."""
    deck = tmp_path / "lang.yaml"
    long = "Hoe " + "lang " * 30 + "is deze vraag?"
    deck.write_text(HEAD + f"cards:\n  - id: een\n    questions: ['{long}', Waar?, Hoe?]\n", encoding="utf-8")
    result = cli("deal", str(deck), "--tables", "1", "--rounds", "1", "--seed", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("    1. Hoe lang"))
    assert lines[first + 1].startswith("       lang")


# --- Hostile files (their positions are in tests/deck/test_hostile.py) -------------------------------


@pytest.mark.parametrize("name", ["bidi-override-escape.yaml", "escape-sequence-escape.yaml"])
def test_escapes_written_in_yaml_are_inert_when_shown(cli: Cli, name: str) -> None:
    """ "\\u202e" and "\\e[31m" load (they are text), but never reach the terminal."""
    result = cli("deck", "show", str(DATA / "hostile" / name))
    assert result.exit_code == 0, result.stderr
    assert is_inert(result.stdout)
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout


def test_a_file_named_with_spaces_and_unicode_is_reported_by_its_name(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mijn deck ünïcode ☃.yaml"
    path.write_text(HEAD + "cards: []\n", encoding="utf-8")
    result = cli("deck", "validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:5:8: error SC102 deck has no cards")


def test_a_directory_named_like_a_deck_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()
    one_error_line(cli("deck", "validate", str(tmp_path / "x.yaml")), 2)
    one_error_line(cli("deck", "show", str(tmp_path / "x.yaml")), 2)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_a_symlink_to_dev_zero_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    link = tmp_path / "nul.yaml"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in one_error_line(cli("deck", "validate", str(link)), 2)


def test_ten_thousand_duplicate_keys_stop_at_the_problem_cap(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "dubbel.yaml"
    path.write_text(HEAD + CARD + "x-a: 1\n" * 10_000, encoding="utf-8")
    result = cli("deck", "validate", str(path), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [p["code"] for p in problems[:2]] == ["SC009", "SC009"]
    assert problems[-1]["code"] == "SC012"
    assert set(problems[0]) == {"path", "line", "column", "severity", "code", "message", "hint"}


# --- Decks written by hand, exactly as docs/deck-format.md says ---------------------------------

TRAINER = sorted(p for p in (DATA / "trainer").iterdir() if p.suffix in (".yaml", ".yml"))


@pytest.mark.parametrize("path", TRAINER, ids=[p.name for p in TRAINER])
def test_hand_written_decks_are_valid_everywhere(path: Path) -> None:
    """Flow-style prompts with '?', block style, en-GB/nl-BE, CRLF + BOM, x- keys, %YAML, '...'."""
    data = path.read_bytes()
    fast, pure = analyse_bytes(data, path.name), analyse_bytes(data, path.name, pure=True)
    assert fast.errors == []
    assert fast.problems == pure.problems
    assert fast.deck == pure.deck
    schema = json.loads((ROOT / "decks" / "deck.schema.json").read_text(encoding="utf-8"))
    text = data.decode("utf-8-sig")
    assert list(jsonschema.Draft7Validator(schema).iter_errors(as_json(yaml_data(text)))) == []


@pytest.mark.parametrize("path", TRAINER, ids=[p.name for p in TRAINER])
@pytest.mark.parametrize("lang", ["nl", "en", "nl-BE", "en-GB", "fr"])
def test_hand_written_decks_show_in_every_language(cli: Cli, path: Path, lang: str) -> None:
    result = cli("deck", "show", str(path), "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert is_inert(result.stdout)
    assert "Traceback" not in result.stderr


QUESTIONS_YAML_READS_OTHERWISE = [
    "'t Is goed?",
    '"Nee" is nee?',
    "*Echt* waar?",
    "& dan?",
    "!Let op?",
    "%50?",
    "@jij?",
    "`code`?",
    "- lijst?",
    "? vraag",
    ": dubbele punt?",
    "Waar: daar?",
    "Wat is #1?",
    "yes",
    "no",
    "1.0",
    "null",
    "~",
    "[x] of [y]?",
    "{a: b}?",
    "Back\\slash?",
    "Eindigt op een dubbele punt:",
    "<<",
    "---",
    "2024-01-01",
    "Quote ' en \" allebei?",
    "0x1F",
]


def test_imported_questions_mean_what_the_cells_said(cli: Cli, tmp_path: Path) -> None:
    """Cells YAML would read as something else (yes, 1.0, *alias, # comment) stay the same text."""
    qs = QUESTIONS_YAML_READS_OTHERWISE
    rows = ["question1,question2,question3"]
    for i in range(0, len(qs), 3):
        rows.append(",".join('"' + q.replace('"', '""') + '"' for q in qs[i : i + 3]))
    source = tmp_path / "lastig.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    target = tmp_path / "lastig.yaml"
    result = cli("deck", "import", str(source), "-o", str(target), "--lang", "nl")
    assert result.exit_code == 0, result.stderr
    deck = load_deck(target)
    assert [q for card in deck.cards for q in card.questions] == qs


REFLECTING = (
    HEAD
    + "reflection:\n"
    + "  - {id: s, kind: scale, prompt: Hoe?, labels: {1: Niet, 5: Heel}}\n"
    + "  - {id: c, kind: choice, prompt: Wat?, options: [Ja, Nee]}\n"
    + "  - {id: t, kind: text, prompt: Wat nog?}\n"
    + "cards:\n  - {id: een, questions: [A?, B?, C?]}\n"
    + "translations:\n  en:\n    reflection:\n"
)


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        (
            "      s: {labels: {9: Very}}\n",
            "14:20: error SC105 translation 'en' of reflection prompt 's': label 9 is outside the scale 1..5",
        ),
        (
            "      s: {options: [Sure, Never]}\n",
            "14:11: error SC105 translation 'en' of reflection prompt 's' has options, but the prompt is a scale prompt",
        ),
        (
            "      c: {labels: {1: Sure}}\n",
            "14:11: error SC105 translation 'en' of reflection prompt 'c' has labels, but the prompt is a choice prompt",
        ),
        (
            "      t: {options: [Sure, Never]}\n",
            "14:11: error SC105 translation 'en' of reflection prompt 't' has options, but the prompt is a text prompt",
        ),
        (
            "      c: {options: [Sure]}\n",
            "14:20: error SC105 translation 'en' of reflection prompt 'c' has 1 option, the original has 2",
        ),
    ],
)
def test_translated_prompt_parts_the_original_has_not_are_errors(translation: str, expected: str) -> None:
    """A label 9 on a 1..5 scale, or options for a scale, were accepted and never (or wrongly) shown."""
    (line,) = _problems(REFLECTING + translation)
    assert line.startswith("d.yaml:" + expected)


def test_a_label_outside_the_scale_never_reaches_the_localized_prompt() -> None:
    deck = load_deck_text(REFLECTING + "      s: {prompt: How?, labels: {1: Not, 5: Very}}\n")
    (scale,) = [p for p in localize(deck, "en").reflection if p.kind == "scale"]
    assert scale.labels == ((1, "Not"), (5, "Very"))


def test_import_into_a_directory_writes_id_yaml_there(cli: Cli, tmp_path: Path, isolated_env: Path) -> None:
    """`-o DIR` said 'DIR already exists; pass --force', and --force failed: 'Is a directory'."""
    source = tmp_path / "vragen.txt"
    source.write_text("Een?\nTwee?\nDrie?\n", encoding="utf-8")
    decks = isolated_env / "decks"
    decks.mkdir(parents=True)
    result = cli("deck", "import", str(source), "-o", str(decks), "--id", "dinsdag")
    assert result.exit_code == 0, result.stderr
    assert load_deck(decks / "dinsdag.yaml").id == "dinsdag"
    assert "dinsdag" in cli("deck", "list").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("deck", "show", "stigma-sekswerk", "--card", "eerste-indrukk"),
        ("deck", "print", "stigma-sekswerk", "--cards", "eerste-indrukk", "-o", "kaarten.pdf"),
    ],
)
def test_a_mistyped_card_id_gets_a_suggestion(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    line = one_error_line(cli(*args), 2)
    assert line.endswith("(did you mean 'eerste-indruk'?)")
