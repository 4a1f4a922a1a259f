"""Make untrusted text inert before it reaches a terminal.

rich does not strip ESC, OSC-8 hyperlinks or C1 controls from `Text`, and bidi overrides can
make a line read differently from what it contains. Every string that comes from a deck, a
reflection or a file goes through `inert` before it is shown; renderers wrap it in `Text`
(never markup), so `[bold]` and `:emoji:` stay literal.
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, C1 controls, bidi embeddings/overrides/isolates/marks,
# and the Unicode line and paragraph separators (which some terminals treat as newlines).
# Removing the introducer of an escape sequence (ESC, or the C1 CSI/OSC) is enough: what is
# left of `\x1b[2J` is the harmless text `[2J`.
# Lone surrogates too: a terminal cannot show them, and writing one raises UnicodeEncodeError.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
_UNSAFE_SINGLE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)

#: How many characters of an untrusted value an error message quotes.
QUOTE_LIMIT = 60
ELLIPSIS = "…"


def inert(text: str, *, single_line: bool = False) -> str:
    """Return `text` with every control, escape and bidi character removed.

    Tabs become spaces; with `single_line`, newlines do too.
    """
    text = text.replace("\t", " ")
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ")
        return _UNSAFE_SINGLE_LINE.sub("", text)
    return _UNSAFE.sub("", text)


def well_formed(text: str) -> str:
    """`text` as valid Unicode: bytes that were not UTF-8 (lone surrogates) become U+FFFD.

    A terminal that sends Latin-1, or a stray byte, reaches Python as a lone surrogate, which
    cannot be stored, shown or written to a file.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "replace").decode("utf-8")
    return text


def is_inert(text: str) -> bool:
    return _UNSAFE.search(text.replace("\t", " ")) is None


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Shorten `text` to at most `limit` characters, ending in '…' when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


def shown(value: object, limit: int = QUOTE_LIMIT) -> str:
    """An untrusted value as an error message may quote it: one inert line, clipped."""
    text = value if isinstance(value, str) else repr(value)
    # Clip first, so a megabyte-long value costs nothing to sanitise; then again, since
    # inert() only ever removes characters.
    return clip(inert(clip(text, limit * 4), single_line=True), limit)


# --- Spreadsheet cells ------------------------------------------------------------------------

# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection): = + - @
# and the tab and carriage return some spreadsheets skip before one. A leading ' is guarded too,
# so that reading a file back gives exactly the text that was written.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def formula_guard(text: str) -> str:
    """A cell every spreadsheet shows as text: a leading ' before = + - @ tab CR (and ')."""
    return "'" + text if text.startswith(FORMULA_START) else text


def formula_unguard(text: str) -> str:
    """Undo `formula_guard` (also on cells a careful person guarded by hand)."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START) else text


# --- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def markdown_literal(text: str) -> str:
    """Untrusted text as one literal line of Markdown: nothing in it becomes formatting, a link,
    a list, a heading, a table cell border or HTML. Used by the deck handout and the reports."""
    text = " ".join(inert(text, single_line=True).split())
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")
    text = re.sub(r"^([+\-=])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
