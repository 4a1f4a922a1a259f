"""Run a facilitated session from wherever it stands to its end, behind a small front-end protocol.

The runner holds the rules of a session: the order of the steps, dealing, passing, saving after
every step, the group's memory, and the hand-over to the reflections. What the room sees and how
the facilitator answers is up to a front end, the `Stage`: the terminal today (`ui/stage.py`),
a web "room" later. A stage only shows things and reports choices; it never changes the session.

The protocol, in the order the runner calls it:

- `opening(deck, session, resumed=)`: the settings of a new session, or where a resumed one
  goes on.
- `intro(deck) -> bool`: the ground rules before round 1; False stops there (the session is saved).
- `content_notes(deck, deals, several=) -> NoteChoice`: only when a dealt card carries a content
  note, before the room sees it: show the cards, swap them for cards without a note, or stop.
- `run_round(play) -> RoundResult`: the cards and a countdown. The cards to show are
  `play.session.deal.current`, in `play.local` (the deck in the session's language); the time
  left is `play.session.remaining`, paused when `play.session.paused`. While it runs the stage
  calls `play.pass_table(n)` (a new card for table n; `play.notice` then says why there was
  none), `play.progress(remaining)` at least every few seconds and `play.pause(paused)`. It
  returns how the round ended (`RoundOutcome`: done, next, quit) and the time left.
- `closing(deck)`: the aftercare lines, before the reflections start and again at the very end.
- `ask_reflect(deck) -> bool | None` and `ask_group_size(default=, maximum=) -> int | None`: the
  hand-over to the reflections; None means there is no one to ask.
- `say(message, warning=)`: one line for the facilitator.

Reflections are collected through a `ReflectionDesk` (kiosk mode, or the room's phones): the runner
opens a reflection session once, keeps its id and group size in the play session, so a resumed
session continues the same reflection session.

Interruptions: Ctrl-C (KeyboardInterrupt), a `Cancelled` prompt and SystemExit (SIGTERM, SIGHUP)
anywhere in a stage save the session first; `run` then raises `Cancelled` (or a StigmaError with
exit code 143) that says how to continue. Tests drive the runner with a fake stage and desk
(tests/play/test_runner.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from stigmacards.deck.catalog import DeckSource, content_hash, open_deck
from stigmacards.deck.model import Deck, LocalDeck, localize
from stigmacards.errors import Cancelled, ExitCode, SessionError, StigmaError, UsageError
from stigmacards.i18n import _
from stigmacards.play import dealing
from stigmacards.play import state as playstate
from stigmacards.play.dealing import Deal
from stigmacards.play.state import Phase, Session
from stigmacards.play.timing import RoundOutcome, RoundResult

# Saving on every clock tick would be one fsync a second; every few seconds loses little on a crash.
SAVE_EVERY_SECONDS = 5.0

# A low estimate is the safe side: a declared group below the report's minimum hides the
# report, while a group declared too large would weaken the check against one person answering
# twice. Four is a small table in these sessions; the facilitator is asked when they can be.
PEOPLE_PER_TABLE = 4
MAX_GROUP_SIZE = 10_000


class NoteChoice(StrEnum):
    """What the facilitator chose after reading this round's content notes."""

    SHOW = "show"
    OTHER = "other"  # deal other cards, without a content note
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Handoff:
    """`play --reflect/--no-reflect --group-size N`: what happens after the last round."""

    reflect: bool | None = None  # None: ask the facilitator (nothing happens when nothing may be asked)
    group_size: int | None = None


@dataclass(frozen=True, slots=True)
class Places:
    """Where the runner keeps its files, and the wall clock it stamps them with."""

    sessions: Path
    groups: Path
    now: Callable[[], datetime]


class Stage(Protocol):
    """A front end: shows the session and reports the facilitator's choices (see the module doc)."""

    def opening(self, deck: LocalDeck, session: Session, *, resumed: bool) -> None: ...

    def intro(self, deck: LocalDeck) -> bool: ...

    def content_notes(self, deck: LocalDeck, deals: Sequence[Deal], *, several: bool) -> NoteChoice: ...

    def run_round(self, play: Runner) -> RoundResult: ...

    def closing(self, deck: LocalDeck) -> None: ...

    def ask_reflect(self, deck: LocalDeck) -> bool | None: ...

    def ask_group_size(self, *, default: int, maximum: int) -> int | None: ...

    def say(self, message: str, *, warning: bool = False) -> None: ...


class ReflectionDesk(Protocol):
    """Where the participants' reflections are collected (kiosk mode, or the room's phones)."""

    def available(self) -> str | None:
        """None when reflections can be collected now, else why not (one line)."""
        ...

    def open(self, deck: LocalDeck, *, deck_hash: str, language: str, group_size: int) -> str:
        """Create a reflection session; return its id."""
        ...

    def collect(self, session_id: str, deck: LocalDeck) -> None:
        """Collect the reflections of `session_id` until the facilitator ends it."""
        ...


@dataclass
class Runner:
    """Drives one session from wherever it stands to its end, saving after every step."""

    session: Session
    deck: Deck
    stage: Stage
    places: Places
    desk: ReflectionDesk | None = None
    handoff: Handoff = field(default_factory=Handoff)
    # Told the session after every save: the room (`play --room`) follows every step this way.
    watch: Callable[[Session], None] | None = None
    notice: str | None = None  # what the last pass said (None: it worked, or no pass yet)
    _saved_remaining: float | None = None
    _local: LocalDeck | None = field(default=None, repr=False)

    @property
    def local(self) -> LocalDeck:
        """The deck in the session's language."""
        if self._local is None:
            self._local = localize(self.deck, self.session.options.language)
        return self._local

    @property
    def sensitive_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.deck.cards if c.sensitive)

    @property
    def restarted(self) -> bool:
        """Whether the deck started again from the beginning in this round."""
        return dealing.restarted_in(self.session.deal, self.session.round)

    def save(self) -> None:
        self.session = playstate.save(self.session, self.places.sessions, now=self.places.now())
        self._saved_remaining = self.session.remaining
        if self.watch is not None:
            self.watch(self.session)

    def remember(self) -> None:
        """Add the cards dealt so far to the group's memory (if the session has a group)."""
        name = self.session.options.group
        if not name:
            return
        directory = self.places.groups
        before = playstate.load_group(directory, name, self.session.deck_id)
        after = dealing.group_memory_after(self.session.deal, before)
        if after != before:
            playstate.save_group(directory, name, self.session.deck_id, after)

    def run(self, *, resumed: bool) -> None:
        """Go on to the end; an interruption saves the session and says how to continue."""
        self.stage.opening(self.local, self.session, resumed=resumed)
        try:
            self._steps()
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

    def _stop(self) -> None:
        self.save()
        self.stage.say(self._saved_hint(_("Stopped")))

    def _steps(self) -> None:
        if self.session.phase is Phase.INTRO:
            if not self.stage.intro(self.local):
                self._stop()
                return
            self._advance()
        while self.session.phase is Phase.ROUND:
            if not self._content_notes():
                self._stop()
                return
            result = self.stage.run_round(self)
            self.progress(result.remaining)
            if result.outcome is RoundOutcome.QUIT:
                self._stop()
                return
            self._advance()
        if self.session.phase is Phase.AFTER:
            self._reflections()
            self.stage.closing(self.local)
            self.session = playstate.finish(self.session)
            self.save()

    def _advance(self) -> None:
        self.session = playstate.next_round(self.session)
        self.notice = None
        self.save()
        self.remember()

    def _content_notes(self) -> bool:
        """Let the facilitator see this round's content notes first; False to stop here."""
        sensitive = self.sensitive_ids
        while True:
            deals = self.session.deal.current
            if not any(d.card_id in sensitive for d in deals):
                return True
            choice = self.stage.content_notes(self.local, deals, several=self.session.options.tables > 1)
            if choice is NoteChoice.SHOW:
                return True
            if choice is NoteChoice.STOP:
                return False
            try:
                for deal in deals:
                    if deal.card_id in sensitive:
                        self.session = playstate.pass_table(self.session, deal.table, exclude=sensitive)
            except UsageError as exc:
                self.stage.say(str(exc), warning=True)
            self.save()
            self.remember()

    # --- called by the stage during a round ----------------------------------------------------

    def pass_table(self, table: int) -> None:
        """A new card (never one with a content note) for `table`; `notice` says when there is none."""
        try:
            self.session = playstate.pass_table(self.session, table, exclude=self.sensitive_ids)
        except UsageError as exc:
            self.notice = str(exc)
            return
        self.notice = None
        self.save()
        self.remember()

    def pause(self, paused: bool) -> None:
        """The countdown was paused or goes on: kept across Ctrl-C and --resume."""
        if paused != self.session.paused:
            self.session = playstate.progress(self.session, self.session.remaining_or_zero, paused=paused)
            self.save()

    def progress(self, remaining: float) -> None:
        """The time left in the round; saved every few seconds and at zero."""
        self.session = playstate.progress(self.session, remaining)
        last = self._saved_remaining
        if last is None or abs(last - self.session.remaining_or_zero) >= SAVE_EVERY_SECONDS or remaining <= 0:
            self.save()

    # --- after the last round ------------------------------------------------------------------

    def _reflections(self) -> None:
        """Hand over to the participants' anonymous reflections (before the session is marked done).

        The room sees the closing screen first, so the aftercare lines are not held back until
        everyone has had a turn. The reflection session is kept in the play session as soon as
        it is opened: a crash or Ctrl-C here is resumed at this step, in the same reflection
        session (same id, same group size; the answers saved so far stay counted).
        """
        desk, local = self.desk, self.local
        if desk is None or not local.reflection:
            return
        if self.session.reflection is None:
            if self.handoff.reflect is False:
                return
            later = _(
                "For reflections later: stigmacards session new {deck}, then stigmacards reflect SESSION --kiosk"
            ).format(deck=local.id)
            if self.handoff.reflect is None:
                answer = self.stage.ask_reflect(local)
                if answer is None:
                    return
                if not answer:
                    self.stage.say(later)
                    return
            else:
                why_not = desk.available()
                if why_not is not None:
                    self.stage.say(why_not + "\n" + later)
                    return
            size = self.handoff.group_size
            if size is None:
                default = min(MAX_GROUP_SIZE, self.session.options.tables * PEOPLE_PER_TABLE)
                size = self.stage.ask_group_size(default=default, maximum=MAX_GROUP_SIZE) or default
            self.stage.closing(local)
            reflection_id = desk.open(
                local,
                deck_hash=self.session.content_hash,
                language=self.session.options.language,
                group_size=size,
            )
            self.session = playstate.with_reflection(self.session, reflection_id, size)
            self.save()
        else:  # resumed during the reflections: the same reflection session, nothing asked again
            if self.handoff.reflect is False:
                return
            why_not = desk.available()
            if why_not is not None:
                self.stage.say(
                    why_not
                    + "\n"
                    + _("Reflection session {id} stays open: stigmacards reflect {id} --kiosk").format(
                        id=self.session.reflection.id
                    )
                )
                return
            self.stage.closing(local)
            reflection_id = self.session.reflection.id
        desk.collect(reflection_id, local)


def check_group_size(group_size: int | None, *, reflect: bool | None) -> Handoff:
    """`--reflect/--no-reflect` and `--group-size`: a group size implies --reflect, bounded like the question."""
    if group_size is not None:
        if reflect is False:
            raise UsageError(_("--group-size is for the reflections: leave it out with --no-reflect"))
        if not 1 <= group_size <= MAX_GROUP_SIZE:
            raise UsageError(
                _("--group-size must be a whole number from 1 to {most}, not {given}").format(
                    most=MAX_GROUP_SIZE, given=group_size
                )
            )
        reflect = True
    return Handoff(reflect=reflect, group_size=group_size)


# --- continuing a session ---------------------------------------------------------------------


def deck_unchanged(session: Session) -> bool:
    """Whether the deck file of `session` is still exactly the one it started with."""
    try:
        return content_hash([Path(session.deck_path)]) == session.content_hash
    except OSError:
        return False


def reopen(session: Session, *, bundled_dir: Path, user_dir: Path) -> DeckSource:
    """The deck of `session`, refused (SessionError) when it changed or cannot be opened."""
    path = Path(session.deck_path)
    try:
        source = open_deck(str(path), bundled_dir=bundled_dir, user_dir=user_dir)
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
