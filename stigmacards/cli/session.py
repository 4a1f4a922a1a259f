"""`stigmacards session …`: create, list, close, resize, report and purge sessions (export and merge
are in cli/sessionio.py, review in cli/review.py, registered on the same app)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards import i18n, paths
from stigmacards.cli import common
from stigmacards.cli.common import OutputFormat, load
from stigmacards.errors import UsageError
from stigmacards.i18n import _, ngettext

if TYPE_CHECKING:
    from stigmacards.reflections.anonymity import PromptSpec
    from stigmacards.reflections.store import ReflectionStore, SessionInfo

app = typer.Typer(
    help="Create sessions and look after their anonymous reflections.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)

# Seams for tests: the day (sessions have a day, never a time) and the interactive prompter.
today: Callable[[], date] = date.today


# The prompter, a seam tests replace (cli/common.py makes the real one).
make_prompter = common.make_prompter


def _store(*, read_only: bool = False) -> ReflectionStore:
    """The store; `read_only` commands also work on a store this user cannot write."""
    from stigmacards.reflections.store import ReflectionStore

    return ReflectionStore.in_home(paths.home(), read_only=read_only)


def _err(message: str, style: str = "yellow") -> None:
    from stigmacards.text import inert
    from stigmacards.ui.console import error_console

    error_console().print(inert(message), style=style, markup=False, highlight=False)


# The core modules (store, anonymity, exchange) are imported inside the commands, so other
# commands do not pay for them at start-up; the option types below stay here for typer.


class ReportFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


def _k(min_group: int | None) -> int:
    from stigmacards.reflections.anonymity import DEFAULT_K, check_k

    return check_k(DEFAULT_K if min_group is None else min_group)


MinGroup = Annotated[
    int | None,
    typer.Option(
        "--min-group",
        help="Minimum group size k: any group with fewer answers is hidden (default 5, never below 3).",
    ),
]


@app.command()
def new(
    deck: Annotated[str, typer.Argument(help="Bundled deck id, one of yours, or a path to a deck file.")],
    group_size: Annotated[
        int | None, typer.Option("--group-size", min=1, help="How many people take part (declared).")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the session (nl, en).")] = None,
) -> None:
    """Create a session for DECK and print its id.

    Example: stigmacards session new stigma-sekswerk --group-size 12
    """
    from stigmacards.deck.catalog import content_hash

    source = load(deck)
    language = lang or source.deck.language_for(i18n.language())
    if not source.deck.speaks(language):
        raise UsageError(
            _("deck '{deck}' has no text in '{lang}' (it has: {langs})").format(
                deck=source.deck.id, lang=language, langs=", ".join(source.deck.languages)
            )
        )
    with _store() as store:
        info = store.create_session(
            deck_id=source.deck.id,
            deck_hash=content_hash([source.path]),
            language=language,
            group_size=group_size,
            day=today(),
        )
    typer.echo(info.id)
    from stigmacards.reflections.anonymity import DEFAULT_K, MIN_K

    if group_size is not None and group_size < MIN_K:
        _err(
            _(
                "With {n} people, every report hides every answer (no report shows a group smaller "
                "than {floor}). Ask for reflections only if that is what you want."
            ).format(n=group_size, floor=MIN_K)
        )
    elif group_size is None:
        _err(
            _(
                "No group size given: reports cannot check that k answers come from k people, and "
                "nobody stops one person from answering twice. Pass --group-size, or set it later "
                "with stigmacards session resize {id} --group-size NUMBER."
            ).format(id=info.id)
        )
    elif group_size < DEFAULT_K:
        _err(
            _(
                "With {n} people, reports hide every answer unless you pass --min-group {n} "
                "(the default minimum group size is {k}): in a group this small, people are easier to recognise."
            ).format(n=group_size, k=DEFAULT_K)
        )


@app.command("list")
def list_(
    retention_days: Annotated[
        int | None,
        typer.Option(
            "--retention-days", min=0, help="Warn about sessions older than this many days (default 30)."
        ),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
) -> None:
    """List sessions, newest first; warn about those kept longer than the retention period.

    Example: stigmacards session list --retention-days 14
    """
    from stigmacards.reflections.anonymity import DEFAULT_RETENTION_DAYS, older_than

    if retention_days is None:
        retention_days = DEFAULT_RETENTION_DAYS
    with _store(read_only=True) as store:
        sessions = store.list_sessions()
    stale = older_than(sessions, today=today(), days=retention_days)
    if fmt is OutputFormat.json:
        import json

        stale_ids = {s.id for s in stale}
        typer.echo(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "deck_id": s.deck_id,
                        "deck_hash": s.deck_hash,
                        "language": s.language,
                        "day": s.day,
                        "group_size": s.group_size,
                        "closed": s.sealed,
                        "review": str(s.review) if s.sealed else None,
                        "past_retention": s.id in stale_ids,
                    }
                    for s in sessions
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not sessions:
        _err(_("No sessions yet. Start one with: stigmacards session new DECK"), style="")
    else:
        from stigmacards.ui.console import console
        from stigmacards.ui.report import sessions_table

        console().print(sessions_table(sessions, stale=frozenset(s.id for s in stale)))
    if stale:
        _err(
            ngettext(
                "{n} session is older than {days} days. Delete what you no longer need: "
                "stigmacards session purge --older-than {days}",
                "{n} sessions are older than {days} days. Delete what you no longer need: "
                "stigmacards session purge --older-than {days}",
                len(stale),
            ).format(n=len(stale), days=retention_days)
        )


@app.command()
def close(session: Annotated[str, typer.Argument(help="Session id (or a unique start of it).")]) -> None:
    """Close a session for good: it takes no more reflections, and can then be reported and exported.

    Example: stigmacards session close 3f9a
    """
    from stigmacards.errors import StoreError

    with _store() as store:
        info = store.seal(session)
    # No count: the total would give away how many answered a question the report hides.
    _err(_("Session {id} is closed.").format(id=info.id), style="green")
    if not info.tidy:
        raise StoreError(
            _(
                "another program is reading the reflections store, so the order in which answers were "
                "saved is still in the file. Close that program: the next stigmacards command erases it "
                "(or run stigmacards session close {id} again)"
            ).format(id=info.id)
        )


@app.command()
def resize(
    session: Annotated[str, typer.Argument(help="Session id (or a unique start of it).")],
    group_size: Annotated[
        int, typer.Option("--group-size", min=1, help="How many people take part now (declared).")
    ],
) -> None:
    """Declare how many people take part in an open session: no question takes more answers.

    Example: stigmacards session resize 3f9a --group-size 14
    """
    with _store() as store:
        info = store.resize(session, group_size)
    _err(
        _("Session {id} now takes answers from up to {n} people.").format(id=info.id, n=info.group_size),
        style="green",
    )


def _specs(info: SessionInfo, deck_path: Path | None) -> tuple[dict[str, PromptSpec], list[str]]:
    """Prompt kinds, texts and labels from the session's deck, with notes when it is missing or changed."""
    from stigmacards.deck.catalog import content_hash
    from stigmacards.deck.format import PromptKind
    from stigmacards.deck.model import localize
    from stigmacards.errors import DeckError
    from stigmacards.reflections.anonymity import PromptSpec

    notes: list[str] = []
    try:
        source = load(str(deck_path) if deck_path is not None else info.deck_id)
    except (UsageError, DeckError):
        notes.append(
            _("Deck '{deck}' not found: prompts are shown by id (pass --deck PATH).").format(
                deck=info.deck_id
            )
        )
        return {}, notes
    if source.deck.id != info.deck_id:
        raise UsageError(
            _("that deck is '{found}', but the session used '{deck}'").format(
                found=source.deck.id, deck=info.deck_id
            )
        )
    if content_hash([source.path]) != info.deck_hash:
        notes.append(_("The deck changed since this session: prompt texts may differ from what people saw."))
    specs: dict[str, PromptSpec] = {}
    for prompt in localize(source.deck, info.language).reflection:
        if prompt.kind == "scale":
            labels = dict(prompt.labels)
            values = tuple((v, labels.get(v, "")) for v in range(prompt.min, prompt.max + 1))
            specs[prompt.id] = PromptSpec(prompt.id, PromptKind.scale, prompt.prompt, values)
        elif prompt.kind == "choice":
            specs[prompt.id] = PromptSpec(
                prompt.id, PromptKind.choice, prompt.prompt, tuple(enumerate(prompt.options))
            )
        else:
            specs[prompt.id] = PromptSpec(prompt.id, PromptKind.text, prompt.prompt)
    return specs, notes


@app.command()
def report(
    session: Annotated[str, typer.Argument(help="Session id (or a unique start of it).")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="text, md (Markdown) or json.")
    ] = ReportFormat.text,
    min_group: MinGroup = None,
    deck: Annotated[
        Path | None, typer.Option("--deck", help="The session's deck file, if it is not installed here.")
    ] = None,
) -> None:
    """Summarise a closed session: counts, bar charts, and free text in a fresh random order.

    Any group with fewer than --min-group answers shows "hidden to protect anonymity".
    Free text whose personal-data flags are not reviewed yet is shown with those parts removed.

    Example: stigmacards session report 3f9a --format md > report.md
    """
    import json
    import secrets

    from stigmacards.reflections.anonymity import build_report
    from stigmacards.reflections.capacity import group_notes

    k = _k(min_group)
    with _store(read_only=True) as store:
        info = store.get_session(session)
        rows = store.reflections(info.id)
    specs, notes = _specs(info, deck)
    notes += group_notes(info, rows, k=k)
    result = build_report(info, rows, specs, k=k, rng=secrets.SystemRandom())
    for note in notes:
        _err(note)
    from stigmacards.ui import report as render

    if fmt is ReportFormat.json:
        typer.echo(json.dumps(render.report_json(result), ensure_ascii=False, indent=2))
    elif fmt is ReportFormat.md:
        typer.echo(render.report_markdown(result), nl=False)
    else:
        from stigmacards.ui.console import console

        out = console()
        for part in render.report_parts(result):
            if isinstance(part, render.TextList):
                out.file.write(part.plain())  # fast for many answers; already inert
            else:
                out.print(part)


@app.command()
def purge(
    session: Annotated[str | None, typer.Argument(help="Session id (or a unique start of it).")] = None,
    older_than: Annotated[
        int | None, typer.Option("--older-than", min=0, help="Every session older than this many days.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every session.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete sessions and their reflections so that no text stays readable in the files.

    Example: stigmacards session purge --older-than 30 --yes
    """
    from stigmacards.reflections.anonymity import older_than as select_older

    chosen = sum(x is not None and x is not False for x in (session, older_than, all_ or None))
    if chosen != 1:
        raise UsageError(_("give exactly one of: a session id, --older-than DAYS, --all"))
    with _store() as store:
        if session is not None:
            targets = [store.get_session(session)]
        elif older_than is not None:
            targets = select_older(store.list_sessions(), today=today(), days=older_than)
        else:
            targets = store.list_sessions()
        if not targets:
            _err(_("Nothing to delete."), style="")
            return
        # No count of reflections: it would give away how many answered a hidden question.
        question = ngettext(
            "Delete {n} session and all its reflections for good?",
            "Delete {n} sessions and all their reflections for good?",
            len(targets),
        ).format(n=len(targets))
        if not yes and not make_prompter("--yes").confirm(question, default=False, flag="--yes"):
            _err(_("Nothing deleted."), style="")
            return
        store.purge([t.id for t in targets])
    _err(
        ngettext(
            "Deleted {n} session and all its reflections; no text of it is left in the files.",
            "Deleted {n} sessions and all their reflections; no text of theirs is left in the files.",
            len(targets),
        ).format(n=len(targets)),
        style="green",
    )
