"""Import from CSV and text, export to Markdown and CSV: the pure functions."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
from markdown_it import MarkdownIt

from stigmacards.deck import handout, interchange, sheet, writing
from stigmacards.deck.format import MAX_SLUG, slugify
from stigmacards.deck.interchange import ImportedCard, Parsed, SourceFormat
from stigmacards.deck.loading import analyse_bytes, load_deck
from stigmacards.deck.model import LocalCard, LocalDeck, localize
from stigmacards.errors import DeckError

from ..conftest import DATA, DECKS

IMPORT = DATA / "import"


def _parse_file(name: str) -> Parsed:
    text, notes = interchange.decode((IMPORT / name).read_bytes())
    assert not notes
    if interchange.detect_format(name, text) is SourceFormat.csv:
        return interchange.parse_csv(text)
    return interchange.parse_text(text)


def _fields(card: ImportedCard | LocalCard) -> tuple[object, ...]:
    return (card.id, card.title, card.level, tuple(card.tags), tuple(card.questions))


@cache
def _bundled(name: str, lang: str) -> LocalDeck:
    return localize(load_deck(DECKS / f"{name}.yaml"), lang)


BUNDLED = [(p.stem, lang) for p in sorted(DECKS.glob("*.yaml")) for lang in load_deck(p).languages]


# --- CSV -------------------------------------------------------------------------------------


def test_excel_csv_with_bom_semicolons_and_crlf() -> None:
    parsed = _parse_file("excel.csv")
    assert parsed.format is SourceFormat.csv
    assert not parsed.rejected
    assert [_fields(c) for c in parsed.cards] == [
        (
            "een-vraag",
            "Één vraag?",
            1,
            ("opening",),
            (
                "Wat hoorde je als kind over “sekswerk”?",
                "Wie vertelde je dat – en waarom?",
                "Wat geloof je daar nu nog van?",
            ),
        ),
        (
            "naieve-ideeen",
            "Naïeve ideeën",
            2,
            ("taal", "beeldvorming"),
            (
                "Welk woord gebruik jij, en welk woord gebruikt je buurvrouw?",
                "Wanneer merk je dat een woord ’pijn’ doet?",
                "Wat zou je willen veranderen; en wat niet?",
            ),
        ),
        (
            "eigen-id",
            "Drempels",
            3,
            ("toegang", "zorg"),
            (
                "Waar loop je tegenaan bij de bank?",
                "Wat maakt een loket veilig voor je?",
                "Wie zou je erbij willen hebben, als je een brief krijgt?",
            ),
        ),
        (
            "een-vraag-2",
            "Één vraag?",
            2,
            (),
            ("Dezelfde titel, dus een ander id?", "Ja: met -2 erachter.", "Stabiel bij opnieuw importeren."),
        ),
    ]
    assert [c.line for c in parsed.cards] == [2, 3, 4, 7]


ROWS = [
    ["title", "level", "tags", "question1", "question2", "question3"],
    ["Één vraag?", "2", "a|b", "Wat “is” dit – echt?", "Twee; met puntkomma?", "Drie, met komma?"],
    ["", "", "", "Naïef?", "Café?", "Zeker."],
]


def _encode(rows: list[list[str]], *, delimiter: str, newline: str, encoding: str, bom: bool) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


@pytest.mark.parametrize(
    ("delimiter", "newline", "encoding", "bom"),
    [
        (";", "\r\n", "utf-8", True),  # Excel "CSV UTF-8" in a Dutch locale
        (",", "\r\n", "utf-8", True),  # Excel "CSV UTF-8" in an English locale
        (",", "\n", "utf-8", False),  # LibreOffice, Google Sheets, a script
        ("\t", "\r\n", "utf-16", False),  # Excel "Unicode text": UTF-16 with its own BOM, tabs
    ],
)
def test_what_spreadsheets_write_reads_the_same(
    delimiter: str, newline: str, encoding: str, bom: bool
) -> None:
    text, notes = interchange.decode(
        _encode(ROWS, delimiter=delimiter, newline=newline, encoding=encoding, bom=bom)
    )
    assert not notes
    assert interchange.detect_format("vragen", text) is SourceFormat.csv
    parsed = interchange.parse_csv(text)
    assert not parsed.rejected
    assert [_fields(c) for c in parsed.cards] == [
        (
            "een-vraag",
            "Één vraag?",
            2,
            ("a", "b"),
            ("Wat “is” dit – echt?", "Twee; met puntkomma?", "Drie, met komma?"),
        ),
        ("naief", None, 1, (), ("Naïef?", "Café?", "Zeker.")),
    ]


def test_windows_1252_is_read_with_a_note() -> None:
    rows = [["question1", "question2", "question3"], ["Café?", "Naïef?", "Één?"]]
    text, notes = interchange.decode(
        _encode(rows, delimiter=";", newline="\r\n", encoding="cp1252", bom=False)
    )
    assert len(notes) == 1
    assert "Windows-1252" in notes[0]
    assert "line 2" in notes[0]
    assert interchange.parse_csv(text).cards[0].questions == ("Café?", "Naïef?", "Één?")


def test_dutch_headers_and_a_title_row_above_them() -> None:
    parsed = _parse_file("dutch-headers.csv")
    assert not parsed.rejected
    assert parsed.notes == ("line 1: ignored (above the header row)",)
    assert [c.id for c in parsed.cards] == ["thuis", "welke-vraag-stel-je-jezelf-vaak"]
    assert parsed.cards[0].questions[1] == "Wat vertel je wel, en wat niet?"


def test_broken_csv_rows_are_rejected_with_their_line_numbers() -> None:
    parsed = _parse_file("broken.csv")
    assert [c.title for c in parsed.cards] == ["Goed", "Ook goed"]
    assert [r.format("broken.csv") for r in parsed.rejected] == [
        "broken.csv:3: row has 2 questions, expected 3",
        "broken.csv:4: question 2 is empty",
        "broken.csv:5: row has 7 columns, expected 5 (a ',' inside a cell? Put that cell in double quotes)",
        "broken.csv:6: level '7' is not 1, 2 or 3",
        "broken.csv:7: row has 2 questions, expected 3",  # a quoted cell over lines 7-8
    ]


def test_csv_without_a_header_is_refused() -> None:
    with pytest.raises(DeckError, match="no header row"):
        interchange.parse_csv("Wat?;Waarom?;Hoe?\nEen;Twee;Drie\n")


def test_columns_named_twice_are_refused() -> None:
    with pytest.raises(DeckError, match=r"line 1: a column named twice: question1"):
        interchange.parse_csv("question1,vraag1,question2,question3\na,b,c,d\n")


def test_unknown_columns_are_ignored_with_a_note() -> None:
    parsed = interchange.parse_csv("question1,question2,question3,opmerking\na?,b?,c?,x\n")
    # The note lists the columns that are read, with their Dutch names, so the fix is plain.
    (note,) = parsed.notes
    assert note.startswith(
        "column ignored: opmerking; the columns read are: id, title (titel), level (niveau)"
    )
    assert "question1-3 (vraag1-3)" in note
    assert len(parsed.cards) == 1


def test_explicit_duplicate_ids_are_rejected_and_generated_ids_avoid_explicit_ones() -> None:
    text = "id,title,question1,question2,question3\n,Drempels,a?,b?,c?\ndrempels,X,d?,e?,f?\ndrempels,Y,g?,h?,i?\n"
    parsed = interchange.parse_csv(text)
    assert [c.id for c in parsed.cards] == ["drempels-2", "drempels"]
    assert [r.format("f") for r in parsed.rejected] == ["f:4: id 'drempels' is already used on line 3"]


# --- Text ------------------------------------------------------------------------------------


def test_text_format_cards_comments_and_headers() -> None:
    parsed = _parse_file("cards.txt")
    assert parsed.format is SourceFormat.text
    assert not parsed.rejected
    # Every field spelled out, shaped like the CSV test's on purpose: the data file is what is tested.
    assert [_fields(c) for c in parsed.cards] == [
        (
            "wat-betekent-gewoon-werk-voor-jou",
            None,
            1,
            (),
            (
                "Wat betekent ‘gewoon werk’ voor jou?",
                "Welke beroepen krijgen volgens jou een stempel?",
                "Hoe merk je dat aan de manier waarop mensen praten?",
            ),
        ),
        (
            "naar-de-dokter",
            "Naar de dokter",
            2,
            ("zorg", "vertrouwen"),
            (
                "Wanneer zou je iets níet vertellen aan een huisarts?",
                "Wat helpt jou om je veilig te voelen bij een zorgverlener?",
                "Wat zou een zorgverlener “gewoon” moeten weten?",
            ),
        ),
        (
            "wat-betekent-gewoon-werk-voor-jou-2",
            None,
            1,
            (),
            (
                "Wat betekent ‘gewoon werk’ voor jou?",
                "Dezelfde eerste vraag, dus een ander id.",
                "En toch een eigen kaart.",
            ),
        ),
    ]


def test_broken_text_cards_are_rejected_with_their_line_numbers() -> None:
    parsed = _parse_file("broken.txt")
    assert [c.questions[0] for c in parsed.cards] == ["Een?", "Weer goed?"]
    assert [r.format("broken.txt") for r in parsed.rejected] == [
        "broken.txt:6: card has 2 questions, expected 3 (one per line; start a title line with 'title:')",
        "broken.txt:9: card has 4 questions, expected 3 (one per line; start a title line with 'title:')",
    ]


def test_text_without_percent_lines_splits_cards_at_blank_lines() -> None:
    parsed = interchange.parse_text("Vraag 1: Een?\nVraag 2: Twee?\nVraag 3: Drie?\n\nVier?\nVijf?\nZes?\n")
    assert [c.questions for c in parsed.cards] == [("Een?", "Twee?", "Drie?"), ("Vier?", "Vijf?", "Zes?")]
    assert parsed.notes == ("no '%' lines: blank lines taken as the separators between cards",)
    single = interchange.parse_text("Een?\n\nTwee?\nDrie?\n%\n")
    assert [c.questions for c in single.cards] == [("Een?", "Twee?", "Drie?")]
    assert single.notes == ()


def test_content_and_facilitator_notes_are_imported_and_exported() -> None:
    text = (
        "title;inhoudswaarschuwing;question1;question2;question3;facilitator note\n"
        "Rouw;Kan gaan over verlies.;Een?;Twee?;Drie?;Neem de tijd.\n"
    )
    card = interchange.parse_csv(text).cards[0]
    assert (card.content_note, card.facilitator_note) == ("Kan gaan over verlies.", "Neem de tijd.")
    deck_text = writing.deck_yaml(
        writing.deck_data([card], deck_id="d", title="D", language="nl"), source="s", output="o"
    )
    deck = analyse_bytes(deck_text.encode(), "o").deck
    assert deck is not None
    assert deck.cards[0].content_note == "Kan gaan over verlies."
    data, rejected = sheet.parse(sheet.to_csv(deck))
    assert rejected == []
    assert data["cards"][0]["content_note"] == "Kan gaan over verlies."
    assert data["cards"][0]["facilitator_note"] == "Neem de tijd."
    parsed = interchange.parse_text("content note: Over geweld.\nEen?\nTwee?\nDrie?\n")
    assert parsed.cards[0].content_note == "Over geweld."


def test_a_question_that_looks_like_a_header_stays_a_question_after_the_first() -> None:
    parsed = interchange.parse_text("Wat is jouw titel?\ntitel: hoe voelt dat?\nEn nu?\n")
    assert parsed.cards[0].questions[1] == "titel: hoe voelt dat?"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("vragen.csv", "Wat?\n%\n", SourceFormat.csv),
        ("vragen.txt", "question1,question2,question3\n", SourceFormat.text),
        ("vragen", "question1;question2;question3\na;b;c\n", SourceFormat.csv),
        ("vragen.dat", "Wat?\nWaarom?\nHoe?\n%\n", SourceFormat.text),
    ],
)
def test_format_detection(name: str, text: str, expected: SourceFormat) -> None:
    assert interchange.detect_format(name, text) is expected


# --- Ids, levels, tags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Één vraag?", "een-vraag"),
        ("Naïeve ideeën", "naieve-ideeen"),
        ("  Straße, Ærø & Łódź!  ", "strasse-aero-lodz"),
        ("‘Gewoon’ werk – of niet?", "gewoon-werk-of-niet"),
        ("???", ""),
        ("een " * 30, "een-een-een-een-een-een-een-een-een-een-een-een"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert len(slugify(text)) <= MAX_SLUG


def test_ids_are_stable_and_unique_across_imports() -> None:
    first = _parse_file("excel.csv")
    again = _parse_file("excel.csv")
    assert [c.id for c in first.cards] == [c.id for c in again.cards]
    many = "question1,question2,question3\n" + "Wat nu?,b?,c?\n" * 5 + "???,b?,c?\n"
    ids = [c.id for c in interchange.parse_csv(many).cards]
    assert ids == ["wat-nu", "wat-nu-2", "wat-nu-3", "wat-nu-4", "wat-nu-5", "card"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("", 1),
        ("1", 1),
        ("2.0", 2),
        ("3,0", 3),
        ("niveau 2", 2),
        ("Level 3", 3),
        ("●●○", 2),
        ("Midden", 2),
        ("diep", 3),
        ("4", None),
        ("0", None),
        ("heel diep", None),
    ],
)
def test_parse_level(text: str, level: int | None) -> None:
    assert interchange.parse_level(text) == level


@pytest.mark.parametrize(
    ("cell", "tags"),
    [("a|b", ("a", "b")), ("a; b", ("a", "b")), ("a, b ,a", ("a", "b")), ("een tag", ("een tag",)), ("", ())],
)
def test_split_tags(cell: str, tags: tuple[str, ...]) -> None:
    assert interchange.split_tags(cell) == tags


# --- The deck file ---------------------------------------------------------------------------


def test_deck_yaml_is_a_valid_readable_deck() -> None:
    cards = _parse_file("excel.csv").cards
    text = writing.deck_yaml(
        writing.deck_data(cards, deck_id="training", title="Training “dinsdag”", language="nl"),
        source="excel.csv",
        output="t.yaml",
    )
    assert text.startswith("# Training “dinsdag”\n#\n# Imported from excel.csv")
    assert "Één vraag?" in text  # allow_unicode: no \\u escapes
    assert "{" not in text  # block style
    analysis = analyse_bytes(text.encode(), "t.yaml")
    assert analysis.errors == []
    assert analysis.deck is not None
    assert [_fields(c) for c in analysis.deck.cards] == [_fields(c) for c in cards]


def test_deck_yaml_comment_cannot_be_broken_out_of() -> None:
    cards = _parse_file("excel.csv").cards
    text = writing.deck_yaml(
        writing.deck_data(cards, deck_id="x", title="T\nid: evil", language="nl"),
        source="a\nid: evil.csv",
        output="o",
    )
    deck = analyse_bytes(text.encode(), "o").deck
    assert deck is not None
    assert deck.id == "x"


# --- Export ----------------------------------------------------------------------------------


def test_csv_export_guards_against_formulas_and_still_round_trips() -> None:
    import msgspec

    base = load_deck(DECKS / "stigma-sekswerk.yaml")
    card = msgspec.structs.replace(
        base.cards[0],
        title="'t Kofschip",
        tags=("=x", "@y"),
        questions=('=HYPERLINK("http://evil")', "+1?", "-- of @iemand?"),
    )
    deck = msgspec.structs.replace(base, cards=(card,), translations={})
    exported = sheet.to_csv(deck)
    for cell in ("'=HYPERLINK", "'+1?", "'-- of", "''t Kofschip", "'=x|@y"):
        assert cell in exported
    data, rejected = sheet.parse(exported)
    assert rejected == []
    assert msgspec.convert(data, type(deck)) == deck


def test_markdown_handout_has_everything_in_reading_order() -> None:
    deck = _bundled("stigma-sekswerk", "nl")
    text = handout.to_markdown(deck)
    assert text.startswith("# Sekswerk en stigma\n")
    order = [
        text.index("## Voordat we beginnen"),
        text.index("## Niveau 1 ●○○"),
        text.index("## Niveau 2 ●●○"),
        text.index("## Niveau 3 ●●●"),
        text.index("## Afsluiting en steun"),
    ]
    assert order == sorted(order)
    html = MarkdownIt().render(text)
    for card in deck.cards:
        for question in card.questions:
            assert handout.md(question) in text
    assert html.count("<ol>") == len(deck.cards)
    assert "Je mag altijd passen." in text


def test_markdown_escapes_what_would_become_formatting() -> None:
    hostile = "*vet* _schuin_ [link](http://x) <b>html</b> `code` | pijp &amp;"
    card = _bundled("stigma-sekswerk", "nl").cards[0]
    deck = dataclasses.replace(
        _bundled("stigma-sekswerk", "nl"),
        title="# Kop",
        intro=("- geen lijst", "1. geen getal"),
        cards=(dataclasses.replace(card, title=hostile, questions=(hostile, "+ plus", "> quote")),),
    )
    html = MarkdownIt().render(handout.to_markdown(deck))
    literal = "*vet* _schuin_ [link](http://x) &lt;b&gt;html&lt;/b&gt; `code` | pijp &amp;amp;"
    assert "<h1># Kop</h1>" in html
    assert f"<h3>{literal}</h3>" in html
    assert f"<li>{literal}</li>" in html
    assert "<li>+ plus</li>" in html
    assert "<li>&gt; quote</li>" in html
    assert "<li>- geen lijst</li>" in html
    assert "<li>1. geen getal</li>" in html
    for tag in ("<a ", "<b>", "<code>", "<blockquote>"):
        assert tag not in html
