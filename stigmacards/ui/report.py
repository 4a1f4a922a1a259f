"""Pure renderers for `session …`: the report (terminal, Markdown, JSON), session lists, review.

Everything a deck or a participant wrote passes through `inert()`; the terminal gets rich
`Text` (never markup), Markdown gets its special characters escaped so that a reflection
cannot turn into a link, an image or HTML in a shared report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from stigmacards.deck.format import PromptKind
from stigmacards.i18n import N_, _
from stigmacards.reflections.anonymity import Cell, Hidden, PromptSummary, Report
from stigmacards.reflections.pii import PiiFlag
from stigmacards.reflections.store import SessionInfo
from stigmacards.text import inert, markdown_literal
from stigmacards.ui.render import safe

BAR_WIDTH = 30
HIDDEN_TEXT = N_("hidden to protect anonymity")


def hidden_text() -> str:
    return _(HIDDEN_TEXT)


def bar(count: int, maximum: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of block characters, `count` out of `maximum` scaled to `width`."""
    if maximum <= 0 or count <= 0:
        return ""
    eighths = round(count / maximum * width * 8)
    full, part = divmod(max(eighths, 1), 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[part]


def _kind_label(kind: PromptKind) -> str:
    return {PromptKind.scale: _("scale"), PromptKind.choice: _("choice"), PromptKind.text: _("free text")}[
        kind
    ]


def _session_line(report: Report) -> str:
    s = report.session
    group = str(s.group_size) if s.group_size is not None else _("not given")
    state = _("closed") if s.sealed else _("open")
    return _("session {id} · deck {deck} · {day} · language {lang} · group size {group} · {state}").format(
        id=s.id, deck=s.deck_id, day=s.day, lang=s.language, group=group, state=state
    )


def _hidden_reason(report: Report) -> str | None:
    if report.hidden is Hidden.GROUP:
        return _(
            "All answers are hidden to protect anonymity: the declared group size ({size}) is below the minimum group size {k}."
        ).format(size=report.session.group_size, k=report.k)
    if report.hidden is Hidden.OPEN:
        return _(
            "The session is still open: close it (stigmacards session close {id}) to see the answers. "
            "Reports of an open session could be compared with later ones to single out the latest answers."
        ).format(id=report.session.id)
    return None


def _answers_line(summary: PromptSummary) -> str:
    if summary.answers is None:
        return hidden_text()
    return _("{n} answers").format(n=summary.answers)


# --- terminal ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextList:
    """Free-text answers, one bulleted line each (the terminal wraps long ones).

    Rich lays out tens of thousands of lines slowly, so the CLI writes `plain()` straight to
    the terminal; as a renderable it gives the same lines.
    """

    texts: tuple[str, ...]

    def lines(self) -> list[str]:
        return ["  • " + inert(text).replace("\n", "\n    ") for text in self.texts]

    def plain(self) -> str:
        return "".join(line + "\n" for line in self.lines())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines():
            yield Segment(line)
            yield Segment.line()


def report_parts(report: Report) -> list[RenderableType]:
    """The report as a list of renderables; free text comes as TextList parts."""
    parts: list[RenderableType] = [
        Text(_("Reflections"), style="bold underline"),
        Text(inert(_session_line(report), single_line=True), style="dim"),
        Text(_("Minimum group size k = {k}: smaller groups are hidden.").format(k=report.k), style="dim"),
    ]
    reason = _hidden_reason(report)
    if reason:
        parts.append(Text(reason, style="yellow"))
    for summary in report.prompts:
        parts.append(Text(""))
        parts.append(_prompt_title(summary))
        if summary.hidden or report.hidden is not None:
            continue
        if summary.kind is PromptKind.text:
            parts += _texts_view(summary)
        else:
            parts.append(_cells_table(summary.cells, summary.withheld))
            for line in _coarse_lines(summary):
                parts.append(Text("  " + line, style="dim" if summary.bands else ""))
            if summary.bands:
                parts.append(_cells_table(summary.bands, _band_withheld(summary)))
            for group in summary.by_card:
                card = group.card_id if group.card_id is not None else _("no card, or card hidden")
                title = Text("  ")
                title.append_text(safe(_("card {card}").format(card=card), "italic", single_line=True))
                title.append(" · " + _("{n} answers").format(n=group.answers), style="dim")
                parts.append(title)
                parts.append(_cells_table(group.cells, group.withheld, indent=4))
    return parts


def _prompt_title(summary: PromptSummary) -> Text:
    title = safe(summary.text or summary.id, "bold", single_line=True)
    title.append(f"  ({summary.id} · {_kind_label(summary.kind)} · {_answers_line(summary)})", style="dim")
    return title


def _cells_table(cells: Sequence[Cell], withheld: int, *, indent: int = 2) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), pad_edge=False)
    table.add_column(width=indent, no_wrap=True)
    table.add_column(overflow="fold", max_width=28)
    table.add_column(no_wrap=True)
    maximum = max((c.count or 0 for c in cells), default=0)
    for cell in cells:
        label = safe(cell.label, single_line=True)
        if cell.count is None:
            table.add_row("", label, Text(hidden_text(), style="dim italic"))
        else:
            shown = Text(bar(cell.count, maximum), style="cyan")
            shown.append(f" {cell.count}")
            table.add_row("", label, shown)
    if withheld:
        table.add_row(
            "",
            Text(_("withheld"), style="dim"),
            Text(_("{n} answers, to protect anonymity").format(n=withheld), style="dim"),
        )
    return table


def _texts_view(summary: PromptSummary) -> list[RenderableType]:
    parts: list[RenderableType] = [
        Text("  " + _("in a fresh random order"), style="dim"),
        TextList(summary.texts),
    ]
    if summary.redacted:
        parts.append(
            Text(
                "  "
                + _(
                    "{n} of these still await your review: their personal-data flags are shown removed ([…]). "
                    "Run stigmacards session review."
                ).format(n=summary.redacted),
                style="yellow",
            )
        )
    return parts


# --- Markdown ---------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Untrusted text for one Markdown line or table cell: inert, special characters escaped."""
    return markdown_literal(text)


def report_markdown(report: Report) -> str:
    lines = [
        "# " + md_escape(_("Reflections")),
        "",
        md_escape(_session_line(report)) + "  ",
        md_escape(_("Minimum group size k = {k}: smaller groups are hidden.").format(k=report.k)),
        "",
    ]
    reason = _hidden_reason(report)
    if reason:
        lines += ["> " + md_escape(reason), ""]
    for summary in report.prompts:
        lines.append("## " + md_escape(summary.text or summary.id))
        lines.append("")
        lines.append(
            md_escape(f"{summary.id} · {_kind_label(summary.kind)} · {_answers_line(summary)}"),
        )
        lines.append("")
        if summary.hidden or report.hidden is not None:
            continue
        if summary.kind is PromptKind.text:
            lines.append("*" + md_escape(_("in a fresh random order")) + "*")
            lines.append("")
            lines += ["- " + md_escape(text) for text in summary.texts]
            if summary.redacted:
                lines += [
                    "",
                    md_escape(
                        _("{n} still await review; their flagged parts are removed.").format(
                            n=summary.redacted
                        )
                    ),
                ]
            lines.append("")
            continue
        lines += _md_cells(summary.cells, summary.withheld)
        coarse = _coarse_lines(summary)
        if coarse:
            lines += [md_escape(line) for line in coarse] + [""]
        if summary.bands:
            lines += _md_cells(summary.bands, _band_withheld(summary))
        for group in summary.by_card:
            card = group.card_id if group.card_id is not None else _("no card, or card hidden")
            lines.append("### " + md_escape(_("card {card}").format(card=card)) + f" ({group.answers})")
            lines.append("")
            lines += _md_cells(group.cells, group.withheld)
    return "\n".join(lines).rstrip() + "\n"


def _coarse_lines(summary: PromptSummary) -> list[str]:
    """The median, and why bands follow: figures for a group too small for single values."""
    lines: list[str] = []
    if summary.median is not None:
        lines.append(_("Median: {m:g}").format(m=summary.median))
    if summary.bands:
        lines.append(_("In three bands, so that a small group still shows something:"))
    return lines


def _band_withheld(summary: PromptSummary) -> int:
    return (summary.answers or 0) - sum(c.count or 0 for c in summary.bands)


def _md_cells(cells: Sequence[Cell], withheld: int) -> list[str]:
    maximum = max((c.count or 0 for c in cells), default=0)
    rows = [f"| {md_escape(_('answer'))} | {md_escape(_('count'))} | |", "|---|---:|---|"]
    for cell in cells:
        if cell.count is None:
            rows.append(f"| {md_escape(cell.label)} | {md_escape(hidden_text())} | |")
        else:
            rows.append(f"| {md_escape(cell.label)} | {cell.count} | {bar(cell.count, maximum, 20)} |")
    if withheld:
        rows.append(f"| {md_escape(_('withheld'))} | {withheld} | |")
    return [*rows, ""]


# --- JSON -------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    """The report as plain data; a count of null means hidden to protect anonymity."""
    s = report.session
    return {
        "session": {
            "id": s.id,
            "deck_id": s.deck_id,
            "day": s.day,
            "language": s.language,
            "group_size": s.group_size,
            "closed": s.sealed,
        },
        "min_group": report.k,
        "hidden": None if report.hidden is None else str(report.hidden),
        "prompts": [_summary_json(p, whole_hidden=report.hidden is not None) for p in report.prompts],
    }


def _summary_json(p: PromptSummary, *, whole_hidden: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": p.id, "kind": str(p.kind), "text": p.text, "answers": p.answers}
    if whole_hidden or p.hidden:
        return data
    if p.kind is PromptKind.text:
        data["texts"] = list(p.texts)
        data["awaiting_review"] = p.redacted
        return data
    data["values"] = [{"value": c.value, "label": c.label, "count": c.count} for c in p.cells]
    data["withheld"] = p.withheld
    if p.median is not None:
        data["median"] = p.median
    if p.bands:
        data["bands"] = [{"band": c.value, "label": c.label, "count": c.count} for c in p.bands]
        data["bands_withheld"] = _band_withheld(p)
    if p.by_card:
        data["by_card"] = [
            {
                "card_id": g.card_id,
                "answers": g.answers,
                "values": [{"value": c.value, "label": c.label, "count": c.count} for c in g.cells],
                "withheld": g.withheld,
            }
            for g in p.by_card
        ]
    return data


# --- sessions and review ----------------------------------------------------------------


def sessions_table(sessions: Sequence[SessionInfo], *, stale: frozenset[str] = frozenset()) -> RenderableType:
    """`session list`: two lines per session (fits 80 columns); those past retention marked "!"."""
    parts: list[RenderableType] = []
    for s in sessions:
        head = Text(s.id, style="bold")
        head.append("  ")
        head.append(s.day, style="yellow" if s.id in stale else "")
        if s.id in stale:
            head.append(" !", style="bold yellow")
        head.append("  ")
        head.append_text(safe(f"{s.deck_id} ({s.language})", single_line=True))
        details = [
            _("group size {n}").format(n=s.group_size)
            if s.group_size is not None
            else _("group size not given"),
        ]
        if s.sealed:
            # No count either: the total, less what a report shows, is what it hides.
            details += [_("closed"), review_label(str(s.review))]
        else:
            # No count and no review state: before and after one person, they would tell how
            # many questions that person answered, and whether their text was flagged.
            details.append(_("open"))
        parts.append(head)
        parts.append(Text("    " + " · ".join(details), style="dim"))
    return Group(*parts)


def review_label(review: str) -> str:
    return {"none": _("nothing flagged"), "pending": _("to review"), "done": _("reviewed")}.get(
        review, review
    )


def flagged_text(text: str, flags: Sequence[PiiFlag]) -> Text:
    """A reflection with its flagged parts highlighted (positions refer to `text` before inert)."""
    out = Text()
    position = 0
    for flag in sorted(flags, key=lambda f: f.start):
        out.append(inert(text[position : flag.start]))
        out.append(inert(text[flag.start : flag.end]), style="bold reverse")
        position = flag.end
    out.append(inert(text[position:]))
    return out
