"""`deck new`: the skeleton is a valid, commented deck, written once, the same by prompts or flags."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stigmacards import i18n
from stigmacards.cli import deck as deck_cli
from stigmacards.cli.deck import ask_new_deck
from stigmacards.deck.lint import lint
from stigmacards.deck.loading import analyse_text
from stigmacards.deck.skeleton import NewDeck, default_id, new_deck, quote, skeleton
from stigmacards.errors import UsageError
from stigmacards.ui.prompts import Choice

SCHEMA_REF = "deck.schema.json"


class ScriptedPrompter:
    """Answers prompts from a script keyed by the flag each prompt names; records every question."""

    def __init__(self, **answers: Any) -> None:
        self.answers = {flag: list(values) for flag, values in answers.items()}
        self.asked: list[tuple[str, str]] = []

    def _next(self, message: str, flag: str, default: Any = None) -> Any:
        self.asked.append((flag, message))
        queue = self.answers.get(flag.lstrip("-"))
        if not queue:
            raise AssertionError(f"unexpected prompt {message!r} ({flag})")
        answer = queue.pop(0)
        return default if answer is ... else answer

    def select(self, message: str, choices: Sequence[Choice], *, default: Any = None, flag: str = "") -> Any:
        answer = self._next(message, flag, default)
        assert answer in [c.value for c in choices]
        return answer

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        return str(self._next(message, flag, default))

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        return bool(self._next(message, flag, default))

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        answer = int(self._next(message, flag, default))
        assert minimum <= answer <= maximum
        return answer

    def number(
        self, message: str, *, default: float, minimum: float, maximum: float, flag: str = ""
    ) -> float:
        return float(self._next(message, flag, default))


def load(text: str) -> Any:
    analysis = analyse_text(text, "new.yaml")
    assert analysis.errors == [], [p.format() for p in analysis.errors]
    assert analysis.deck is not None
    return analysis


# --- the pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Sekswerk en stigma", "sekswerk-en-stigma"),
        ("Één · ‘test’", "een-test"),
        ("  Stigma: op het werk!  ", "stigma-op-het-werk"),
        ("Ça va? Déjà-vu", "ca-va-deja-vu"),
        ("日本語", "deck"),
        ("---", "deck"),
        ("Straße", "strasse"),
    ],
)
def test_slug_from_title(title: str, slug: str) -> None:
    assert default_id(title) == slug


def test_long_titles_give_short_ids() -> None:
    slug = default_id("woord " * 40)
    assert len(slug) <= 48
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


titles = st.text(min_size=1, max_size=60).filter(lambda t: t.strip())


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=titles,
    language=st.sampled_from(["nl", "en", "de", "en-GB", "no"]),
    cards=st.integers(min_value=1, max_value=14),
)
@example(title="Één · ‘test’", language="nl", cards=12)
@example(title='"quoted" # not a comment: really\\', language="en", cards=1)
@example(title="- [list?] &anchor *alias !tag {map: x}", language="en", cards=2)
@example(title="yes", language="no", cards=1)
@example(title="line\nbreak\u2028and\x85more\u202eevil\x1b[31m", language="nl", cards=1)
def test_skeleton_is_a_valid_deck_for_any_title(title: str, language: str, cards: int) -> None:
    spec = NewDeck(title=title.strip(), deck_id=default_id(title), language=language, cards=cards)
    analysis = load(skeleton(spec, schema_ref=SCHEMA_REF))
    deck = analysis.deck
    assert deck.title == spec.title  # exactly what was typed, whatever its characters
    assert deck.id == spec.deck_id
    assert deck.language == language
    assert len(deck.cards) == cards
    assert deck.intro
    assert deck.closing
    # Placeholders are proper questions, and lint says they are still to be replaced (SC207).
    found = lint(analysis)
    assert {p.code for p in found} <= {"SC205", "SC206", "SC207"}
    placeholders = [p for p in found if p.code == "SC207"]
    assert len(placeholders) == cards + 1  # every card, and the closing line about support


@pytest.mark.parametrize("language", ["nl", "en"])
def test_skeleton_explains_itself(language: str) -> None:
    text = skeleton(NewDeck("Stigma", "stigma", language, 2), schema_ref=SCHEMA_REF)
    assert text.startswith("# yaml-language-server: $schema=deck.schema.json\n")
    for key in ("deck", "id", "title", "language", "intro", "closing", "cards", "questions", "level"):
        line = next(line for line in text.splitlines() if line.strip().startswith(f"{key}:"))
        assert "#" in line, f"{key} has no comment"
    for optional in (
        "description",
        "version",
        "authors",
        "license",
        "content_notes",
        "reflection",
        "translations",
    ):
        assert f"# {optional}:" in text, optional
    for optional in ("tags", "content_note", "facilitator_note"):
        assert f"    # {optional}:" in text, optional


def test_skeleton_intro_offers_the_right_to_pass() -> None:
    nl = load(skeleton(NewDeck("Stigma", "stigma", "nl", 1), schema_ref=SCHEMA_REF)).deck
    en = load(skeleton(NewDeck("Stigma", "stigma", "en", 1), schema_ref=SCHEMA_REF)).deck
    assert "passen" in nl.intro[0]
    assert "pass" in en.intro[0]


_COMMENTED_KEY = re.compile(r"^(\s*)# (\s*(?:- |[a-z0-9_-]+:))")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_uncommenting_every_optional_key_still_gives_a_valid_deck(language: str) -> None:
    """What the comments offer is itself correct: remove every '# ' before a key and it loads."""
    text = skeleton(NewDeck("Stigma", "stigma", language, 3), schema_ref=SCHEMA_REF)
    modeline, *rest = text.splitlines()
    opened = "\n".join([modeline, *(_COMMENTED_KEY.sub(r"\1\2", line) for line in rest)])
    analysis = load(opened)
    deck = analysis.deck
    assert deck.license == "CC-BY-4.0"
    assert deck.version == "1.0"
    assert deck.content_notes
    assert [p.kind for p in deck.reflection] == ["scale", "choice", "text"]
    assert deck.cards[0].content_note
    assert deck.cards[0].facilitator_note
    assert deck.cards[0].tags
    assert list(deck.translations) == ["en" if language == "nl" else "nl"]


def test_skeleton_comments_are_in_the_deck_language_whatever_the_interface() -> None:
    dutch = skeleton(NewDeck("Stigma", "stigma", "nl", 1), schema_ref=SCHEMA_REF)
    english = skeleton(NewDeck("Stigma", "stigma", "en", 1), schema_ref=SCHEMA_REF)
    assert "formaatversie" in dutch
    assert "format version" in english
    i18n.set_language("nl")
    assert skeleton(NewDeck("Stigma", "stigma", "en", 1), schema_ref=SCHEMA_REF) == english
    i18n.set_language("en")
    assert skeleton(NewDeck("Stigma", "stigma", "nl", 1), schema_ref=SCHEMA_REF) == dutch


def test_schema_reference_stays_on_its_line() -> None:
    text = skeleton(NewDeck("S", "s", "en", 1), schema_ref="/tmp/a b\nc/deck.schema.json")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=/tmp/a%20b%0Ac/deck.schema.json"


@given(st.text(max_size=30))
def test_quote_round_trips(text: str) -> None:
    import yaml

    assert yaml.safe_load(quote(text)) == text


# --- the questions ----------------------------------------------------------------------------


def wizard(prompter: ScriptedPrompter, **given: Any) -> NewDeck:
    """The questions `deck new` asks, then the deck the answers describe."""
    title, deck_id, language, cards = ask_new_deck(prompter, **given)
    return new_deck(title=title, deck_id=deck_id, language=language, cards=cards)


def test_wizard_suggests_the_id_from_the_title() -> None:
    prompter = ScriptedPrompter(title=["Één · ‘test’"], id=[...], lang=["en"], cards=["3"])
    spec = wizard(prompter)
    assert spec == NewDeck("Één · ‘test’", "een-test", "en", 3)
    assert [flag for flag, _ in prompter.asked] == ["--title", "--id", "--lang", "--cards"]


def test_wizard_asks_again_for_an_empty_title_or_a_bad_id() -> None:
    prompter = ScriptedPrompter(
        title=["   ", "Stigma"], id=["Mijn Deck!", "mijn-deck"], lang=["nl"], cards=["12"]
    )
    spec = wizard(prompter)
    assert spec == NewDeck("Stigma", "mijn-deck", "nl", 12)
    assert len(prompter.asked) == 6
    assert "Mijn Deck!" in prompter.asked[3][1]


def test_wizard_asks_only_what_the_flags_leave_open() -> None:
    prompter = ScriptedPrompter(cards=["5"])
    spec = wizard(prompter, title="Stigma", deck_id="stigma", language="en")
    assert spec.cards == 5
    assert [flag for flag, _ in prompter.asked] == ["--cards"]


def test_card_count_is_not_prefilled_enter_means_the_default() -> None:
    """Typing 8 must give 8 (a pre-filled 12 gave 128); Enter gives 12; nonsense is asked again."""
    prompter = ScriptedPrompter(cards=[...])
    assert wizard(prompter, title="S", deck_id="s", language="en").cards == 12
    assert "12" in prompter.asked[0][1]
    prompter = ScriptedPrompter(cards=["0", "acht", "8"])
    assert wizard(prompter, title="S", deck_id="s", language="en").cards == 8
    assert len(prompter.asked) == 3


def test_without_a_prompter_the_defaults_are_used() -> None:
    assert new_deck(default_language="nl") == NewDeck("Nieuw deck", "nieuw-deck", "nl", 12)
    assert new_deck(title="Stigma", language="en") == NewDeck("Stigma", "stigma", "en", 12)


@pytest.mark.parametrize(
    ("given_", "flag"),
    [
        ({"title": "  "}, "--title"),
        ({"title": "x", "deck_id": "Bad Id"}, "--id"),
        ({"title": "x", "language": "Nederlands"}, "--lang"),
        ({"title": "x", "cards": 0}, "--cards"),
    ],
)
def test_bad_flag_values_name_the_flag(given_: dict[str, Any], flag: str) -> None:
    with pytest.raises(UsageError, match=flag):
        new_deck(**given_)


def test_real_questionary_prompts_through_a_pipe() -> None:
    """The questionary adapter itself, driven by keystrokes: title, accept id, pick English, 3 cards."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from stigmacards.ui.prompts import QuestionaryPrompter

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("Één · ‘test’\r")  # title
        pipe.send_text("\r")  # accept the suggested id
        pipe.send_text("\x1b[B\r")  # down from Nederlands to English
        pipe.send_text("8\r")  # nothing pre-filled: 8 is 8, not 128
        answers = ask_new_deck(QuestionaryPrompter(), default_language="nl")
    assert answers == ("Één · ‘test’", "een-test", "en", 8)


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_flags_write_id_dot_yaml_in_the_current_directory(cli: Any, workdir: Path) -> None:
    result = cli("deck", "new", "--title", "Één · ‘test’", "--lang", "nl", "--cards", "2")
    assert result.exit_code == 0, result.stderr
    written = workdir / "een-test.yaml"
    deck = load(written.read_text(encoding="utf-8")).deck
    assert (deck.title, len(deck.cards)) == ("Één · ‘test’", 2)
    assert "een-test.yaml" in result.stderr
    assert cli("deck", "validate", str(written)).exit_code == 0


def test_prompts_and_flags_write_the_same_file(
    cli: Any, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompter = ScriptedPrompter(title=["Stigma op het werk"], id=[...], lang=["nl"], cards=[4])
    monkeypatch.setattr(deck_cli, "make_prompter", lambda flags: prompter)
    asked = cli("deck", "new", "asked.yaml")
    assert asked.exit_code == 0, asked.stderr
    assert len(prompter.asked) == 4
    flagged = cli(
        "deck", "new", "flagged.yaml", "--title", "Stigma op het werk", "--id", "stigma-op-het-werk",
        "--lang", "nl", "--cards", "4", "--yes",
    )  # fmt: skip
    assert flagged.exit_code == 0, flagged.stderr
    assert (workdir / "asked.yaml").read_bytes() == (workdir / "flagged.yaml").read_bytes()


def test_refuses_to_overwrite_and_changes_nothing(cli: Any, workdir: Path) -> None:
    target = workdir / "mine.yaml"
    target.write_text("my precious deck\n", encoding="utf-8")
    before = target.stat()
    result = cli("deck", "new", str(target), "--title", "Stigma", "--yes")
    assert result.exit_code == 5
    assert "already exists" in result.stderr
    assert result.stderr.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "my precious deck\n"
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in workdir.iterdir()) == ["mine.yaml"]


def test_a_directory_path_gets_the_id_as_file_name(cli: Any, workdir: Path) -> None:
    (workdir / "decks").mkdir()
    result = cli("deck", "new", "decks", "--title", "Stigma", "--yes")
    assert result.exit_code == 0, result.stderr
    assert (workdir / "decks" / "stigma.yaml").is_file()


def test_schema_beside_the_deck_is_referenced_by_name(cli: Any, workdir: Path) -> None:
    assert cli("deck", "schema", "-o", "deck.schema.json").exit_code == 0
    assert cli("deck", "new", "--title", "Stigma", "--yes").exit_code == 0
    first = (workdir / "stigma.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=deck.schema.json"


def test_a_new_deck_names_a_schema_beside_it_which_is_written_there(cli: Any, workdir: Path) -> None:
    """Never a file:// link into site-packages: that breaks when the deck is shared or reinstalled."""
    result = cli("deck", "new", "--title", "Stigma", "--yes")
    assert result.exit_code == 0, result.stderr
    first = (workdir / "stigma.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=deck.schema.json"
    written = json.loads((workdir / "deck.schema.json").read_text(encoding="utf-8"))
    assert written == json.loads(cli("deck", "schema").stdout)
    assert "deck.schema.json beside it" in result.stdout
    own = '{"my": "edited schema"}'
    (workdir / "deck.schema.json").write_text(own, encoding="utf-8")
    assert cli("deck", "new", "second.yaml", "--title", "Tweede", "--yes").exit_code == 0
    assert (workdir / "deck.schema.json").read_text(encoding="utf-8") == own  # an existing one is kept


def test_missing_directory_is_one_line(cli: Any, workdir: Path) -> None:
    result = cli("deck", "new", "nowhere/x.yaml", "--title", "Stigma", "--yes")
    assert result.exit_code == 5
    assert "does not exist" in result.stderr
    assert result.stderr.count("\n") == 1


def test_bad_id_flag_is_a_usage_error(cli: Any, workdir: Path) -> None:
    result = cli("deck", "new", "--title", "Stigma", "--id", "Stigma!", "--yes")
    assert result.exit_code == 2
    assert "--id" in result.stderr
    assert list(workdir.iterdir()) == []


def test_without_a_terminal_it_names_the_flags(cli: Any, workdir: Path) -> None:
    result = cli("deck", "new")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert "--title" in result.stderr
    assert list(workdir.iterdir()) == []


def _spawn_new(cwd: Path, home: Path) -> Any:
    import os
    import sys

    import pexpect

    env = dict(os.environ, STIGMACARDS_HOME=str(home), NO_COLOR="1", TERM="xterm", LC_ALL="C.UTF-8")
    return pexpect.spawn(
        sys.executable,
        ["-m", "stigmacards", "deck", "new"],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 80),
    )


@pytest.mark.slow
def test_wizard_in_a_real_terminal(workdir: Path, isolated_env: Path) -> None:
    """A trainer's session, as typed: title, accept the id, accept Nederlands, 5 cards."""
    import pexpect

    child = _spawn_new(workdir, isolated_env)
    child.expect("Title of the deck")
    child.send("Stigma op het werk\r")
    child.expect("Deck id")
    child.send("\r")
    child.expect("Language of the deck")
    child.send("\r")
    child.expect("Number of blank cards")
    child.send("\x7f\x7f5\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    deck = load((workdir / "stigma-op-het-werk.yaml").read_text(encoding="utf-8")).deck
    assert (deck.title, deck.language, len(deck.cards)) == ("Stigma op het werk", "en", 5)


@pytest.mark.slow
def test_ctrl_c_in_the_wizard_writes_nothing(workdir: Path, isolated_env: Path) -> None:
    # Spawn, expect, close as in the test above, on purpose: each pty test reads as one typed session.
    import pexpect

    child = _spawn_new(workdir, isolated_env)
    child.expect("Title of the deck")
    child.send("Half a tit")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(workdir.iterdir()) == []
