"""Whatever a deck says reaches the terminal inert: no markup, emoji codes, escapes or bidi tricks.

A deck is shared between organisations, so its texts are untrusted. They are shown through
`text.inert()` and rich `Text` (never markup), on a console that believes it is a colour
terminal, so that only rich's own styling (SGR sequences) may appear in the output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from stigmacards.deck.loading import analyse_text, load_deck_text
from stigmacards.deck.model import localize
from stigmacards.text import ELLIPSIS, QUOTE_LIMIT, clip, inert, is_inert, shown, well_formed
from stigmacards.ui.render import card_panel, deck_table, deck_view

from ..conftest import Result
from ..fuzzing import fuzz

Cli = Callable[..., Result]

# YAML double-quoted escapes: \e is ESC, \a BEL, \b backspace, \x9b the C1 CSI.
PAYLOAD = (
    r"[bold red]x[/] [link=https://e.vil]klik[/link] :smile: \e[2J\e[31mrood"
    r" \e]8;;http://e.vil\e\\link\e]8;;\e\\ \e]52;c;SGFjaw==\a \x9b31m"
    r" \u202eesrever\u202c \u2066iso\u2069 \u2067x\u2068y\u2069 bel\a bs\b"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")
# Anything but rich's own SGR that a terminal would act on, or that reorders text.
DANGEROUS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile_deck(deck_id: str = "vijandig") -> str:
    p = f'"{PAYLOAD}"'
    return f"""\
deck: 1
id: {deck_id}
title: {p}
language: nl
description: {p}
license: {p}
content_notes: [{p}]
intro: [{p}]
closing: [{p}]
cards:
  - id: een
    title: {p}
    tags: [{p}]
    content_note: {p}
    facilitator_note: {p}
    questions: [{p}, {p}, {p}]
translations:
  en:
    title: {p}
    cards:
      een: {{title: {p}, questions: [{p}, {p}, {p}]}}
"""


def assert_inert_output(out: str) -> None:
    """Only rich's SGR styling; the markup and emoji codes visible as typed."""
    assert "\x1b]" not in out  # no OSC at all: no hyperlinks, no clipboard writes
    visible = SGR.sub("", out)
    assert "\x1b" not in visible
    assert DANGEROUS.search(visible) is None, repr(DANGEROUS.search(visible))
    assert "[bold red]x[/]" in visible
    assert "[link=https://e.vil]klik[/link]" in visible
    assert ":smile:" in visible
    assert "😄" not in visible


@pytest.fixture
def colour_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rich believe stdout and stderr are a wide colour terminal."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "400")


def test_the_payload_loads_with_its_escapes() -> None:
    """The test is only meaningful if the deck really carries ESC, C1 and bidi characters."""
    deck = load_deck_text(hostile_deck())
    assert "\x1b[2J" in deck.title
    assert "\x9b" in deck.title
    assert "\u202e" in deck.cards[0].questions[0]
    assert "\x07" in deck.cards[0].facilitator_note  # type: ignore[operator]


@pytest.mark.usefixtures("colour_terminal")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_deck_show_is_inert(cli: Cli, tmp_path: Path, lang: str) -> None:
    path = tmp_path / "vijandig.yaml"
    path.write_text(hostile_deck(), encoding="utf-8")
    result = cli("deck", "show", str(path), "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert SGR.search(result.stdout), "the console did not think it was a colour terminal"
    assert_inert_output(result.stdout)
    assert "esrever" in result.stdout
    assert DANGEROUS.search(SGR.sub("", result.stderr)) is None


@pytest.mark.usefixtures("colour_terminal")
def test_deck_list_is_inert(cli: Cli, isolated_env: Path) -> None:
    decks = isolated_env / "decks"
    decks.mkdir(parents=True)
    (decks / "vijandig.yaml").write_text(hostile_deck(), encoding="utf-8")
    # An invalid deck is listed by its file name, which is just as untrusted.
    (decks / "\x1b[2J[bold red]x\u202e.yaml").write_text("deck: 2\n", encoding="utf-8")
    result = cli("deck", "list")
    assert result.exit_code == 0, result.stderr
    assert SGR.search(result.stdout)
    assert "\x1b]" not in result.stdout
    visible = SGR.sub("", result.stdout)
    assert "\x1b" not in visible
    assert DANGEROUS.search(visible) is None
    assert "[2J[bold red]x" in visible


@pytest.mark.usefixtures("colour_terminal")
def test_validate_messages_quote_values_inertly(cli: Cli, tmp_path: Path) -> None:
    """The message quotes the bad value: markup literal, escapes gone, long values clipped."""
    text = hostile_deck().replace("  - id: een\n", f'  - id: "{PAYLOAD}"\n', 1)
    path = tmp_path / "vijandig.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("deck", "validate", str(path))
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "SC105" in line)
    assert "\x1b" not in line
    assert DANGEROUS.search(line) is None
    # ESC gone, then cut to 59 characters and an ellipsis.
    assert "'[bold red]x[/] [link=https://e.vil]klik[/link] :smile: [2J[…'" in line
    as_json = cli("deck", "validate", "--format", "json", str(path))
    for problem in json.loads(as_json.stdout):
        assert is_inert(problem["message"])
        assert is_inert(problem["hint"])


@pytest.mark.usefixtures("colour_terminal")
def test_show_of_an_invalid_hostile_deck_is_one_inert_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "vijandig.yaml"
    path.write_text(hostile_deck(deck_id=f'"{PAYLOAD}"'), encoding="utf-8")
    result = cli("deck", "show", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert DANGEROUS.search(SGR.sub("", lines[0])) is None
    assert "\x1b" not in SGR.sub("", lines[0])


def test_renderers_on_a_forced_terminal_console() -> None:
    """The renderers themselves, on Console(force_terminal=True, record=True)."""
    deck = localize(load_deck_text(hostile_deck()))
    out = StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=300, record=True)
    console.print(deck_view(deck))
    console.print(card_panel(deck.cards[0], label=PAYLOAD.replace(r"\e", "\x1b")))
    console.print(deck_table([(deck.id, deck.title, "nl", "yours", {1: 1}, deck.title)]))
    assert_inert_output(out.getvalue())
    assert_inert_output(console.export_text(styles=True))


def test_loader_messages_are_inert_and_clipped() -> None:
    long_id = "A" * 500 + "\\e[2J"
    problems = analyse_text(hostile_deck(deck_id=f'"{long_id}"')).problems
    assert problems
    for problem in problems:
        assert is_inert(problem.message)
        assert len(problem.message) < 200
    assert "'" + "A" * (QUOTE_LIMIT - 1) + ELLIPSIS + "'" in problems[0].message


# --- inert() and friends ---------------------------------------------------------------------


def test_inert_examples() -> None:
    assert inert("\x1b[31mrood\x1b[0m") == "[31mrood[0m"
    assert inert("a\tb") == "a b"
    assert inert("a\r\nb") == "a\nb"
    assert inert("a\nb", single_line=True) == "a b"
    assert inert("\u202eabc\u202c") == "abc"
    assert inert("[bold]x[/] :smile:") == "[bold]x[/] :smile:"
    assert inert("\x9b31m\x07\x08") == "31m"


def test_shown_clips_and_flattens() -> None:
    assert shown("x" * 61) == "x" * 59 + ELLIPSIS
    assert shown("a\nb\x1b") == "a b"
    assert shown(12) == "12"
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab" + ELLIPSIS


_SOMETIMES_DANGEROUS = st.characters(
    codec=None,
    categories=None,  # every code point, controls and unassigned ones included
)


# Pieces of real attacks and of markup, glued together with arbitrary characters: random code
# points alone rarely spell `\x1b]8;;` or `[link=`.
_ATTACK_PIECES = st.sampled_from(
    [
        "\x1b", "\x1b[", "\x1b]", "\x1b\\", "\x07", "\x9b", "\x9d", "\x90", "\x1b[2J", "\x1b]8;;http://e.vil\x07",
        "\x1b]52;c;SGFjaw==\x07", "\x1bP", "\x1b_", "\x1b^", "\r", "\b", "\x7f", "\u202e", "\u202d", "\u2066",
        "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff", "[bold]", "[/]",
        "[link=https://e.vil]", ":smile:", ":warning:", "\\[", "\n", "\t", "é", "中", "😀",
    ]
)  # fmt: skip
ATTACKS = st.lists(st.one_of(_ATTACK_PIECES, st.text(_SOMETIMES_DANGEROUS, max_size=3)), max_size=30).map(
    "".join
)
UNTRUSTED = st.one_of(st.text(_SOMETIMES_DANGEROUS), ATTACKS)


@fuzz(300)
@given(text=UNTRUSTED, single_line=st.booleans())
def test_inert_output_is_inert_and_idempotent(text: str, single_line: bool) -> None:
    once = inert(text, single_line=single_line)
    assert DANGEROUS.search(once) is None
    assert "\t" not in once
    assert "\r" not in once
    assert "\u2028" not in once
    assert "\u2029" not in once
    if single_line:
        assert "\n" not in once
    assert inert(once, single_line=single_line) == once
    assert is_inert(once)


@fuzz(200)
@given(value=UNTRUSTED)
def test_shown_is_one_short_inert_line(value: str) -> None:
    out = shown(value)
    assert len(out) <= QUOTE_LIMIT
    assert "\n" not in out
    assert is_inert(out)


def test_bytes_that_were_not_utf8_become_replacement_characters() -> None:
    """A stray byte from the terminal arrives as a lone surrogate; it cannot be stored or shown."""
    typed = b"caf\xe9 \xff ok".decode("utf-8", "surrogateescape")
    assert well_formed(typed) == "caf\ufffd \ufffd ok"
    assert well_formed("\ud800 half a pair") == "? half a pair"
    assert well_formed("gewoon ✓") == "gewoon ✓"
    assert inert("a\udc80b") == "ab"
    assert not is_inert("a\udc80b")


@fuzz(150)
@given(text=UNTRUSTED)
def test_rich_shows_inert_text_inertly(text: str) -> None:
    """Through rich on a colour terminal that would expand emoji and highlight: only SGR styling
    of rich's own reaches the terminal, and no markup in the text becomes styling or a link."""
    out = StringIO()
    console = Console(
        file=out, force_terminal=True, color_system="truecolor", width=40, emoji=True, highlight=True
    )
    console.print(Text(inert(text)), style="bold")
    rendered = out.getvalue()
    assert DANGEROUS.search(SGR.sub("", rendered)) is None
    assert "\x1b]" not in rendered  # no OSC: no hyperlink, no clipboard, no title


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("[klik](http://x.nl)", r"\[klik\](http://x.nl)"),
        ("<b>vet</b> & meer", r"\<b\>vet\</b\> &amp; meer"),
        ("- geen lijst", r"\- geen lijst"),
        ("1. geen lijst", r"1\. geen lijst"),
        ("# geen kop | geen cel", r"\# geen kop \| geen cel"),
        ("twee\nregels", "twee regels"),
    ],
)
def test_markdown_literal_text_never_becomes_markup(text: str, shown: str) -> None:
    """One escaper for the deck handout and the reports, with the rules of both."""
    from stigmacards.text import markdown_literal

    assert markdown_literal(text) == shown
