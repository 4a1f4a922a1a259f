"""`stigmacards deck preview`: the printed cards as PNG beside the print problems, re-rendered on save.

Registered on the `deck` app. pypdfium2 and fpdf2 are imported only when the command runs.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards.cli.common import load
from stigmacards.cli.deck import app
from stigmacards.i18n import _, ngettext
from stigmacards.text import inert

if TYPE_CHECKING:
    from stigmacards.printing.preview import Preview, WatchClock


class SystemWatchClock:
    """The real clock for `--watch` (tests pass a fake one through `watch_clock`)."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def watch_clock() -> WatchClock:
    """The clock seam for `--watch`."""
    return SystemWatchClock()


def _say(message: str, *, err: bool = False) -> None:
    typer.echo(inert(message, single_line=True), err=err)


def _report(result: Preview) -> None:
    for problem in result.problems:
        _say(problem.format())
    _say(
        _("Preview: {index} ({pages}, {problems})").format(
            index=result.index,
            pages=ngettext("{n} page", "{n} pages", len(result.pages)).format(n=len(result.pages)),
            problems=ngettext("{n} problem", "{n} problems", len(result.problems)).format(
                n=len(result.problems)
            ),
        ),
        err=True,
    )


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
@app.command()
def preview(
    deck: Annotated[str, typer.Argument(help="Bundled deck id or path to a deck file.")],
    *,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Folder for the PNG pages and index.html (default: ID-preview)."),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the cards (nl, en).")] = None,
    paper: Annotated[str, typer.Option("--paper", help="Paper size: a4 or letter.")] = "a4",
    per_page: Annotated[int, typer.Option("--per-page", help="Cards per page: 4 or 8.")] = 4,
    watch: Annotated[
        bool, typer.Option("--watch", help="Render again every time the deck file is saved.")
    ] = False,
    minutes: Annotated[
        float, typer.Option("--minutes", min=0, help="With --watch: stop after this many minutes.")
    ] = 60.0,
) -> None:
    """Render the printed cards to PNG, with the print problems beside them in index.html.

    Fronts and backs, as `deck print --duplex` prints them; the problems are those of
    `deck lint --print`. With --watch, the pages are rendered again on every save (open
    index.html in a browser: it reloads itself). Ctrl-C stops watching.

    Example: stigmacards deck preview mijn-deck.yaml --watch
    """
    from stigmacards.files import refuse_unsafe_target
    from stigmacards.printing.layout import sheet
    from stigmacards.printing.preview import build
    from stigmacards.printing.preview import watch as watch_file

    sheet(paper, per_page)
    source = load(deck) if not Path(deck).is_file() else None
    path = source.path if source is not None else Path(deck)
    out_dir = output or Path(f"{path.stem}-preview")
    refuse_unsafe_target(out_dir)

    def render() -> None:
        _report(build(path, out_dir, lang=lang, per_page=per_page, paper=paper, display=str(path)))

    render()
    if not watch:
        return
    _say(_("Watching {path} for changes; Ctrl-C stops.").format(path=path), err=True)
    try:
        watch_file(path, clock=watch_clock(), rebuild=render, interval=0.5, duration=minutes * 60)
    except KeyboardInterrupt:
        _say(_("Stopped watching."), err=True)
