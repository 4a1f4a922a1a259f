"""Printed cards: geometry, duplex alignment, text fitting, and the PDF read back with pypdf."""

from __future__ import annotations

import dataclasses
import io
import math
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from stigmacards.deck import handout
from stigmacards.deck.format import level_dots
from stigmacards.deck.loading import load_deck
from stigmacards.deck.model import LocalCard, LocalDeck, localize
from stigmacards.errors import ExitCode, LayoutError, OutputError, UsageError
from stigmacards.files import write_atomic
from stigmacards.i18n import translator
from stigmacards.printing import cards as printing
from stigmacards.printing import fitting, labels, layout, words
from stigmacards.printing.cards import PrintOptions
from stigmacards.printing.faces import Face, FaceKind
from stigmacards.printing.fitting import Style
from stigmacards.printing.layout import Paper

from ..conftest import DECKS

MM_PER_POINT = 25.4 / 72
TYPOGRAPHY = "’“”–ëïé"  # what Dutch text uses and the PDF core fonts cannot encode


def _norm(text: str) -> str:
    """Whitespace-insensitive form: wrapping turns spaces into line breaks."""
    return " ".join(text.split())


@cache
def _bundled(name: str, lang: str) -> LocalDeck:
    return localize(load_deck(DECKS / f"{name}.yaml"), lang)


def _bundled_decks() -> list[tuple[str, str]]:
    found = []
    for path in sorted(DECKS.glob("*.yaml")):
        deck = load_deck(path)
        found.extend((path.stem, lang) for lang in deck.languages)
    return found


BUNDLED = _bundled_decks()


def _dehyphenate(text: str) -> str:
    """Join the words printing broke at a hyphenation point ("erva-" / "ringen")."""
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)


def _pages_text(data: bytes) -> list[str]:
    return [_dehyphenate(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def _inside(rect: layout.Rect, x: float, y: float) -> bool:
    return rect.x <= x <= rect.x + rect.w and rect.y <= y <= rect.y + rect.h


def _deck(cards: list[LocalCard], *, intro: tuple[str, ...] = (), closing: tuple[str, ...] = ()) -> LocalDeck:
    base = _bundled("stigma-sekswerk", "nl")
    return dataclasses.replace(base, cards=tuple(cards), intro=intro, closing=closing, untranslated=())


def _card(
    card_id: str, questions: tuple[str, str, str], *, title: str | None = None, level: int = 1
) -> LocalCard:
    return LocalCard(
        id=card_id,
        title=title,
        level=level,
        tags=(),
        content_note=None,
        facilitator_note=None,
        questions=questions,
        language="nl",
    )


# --- Geometry --------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", list(Paper))
@pytest.mark.parametrize("per_page", [4, 8])
def test_slots_tile_the_page_inside_the_margin(paper: Paper, per_page: int) -> None:
    sheet = layout.sheet(paper, per_page)
    width, height = layout.PAPER_SIZES_MM[paper]
    slots = [sheet.slot(i) for i in range(per_page)]
    assert sum(s.w * s.h for s in slots) == pytest.approx((width - 20) * (height - 20))
    for slot in slots:
        assert slot.x >= 10 - 1e-9
        assert slot.y >= 10 - 1e-9
        assert slot.x + slot.w <= width - 10 + 1e-9
        assert slot.y + slot.h <= height - 10 + 1e-9
    centres = {(s.x + s.w / 2, s.y + s.h / 2) for s in slots}
    assert len(centres) == per_page, "slots overlap"


@pytest.mark.parametrize("paper", list(Paper))
@pytest.mark.parametrize("per_page", [4, 8])
def test_back_slot_is_the_front_mirrored_left_to_right(paper: Paper, per_page: int) -> None:
    """Flipped on its long edge, a portrait sheet turns over left to right."""
    sheet = layout.sheet(paper, per_page)
    for i in range(per_page):
        front, back = sheet.slot(i), sheet.slot(i, back=True)
        assert back.x + back.w == pytest.approx(sheet.width - front.x)
        assert (back.y, back.w, back.h) == (front.y, front.w, front.h)
        row, col = divmod(i, sheet.cols)
        assert back == sheet.slot(row * sheet.cols + (sheet.cols - 1 - col))


def test_unknown_paper_and_per_page_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="a4, letter"):
        layout.sheet("a5", 4)
    with pytest.raises(UsageError, match="4, 8"):
        layout.sheet("a4", 6)


@pytest.mark.parametrize(("count", "per_page"), [(1, 4), (4, 4), (5, 4), (9, 8), (17, 8)])
def test_impose_puts_each_back_behind_its_front(count: int, per_page: int) -> None:
    pages = layout.paginate([count], per_page, separate=True)
    placements = layout.impose(pages, duplex=True)
    fronts = {p.face: p for p in placements if not p.back}
    backs = {p.face: p for p in placements if p.back}
    assert set(fronts) == set(backs) == set(range(count))
    for face in range(count):
        assert backs[face].page == fronts[face].page + 1
        assert backs[face].slot == fronts[face].slot
        assert fronts[face].page % 2 == 0
    assert max(p.page for p in placements) + 1 == 2 * len(pages)
    assert len(pages) == math.ceil(count / per_page)


# --- Fitting (with a fake measure: every character 1 mm wide at 10 pt) ------------------------


def _measure(text: str, bold: bool, size: float) -> float:
    return len(text) * size / 10


def test_wrap_breaks_at_spaces_and_hyphenates_only_words_wider_than_the_line() -> None:
    def width(text: str) -> float:
        return float(len(text))

    assert words.wrap("een twee drie vier", 9, measure=width, lang="nl") == ["een twee", "drie vier"]
    # a word wider than the line is broken at Dutch hyphenation points, with a hyphen, filling lines
    assert words.wrap("het ervaringsdeskundigheid", 12, measure=width, lang="nl") == [
        "het erva-",
        "ringsdeskun-",
        "digheid",
    ]
    text = "Wat is er sindsdien aan dat beeld veranderd, en waardoor?"
    for limit in (8, 15, 30, 80):
        lines = words.wrap(text, limit, measure=width, lang="nl")
        assert all(len(line) <= limit for line in lines)
        if limit >= max(len(word) for word in text.split()):
            assert " ".join(lines) == text


def test_a_word_without_a_hyphenation_point_that_fits_is_cut_and_reported() -> None:
    def width(text: str) -> float:
        return float(len(text))

    lines = words.wrap("kort xxxxxxxxxxxxxxxxxxxxxxxx", 10, measure=width, lang="nl")
    assert all(len(line) <= 10 for line in lines)
    assert words.too_wide("kort xxxxxxxxxxxxxxxxxxxxxxxx", 10, measure=width, lang="nl") == [
        "xxxxxxxxxxxxxxxxxxxxxxxx"
    ]
    assert words.too_wide("het ervaringsdeskundigheid", 12, measure=width, lang="nl") == []


def _face(items: tuple[str, ...], name: str = "kaart") -> Face:
    return Face(
        kind=FaceKind.card,
        name=name,
        deck_title="Deck",
        title="Titel",
        items=items,
        level=2,
        footer=("Je mag altijd passen.", "deck · kaart"),
    )


def test_fit_steps_the_size_down_until_the_text_fits() -> None:
    style = Style(padding=5, meta_pt=7, start_pt=12, gap=2)
    short = fitting.fit(_face(("Kort?", "Ook kort?", "Nog korter?")), 90, 60, style=style, measure=_measure)
    long_text = " ".join(["woord"] * 60)
    long = fitting.fit(_face((long_text, "Kort?", "Kort?")), 90, 60, style=style, measure=_measure)
    assert short.size == 12
    assert fitting.MIN_SIZE_PT <= long.size < short.size
    bottom = max(run.baseline for run in long.runs if not run.gray)
    footer_top = min(run.baseline for run in long.runs if run.gray)
    assert bottom < footer_top
    assert all(run.x + _measure(run.text, run.bold, run.size) <= 90 - 5 + 1e-9 for run in long.runs)


def test_fit_names_the_card_and_question_when_nothing_fits() -> None:
    style = Style(padding=5, meta_pt=7, start_pt=12, gap=2)
    with pytest.raises(LayoutError, match=r"card 'te-lang'.*question 2 has 3,000 characters") as info:
        fitting.fit(_face(("Kort?", "x " * 1500, "Kort?"), "te-lang"), 90, 60, style=style, measure=_measure)
    assert info.value.exit_code is ExitCode.LAYOUT


# --- The PDF, read back ----------------------------------------------------------------------


def test_bundled_decks_use_typography_the_core_fonts_cannot_encode() -> None:
    """The extraction test would prove little if the decks were plain ASCII."""
    text = "".join(q for name, lang in BUNDLED for card in _bundled(name, lang).cards for q in card.questions)
    assert set("’‘ïé") <= set(text)


TYPOGRAPHY_CARD = _card(
    "typografie",
    (
        "Wat hoorde je als kind over “sekswerk” – en van wie?",
        "Welke ideeën over ‘gewoon werk’ vind je naïef, en welke niet?",
        "Hoe zeg je “nee” in een café, in Łódź of aan de Øresund… of „liever niet”?",
    ),
    title="Één kaart — met typografie",
)


@pytest.mark.parametrize("per_page", [4, 8])
def test_dutch_typography_survives_into_the_pdf_text(per_page: int) -> None:
    """’ “ ” – ë ï é and friends come back out exactly: real text in an embedded Unicode font."""
    assert set(TYPOGRAPHY) <= set("".join(TYPOGRAPHY_CARD.questions))
    data, _result = printing.deck_pdf(_deck([TYPOGRAPHY_CARD]), options=PrintOptions(per_page=per_page))
    text = _norm(" ".join(_pages_text(data)))
    for question in TYPOGRAPHY_CARD.questions:
        assert _norm(question) in text
    assert "Één kaart — met typografie" in text


def _card_text(deck: LocalDeck, card: LocalCard) -> str:
    """What a card's body reads as, in order: level, title, content note, numbered questions."""
    parts = [level_dots(card.level), card.title or card.id]
    if card.content_note:
        parts.append(f"{translator(deck.language)(handout.CONTENT_NOTE)} {card.content_note}")
    parts += [f"{n}. {q}" for n, q in enumerate(card.questions, start=1)]
    return _norm(" ".join(parts))


@pytest.mark.parametrize(("name", "lang"), BUNDLED)
@pytest.mark.parametrize("per_page", [4, 8])
def test_every_question_is_in_the_pdf_text_exactly(name: str, lang: str, per_page: int) -> None:
    deck = _bundled(name, lang)
    data, result = printing.deck_pdf(deck, options=PrintOptions(per_page=per_page))
    text = _norm(" ".join(_pages_text(data)))
    missing = [q for card in deck.cards for q in card.questions if _norm(q) not in text]
    assert not missing
    assert result.cards == len(deck.cards)


@pytest.mark.parametrize(("name", "lang"), BUNDLED[:2])
def test_each_card_reads_as_one_piece_in_order(name: str, lang: str) -> None:
    """Title, level and the three numbered questions follow each other in the extracted text."""
    deck = _bundled(name, lang)
    data, _result = printing.deck_pdf(deck, intro=False, closing=False, options=PrintOptions(per_page=8))
    text = _norm(" ".join(_pages_text(data)))
    for card in deck.cards:
        assert _card_text(deck, card) in text, card.id


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(data)
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return _norm(done.stdout)


needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed"
)


@needs_pdftotext
@pytest.mark.parametrize(("paper", "per_page"), [("a4", 4), ("a4", 8), ("letter", 4), ("letter", 8)])
def test_pdftotext_reads_every_card_whole_and_in_print_order(
    paper: str, per_page: int, tmp_path: Path
) -> None:
    """An independent extractor (poppler) reads every card's questions as one piece, in print order.

    The questions sit centred below the title, further from it than a paragraph: poppler may read
    the titles of a row before their questions, but never mixes two cards' questions.
    """
    deck = _bundled("stigma-algemeen", "nl")  # content notes, a title that wraps, intro and closing
    data, _result = printing.deck_pdf(deck, options=PrintOptions(paper=paper, per_page=per_page))
    text = _pdftotext(data, tmp_path)
    questions = [_norm(" ".join(f"{n}. {q}" for n, q in enumerate(c.questions, start=1))) for c in deck.cards]
    positions = [text.find(block) for block in questions]
    assert -1 not in positions, [card.id for card, pos in zip(deck.cards, positions, strict=True) if pos < 0]
    assert positions == sorted(positions)
    assert text.index("Voordat we beginnen") < positions[0]
    assert positions[-1] < text.index(_norm(deck.closing[-1]))


def test_pdf_embeds_dejavu_not_a_core_font() -> None:
    data, _result = printing.deck_pdf(_bundled("stigma-sekswerk", "nl"), options=PrintOptions(per_page=4))
    reader = PdfReader(io.BytesIO(data))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index,union-attr]
    }
    assert fonts
    assert all("DejaVuSans" in font for font in fonts), fonts


@pytest.mark.parametrize("per_page", [4, 8])
@pytest.mark.parametrize(("intro", "closing"), [(True, True), (False, False), (True, False)])
@pytest.mark.parametrize("duplex", [False, True])
def test_page_count_follows_cards_per_page_and_duplex(
    per_page: int, intro: bool, closing: bool, duplex: bool
) -> None:
    deck = _bundled("stigma-algemeen", "nl")
    assert deck.intro
    assert deck.closing
    data, result = printing.deck_pdf(
        deck, intro=intro, closing=closing, options=PrintOptions(per_page=per_page, duplex=duplex)
    )
    faces = len(deck.cards) + intro + closing
    assert result.faces == faces
    expected = math.ceil(faces / per_page) * (2 if duplex else 1)
    assert len(PdfReader(io.BytesIO(data)).pages) == result.pages == expected


def test_intro_and_closing_cards_are_printed_when_the_deck_has_them() -> None:
    deck = _bundled("stigma-sekswerk", "nl")
    data, _result = printing.deck_pdf(deck, options=PrintOptions(per_page=4))
    pages = _pages_text(data)
    first, last = _norm(pages[0]), _norm(pages[-1])
    assert first.startswith("Voordat we beginnen")
    assert all(_norm(line) in first for line in deck.intro)
    assert "Afsluiting en steun" in last
    assert all(_norm(line) in last for line in deck.closing)
    bare = _deck(list(deck.cards[:2]))
    data, result = printing.deck_pdf(bare, options=PrintOptions(per_page=4))
    assert result.faces == 2
    assert "Voordat we beginnen" not in _pages_text(data)[0]


def _text_positions(page: object) -> Iterator[tuple[str, float, float]]:
    """(text, x, y) of every text run on a pypdf page, in mm from the top-left corner."""
    found: list[tuple[str, float, float]] = []
    height = float(page.mediabox.height)  # type: ignore[attr-defined]

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x * MM_PER_POINT, (height - y) * MM_PER_POINT))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return iter(found)


@pytest.mark.parametrize("per_page", [4, 8])
def test_duplex_back_of_each_card_sits_behind_its_front(per_page: int, tmp_path: Path) -> None:
    """Found by the text's coordinates: a pack card's table and round on its front and its back."""
    deck = _bundled("stigma-sekswerk", "nl")
    plan = _plan(deck, tables=11, rounds=1)
    sheet = layout.sheet("a4", per_page)
    out = tmp_path / "pack.pdf"
    options = PrintOptions(per_page=per_page, duplex=True, separate=False)
    printing.table_pack_pdf(plan, deck, out, options=options, intro=False, closing=False)
    pages = PdfReader(out).pages
    for n in range(11):
        label = f"Tafel {n + 1} · Ronde 1"
        number, slot = divmod(n, per_page)
        front = [(x, y) for text, x, y in _text_positions(pages[2 * number]) if text.endswith(label)]
        back = [(x, y) for text, x, y in _text_positions(pages[2 * number + 1]) if text == label]
        assert len(front) == len(back) == 1, label
        assert _inside(sheet.slot(slot), *front[0])
        assert _inside(sheet.slot(slot, back=True), *back[0])
        # held up to the light, the back lies exactly behind the front
        assert _inside(sheet.slot(slot), sheet.width - back[0][0], back[0][1])


def test_longest_bundled_questions_fit_on_the_smallest_card() -> None:
    questions = sorted(
        {q for name, lang in BUNDLED for card in _bundled(name, lang).cards for q in card.questions},
        key=len,
    )[-3:]
    titles = sorted(
        {card.title or "" for name, lang in BUNDLED for card in _bundled(name, lang).cards}, key=len
    )
    card = _card("langste", (questions[0], questions[1], questions[2]), title=titles[-1], level=3)
    data, _result = printing.deck_pdf(_deck([card]), options=PrintOptions(paper="letter", per_page=8))
    text = _norm(" ".join(_pages_text(data)))
    assert all(_norm(q) in text for q in questions)


def test_a_2000_character_question_is_an_error_naming_the_card() -> None:
    question = ("Wat zou je zeggen als iemand je vraagt hoe het echt met je gaat? " * 40)[:2000]
    card = _card("veel-te-lang", ("Kort?", question, "Kort?"), title="Te lang")
    for per_page in (4, 8):
        with pytest.raises(LayoutError, match=r"'veel-te-lang'.*question 2 has 2,000 characters"):
            printing.deck_pdf(_deck([card]), options=PrintOptions(per_page=per_page))


def test_a_long_deck_title_shrinks_on_the_back_and_an_absurd_one_is_an_error() -> None:
    card = _card("kaart", ("Een?", "Twee?", "Drie?"), title="Titel")
    long_title = "Gesprekskaarten over stigma, sekswerk en alles wat daarbij komt kijken " * 2
    deck = dataclasses.replace(_deck([card]), title=long_title)
    data, _result = printing.deck_pdf(deck, options=PrintOptions(per_page=8, duplex=True))
    assert _norm(long_title) in _norm(_pages_text(data)[1])
    absurd = dataclasses.replace(deck, title="woord " * 400)
    with pytest.raises(LayoutError, match=r"card 'kaart' does not fit.*even without its questions"):
        printing.deck_pdf(absurd, options=PrintOptions(per_page=8, duplex=True))
    face = dataclasses.replace(_face(("Een?",)), back_title="woord " * 400)
    style = fitting.style_for(8)
    with pytest.raises(LayoutError, match=r"back of card 'kaart'.*2,400 characters"):
        printing._back_lines(face, 80, 50, style=style, measure=_measure)


def test_cards_and_max_level_choose_what_is_printed() -> None:
    deck = _bundled("stigma-sekswerk", "nl")
    chosen = [deck.cards[3].id, deck.cards[0].id]
    data, result = printing.deck_pdf(deck, card_ids=chosen, intro=False, closing=False)
    text = _norm(" ".join(_pages_text(data)))
    assert result.cards == 2
    assert text.index(deck.cards[3].questions[0]) < text.index(deck.cards[0].questions[0])
    _data, result = printing.deck_pdf(deck, max_level=1, intro=False, closing=False)
    assert result.cards == sum(1 for card in deck.cards if card.level == 1)
    with pytest.raises(UsageError, match="nope"):
        printing.deck_pdf(deck, card_ids=["nope"])
    sensitive = [card for card in deck.cards if card.sensitive]
    assert sensitive
    data, result = printing.deck_pdf(deck, sensitive=False, intro=False, closing=False)
    assert result.cards == len(deck.cards) - len(sensitive)
    assert sensitive[0].questions[0] not in _norm(" ".join(_pages_text(data)))


def test_untrusted_text_is_printed_inert() -> None:
    card = _card("vreemd", ("Een\x1b[31m vraag\u202e?", "Twee?", "Drie?"), title="Titel\x07")
    data, _result = printing.deck_pdf(_deck([card]), options=PrintOptions(per_page=4))
    text = " ".join(_pages_text(data))
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "Een[31m vraag?" in _norm(text)


# --- Table packs (against the dealing.Plan contract) ----------------------------------------


@dataclasses.dataclass(frozen=True)
class Deal:
    round: int
    table: int
    card_id: str
    level: int


@dataclasses.dataclass(frozen=True)
class Plan:
    deck_id: str
    language: str
    seed: int
    rounds: tuple[tuple[Deal, ...], ...]


def _plan(deck: LocalDeck, *, tables: int, rounds: int) -> Plan:
    ids = [card.id for card in deck.cards]
    return Plan(
        deck_id=deck.id,
        language=deck.language,
        seed=7,
        rounds=tuple(
            tuple(Deal(r, t, ids[(r * tables + t) % len(ids)], 1) for t in range(1, tables + 1))
            for r in range(1, rounds + 1)
        ),
    )


def test_table_pack_labels_every_card_with_its_table_and_round(tmp_path: Path) -> None:
    deck = _bundled("stigma-sekswerk", "nl")
    plan = _plan(deck, tables=3, rounds=2)
    out = tmp_path / "tafels.pdf"
    result = printing.table_pack_pdf(plan, deck, out, options=PrintOptions(paper="a4", per_page=4))
    text = _norm(" ".join(_pages_text(out.read_bytes())))
    assert result.cards == 6
    assert result.faces == 6 + 3 * 2  # ground rules and aftercare for every table
    positions = []
    for deals in plan.rounds:
        for deal in deals:
            label = f"Tafel {deal.table} · Ronde {deal.round}"
            card = deck.card(deal.card_id)
            assert _norm(f"{level_dots(card.level)} {label} {card.title}") in text
            positions.append(((deal.table, deal.round), text.index(label)))
    # table by table, each table's rounds in order
    assert [key for key, _pos in sorted(positions, key=lambda kv: kv[1])] == sorted(
        key for key, _ in positions
    )
    assert not list(tmp_path.glob(".*.tmp"))


def test_table_pack_labels_follow_the_deck_language(tmp_path: Path) -> None:
    deck = _bundled("stigma-sekswerk", "en")
    out = tmp_path / "tables.pdf"
    printing.table_pack_pdf(_plan(deck, tables=2, rounds=1), deck, out, intro=False, closing=False)
    text = _norm(" ".join(_pages_text(out.read_bytes())))
    assert "Table 2 · Round 1" in text
    assert "Tafel" not in text


def test_table_pack_refuses_a_card_the_deck_does_not_have(tmp_path: Path) -> None:
    deck = _bundled("stigma-sekswerk", "nl")
    plan = Plan(deck.id, "nl", 1, ((Deal(1, 1, "bestaat-niet", 1),),))
    with pytest.raises(UsageError, match="bestaat-niet"):
        printing.table_pack_pdf(plan, deck, tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())


# --- Writing ---------------------------------------------------------------------------------


@pytest.mark.posix
def test_write_atomic_replaces_whole_files_and_keeps_their_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new", mode=None)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_write_atomic_reports_an_unwritable_place(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write") as info:
        write_atomic(tmp_path / "missing-dir" / "out.pdf", b"x", mode=None)
    assert info.value.exit_code is ExitCode.OUTPUT


def test_labels_are_translated_for_the_deck_not_the_interface() -> None:
    assert translator("nl")(labels.TABLE_ROUND).format(table=3, round=2) == "Tafel 3 · Ronde 2"
    assert translator("nl-BE")(labels.TABLE) == "Tafel {table}"
    assert translator("en")(labels.TABLE_ROUND) == "Table {table} · Round {round}"
    assert translator("fr")(labels.TABLE) == "Table {table}"


def test_clean_collapses_whitespace_and_strips_controls() -> None:
    assert labels.clean("  Een\tvraag\n over\x00 iets\u2028 ") == "Een vraag over iets"
    assert re.fullmatch(r"[●○]{3}", level_dots(2))
