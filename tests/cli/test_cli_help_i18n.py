"""The command-line help and the parser's errors speak Dutch, and the Dutch catalogues agree.

The help texts are found by walking the click tree (so a new command or option is covered the
day it is added); `python tools/i18n_build.py --help-stubs` prints the missing entries.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from babel.messages.pofile import read_po

from stigmacards import i18n
from stigmacards.cli import app, helptext

from ..conftest import Result, run_process

Cli = Callable[..., Result]
DUTCH_DIR = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES"
CATALOGUES = sorted(DUTCH_DIR.glob("*.po"))


def _entries() -> Iterator[tuple[str, str, str]]:
    """(file name, msgid, msgstr) of every translated message in the Dutch catalogues."""
    for po in CATALOGUES:
        with po.open("rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and message.id and isinstance(message.string, str):
                    yield po.name, message.id, message.string


def _dutch() -> dict[str, str]:
    return {msgid: msgstr for _, msgid, msgstr in _entries() if msgstr}


def _help_texts() -> list[str]:
    return sorted(set(helptext.help_texts(typer.main.get_command(app))))


def test_the_walk_finds_the_help_texts() -> None:
    """Commands, options and arguments are all found (so the next test cannot pass vacuously)."""
    texts = _help_texts()
    assert len(texts) > 100
    assert any(t.startswith("Check decks and report every problem") for t in texts)  # a command
    assert "Number of tables (default 1)." in texts  # an option
    assert "Deck files, directories of decks, or bundled deck ids." in texts  # an argument
    assert "Write, check and look at decks." in texts  # a group


def test_every_help_text_has_a_dutch_translation() -> None:
    dutch = _dutch()
    missing = [text for text in _help_texts() if not dutch.get(text)]
    assert not missing, (
        f"{len(missing)} help text(s) without Dutch: {missing}\n"
        "run `python tools/i18n_build.py --help-stubs`, translate into cli_help.po, then make i18n"
    )


def test_every_example_is_kept_word_for_word() -> None:
    """A help text's "Example: <command>" is "Voorbeeld: <the same command>" in Dutch."""
    dutch = _dutch()
    for text in _help_texts():
        for command in re.findall(r"^Example: (.+)$", text, flags=re.MULTILINE):
            assert f"Voorbeeld: {command}" in dutch[text], text


def _fields(text: str) -> list[tuple[str, str, str]]:
    return sorted(
        (name, spec or "", conversion or "")
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_placeholders_survive_translation(po: Path) -> None:
    """Every {name}, {size:,} and {name!r} of the English is in the Dutch, and nothing else."""
    wrong = [
        (msgid, msgstr)
        for name, msgid, msgstr in _entries()
        if name == po.name and msgstr and _fields(msgid) != _fields(msgstr)
    ]
    assert not wrong


def test_a_message_in_two_catalogues_reads_the_same_in_both() -> None:
    """The first catalogue would win silently, so duplicates must agree."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for name, msgid, msgstr in _entries():
        if msgid in seen and seen[msgid][1] != msgstr:
            clashes.append((msgid, seen[msgid], (name, msgstr)))
        seen.setdefault(msgid, (name, msgstr))
    assert not clashes


# Words the Dutch interface does not use, with the word it does use.
_GLOSSARY = {
    r"facilitator": "gespreksleider",
    r"begeleider": "gespreksleider",
    r"prostitu\w*": "sekswerker",
    r"terugblik": "reflectie",
    r"u\b|uw\b": "je/jij (je-vorm)",
}


def test_the_dutch_keeps_to_the_glossary() -> None:
    found = [
        (msgstr, word, use)
        for _, _msgid, msgstr in _entries()
        for word, use in _GLOSSARY.items()
        if re.search(rf"\b(?:{word})", msgstr, flags=re.IGNORECASE)
    ]
    assert not found


@pytest.mark.parametrize(
    ("args", "dutch"),
    [
        (
            ("--help",),
            [
                "Gebruik: stigmacards [OPTIONS] COMMAND",
                "Gesprekskaarten voor begeleide dialoogsessies over stigma.",
                "Opties:",
                "Opdrachten:",
                "Toon de versie en stop.",
                "Toon deze hulp en stop.",
                "Schrijf, controleer en bekijk decks.",
            ],
        ),
        (
            ("deck", "validate", "-h"),
            [
                "Gebruik: stigmacards deck validate",
                "Controleer decks en meld elk probleem",
                "Voorbeeld: stigmacards deck validate decks/my-deck.yaml",
                "Argumenten:",
                "[verplicht]",
                "[standaard: text]",
            ],
        ),
        (
            ("session", "report", "-h"),
            ["verborgen om de anonimiteit te beschermen", "Minimale groepsgrootte k"],
        ),
        (("timer", "-h"), ["Tel één ronde af", "Voorbeeld: stigmacards timer 10 --calm"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_lang_nl_shows_the_help_in_dutch(cli: Cli, args: tuple[str, ...], dutch: list[str]) -> None:
    result = cli("--lang", "nl", *args)
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())  # as read, whatever the line breaks
    for text in dutch:
        assert text in shown
    for english in ("Usage:", "Options:", "Show this message", "Example:", "[default:", "[required]"):
        assert english not in result.stdout


def test_a_group_without_a_command_shows_its_help_in_dutch(cli: Cli) -> None:
    result = cli("--lang", "nl", "session")
    assert "Maak sessies aan en beheer hun anonieme reflecties." in result.stdout + result.stderr
    assert "Opdrachten:" in result.stdout + result.stderr


def test_lang_from_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """LANG=nl_NL.UTF-8 is enough (LC_ALL=C.UTF-8 names no language, so LANG decides)."""
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    result = cli("deck", "-h")
    assert "Gebruik: stigmacards deck" in result.stdout
    assert "Schrijf, controleer en bekijk decks." in result.stdout


@pytest.mark.slow
def test_lang_from_the_environment_in_a_real_process() -> None:
    result = run_process("deck", "lint", "-h", env={"LC_ALL": "", "LANG": "nl_NL.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert "Meld stijlwaarschuwingen in decks." in result.stdout
    assert "Voorbeeld: stigmacards deck lint decks/my-deck.yaml" in result.stdout


def test_english_after_dutch_in_the_same_process(cli: Cli) -> None:
    """The tree is built afresh and typer's words follow the current language, not the last one."""
    cli("--lang", "nl", "deck", "-h")
    result = cli("--lang", "en", "deck", "-h")
    assert "Usage: stigmacards deck" in result.stdout
    assert "Write, check and look at decks." in result.stdout
    assert "Options:" in result.stdout
    assert "Show this message and exit." in result.stdout


@pytest.mark.parametrize(
    ("args", "dutch"),
    [
        (("timer",), "Fout: Argument 'MINUTES' ontbreekt."),
        (("deck", "validatx"), "Fout: Onbekende opdracht 'validatx'. Bedoel je 'validate'?"),
        (
            ("deck", "validate", "--formt", "json"),
            "Fout: Onbekende optie: --formt (mogelijke opties: --format)",
        ),
        (
            ("deck", "validate", "x", "--format", "yaml"),
            "Fout: Ongeldige waarde voor '--format': 'yaml' is geen",
        ),
        (
            ("play", "--tables", "0"),
            "stigmacards play: Ongeldige waarde voor '--tables': 0 valt buiten het bereik 1<=x<=50.",
        ),
        (("play", "--tables", "x"), "'x' is geen geldig heel getal."),
        (("timer", "7,5"), "'7,5' is geen geldig getal (met een punt als decimaalteken: 7.5)."),
        (("timer", "1", "2"), "Fout: Te veel argumenten: 2"),
        (("deal", "--tables"), "Fout: Optie '--tables' heeft een waarde nodig."),
        (("play", "--resume=yes"), "Fout: Optie '--resume' accepteert geen waarde."),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_parser_errors_in_dutch(cli: Cli, args: tuple[str, ...], dutch: str) -> None:
    result = cli("--lang", "nl", *args)
    assert result.exit_code == 2
    assert dutch in result.stderr
    assert "Error" not in result.stderr
    if "Gebruik:" in result.stderr:
        assert f"Typ 'stigmacards {args[0]}" in result.stderr


def test_parser_errors_in_english_read_exactly_as_click_writes_them(
    cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    """Translating is a no-op in English: same usage line, hint, blank line and message."""
    from typer._click.exceptions import UsageError

    for args in (
        ["timer"],
        ["deck", "validatx"],
        ["timer", "1", "2"],
        ["deal", "--tables"],
    ):
        ours = cli(*args)
        command = typer.main.get_command(app)
        with pytest.raises(UsageError) as caught:
            command.main(args=args, prog_name="stigmacards", standalone_mode=False)
        caught.value.show()
        assert ours.stderr == capsys.readouterr().err
        assert ours.exit_code == caught.value.exit_code == 2


def test_an_unknown_shape_of_error_stays_as_click_wrote_it() -> None:
    i18n.set_language("nl")
    assert helptext.error_message("Something click says one day.") == "Something click says one day."
    assert helptext.error_message("Missing argument 'X'.") == "Argument 'X' ontbreekt."


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_compiling_is_deterministic(po: Path) -> None:
    """The same .po gives the same .mo bytes (no build time or tool version inside)."""
    from tools.i18n_build import compile_po

    first = compile_po(po)
    assert first == compile_po(po)
    assert b"POT-Creation-Date" not in first
    assert b"Generated-By" not in first


def test_an_unsupported_interface_language_is_a_usage_error(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--lang fr` used to be ignored in silence; the message speaks the language of the environment."""
    result = cli("--lang", "fr", "deck", "list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "stigmacards: unsupported language 'fr' (choose one of: en, nl)\n"
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    result = cli("--lang", "fr", "deck", "list")
    assert result.stderr == "stigmacards: taal 'fr' wordt niet ondersteund (kies uit: en, nl)\n"


def test_a_list_of_flags_in_a_dutch_message_is_dutch(cli: Cli) -> None:
    result = cli("--lang", "nl", "deck", "new")  # no terminal under pytest
    assert result.exit_code == 2
    assert "geef --title, --lang en --cards, of --yes mee" in result.stderr
