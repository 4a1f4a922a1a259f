"""`stigmacards session review`: the facilitator reads free text before a report or export.

Registered on the `session` app; the policy (which texts, what each decision stores) is in
reflections/review.py. The prompter comes from cli/session.py's seam, which tests replace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from stigmacards.cli import session as session_cli
from stigmacards.cli.session import _err, _store, app
from stigmacards.errors import SessionError, UsageError
from stigmacards.i18n import _, ngettext

if TYPE_CHECKING:
    from stigmacards.reflections.review import Item


# The options are typer declarations, one per flag, each with its own help: alike in shape across
# the commands by design (duplicates lists them as boilerplate).
@app.command()
def review(
    session: Annotated[str, typer.Argument(help="Session id (or a unique start of it).")],
    *,
    redact_all: Annotated[
        bool, typer.Option("--redact-all", help="Remove every flagged part, without asking.")
    ] = False,
    keep_all: Annotated[bool, typer.Option("--keep-all", help="Keep every flagged text as written.")] = False,
    everything: Annotated[
        bool, typer.Option("--all", help="Go through every free-text answer, not only the flagged ones.")
    ] = False,
    show: Annotated[
        bool, typer.Option("--show", help="Print the texts to review with their ids, and change nothing.")
    ] = False,
    replace: Annotated[
        list[str] | None,
        typer.Option(
            "--replace",
            metavar="ID=TEXT",
            help="Replace the answer whose id starts with ID (from --show) by TEXT; empty TEXT removes it (repeatable).",
        ),
    ] = None,
) -> None:
    """Go through free text before a report: remove marked parts, keep, or edit any answer.

    Only for a closed session. The check is incomplete: it finds e-mail and web addresses,
    @handles, phone numbers, IBANs, BSNs and some names and places, not every name nor
    recognisable stories, so read each text yourself (--all shows unflagged texts too). An
    edit replaces the stored text; the original is not kept anywhere.

    Example: stigmacards session review 3f9a --all
    """
    from stigmacards.reflections import review as policy
    from stigmacards.reflections.anonymity import MIN_K

    if sum((redact_all, keep_all, show, bool(replace))) > 1:
        raise UsageError(_("choose one of --redact-all, --keep-all, --show and --replace"))
    with _store() as store:
        info = store.get_session(session)
        if not info.sealed:
            # One text at a time, right after someone saved it, would tell who wrote it.
            raise SessionError(
                _("session {id} is still open: close it first (stigmacards session close {id})").format(
                    id=info.id
                )
            )
        plan = policy.plan(
            store.reflections(info.id),
            group_size=info.group_size,
            everything=everything or show or bool(replace),
        )
        if show:
            _show_for_review(plan.items)
            return
        if not plan.items and not plan.cleaned_unseen:
            _err(_("Nothing to review in session {id}.").format(id=info.id), style="green")
            return
        if replace:
            changed = policy.replacements(replace, plan.items)
        elif redact_all or keep_all:
            decision = policy.Decision.REDACT if redact_all else policy.Decision.KEEP
            flagged = [item for item in plan.items if item.row.flagged]
            changed = {
                item.row.id: new for item in flagged if (new := policy.apply(item, decision)) is not None
            }
        else:
            changed = _review_interactively(plan.items)
        texts, kept = policy.outcome([] if replace else plan.items, changed)
        complete = store.resolve_flags(info.id, redacted={**plan.cleaned_unseen, **texts}, kept=kept)
    if plan.cleaned_unseen:
        _err(
            ngettext(
                "{n} flagged text answers a question fewer than {floor} people answered: no report can "
                "show it, so its flagged parts were removed without showing them.",
                "{n} flagged texts answer a question fewer than {floor} people answered: no report can "
                "show them, so their flagged parts were removed without showing them.",
                len(plan.cleaned_unseen),
            ).format(n=len(plan.cleaned_unseen), floor=MIN_K),
            style="",
        )
    _err(
        ngettext(
            "Reviewed {n} text: {r} changed, {k} kept as written.",
            "Reviewed {n} texts: {r} changed, {k} kept as written.",
            len(texts) + len(kept),
        ).format(n=len(texts) + len(kept), r=len(texts), k=len(kept)),
        style="green",
    )
    if not complete:
        _err(
            _(
                "Another stigmacards has the store open: run the review again after closing it, to wipe the originals."
            )
        )


def _show_for_review(items: Sequence[Item]) -> None:
    from stigmacards.ui.console import console
    from stigmacards.ui.report import flagged_text

    for item in items:
        line = flagged_text(item.text, item.flags)
        line.rstrip()
        console().print(f"{item.short_id}  {item.row.prompt_id}  ", end="", markup=False, highlight=False)
        console().print(line)


def _review_interactively(items: Sequence[Item]) -> dict[str, str]:
    """Ask about each text; return {reflection id: new text} for the ones changed."""
    from stigmacards.reflections.review import Decision, apply
    from stigmacards.reflections.wording import pii_kind
    from stigmacards.ui.console import console
    from stigmacards.ui.prompts import Choice
    from stigmacards.ui.report import flagged_text

    flag = "--redact-all / --keep-all / --replace"
    prompter = session_cli.make_prompter(flag)
    changed: dict[str, str] = {}
    console().print(
        _(
            "The check is incomplete: it finds only some names, and no recognisable stories. Read each text yourself."
        ),
        markup=False,
        style="yellow",
    )
    for number, item in enumerate(items, start=1):
        kinds = ", ".join(sorted({pii_kind(f.kind) for f in item.flags})) or _("nothing")
        console().print()
        console().print(
            _("Text {n} of {total} · marked: {kinds}").format(n=number, total=len(items), kinds=kinds),
            markup=False,
            style="dim",
        )
        console().print(flagged_text(item.text, item.flags))
        choices = [Choice(_("Remove the marked parts"), Decision.REDACT)] if item.flags else []
        choices += [
            Choice(_("Keep the text as written"), Decision.KEEP),
            Choice(_("Edit the text"), Decision.EDIT),
        ]
        decision = prompter.select(_("What should be kept?"), choices, default=choices[0].value, flag=flag)
        typed = None
        if decision is Decision.EDIT:
            typed = prompter.text(
                _("The text as it will be kept (empty removes it):"), default=item.text, flag=flag
            )
        new = apply(item, decision, typed)
        if new is not None:
            changed[item.row.id] = new
    return changed
