"""`stigmacards deal`: print who gets which card in every round, for a session run on paper or prepared ahead."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stigmacards import paths
from stigmacards.cli.common import OutputFormat, load
from stigmacards.cli.play import speak, warn_untranslated
from stigmacards.deck.catalog import DEFAULT_DECK
from stigmacards.i18n import _, language, ngettext
from stigmacards.play.limits import MAX_ROUNDS, MAX_TABLES


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
def deal(
    *,
    tables: Annotated[int, typer.Option("--tables", min=1, max=MAX_TABLES, help="Number of tables.")],
    rounds: Annotated[int, typer.Option("--rounds", min=1, max=MAX_ROUNDS, help="Number of rounds.")],
    deck: Annotated[
        str,
        typer.Argument(
            metavar="[DECK]", help="Bundled deck id, a deck in $STIGMACARDS_HOME/decks, or a path."
        ),
    ] = DEFAULT_DECK,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, help="Deal the same again (a new seed is shown if left out)."),
    ] = None,
    max_level: Annotated[
        int, typer.Option("--max-level", min=1, max=3, help="Deepest card level to deal, 1 to 3.")
    ] = 3,
    include_sensitive: Annotated[
        bool, typer.Option("--include-sensitive", help="Also deal cards with a content note.")
    ] = False,
    group: Annotated[
        str | None,
        typer.Option(
            "--group", metavar="NAME", help="Skip the cards this group has had (its memory is not changed)."
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the cards (nl, en).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf", metavar="FILE.pdf", help="Also write a table pack: each table's card for every round."
        ),
    ] = None,
    paper: Annotated[str, typer.Option("--paper", help="Paper for --pdf: a4 or letter.")] = "a4",
    per_page: Annotated[int, typer.Option("--per-page", help="Cards per page for --pdf: 4 or 8.")] = 4,
    duplex: Annotated[
        bool, typer.Option("--duplex", help="Add back sides to --pdf, for long-edge double-sided printing.")
    ] = False,
    one_table_per_sheet: Annotated[
        bool,
        typer.Option(
            "--one-table-per-sheet/--tables-share-sheets",
            help="Start every table's cards in --pdf on a new sheet.",
        ),
    ] = True,
    notes: Annotated[
        bool,
        typer.Option(
            "--notes",
            help="Add each card's facilitator note to the text and JSON (never to the PDF for the tables).",
        ),
    ] = False,
) -> None:
    """Print which card each table gets in each round, without running a session.

    For preparing printed table packs (--pdf). The same deck, options and --seed give the same plan.

    Example: stigmacards deal --tables 4 --rounds 3 --seed 1234 --format json
    """
    import json

    from stigmacards.play import dealing
    from stigmacards.play import state as playstate
    from stigmacards.play.setup import check_language, default_language

    source = load(deck)
    deck_lang = check_language(source.deck, lang) if lang else default_language(source.deck, language())
    speak(deck_lang)  # a printed pack reads "Tafel 1" above Dutch cards
    memory = playstate.load_group(paths.groups_dir(), group, source.deck.id) if group else ()
    plan = dealing.make_plan(
        source.deck.cards,
        deck_id=source.deck.id,
        language=deck_lang,
        tables=tables,
        rounds=rounds,
        seed=dealing.new_seed() if seed is None else seed,
        max_level=max_level,
        include_sensitive=include_sensitive,
        memory=memory,
    )
    from stigmacards.deck.model import localize
    from stigmacards.ui.console import console, error_console

    local = localize(source.deck, deck_lang)
    if fmt is OutputFormat.text:
        warn_untranslated(source.deck, local)
    if pdf is not None:
        from stigmacards.cli.deckio import cut_note, print_setup
        from stigmacards.printing.cards import PrintOptions, table_pack_pdf
        from stigmacards.printing.layout import sheet

        sheet(paper, per_page)
        # The pack is in the deck's language unless --lang says otherwise, like `deck print`.
        pack_deck, branding, said = print_setup(deck, lang)
        options = PrintOptions(
            paper=paper, per_page=per_page, duplex=duplex, separate=one_table_per_sheet, branding=branding
        )
        pack = table_pack_pdf(plan, pack_deck, pdf, options=options)
        error_console().print(
            _("Wrote a table pack: {cards} for {tables} on {pages} to {path}").format(
                cards=ngettext("{n} card", "{n} cards", pack.cards).format(n=pack.cards),
                tables=ngettext("{n} table", "{n} tables", tables).format(n=tables),
                pages=ngettext("{n} page", "{n} pages", pack.pages).format(n=pack.pages),
                path=pdf,
            ),
            markup=False,
            highlight=False,
        )
        error_console().print(said, markup=False, highlight=False)
        if pack.cut:
            error_console().print(cut_note(pack.cut), markup=False, highlight=False)
    if fmt is OutputFormat.json:
        data = plan.as_dict()
        if notes:
            for round_ in data["rounds"]:
                for table in round_["tables"]:
                    table["facilitator_note"] = local.card(table["card"]).facilitator_note
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        for number in plan.restarted_cycles:
            error_console().print(
                _("note: every card had been dealt, so the deck started again in round {n}").format(n=number),
                markup=False,
            )
        return
    from stigmacards.ui.screens import plan_view

    console().print(plan_view(plan, local, notes=notes))
