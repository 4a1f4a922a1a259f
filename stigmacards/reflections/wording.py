"""What every front end tells a participant in the same words: the promise and the data flags.

The terminal (ui/kiosk.py) and the room's phone pages (web/) show these lines; keeping them here
means the promise cannot drift between the two. `translate` is the gettext of the language to
show them in: the interface's (`_`) in the terminal, each phone's own in the room.
"""

from __future__ import annotations

from collections.abc import Callable

from stigmacards.i18n import N_, _
from stigmacards.reflections.pii import PiiKind

Translate = Callable[[str], str]

# What the promise says, line by line. It must stay honest: it never calls the reflection fully
# anonymous (tests/reflections/test_reflecting.py checks that in every language).
_PROMISE = (
    N_("Your answers are saved on this computer with the date of this session (the day only)."),
    N_(
        "No names, accounts, device details or time of writing are stored. Each answer is stored "
        "on its own, not linked to your other answers."
    ),
    N_(
        "Reports and exports show scores and choices only as totals, and written answers only in a "
        "shuffled order; and only when at least {k} people answered the question."
    ),
    N_(
        "Your own words can still give you away. Leave out names, contact details and stories "
        "that others would recognise."
    ),
)
_LAST_LINE = {
    "terminal": N_("You may skip any question. Ctrl-C stops without saving anything."),
    # On a phone the answers travel over the room's network to the facilitator's laptop: said
    # plainly, with who could see them on the way (docs/room.md says the same at length).
    "room": N_(
        "Your answers go over this room's Wi-Fi to the facilitator's laptop, not to the internet. "
        "You may skip any question; leaving before the last one saves nothing."
    ),
}

_PII_KINDS = {
    PiiKind.EMAIL: N_("e-mail address"),
    PiiKind.URL: N_("web address"),
    PiiKind.HANDLE: N_("@name"),
    PiiKind.PHONE: N_("phone number"),
    PiiKind.IBAN: N_("bank account number (IBAN)"),
    PiiKind.BSN: N_("citizen service number (BSN)"),
    PiiKind.NAME: N_("name or place"),
}


def promise_lines(*, min_group: int, medium: str = "terminal", translate: Translate = _) -> tuple[str, ...]:
    """The promise, for the terminal or for a phone in the room, in the language of `translate`."""
    lines = (*_PROMISE, _LAST_LINE[medium])
    return tuple(translate(line).format(k=min_group) for line in lines)


def pii_kind(kind: PiiKind, translate: Translate = _) -> str:
    return translate(_PII_KINDS.get(kind, N_("personal data")))
