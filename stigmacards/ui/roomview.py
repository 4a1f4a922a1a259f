"""The facilitator's terminal in room mode: how to join (QR code, short address, room code), the count.

Only counts are ever shown here, never what anyone wrote.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from stigmacards.i18n import _, ngettext


def qr_text(url: str) -> Text:
    """The join address as a QR code of half-block characters, dark on light (any terminal theme)."""
    import segno

    matrix = segno.make(url, error="m").matrix
    size = len(matrix)
    border = 2
    rows = [[False] * (size + 2 * border) for _ in range(border)]
    rows += [[False] * border + [bool(cell) for cell in row] + [False] * border for row in matrix]
    rows += [[False] * (size + 2 * border) for _ in range(border)]
    if len(rows) % 2:
        rows.append([False] * (size + 2 * border))
    text = Text(no_wrap=True, overflow="crop")
    chars = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        text.append("".join(chars[(a, b)] for a, b in zip(top, bottom, strict=True)), style="black on white")
        text.append("\n")
    return text


def joining(start: str, code: str, screen: str, *, qr: str | None) -> RenderableType:
    """How participants join and where the projector page is."""
    body = Text()
    body.append(_("Participants: scan the code, or go to") + "\n")
    body.append(f"  {start}\n", style="bold")
    body.append(_("and type the room code") + "  ")
    body.append(code, style="bold reverse")
    body.append("\n\n" + _("Projector (open in a browser, F11 for full screen):") + "\n")
    body.append(f"  {screen}\n", style="bold")
    body.append(
        "\n" + _("Keys: g one more person in the group · q stop (answers already sent stay saved)"),
        style="dim",
    )
    parts: list[RenderableType] = []
    if qr:
        parts.append(qr_text(qr))
    parts.append(body)
    return Panel(Group(*parts), title=Text(_("Room mode"), style="bold"), title_align="left", padding=(1, 2))


def status(saved: int, count: int, group_size: int | None, *, full: bool) -> Text:
    """One line: submissions in this room, people so far against the group size, 'group full'."""
    line = Text()
    line.append(
        ngettext("{n} submission arrived", "{n} submissions arrived", saved).format(n=saved), style="bold"
    )
    if group_size is not None:
        line.append(" · " + _("{count} of {size} people").format(count=count, size=group_size))
    if full:
        line.append(" · " + _("group full: press g to let one more person answer"), style="yellow")
    return line


def part_way(phones: int) -> Text:
    return Text(
        ngettext(
            "{n} person is still answering: press q again to stop anyway (their answers are not saved).",
            "{n} people are still answering: press q again to stop anyway (their answers are not saved).",
            phones,
        ).format(n=phones),
        style="yellow",
    )
