"""`stigmacards deck …`: validate, show and list decks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .. import paths
from ..catalog import DEFAULT_DECK, level_counts, scan
from ..diagnostics import Problem, Severity
from ..errors import ExitCode, UsageError
from ..i18n import _
from ..loading import analyse_file
from ..model import localize
from .common import OutputFormat, load

app = typer.Typer(
    help="Write, check and look at decks.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _report(problems: list[Problem], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        typer.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    from ..text import inert

    for problem in problems:
        typer.echo(inert(problem.format(), single_line=True))


@app.command()
def validate(
    paths_: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Deck files to check.")],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
) -> None:
    """Check deck files and report every problem with file, line and column.

    Exit 0 when valid, 1 when any error (or any warning with --strict), 2 for a missing file.

    Example: stigmacards deck validate decks/my-deck.yaml
    """
    from ..lint import lint

    problems: list[Problem] = []
    for path in paths_:
        if not path.is_file():
            raise UsageError(_("{path}: no such file").format(path=path))
        analysis = analyse_file(path)
        problems.extend(analysis.problems)
        if strict and analysis.deck is not None:
            problems.extend(lint(analysis))
    problems.sort(key=Problem.sort_key)
    _report(problems, fmt)
    failed = any(p.severity is Severity.ERROR for p in problems) or (strict and bool(problems))
    if fmt is OutputFormat.text and not problems:
        typer.echo(_("{count} deck(s) valid").format(count=len(paths_)), err=True)
    raise typer.Exit(int(ExitCode.INVALID) if failed else 0)


@app.command()
def show(
    deck: Annotated[str, typer.Argument(help="Bundled deck id or path to a deck file.")] = DEFAULT_DECK,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the cards (nl, en).")] = None,
    card: Annotated[str | None, typer.Option("--card", help="Show only this card id.")] = None,
) -> None:
    """Show a deck's cards as panels.

    Example: stigmacards deck show stigma-sekswerk --lang en
    """
    from ..ui.console import console, error_console
    from ..ui.render import deck_view

    source = load(deck)
    local = localize(source.deck, lang or _deck_lang_default(source.deck.languages))
    if card is not None and card not in {c.id for c in local.cards}:
        raise UsageError(_("deck '{deck}' has no card '{card}'").format(deck=source.deck.id, card=card))
    if local.untranslated:
        error_console().print(
            _("Not translated into {lang}, shown in {own}: {cards}").format(
                lang=local.requested, own=source.deck.language, cards=", ".join(local.untranslated)
            ),
            style="yellow",
            markup=False,
        )
    console().print(deck_view(local, card_id=card))


def _deck_lang_default(languages: tuple[str, ...]) -> str:
    from ..i18n import language

    ui = language()
    return next((tag for tag in languages if tag.split("-")[0] == ui), languages[0])


@app.command("list")
def list_(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
) -> None:
    """List the bundled decks and those under $STIGMACARDS_HOME/decks.

    Example: stigmacards deck list
    """
    found = scan([(paths.bundled_decks_dir(), True), (paths.user_decks_dir(), False)])
    rows: list[tuple[str, str, str, str, dict[int, int], str]] = []
    for path, bundled, analysis in found:
        source = _("bundled") if bundled else _("yours")
        if analysis.deck is None:
            rows.append(
                (path.stem, "", "", source, {}, _("invalid: {n} error(s)").format(n=len(analysis.errors)))
            )
            continue
        d = analysis.deck
        rows.append((d.id, d.title, ", ".join(d.languages), source, level_counts(d), _("ok")))
    if fmt is OutputFormat.json:
        typer.echo(
            json.dumps(
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
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from ..ui.console import console
    from ..ui.render import deck_table

    console().print(deck_table(rows))
