"""Issue 14: designed cards, hyphenation, one size per sheet, one table per sheet, the print
language, and the ready-to-print check — read back from the PDFs with pypdf, and through the CLI."""

from __future__ import annotations

import dataclasses
import io
import re
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from stigmacards.deck.loading import load_deck
from stigmacards.deck.model import LocalCard, LocalDeck, localize
from stigmacards.errors import ExitCode
from stigmacards.printing import cards as printing
from stigmacards.printing import fitting
from stigmacards.printing.cards import PrintOptions
from stigmacards.printing.faces import card_face
from stigmacards.printing.fonts import Metrics
from stigmacards.printing.words import break_points

from ..conftest import DECKS, Cli
from .test_printing import _card

LONG_WORDS = (
    "Wat betekent ervaringsdeskundigheid voor jou, als sekswerker of als buur?",
    "Wat weet een arbeidsongeschiktheidsverzekeringsmaatschappijmedewerker over sekswerk?",
    "Wie noemt zich ervaringsdeskundige, en wie niet?",
)


def _dutch() -> LocalDeck:
    return localize(load_deck(DECKS / "stigma-sekswerk.yaml"), "nl")


def _long_card(card_id: str = "lange-woorden", *, level: int = 2) -> LocalCard:
    return _card(card_id, LONG_WORDS, title="Ervaringsdeskundigheid", level=level)


def _runs(page: object) -> list[tuple[str, float, float, float]]:
    """(text, x mm, y mm from the top, font size) of every text run on a pypdf page."""
    found: list[tuple[str, float, float, float]] = []
    height = float(page.mediabox.height)  # type: ignore[attr-defined]

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x * 25.4 / 72, (height - y) * 25.4 / 72, float(size)))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


def _lines(data: bytes) -> list[str]:
    return [line for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]


def _assert_breaks_only_at_hyphenation_points(lines: list[str], texts: tuple[str, ...]) -> None:
    """Every word split over lines is one of `texts`' words, split only at its hyphenation points."""
    words = {w for text in texts for w in text.split()}
    chain, cuts, checked = "", [], 0
    for line in lines:
        tokens = line.split()
        if not tokens:
            continue
        if chain:  # the previous line ended in a broken word: this line's first token goes on
            first = tokens[0]
            if len(tokens) == 1 and first.endswith("-"):
                chain += first[:-1]
                cuts.append(len(chain))
                continue
            word = chain + first
            assert word in words, word
            assert set(cuts) <= set(break_points(word, "nl")), (word, cuts)
            checked += 1
            chain, cuts = "", []
            if len(tokens) == 1:
                continue
        last = tokens[-1]
        if last.endswith("-") and len(last) > 1:
            chain = last[:-1]
            cuts = [len(chain)]
    assert checked, "the long words were never broken: the test proves nothing"


@pytest.mark.parametrize("per_page", [4, 8])
def test_long_dutch_words_break_only_at_hyphenation_points_in_card_packs(per_page: int) -> None:
    deck = dataclasses.replace(_dutch(), cards=(_long_card(),))
    data, _result = printing.deck_pdf(
        deck, options=PrintOptions(per_page=per_page), intro=False, closing=False
    )
    lines = _lines(data)
    _assert_breaks_only_at_hyphenation_points(lines, LONG_WORDS)
    assert not any(line.rstrip().endswith("Ervaringsdeskundighei") for line in lines)
    joined = re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(lines))
    for question in LONG_WORDS:
        assert question in " ".join(joined.split())


def test_long_dutch_words_break_only_at_hyphenation_points_in_table_packs(tmp_path: Path) -> None:
    deck = dataclasses.replace(_dutch(), cards=(_long_card("a"), _long_card("b", level=1)))
    plan = _Plan(((_Deal(1, 1, "a"), _Deal(1, 2, "b")), (_Deal(2, 1, "b"), _Deal(2, 2, "a"))))
    out = tmp_path / "pack.pdf"
    printing.table_pack_pdf(plan, deck, out)
    _assert_breaks_only_at_hyphenation_points(_lines(out.read_bytes()), LONG_WORDS)


def test_a_title_shrinks_to_fit_its_width_before_it_breaks() -> None:
    style = fitting.style_for(4)
    face = card_face(_dutch(), _long_card())
    fitted = fitting.fit(face, 95, 138.5, style=style, measure=Metrics())
    title_runs = [run for run in fitted.runs if run.bold and run.text.startswith("Ervarings")]
    assert [run.text for run in title_runs] == ["Ervaringsdeskundigheid"]  # whole, on one line
    assert fitted.size <= title_runs[0].size < style.title_start


def test_one_question_size_per_sheet_and_questions_centred() -> None:
    deck = _dutch()
    short = dataclasses.replace(deck.cards[0], id="kort", questions=("Een?", "Twee?", "Drie?"))
    long_q = " ".join(["Wat vind je daarvan, en waarom denk je dat?"] * 6)
    long = dataclasses.replace(deck.cards[1], id="lang", questions=(long_q, long_q, long_q))
    deck = dataclasses.replace(deck, cards=(short, long, short, short, short))
    data, _result = printing.deck_pdf(deck, intro=False, closing=False)
    pages = PdfReader(io.BytesIO(data)).pages
    sizes = [{size for text, _x, _y, size in _runs(page) if re.fullmatch(r"[123]\.", text)} for page in pages]
    assert len(sizes[0]) == 1, sizes  # the long card sets the size of its whole sheet
    assert sizes[0] != sizes[1]  # the next sheet is free to be larger
    # the short card's questions sit in the middle of the card, not at its top
    ys = [y for text, _x, y, _size in _runs(pages[1]) if re.fullmatch(r"[123]\.", text)]
    card_top, card_h = 10.0, (297 - 20) / 2
    assert card_top + card_h * 0.3 < sum(ys) / len(ys) < card_top + card_h * 0.7


def test_no_internal_ids_on_the_cards() -> None:
    deck = _dutch()
    data, _result = printing.deck_pdf(deck, options=PrintOptions(duplex=True))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert deck.cards[0].id not in text
    assert f"· {deck.id}" not in text
    assert "Niveau 1" in text  # the back says the level instead


# --- Table packs -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Deal:
    round: int
    table: int
    card_id: str


@dataclasses.dataclass(frozen=True)
class _Plan:
    rounds: tuple[tuple[_Deal, ...], ...]


def _tables_per_page(pdf: Path) -> list[set[str]]:
    return [set(re.findall(r"Tafel (\d+)", page.extract_text())) for page in PdfReader(pdf).pages]


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_every_table_starts_on_a_sheet_of_its_own(cli: Cli, tmp_path: Path, rounds: int) -> None:
    out = tmp_path / "tafels.pdf"
    args = ["deal", "stigma-sekswerk", "--tables", "3", "--rounds", str(rounds), "--seed", "3"]
    result = cli(*args, "--pdf", str(out))
    assert result.exit_code == 0, result.stderr
    pages = _tables_per_page(out)
    assert all(len(tables) == 1 for tables in pages), pages
    assert [t for tables in pages for t in tables] == sorted(t for tables in pages for t in tables)
    shared = tmp_path / "gedeeld.pdf"
    assert cli(*args, "--pdf", str(shared), "--tables-share-sheets").exit_code == 0
    if rounds == 1:  # 3 cards a table: tables run on when they may share sheets
        assert any(len(tables) > 1 for tables in _tables_per_page(shared))


def test_table_packs_print_duplex(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tafels.pdf"
    args = ["deal", "stigma-sekswerk", "--tables", "2", "--rounds", "2", "--seed", "3", "--duplex"]
    assert cli(*args, "--pdf", str(out)).exit_code == 0
    pages = PdfReader(out).pages
    assert len(pages) == 4  # two tables, each a sheet of fronts and a sheet of backs
    assert "Tafel 1 · Ronde 2" in pages[1].extract_text()  # the back names what the card is for


# --- Language --------------------------------------------------------------------------------


def test_print_follows_the_deck_language_not_the_interface(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "k.pdf"
    result = cli("deck", "print", "stigma-sekswerk", "-o", str(out))  # the interface is English
    assert result.exit_code == 0, result.stderr
    assert "Printed in Dutch (nl), the deck's language" in result.stderr
    reader = PdfReader(out)
    assert "Voordat we beginnen" in reader.pages[0].extract_text()
    assert reader.trailer["/Root"]["/Lang"] == "nl"  # type: ignore[index]
    result = cli("deck", "print", "stigma-sekswerk", "-o", str(out), "--lang", "en")
    assert "Printed in English (en)." in result.stderr
    assert "Before we start" in PdfReader(out).pages[0].extract_text()


def test_deal_pdf_prints_in_the_deck_language(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tafels.pdf"
    result = cli(
        "deal", "stigma-sekswerk", "--tables", "1", "--rounds", "1", "--seed", "1", "--pdf", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert "Printed in Dutch (nl)" in result.stderr
    assert "Tafel 1 · Ronde 1" in PdfReader(out).pages[0].extract_text()


# --- Ready to print --------------------------------------------------------------------------

EMOJI_DECK = """\
deck: 1
id: emoji
title: Emoji
language: nl
license: CC-BY-4.0
cards:
  - id: een
    title: Blij 🙂
    questions:
      - Wat maakt je blij?
      - Waarom 🎉?
      - Wie 🌍?
  - id: twee
    questions: [Een 🚀?, Twee?, Drie?]
"""


def test_lint_print_lists_every_missing_glyph_with_its_position(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "emoji.yaml"
    deck.write_text(EMOJI_DECK, encoding="utf-8")
    assert cli("deck", "validate", str(deck)).exit_code == 0  # the loader has no objection
    result = cli("deck", "validate", "--print", str(deck))
    assert result.exit_code == ExitCode.INVALID
    found = re.findall(r"emoji\.yaml:(\d+):(\d+): error SC301 (.*)", result.stdout)
    assert [(int(line), int(col)) for line, col, _ in found] == [(8, 12), (11, 9), (12, 9), (14, 17)]
    assert "🙂" in found[0][2]
    assert "U+1F642" in found[0][2]
    lint = cli("deck", "lint", "--print", str(deck))
    assert lint.stdout.count("SC301") == 4


def test_print_names_every_missing_glyph_at_once(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "emoji.yaml"
    deck.write_text(EMOJI_DECK, encoding="utf-8")
    result = cli("deck", "print", str(deck), "-o", str(tmp_path / "k.pdf"))
    assert result.exit_code == ExitCode.LAYOUT
    for char in "🙂🎉🌍🚀":
        assert char in result.stderr
    assert "4 character(s)" in result.stderr
    assert not (tmp_path / "k.pdf").exists()


def test_a_question_too_long_to_print_is_caught_before_printing(cli: Cli, tmp_path: Path) -> None:
    question = ("Wat zou je zeggen als iemand je vraagt hoe het echt met je gaat? " * 30)[:1774]
    deck = tmp_path / "lang.yaml"
    deck.write_text(
        f"deck: 1\nid: lang\ntitle: Lang\nlanguage: nl\ncards:\n  - id: lang\n    questions:\n"
        f'      - Een?\n      - "{question}"\n      - Drie?\n',
        encoding="utf-8",
    )
    assert cli("deck", "validate", str(deck)).exit_code == 0
    result = cli("deck", "validate", "--print", str(deck))
    assert result.exit_code == ExitCode.INVALID
    assert re.search(r"lang\.yaml:9:9: error SC302 .*'lang'.*question 2 has 1,774 characters", result.stdout)


def test_lint_print_warns_of_a_word_that_cannot_fit(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "woord.yaml"
    word = "x" * 60
    deck.write_text(
        f"deck: 1\nid: woord\ntitle: Woord\nlanguage: nl\nlicense: CC0-1.0\ncards:\n  - id: w\n"
        f"    questions: [Een {word}?, Ervaringsdeskundigheid?, Drie?]\n",
        encoding="utf-8",
    )
    result = cli("deck", "lint", "--print", str(deck))
    warnings = [line for line in result.stdout.splitlines() if "SC303" in line]
    assert len(warnings) == 1  # the long word, not the Dutch word that hyphenates
    assert warnings[0].startswith(f"{deck}:8:")
    printed = cli("deck", "print", str(deck), "-o", str(tmp_path / "k.pdf"))
    assert printed.exit_code == 0  # printed, and said what had to be cut
    assert (
        f"note: cut where the line ended, with no hyphenation point that fits: {word[:40]} (w)"
        in printed.stderr
    )


def test_bundled_decks_are_ready_to_print(cli: Cli) -> None:
    result = cli("deck", "validate", "--print", "stigma-sekswerk", "stigma-algemeen")
    assert result.exit_code == 0, result.stdout
    assert "no problems" in result.stderr


# --- x-print: logo and colours ---------------------------------------------------------------


def _branded(tmp_path: Path, settings: str) -> Path:
    deck = tmp_path / "merk.yaml"
    deck.write_text(
        f"deck: 1\nid: merk\ntitle: Merk\nlanguage: nl\n{settings}cards:\n"
        "  - id: een\n    level: 2\n    questions: [Een?, Twee?, Drie?]\n",
        encoding="utf-8",
    )
    return deck


def test_a_logo_and_level_colours_print_on_the_backs(cli: Cli, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (60, 30), (200, 40, 90)).save(tmp_path / "logo.png")
    deck = _branded(tmp_path, 'x-print:\n  logo: logo.png\n  colours: {2: "#336699"}\n')
    assert cli("deck", "validate", "--print", str(deck)).exit_code == 0
    out = tmp_path / "k.pdf"
    result = cli("deck", "print", str(deck), "-o", str(out), "--duplex")
    assert result.exit_code == 0, result.stderr
    pages = PdfReader(out).pages
    assert not pages[0]["/Resources"].get("/XObject")  # type: ignore[union-attr]
    assert pages[1]["/Resources"]["/XObject"]  # type: ignore[index]
    content = pages[1].get_contents().get_data()  # type: ignore[union-attr]
    assert b"0.2 0.4 0.6 RG" in content  # the level's colour frames the back


# A table of cases, shaped like other parametrized error tests in the suite only by pytest's idiom.
@pytest.mark.parametrize(
    ("settings", "where", "message"),
    [
        ("x-print:\n  logo: missing.png\n", "6:9", "no such file"),
        ("x-print:\n  logo: notes.png\n", "6:9", "not a PNG or JPEG"),
        ("x-print:\n  logo: /etc/passwd\n", "6:9", "relative to the deck file"),
        ('x-print:\n  colours: {2: "blue"}\n', "6:16", '"#rrggbb"'),
        ("x-print:\n  size: big\n", "6:3", "not 'size'"),
    ],
)
def test_bad_x_print_settings_are_refused_with_their_position(
    cli: Cli, tmp_path: Path, settings: str, where: str, message: str
) -> None:
    (tmp_path / "notes.png").write_text("not an image", encoding="utf-8")
    deck = _branded(tmp_path, settings)
    result = cli("deck", "validate", "--print", str(deck))
    assert result.exit_code == ExitCode.INVALID
    assert f"merk.yaml:{where}: error SC30" in result.stdout
    assert message in result.stdout
    printed = cli("deck", "print", str(deck), "-o", str(tmp_path / "k.pdf"))
    assert printed.exit_code == ExitCode.INVALID
    assert message in printed.stderr
    assert "Traceback" not in printed.stderr
    assert not (tmp_path / "k.pdf").exists()


def test_sizes_per_sheet_are_grouped_by_page() -> None:
    """A helper check: every page of the bundled deck has a single question size."""
    data, _result = printing.deck_pdf(_dutch(), options=PrintOptions(per_page=8))
    by_page: dict[int, set[float]] = defaultdict(set)
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        for text, _x, _y, size in _runs(page):
            if re.fullmatch(r"[123]\.", text):
                by_page[n].add(size)
    assert by_page
    assert all(len(sizes) == 1 for sizes in by_page.values()), by_page


# --- Bilingual -------------------------------------------------------------------------------


def test_bilingual_cards_have_the_other_language_behind_each_front(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tweetalig.pdf"
    nl = _dutch()
    en = localize(load_deck(DECKS / "stigma-sekswerk.yaml"), "en")
    ids = [nl.cards[0].id, nl.cards[-1].id]
    result = cli(
        "deck", "print", "stigma-sekswerk", "-o", str(out), "--bilingual", "nl,en",
        "--cards", ",".join(ids), "--no-intro", "--no-closing",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Printed in English (en) on the backs." in result.stderr
    pages = PdfReader(out).pages
    assert len(pages) == 2  # duplex is implied
    front = {text: (x, y) for text, x, y, _size in _runs(pages[0])}
    back = {text: (x, y) for text, x, y, _size in _runs(pages[1])}
    for n, card_id in enumerate(ids):
        title_nl, title_en = nl.card(card_id).title, en.card(card_id).title
        assert title_nl in front
        assert title_en in back
        assert en.card(card_id).questions[0].split()[0] in pages[1].extract_text()
        # the English card lies behind the Dutch one: same row, mirrored column
        fx, fy = front[title_nl or ""]
        bx, by = back[title_en or ""]
        assert abs(fy - by) < 1
        assert (fx < 105) != (bx < 105), n


def test_bilingual_needs_two_languages(cli: Cli, tmp_path: Path) -> None:
    result = cli("deck", "print", "stigma-sekswerk", "-o", str(tmp_path / "k.pdf"), "--bilingual", "nl")
    assert result.exit_code == ExitCode.USAGE
    assert "two languages" in result.stderr


def test_the_back_title_shrinks_before_a_word_breaks() -> None:
    deck = dataclasses.replace(_dutch(), title="Gesprekken over ervaringsdeskundigheid")
    data, _result = printing.deck_pdf(deck, options=PrintOptions(duplex=True), card_ids=[deck.cards[0].id])
    back = PdfReader(io.BytesIO(data)).pages[1].extract_text().splitlines()
    assert any(line.strip().endswith("ervaringsdeskundigheid") for line in back), back
