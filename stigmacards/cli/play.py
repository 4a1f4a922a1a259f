"""`stigmacards play` (run a facilitated session) and `stigmacards deal` (print a session's plan)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stigmacards import paths
from stigmacards.cli.common import OutputFormat, language_notice, load
from stigmacards.cli.reflect import Handoff
from stigmacards.deck.catalog import DEFAULT_DECK
from stigmacards.errors import Cancelled, ExitCode, SessionError, StigmaError, UsageError
from stigmacards.i18n import _, language, normalize, set_language

if TYPE_CHECKING:  # imported where used: `--help` and the other commands do not pay for them
    from rich.console import Console, RenderableType

    from stigmacards.deck.catalog import DeckSource
    from stigmacards.deck.model import Deck, LocalDeck
    from stigmacards.play.state import Options, Session
    from stigmacards.ui.live import RoundOutcome
    from stigmacards.ui.prompts import Prompter

MAX_TABLES = 50
MAX_ROUNDS = 100
MIN_MINUTES = 0.01
MAX_MINUTES = 600.0


def _defaults() -> Options:
    from stigmacards.play.state import Options

    return Options(language="", tables=1, rounds=3, minutes=10.0, max_level=3, include_sensitive=False)


# Saving on every clock tick would be one fsync a second; every few seconds loses little on a crash.
SAVE_EVERY_SECONDS = 5.0
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def _questionary_prompter() -> Prompter:
    from stigmacards.ui.prompts import QuestionaryPrompter

    return QuestionaryPrompter()


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class Seams:
    """What tests replace: the prompts, whether a person sits at a terminal, time, and keys."""

    prompter: Callable[[], Prompter] = _questionary_prompter
    terminal: Callable[[], bool] = _stdin_is_terminal
    now: Callable[[], datetime] = _now
    clock: Any = None  # a timing.Clock for run_round; None = the real monotonic clock
    keys: Any = None  # a ui.keys.KeySource for run_round; None = the real keyboard


seams = Seams()


# --- play --------------------------------------------------------------------------------------


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
    reflect: Annotated[
        bool | None,
        typer.Option(
            "--reflect/--no-reflect",
            help="After the last round, collect anonymous reflections in kiosk mode (default: ask).",
        ),
    ] = None,
    group_size: Annotated[
        int | None,
        typer.Option("--group-size", min=1, help="People taking part, for the reflections (default: asked)."),
    ] = None,
) -> None:
    """Run a facilitated session: deal a card to every table and time the rounds.

    Keys during a round: space pause, + and - one minute more or less, p pass (a new card for a
    table), n next round, q quit, ? help. The session is saved as it goes; --resume continues it.

    Example: stigmacards play --tables 3 --rounds 4 --minutes 12
    """
    if calm and plain:
        raise UsageError(_("choose one of --calm and --plain"))
    display = Display(big=big, calm=calm, plain=plain, quiet=quiet)
    handoff = Handoff(reflect=reflect, group_size=group_size)
    if resume:
        given = [
            flag
            for flag, value in (
                ("DECK", deck),
                ("--tables", tables),
                ("--rounds", rounds),
                ("--minutes", minutes),
                ("--max-level", max_level),
                ("--include-sensitive", include_sensitive or None),
                ("--group", group),
                ("--seed", seed),
            )
            if value is not None
        ]
        if given:
            raise UsageError(
                _("--resume continues with the session's own settings; leave out {flags}").format(
                    flags=" ".join(given)
                )
            )
        from stigmacards.play import state as playstate

        session = playstate.latest_open(paths.sessions_dir())
        ask = not yes and seams.terminal()
        _resume(
            session, lang=lang, display=display, prompter=seams.prompter() if ask else None, handoff=handoff
        )
        return

    ask = not yes
    if ask and not seams.terminal():
        missing = [
            flag
            for flag, value in (
                ("DECK", deck),
                ("--lang", lang),
                ("--tables", tables),
                ("--rounds", rounds),
                ("--minutes", minutes),
                ("--max-level", max_level),
            )
            if value is None
        ]
        if missing:
            raise UsageError(
                _(
                    "no terminal to ask the set-up questions on: pass --yes for the defaults, or {flags}"
                ).format(flags=" ".join(missing))
            )
        if include_sensitive:
            raise UsageError(
                _(
                    "without a terminal the content notes cannot be shown to you first: add --yes to accept them"
                )
            )
        ask = False
    prompter = seams.prompter() if ask else None

    if prompter is not None and deck is None:
        chosen = _ask_open_session(prompter)
        if chosen is not None:
            _resume(chosen, lang=lang, display=display, prompter=prompter, handoff=handoff)
            return

    source, options = _setup(
        prompter,
        deck=deck,
        lang=lang,
        tables=tables,
        rounds=rounds,
        minutes=minutes,
        max_level=max_level,
        include_sensitive=include_sensitive,
        group=group,
    )
    from stigmacards.deck.catalog import content_hash
    from stigmacards.play import dealing
    from stigmacards.play import state as playstate

    memory = (
        playstate.load_group(paths.groups_dir(), options.group, source.deck.id)
        if options.group
        else frozenset()
    )
    now = seams.now()
    pool = dealing.pool_for(
        source.deck.cards,
        tables=options.tables,
        max_level=options.max_level,
        include_sensitive=options.include_sensitive,
    )
    session = playstate.start(
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
    runner = Runner(
        session=session,
        deck=source.deck,
        display=display,
        prompter=prompter,
        handoff=handoff,
        notes=_notes_prompter(prompter),
    )
    runner.save()
    runner.run(summary=True)


@dataclass(frozen=True, slots=True)
class Display:
    big: bool = False
    calm: bool = False
    plain: bool = False
    quiet: bool = False


def _setup(
    prompter: Prompter | None,
    *,
    deck: str | None,
    lang: str | None,
    tables: int | None,
    rounds: int | None,
    minutes: float | None,
    max_level: int | None,
    include_sensitive: bool,
    group: str | None,
) -> tuple[DeckSource, Options]:
    """Every setting from its flag, else from a question (or the default when asking nothing)."""
    from stigmacards.play import dealing
    from stigmacards.play import state as playstate
    from stigmacards.play.state import Options

    DEFAULTS = _defaults()  # noqa: N806 - a constant, built here to keep playstate out of start-up
    if deck is not None:
        source = load(deck)
    elif prompter is not None:
        source = load(_ask_deck(prompter))
    else:
        source = load(DEFAULT_DECK)
    deck_lang = _check_language(source.deck, lang) if lang else None
    if deck_lang is None:
        deck_lang = _default_language(source.deck)
        if prompter is not None and len(source.deck.languages) > 1:
            deck_lang = prompter.select(
                _("Language of the cards"),
                [_language_choice(tag) for tag in source.deck.languages],
                default=deck_lang,
                flag="--lang",
            )
    _speak(deck_lang)
    if prompter is not None:
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
            max_level = prompter.select(
                _("Deepest level of the cards"),
                _level_choices(),
                default=DEFAULTS.max_level,
                flag="--max-level",
            )
        sensitive = [c for c in source.deck.cards if c.sensitive and c.level <= (max_level or 3)]
        if not include_sensitive and sensitive:
            include_sensitive = prompter.confirm(
                _(
                    "{n} of the cards carry a content note. Deal those too? You will see the note before the room sees the card."
                ).format(n=len(sensitive)),
                default=False,
                flag="--include-sensitive",
            )
        room = len(
            dealing.eligible(source.deck.cards, max_level=max_level, include_sensitive=include_sensitive)
        )
        if asked_tables and tables is not None and 0 < room < tables:
            # Ask again rather than end the set-up with an error after every other answer.
            tables = prompter.integer(
                _("With these settings {n} cards can be dealt, one per table. How many tables?").format(
                    n=room
                ),
                default=room,
                minimum=1,
                maximum=room,
                flag="--tables",
            )
    options = Options(
        language=deck_lang,
        tables=DEFAULTS.tables if tables is None else tables,
        rounds=DEFAULTS.rounds if rounds is None else rounds,
        minutes=DEFAULTS.minutes if minutes is None else float(minutes),
        max_level=DEFAULTS.max_level if max_level is None else max_level,
        include_sensitive=include_sensitive,
        group=group,
    )
    if group is not None:
        playstate.group_slug(group)  # a name that makes no file name is an error now, not later
    return source, options


def _ask_deck(prompter: Prompter) -> str:
    from stigmacards.deck.catalog import scan
    from stigmacards.ui.prompts import Choice

    found = scan([(paths.bundled_decks_dir(), True), (paths.user_decks_dir(), False)])
    choices: list[Choice] = []
    for path, bundled, analysis in found:
        if analysis.deck is None:
            continue
        d = analysis.deck
        mine = "" if bundled else _(" (yours)")
        title = f"{d.title} ({d.id}){mine}"
        choice = Choice(title=title, value=str(path))
        if bundled and d.id == DEFAULT_DECK:
            choices.insert(0, choice)
        else:
            choices.append(choice)
    if not choices:
        return DEFAULT_DECK
    return str(prompter.select(_("Which deck?"), choices, default=choices[0].value, flag="DECK"))


def _ask_open_session(prompter: Prompter) -> Session | None:
    from stigmacards.play import state as playstate
    from stigmacards.ui.prompts import Choice

    # Sessions whose deck changed or vanished cannot go on; `--resume` explains why.
    sessions = [s for s in playstate.open_sessions(paths.sessions_dir()) if _deck_unchanged(s)]
    if not sessions:
        return None
    choices = [Choice(title=_("Start a new session"), value=None)]
    for s in sessions[:5]:
        choices.append(
            Choice(
                title=_("Continue: {deck}, round {n} of {total} (started {started})").format(
                    deck=s.deck_id,
                    n=max(1, s.round),
                    total=s.options.rounds,
                    started=s.started.replace("T", " ")[:16],
                ),
                value=s.id,
            )
        )
    picked = prompter.select(_("There is an unfinished session."), choices, default=None, flag="--resume")
    return next((s for s in sessions if s.id == picked), None)


def _language_choice(tag: str) -> Any:
    from stigmacards.ui.prompts import Choice

    name = LANGUAGE_NAMES.get(tag.split("-", maxsplit=1)[0].lower())
    return Choice(title=f"{tag} ({name})" if name else tag, value=tag)


def _level_choices() -> list[Any]:
    from stigmacards.ui.prompts import Choice

    return [
        Choice(title=_("1: only the first, lightest cards"), value=1),
        Choice(title=_("2: up to the middle level"), value=2),
        Choice(title=_("3: all levels, the deepest included"), value=3),
    ]


def _check_language(deck: Deck, lang: str) -> str:
    if normalize(lang) or deck.speaks(lang):
        return lang
    raise UsageError(
        _("deck '{deck}' has no text in '{lang}' (it has: {langs})").format(
            deck=deck.id, lang=lang, langs=", ".join(deck.languages)
        )
    )


def _speak(deck_lang: str) -> None:
    """Let the interface follow the language the room reads the cards in, where it has one.

    Otherwise a deck only in Dutch, run on a laptop set to English, shows the room "Round 1 of 3"
    above Dutch cards and an English line about passing among the deck's Dutch ground rules.
    """
    ui = normalize(deck_lang)
    if ui and ui != language():
        set_language(ui)


def _default_language(deck: Deck) -> str:
    ui = language()
    return next((tag for tag in deck.languages if tag.split("-")[0].lower() == ui), deck.language)


def _resume(
    session: Session, *, lang: str | None, display: Display, prompter: Prompter | None, handoff: Handoff
) -> None:
    """Go on where `session` stopped, if its deck is still exactly the same."""
    from stigmacards.play import state as playstate

    source = _reopen(session)
    if lang:
        session = playstate.with_language(session, _check_language(source.deck, lang))
    _speak(session.options.language)
    runner = Runner(
        session=session,
        deck=source.deck,
        display=display,
        prompter=prompter,
        handoff=handoff,
        notes=_notes_prompter(prompter),
    )
    runner.run(summary=False)


def _notes_prompter(prompter: Prompter | None) -> Prompter | None:
    """Who is shown the content notes and asked before the room sees a card.

    Even with --yes: when someone sits at the terminal, a note printed just before the cards
    would be covered by them at once, unread. Only without a terminal are the notes accepted.
    """
    if prompter is not None or not seams.terminal():
        return prompter
    return seams.prompter()


def _deck_unchanged(session: Session) -> bool:
    from stigmacards.deck.catalog import content_hash

    try:
        return content_hash([Path(session.deck_path)]) == session.content_hash
    except OSError:
        return False


def _reopen(session: Session) -> DeckSource:
    from stigmacards.deck.catalog import content_hash

    path = Path(session.deck_path)
    try:
        source = load(str(path))
    except StigmaError as exc:
        raise SessionError(
            _("the deck of this session cannot be opened any more ({error})").format(error=exc)
        ) from None
    if content_hash([path]) != session.content_hash or source.deck.id != session.deck_id:
        raise SessionError(
            _(
                "the deck '{deck}' has changed since this session started, so it cannot be continued"
                " without mixing two versions; start a new session with `stigmacards play`"
            ).format(deck=session.deck_id)
        )
    return source


@dataclass
class Runner:
    """Drives one session from wherever it stands to its end, saving after every step."""

    session: Session
    deck: Deck
    display: Display
    prompter: Prompter | None
    handoff: Handoff = field(default_factory=Handoff)
    notes: Prompter | None = None  # asked about content notes (with --yes too, at a terminal)
    notice: str | None = None
    _saved_remaining: float | None = None
    _local: LocalDeck | None = field(default=None, repr=False)

    @property
    def local(self) -> LocalDeck:
        if self._local is None:
            from stigmacards.deck.model import localize

            self._local = localize(self.deck, self.session.options.language)
        return self._local

    @property
    def sensitive_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.deck.cards if c.sensitive)

    def save(self) -> None:
        from stigmacards.play import state as playstate

        self.session = playstate.save(self.session, paths.sessions_dir(), now=seams.now())
        self._saved_remaining = self.session.remaining

    def remember(self) -> None:
        """Add the cards dealt so far to the group's memory (if the session has a group)."""
        from stigmacards.play import dealing
        from stigmacards.play import state as playstate

        name = self.session.options.group
        if not name:
            return
        directory = paths.groups_dir()
        before = playstate.load_group(directory, name, self.session.deck_id)
        after = dealing.group_memory_after(self.session.deal, before)
        if after != before:
            playstate.save_group(directory, name, self.session.deck_id, after)

    def run(self, *, summary: bool) -> None:
        from stigmacards.ui.console import console
        from stigmacards.ui.screens import resume_notice, setup_summary

        out = console()
        local = self.local
        _warn_untranslated(self.deck, local)
        if summary:
            out.print(setup_summary(local, self.session.options, seed=self.session.deal.seed))
        else:
            out.print(resume_notice(self.session))
        try:
            self._steps(out)
        except KeyboardInterrupt:
            self.save()
            raise Cancelled(self._saved_hint(_("interrupted"))) from None
        except SystemExit as exc:  # SIGTERM or SIGHUP during a round (a closed terminal)
            self.save()
            if exc.code == ExitCode.TERMINATED:  # after a hang-up there is no one to tell
                raise StigmaError(self._saved_hint(_("terminated")), exit_code=ExitCode.TERMINATED) from None
            raise
        except Cancelled:
            self.save()
            raise Cancelled(self._saved_hint(_("cancelled"))) from None

    def _saved_hint(self, what: str) -> str:
        return _("{what}: the session is saved; `stigmacards play --resume` continues it").format(what=what)

    def _steps(self, out: Console) -> None:
        from stigmacards.play import state as playstate
        from stigmacards.play.state import Phase
        from stigmacards.ui.live import RoundOutcome
        from stigmacards.ui.screens import closing_view, intro_view

        big = self.display.big
        if self.session.phase is Phase.INTRO:
            out.print(intro_view(self.local, big=big))
            if self.prompter is not None and not self.prompter.confirm(
                _("Deal the cards for round 1?"), default=True, flag="--yes"
            ):
                out.print(self._saved_hint(_("Stopped")), markup=False)
                return
            self._advance()
        while self.session.phase is Phase.ROUND:
            if not self._content_notes(out):
                out.print(self._saved_hint(_("Stopped")), markup=False)
                return
            outcome = self._timed_round(out)
            if outcome is RoundOutcome.QUIT:
                self.save()
                out.print(self._saved_hint(_("Stopped")), markup=False)
                return
            self._advance()
        if self.session.phase is Phase.AFTER:
            _reflection_handoff(
                self.session, self.local, prompter=self.prompter, console=out, handoff=self.handoff
            )
            out.print(closing_view(self.local, big=big))
            self.session = playstate.finish(self.session)
            self.save()

    def _advance(self) -> None:
        from stigmacards.play import state as playstate

        self.session = playstate.next_round(self.session)
        self.notice = None
        self.save()
        self.remember()

    def _content_notes(self, out: Console) -> bool:
        """Show the facilitator the content notes of this round first; False to stop here."""
        from stigmacards.play import state as playstate
        from stigmacards.ui.prompts import Choice
        from stigmacards.ui.screens import content_note_notice

        while True:
            deals = self.session.deal.current
            notice = content_note_notice(self.local, deals, several=self.session.options.tables > 1)
            if notice is None:
                return True
            out.print(notice)
            if self.notes is None:  # no terminal, --yes: accepted in advance
                return True
            answer = self.notes.select(
                _("Show these cards to the room?"),
                [
                    Choice(title=_("Yes, show the cards"), value="show"),
                    Choice(title=_("No, deal another card without a content note"), value="other"),
                    Choice(title=_("Stop here (the session is saved)"), value="stop"),
                ],
                default="show",
                flag="--yes",
            )
            if answer == "show":
                return True
            if answer == "stop":
                return False
            try:
                for deal in deals:
                    if deal.card_id in self.sensitive_ids:
                        self.session = playstate.pass_table(
                            self.session, deal.table, exclude=self.sensitive_ids
                        )
            except UsageError as exc:
                out.print(str(exc), style="yellow", markup=False)
            self.save()
            self.remember()

    def header(self) -> RenderableType:
        """The cards above the timer (called again after a pass)."""
        from rich.console import Group
        from rich.text import Text

        from stigmacards.play import dealing
        from stigmacards.ui.screens import round_view

        view = round_view(
            self.local,
            self.session.deal.current,
            round_number=self.session.round,
            rounds=self.session.options.rounds,
            big=self.display.big,
            restarted=dealing.restarted_in(self.session.deal, self.session.round),
        )
        if self.notice:
            return Group(view, Text(self.notice, style="yellow"))
        return view

    def on_pass(self, table: int) -> None:
        from stigmacards.play import state as playstate

        try:
            self.session = playstate.pass_table(self.session, table, exclude=self.sensitive_ids)
        except UsageError as exc:
            self.notice = str(exc)
            return
        self.notice = None
        self.save()
        self.remember()

    def on_progress(self, remaining: float) -> None:
        from stigmacards.play import state as playstate

        self.session = playstate.progress(self.session, remaining)
        last = self._saved_remaining
        if last is None or abs(last - self.session.remaining_or_zero) >= SAVE_EVERY_SECONDS or remaining <= 0:
            self.save()

    def _timed_round(self, out: Console) -> RoundOutcome:
        """Run the timer under the current round's cards."""
        from stigmacards.ui.live import run_round, timer_mode_for

        remaining = self.session.remaining_or_zero
        result = run_round(
            seconds=remaining,
            # A resumed round: its bar goes on from where it was, not from empty.
            elapsed=max(0.0, self.session.options.seconds - remaining),
            header=self.header,
            tables=self.session.options.tables,
            mode=timer_mode_for(out, calm=self.display.calm, plain=self.display.plain),
            quiet=self.display.quiet,
            big=self.display.big,
            console=out,
            clock=seams.clock,
            keys=seams.keys,
            on_pass=self.on_pass,
            on_progress=self.on_progress,
        )
        self.on_progress(result.remaining)
        return result.outcome


def _warn_untranslated(deck: Deck, local: LocalDeck) -> None:
    """Tell the facilitator which cards the room will see in the deck's own language."""
    from stigmacards.ui.console import error_console

    message = language_notice(deck, local)
    if message is not None:
        error_console().print(message, style="yellow", markup=False)


def _reflection_handoff(
    session: Session, deck: LocalDeck, *, prompter: Prompter | None, console: Console, handoff: Handoff
) -> None:
    """Hand over to the participants' anonymous reflections after the last round (cli/reflect.py).

    It runs before the closing screen; the session is not yet marked done, so a crash here is
    resumed at this step.
    """
    from stigmacards.cli.reflect import after_play

    after_play(
        deck,
        deck_hash=session.content_hash,
        language=session.options.language,
        tables=session.options.tables,
        day=seams.now().date(),
        handoff=handoff,
        prompter=prompter,
        console=console,
    )


# --- deal --------------------------------------------------------------------------------------


def deal(
    *,
    tables: Annotated[int, typer.Option("--tables", min=1, max=MAX_TABLES, help="Number of tables.")],
    rounds: Annotated[int, typer.Option("--rounds", min=1, max=MAX_ROUNDS, help="Number of rounds.")],
    deck: Annotated[
        str,
        typer.Argument(
            metavar="[DECK]", help="Bundled deck id, a deck in $STIGMACARDS_HOME/decks, or a path."
        ),
    ] = DEFAULT_DECK,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, help="Deal the same again (a new seed is shown if left out)."),
    ] = None,
    max_level: Annotated[
        int, typer.Option("--max-level", min=1, max=3, help="Deepest card level to deal, 1 to 3.")
    ] = 3,
    include_sensitive: Annotated[
        bool, typer.Option("--include-sensitive", help="Also deal cards with a content note.")
    ] = False,
    group: Annotated[
        str | None,
        typer.Option(
            "--group", metavar="NAME", help="Skip the cards this group has had (its memory is not changed)."
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the cards (nl, en).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf", metavar="FILE.pdf", help="Also write a table pack: each table's card for every round."
        ),
    ] = None,
    paper: Annotated[str, typer.Option("--paper", help="Paper for --pdf: a4 or letter.")] = "a4",
    per_page: Annotated[int, typer.Option("--per-page", help="Cards per page for --pdf: 4 or 8.")] = 4,
    duplex: Annotated[
        bool, typer.Option("--duplex", help="Add back sides to --pdf, for long-edge double-sided printing.")
    ] = False,
    one_table_per_sheet: Annotated[
        bool,
        typer.Option(
            "--one-table-per-sheet/--tables-share-sheets",
            help="Start every table's cards in --pdf on a new sheet.",
        ),
    ] = True,
) -> None:
    """Print which card each table gets in each round, without running a session.

    For preparing printed table packs (--pdf). The same deck, options and --seed give the same plan.

    Example: stigmacards deal --tables 4 --rounds 3 --seed 1234 --format json
    """
    import json

    from stigmacards.play import dealing
    from stigmacards.play import state as playstate

    source = load(deck)
    deck_lang = _check_language(source.deck, lang) if lang else _default_language(source.deck)
    _speak(deck_lang)  # a printed pack reads "Tafel 1" above Dutch cards
    memory = playstate.load_group(paths.groups_dir(), group, source.deck.id) if group else ()
    plan = dealing.make_plan(
        source.deck.cards,
        deck_id=source.deck.id,
        language=deck_lang,
        tables=tables,
        rounds=rounds,
        seed=dealing.new_seed() if seed is None else seed,
        max_level=max_level,
        include_sensitive=include_sensitive,
        memory=memory,
    )
    from stigmacards.deck.model import localize
    from stigmacards.ui.console import console, error_console

    local = localize(source.deck, deck_lang)
    if fmt is OutputFormat.text:
        _warn_untranslated(source.deck, local)
    if pdf is not None:
        from stigmacards.cli.deckio import cut_note, print_setup
        from stigmacards.printing.cards import PrintOptions, table_pack_pdf
        from stigmacards.printing.layout import sheet

        sheet(paper, per_page)
        # The pack is in the deck's language unless --lang says otherwise, like `deck print`.
        pack_deck, branding, said = print_setup(deck, lang)
        options = PrintOptions(
            paper=paper, per_page=per_page, duplex=duplex, separate=one_table_per_sheet, branding=branding
        )
        pack = table_pack_pdf(plan, pack_deck, pdf, options=options)
        error_console().print(
            _(
                "Wrote a table pack: {cards} card(s) for {tables} table(s) on {pages} page(s) to {path}"
            ).format(cards=pack.cards, tables=tables, pages=pack.pages, path=pdf),
            markup=False,
            highlight=False,
        )
        error_console().print(said, markup=False, highlight=False)
        if pack.cut:
            error_console().print(cut_note(pack.cut), markup=False, highlight=False)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(plan.as_dict(), ensure_ascii=False, indent=2))
        for number in plan.restarted_cycles:
            error_console().print(
                _("note: every card had been dealt, so the deck started again in round {n}").format(n=number),
                markup=False,
            )
        return
    from stigmacards.ui.screens import plan_view

    console().print(plan_view(plan, local))
