"""`stigmacards session export | merge`: reflections leaving this laptop, and arriving from others.

Registered on the `session` app (see cli/session.py for the shared helpers). Exports hold
protected rows only; a transfer file holds every answer and is for another facilitator's merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards.cli.session import MinGroup, _err, _k, _specs, _store, app
from stigmacards.errors import SessionError, UsageError
from stigmacards.i18n import _, ngettext
from stigmacards.reflections.formats import ExportFormat

if TYPE_CHECKING:
    from stigmacards.reflections.exchange import ExportHeader
    from stigmacards.reflections.store import StoredReflection


@app.command()
def export(
    session: Annotated[str, typer.Argument(help="Session id (or a unique start of it).")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (replaced atomically).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or json.")] = ExportFormat.csv,
    min_group: MinGroup = None,
    deck: Annotated[
        Path | None, typer.Option("--deck", help="The session's deck file, if it is not installed here.")
    ] = None,
    transfer: Annotated[
        bool,
        typer.Option(
            "--transfer",
            help="Write every answer, nothing withheld, for session merge on another facilitator's laptop only.",
        ),
    ] = False,
) -> None:
    """Write a closed, reviewed session's reflections to a file, shuffled, small groups withheld.

    With --transfer the file holds every answer, nothing withheld, so that small rooms merged on
    one laptop show what one room of their size would. It is not a report: merge it, then delete it.

    Example: stigmacards session export 3f9a --format csv -o reflecties.csv
    """
    import secrets

    from stigmacards.files import write_atomic
    from stigmacards.reflections.anonymity import infer_specs, normalise_choices, protect, shuffled
    from stigmacards.reflections.exchange import ExportHeader, export_bytes
    from stigmacards.reflections.store import Review

    k = _k(min_group)
    with _store(read_only=True) as store:
        info = store.get_session(session)
        if not info.sealed:
            raise SessionError(
                _("session {id} is still open: close it first (stigmacards session close {id})").format(
                    id=info.id
                )
            )
        if info.review is Review.PENDING:
            raise SessionError(
                _(
                    "session {id} has free text with personal-data flags nobody reviewed yet: "
                    "run stigmacards session review {id} first"
                ).format(id=info.id)
            )
        rows = store.reflections(info.id)
    header = ExportHeader(info.deck_id, info.deck_hash, info.language, info.day, info.group_size)
    if transfer:
        _write_transfer(header, rows, output)
        return
    if info.group_size is not None and info.group_size < k:
        raise SessionError(
            _(
                "nothing to export: the declared group size ({size}) is below the minimum group size {k}"
            ).format(size=info.group_size, k=k)
        )
    specs, notes = _specs(info, deck)
    rows = normalise_choices(rows, specs)
    protected = protect(rows, infer_specs(rows, specs), k=k, group_size=info.group_size)
    data = export_bytes(header, shuffled(protected, secrets.SystemRandom()), fmt, k=k)
    write_atomic(output, data)
    for note in notes:
        _err(note)
    # How many answers were left out is not said: it is the count of a group smaller than k.
    left_out = len({r.prompt_id for r in rows} - {r.prompt_id for r in protected})
    withheld = sum(1 for r in protected if r.value is None)
    _err(
        ngettext(
            "Wrote {n} reflections to {path}; to protect anonymity (groups smaller than {k}) "
            "{questions} question was left out and {withheld} answers are withheld.",
            "Wrote {n} reflections to {path}; to protect anonymity (groups smaller than {k}) "
            "{questions} questions were left out and {withheld} answers are withheld.",
            left_out,
        ).format(n=len(protected), path=output, k=k, questions=left_out, withheld=withheld),
        style="green",
    )


def _write_transfer(header: ExportHeader, rows: Sequence[StoredReflection], output: Path) -> None:
    """Every answer for another facilitator's merge: JSON, 0600, never to a terminal or a pipe."""
    import secrets

    from stigmacards.files import write_atomic
    from stigmacards.reflections.anonymity import ProtectedRow, shuffled
    from stigmacards.reflections.exchange import transfer_bytes

    if str(output) == "-" or output.is_char_device():
        raise UsageError(_("--transfer writes to a file only: it is not a report to read"))
    every = [ProtectedRow(r.id, r.prompt_id, r.card_id, r.value) for r in rows]
    write_atomic(output, transfer_bytes(header, shuffled(every, secrets.SystemRandom())))
    _err(
        _(
            "Wrote a transfer file with every answer, nothing withheld, to {path}. It is not a report: "
            "give it only to the facilitator who merges (stigmacards session merge), and delete it after."
        ).format(path=output),
        style="yellow",
    )


@app.command()
def merge(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Exports from other laptops.")],
    into: Annotated[
        str | None,
        typer.Option(
            "--into", help="Add to this session of merged files, or to an empty one (default: a new session)."
        ),
    ] = None,
) -> None:
    """Combine exports of the same deck into one session; importing a file twice adds nothing.

    Example: stigmacards session merge zaal1.json zaal2.csv
    """
    from stigmacards.reflections.exchange import read_export

    exports = [read_export(path) for path in files]
    first = exports[0].header
    for path, item in zip(files, exports, strict=True):
        if (item.header.deck_id, item.header.deck_hash) != (first.deck_id, first.deck_hash):
            raise UsageError(
                _(
                    "{path} is from another deck or deck version than {first}: only the same deck can be merged"
                ).format(path=path, first=files[0])
            )
    with _store() as store:
        every_id = {r.id for item in exports for r in item.rows}
        if every_id and into is None and store.merged_already(every_id) is not None:
            _err(_("Nothing new: every reflection in these files is already stored."), style="green")
            return
        if into is not None:
            target = store.get_session(into)
            if (target.deck_id, target.deck_hash) != (first.deck_id, first.deck_hash):
                raise SessionError(
                    _("session {id} uses another deck or deck version than these exports").format(
                        id=target.id
                    )
                )
            increments = [item.header.group_size for item in exports]
        else:
            # The same file given twice counts its group once.
            sizes = {frozenset(r.id for r in item.rows): item.header.group_size for item in exports}
            total = None if None in sizes.values() else sum(v or 0 for v in sizes.values())
            target = store.create_session(
                deck_id=first.deck_id,
                deck_hash=first.deck_hash,
                language=first.language,
                group_size=total or None,
                day=min(date.fromisoformat(item.header.day) for item in exports),
            )
            increments = [None for _item in exports]
        added = 0
        seen = 0
        for item, increment in zip(exports, increments, strict=True):
            added += store.import_reflections(target.id, item.rows, group_size_increment=increment)
            seen += len(item.rows)
        info = store.get_session(target.id)
    typer.echo(info.id)
    _err(
        _("Added {added} reflections to session {id}; {skipped} were already there.").format(
            added=added, id=info.id, skipped=seen - added
        ),
        style="green",
    )
    _err(
        _("Close the session when every file is in: stigmacards session close {id}").format(id=info.id),
        style="",
    )
    if info.review.value == "pending":  # reviewing waits for the close
        _err(
            _(
                "Some free text has personal-data flags: review them with stigmacards session review {id}"
            ).format(id=info.id)
        )
