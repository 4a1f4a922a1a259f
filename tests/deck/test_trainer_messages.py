"""Messages a trainer understands (issue 14): at the line where the mistake starts, in their language."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

from stigmacards import i18n
from stigmacards.deck.lint import lint
from stigmacards.deck.loading import analyse_bytes, analyse_text
from stigmacards.deck.problems import Problem

from ..conftest import DATA, DECKS, Cli

MISTAKES = DATA / "trainer" / "mistakes"
HOSTILE = DATA / "hostile"
HEAD = "deck: 1\nid: proef\ntitle: Proef\nlanguage: nl\n"
CARD = "cards:\n  - id: een\n    questions:\n      - Wat dacht je eerst?\n      - Waar kwam dat vandaan?\n      - Wat denk je nu?\n"


def _problems(path: Path, *, pure: bool = False) -> list[Problem]:
    return analyse_bytes(path.read_bytes(), path.name, pure=pure).problems


# --- Where the mistake starts, named in plain words ---------------------------------------------


@pytest.mark.parametrize("pure", [False, True])
@pytest.mark.parametrize(
    ("name", "where", "code", "words"),
    [
        # Was reported at line 90, where the next quote finally closed the text.
        ("unclosed-quote-line-16.yaml", (16, 12), "SC004", 'the quote " opened here is not closed'),
        # Was "mapping values are not allowed" one line late.
        ("nbsp-indentation.yaml", (8, 1), "SC003", "a no-break space (U+00A0) is used as indentation"),
        # Was "put the text in quotes": it was in quotes, typographic ones.
        ("curly-quotes.yaml", (7, 12), "SC004", "typographic quote “"),
        # Was the quotes hint too.
        ("space-before-title.yaml", (3, 2), "SC004", "'title:' is indented 1 space further than 'id:'"),
        # Was silently "has 2 questions" while the trainer sees three lines.
        ("over-indented-dash.yaml", (9, 9), "SC004", "indented further than the '- ' line above it"),
        # Was "invalid UTF-8 byte 0xe9".
        ("latin-1.yaml", (7, 15), "SC002", "looks saved as Windows-1252 (Latin-1), not UTF-8: 'é'"),
    ],
)
def test_a_mistake_is_reported_where_it_starts(
    name: str, where: tuple[int, int], code: str, words: str, pure: bool
) -> None:
    (problem,) = _problems(MISTAKES / name, pure=pure)
    assert ((problem.line, problem.column), problem.code) == (where, code)
    assert words in problem.message
    assert problem.hint


def test_every_mistake_fixture_is_tested() -> None:
    assert len(list(MISTAKES.iterdir())) == 6


@pytest.mark.parametrize(
    "jargon", ["scalar", "simple key", "block mapping", "<block end>", "byte 0x", "token", "stream"]
)
def test_no_parser_jargon_in_messages(jargon: str) -> None:
    messages = [
        p.message
        for path in [*sorted(HOSTILE.iterdir()), *sorted(MISTAKES.iterdir())]
        for p in _problems(path, pure=True)
    ]
    assert [m for m in messages if jargon in m] == []


@pytest.mark.parametrize("level", ["0", "4"])
def test_a_level_out_of_range_has_a_hint(level: str) -> None:
    text = HEAD + CARD.replace("  - id: een\n", f"  - id: een\n    level: {level}\n")
    (problem,) = analyse_text(text).problems
    assert problem.message == f"card 'een' has level {level}; level must be 1, 2 or 3"
    assert "1 is an opening card, 2 goes deeper, 3 is the most personal" in problem.hint


def test_a_language_key_inside_a_card_says_where_translations_go() -> None:
    """'en:' inside a card got 'keys starting with x- are free for your own use'."""
    text = HEAD + CARD + "    en:\n      questions: [A?, B?, C?]\n"
    (problem,) = analyse_text(text).problems
    assert problem.code == "SC101"
    assert "x-" not in problem.hint
    assert "'translations:', then 'en:', 'cards:', 'een:' and 'questions:'" in problem.hint


# --- In the trainer's language -------------------------------------------------------------------


class _Marking(gettext.NullTranslations):
    """Marks every translated message, so text that bypassed gettext stands out."""

    def gettext(self, message: str) -> str:
        return "⟦" + message + "⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return "⟦" + (singular if n == 1 else plural) + "⟧"


BROKEN = [
    HEAD,
    HEAD + "cards: []\n",
    HEAD + "titel: x\n" + CARD,
    HEAD + CARD.replace("Wat denk je nu?", "''"),
    HEAD + "cards:\n  - id: Een\n    level: yes\n    questions: [a?, b?]\n",
    HEAD + "cards:\n  - id: een\n    level: 2.5\n    questions: Wat?\n  - 12\n",
    HEAD + "reflection:\n  - {id: r, kind: scale, prompt: Hoe?, min: 5, max: 1, labels: {9: x}}\n"
    "  - {id: s, kind: poll, prompt: Wat?}\n  - {id: t, prompt: Wat?}\n  - {id: u, kind: choice, prompt: W?, options: [a]}\n"
    + CARD,
    HEAD + CARD + "translations:\n  nl: {title: x}\n  EN: {title: y}\n  en: {cards: {twee: {title: z}}}\n"
    "  yes: {title: q}\n",
    HEAD.replace("language: nl", "language: Nederlands") + "deck: 2\n",
    "deck: 2\nid: x\ntitle: x\nlanguage: nl\n" + CARD,
    "- a\n- b\n",
    HEAD + CARD + CARD.replace("cards:\n", ""),
]


@pytest.mark.parametrize("pure", [False, True])
def test_every_problem_message_goes_through_gettext(monkeypatch: pytest.MonkeyPatch, pure: bool) -> None:
    """A message built without `_()` would stay English under --lang nl: every one must be marked."""
    monkeypatch.setattr(i18n, "_translations", _Marking())
    found: list[Problem] = []
    for path in [*sorted(HOSTILE.iterdir()), *sorted(MISTAKES.iterdir())]:
        found += _problems(path, pure=pure)
    for text in BROKEN:
        analysis = analyse_text(text, "b.yaml", pure=pure)
        found += analysis.problems
    for deck in sorted(DECKS.glob("*.yaml")):
        analysis = analyse_bytes(deck.read_bytes().replace(b"license:", b"x-license:"), deck.name)
        found += lint(analysis)
    assert len({p.code for p in found}) >= 19  # the sample reaches most kinds of problem
    unmarked = [
        p.format() for p in found if _words_outside_gettext(p.message) or _words_outside_gettext(p.hint)
    ]
    assert unmarked == []


def _words_outside_gettext(text: str) -> bool:
    """True when `text` has words that did not come through gettext (quoted values and keys aside)."""
    text = re.sub(r"'[^']*'", "", text)
    while re.search(r"⟦[^⟦⟧]*⟧", text):
        text = re.sub(r"⟦[^⟦⟧]*⟧", "", text)
    return re.search(r"[A-Za-z]{2,}", text) is not None


def test_problems_are_in_dutch_under_lang_nl(cli: Cli) -> None:
    """Codes stay the same; the words are the trainer's."""
    english = cli("deck", "validate", str(MISTAKES / "space-before-title.yaml")).stdout
    dutch = cli("--lang", "nl", "deck", "validate", str(MISTAKES / "space-before-title.yaml")).stdout
    assert "space-before-title.yaml:3:2: error SC004 'title:' is indented" in english
    assert "space-before-title.yaml:3:2: error SC004 'title:' springt 1 spatie verder in" in dutch
    assert "zet 'title:' recht onder 'id:'" in dutch


def test_dutch_numbers_use_dutch_separators() -> None:
    i18n.set_language("nl")
    assert i18n.number(1774) == "1.774"
    (problem,) = analyse_bytes(b"a" * (16 * 1024 * 1024 + 1), "groot.yaml").problems
    assert "16.777.217 bytes" in problem.message
    i18n.set_language("en")
    assert i18n.number(1774) == "1,774"


# --- deck new, import, list -----------------------------------------------------------------------


def test_placeholders_of_deck_new_are_flagged(cli: Cli, tmp_path: Path) -> None:
    """'Vervang deze regel…' passed validate and lint; now lint names it (SC207), validate still passes."""
    path = tmp_path / "nieuw.yaml"
    assert cli("deck", "new", str(path), "--title", "Proef", "--lang", "nl", "--cards", "2").exit_code == 0
    assert cli("deck", "validate", str(path)).exit_code == 0
    result = cli("deck", "lint", str(path))
    flagged = [line for line in result.stdout.splitlines() if " SC207 " in line]
    assert len(flagged) == 3  # two cards and the closing line about support
    assert any("closing line 2 is still the example text" in line for line in flagged)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"Kaart (\d), vraag (\d): wat wil je hier vragen\?", r"Vraag \2 van kaart \1?", text)
    text = text.replace("Vervang deze regel door waar deelnemers steun kunnen vinden", "Steun: het Centrum")
    path.write_text(text, encoding="utf-8")
    assert " SC207 " not in cli("deck", "lint", str(path)).stdout


def test_import_to_stdout_does_not_suggest_validating_stdin(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "vragen.txt"
    source.write_text("Wat?\nWaar?\nHoe?\n", encoding="utf-8")
    result = cli("deck", "import", str(source), "-o", "-", "--lang", "nl")
    assert result.exit_code == 0, result.stderr
    assert "deck validate -" not in result.stdout
    assert "#   stigmacards deck validate FILE" in result.stdout


def test_deck_list_keeps_one_line_per_deck_and_says_how_to_see_errors(
    cli: Cli, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks = isolated_env / "decks"
    decks.mkdir(parents=True)
    title = "Een heel lange titel voor een deck over stigma, werk, zorg en alles daartussen"
    (decks / "lang.yaml").write_text(
        (HEAD + CARD).replace("title: Proef", f"title: {title}").replace("id: proef", "id: lang"),
        encoding="utf-8",
    )
    (decks / "kapot.yaml").write_text(HEAD, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "120")
    result = cli("deck", "list")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("lang "))
    assert title[:20] in row
    assert "yours" in row  # the rest of the row is on the same line: the title did not wrap
    assert "invalid (1 error)" in result.stdout
    assert f"stigmacards deck validate {decks / 'kapot.yaml'}" in result.stderr
