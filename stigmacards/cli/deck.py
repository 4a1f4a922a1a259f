"""`stigmacards deck …`: write, check, show and list decks.

Imported at every start-up (`--help` too): only typer and light modules at the top; the loader,
the model, rich and questionary are imported inside the commands that use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards import i18n, paths
from stigmacards.cli import common
from stigmacards.cli.common import language_notice, load
from stigmacards.deck.catalog import DEFAULT_DECK
from stigmacards.deck.checking import OutputFormat
from stigmacards.deck.format import MAX_NEW_CARDS
from stigmacards.errors import UsageError
from stigmacards.i18n import _
from stigmacards.text import inert

if TYPE_CHECKING:
    from stigmacards.ui.prompts import Prompter

__all__ = ["app"]

app = typer.Typer(
    help="Write, check and look at decks.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


# The prompter, a seam tests replace (cli/common.py makes the real one).
make_prompter = common.make_prompter


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
def _check(specs: list[Path], *, warnings: bool, fmt: OutputFormat, printing: bool = False) -> int:
    """Print the report of `checking.check` and return its exit code."""
    from stigmacards.deck.checking import check

    if printing:  # the printed strings against the card font and the card size
        from stigmacards.printing import readiness

        report = check(specs, warnings=warnings, fmt=fmt, extra=readiness.check)
    else:
        report = check(specs, warnings=warnings, fmt=fmt)
    for line in report.out:
        typer.echo(line)
    for line in report.err:
        typer.echo(line, err=True)
    return report.code


PathsArg = Annotated[
    list[Path],
    typer.Argument(metavar="PATH...", help="Deck files, directories of decks, or bundled deck ids."),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="text, or json for editors and CI.")]
PrintOpt = Annotated[
    bool,
    typer.Option(
        "--print", help="Also check that every card prints: the font's characters and the card size."
    ),
]


@app.command()
def validate(
    paths_: PathsArg,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also report the style warnings, and fail on them.")
    ] = False,
    fmt: FormatOpt = OutputFormat.text,
    printing: PrintOpt = False,
) -> None:
    """Check decks and report every problem, with its line and column.

    Exit 0 when valid (warnings allowed), 1 when any error (or any warning with --strict),
    2 for a missing file.

    Example: stigmacards deck validate decks/my-deck.yaml
    """
    raise typer.Exit(_check(paths_, warnings=strict, fmt=fmt, printing=printing))


@app.command()
def lint(paths_: PathsArg, fmt: FormatOpt = OutputFormat.text, printing: PrintOpt = False) -> None:
    """Report style warnings in decks.

    Long questions, missing '?', repeated questions, missing translations, fewer than 12 cards,
    no license. With --print: characters the card font lacks, cards too long to print, words too
    wide for a card.

    Exit 0 when there are none, 1 when there are any (or the deck has errors), 2 for a missing file.

    Example: stigmacards deck lint decks/my-deck.yaml
    """
    raise typer.Exit(_check(paths_, warnings=True, fmt=fmt, printing=printing))


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema to this file instead of printing it."),
    ] = None,
) -> None:
    """Print the deck format as a JSON Schema (draft-07), for editors.

    VS Code's YAML extension (yaml-language-server) then checks and completes decks as you type.

    Put `# yaml-language-server: $schema=deck.schema.json` at the top of a deck to use it.

    Example: stigmacards deck schema -o deck.schema.json
    """
    from stigmacards.deck.schema import schema_text

    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    from stigmacards.files import write_atomic

    write_atomic(output, text.encode("utf-8"), mode=None)
    typer.echo(_("wrote {path}").format(path=output), err=True)


@app.command()
def new(
    path: Annotated[
        Path | None, typer.Argument(help="File (or directory) to write; default: <id>.yaml here.")
    ] = None,
    *,
    title: Annotated[str | None, typer.Option("--title", help="The deck's title.")] = None,
    deck_id: Annotated[
        str | None, typer.Option("--id", help="The deck's id (default: from the title).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the deck's texts: nl or en.")
    ] = None,
    cards: Annotated[
        int | None,
        typer.Option("--cards", help="Number of blank cards (default 12).", min=1, max=MAX_NEW_CARDS),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Ask nothing: use the defaults for what is not given.")
    ] = False,
) -> None:
    """Write a new, commented deck to start from.

    Asks for the title, id, language and number of cards, unless the flags give them.

    Refuses to overwrite an existing file.

    Example: stigmacards deck new --title "Stigma op het werk" --lang nl --yes
    """
    from stigmacards.deck.skeleton import new_deck, skeleton, write_new_deck
    from stigmacards.i18n import language

    everything_given = None not in (title, lang, cards)
    if not (yes or everything_given):
        prompter = make_prompter(_("--title, --lang and --cards, or --yes"))
        title, deck_id, lang, cards = ask_new_deck(
            prompter, title=title, deck_id=deck_id, language=lang, cards=cards, default_language=language()
        )
    spec = new_deck(title=title, deck_id=deck_id, language=lang, cards=cards, default_language=language())
    target = path if path is not None else Path(f"{spec.deck_id}.yaml")
    if target.is_dir():
        target = target / f"{spec.deck_id}.yaml"
    write_new_deck(target, skeleton(spec, schema_ref=SCHEMA_NAME))
    _schema_beside(target)
    wrote = (
        _("wrote {path} with 1 blank card") if spec.cards == 1 else _("wrote {path} with {cards} blank cards")
    ).format(path=target, cards=spec.cards)
    typer.echo(
        _("{wrote}; check it with: stigmacards deck validate {path}").format(wrote=wrote, path=target),
        err=True,
    )


def ask_new_deck(
    prompter: Prompter,
    *,
    title: str | None = None,
    deck_id: str | None = None,
    language: str | None = None,
    cards: int | None = None,
    default_language: str = "en",
) -> tuple[str, str, str, int]:
    """Ask for the title, id, language and number of cards that the flags did not give."""
    from stigmacards.deck.skeleton import (
        DECK_LANGUAGES,
        DEFAULT_CARDS,
        MAX_CARDS,
        MIN_CARDS,
        default_id,
        is_slug,
        parse_card_count,
    )
    from stigmacards.ui.prompts import Choice

    if title is None:
        title = prompter.text(_("Title of the deck"), flag="--title").strip()
        while not title:
            title = prompter.text(_("Title of the deck (it cannot be empty)"), flag="--title").strip()
    if deck_id is None:
        message = _("Deck id (lowercase letters, digits and hyphens)")
        deck_id = prompter.text(message, default=default_id(title), flag="--id").strip()
        while not is_slug(deck_id):
            again = _("'{id}' is not a valid id; use lowercase letters a-z, digits and hyphens").format(
                id=deck_id
            )
            deck_id = prompter.text(again, default=default_id(deck_id), flag="--id").strip()
    if language is None:
        language = prompter.select(
            _("Language of the deck's texts"),
            [Choice("Nederlands (nl)", "nl"), Choice("English (en)", "en")],
            default=default_language if default_language in DECK_LANGUAGES else DECK_LANGUAGES[0],
            flag="--lang",
        )
    # Asked as empty text, not pre-filled: typing 8 into a pre-filled 12 gave 128.
    message = _("Number of blank cards (Enter for {n})").format(n=DEFAULT_CARDS)
    while cards is None:
        cards = parse_card_count(prompter.text(message, flag="--cards"))
        message = _("Number of blank cards: a whole number from {lo} to {hi} (Enter for {n})").format(
            lo=MIN_CARDS, hi=MAX_CARDS, n=DEFAULT_CARDS
        )
    return title, deck_id, str(language), cards


SCHEMA_NAME = "deck.schema.json"


def _schema_beside(target: Path) -> None:
    """Write the schema the new deck names (a relative name) beside it, unless one is there.

    A relative name travels with the deck (shared by mail, in a repository, after a reinstall);
    a file:// link into this machine's site-packages would not.
    """
    beside = target.parent / SCHEMA_NAME
    if beside.exists():
        return
    from stigmacards.deck.schema import schema_text
    from stigmacards.files import write_atomic

    write_atomic(beside, schema_text().encode("utf-8"), mode=None)
    typer.echo(_("wrote {path} beside it, for editors that check decks as you type").format(path=beside))


@app.command()
def show(
    deck: Annotated[str, typer.Argument(help="Bundled deck id or path to a deck file.")] = DEFAULT_DECK,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the cards (nl, en).")] = None,
    card: Annotated[str | None, typer.Option("--card", help="Show only this card id.")] = None,
) -> None:
    """Show a deck's cards as panels.

    Example: stigmacards deck show stigma-sekswerk --lang en
    """
    from stigmacards.deck.model import localize
    from stigmacards.ui.console import console, error_console
    from stigmacards.ui.render import deck_view

    source = load(deck)
    local = localize(source.deck, lang or source.deck.language_for(i18n.language()))
    if card is not None and card not in {c.id for c in local.cards}:
        import difflib

        message = _("deck '{deck}' has no card '{card}'").format(deck=source.deck.id, card=card)
        close = difflib.get_close_matches(card, [c.id for c in local.cards], n=1)
        if close:
            message += " " + _("(did you mean '{card}'?)").format(card=close[0])
        raise UsageError(message)
    notice = language_notice(source.deck, local, card_ids=None if card is None else {card})
    if notice is not None:
        error_console().print(notice, style="yellow", markup=False)
    console().print(deck_view(local, card_id=card))


@app.command("list")
def list_(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
) -> None:
    """List the bundled decks and those under $STIGMACARDS_HOME/decks.

    Example: stigmacards deck list
    """
    from stigmacards.deck.catalog import level_counts, scan

    found = scan([(paths.bundled_decks_dir(), True), (paths.user_decks_dir(), False)])
    rows: list[tuple[str, str, str, str, dict[int, int], str]] = []
    invalid: list[Path] = []
    for path, bundled, analysis in found:
        source = _("bundled") if bundled else _("yours")
        if analysis.deck is None:
            n = len(analysis.errors)
            status = (_("invalid (1 error)") if n == 1 else _("invalid ({n} errors)")).format(n=n)
            rows.append((path.stem, "", "", source, {}, status))
            invalid.append(path)
            continue
        d = analysis.deck
        rows.append((d.id, d.title, ", ".join(d.languages), source, level_counts(d), _("ok")))
    if fmt is OutputFormat.json:
        from stigmacards.deck.checking import to_json

        typer.echo(
            to_json(
                [
                    {
                        "id": r[0],
                        "title": r[1],
                        "languages": r[2].split(", ") if r[2] else [],
                        "source": r[3],
                        "levels": {str(k): v for k, v in r[4].items()},
                        "status": r[5],
                    }
                    for r in rows
                ]
            )
        )
        return
    from stigmacards.ui.console import console, error_console
    from stigmacards.ui.render import deck_table

    console().print(deck_table(rows, width=console().width))
    for path in invalid:
        error_console().print(
            _("To see what is wrong: stigmacards deck validate {path}").format(
                path=inert(str(path), single_line=True)
            ),
            markup=False,
        )
