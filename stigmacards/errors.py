"""The one error hierarchy: the core raises these, only the CLI turns them into exit codes."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes; each class of failure has its own so scripts can tell them apart."""

    OK = 0
    INVALID = 1  # a deck (or other input) has errors
    USAGE = 2  # bad flags, missing file, unknown deck id
    STORE = 3  # the reflections store cannot be read or written
    SESSION = 4  # a session is closed, changed or otherwise unusable
    OUTPUT = 5  # an output file could not be written
    LAYOUT = 6  # text does not fit on a printed card, even at the smallest readable size
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM
    HANGUP = 129  # SIGHUP


class StigmaError(Exception):
    """Base of every error the user can cause; carries its exit code."""

    exit_code: ExitCode = ExitCode.INVALID

    def __init__(self, message: str, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(StigmaError):
    """The command was called wrongly: a missing file, an unknown deck, a bad option."""

    exit_code = ExitCode.USAGE


class DeckError(StigmaError):
    """A deck could not be loaded; `problems` lists every problem found, with positions."""

    exit_code = ExitCode.INVALID

    def __init__(self, message: str, problems: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class StoreError(StigmaError):
    """The reflections store could not be opened, read or written."""

    exit_code = ExitCode.STORE


class SessionError(StigmaError):
    """A session cannot be used as asked (closed, unknown, its deck changed)."""

    exit_code = ExitCode.SESSION


class OutputError(StigmaError):
    """An output file could not be written."""

    exit_code = ExitCode.OUTPUT


class Cancelled(StigmaError):  # noqa: N818 - reads as an event, like KeyboardInterrupt
    """The person at the keyboard cancelled (Ctrl-C or Escape in a prompt)."""

    exit_code = ExitCode.INTERRUPTED


class LayoutError(StigmaError):
    """Text does not fit on a printed card; the message names the card."""

    exit_code = ExitCode.LAYOUT
