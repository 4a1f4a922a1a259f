"""The constants of deck format 1 that need no model: cheap to import (start-up, `deck new`)."""

from __future__ import annotations

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
