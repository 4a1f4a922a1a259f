"""`deck validate` and `deck lint` as text: the report, ready to print, and the exit code.

No typer, rich or printing here: the typer commands in cli/deck.py print the report, and so does
the start-up fast path in __main__ (a trainer's editor or CI runs `deck validate` on every save,
and the CLI framework alone would cost more than checking the deck). Both paths share this
module, so they cannot drift apart. The loader is imported only when a deck is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from stigmacards.errors import ExitCode, UsageError
from stigmacards.i18n import _

if TYPE_CHECKING:  # `--help` imports this module (OutputFormat); the rest when a deck is checked
    from collections.abc import Callable

    from stigmacards.deck.loading import Analysis
    from stigmacards.deck.problems import Problem

    # More problems for one analysed deck file (the command chooses, so deck/ needs no printing/).
    ExtraCheck = Callable[[Analysis, Path], list[Problem]]


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


# Characters json.dumps leaves raw that a terminal may act on (C1 controls such as CSI, bidi
# overrides, line separators): written as \u escapes, the JSON means the same and shows inert.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def to_json(data: object) -> str:
    """JSON for editors and CI: UTF-8 text as is, but nothing a terminal would interpret."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True, slots=True)
class Report:
    """What a check prints: `out` lines on stdout, `err` (the summary) on stderr, and the exit code."""

    out: tuple[str, ...]
    err: tuple[str, ...]
    code: int


def deck_paths(specs: list[Path]) -> list[Path]:
    """Expand PATH arguments: files as given, directories to their deck files, bundled ids to files."""
    from stigmacards import paths
    from stigmacards.deck.catalog import deck_files, looks_like_path, resolve

    found: list[Path] = []
    for spec in specs:
        if spec.is_dir():
            files = deck_files(spec)
            if not files:
                raise UsageError(_("{path}: no .yaml deck files in this directory").format(path=spec))
            found.extend(files)
        elif spec.exists() or spec.is_symlink():
            found.append(spec)  # the loader reads it, or says in one line why it cannot
        elif looks_like_path(str(spec)):
            raise UsageError(_("{path}: no such file").format(path=spec))  # before any output
        else:
            found.append(
                resolve(str(spec), bundled_dir=paths.bundled_decks_dir(), user_dir=paths.user_decks_dir())[0]
            )
    return found


def check(specs: list[Path], *, warnings: bool, fmt: OutputFormat, extra: ExtraCheck | None = None) -> Report:
    """Every problem of every deck, sorted by position, as the lines to print; and the exit code.

    Raises UsageError (before anything is printed) when a PATH is missing."""
    from stigmacards.deck.lint import lint
    from stigmacards.deck.loading import analyse_file
    from stigmacards.deck.problems import Problem
    from stigmacards.text import inert

    files = deck_paths(specs)
    problems: list[Problem] = []
    for path in files:
        analysis = analyse_file(path)
        problems.extend(analysis.problems)  # lint shows errors too: an invalid deck cannot be linted
        if warnings:
            problems.extend(lint(analysis))
        if extra is not None:  # e.g. `--print`: printing.readiness, passed in by the command
            problems.extend(extra(analysis, path))
    problems.sort(key=Problem.sort_key)
    code = int(ExitCode.INVALID) if problems and (warnings or _has_errors(problems)) else 0
    if fmt is OutputFormat.json:
        return Report((to_json([p.as_dict() for p in problems]),), (), code)
    return Report(
        tuple(inert(problem.format(), single_line=True) for problem in problems),
        (summary(problems, decks=len(files)),),
        code,
    )


def _has_errors(problems: list[Problem]) -> bool:
    from stigmacards.deck.problems import Severity

    return any(p.severity is Severity.ERROR for p in problems)


def summary(problems: list[Problem], *, decks: int) -> str:
    from stigmacards.deck.problems import Severity

    n_errors = sum(p.severity is Severity.ERROR for p in problems)
    n_warnings = len(problems) - n_errors
    # Singular and plural chosen here (English and Dutch agree: one, other), so every message
    # is a plain msgid in the catalogue.
    checked = (_("{count} deck checked") if decks == 1 else _("{count} decks checked")).format(count=decks)
    if not problems:
        return _("{checked}: no problems").format(checked=checked)
    return _("{checked}: {errors}, {warnings}").format(
        checked=checked,
        errors=(_("{count} error") if n_errors == 1 else _("{count} errors")).format(count=n_errors),
        warnings=(_("{count} warning") if n_warnings == 1 else _("{count} warnings")).format(
            count=n_warnings
        ),
    )
