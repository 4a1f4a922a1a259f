"""Setting up a session: what the flags ask for, what is missing, the defaults, and the new session.

The questions themselves belong to a front end (`ui/setup.py` in the terminal); this module
decides which settings are still open and turns the answers into a checked `Session`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stigmacards.deck.catalog import DeckSource, content_hash
from stigmacards.deck.model import Deck
from stigmacards.errors import UsageError
from stigmacards.i18n import SUPPORTED, _, normalize
from stigmacards.play import dealing
from stigmacards.play import state as playstate
from stigmacards.play.state import Options, Session

DEFAULTS = Options(language="", tables=1, rounds=3, minutes=10.0, max_level=3, include_sensitive=False)


@dataclass(frozen=True, slots=True)
class Wanted:
    """The set-up flags as given; None where a flag was left out (to be asked, or defaulted)."""

    deck: str | None = None
    lang: str | None = None
    tables: int | None = None
    rounds: int | None = None
    minutes: float | None = None
    max_level: int | None = None
    include_sensitive: bool = False
    group: str | None = None
    seed: int | None = None

    def settings_given(self) -> list[str]:
        """The flags that set up a new session (which `--resume` does not take)."""
        return [
            flag
            for flag, value in (
                ("DECK", self.deck),
                ("--tables", self.tables),
                ("--rounds", self.rounds),
                ("--minutes", self.minutes),
                ("--max-level", self.max_level),
                ("--include-sensitive", self.include_sensitive or None),
                ("--group", self.group),
                ("--seed", self.seed),
            )
            if value is not None
        ]

    # Two flag lists on purpose: settings_given() is what --resume refuses, missing() what a
    # session without a terminal lacks (--lang is only here).
    def missing(self) -> list[str]:
        """The flags a session without a terminal needs (short of --yes)."""
        return [
            flag
            for flag, value in (
                ("DECK", self.deck),
                ("--lang", self.lang),
                ("--tables", self.tables),
                ("--rounds", self.rounds),
                ("--minutes", self.minutes),
                ("--max-level", self.max_level),
            )
            if value is None
        ]


def check_resume(wanted: Wanted) -> None:
    """`--resume` takes the session's own settings; refuse any other set-up flag."""
    given = wanted.settings_given()
    if given:
        raise UsageError(
            _("--resume continues with the session's own settings; leave out {flags}").format(
                flags=" ".join(given)
            )
        )


def check_without_terminal(wanted: Wanted) -> None:
    """Without a terminal and without --yes, every setting must come from a flag."""
    missing = wanted.missing()
    if missing:
        raise UsageError(
            _("no terminal to ask the set-up questions on: pass --yes for the defaults, or {flags}").format(
                flags=" ".join(missing)
            )
        )
    if wanted.include_sensitive:
        raise UsageError(
            _("without a terminal the content notes cannot be shown to you first: add --yes to accept them")
        )


def check_language(deck: Deck, lang: str) -> str:
    """`lang` when the interface or the deck speaks it; a UsageError naming the choices otherwise."""
    if normalize(lang) or deck.speaks(lang):
        return lang
    choices = sorted(set(SUPPORTED) | set(deck.languages))
    raise UsageError(
        _("unsupported language '{lang}' (choose one of: {choices})").format(
            lang=lang, choices=", ".join(choices)
        )
    )


def default_language(deck: Deck, interface: str) -> str:
    """The deck's language closest to the interface language, else the deck's own."""
    return deck.language_for(interface)


def dealable(deck: Deck, *, max_level: int, include_sensitive: bool) -> int:
    """How many cards these settings allow to be dealt (at most one table per card)."""
    return len(dealing.eligible(deck.cards, max_level=max_level, include_sensitive=include_sensitive))


def options_from(wanted: Wanted, *, language: str) -> Options:
    """The session's options: the given settings, defaults for the rest."""
    if wanted.group is not None:
        playstate.group_slug(wanted.group)  # a name that makes no file name is an error now, not later
    return Options(
        language=language,
        tables=DEFAULTS.tables if wanted.tables is None else wanted.tables,
        rounds=DEFAULTS.rounds if wanted.rounds is None else wanted.rounds,
        minutes=DEFAULTS.minutes if wanted.minutes is None else float(wanted.minutes),
        max_level=DEFAULTS.max_level if wanted.max_level is None else wanted.max_level,
        include_sensitive=wanted.include_sensitive,
        group=wanted.group,
    )


def new_session(
    source: DeckSource, options: Options, *, seed: int | None, memory: frozenset[str], now: datetime
) -> Session:
    """A new, checked session on `source` (UsageError when the deck cannot serve the options)."""
    pool = dealing.pool_for(
        source.deck.cards,
        tables=options.tables,
        max_level=options.max_level,
        include_sensitive=options.include_sensitive,
    )
    return playstate.start(
        session_id=playstate.new_session_id(now),
        deck_id=source.deck.id,
        deck_path=str(source.path.resolve()),
        content_hash=content_hash([source.path]),
        options=options,
        pool=pool,
        seed=dealing.new_seed() if seed is None else seed,
        memory=memory,
        now=now,
    )
