"""The screens of a facilitated session: pure functions returning rich renderables.

Deck text goes through `render.safe` (inert, never markup); interface text through `_()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from stigmacards.deck.format import level_dots
from stigmacards.deck.model import LocalCard, LocalDeck
from stigmacards.i18n import _
from stigmacards.play.dealing import Deal, Plan
from stigmacards.play.state import Options, Session
from stigmacards.ui.render import card_panel, card_tight, lines_panel, safe

# Narrowest a card panel may get before the tables go below each other instead of side by side.
MIN_PANEL_WIDTH = 38
MIN_BIG_PANEL_WIDTH = 56
# Narrowest a panel may be squeezed when the screen is too low for all the tables' cards.
MIN_SQUEEZED_WIDTH = 26
# Narrowest a frameless card may get (the last resort: small cards rather than a hidden table).
MIN_TIGHT_WIDTH = 16
# Lines the live timer needs below the cards at the least (compact digits, bar, question, keys).
TIMER_RESERVE = 6


def table_label(table: int) -> str:
    return _("Table {n}").format(n=table)


class TableGrid:
    """Card panels side by side as far as the terminal is wide, then in rows below each other.

    With little height left, more panels go side by side (narrower), and if that is not
    enough either, the compact panels replace the big ones, and then cards without a frame
    (`tight`): every table must see its card.
    """

    def __init__(
        self,
        panels: Sequence[RenderableType],
        *,
        min_width: int,
        compact: Sequence[RenderableType] | None = None,
        tight: Sequence[RenderableType] | None = None,
        reserve: int = 0,
    ) -> None:
        self.panels = list(panels)
        self.compact = list(compact) if compact is not None else None
        self.tight = list(tight) if tight is not None else None
        self.min_width = min_width
        self.reserve = reserve  # lines the caller keeps free below (the timer)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width, count = options.max_width, len(self.panels)
        budget = options.max_height - self.reserve
        tries: list[tuple[list[RenderableType], int]] = []
        kinds = [(self.panels, self.min_width)]
        if self.compact is not None:
            kinds.append((self.compact, MIN_PANEL_WIDTH))
        for kind, min_width in kinds:
            widest = max(1, min(count, width // min_width))
            narrowest = max(widest, min(count, width // MIN_SQUEEZED_WIDTH))
            tries.extend((kind, per_row) for per_row in range(widest, narrowest + 1))
        if self.tight is not None:
            widest = max(1, min(count, width // MIN_TIGHT_WIDTH))
            tries.extend((self.tight, per_row) for per_row in range(1, widest + 1))
        for panels, per_row in tries:
            if self._height(console, options, panels, per_row) <= budget:
                break
        yield self._grid(panels, per_row)

    @staticmethod
    def _height(console: Console, options: ConsoleOptions, panels: list[RenderableType], per_row: int) -> int:
        column = max(1, (options.max_width - (per_row - 1)) // per_row)
        narrow = options.update(width=column)
        total = 0
        for start in range(0, len(panels), per_row):
            row = panels[start : start + per_row]
            total += max(len(console.render_lines(panel, narrow, pad=False)) for panel in row)
        return total

    @staticmethod
    def _grid(panels: list[RenderableType], per_row: int) -> Table:
        grid = Table.grid(expand=True, padding=(0, 1))
        for _column in range(per_row):
            grid.add_column(ratio=1)
        for start in range(0, len(panels), per_row):
            row = panels[start : start + per_row]
            grid.add_row(*row, *([""] * (per_row - len(row))))
        return grid


def round_view(
    deck: LocalDeck,
    deals: Sequence[Deal],
    *,
    round_number: int,
    rounds: int,
    big: bool = False,
    restarted: bool = False,
) -> RenderableType:
    """What the room sees during a round: the round number and one card per table."""
    heading = Text(_("Round {n} of {total}").format(n=round_number, total=rounds), style="bold")
    parts: list[RenderableType] = [heading]
    if restarted:
        parts.append(cycle_restarted_notice())
    several = len(deals) > 1

    def panels(*, big: bool) -> list[RenderableType]:
        return [
            card_panel(deck.card(d.card_id), label=table_label(d.table) if several else None, big=big)
            for d in deals
        ]

    parts.append(
        TableGrid(
            panels(big=big),
            compact=panels(big=False) if big else None,
            tight=[
                card_tight(deck.card(d.card_id), label=table_label(d.table) if several else None)
                for d in deals
            ],
            min_width=MIN_BIG_PANEL_WIDTH if big else MIN_PANEL_WIDTH,
            reserve=len(parts) + TIMER_RESERVE,
        )
    )
    return Group(*parts)


def cycle_restarted_notice() -> Text:
    return Text(
        _("Every card has been dealt once: the deck starts again from the beginning."),
        style="bold yellow",
    )


# The deck's own ground rules usually state the right to pass already (en: pass, nl: passen).
_MENTIONS_PASSING = re.compile(r"\bpass(?:en|ing|es)?\b", re.IGNORECASE)


def intro_view(deck: LocalDeck, *, big: bool = False) -> RenderableType:
    """The ground rules before the first round; the right to pass is always stated."""
    parts: list[RenderableType] = [Text(), safe(deck.title, "bold underline", single_line=True)]
    if deck.description:
        parts.append(safe(deck.description, "italic"))
    rules = list(deck.intro)
    body = Text("\n\n" if big else "\n").join(safe(line) for line in rules)
    if not any(_MENTIONS_PASSING.search(line) for line in rules):
        if rules:
            body.append("\n\n")
        body.append(_("Everyone may always pass, on any question, without explaining why."), style="bold")
    parts.append(
        Panel(
            body,
            title=Text(_("Before we start"), style="bold green"),
            title_align="left",
            border_style="green",
            box=box.HEAVY if big else box.ROUNDED,
            padding=(1, 3) if big else (0, 1),
        )
    )
    return Group(*parts)


def closing_view(deck: LocalDeck, *, big: bool = False) -> RenderableType:
    """The end of the session: the deck's aftercare lines, or a generic one."""
    lines = deck.closing or (_("Take a moment for yourself after this conversation."),)
    panel = lines_panel(_("Closing and support"), tuple(lines), style="blue")
    if big:
        panel.box = box.HEAVY
        panel.padding = (1, 3)
    return Group(panel, Text(_("Thank you for taking part."), style="bold"))


def setup_summary(deck: LocalDeck, options: Options, *, seed: int) -> RenderableType:
    """One block the facilitator can check before the room sees anything."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    grid.add_row(_("Deck"), safe(f"{deck.title} ({deck.id})", single_line=True))
    grid.add_row(_("Language"), deck.language)
    grid.add_row(_("Tables"), str(options.tables))
    grid.add_row(_("Rounds"), str(options.rounds))
    grid.add_row(_("Minutes per round"), f"{options.minutes:g}")
    grid.add_row(_("Deepest level"), str(options.max_level))
    grid.add_row(_("Sensitive cards"), _("included") if options.include_sensitive else _("left out"))
    if options.group:
        grid.add_row(_("Group"), safe(options.group, single_line=True))
    grid.add_row(_("Seed"), str(seed))
    return grid


def _card_heading(body: Text, deal: Deal, card: LocalCard, *, several: bool) -> None:
    """'Table 2: Card title' (the table only when there are several), for the facilitator's panels."""
    if several:
        body.append(table_label(deal.table) + ": ", style="bold")
    body.append_text(safe(card.title or card.id, "bold", single_line=True))


def content_note_notice(deck: LocalDeck, deals: Sequence[Deal], *, several: bool) -> RenderableType | None:
    """For the facilitator only, before the room sees the cards: the content notes dealt."""
    rows = list(_sensitive(deck, deals))
    if not rows:
        return None
    body = Text()
    for i, (deal, card) in enumerate(rows):
        if i:
            body.append("\n\n")
        _card_heading(body, deal, card, several=several)
        body.append("\n")
        body.append_text(safe(card.content_note, "yellow"))
        if card.facilitator_note:
            body.append("\n")
            body.append_text(safe(card.facilitator_note, "dim"))
    return Panel(
        body,
        title=Text(_("Content note, for you before the room sees it"), style="bold yellow"),
        title_align="left",
        border_style="yellow",
    )


def facilitator_notes_view(deck: LocalDeck, deals: Sequence[Deal], *, several: bool) -> RenderableType:
    """The facilitator notes of the cards on the tables (key f during a round)."""
    body = Text()
    for deal in deals:
        card = deck.card(deal.card_id)
        if not card.facilitator_note:
            continue
        if body:
            body.append("\n")
        _card_heading(body, deal, card, several=several)
        body.append(" — ")
        body.append_text(safe(card.facilitator_note))
    if not body:
        body.append(_("The cards on the tables have no facilitator notes."), style="dim")
    return Panel(
        body,
        title=Text(_("Facilitator notes"), style="bold"),
        title_align="left",
        border_style="cyan",
        padding=(0, 1),
    )


def _sensitive(deck: LocalDeck, deals: Sequence[Deal]) -> Iterator[tuple[Deal, LocalCard]]:
    for deal in deals:
        card = deck.card(deal.card_id)
        if card.sensitive:
            yield deal, card


def resume_notice(session: Session) -> Text:
    if session.round == 0:
        where = _("before the first round")
    else:
        where = _("in round {n} of {total}").format(n=session.round, total=session.options.rounds)
    return Text(
        _("Continuing the session from {started}, {where}.").format(
            started=session.started.replace("T", " ")[:16], where=where
        ),
        style="bold",
    )


def plan_view(plan: Plan, deck: LocalDeck, *, notes: bool = False) -> RenderableType:
    """`stigmacards deal`: every round, every table, title and questions, for printing.

    With `notes`, each card's facilitator note too (for the facilitator's own copy).
    """
    parts: list[RenderableType] = [
        safe(deck.title, "bold underline", single_line=True),
        Text(
            _("Seed {seed} (pass --seed {seed} to deal the same again)").format(seed=plan.seed), style="dim"
        ),
    ]
    for number, deals in enumerate(plan.rounds, start=1):
        parts.append(Text())
        parts.append(Text(_("Round {n}").format(n=number), style="bold"))
        if number in plan.restarted_cycles:
            parts.append(cycle_restarted_notice())
        for deal in deals:
            card = deck.card(deal.card_id)
            line = Text("  ")
            line.append(table_label(deal.table), style="bold magenta")
            line.append(" · ")
            line.append_text(safe(card.title or card.id, "bold", single_line=True))
            line.append(f"  {level_dots(card.level)}  ", style="dim")
            line.append_text(safe(card.id, "dim", single_line=True))
            parts.append(line)
            if card.content_note:
                parts.append(
                    Text.assemble("    ", (_("Content note: "), "yellow"), safe(card.content_note, "yellow"))
                )
            if notes and card.facilitator_note:
                parts.append(
                    Text.assemble("    ", (_("Facilitator note: "), "cyan"), safe(card.facilitator_note))
                )
            # A grid, so a long question wraps under its own text, not under the number.
            questions = Table.grid()
            questions.add_column(no_wrap=True)
            questions.add_column()
            for q_number, question in enumerate(card.questions, start=1):
                questions.add_row(f"    {q_number}. ", safe(question))
            parts.append(questions)
    return Group(*parts)
