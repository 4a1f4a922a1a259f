"""Finding decks: bundled ones, the user's own, or a path. `DECK` means the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stigmacards.errors import UsageError
from stigmacards.i18n import _

if TYPE_CHECKING:  # the loader (YAML, the model) is imported when a deck is read, not at start-up
    from stigmacards.deck.loading import Analysis
    from stigmacards.deck.model import Deck

DEFAULT_DECK = "stigma-sekswerk"
DECK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class DeckSource:
    """Where a deck came from, and the deck itself."""

    path: Path
    bundled: bool
    deck: Deck


def deck_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file())


def looks_like_path(spec: str) -> bool:
    return "/" in spec or "\\" in spec or spec.endswith(DECK_SUFFIXES) or spec.startswith(".")


def resolve(spec: str, *, bundled_dir: Path, user_dir: Path) -> tuple[Path, bool]:
    """Turn a DECK argument (bundled id, user deck id or path) into a file path."""
    if looks_like_path(spec):
        return Path(spec), False
    for directory, bundled in ((user_dir, False), (bundled_dir, True)):
        for suffix in DECK_SUFFIXES:
            candidate = directory / f"{spec}{suffix}"
            if candidate.is_file():
                return candidate, bundled
    # Files may be named differently from their id: look inside.
    from stigmacards.deck.loading import analyse_file

    for directory, bundled in ((user_dir, False), (bundled_dir, True)):
        for path in deck_files(directory):
            analysis = analyse_file(path)
            if analysis.deck is not None and analysis.deck.id == spec:
                return path, bundled
    known = ", ".join(sorted(available_ids(bundled_dir=bundled_dir, user_dir=user_dir))) or _("none")
    raise UsageError(
        _("no deck '{spec}' (available: {known}; or give a path to a .yaml file)").format(
            spec=spec, known=known
        )
    )


def available_ids(*, bundled_dir: Path, user_dir: Path) -> list[str]:
    return [p.stem for d in (bundled_dir, user_dir) for p in deck_files(d)]


def open_deck(spec: str, *, bundled_dir: Path, user_dir: Path) -> DeckSource:
    """Resolve and load a deck; raises UsageError or DeckError."""
    from stigmacards.deck.loading import analyse_file, deck_or_raise

    path, bundled = resolve(spec, bundled_dir=bundled_dir, user_dir=user_dir)
    analysis = analyse_file(path)
    return DeckSource(path=path, bundled=bundled, deck=deck_or_raise(analysis))


def scan(directories: Iterable[tuple[Path, bool]]) -> list[tuple[Path, bool, Analysis]]:
    """Analyse every deck file in the given (directory, bundled) pairs."""
    from stigmacards.deck.loading import analyse_file

    found: list[tuple[Path, bool, Analysis]] = []
    for directory, bundled in directories:
        for path in deck_files(directory):
            found.append((path, bundled, analyse_file(path)))
    return found


def level_counts(deck: Deck) -> dict[int, int]:
    counts = {1: 0, 2: 0, 3: 0}
    for card in deck.cards:
        counts[card.level] += 1
    return counts


def content_hash(paths: Sequence[Path]) -> str:
    """A short, stable fingerprint of deck files (detects a deck changed under a session)."""
    import hashlib

    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
