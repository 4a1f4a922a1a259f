"""`deck validate`, `lint`, `show` and `list` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stigmacards.deck.catalog import level_counts
from stigmacards.deck.loading import load_deck
from stigmacards.deck.model import localize

from ..conftest import DECKS
from .test_lint import MIN_CARDS, card, deck

BUNDLED = sorted(DECKS.glob("*.yaml"))
PROBLEM_KEYS = {"path", "line", "column", "severity", "code", "message", "hint"}


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.yaml"
    path.write_text(deck(), encoding="utf-8")
    return path


@pytest.fixture
def styled(tmp_path: Path) -> Path:
    """Valid, but with two style warnings: a question without '?' and no license."""
    cards = [card(f"k{n}") for n in range(MIN_CARDS)]
    cards[0] = card("k0", ("Vertel over je dag.", "B?", "C?"))
    path = tmp_path / "styled.yaml"
    path.write_text(deck(cards, license_=False), encoding="utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    cards = [card(f"k{n}") for n in range(MIN_CARDS)]
    cards[2] = "  - id: k2\n    questions:\n      - Een?\n      - Twee?\n"
    path = tmp_path / "broken.yaml"
    path.write_text(deck(cards), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


# --- validate ---------------------------------------------------------------------------------


def test_validate_valid_deck_exits_0(cli: Any, clean: Path) -> None:
    result = cli("deck", "validate", str(clean))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no problems" in result.stderr


def test_validate_reports_an_error_with_file_line_and_column(cli: Any, broken: Path) -> None:
    result = cli("deck", "validate", str(broken))
    assert result.exit_code == 1
    line = line_of(broken, "- Een?")  # the list starts at its first item
    assert result.stdout.splitlines() == [
        f"{broken}:{line}:7: error SC103 card 'k2' has 2 questions, expected 3 "
        "(every card has exactly three questions, one '- ' line each)"
    ]
    assert "1 error" in result.stderr


def test_validate_allows_warnings_unless_strict(cli: Any, styled: Path) -> None:
    relaxed = cli("deck", "validate", str(styled))
    assert relaxed.exit_code == 0
    assert relaxed.stdout == ""
    strict = cli("deck", "validate", "--strict", str(styled))
    assert strict.exit_code == 1
    assert [line.split()[2] for line in strict.stdout.splitlines()] == ["SC206", "SC202"]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_decks_pass_strict_validation(cli: Any, path: Path) -> None:
    result = cli("deck", "validate", "--strict", str(path))
    assert (result.exit_code, result.stdout) == (0, "")


def test_validate_takes_several_paths_a_directory_and_a_bundled_id(
    cli: Any, clean: Path, broken: Path
) -> None:
    result = cli("deck", "validate", str(clean.parent), "stigma-sekswerk")
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [str(broken)]
    assert "3 decks checked" in result.stderr


def test_validate_json_is_a_list_of_problems(cli: Any, broken: Path, styled: Path) -> None:
    result = cli("deck", "validate", "--strict", "--format", "json", str(broken), str(styled))
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert isinstance(problems, list)
    assert {frozenset(p) for p in problems} == {frozenset(PROBLEM_KEYS)}
    assert [(p["path"], p["severity"], p["code"]) for p in problems] == [
        (str(broken), "error", "SC103"),
        (str(styled), "warning", "SC206"),
        (str(styled), "warning", "SC202"),
    ]
    assert all(isinstance(p["line"], int) and isinstance(p["column"], int) for p in problems)


def test_validate_json_of_a_valid_deck_is_an_empty_list(cli: Any, clean: Path) -> None:
    result = cli("deck", "validate", "--format", "json", str(clean))
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


@pytest.mark.parametrize(
    "args",
    [
        ("deck", "validate", "no-such-file.yaml"),
        ("deck", "lint", "no-such-file.yaml"),
        ("deck", "validate", "no-such-deck-id"),
        ("deck", "validate", "--format", "xml", "x.yaml"),
        ("deck", "validate"),
    ],
    ids=["missing file", "lint missing file", "unknown id", "bad format", "no path"],
)
def test_usage_errors_exit_2_without_traceback(cli: Any, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_missing_file_is_one_line(cli: Any) -> None:
    result = cli("deck", "validate", "no-such-file.yaml")
    assert result.stderr == "stigmacards: no-such-file.yaml: no such file\n"


# --- lint ---------------------------------------------------------------------------------------


def test_lint_clean_deck_exits_0(cli: Any, clean: Path) -> None:
    result = cli("deck", "lint", str(clean))
    assert (result.exit_code, result.stdout) == (0, "")


def test_lint_warnings_exit_1(cli: Any, styled: Path) -> None:
    result = cli("deck", "lint", str(styled))
    assert result.exit_code == 1
    line = line_of(styled, '"Vertel over je dag."')
    assert result.stdout.splitlines() == [
        f"{styled}:1:1: warning SC206 deck has no license "
        "(add e.g. 'license: CC-BY-4.0' so others know whether they may share and adapt it)",
        f"{styled}:{line}:9: warning SC202 card 'k0': question 1 does not end with '?' "
        "(phrase it as a question, so every table knows what to answer)",
    ]
    assert "0 errors, 2 warnings" in result.stderr


def test_lint_shows_why_an_invalid_deck_cannot_be_linted(cli: Any, broken: Path) -> None:
    result = cli("deck", "lint", str(broken))
    assert result.exit_code == 1
    assert " error SC103 " in result.stdout


def test_lint_json(cli: Any, styled: Path) -> None:
    result = cli("deck", "lint", "--format", "json", str(styled))
    assert result.exit_code == 1
    assert [p["code"] for p in json.loads(result.stdout)] == ["SC206", "SC202"]


# --- show ---------------------------------------------------------------------------------------


def test_show_one_card_of_a_bundled_deck(cli: Any) -> None:
    source = load_deck(DECKS / "stigma-sekswerk.yaml")
    chosen = source.cards[1]
    result = cli("deck", "show", "stigma-sekswerk", "--card", chosen.id, "--lang", source.language)
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    for question in chosen.questions:
        assert " ".join(question.split()) in flat
    others = [c for c in source.cards if c.id != chosen.id]
    assert not any(" ".join(c.questions[0].split()) in flat for c in others)


def test_show_a_bundled_deck_in_english(cli: Any) -> None:
    english = localize(load_deck(DECKS / "stigma-sekswerk.yaml"), "en")
    assert english.untranslated == ()
    result = cli("deck", "show", "stigma-sekswerk", "--lang", "en")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert english.title in flat
    assert " ".join(english.cards[-1].questions[2].split()) in flat
    assert "Not translated" not in result.stderr


def test_show_unknown_card_is_a_usage_error(cli: Any) -> None:
    result = cli("deck", "show", "stigma-sekswerk", "--card", "no-such-card")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1


def test_show_unknown_deck_is_one_line_exit_2(cli: Any) -> None:
    result = cli("deck", "show", "no-such-deck")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "no-such-deck" in lines[0]
    assert "stigma-sekswerk" in lines[0]  # it says what is available


def test_show_warns_on_stderr_about_untranslated_cards(cli: Any, tmp_path: Path) -> None:
    translated = "translations:\n  en:\n    cards:\n      k0:\n        questions: [One?, Two?, Three?]\n"
    path = tmp_path / "partial.yaml"
    path.write_text(deck([card("k0"), card("k1"), card("k2")], extra=translated), encoding="utf-8")
    result = cli("deck", "show", str(path), "--lang", "en")
    assert result.exit_code == 0
    assert "One?" in result.stdout
    assert "Not translated into en" in result.stderr
    assert "k1, k2" in result.stderr
    assert "k1" not in result.stdout.split("One?")[0]


def test_show_invalid_deck_is_exit_1_with_the_first_problem(cli: Any, broken: Path) -> None:
    result = cli("deck", "show", str(broken))
    assert result.exit_code == 1
    assert "SC103" in result.stderr
    assert "Traceback" not in result.stderr


# --- list ---------------------------------------------------------------------------------------


@pytest.fixture
def user_decks(isolated_env: Path) -> Path:
    decks = isolated_env / "decks"
    decks.mkdir(parents=True)
    (decks / "eigen.yaml").write_text(
        deck([card("k0"), card("k1")]).replace("id: lint-test", "id: eigen-deck"), encoding="utf-8"
    )
    (decks / "kapot.yaml").write_text("deck: 1\nid: kapot\ncards: [\n", encoding="utf-8")
    return decks


def test_list_json_shows_bundled_and_user_decks_with_levels(cli: Any, user_decks: Path) -> None:
    result = cli("deck", "list", "--format", "json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    for path in BUNDLED:
        bundled = load_deck(path)
        row = rows[bundled.id]
        assert row["source"] == "bundled"
        assert row["languages"] == list(bundled.languages)
        assert row["levels"] == {str(k): v for k, v in level_counts(bundled).items()}
        assert row["status"] == "ok"
    assert rows["eigen-deck"]["source"] == "yours"
    assert rows["eigen-deck"]["levels"] == {"1": 2, "2": 0, "3": 0}
    assert rows["kapot"]["status"].startswith("invalid")


def test_list_table_shows_counts_per_level(
    cli: Any, user_decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # at 80 columns rich shortens the ids (see the report)
    result = cli("deck", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for path in BUNDLED:
        bundled = load_deck(path)
        counts = "/".join(str(level_counts(bundled)[level]) for level in (1, 2, 3))
        row = next(line for line in lines if bundled.id in line)
        assert counts in row
    assert any("eigen-deck" in line and "2/0/0" in line for line in lines)
    assert any("kapot" in line and "invalid" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_a_missing_file_among_others_stops_before_any_output(cli: Any, broken: Path) -> None:
    """A typo in one path is a usage error (2), not a half report on the other decks."""
    result = cli("deck", "validate", str(broken), str(broken.parent / "missing.yaml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"stigmacards: {broken.parent / 'missing.yaml'}: no such file"]


def test_output_about_hostile_text_is_inert_in_text_and_json(cli: Any, tmp_path: Path) -> None:
    """A key written with escapes (CSI, bidi override) is reported, never sent raw to the terminal."""
    from stigmacards.text import is_inert

    path = tmp_path / "evil.yaml"
    path.write_text(deck().replace("cards:", '"x\\x9b31m\\u202eevil\\e[2J": 1\ncards:'), encoding="utf-8")
    text = cli("deck", "validate", str(path))
    assert text.exit_code == 1
    assert " SC101 " in text.stdout
    assert is_inert(text.stdout)
    assert "\x1b" not in text.stdout
    as_json = cli("deck", "validate", "--format", "json", str(path))
    assert is_inert(as_json.stdout)
    (problem,) = json.loads(as_json.stdout)
    assert problem["code"] == "SC101"
    assert "evil" in problem["message"]
