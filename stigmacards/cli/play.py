"""`stigmacards play` (run a facilitated session) and `stigmacards deal` (print a session's plan)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards import paths
from stigmacards.cli.common import language_notice, load
from stigmacards.cli.env import ENV, Env
from stigmacards.deck.catalog import DEFAULT_DECK
from stigmacards.errors import UsageError
from stigmacards.i18n import _, language, ngettext, normalize, set_language
from stigmacards.play.limits import MAX_MINUTES, MAX_ROUNDS, MAX_TABLES, MIN_MINUTES

if TYPE_CHECKING:  # imported where used: `--help` and the other commands do not pay for them
    from stigmacards.cli.playroom import RoomOptions
    from stigmacards.deck.catalog import DeckSource
    from stigmacards.deck.model import Deck, LocalDeck
    from stigmacards.play.runner import Handoff, Runner
    from stigmacards.play.setup import Wanted
    from stigmacards.play.state import Session
    from stigmacards.ui.prompts import Prompter
    from stigmacards.ui.stage import Display


# The environment (cli/env.py); `Seams` is its name here, where tests replace `seams`.
Seams = Env
seams = ENV


# --- play --------------------------------------------------------------------------------------


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
def play(
    *,
    deck: Annotated[
        str | None,
        typer.Argument(
            help="Bundled deck id, a deck in $STIGMACARDS_HOME/decks, or a path (asked if left out)."
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the cards and the interface: nl or en.")
    ] = None,
    tables: Annotated[
        int | None, typer.Option("--tables", min=1, max=MAX_TABLES, help="Number of tables (default 1).")
    ] = None,
    rounds: Annotated[
        int | None, typer.Option("--rounds", min=1, max=MAX_ROUNDS, help="Number of rounds (default 3).")
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option(
            "--minutes",
            min=MIN_MINUTES,
            max=MAX_MINUTES,
            help="Minutes per round; decimals allowed, e.g. 7.5 (default 10).",
        ),
    ] = None,
    max_level: Annotated[
        int | None,
        typer.Option("--max-level", min=1, max=3, help="Deepest card level to deal, 1 to 3 (default 3)."),
    ] = None,
    include_sensitive: Annotated[
        bool,
        typer.Option(
            "--include-sensitive",
            help="Also deal cards with a content note; you see each note before the room does.",
        ),
    ] = False,
    group: Annotated[
        str | None,
        typer.Option(
            "--group", metavar="NAME", help="Remember which cards this group has had and skip them next time."
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, help="Deal exactly the same cards as an earlier session.")
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="No set-up questions: defaults for every setting not given"
            " (at a terminal you still see each content note first).",
        ),
    ] = False,
    big: Annotated[bool, typer.Option("--big", help="Larger cards, for a projector.")] = False,
    calm: Annotated[
        bool,
        typer.Option("--calm", help="No ticking digits: a slowly filling bar, minutes left once a minute."),
    ] = False,
    plain: Annotated[
        bool, typer.Option("--plain", help="No animation: one line per minute (screen readers, logs).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell when the time is up.")] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the unfinished session (after Ctrl-C or a crash).")
    ] = False,
    discard: Annotated[
        str | None,
        typer.Option(
            "--discard",
            metavar="ID|all",
            help="Discard an unfinished session (or all of them) instead of playing.",
        ),
    ] = None,
    reflect: Annotated[
        bool | None,
        typer.Option(
            "--reflect/--no-reflect",
            help="After the last round, collect anonymous reflections in kiosk mode (default: ask).",
        ),
    ] = None,
    group_size: Annotated[
        int | None,
        typer.Option(
            "--group-size",
            help="People taking part, for the reflections (implies --reflect; default: asked).",
        ),
    ] = None,
    room: Annotated[
        bool, typer.Option("--room", help="Serve the session to phones and a projector page (see `room`).")
    ] = False,
    host: Annotated[str | None, typer.Option("--host", help="With --room: the address to serve on.")] = None,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="With --room: the port (default: free).")
    ] = 0,
    no_qr: Annotated[bool, typer.Option("--no-qr", help="With --room: no QR code in the terminal.")] = False,
) -> None:
    """Run a facilitated session: deal a card to every table and time the rounds.

    Keys during a round: space pause, + and - one minute more or less, p pass (a new card for a
    table), f facilitator notes, n next round, q quit, ? help. The session is saved as it goes;
    --resume continues it, --discard throws an unfinished one away.

    Example: stigmacards play --tables 3 --rounds 4 --minutes 12
    """
    if calm and plain:
        raise UsageError(_("choose one of --calm and --plain"))
    from stigmacards.play import setup
    from stigmacards.play import state as playstate
    from stigmacards.play.runner import check_group_size
    from stigmacards.ui.stage import Display

    display = Display(big=big, calm=calm, plain=plain, quiet=quiet)
    handoff = check_group_size(group_size, reflect=reflect)
    rooms = None
    if room or host is not None or port or no_qr:
        from stigmacards.cli.playroom import room_options

        rooms = room_options(room, host=host, port=port, no_qr=no_qr)
    wanted = setup.Wanted(
        deck=deck,
        lang=lang,
        tables=tables,
        rounds=rounds,
        minutes=minutes,
        max_level=max_level,
        include_sensitive=include_sensitive,
        group=group,
        seed=seed,
    )
    if discard is not None:
        if resume or wanted.settings_given():
            raise UsageError(_("--discard only discards: leave out the other settings and --resume"))
        _discard(discard)
        return
    if resume:
        setup.check_resume(wanted)
        session = playstate.latest_open(paths.sessions_dir())
        ask = not yes and seams.terminal()
        _resume(
            session,
            lang=lang,
            display=display,
            prompter=seams.prompter() if ask else None,
            handoff=handoff,
            rooms=rooms,
        )
        return
    ask = not yes
    if ask and not seams.terminal():
        setup.check_without_terminal(wanted)
        ask = False
    prompter = seams.prompter() if ask else None
    if prompter is not None and deck is None:
        chosen = _ask_open_session(prompter)
        if isinstance(chosen, str):
            _discard("all")
        elif chosen is not None:
            _resume(chosen, lang=lang, display=display, prompter=prompter, handoff=handoff, rooms=rooms)
            return

    source, wanted = _setup(prompter, wanted)
    memory = playstate.load_group(paths.groups_dir(), group, source.deck.id) if group else frozenset()
    assert wanted.lang is not None
    session = setup.new_session(
        source, setup.options_from(wanted, language=wanted.lang), seed=seed, memory=memory, now=seams.now()
    )
    runner = _runner(session, source.deck, display=display, prompter=prompter, handoff=handoff)
    runner.save()
    _run(runner, resumed=False, rooms=rooms, calm=display.calm)


def _setup(prompter: Prompter | None, wanted: Wanted) -> tuple[DeckSource, Wanted]:
    """Every setting from its flag, else from a question (or the default when asking nothing)."""
    from stigmacards.play.setup import check_language, default_language

    if wanted.deck is not None:
        source = load(wanted.deck)
    elif prompter is not None:
        from stigmacards.deck.catalog import scan
        from stigmacards.ui.setup import ask_deck

        source = load(
            ask_deck(prompter, scan([(paths.bundled_decks_dir(), True), (paths.user_decks_dir(), False)]))
        )
    else:
        source = load(DEFAULT_DECK)
    if wanted.lang:
        deck_lang = check_language(source.deck, wanted.lang)
    else:
        deck_lang = default_language(source.deck, language())
        if prompter is not None:
            from stigmacards.ui.setup import ask_language

            deck_lang = ask_language(prompter, source.deck, default=deck_lang)
    speak(deck_lang)
    wanted = replace(wanted, lang=deck_lang)
    if prompter is not None:
        from stigmacards.ui.setup import ask_settings

        wanted = ask_settings(prompter, source.deck, wanted)
    return source, wanted


def _ask_open_session(prompter: Prompter) -> Session | str | None:
    from stigmacards.play import state as playstate
    from stigmacards.play.runner import deck_unchanged
    from stigmacards.ui.setup import ask_open_session

    # Sessions whose deck changed or vanished cannot go on; `--resume` explains why.
    sessions = [s for s in playstate.open_sessions(paths.sessions_dir()) if deck_unchanged(s)]
    return ask_open_session(prompter, sessions)


def _discard(which: str) -> None:
    from stigmacards.play import state as playstate
    from stigmacards.ui.console import console

    gone = playstate.discard(paths.sessions_dir(), which)
    console().print(
        ngettext("Discarded {n} unfinished session.", "Discarded {n} unfinished sessions.", len(gone)).format(
            n=len(gone)
        ),
        markup=False,
    )


def speak(deck_lang: str) -> None:
    """Let the interface follow the language the room reads the cards in, where it has one.

    Otherwise a deck only in Dutch, run on a laptop set to English, shows the room "Round 1 of 3"
    above Dutch cards and an English line about passing among the deck's Dutch ground rules.
    """
    ui = normalize(deck_lang)
    if ui and ui != language():
        set_language(ui)


def _resume(
    session: Session,
    *,
    lang: str | None,
    display: Display,
    prompter: Prompter | None,
    handoff: Handoff,
    rooms: RoomOptions | None = None,
) -> None:
    """Go on where `session` stopped, if its deck is still exactly the same."""
    from stigmacards.play import state as playstate
    from stigmacards.play.runner import reopen
    from stigmacards.play.setup import check_language

    source = reopen(session, bundled_dir=paths.bundled_decks_dir(), user_dir=paths.user_decks_dir())
    if lang:
        session = playstate.with_language(session, check_language(source.deck, lang))
    speak(session.options.language)
    runner = _runner(session, source.deck, display=display, prompter=prompter, handoff=handoff)
    _run(runner, resumed=True, rooms=rooms, calm=display.calm)


def _run(runner: Runner, *, resumed: bool, rooms: RoomOptions | None, calm: bool) -> None:
    if rooms is None:
        runner.run(resumed=resumed)
    else:  # --room: the room follows the session (cli/playroom.py)
        from stigmacards.cli.playroom import run_in_room

        run_in_room(runner, rooms, calm=calm, resumed=resumed, now=seams.now)


def _runner(
    session: Session, deck: Deck, *, display: Display, prompter: Prompter | None, handoff: Handoff
) -> Runner:
    """The session's runner, on the terminal stage."""
    from stigmacards.cli.kioskdesk import KioskDesk
    from stigmacards.deck.model import localize
    from stigmacards.play.runner import Places, Runner
    from stigmacards.ui.console import console
    from stigmacards.ui.stage import TerminalStage

    warn_untranslated(deck, localize(deck, session.options.language))
    stage = TerminalStage(
        console=console(),
        display=display,
        prompter=prompter,
        notes=_notes_prompter(prompter),
        clock=seams.clock,
        keys=seams.keys,
    )
    places = Places(sessions=paths.sessions_dir(), groups=paths.groups_dir(), now=seams.now)
    return Runner(
        session=session, deck=deck, stage=stage, places=places, desk=KioskDesk(now=seams.now), handoff=handoff
    )


def _notes_prompter(prompter: Prompter | None) -> Prompter | None:
    """Who is shown the content notes and asked before the room sees a card.

    Even with --yes: when someone sits at the terminal, a note printed just before the cards
    would be covered by them at once, unread. Only without a terminal are the notes accepted.
    """
    if prompter is not None or not seams.terminal():
        return prompter
    return seams.prompter()


def warn_untranslated(deck: Deck, local: LocalDeck) -> None:
    """Tell the facilitator which cards the room will see in the deck's own language."""
    from stigmacards.ui.console import error_console

    message = language_notice(deck, local)
    if message is not None:
        error_console().print(message, style="yellow", markup=False)
