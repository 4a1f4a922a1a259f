"""Text → Deck, safely, with a position for every problem: the loader's public API.

Decks travel between organisations, so a deck file is untrusted input. Loading is four steps,
each a module of its own: `reading` (bytes from a regular file, UTF-8, the characters the two
YAML parsers read differently), `events` (YAML events → plain values with positions, and the
guards against aliases, tags, depth and size), `validation` + `explain` (the model's structure,
worded for a trainer) and `consistency` (ids and translations across the whole deck).
Callers import from here.
"""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path
from typing import Any

from stigmacards.deck.analysis import Analysis, Path_, Pos, make_problem, tidy, value_at
from stigmacards.deck.consistency import check_whole_deck
from stigmacards.deck.events import EXTENSION_PREFIX, c_loader_available, parse
from stigmacards.deck.model import FORMAT_VERSION, Deck
from stigmacards.deck.problems import Problem
from stigmacards.deck.reading import (
    MAX_BYTES,
    TooLargeError,
    character_problems,
    decode,
    read_regular_file,
    too_large_message,
)
from stigmacards.errors import DeckError
from stigmacards.i18n import _

# The public surface of the loader; the modules behind it are one concept each.
__all__ = [
    "EXTENSION_PREFIX",
    "MAX_BYTES",
    "Analysis",
    "Path_",
    "Pos",
    "TooLargeError",
    "analyse_bytes",
    "analyse_file",
    "analyse_text",
    "c_loader_available",
    "deck_or_raise",
    "load_deck",
    "load_deck_text",
    "read_regular_file",
]


def analyse_text(text: str, path: str = "<deck>", *, pure: bool = False) -> Analysis:
    """Parse and validate deck text; never raises for bad content, returns the problems."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problems = character_problems(text, path)
    if problems:
        return Analysis(path=path, deck=None, problems=problems)
    gc_was_enabled = gc.isenabled()
    # The values and the model's Structs are acyclic; collecting while they grow costs ~3x.
    gc.disable()
    try:
        return _analyse(text, path, pure=pure)
    except MemoryError:
        return Analysis(
            path=path,
            deck=None,
            problems=[
                make_problem(path, (0, 0), "SC001", _("file is too large to load in the memory available"))
            ],
        )
    finally:
        if gc_was_enabled:
            gc.enable()


def _analyse(text: str, path: str, *, pure: bool) -> Analysis:
    parsed = parse(text, path, pure=pure)
    data = parsed.data
    analysis = Analysis(
        path=path,
        deck=None,
        problems=parsed.problems,
        data=data,
        positions=parsed.positions,
        key_positions=parsed.key_positions,
    )
    if analysis.problems:
        analysis.problems.sort(key=Problem.sort_key)
        return analysis
    if not isinstance(data, dict):
        from stigmacards.deck.explain import kind_of  # words: only for a file with problems

        what = kind_of(data)
        analysis.problems.append(
            make_problem(
                path,
                analysis.locate(()),
                "SC100",
                _(
                    "a deck must be a mapping with keys like 'deck', 'id' and 'cards'; this file is {what}"
                ).format(what=what),
            )
        )
        return analysis
    _validate(analysis, data)
    analysis.problems.sort(key=Problem.sort_key)
    return analysis


def analyse_bytes(data: bytes, path: str = "<deck>", *, pure: bool = False) -> Analysis:
    text, problems = decode(data, path)
    if text is None:
        return Analysis(path=path, deck=None, problems=problems)
    return analyse_text(text, path, pure=pure)


def analyse_file(path: Path, *, display: str | None = None, pure: bool = False) -> Analysis:
    """Read and analyse a deck file. Raises UsageError when the file cannot be read at all."""
    shown_path = display or str(path)
    try:
        data = read_regular_file(path)
    except TooLargeError as exc:
        return Analysis(
            path=shown_path,
            deck=None,
            problems=[make_problem(shown_path, (0, 0), "SC001", too_large_message(exc.size))],
        )
    return analyse_bytes(data, shown_path, pure=pure)


def load_deck(path: Path, *, display: str | None = None) -> Deck:
    """Load a valid deck or raise DeckError naming the first problem (all are in `.problems`)."""
    analysis = analyse_file(path, display=display)
    return deck_or_raise(analysis)


def load_deck_text(text: str, path: str = "<deck>") -> Deck:
    return deck_or_raise(analyse_text(text, path))


def deck_or_raise(analysis: Analysis) -> Deck:
    errors = analysis.errors
    if errors or analysis.deck is None:
        first = errors[0].format() if errors else _("{path}: not a valid deck").format(path=analysis.path)
        more = (
            _(" (and {n} more; run 'stigmacards deck validate')").format(n=len(errors) - 1)
            if len(errors) > 1
            else ""
        )
        raise DeckError(first + more, tuple(errors))
    return analysis.deck


# --- Validation: the model for structure (validation.py), then whole-deck checks -----------


def _validate(analysis: Analysis, data: dict[str, Any]) -> None:
    version = data.get("deck")
    if isinstance(version, int) and not isinstance(version, bool) and version != FORMAT_VERSION:
        analysis.problems.append(
            make_problem(
                analysis.path,
                analysis.locate(("deck",)),
                "SC108",
                _(
                    "deck format version {version} is not supported; this stigmacards reads version {supported}"
                ).format(version=version, supported=FORMAT_VERSION),
                hint=_("upgrade stigmacards"),
            )
        )
        return
    from stigmacards.deck.validation import validate

    analysis.deck, errors = validate(data)
    if errors:
        _explain(analysis, data, errors)
    check_whole_deck(analysis, data)
    if analysis.errors:
        analysis.deck = None


def _explain(analysis: Analysis, data: dict[str, Any], errors: list[Any]) -> None:
    """Word the structural errors; imported only for an invalid deck (start-up time)."""
    from stigmacards.deck.explain import convert

    for err in errors:
        if not _is_cascade(data, err):
            problem = convert(analysis, data, err)
            # The net under the wording: one inert line, long quoted values clipped.
            analysis.problems.append(
                dataclasses.replace(problem, message=tidy(problem.message), hint=tidy(problem.hint))
            )


def _is_cascade(data: Any, err: Any) -> bool:
    """A length error on a list whose length is right repeats an item's error; keep only the item's."""
    if err["type"] not in ("too_short", "too_long"):
        return False
    raw = value_at(data, tuple(p for p in err["loc"] if p not in ("scale", "choice", "text")))
    if not isinstance(raw, list):
        return False
    ctx = err.get("ctx", {})
    return bool(ctx.get("min_length", 0) <= len(raw) <= ctx.get("max_length", len(raw)))
