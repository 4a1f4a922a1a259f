"""`deck print`, `deck import`, `deck export` through the real CLI entry point."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from stigmacards.deck.loading import load_deck
from stigmacards.deck.model import localize
from stigmacards.errors import ExitCode

from ..conftest import DATA, DECKS, ROOT, Cli

IMPORT = DATA / "import"


def _text(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


def _write_deck(path: Path, question: str) -> Path:
    path.write_text(
        "deck: 1\nid: proef\ntitle: Proef\nlanguage: nl\ncards:\n"
        "  - id: kort\n    questions: [Een?, Twee?, Drie?]\n"
        f"  - id: veel-te-lang\n    questions: [Een?, {json.dumps(question)}, Drie?]\n",
        encoding="utf-8",
    )
    return path


# --- deck print ------------------------------------------------------------------------------


def test_print_writes_a_pdf_and_says_what_it_wrote(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "kaarten.pdf"
    result = cli("deck", "print", "stigma-sekswerk", "-o", str(out), "--lang", "nl", "--per-page", "8")
    deck = load_deck(DECKS / "stigma-sekswerk.yaml")
    assert result.exit_code == 0, result.stderr
    # --lang also chooses the interface language (as for `deck show`)
    assert (
        f"{len(deck.cards)} kaarten en 2 inleidings- en afsluitingskaarten op {-(-(len(deck.cards) + 2) // 8)} "
        "pagina's geschreven" in result.stderr
    )
    assert len(PdfReader(out).pages) == -(-(len(deck.cards) + 2) // 8)
    assert "Voordat we beginnen" in _text(out)
    assert [p.name for p in tmp_path.iterdir()] == ["kaarten.pdf"]


def test_print_options_letter_duplex_cards_and_max_level(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "k.pdf"
    deck = localize(load_deck(DECKS / "stigma-algemeen.yaml"), "en")
    ids = [deck.cards[2].id, deck.cards[0].id]
    result = cli(
        "deck", "print", "stigma-algemeen", "-o", str(out), "--lang", "en", "--paper", "letter",
        "--duplex", "--cards", ",".join(ids), "--no-intro", "--no-closing",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # Without intro and closing the message does not claim them (it said "2 with intro and closing").
    assert f"Wrote 2 cards on 2 pages to {out}" in result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (612, 792)
    text = _text(out)
    assert text.index(deck.cards[2].questions[0]) < text.index(deck.cards[0].questions[0])
    assert cli("deck", "print", "stigma-algemeen", "-o", str(out), "--max-level", "1").exit_code == 0
    assert deck.cards[-1].questions[0] not in _text(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cards", "bestaat-niet"], "bestaat-niet"),
        (["--per-page", "6"], "4, 8"),
        (["--paper", "a5"], "a5"),
        (["--max-level", "4"], "--max-level"),
    ],
)
def test_print_usage_errors(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "k.pdf"
    result = cli("deck", "print", "stigma-sekswerk", "-o", str(out), *args)
    assert result.exit_code == ExitCode.USAGE
    assert message in result.stderr
    assert not out.exists()


def test_a_card_that_does_not_fit_fails_with_its_name_and_leaves_no_pdf(cli: Cli, tmp_path: Path) -> None:
    deck = _write_deck(
        tmp_path / "proef.yaml", ("Wat zou je zeggen als iemand vraagt hoe het gaat? " * 40)[:2000]
    )
    out = tmp_path / "out" / "proef.pdf"
    out.parent.mkdir()
    result = cli("deck", "print", str(deck), "-o", str(out))
    assert result.exit_code == ExitCode.LAYOUT == 6
    assert "'veel-te-lang'" in result.stderr
    assert "question 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.parent.iterdir()) == []
    out.write_bytes(b"the previous print")
    assert cli("deck", "print", str(deck), "-o", str(out)).exit_code == 6
    assert out.read_bytes() == b"the previous print"
    assert list(out.parent.iterdir()) == [out]


def test_print_into_a_missing_directory_is_an_output_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("deck", "print", "stigma-sekswerk", "-o", str(tmp_path / "nope" / "k.pdf"))
    assert result.exit_code == ExitCode.OUTPUT
    assert "cannot write" in result.stderr


# --- deck import -----------------------------------------------------------------------------


def test_import_excel_csv_gives_a_deck_that_validates(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "training.yaml"
    args = ("deck", "import", str(IMPORT / "excel.csv"), "-o", str(out), "--id", "training", "--lang", "nl")
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert "4 kaarten geïmporteerd uit excel.csv (csv)" in result.stderr
    assert cli("deck", "validate", str(out)).exit_code == 0
    deck = load_deck(out)
    assert (deck.id, deck.language, deck.title) == ("training", "nl", "Excel")
    assert [c.id for c in deck.cards] == ["een-vraag", "naieve-ideeen", "eigen-id", "een-vraag-2"]
    first = out.read_bytes()
    assert cli(*args, "--force").exit_code == 0
    assert out.read_bytes() == first, "re-importing the same file gives the same deck"


def test_import_text_and_print_it(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "kaarten.yaml"
    result = cli(
        "deck", "import", str(IMPORT / "cards.txt"), "-o", str(out), "--title", "Dinsdag", "--lang", "nl"
    )
    assert result.exit_code == 0, result.stderr
    assert "(text)" in result.stderr
    pdf = tmp_path / "kaarten.pdf"
    assert cli("deck", "print", str(out), "-o", str(pdf)).exit_code == 0
    assert "Wat zou een zorgverlener “gewoon” moeten weten?" in _text(pdf)


def test_import_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "d.yaml"
    out.write_text("mine")
    result = cli("deck", "import", str(IMPORT / "excel.csv"), "-o", str(out))
    assert result.exit_code == ExitCode.USAGE
    assert "--force" in result.stderr
    assert out.read_text() == "mine"


def test_import_reports_every_rejected_row_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "d.yaml"
    result = cli("deck", "import", str(IMPORT / "broken.csv"), "-o", str(out))
    assert result.exit_code == ExitCode.INVALID
    lines = result.stderr.splitlines()
    for line in ("broken.csv:3: row has 2 questions, expected 3", "broken.csv:4: question 2 is empty"):
        assert line in lines
    assert sum(line.startswith("broken.csv:") for line in lines) == 5
    assert "--skip-bad" in lines[-1]
    assert not out.exists()


def test_import_skip_bad_writes_the_good_cards(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "d.yaml"
    result = cli("deck", "import", str(IMPORT / "broken.txt"), "-o", str(out), "--skip-bad")
    assert result.exit_code == 0, result.stderr
    assert (
        "broken.txt:6: card has 2 questions, expected 3 (one per line; start a title line with 'title:')"
        in result.stderr
    )
    assert "Skipped 2 rejected rows" in result.stderr
    assert [c.questions[0] for c in load_deck(out).cards] == ["Een?", "Weer goed?"]


def test_import_in_dutch(cli: Cli, tmp_path: Path) -> None:
    result = cli("--lang", "nl", "deck", "import", str(IMPORT / "broken.csv"), "-o", str(tmp_path / "d.yaml"))
    assert result.exit_code == 1
    assert "broken.csv:3: regel heeft 2 vragen in plaats van 3" in result.stderr


def test_import_format_detection_override_and_stdout(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "vragen.dat"
    shutil.copy(IMPORT / "excel.csv", source)
    result = cli("deck", "import", str(source), "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert "(csv)" in result.stderr
    assert result.stdout.startswith("# Vragen\n")
    assert "een-vraag-2" in result.stdout
    forced = cli("deck", "import", str(source), "-o", "-", "--format", "text")
    assert forced.exit_code == 1
    assert "vragen.dat:1: card has" in forced.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "Mijn Deck"], "mijn-deck"),
        (["--lang", "nederlands!"], "language tag"),
        (["--format", "xlsx"], "csv or text"),
    ],
)
def test_import_usage_errors(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli("deck", "import", str(IMPORT / "excel.csv"), "-o", str(tmp_path / "d.yaml"), *args)
    assert result.exit_code == ExitCode.USAGE
    assert message in result.stderr


def test_import_missing_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("deck", "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == ExitCode.USAGE
    assert "no such file" in result.stderr


def test_import_defaults_to_id_from_the_file_name_in_the_current_directory(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "Vragen Voorjaar.csv"
    shutil.copy(IMPORT / "excel.csv", source)
    result = cli("deck", "import", str(source))
    assert result.exit_code == 0
    deck = load_deck(tmp_path / "vragen-voorjaar.yaml")
    # Dutch questions made a deck with `language: en` (the interface's) until the language was guessed.
    assert (deck.id, deck.title, deck.language) == ("vragen-voorjaar", "Vragen Voorjaar", "nl")
    assert "language nl (guessed from the questions; choose with --lang)" in result.stderr


# --- deck export -----------------------------------------------------------------------------


def test_export_markdown_to_stdout(cli: Cli) -> None:
    result = cli("deck", "export", "stigma-sekswerk", "--format", "md", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Sex work and stigma\n")
    assert "## Level 2 ●●○" in result.stdout


@pytest.mark.parametrize("separator", [",", ";"])
@pytest.mark.parametrize("name", sorted(p.name for p in DECKS.glob("*.yaml")))
def test_export_csv_then_import_gives_the_same_deck(
    cli: Cli, tmp_path: Path, separator: str, name: str
) -> None:
    """Every language, intro, closing, licence, notes and reflection prompts come back (lossless)."""
    exported = tmp_path / "deck.csv"
    result = cli("deck", "export", str(DECKS / name), "-o", str(exported), "--separator", separator)
    assert result.exit_code == 0, result.stderr
    assert exported.read_bytes().startswith(
        f"\ufeffpart{separator}id{separator}field{separator}nl{separator}en\n".encode()
    )
    back = tmp_path / "back.yaml"
    result = cli("deck", "import", str(exported), "-o", str(back))
    assert result.exit_code == 0, result.stderr
    assert load_deck(back) == load_deck(DECKS / name)


def test_export_rejects_unknown_format(cli: Cli) -> None:
    result = cli("deck", "export", "stigma-sekswerk", "--format", "docx")
    assert result.exit_code == ExitCode.USAGE


# --- Help and start-up -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["print", "import", "export"])
def test_every_command_has_help_with_an_example(cli: Cli, command: str) -> None:
    result = cli("deck", command, "--help")
    assert result.exit_code == 0
    assert "Example: stigmacards deck " + command in result.stdout


def test_validate_and_version_do_not_import_fpdf(tmp_path: Path) -> None:
    """The PDF library is loaded by `deck print` only, never at start-up."""
    script = (
        "import sys\n"
        "from stigmacards.cli import main\n"
        f"code = main(['deck', 'validate', {str(DECKS / 'stigma-sekswerk.yaml')!r}])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'fpdf', 'fontTools', 'PIL', 'pypdf'})\n"
        "print(code, heavy)\n"
    )
    env = {**os.environ, "STIGMACARDS_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "0 []"
    version = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "stigmacards", "--version"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert "stigmacards" in version.stdout
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in version.stderr.splitlines()}
    assert "fpdf" not in imported
    assert "stigmacards" in imported


def test_print_does_import_fpdf_so_the_check_above_can_fail(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from stigmacards.cli import main\n"
        f"main(['deck', 'print', 'stigma-sekswerk', '-o', {str(tmp_path / 'k.pdf')!r}])\n"
        "print('fpdf' in sys.modules)\n"
    )
    env = {**os.environ, "STIGMACARDS_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "True"
    assert PdfReader(io.BytesIO((tmp_path / "k.pdf").read_bytes())).pages


# --- deal --pdf ------------------------------------------------------------------------------


def test_deal_pdf_writes_a_table_pack_matching_the_plan(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tafels.pdf"
    args = ["deal", "stigma-sekswerk", "--tables", "3", "--rounds", "2", "--seed", "42", "--lang", "nl"]
    result = cli(*args, "--format", "json", "--pdf", str(out), "--per-page", "8")
    assert result.exit_code == 0, result.stderr
    assert "6 kaarten voor 3 tafels op 3 pagina's" in result.stderr  # one table per sheet
    plan = json.loads(result.stdout)
    deck = localize(load_deck(DECKS / "stigma-sekswerk.yaml"), "nl")
    text = _text(out)
    for round_ in plan["rounds"]:
        for table in round_["tables"]:
            card = deck.card(table["card"])
            dots = "●" * card.level + "○" * (3 - card.level)
            assert f"{dots} Tafel {table['table']} · Ronde {round_['round']} {card.title}" in text
    assert text.count("Voordat we beginnen") == 3
    # 3 tables × (intro + 2 rounds + closing) = 12 cards, 8 per page, but one table per sheet
    assert len(PdfReader(out).pages) == 3


def test_deal_pdf_letter_in_english(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tables.pdf"
    args = ["deal", "stigma-algemeen", "--tables", "2", "--rounds", "1", "--seed", "1", "--lang", "en"]
    result = cli(*args, "--pdf", str(out), "--paper", "letter")
    assert result.exit_code == 0, result.stderr
    assert "Table 2 · Round 1" in _text(out)
    assert round(float(PdfReader(out).pages[0].mediabox.height)) == 792
