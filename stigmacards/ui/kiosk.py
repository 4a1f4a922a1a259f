"""The reflection screens: the promise, kiosk welcome and thank-you, personal-data flags; the wipe.

Renderers are pure functions returning rich renderables. `Screen` is the only thing that writes
raw terminal control sequences: it wipes the screen and the scrollback between participants and
keeps kiosk mode on the alternate screen, so nothing a previous person typed stays in the
terminal's history. Inside tmux or GNU screen it also empties the multiplexer's own history.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import TextIO

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from stigmacards.i18n import _, ngettext
from stigmacards.reflections.pii import PiiFlag
from stigmacards.reflections.wording import pii_kind, promise_lines
from stigmacards.ui.render import safe

# Erase the screen, erase the scrollback ("saved lines"), cursor home.
WIPE = "\x1b[2J\x1b[3J\x1b[H"
ALT_SCREEN_ON = "\x1b[?1049h"
ALT_SCREEN_OFF = "\x1b[?1049l"
# Between two participants: wipe the alternate screen, leave it and wipe the main screen too (for
# terminals without an alternate screen, where everything lands there), then enter a fresh one.
PASS_ON_WIPE = WIPE + ALT_SCREEN_OFF + WIPE + ALT_SCREEN_ON + WIPE


def promise(*, min_group: int, title: str | None = None) -> Panel:
    """The first screen of every reflection: what is and is not stored, and its limits."""
    body = Text()
    for number, line in enumerate(promise_lines(min_group=min_group)):
        if number:
            body.append("\n")
        body.append("• ", style="cyan")
        body.append(line)
    heading = Text(_("Before you start: what happens with your answers"), style="bold")
    if title:
        heading.append(" · ")
        heading.append_text(safe(title, "bold", single_line=True))
    return Panel(body, title=heading, title_align="left", box=box.ROUNDED, padding=(1, 2))


def before_the_code(*, session_id: str) -> RenderableType:
    """The screen before the end code: the room may be watching this screen on a projector."""
    body = Text()
    body.append(_("Kiosk mode for session {id}.").format(id=session_id) + "\n\n")
    body.append(
        _(
            "The next screen shows the code that ends kiosk mode. Only you should see it: if this "
            "screen is projected or shared, switch the projector off or to another input first."
        )
    )
    return Panel(body, title=Text(_("For the facilitator"), style="bold"), title_align="left", padding=(1, 2))


def kiosk_start(code: str, *, session_id: str) -> RenderableType:
    """Shown once, to the facilitator, before the first participant."""
    body = Text()
    body.append(_("Kiosk mode for session {id}.").format(id=session_id) + "\n\n")
    body.append(
        _("To end kiosk mode: type :end at the screen between participants (Ready?), then this code:")
        + "\n\n"
    )
    body.append(f"    {code}\n\n", style="bold reverse")
    body.append(
        _("Note it now: it will not be shown again. Ctrl-C by a participant only discards their own answers.")
    )
    return Panel(body, title=Text(_("For the facilitator"), style="bold"), title_align="left", padding=(1, 2))


def welcome(title: str) -> RenderableType:
    return _centred(
        Text(_("Reflection"), style="bold"),
        safe(title, "bold", single_line=True),
        Text(""),
        Text(_("A few short questions about today. You may skip any of them.")),
        Text(""),
        Text(_("Press Enter to begin."), style="bold cyan"),
    )


def thanks() -> RenderableType:
    """The same screen whatever the previous person did, so it reveals nothing about them."""
    return _centred(
        Text(_("Thank you — pass the laptop on."), style="bold"),
        Text(""),
        Text(_("Next person: press Enter to begin."), style="bold cyan"),
    )


def _centred(*lines: Text) -> RenderableType:
    for line in lines:
        line.justify = "center"
    return Panel(Group(*lines), box=box.DOUBLE, padding=(2, 2))


def pii_review(flags: Sequence[PiiFlag]) -> RenderableType:
    """The parts of an answer that look like personal data, and the honest caveat."""
    body = Text()
    body.append(_("Your answer seems to contain personal data:") + "\n", style="bold yellow")
    for flag in flags:
        body.append(f"  • {pii_kind(flag.kind)}: ")
        body.append_text(safe(flag.text, "bold", single_line=True))
        body.append("\n")
    body.append(_("This check does not catch everything: read your answer again yourself."), style="dim")
    return body


def saved_line(count: int) -> Text:
    saved = ngettext("Saved: {n} answer. Thank you.", "Saved: {n} answers. Thank you.", count)
    return Text(saved.format(n=count), style="green")


def not_saved(reason: str) -> Text:
    """The store's "not saved — your answer is still here" and, if it says more, its reason."""
    from stigmacards.reflections.store import not_saved_message

    headline = not_saved_message()
    text = Text(headline[:1].upper() + headline[1:], style="bold red")
    if reason.strip().casefold() != headline.casefold():
        text.append("\n")
        text.append_text(safe(reason, "dim", single_line=True))
    return text


# GNU screen's default scrollback (`defscrollback`), if its own setting cannot be read.
SCREEN_SCROLLBACK = 100
Runner = Callable[[Sequence[str]], str]


def run_quietly(command: Sequence[str]) -> str:
    """Run a multiplexer command; its output, or "" when it is missing, fails or hangs."""
    with suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(
            list(command), capture_output=True, text=True, timeout=2, check=False, stdin=subprocess.DEVNULL
        )
        return done.stdout
    return ""


def multiplexer_wipes(environ: Mapping[str, str], run: Runner) -> None:
    """Empty the history of the tmux pane or GNU screen window we run in.

    tmux honours ESC[3J, GNU screen does not: by default everything shown stays in its
    scrollback, where the next person could read it in copy mode (Ctrl-A [).
    """
    pane = environ.get("TMUX_PANE")
    if environ.get("TMUX") and pane:
        run(["tmux", "clear-history", "-t", pane])
    session, window = environ.get("STY"), environ.get("WINDOW")
    if session and window:
        target = ["screen", "-S", session, "-p", window]
        found = re.search(r"\+(\d+)", run([*target, "-Q", "info"]))
        lines = found.group(1) if found else str(SCREEN_SCROLLBACK)
        run([*target, "-X", "scrollback", "0"])  # drops every saved line
        run([*target, "-X", "scrollback", lines])


class Screen:
    """Raw control of the terminal for kiosk mode."""

    def __init__(
        self,
        stream: TextIO,
        *,
        environ: Mapping[str, str] | None = None,
        run: Runner = run_quietly,
        sequences: bool | None = None,
    ) -> None:
        from stigmacards.platform import terminal_sequences

        self._stream = stream
        self._environ = os.environ if environ is None else environ
        self._run = run
        # An old Windows console shows escape sequences as text: it is cleared with `cls` instead.
        self._sequences = terminal_sequences(stream) if sequences is None else sequences

    def write(self, sequence: str) -> None:
        self._stream.write(sequence)
        self._stream.flush()

    def _wipe(self, sequence: str) -> None:
        if self._sequences:
            self.write(sequence)
        else:
            self._stream.flush()
            self._run(["cmd", "/c", "cls"])  # the console's own clear: screen and scroll buffer
        multiplexer_wipes(self._environ, self._run)

    def wipe(self) -> None:
        """Erase the screen and the scrollback, with the alternate screen re-entered fresh."""
        self._wipe(PASS_ON_WIPE)

    @contextmanager
    def kiosk(self) -> Iterator[Screen]:
        """Wipe the facilitator's screen, run on the alternate screen, wipe again on the way out."""
        self._wipe(WIPE + ALT_SCREEN_ON + WIPE)
        try:
            yield self
        finally:
            self._wipe(WIPE + ALT_SCREEN_OFF + WIPE)
