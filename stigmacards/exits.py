"""The one boundary: how a failure becomes an exit code and a line on stderr.

Both entry paths use it: the fast path in `__main__` and the typer app in `cli`. The exit code
travels on the exception class (errors.py); this module only reads it.
"""

from __future__ import annotations

from stigmacards.errors import ExitCode, StigmaError
from stigmacards.i18n import _


def exit_status(exc: BaseException) -> tuple[int, str | None]:
    """The one mapping from a failure to its exit code and the one line to print (None: nothing).

    Both entry paths (the fast path in `__main__` and the typer app) use it. Anything that is not
    a known failure is raised again: an unknown exception is a bug and keeps its traceback.
    """
    if isinstance(exc, StigmaError):
        return int(exc.exit_code), exc.message
    if isinstance(exc, KeyboardInterrupt):
        return int(ExitCode.INTERRUPTED), _("interrupted")
    if isinstance(exc, BrokenPipeError):
        # The reader went away (`… | head -1`): exit 1 quietly, as click does.
        return int(ExitCode.INVALID), None
    raise exc
