"""`stigmacards timer MINUTES`: the round timer on its own."""

from __future__ import annotations

import math
from typing import Annotated

import typer

from stigmacards.errors import UsageError
from stigmacards.i18n import _

LONGEST_MINUTES = 24 * 60


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
def timer(
    minutes: Annotated[
        float,
        typer.Argument(metavar="MINUTES", help="Length of the round in minutes (decimals allowed: 0.25)."),
    ],
    calm: Annotated[
        bool, typer.Option("--calm", help="No ticking digits: a slowly filling bar, 'about N minutes left'.")
    ] = False,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain", help="A few plain lines, no animation (screen readers, logs). Automatic when piped."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No terminal bell when the time is up.")] = False,
    big: Annotated[bool, typer.Option("--big", help="Larger digits, for a projector.")] = False,
) -> None:
    """Count down one round: big digits, a calm bar, or plain lines.

    Keys: space pause/resume, + and - one minute more or less, n end now, q quit (asks first),
    ? help. At zero it rings (unless --quiet), shows "Time's up" and waits for Enter.

    Example: stigmacards timer 10 --calm
    """
    if calm and plain:
        raise UsageError(_("choose one of --calm and --plain"))
    if not math.isfinite(minutes) or not 0 < minutes <= LONGEST_MINUTES:
        raise UsageError(
            _("MINUTES must be more than 0 and at most {most}, not {given}").format(
                most=LONGEST_MINUTES, given=minutes
            )
        )
    from rich.text import Text

    from stigmacards.play.timing import RoundOutcome, clock_face, shown_seconds
    from stigmacards.ui.console import console
    from stigmacards.ui.live import TimerMode, run_round, timer_mode_for

    out = console()
    mode = timer_mode_for(out, calm=calm, plain=plain)
    result = run_round(
        seconds=minutes * 60,
        header=lambda: Text(""),
        tables=1,
        mode=mode,
        quiet=quiet,
        big=big,
        console=out,
    )
    if mode is TimerMode.PLAIN:
        return  # the plain display has already said how it ended
    if result.outcome is RoundOutcome.DONE:
        out.print(Text(_("Time's up.")))
    else:
        left = clock_face(shown_seconds(result.remaining))
        out.print(Text(_("Stopped with {time} left.").format(time=left)))
