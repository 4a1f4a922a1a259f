"""`stigmacards deck print | import | export`: decks on paper and in other formats.

Registered on the `deck` app. Every command imports what it needs inside its body (printing,
fpdf2, interchange): this module is imported at every start-up, `deck validate` included.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards import i18n
from stigmacards.cli.common import language_notice, load
from stigmacards.cli.deck import app
from stigmacards.deck.format import LANG_PATTERN, SLUG_PATTERN, slugify
from stigmacards.errors import DeckError, UsageError
from stigmacards.i18n import _, ngettext, number
from stigmacards.text import inert

if TYPE_CHECKING:
    from stigmacards.deck.model import LocalDeck
    from stigmacards.printing.branding import Branding


def _say(message: str) -> None:
    typer.echo(inert(message, single_line=True), err=True)


def _local(spec: str, lang: str | None, *, card_ids: list[str] | None = None) -> LocalDeck:
    from stigmacards.deck.model import localize

    source = load(spec)
    local = localize(source.deck, lang or source.deck.language_for(i18n.language()))
    notice = language_notice(source.deck, local, card_ids=None if card_ids is None else set(card_ids))
    if notice is not None:
        _say(notice)
    return local


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
@app.command("print")
def print_(
    deck: Annotated[str, typer.Argument(help="Bundled deck id or path to a deck file.")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the cards (nl, en).")] = None,
    paper: Annotated[str, typer.Option("--paper", help="Paper size: a4 or letter.")] = "a4",
    per_page: Annotated[
        int, typer.Option("--per-page", help="Cards per page: 4 (about A6) or 8 (about A7).")
    ] = 4,
    duplex: Annotated[
        bool, typer.Option("--duplex", help="Add back sides, lined up for long-edge double-sided printing.")
    ] = False,
    cards: Annotated[
        str | None, typer.Option("--cards", metavar="ID,...", help="Print only these cards, in this order.")
    ] = None,
    max_level: Annotated[
        int | None, typer.Option("--max-level", min=1, max=3, help="Leave out cards above this level.")
    ] = None,
    sensitive: Annotated[
        bool,
        typer.Option(
            "--sensitive/--no-sensitive",
            help="Include the cards that carry a content note (printed on them).",
        ),
    ] = True,
    intro: Annotated[
        bool, typer.Option("--intro/--no-intro", help="Add the ground rules card, when the deck has one.")
    ] = True,
    closing: Annotated[
        bool, typer.Option("--closing/--no-closing", help="Add the aftercare card, when the deck has one.")
    ] = True,
    bilingual: Annotated[
        str | None,
        typer.Option(
            "--bilingual",
            metavar="FRONT,BACK",
            help="Two languages, e.g. nl,en: each card in the first on its front, the second on its back.",
        ),
    ] = None,
) -> None:
    """Print a deck as cards to cut out: a PDF with crop marks, 4 or 8 cards per page.

    A card whose text does not fit even at the smallest readable size is an error (exit 6)
    naming the card; no PDF is written then.

    Example: stigmacards deck print stigma-sekswerk -o kaarten.pdf --duplex
    """
    from stigmacards.files import write_atomic
    from stigmacards.printing import cards as printing
    from stigmacards.printing.layout import sheet

    sheet(paper, per_page)  # check --paper and --per-page before loading the deck
    card_ids = [part.strip() for part in cards.split(",") if part.strip()] if cards else None
    back = None
    if bilingual is not None:
        langs = [part.strip() for part in bilingual.split(",") if part.strip()]
        if len(langs) != 2 or lang is not None:
            raise UsageError(_("--bilingual takes two languages, e.g. nl,en (and replaces --lang)"))
        local, branding, said = print_setup(deck, langs[0], card_ids=card_ids)
        back, _branding, also = print_setup(deck, langs[1], card_ids=card_ids, side=_("on the backs"))
        said = f"{said} {also}"
    else:
        local, branding, said = print_setup(deck, lang, card_ids=card_ids)
    data, result = printing.deck_pdf(
        local,
        back=back,
        options=printing.PrintOptions(paper=paper, per_page=per_page, duplex=duplex, branding=branding),
        card_ids=card_ids,
        max_level=max_level,
        sensitive=sensitive,
        intro=intro,
        closing=closing,
    )
    write_atomic(output, data, mode=None)
    extra = result.faces - result.cards  # the intro and closing cards actually printed
    cards = ngettext("{n} card", "{n} cards", result.cards).format(n=number(result.cards))
    pages = ngettext("{n} page", "{n} pages", result.pages).format(n=number(result.pages))
    if extra:
        extras = ngettext("{n} intro or closing card", "{n} intro and closing cards", extra).format(n=extra)
        wrote = _("Wrote {cards} and {extra} on {pages} to {path}").format(
            cards=cards, extra=extras, pages=pages, path=output
        )
    else:
        wrote = _("Wrote {cards} on {pages} to {path}").format(cards=cards, pages=pages, path=output)
    _say(wrote)
    _say(said)
    if result.cut:
        _say(cut_note(result.cut))


def cut_note(cut: tuple[str, ...]) -> str:
    """The line that says which words printing had to cut where no hyphenation point fitted."""
    return _(
        "note: cut where the line ended, with no hyphenation point that fits: {words}; see `deck lint --print`"
    ).format(words=", ".join(cut[:10]) + (" …" if len(cut) > 10 else ""))


def print_setup(
    spec: str, lang: str | None, *, card_ids: list[str] | None = None, side: str | None = None
) -> tuple[LocalDeck, Branding, str]:
    """The deck to print, in its own language unless --lang says otherwise, its x-print settings,
    and the line that names the language (said once the PDF is written, so that a failure stays
    one line). What is untranslated is said on stderr at once."""
    from stigmacards.deck.model import localize
    from stigmacards.printing.branding import branding_or_raise
    from stigmacards.printing.labels import LANGUAGE_NAMES, primary

    source = load(spec)
    local = localize(source.deck, lang or source.deck.language)
    name = LANGUAGE_NAMES.get(primary(local.language))
    shown = f"{_(name)} ({local.language})" if name else local.language
    if side is not None:
        line = _("Printed in {language} {side}.").format(language=shown, side=side)
    elif lang is None:
        line = _("Printed in {language}, the deck's language; pass --lang to choose another.").format(
            language=shown
        )
    else:
        line = _("Printed in {language}.").format(language=shown)
    notice = language_notice(source.deck, local, card_ids=None if card_ids is None else set(card_ids))
    if notice is not None:
        _say(notice)
    return local, branding_or_raise(source.path), line


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(metavar="FILE", help="A .csv or .txt file with questions.")],
    *,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="The deck file (or directory) to write (default: ID.yaml here; - for stdout).",
        ),
    ] = None,
    deck_id: Annotated[
        str | None, typer.Option("--id", help="The deck's id (default: from the file name).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The deck's title (default: from the file name).")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of the questions, e.g. nl (default: guessed from the questions)."
        ),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv or text (default: from the extension or content).")
    ] = None,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Write the good cards even when some rows are rejected.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file.")] = False,
) -> None:
    """Make a deck from a CSV file or a plain text file of questions.

    CSV: a header row naming the columns id, title, level, tags, question1, question2,
    question3 (only the questions are required); ';' or ',' separated; tags split by '|' or ';'.
    Text: one question per line, three per card, cards separated by a line holding only '%';
    lines starting with '#' are comments. Every rejected row is reported with its line number.
    A CSV written by `deck export` (columns part, id, field and one per language) comes back as
    the whole deck, every language included.

    Example: stigmacards deck import vragen.csv -o mijn-deck.yaml --lang nl
    """
    from stigmacards.deck import importing, writing
    from stigmacards.deck.loading import analyse_bytes
    from stigmacards.files import refuse_unsafe_target, write_atomic
    from stigmacards.i18n import language

    name = source.name
    if output not in (None, "-"):
        refuse_unsafe_target(Path(output))  # before any work, as every -o does once more on writing
    data = _read_source(source)
    if deck_id is not None and not re.fullmatch(SLUG_PATTERN, deck_id):
        raise UsageError(
            _("--id must be lower-case letters, digits and hyphens, e.g. '{example}'").format(
                example=slugify(deck_id) or "my-deck"
            )
        )
    if lang is not None and not re.fullmatch(LANG_PATTERN, lang):
        raise UsageError(_("--lang must be a language tag such as nl or en"))
    imported = importing.read(
        data,
        name,
        fmt=fmt,
        lang=lang,
        deck_id=deck_id,
        title=title,
        default_title=_title_from(source.stem),
        interface=language(),
        skip_bad=skip_bad,
    )
    for line in imported.lines:
        _say(line)
    if imported.refusal is not None:
        raise DeckError(imported.refusal)
    deck_name = imported.data["id"]
    target = None if output == "-" else Path(output or f"{deck_name}.yaml")
    if target is not None and target.is_dir():  # like `deck new DIR`: e.g. $STIGMACARDS_HOME/decks
        target = target / f"{deck_name}.yaml"
    if target is not None and target.exists() and not force:
        raise UsageError(_("{path} already exists; pass --force to overwrite it").format(path=target))
    shown = "-" if target is None else str(target)
    document = writing.deck_yaml(imported.data, source=name, output=shown)
    analysis = analyse_bytes(document.encode("utf-8"), shown)
    if analysis.errors and imported.whole_deck:  # the sheet's own mistakes, named by card and field
        for problem in analysis.errors:
            _say(f"{name}: {problem.message}" + (f" ({problem.hint})" if problem.hint else ""))
        raise DeckError(_("the sheet does not make a valid deck: nothing written"))
    if analysis.errors:  # a bug here, not in the user's file: say what, write nothing
        raise DeckError(
            _("the imported deck does not validate: {problem}").format(problem=analysis.errors[0].format())
        )
    if target is None:
        typer.echo(document, nl=False)
    else:
        write_atomic(target, document.encode("utf-8"), mode=None)
    _say(
        ngettext(
            "Imported {n} card from {source} ({format}) into {path}",
            "Imported {n} cards from {source} ({format}) into {path}",
            imported.cards,
        ).format(n=number(imported.cards), source=name, format=imported.source_format, path=shown)
    )
    if target is not None:
        _say(_("Check it with: stigmacards deck validate {path}").format(path=target))


def _read_source(path: Path) -> bytes:
    from stigmacards.deck.loading import TooLargeError, read_regular_file

    if path.is_dir():
        raise UsageError(_("{path}: is a directory").format(path=path))
    try:
        return read_regular_file(path)  # not /dev/zero or a FIFO: they would never end
    except TooLargeError as exc:
        raise UsageError(
            _("{path}: file is {size} bytes; imports may be at most 16 MiB").format(
                path=path, size=i18n.number(exc.size)
            )
        ) from None


def _title_from(stem: str) -> str:
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return (words[:1].upper() + words[1:]) if words else _("Imported deck")


@app.command("export")
def export(
    deck: Annotated[str, typer.Argument(help="Bundled deck id or path to a deck file.")],
    *,
    fmt: Annotated[
        str | None, typer.Option("--format", help="md (a handout) or csv (default: from -o, else md).")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the cards (nl, en).")] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="The file to write; - or nothing for stdout.")
    ] = None,
    separator: Annotated[
        str, typer.Option("--separator", help="CSV column separator: , or ; (Dutch Excel expects ;).")
    ] = ",",
) -> None:
    """Export a deck as a Markdown handout, or as CSV with every language that `deck import` reads back.

    Example: stigmacards deck export stigma-sekswerk --format md -o handout.md
    """
    from stigmacards.deck import interchange
    from stigmacards.files import write_atomic

    target = None if output in (None, "-") else Path(output)
    if fmt is None:
        fmt = "csv" if target is not None and target.suffix.lower() == ".csv" else "md"
    try:
        export_format = interchange.DeckExportFormat(fmt.lower())
    except ValueError:
        raise UsageError(_("--format must be md or csv")) from None
    if separator not in (",", ";"):
        raise UsageError(_("--separator must be , or ;"))
    if export_format is interchange.DeckExportFormat.md:
        from stigmacards.deck.handout import to_markdown

        local = _local(deck, lang)
        text = to_markdown(local)
        _say(_("The handout is in {lang}; choose with --lang.").format(lang=local.language))
    else:
        from stigmacards.deck.sheet import to_csv

        if lang is not None:
            _say(_("A CSV export holds every language of the deck; --lang is not used."))
        text = to_csv(load(deck).deck, delimiter=separator)
    if target is None:
        typer.echo(text, nl=False)
        return
    # A byte-order mark tells Excel the CSV is UTF-8; `deck import` reads it either way.
    prefix = "\ufeff" if export_format is interchange.DeckExportFormat.csv else ""
    write_atomic(target, (prefix + text).encode("utf-8"), mode=None)
    _say(_("Wrote {path}").format(path=target))
