"""The constants of deck format 1 that need no model, and the small rules built on them.

Cheap to import (start-up, `deck new`): no YAML, no msgspec.
"""

from __future__ import annotations

import enum
import re
import unicodedata

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
FORMAT_VERSION = 1
QUESTIONS_PER_CARD = 3
LEVELS = (1, 2, 3)

# "Not blank" for JSON Schema: at least one character that Python's str.strip() keeps, spelled
# out because ECMA-262's \s (editors) and Python's \s (jsonschema) disagree on a few characters.
NOT_BLANK_PATTERN = r"[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

# `deck new`: how many blank cards a skeleton may have (here, not in authoring, because the
# command's --cards option needs the limit at every start-up).
MIN_NEW_CARDS = 1
MAX_NEW_CARDS = 999
MAX_SLUG = 48

# Letters NFKD does not take apart into an ASCII letter and an accent.
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l"}
    | {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i"}
)


def slugify(text: str, *, limit: int = MAX_SLUG) -> str:
    """An id from text: ASCII-folded, lower case, hyphenated ("Één vraag?" → "een-vraag"); may be ''."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.decode("ascii").lower()).strip("-")
    if len(slug) > limit:
        cut = slug.rfind("-", 0, limit + 1)
        slug = slug[: cut if cut > limit // 2 else limit].strip("-")
    return slug


def level_dots(level: int) -> str:
    """A card's level as filled and open dots: 2 → '●●○'."""
    return "●" * level + "○" * (LEVELS[-1] - level)


class PromptKind(enum.StrEnum):
    """The kinds of reflection prompt, as a deck writes them; one definition for every module."""

    scale = "scale"
    choice = "choice"
    text = "text"
