"""Pure functions from deck data to rich renderables. Nothing here prints."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from stigmacards.deck.format import level_dots
from stigmacards.deck.model import LocalCard, LocalDeck
from stigmacards.i18n import _
from stigmacards.text import inert


def safe(text: str | None, style: str = "", *, single_line: bool = False) -> Text:
    """Untrusted text as an inert rich Text (no markup, no emoji codes, no escapes)."""
    return Text(inert(text or "", single_line=single_line), style=style)


def card_panel(card: LocalCard, *, label: str | None = None, big: bool = False) -> Panel:
    """One card: title, level, the three numbered questions."""
    # A grid, so a question that wraps lines up under its own first word, not under its number.
    body = Table.grid(padding=(0, 1, 0, 0))
    body.add_column(style="bold cyan", no_wrap=True, justify="right")
    body.add_column()
    for number, question in enumerate(card.questions, start=1):
        if big and number > 1:
            body.add_row("", "")
        body.add_row(f"{number}.", safe(question, "bold" if big else ""))
    title = Text(overflow="ellipsis")  # a title cut short by a narrow panel says so
    if label:
        title.append(inert(label, single_line=True) + "  ", style="bold magenta")
    title.append_text(safe(card.title or card.id, "bold", single_line=True))
    return Panel(
        body,
        title=title,
        title_align="left",
        subtitle=Text(level_dots(card.level), style="dim"),
        subtitle_align="right",
        box=box.HEAVY if big else box.ROUNDED,
        padding=(1, 3) if big else (0, 1),
        expand=True,
    )


def card_tight(card: LocalCard, *, label: str | None = None) -> RenderableType:
    """One card without a frame, for a screen too small for framed cards: every table still sees its card."""
    title = Text(overflow="ellipsis", no_wrap=True)  # one line: the questions matter most here
    if label:
        title.append(inert(label, single_line=True) + " ", style="bold magenta")
    title.append_text(safe(card.title or card.id, "bold underline", single_line=True))
    body = Table.grid(padding=(0, 1, 0, 0))
    body.add_column(style="bold cyan", no_wrap=True, justify="right")
    body.add_column()
    for number, question in enumerate(card.questions, start=1):
        body.add_row(f"{number}.", safe(question))
    return Group(title, body)


def lines_panel(title: str, lines: tuple[str, ...], *, style: str = "green") -> Panel:
    body = Text("\n").join(safe(line) for line in lines)
    return Panel(body, title=Text(title, style=f"bold {style}"), title_align="left", border_style=style)


def deck_header(deck: LocalDeck) -> RenderableType:
    parts: list[RenderableType] = [safe(deck.title, "bold underline", single_line=True)]
    if deck.description:
        parts.append(safe(deck.description, "italic"))
    meta = Text(f"{deck.id} · {deck.language}", style="dim")
    if deck.license:
        meta.append(f" · {inert(deck.license, single_line=True)}")
    parts.append(meta)
    if deck.content_notes:
        notes = Text(_("Content notes: "), style="yellow")
        notes.append_text(safe(", ".join(deck.content_notes), "yellow"))
        parts.append(notes)
    return Group(*parts)


def deck_view(deck: LocalDeck, *, card_id: str | None = None) -> RenderableType:
    """The whole deck (or one card) for `deck show`."""
    parts: list[RenderableType] = [deck_header(deck)]
    if card_id is None and deck.intro:
        parts.append(lines_panel(_("Before we start"), deck.intro))
    cards = [deck.card(card_id)] if card_id else list(deck.cards)
    for card in cards:
        parts.append(card_panel(card))
        if card.content_note:
            parts.append(Text.assemble((_("Content note: "), "yellow"), safe(card.content_note, "yellow")))
        if card.facilitator_note:
            parts.append(
                Text.assemble((_("For the facilitator: "), "dim"), safe(card.facilitator_note, "dim"))
            )
    if card_id is None and deck.closing:
        parts.append(lines_panel(_("Closing and support"), deck.closing, style="blue"))
    return Group(*parts)


def deck_table(rows: list[tuple[str, str, str, str, dict[int, int], str]], *, width: int = 80) -> Table:
    """`deck list`: id, title, languages, source, cards per level, status; one line per deck in `width`."""
    table = Table(box=box.SIMPLE_HEAD)

    def widest(header: str, cells: list[str]) -> int:
        return max([len(header), *(len(inert(cell, single_line=True)) for cell in cells)])

    # Everything but the title keeps its width: the id is what people type next (`deck show ID`).
    # The title gives way, cut with … (`--format json` has it whole), so a deck stays one line.
    fixed = [
        (_("id"), widest(_("id"), [row[0] for row in rows]), "left"),
        (_("languages"), widest(_("languages"), [row[2] for row in rows]), "left"),
        (_("source"), widest(_("source"), [row[3] for row in rows]), "left"),
        (_("cards (level 1/2/3)"), len(_("cards (level 1/2/3)")), "right"),
        (_("status"), widest(_("status"), [row[5] for row in rows]), "left"),
    ]
    padding = 3 * (len(fixed) + 1) + 1  # a space either side of every column, a divider between, two edges
    title_width = max(12, width - padding - sum(w for _h, w, _j in fixed))
    for index, (header, column_width, justify) in enumerate(fixed):
        table.add_column(header, no_wrap=True, min_width=column_width, justify=justify)  # type: ignore[arg-type]
        if index == 0:
            table.add_column(_("title"), no_wrap=True, overflow="ellipsis", max_width=title_width)
    for deck_id, title, langs, source, levels, status in rows:
        counts = "/".join(str(levels.get(level, 0)) for level in (1, 2, 3))
        table.add_row(
            safe(deck_id, single_line=True),
            safe(title, single_line=True),
            langs,
            source,
            counts,
            safe(status, single_line=True),
        )
    return table
