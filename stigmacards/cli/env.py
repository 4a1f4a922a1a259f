"""The command layer's one environment object: everything a command takes from the outside world.

Consoles, the prompter, whether a person sits at the terminal, the wall clock and the monotonic
clock, the keyboard, and where the data lives. Commands read them from `ENV` at the moment they
need them (so `--help` pays for none of them), and tests replace fields of it, or a command
module's reference to it, instead of needing a terminal, a real clock or a real home directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from stigmacards.ui.prompts import Prompter


def _prompter() -> Prompter:
    from stigmacards.ui.prompts import QuestionaryPrompter

    return QuestionaryPrompter()


def _terminal() -> bool:
    from stigmacards.platform import stdin_is_terminal

    return stdin_is_terminal()


def _now() -> datetime:
    return datetime.now().astimezone()


def _console() -> Console:
    from stigmacards.ui.console import console

    return console()


def _error_console() -> Console:
    from stigmacards.ui.console import error_console

    return error_console()


def _home() -> Path:
    from stigmacards import paths

    return paths.home()


@dataclass
class Env:
    """What tests replace: the prompts, whether a person sits at a terminal, time, keys, output, home."""

    prompter: Callable[[], Prompter] = _prompter
    terminal: Callable[[], bool] = _terminal
    now: Callable[[], datetime] = _now
    clock: Any = None  # a timing.Clock for the round loop; None = the real monotonic clock
    keys: Any = None  # a ui.keys.KeySource for the round loop; None = the real keyboard
    console: Callable[[], Console] = _console
    error_console: Callable[[], Console] = _error_console
    home: Callable[[], Path] = _home


ENV = Env()
