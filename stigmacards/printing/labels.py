"""What a printed card says besides the deck's own text, in the deck's language.

Printed labels ("Table 3 · Round 2") are read by the people at the table, so they follow the
language of the cards, not the interface language. The names of a deck's parts ("Before we
start", "You may always pass.") are shared with the handout and live in deck/handout.py; the
level dots in deck/format.py; the translator for a deck's language in i18n.
"""

from __future__ import annotations

from stigmacards.i18n import N_
from stigmacards.text import inert

TABLE_ROUND = N_("Table {table} · Round {round}")
TABLE = N_("Table {table}")
PART = N_("{title} ({part}/{parts})")

# Language names for the one line that says which language a PDF is printed in.
LANGUAGE_NAMES = {"nl": N_("Dutch"), "en": N_("English")}


def clean(text: str) -> str:
    """Deck text for print: no controls or bidi tricks, whitespace collapsed to single spaces."""
    return " ".join(inert(text, single_line=True).split())


def primary(tag: str) -> str:
    """The language of a tag without its region: 'nl' for nl-BE."""
    return tag.replace("_", "-").split("-", 1)[0].lower()
