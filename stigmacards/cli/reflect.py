"""`stigmacards reflect SESSION`: collect anonymous reflections, one person or a kiosk laptop.

The flow itself (which prompts, skipping, the draft, saving once) is in `reflecting`; this module
connects it to the store, the prompts and the screen. What a participant types is held in memory
only and saved once, at the end of their answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards.cli import asking
from stigmacards.cli.common import global_lang, load
from stigmacards.cli.env import ENV
from stigmacards.errors import Cancelled, SessionError, StoreError, UsageError
from stigmacards.i18n import _, language, normalize, set_language
from stigmacards.platform import no_core_dumps
from stigmacards.reflections.flow import (
    Outcome,
    PiiPolicy,
    Question,
    Script,
    collect,
    needs_terminal,
    parse_script,
    questions_for,
    submit,
)

if TYPE_CHECKING:
    from stigmacards.deck.catalog import DeckSource
    from stigmacards.reflections.store import ReflectionStore, SessionInfo


# --- The command. ----------------------------------------------------------------------------


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
def reflect(
    ctx: typer.Context,
    session: Annotated[str, typer.Argument(help="Session id (from `session new` or `play`).")],
    *,
    kiosk: Annotated[
        bool, typer.Option("--kiosk", help="One laptop passed round: wipe the screen after each person.")
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the questions (default: the session's).")
    ] = None,
    deck: Annotated[
        str | None,
        typer.Option("--deck", metavar="PATH", help="The session's deck file, if it is not found by its id."),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer", metavar="PROMPT_ID=VALUE", help="Answer a prompt without asking (repeatable)."
        ),
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", metavar="PROMPT_ID", help="Skip a prompt (repeatable).")
    ] = None,
    skip_rest: Annotated[
        bool, typer.Option("--skip-rest", help="Skip every prompt not given with --answer.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Accept the promise about your answers.")] = False,
    pii: Annotated[
        PiiPolicy,
        typer.Option(
            "--pii", help="What to do with answers that look like personal data: ask, remove or keep."
        ),
    ] = PiiPolicy.ask,
) -> None:
    """Ask a session's reflection questions and save the answers once, at the end.

    The first screen says what is stored and what is not. Every question can be skipped.
    Scripts pass --yes and --answer/--skip for each prompt (or --skip-rest).

    Example: stigmacards reflect 3f9a0c17 --kiosk
    """
    no_core_dumps()
    with asking.signals_end_the_turn():
        store, info = open_session(session)
        with store:
            chosen = lang or global_lang(ctx) or info.language
            ui_lang = normalize(chosen)
            if ui_lang and ui_lang != language():
                set_language(ui_lang)
            source = session_deck(info, deck)
            questions = questions_for(source.deck, chosen)
            script = parse_script(
                questions, answers=answer or (), skipped=skip or (), skip_rest=skip_rest, pii=pii
            )
            from stigmacards.deck.model import localize

            title = localize(source.deck, chosen).title
            if not kiosk:
                _one_participant(store, info, questions, script, title=title, accepted=yes)
                return
            if not script.empty or yes or pii is not PiiPolicy.ask:
                raise UsageError(
                    _("--kiosk asks every participant itself: leave out --answer, --skip, --yes and --pii")
                )
            if not asking.has_terminal():
                raise UsageError(_("--kiosk needs a terminal"))
            from stigmacards.cli.kiosk import run_kiosk

            run_kiosk(store, info, questions, title=title)


def open_session(session_id: str) -> tuple[ReflectionStore, SessionInfo]:
    """The store and an open session; the store must be writable before anyone is asked anything."""
    from stigmacards.reflections.store import ReflectionStore, typed_into_merged_message

    store = ReflectionStore.in_home(ENV.home())
    try:
        info = store.get_session(session_id)
        if info.sealed:
            raise SessionError(_("session {id} is closed: it takes no more reflections").format(id=info.id))
        if info.imported:
            raise SessionError(typed_into_merged_message(info.id))
        store.require_room(info.id)  # nobody answers in vain: the group may be complete
        store.ensure_writable()
    except BaseException:
        store.close()
        raise
    return store, info


def session_deck(info: SessionInfo, spec: str | None) -> DeckSource:
    """The deck the session was started with, unchanged (choices are saved by their position)."""
    from stigmacards.deck.catalog import content_hash

    source = load(spec or info.deck_id)
    if source.deck.id != info.deck_id:
        raise SessionError(
            _("{path} holds deck '{found}', but session {id} uses deck '{deck}'").format(
                path=source.path, found=source.deck.id, id=info.id, deck=info.deck_id
            )
        )
    if content_hash([source.path]) != info.deck_hash:
        raise SessionError(
            _(
                "deck '{deck}' changed since session {id} started: its questions may differ; "
                "start a new session with `stigmacards session new {deck}`"
            ).format(deck=info.deck_id, id=info.id)
        )
    return source


def _one_participant(
    store: ReflectionStore,
    info: SessionInfo,
    questions: Sequence[Question],
    script: Script,
    *,
    title: str,
    accepted: bool,
) -> None:
    from stigmacards.ui.kiosk import saved_line

    interactive = asking.has_terminal()
    if needs_terminal(questions, script, promise_accepted=accepted) and not interactive:
        ids = ", ".join(q.id for q in questions)
        raise UsageError(
            _(
                "no terminal to ask on: pass --yes and, for each prompt, --answer PROMPT_ID=VALUE or "
                "--skip PROMPT_ID (or --skip-rest); prompts: {ids}"
            ).format(ids=ids)
        )
    asker = asking.PromptAsker(
        prompter=asking.make_prompter(kiosk=False) if interactive else _NoPrompter(),
        console=ENV.console(),
        title=title,
        interactive=interactive,
    )
    try:
        if not accepted and not asker.accept_promise():
            ENV.console().print(_("Nothing was saved."))
            return
        draft = collect(questions, asker, script=script)
        outcome = submit(
            draft, asking.save_without_interruption(store, info.id), asker=asker if interactive else None
        )
    except Cancelled:
        raise Cancelled(_("cancelled: nothing was saved")) from None
    if outcome is Outcome.SAVED:
        ENV.console().print(saved_line(len(draft)))
    elif outcome is Outcome.EMPTY:
        ENV.console().print(_("You skipped every question: nothing to save. Thank you."))
    else:
        raise StoreError(_("not saved: your answers were discarded"))


class _NoPrompter:
    """Stands in when there is no terminal; the flow checks beforehand that it is never asked."""

    def _none(self, flag: str) -> UsageError:
        return UsageError(_("no terminal to ask the question on (pass {flag})").format(flag=flag))

    def select(self, message: str, choices: object, *, default: object = None, flag: str = "") -> object:
        raise self._none(flag)

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        raise self._none(flag)

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        raise self._none(flag)

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        raise self._none(flag)

    def number(
        self, message: str, *, default: float, minimum: float, maximum: float, flag: str = ""
    ) -> float:
        raise self._none(flag)
