"""YAML syntax errors in a trainer's words: where the mistake starts, and what to do about it.

The pure parser reports where it gave up, in its own vocabulary ("while scanning a plain
scalar"). Most mistakes in a deck start earlier or are of a few known kinds: a quote that is
never closed, typographic quotes pasted from a word processor, a line indented one space too
far. `syntax_problem` looks for those first, at the lines before the error, and words the rest
from a table of the parser's phrases.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from stigmacards.deck.analysis import Pos, make_problem
from stigmacards.deck.problems import Problem
from stigmacards.i18n import N_, _, ngettext

# What authors can do about the parser's errors, by a phrase of its (English) report; the first
# phrase found wins.
_QUOTE_IT = N_('text that starts with {chars} must be put in quotes, e.g. - "{example}"')
_SYNTAX_HINTS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("'\\t'", N_("indent with spaces; YAML does not allow tabs for indentation"), {}),
    ("tab character", N_("indent with spaces; YAML does not allow tabs for indentation"), {}),
    ("mapping values are not allowed", N_("put text that contains ': ' in quotes"), {}),
    (
        "could not find expected ':'",
        N_(
            "write 'key: value' with a space after the ':'; text that goes on to the next line must be "
            "indented further than the line it starts on"
        ),
        {},
    ),
    (
        "unknown escape character",
        N_("inside double quotes write a backslash as \\\\, or use single quotes"),
        {},
    ),
    ("cannot start any token", _QUOTE_IT, {"chars": "%, @ or `", "example": "@iedereen: wat denk je?"}),
    ("scanning an alias", _QUOTE_IT, {"chars": "*", "example": "*Echt* waar?"}),
    ("scanning an anchor", _QUOTE_IT, {"chars": "&", "example": "& wat dan?"}),
    ("a tag", _QUOTE_IT, {"chars": "!", "example": "!Let op: wat nu?"}),
    ("scanning a block scalar", _QUOTE_IT, {"chars": "| or >", "example": "> 18 jaar: wat verandert er?"}),
    (
        "but found text",
        N_(
            "text goes on after a closing quote or bracket: put the whole text in quotes; "
            "or check the indentation of this line"
        ),
        {},
    ),
    ("expected the end of", N_("check the indentation of this line"), {}),
    ("while parsing a flow", N_("a '[' or '{{' is not closed, or a ',' is missing"), {}),
    ("end of stream", N_("a quote is opened here and never closed"), {}),
)
# The parser's names for what it expected or found, in the words of the deck format.
_TOKEN_WORDS = (
    ("'<scalar>'", "text"),
    ("<block end>", "the end of the indented block"),
    ("'<block mapping start>'", "a new 'key: value' block"),
    ("'<block sequence start>'", "a '- ' item"),
    ("but found '?'", "but found a key"),
    ("but found '-'", "but found a '- ' item"),
)
_FOUND = {
    "'<scalar>'": N_("text"),
    "'<block mapping start>'": N_("a new 'key: value' block"),
    "'<block sequence start>'": N_("a '- ' item"),
    "'<block end>'": N_("the end of the indented block"),
    "'?'": N_("a key"),
    "'-'": N_("a '- ' item"),
    "'<stream end>'": N_("the end of the file"),
    "'\\t'": N_("a tab"),
    "'\\n'": N_("the end of the line"),
}
# Where the parser was when it gave up, by its own phrase.
_CONTEXTS = {
    "while scanning a simple key": N_("in the key on line {line}"),
    "while scanning a plain scalar": N_("in the text that starts on line {line}"),
    "while scanning a quoted scalar": N_("in the quoted text that starts on line {line}"),
    "while scanning a double-quoted scalar": N_("in the quoted text that starts on line {line}"),
    "while scanning a block scalar": N_("after the '|' or '>' on line {line}"),
    "while scanning an alias": N_("after the '*' on line {line}"),
    "while scanning an anchor": N_("after the '&' on line {line}"),
    "while scanning a tag": N_("after the '!' on line {line}"),
    "while parsing a tag": N_("after the '!' on line {line}"),
    "while scanning a directive": N_("after the '%' on line {line}"),
    "while parsing a block mapping": N_("in the block of keys that starts on line {line}"),
    "while parsing a block collection": N_("in the list that starts on line {line}"),
    "while parsing a flow sequence": N_("in the [ ] list that starts on line {line}"),
    "while parsing a flow mapping": N_("in the {{ }} mapping that starts on line {line}"),
}
# What went wrong, by the parser's phrase (a pattern; `found` is what it found instead).
_PROBLEMS = (
    (r"could not find expected ':'", N_("a ':' is missing")),
    (r"mapping values are not allowed here", N_("this ': ' cannot start a key here")),
    (r"sequence entries are not allowed here", N_("a '- ' item cannot start here")),
    (r"mapping keys are not allowed here", N_("a '?' key cannot start here")),
    (r"found character (?P<found>.+) that cannot start any token", N_("{found} cannot start a value")),
    (r"found a tab character .*", N_("a tab is used as indentation")),
    (r"found unknown directive name", N_("YAML knows no such '%' line")),
    (r"found unexpected end of stream", N_("the file ends before the closing quote")),
    (r"found unexpected document separator", N_("a '---' or '...' line comes before the closing quote")),
    (r"found unknown escape character (?P<found>.+)", N_("{found} after a backslash is not an escape")),
    (r"expected escape sequence of .*|found invalid Unicode .*", N_("this escape names no character")),
    (
        r"expected <block end>, but found (?P<found>.+)",
        N_("expected the end of the block, but found {found}"),
    ),
    (r"expected ',' or '\]', but got (?P<found>.+)", N_("expected ',' or ']', but found {found}")),
    (r"expected ',' or '\}', but got (?P<found>.+)", N_("expected ',' or '}}', but found {found}")),
    (
        r"expected '<document start>', but found (?P<found>.+)",
        N_("expected the end of the file, but found {found}"),
    ),
    (r"expected the node content, but found (?P<found>.+)", N_("expected a value, but found {found}")),
    (
        r"expected alphabetic or numeric character, but found (?P<found>.+)",
        N_("expected a name, but found {found}"),
    ),
)
_CURLY_QUOTES = "“”„‟‘’‚‛«»"
# A value that starts on this line: after '- ' or after 'key: '.
_VALUE_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s#'\"][^:#]*:\s+)?(?:-\s+)*")


# Spaces that look like a space but are not one to YAML: pasted from a word processor or a web page.
_ODD_SPACES = "\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000"
_ODD_INDENT = re.compile(f"^[ \\t]*([{_ODD_SPACES}])")
_SPACE_NAMES = {"\u00a0": N_("a no-break space"), "\u202f": N_("a narrow no-break space")}


def _odd_indentation(path: str, lines: list[str], line: int) -> Problem | None:
    """Indentation made of a space YAML does not count as one (a no-break space from Word)."""
    for number, text in enumerate(lines[: line + 2]):
        match = _ODD_INDENT.match(text)
        if match is None:
            continue
        char = match.group(1)
        name = _(_SPACE_NAMES[char]) if char in _SPACE_NAMES else unicodedata.name(char, "").lower()
        return make_problem(
            path,
            (number + 1, match.start(1) + 1),
            "SC003",
            _("{name} ({code}) is used as indentation; YAML only counts ordinary spaces").format(
                name=name, code=f"U+{ord(char):04X}"
            ),
            hint=_("replace it with ordinary spaces; it often comes with text pasted from Word"),
        )
    return None


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


def _found(raw: str) -> str:
    return _(_FOUND[raw]) if raw in _FOUND else raw


def _words(context: str, context_mark: Any, problem: str) -> str:
    """The parser's report in the deck format's words; its own English when we have no words."""
    for pattern, words in _PROBLEMS:
        match = re.fullmatch(pattern, problem)
        if match:
            message = _(words).format(found=_found(match.groupdict().get("found") or ""))
            break
    else:  # a report we have no words for: say so plainly rather than in the parser's English
        message = _("the YAML here cannot be read")
    where = _CONTEXTS.get(context)
    if where and context_mark is not None:
        return _(where).format(line=context_mark.line + 1) + ": " + message
    return message or _("the YAML here cannot be read")


def syntax_problem(path: str, text: str, exc: yaml.YAMLError) -> Problem:
    """One SC004 (or SC003) problem for a syntax error: where the mistake starts, in plain words."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return make_problem(path, (1, 1), "SC004", (str(exc).splitlines() or ["YAML syntax error"])[0])
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()
    line = mark.line if mark is not None else 0
    found = (
        _odd_indentation(path, lines, line)
        or _curly_quotes(path, lines, line)
        or _unclosed_quote(path, text, lines, line, problem)
    )
    if found is None and "mapping values are not allowed" in problem:
        found = _indented_too_far(path, lines, line)
    if found is not None:
        return found
    if "end of stream" in problem and "quoted" in context and exc.context_mark is not None:
        mark = exc.context_mark  # point at the quote that is never closed
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        mark = exc.context_mark  # the line that lacks its ': ', not the line after it
    raw = " ".join(part for part in (context, problem) if part)
    for jargon, plain in _TOKEN_WORDS:
        raw = raw.replace(jargon, plain)
    hint = next((_(h).format(**args) for phrase, h, args in _SYNTAX_HINTS if phrase in raw), "")
    pos = _pos(mark) if mark is not None else (1, 1)
    return make_problem(path, pos, "SC004", _words(context, exc.context_mark, problem), hint=hint)


def _curly_quotes(path: str, lines: list[str], line: int) -> Problem | None:
    """A value on the error line that starts with a typographic quote, which YAML reads as text."""
    if not 0 <= line < len(lines):
        return None
    start = _VALUE_START.match(lines[line])
    column = start.end() if start else 0
    if column >= len(lines[line]) or lines[line][column] not in _CURLY_QUOTES:
        return None
    char = lines[line][column]
    return make_problem(
        path,
        (line + 1, column + 1),
        "SC004",
        _("the text starts with the typographic quote {char}, which YAML reads as an ordinary letter").format(
            char=char
        ),
        hint=_('put the text in straight quotes instead: "…"; word processors often change them into “…”'),
    )


def _quote_start(line: str) -> int | None:
    """The column of a quote that opens a value on `line`, or None."""
    start = _VALUE_START.match(line)
    column = start.end() if start else 0
    return column if column < len(line) and line[column] in "\"'" else None


def _closing(text: str, start: int) -> int | None:
    """The index of the quote that closes the one at `text[start]`, or None when none does."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":  # '' is a quote inside single quotes
                i += 2
                continue
            return i
        i += 1
    return None


def _unclosed_quote(path: str, text: str, lines: list[str], line: int, problem: str) -> Problem | None:
    """A quote not closed on its own line, whose text runs on to where the parser gave up."""
    offset = 0
    offsets: list[int] = []
    for raw in text.splitlines(keepends=True):
        offsets.append(offset)
        offset += len(raw)
    for number in range(min(line + 1, len(lines))):
        column = _quote_start(lines[number])
        if column is None:
            continue
        end = _closing(text, offsets[number] + column)
        end_line = (
            len(offsets) - 1
            if end is None
            else next((n - 1 for n, o in enumerate(offsets) if o > end), len(offsets) - 1)
        )
        if end_line == number:
            continue  # closed on its own line
        if end is None or (end_line >= line and number < line):
            return make_problem(
                path,
                (number + 1, column + 1),
                "SC004",
                _("the quote {quote} opened here is not closed on this line").format(
                    quote=lines[number][column]
                ),
                hint=_(
                    "end the text with the same quote; until the next {quote} the rest of the file is read as this text"
                ).format(quote=lines[number][column]),
            )
        return None  # a text over several lines that ends before the error: not this mistake
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indented_too_far(path: str, lines: list[str], line: int) -> Problem | None:
    """'key: value' indented further than the 'key: value' line above: read as more text of that value."""
    if not 0 < line < len(lines):
        return None
    here = lines[line]
    if not re.match(r"\s*[^\s#:-][^:]*:(\s|$)", here):
        return None
    above = next(
        (
            lines[i]
            for i in range(line - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ),
        None,
    )
    if above is None:
        return None
    match = re.match(r"(\s*(?:-\s+)?)([^\s#:][^:]*):\s+\S", above)
    if match is None:
        return None
    key_column = len(match.group(1))
    extra = _indent(here) - key_column
    if extra <= 0:
        return None
    key = here.strip().split(":", 1)[0]
    return make_problem(
        path,
        (line + 1, _indent(here) + 1),
        "SC004",
        ngettext(
            "'{key}:' is indented {n} space further than '{above}:' on the line above",
            "'{key}:' is indented {n} spaces further than '{above}:' on the line above",
            extra,
        ).format(key=key, n=extra, above=match.group(2)),
        hint=_(
            "line up '{key}:' with '{above}:'; a line indented further continues the text above it"
        ).format(key=key, above=match.group(2)),
    )
