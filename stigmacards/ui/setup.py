"""The set-up questions of `play` at a terminal: only what no flag answered (play/setup.py decides)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from stigmacards.deck.catalog import DEFAULT_DECK
from stigmacards.deck.loading import Analysis
from stigmacards.deck.model import Deck, localize
from stigmacards.i18n import _, language, ngettext
from stigmacards.play.limits import MAX_MINUTES, MAX_ROUNDS, MAX_TABLES, MIN_MINUTES
from stigmacards.play.setup import DEFAULTS, Wanted, dealable
from stigmacards.play.state import Session
from stigmacards.ui.prompts import Choice, Prompter

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def ask_deck(prompter: Prompter, found: Sequence[tuple[Path, bool, Analysis]]) -> str:
    """The deck to play: the bundled default first, then the others (yours marked)."""
    choices: list[Choice] = []
    for path, bundled, analysis in found:
        if analysis.deck is None:
            continue
        d = analysis.deck
        mine = "" if bundled else _(" (yours)")
        # The title in the interface language when the deck has one, else in its own.
        title = localize(d, language()).title
        choice = Choice(title=f"{title} ({d.id}){mine}", value=str(path))
        if bundled and d.id == DEFAULT_DECK:
            choices.insert(0, choice)
        else:
            choices.append(choice)
    if not choices:
        return DEFAULT_DECK
    return str(prompter.select(_("Which deck?"), choices, default=choices[0].value, flag="DECK"))


NEW = "new"
DISCARD = "discard"


def ask_open_session(prompter: Prompter, sessions: Sequence[Session]) -> Session | str | None:
    """One of the unfinished `sessions` to continue (the newest first, and the default).

    Returns the session, DISCARD when the facilitator chose to discard them all, or None for a
    new session.
    """
    if not sessions:
        return None
    choices = [
        Choice(
            title=_("Continue: {deck}, round {n} of {total} (started {started})").format(
                deck=s.deck_id,
                n=max(1, s.round),
                total=s.options.rounds,
                started=s.started.replace("T", " ")[:16],
            ),
            value=s.id,
        )
        for s in sessions[:5]
    ]
    choices.append(Choice(title=_("Start a new session"), value=NEW))
    choices.append(
        Choice(
            title=ngettext(
                "Discard the unfinished session, then start a new one",
                "Discard the {n} unfinished sessions, then start a new one",
                len(sessions),
            ).format(n=len(sessions)),
            value=DISCARD,
        )
    )
    message = ngettext(
        "There is an unfinished session.", "There are {n} unfinished sessions.", len(sessions)
    ).format(n=len(sessions))
    picked = prompter.select(message, choices, default=sessions[0].id, flag="--resume")
    if picked == DISCARD:
        return DISCARD
    return next((s for s in sessions if s.id == picked), None)


def ask_language(prompter: Prompter, deck: Deck, *, default: str) -> str:
    """The language of the cards, when the deck has more than one."""
    if len(deck.languages) < 2:
        return default
    return str(
        prompter.select(
            _("Language of the cards"),
            [_language_choice(tag) for tag in deck.languages],
            default=default,
            flag="--lang",
        )
    )


def ask_settings(prompter: Prompter, deck: Deck, wanted: Wanted) -> Wanted:
    """Ask every setting `wanted` leaves open; the tables again when the deck cannot serve them."""
    tables, rounds, minutes, max_level = wanted.tables, wanted.rounds, wanted.minutes, wanted.max_level
    include_sensitive = wanted.include_sensitive
    asked_tables = tables is None
    if tables is None:
        tables = prompter.integer(
            _("How many tables?"), default=DEFAULTS.tables, minimum=1, maximum=MAX_TABLES, flag="--tables"
        )
    if rounds is None:
        rounds = prompter.integer(
            _("How many rounds?"), default=DEFAULTS.rounds, minimum=1, maximum=MAX_ROUNDS, flag="--rounds"
        )
    if minutes is None:
        minutes = prompter.number(
            _("Minutes per round?"),
            default=DEFAULTS.minutes,
            minimum=MIN_MINUTES,
            maximum=MAX_MINUTES,
            flag="--minutes",
        )
    if max_level is None:
        max_level = int(
            prompter.select(
                _("Deepest level of the cards"),
                _level_choices(),
                default=DEFAULTS.max_level,
                flag="--max-level",
            )
        )
    sensitive = [c for c in deck.cards if c.sensitive and c.level <= max_level]
    if not include_sensitive and sensitive:
        include_sensitive = prompter.confirm(
            _(
                "{n} of the cards carry a content note. Deal those too? You will see the note before the room sees the card."
            ).format(n=len(sensitive)),
            default=False,
            flag="--include-sensitive",
        )
    room = dealable(deck, max_level=max_level, include_sensitive=include_sensitive)
    if asked_tables and 0 < room < tables:
        # Ask again rather than end the set-up with an error after every other answer.
        tables = prompter.integer(
            _("With these settings {n} cards can be dealt, one per table. How many tables?").format(n=room),
            default=room,
            minimum=1,
            maximum=room,
            flag="--tables",
        )
    # Every setting by name: alike in shape to play.state's constructor calls by nature.
    return replace(
        wanted,
        tables=tables,
        rounds=rounds,
        minutes=minutes,
        max_level=max_level,
        include_sensitive=include_sensitive,
    )


def _language_choice(tag: str) -> Choice:
    name = LANGUAGE_NAMES.get(tag.split("-", maxsplit=1)[0].lower())
    return Choice(title=f"{tag} ({name})" if name else tag, value=tag)


def _level_choices() -> list[Choice]:
    return [
        Choice(title=_("1: only the first, lightest cards"), value=1),
        Choice(title=_("2: up to the middle level"), value=2),
        Choice(title=_("3: all levels, the deepest included"), value=3),
    ]
