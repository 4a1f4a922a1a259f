"""What a card says besides the deck's own text, in the deck's language: printed cards
(printing/) and handouts (`deck export`, deck/interchange.py) share these.

Printed labels ("Table 3 · Round 2", "Before we start") are read by the people at the table, so
they follow the language of the cards, not the interface language. A leaf module (i18n and text
only), so that deck/ and printing/ can both use it without importing each other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from stigmacards.i18n import N_
from stigmacards.text import inert

LEVEL_MAX = 3

# The same titles as `deck show` uses for the intro and the closing.
GROUND_RULES = N_("Before we start")
AFTERWARDS = N_("Closing and support")
CONTENT_NOTE = N_("Content note: ")
RIGHT_TO_PASS = N_("You may always pass.")
TABLE_ROUND = N_("Table {table} · Round {round}")
TABLE = N_("Table {table}")
PART = N_("{title} ({part}/{parts})")
LEVEL = N_("Level {level}")

# Language names for the one line that says which language a PDF is printed in.
LANGUAGE_NAMES = {"nl": N_("Dutch"), "en": N_("English")}


def clean(text: str) -> str:
    """Deck text for print: no controls or bidi tricks, whitespace collapsed to single spaces."""
    return " ".join(inert(text, single_line=True).split())


def level_dots(level: int) -> str:
    return "●" * level + "○" * (LEVEL_MAX - level)


def primary(tag: str) -> str:
    """The language of a tag without its region: 'nl' for nl-BE."""
    return tag.replace("_", "-").split("-", 1)[0].lower()


@functools.cache
def translator(lang: str) -> Callable[[str], str]:
    """gettext for `lang` without touching the interface language (labels on printed cards)."""
    import gettext

    from stigmacards import i18n

    code = i18n.normalize(lang)
    chain: gettext.NullTranslations = gettext.NullTranslations()
    if code is None or code == i18n.DEFAULT:
        return chain.gettext
    for path in reversed(i18n.catalogues(code)):
        with path.open("rb") as handle:
            translation = gettext.GNUTranslations(handle)
        translation.add_fallback(chain)
        chain = translation
    return chain.gettext
