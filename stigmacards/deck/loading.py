"""Text → Deck, safely, with a position for every problem.

Decks travel between organisations, so a deck file is untrusted input. The loader reads the
YAML *event* stream (libyaml's C parser when present, else PyYAML's pure one) and builds plain
Python values itself, iteratively. That lets it reject, with the exact line and column, what a
plain `yaml.safe_load` would accept or choke on: anchors and aliases (alias bombs), merge keys,
unknown tags, deep nesting, duplicate keys. It never constructs arbitrary objects and never
recurses, so hostile input cannot exhaust the stack.

Both parsers must report the same problems for the same file. Before parsing, the loader
rejects the characters on which they disagree (controls, a byte order mark after the start,
the Unicode line separators). When libyaml finds a syntax error, the file is parsed again with
the pure parser and its report is used, so a syntax error reads the same on every install.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stigmacards.deck._yamlcompat import PureEventLoader
from stigmacards.deck.model import (
    FORMAT_VERSION,
    Card,
    CardTranslation,
    ChoicePrompt,
    Deck,
    DeckTranslation,
    PromptTranslation,
    ScalePrompt,
    TextPrompt,
)
from stigmacards.deck.problems import Problem, Severity
from stigmacards.errors import DeckError, UsageError
from stigmacards.i18n import _
from stigmacards.text import QUOTE_LIMIT, inert, shown

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
# 16 MiB of `[0,0,0,…` is eight million values: ~4 GB and half a minute once each has a
# position. A card with its translation is ~20 values, so this still allows 25,000 cards
# (the 10,000-card benchmark deck has 200,000 values); a hostile file stops within ~3 s, ~300 MB.
MAX_VALUES = 500_000
# Reading stops after this many problems (a file of a million aliases is not worth a list).
MAX_PROBLEMS = 200
EXTENSION_PREFIX = "x-"
# Re-reading a file with the pure parser to word a libyaml syntax error costs ~1 s per million
# characters before the error; past this many, libyaml's own wording is kept.
_REPARSE_LIMIT = 1_000_000
_MAX_CHARACTER_PROBLEMS = 10

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_INT = _CORE + "int"
_FLOAT = _CORE + "float"
_NULL = _CORE + "null"
_MERGE = _CORE + "merge"
_CONTAINER_TAGS: set[str | None] = {None, "!", _CORE + "seq", _CORE + "map"}
_SCALAR_TAGS: set[str | None] = {None, "!"} | {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value")
}

# Characters YAML forbids (both parsers refuse them, in different words and places), plus
# the ones they read differently: NEL, LINE/PARAGRAPH SEPARATOR (line breaks to YAML 1.1,
# not to editors) and a byte order mark after the start (libyaml skips it, PyYAML keeps it).
# Spelled as the forbidden characters, not as the complement of the allowed ones: the same set
# (checked over every code point), but 0.3 ms to compile instead of 3 ms, at every start-up.
_BAD_CHARACTER = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"


@functools.cache
def _bad_character() -> re.Pattern[str]:
    return re.compile(_BAD_CHARACTER)  # only when a file is read


Path_ = tuple[str | int, ...]
Pos = tuple[int, int]


def c_loader_available() -> bool:
    return bool(getattr(yaml, "__with_libyaml__", False))


@dataclass(slots=True)
class Analysis:
    """Everything the loader learnt about one file: the deck (if valid) and every problem."""

    path: str
    deck: Deck | None
    problems: list[Problem]
    data: Any = None
    positions: dict[Path_, Pos] = field(default_factory=dict)
    key_positions: dict[Path_, Pos] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def locate(self, path: Path_) -> Pos:
        """Line and column (1-based) of the value at `path`, or of its nearest parent."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def locate_key(self, path: Path_) -> Pos:
        return self.key_positions.get(path) or self.locate(path)


class _FatalError(Exception):
    """Stops building: the rest of the file cannot be read reliably."""


# --- Reading bytes ---------------------------------------------------------------------------


class TooLargeError(Exception):
    """A file is larger than the limit it is read with; `size` is what it holds."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_source(path: Path) -> bytes:
    """Read a deck file's bytes; only regular files, and never more than MAX_BYTES + 1.

    Raises UsageError when the path cannot be read as a file at all, and DeckError (SC001)
    when the file is too large.
    """
    try:
        return read_regular_file(path)
    except TooLargeError as exc:
        problem = _problem(str(path), (0, 0), "SC001", _too_large_message(exc.size))
        raise DeckError(problem.format(), (problem,)) from None


def read_regular_file(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """Read at most `limit` bytes of a regular file; UsageError for anything else.

    Raises TooLargeError past `limit`. Decks, imports and reflection exports are read through
    here, so /dev/zero, a FIFO or a directory is one line on stderr, never a hang.
    """
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat on the open descriptor (not
    # stat on the name) so the file checked is the file read.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UsageError(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise UsageError(_("{path}: is a directory, not a deck file").format(path=path)) from None
    except PermissionError:
        raise UsageError(_("{path}: permission denied").format(path=path)) from None
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(_("{path}: is a directory, not a deck file").format(path=path))
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(_("{path}: not a regular file").format(path=path))
        if info.st_size > limit:
            raise TooLargeError(info.st_size)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)
        ) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # the file grew after fstat
        raise TooLargeError(len(data))
    return data


def _too_large_message(size: int) -> str:
    return f"file is {size:,} bytes; decks may be at most {MAX_BYTES // (1024 * 1024)} MiB"


def _line_col(text: str, index: int) -> Pos:
    """1-based line and column of `text[index]`, counting line breaks as YAML does."""
    before = text[:index]
    crlf = before.count("\r\n")
    line = before.count("\n") + before.count("\r") - crlf + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, index - start + 1


_OTHER_ENCODINGS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text; invalid UTF-8 and oversize files are problems with positions."""
    if len(data) > MAX_BYTES:
        return None, [_problem(path, (0, 0), "SC001", _too_large_message(len(data)))]
    for bom, name in _OTHER_ENCODINGS:
        if data.startswith(bom):
            return None, [
                _problem(
                    path,
                    (1, 1),
                    "SC002",
                    f"file is {name}, not UTF-8",
                    hint="save the file as UTF-8",
                )
            ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        return None, [
            _problem(
                path,
                _line_col(good, len(good)),
                "SC002",
                f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
                hint="save the file as UTF-8",
            )
        ]
    return text, []


def _character_problems(text: str, path: str) -> list[Problem]:
    """NUL bytes, control characters and other characters the two parsers read differently."""
    problems: list[Problem] = []
    for match in _bad_character().finditer(text):
        char = match.group()
        pos = _line_col(text, match.start())
        if char == "\x00":
            problems.append(_problem(path, pos, "SC003", "NUL byte in file"))
        elif char == "\ufeff":
            problems.append(
                _problem(
                    path,
                    pos,
                    "SC003",
                    "byte order mark (U+FEFF) after the start of the file",
                    hint="remove it; most editors do not show it",
                )
            )
        elif char in "\x85\u2028\u2029":
            problems.append(
                _problem(
                    path,
                    pos,
                    "SC003",
                    f"unusual line break U+{ord(char):04X}",
                    hint="use a normal line break",
                )
            )
        else:
            problems.append(
                _problem(
                    path,
                    pos,
                    "SC003",
                    f"control character U+{ord(char):04X} in file",
                    hint="remove it; YAML does not allow control characters",
                )
            )
        if len(problems) >= _MAX_CHARACTER_PROBLEMS:
            break
    return problems


def _problem(
    path: str,
    pos: Pos,
    code: str,
    message: str,
    *,
    hint: str = "",
    severity: Severity = Severity.ERROR,
) -> Problem:
    # Messages quote what the file says. Callers quote values with `shown()`; this is the net
    # under them: one inert line, quoted runs clipped.
    return Problem(path, pos[0], pos[1], severity, code, _tidy(message), _tidy(hint))


# A value quoted in a message: an opening quote after a space or '(' (not an apostrophe
# inside a word), a closing one before a space or punctuation.
_QUOTED_RUN = re.compile(r"(?:^|(?<=[\s(]))'([^']{" + str(QUOTE_LIMIT + 1) + r",})'(?=$|[\s),.;:?!])")


def _tidy(message: str) -> str:
    if len(message) > QUOTE_LIMIT:
        message = _QUOTED_RUN.sub(lambda m: "'" + shown(m.group(1)) + "'", message)
    if len(message) > 1000:
        message = message[:999] + "…"
    return inert(message, single_line=True)


# --- Events → plain values -------------------------------------------------------------------


class _Frame:
    """An open mapping or sequence while its events are read."""

    __slots__ = ("flow", "free", "is_map", "path", "pending", "pending_pos", "seen", "value")

    # Positional: one is built per mapping or list, in the loader's hot loop.
    def __init__(self, path: Path_, is_map: bool, flow: bool, free: bool) -> None:
        self.path = path
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.flow = flow
        self.free = free  # a mapping whose keys are data (ids, languages), not field names
        self.pending: Any = _NO_KEY  # the key read, waiting for its value
        self.pending_pos: Pos = (0, 0)
        self.seen: dict[Any, Pos] = {}


def _is_free_mapping(path: Path_) -> bool:
    if path == ("translations",):
        return True
    if len(path) == 3 and path[0] == "translations" and path[2] in ("cards", "reflection"):
        return True
    return bool(path) and path[-1] == "labels"


def _implicit_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
    return {first: list(resolvers) for first, resolvers in table.items()}


# First character of a plain scalar → the (tag, pattern) pairs that could match it. Most deck
# text starts with a letter no pattern starts with, and is a string without running a regex.
_RESOLVERS = _implicit_resolvers()
# (PyYAML's base Resolver registers every pattern with its first characters, none with None.)
_MAY_RESOLVE = frozenset(first for first in _RESOLVERS if first)
_SCALAR, _ALIAS, _DOCUMENT_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


class _Builder:
    def __init__(self, text: str, path: str, *, pure: bool) -> None:
        self.text = text
        self.path = path
        self.pure = pure or not c_loader_available()
        self.loader: Any = PureEventLoader if self.pure else yaml.CSafeLoader
        self.problems: list[Problem] = []
        self.positions: dict[Path_, Pos] = {}
        self.key_positions: dict[Path_, Pos] = {}
        self.constructor: Any = yaml.constructor.SafeConstructor()
        self.last_mark: Any = None

    def report(self, problem: Problem) -> None:
        """Record a problem; past MAX_PROBLEMS, stop reading (a million aliases need no list)."""
        self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                _problem(
                    self.path,
                    (problem.line, problem.column),
                    "SC012",
                    f"stopped reading after {MAX_PROBLEMS} problems",
                    hint="fix these first",
                )
            )
            raise _FatalError

    def error(self, mark: Any, code: str, message: str, hint: str = "") -> None:
        self.report(_problem(self.path, _pos(mark), code, message, hint=hint))

    def _char_at(self, mark: Any) -> str:
        # Both parsers count mark.index in characters of the text they were given.
        index = mark.index
        return self.text[index] if 0 <= index < len(self.text) else ""

    def build(self) -> Any:
        """Read the events into plain values, recording every value's position."""
        # The hot loop: one pass, locals, no method call per event in the common cases.
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        values = 0
        max_values = MAX_VALUES
        positions = self.positions
        key_positions = self.key_positions
        scalar_tags = _SCALAR_TAGS
        container_tags = _CONTAINER_TAGS
        may_resolve = _MAY_RESOLVE
        loader = self.loader(self.text)
        try:
            check_event, get_event = loader.check_event, loader.get_event
            while check_event():
                event = get_event()
                cls = event.__class__
                mark = self.last_mark = event.start_mark
                if cls is _SCALAR:
                    values += 1
                    if values > max_values:
                        self._too_many(mark)
                    pos = (mark.line + 1, mark.column + 1)
                    tag = event.tag
                    if event.anchor is not None or tag not in scalar_tags:
                        self._check_anchor_and_tag(event, scalar_tags)
                    if not stack:
                        root = self._scalar(event)
                        # An empty document: the parsers place its empty value differently.
                        positions[()] = pos if event.value else (1, 1)
                        continue
                    frame = stack[-1]
                    key = frame.pending
                    if frame.is_map and key is _NO_KEY:
                        if frame.flow and not event.value and tag is None:
                            pos = positions[frame.path]  # `{? }`: placed differently too
                        self._take_key(frame, self._key(event), pos)
                        continue
                    value = event.value
                    if not (tag is None and value and (not event.implicit[0] or value[0] not in may_resolve)):
                        if frame.is_map and not value and tag is None and event.anchor is None:
                            # An empty value (`title:`): the parsers place it differently, so
                            # point at its key, which is what the author sees as missing.
                            pos = frame.pending_pos
                        value = self._scalar(event)
                    # else: quoted, or plain text no resolver pattern can match: a string.
                    if frame.is_map:
                        frame.pending = _NO_KEY
                        if key is not _SKIP:
                            path = (*frame.path, key)
                            positions[path] = pos
                            key_positions[path] = frame.pending_pos
                            frame.value[key] = value
                    else:
                        items = frame.value
                        positions[(*frame.path, len(items))] = pos
                        items.append(value)
                elif cls is _MAPPING_END or cls is _SEQUENCE_END:
                    frame = stack.pop()
                    if not stack:
                        root = frame.value
                        continue
                    parent = stack[-1]
                    if parent.is_map:
                        key = parent.pending
                        parent.pending = _NO_KEY
                        if key is not _SKIP:
                            key_positions[frame.path] = parent.pending_pos
                            parent.value[key] = frame.value
                    else:
                        parent.value.append(frame.value)
                elif cls is _MAPPING_START or cls is _SEQUENCE_START:
                    values += 1
                    if values > max_values:
                        self._too_many(mark)
                    if event.anchor is not None or event.tag not in container_tags:
                        self._check_anchor_and_tag(event, container_tags)
                    if len(stack) >= MAX_DEPTH:
                        self.error(mark, "SC008", f"nesting deeper than {MAX_DEPTH} levels")
                        raise _FatalError
                    is_map = cls is _MAPPING_START
                    if stack:
                        parent = stack[-1]
                        if parent.is_map:
                            if parent.pending is _NO_KEY:
                                self.error(
                                    mark,
                                    "SC104",
                                    "a key must be a plain value, not a list or mapping",
                                    hint="keys are words such as 'title'; put text that starts with [ or { in quotes",
                                )
                                raise _FatalError
                            path = (*parent.path, parent.pending)
                        else:
                            if is_map and parent.flow and self._char_at(mark) == "?":
                                # libyaml and PyYAML's pure parser disagree on these; refuse both ways.
                                self.error(
                                    mark,
                                    "SC010",
                                    "explicit '?' key inside a [ ] flow list",
                                    hint="write the list as a block list, one '- ' item per line",
                                )
                                raise _FatalError
                            path = (*parent.path, len(parent.value))
                    else:
                        path = ()
                    positions[path] = (mark.line + 1, mark.column + 1)
                    stack.append(
                        _Frame(path, is_map, bool(event.flow_style), is_map and _is_free_mapping(path))
                    )
                elif cls is _ALIAS:
                    values += 1
                    if values > max_values:
                        self._too_many(mark)
                    self.error(
                        mark,
                        "SC005",
                        f"alias '*{shown(event.anchor)}' is not allowed",
                        hint="decks may not use aliases: write the value out in full, or put text that starts with * in quotes",
                    )
                    if stack:
                        frame = stack[-1]
                        pos = (mark.line + 1, mark.column + 1)
                        if not frame.is_map:
                            positions[(*frame.path, len(frame.value))] = pos
                            frame.value.append(None)
                        elif frame.pending is _NO_KEY:
                            frame.pending, frame.pending_pos = _SKIP, pos
                        else:
                            frame.pending = _NO_KEY  # the alias stands for nothing
                elif cls is _DOCUMENT_START:
                    documents += 1
                    if documents > 1:
                        self.error(
                            mark,
                            "SC004",
                            "a deck file holds one YAML document; found a second one",
                            hint="remove the '---' line",
                        )
                        raise _FatalError
        finally:
            loader.dispose()
        return root

    def _too_many(self, mark: Any) -> None:
        self.error(mark, "SC001", f"file holds more than {MAX_VALUES:,} values; a deck is far smaller")
        raise _FatalError

    def _check_anchor_and_tag(self, event: Any, allowed: set[str | None]) -> None:
        if event.anchor is not None:
            self.error(
                event.start_mark,
                "SC005",
                f"anchor '&{shown(event.anchor)}' is not allowed",
                hint=f"decks may not use anchors: remove '&{shown(event.anchor)}', or put text that starts with & in quotes",
            )
        if event.tag not in allowed:
            self.error(
                event.start_mark,
                "SC007",
                f"tag '{shown(event.tag)}' is not allowed",
                hint="remove the tag; decks use plain YAML values only",
            )

    def _tag(self, event: Any) -> str:
        tag = event.tag
        if tag is None and event.implicit[0]:
            value = event.value
            if not value:
                return _NULL
            for candidate, pattern in _RESOLVERS.get(value[0], ()):
                if pattern.match(value):
                    return candidate
            return _STR
        if tag is None or tag == "!":
            return _STR
        return str(tag)

    def _key(self, event: Any) -> Any:
        """A mapping key: whole numbers stay numbers (scale labels); everything else is text."""
        tag = self._tag(event)
        if tag == _MERGE:
            self._scalar(event)  # reports the merge key
        if tag == _INT:
            value = self._scalar(event)
            return value if isinstance(value, int) else event.value
        if tag == _NULL and event.value in ("", "~"):
            return None
        return event.value

    def _scalar(self, event: Any) -> Any:
        tag = self._tag(event)
        value = event.value
        if tag == _STR or tag not in _SCALAR_TAGS:
            if tag == _MERGE:
                self.error(
                    event.start_mark,
                    "SC006",
                    "merge key '<<' is not allowed",
                    hint="write the keys out in full",
                )
            return value
        if tag == _NULL:
            return None
        if tag in (_CORE + "timestamp", _CORE + "value"):
            return value  # decks have no dates: keep what the author wrote
        node = yaml.ScalarNode(tag, value)
        try:
            if tag == _INT:
                return self.constructor.construct_yaml_int(node)
            if tag == _FLOAT:
                return self.constructor.construct_yaml_float(node)
            return self.constructor.construct_yaml_bool(node)
        except (ValueError, KeyError, OverflowError, yaml.YAMLError):
            self.error(event.start_mark, "SC104", f"'{shown(value)}' is not a valid {tag[len(_CORE) :]}")
            return value

    def _take_key(self, frame: _Frame, key: Any, pos: Pos) -> None:
        frame.pending_pos = pos
        if key is None:
            self.report(_problem(self.path, pos, "SC104", "empty key", hint="write a key before the ':'"))
            frame.pending = _SKIP
            return
        if key in frame.seen:
            first = frame.seen[key]
            self.report(
                _problem(
                    self.path,
                    pos,
                    "SC009",
                    f"duplicate key '{shown(key)}' (first defined at line {first[0]})",
                    hint="YAML would silently keep only the last one; remove one",
                )
            )
            frame.pending = _SKIP
            return
        frame.seen[key] = pos
        if not frame.free and isinstance(key, str) and key.startswith(EXTENSION_PREFIX):
            frame.pending = _SKIP  # free for authors and other tools
            return
        frame.pending = key


_SKIP: Any = object()
_NO_KEY: Any = object()


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


# --- Public entry points ---------------------------------------------------------------------


@dataclass(slots=True)
class _Parsed:
    data: Any
    problems: list[Problem]
    positions: dict[Path_, Pos]
    key_positions: dict[Path_, Pos]


# What authors can do about the pure parser's syntax errors, by a phrase of the message; the
# first phrase found wins.
_QUOTE_IT = 'text that starts with {chars} must be put in quotes, e.g. - "{example}"'
_SYNTAX_HINTS = (
    ("'\\t'", "indent with spaces; YAML does not allow tabs for indentation"),
    ("tab character", "indent with spaces; YAML does not allow tabs for indentation"),
    ("mapping values are not allowed", "put text that contains ': ' in quotes"),
    (
        "could not find expected ':'",
        "write 'key: value' with a space after the ':'; text that goes on to the next line must be "
        "indented further than the line it starts on",
    ),
    ("unknown escape character", "inside double quotes write a backslash as \\\\, or use single quotes"),
    ("cannot start any token", _QUOTE_IT.format(chars="%, @ or `", example="@iedereen: wat denk je?")),
    ("scanning an alias", _QUOTE_IT.format(chars="*", example="*Echt* waar?")),
    ("scanning an anchor", _QUOTE_IT.format(chars="&", example="& wat dan?")),
    ("a tag", _QUOTE_IT.format(chars="!", example="!Let op: wat nu?")),
    ("scanning a block scalar", _QUOTE_IT.format(chars="| or >", example="> 18 jaar: wat verandert er?")),
    (
        "but found text",
        "text goes on after a closing quote or bracket: put the whole text in quotes; "
        "or check the indentation of this line",
    ),
    ("expected the end of", "check the indentation of this line"),
    ("while parsing a flow", "a '[' or '{' is not closed, or a ',' is missing"),
    ("end of stream", "a quote is opened here and never closed"),
)
# PyYAML's names for what it expected or found, in the words of the deck format.
_TOKEN_WORDS = (
    ("'<scalar>'", "text"),
    ("<block end>", "the end of the indented block"),
    ("'<block mapping start>'", "a new 'key: value' block"),
    ("'<block sequence start>'", "a '- ' item"),
    ("but found '?'", "but found a key"),
    ("but found '-'", "but found a '- ' item"),
)


def _syntax_problem(path: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        problem, context = exc.problem or "", exc.context or ""
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in problem and "quoted" in context and exc.context_mark is not None:
            mark = exc.context_mark  # point at the quote that is never closed
        if "could not find expected ':'" in problem and exc.context_mark is not None:
            mark = exc.context_mark  # the line that lacks its ': ', not the line after it
        message = " ".join(part for part in (context, problem) if part) or "YAML syntax error"
        for jargon, words in _TOKEN_WORDS:
            message = message.replace(jargon, words)
        hint = next((h for phrase, h in _SYNTAX_HINTS if phrase in message), "")
        pos = _pos(mark) if mark is not None else (1, 1)
        return _problem(path, pos, "SC004", message, hint=hint)
    return _problem(path, (1, 1), "SC004", (str(exc).splitlines() or ["YAML syntax error"])[0])


def _parse(text: str, path: str, *, pure: bool) -> _Parsed:
    builder = _Builder(text, path, pure=pure)
    data: Any = None
    try:
        data = builder.build()
    except _FatalError:
        data = None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        index = mark.index if mark is not None else 0
        if not builder.pure and index <= _REPARSE_LIMIT:
            # Word the error as the pure parser does. Where it is more lenient (a few odd tags)
            # it still finds a problem; only if it found none is libyaml's report kept.
            again = _parse(text, path, pure=True)
            if again.problems:
                return again
        builder.problems.append(_syntax_problem(path, exc))
    except RecursionError:  # not expected (nothing recurses), but never a traceback
        pos = _pos(builder.last_mark) if builder.last_mark is not None else (1, 1)
        builder.problems.append(_problem(path, pos, "SC008", "nesting too deep"))
    return _Parsed(data, builder.problems, builder.positions, builder.key_positions)


def analyse_text(text: str, path: str = "<deck>", *, pure: bool = False) -> Analysis:
    """Parse and validate deck text; never raises for bad content, returns the problems."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problems = _character_problems(text, path)
    if problems:
        return Analysis(path=path, deck=None, problems=problems)
    gc_was_enabled = gc.isenabled()
    # The values and the model's Structs are acyclic; collecting while they grow costs ~3x.
    gc.disable()
    try:
        return _analyse(text, path, pure=pure)
    except MemoryError:
        return Analysis(
            path=path,
            deck=None,
            problems=[_problem(path, (0, 0), "SC001", "file is too large to load in the memory available")],
        )
    finally:
        if gc_was_enabled:
            gc.enable()


def _analyse(text: str, path: str, *, pure: bool) -> Analysis:
    parsed = _parse(text, path, pure=pure)
    data = parsed.data
    analysis = Analysis(
        path=path,
        deck=None,
        problems=parsed.problems,
        data=data,
        positions=parsed.positions,
        key_positions=parsed.key_positions,
    )
    if analysis.problems:
        analysis.problems.sort(key=Problem.sort_key)
        return analysis
    if not isinstance(data, dict):
        from stigmacards.deck.explain import kind_of

        what = kind_of(data)
        analysis.problems.append(
            _problem(
                path,
                analysis.locate(()),
                "SC100",
                f"a deck must be a mapping with keys like 'deck', 'id' and 'cards'; this file is {what}",
            )
        )
        return analysis
    _validate(analysis, data)
    analysis.problems.sort(key=Problem.sort_key)
    return analysis


def analyse_bytes(data: bytes, path: str = "<deck>", *, pure: bool = False) -> Analysis:
    text, problems = decode(data, path)
    if text is None:
        return Analysis(path=path, deck=None, problems=problems)
    return analyse_text(text, path, pure=pure)


def analyse_file(path: Path, *, display: str | None = None, pure: bool = False) -> Analysis:
    """Read and analyse a deck file. Raises UsageError when the file cannot be read at all."""
    shown_path = display or str(path)
    try:
        data = read_regular_file(path)
    except TooLargeError as exc:
        return Analysis(
            path=shown_path,
            deck=None,
            problems=[_problem(shown_path, (0, 0), "SC001", _too_large_message(exc.size))],
        )
    return analyse_bytes(data, shown_path, pure=pure)


def load_deck(path: Path, *, display: str | None = None) -> Deck:
    """Load a valid deck or raise DeckError naming the first problem (all are in `.problems`)."""
    analysis = analyse_file(path, display=display)
    return deck_or_raise(analysis)


def load_deck_text(text: str, path: str = "<deck>") -> Deck:
    return deck_or_raise(analyse_text(text, path))


def deck_or_raise(analysis: Analysis) -> Deck:
    errors = analysis.errors
    if errors or analysis.deck is None:
        first = errors[0].format() if errors else _("{path}: not a valid deck").format(path=analysis.path)
        more = (
            _(" (and {n} more; run 'stigmacards deck validate')").format(n=len(errors) - 1)
            if len(errors) > 1
            else ""
        )
        raise DeckError(first + more, tuple(errors))
    return analysis.deck


# --- Validation: the model for structure (validation.py), then whole-deck checks -----------


def _validate(analysis: Analysis, data: dict[str, Any]) -> None:
    version = data.get("deck")
    if isinstance(version, int) and not isinstance(version, bool) and version != FORMAT_VERSION:
        analysis.problems.append(
            _problem(
                analysis.path,
                analysis.locate(("deck",)),
                "SC108",
                f"deck format version {version} is not supported; this stigmacards reads version {FORMAT_VERSION}",
                hint="upgrade stigmacards",
            )
        )
        return
    from stigmacards.deck.explain import convert  # the wording of messages lives in explain.py
    from stigmacards.deck.validation import validate

    analysis.deck, errors = validate(data)
    for err in errors:
        if not _is_cascade(data, err):
            problem = convert(analysis, data, err)
            # The net under the wording: one inert line, long quoted values clipped.
            analysis.problems.append(
                dataclasses.replace(problem, message=_tidy(problem.message), hint=_tidy(problem.hint))
            )
    _whole_deck_checks(analysis, data)
    if analysis.errors:
        analysis.deck = None


def _is_cascade(data: Any, err: Any) -> bool:
    """A length error on a list whose length is right repeats an item's error; keep only the item's."""
    if err["type"] not in ("too_short", "too_long"):
        return False
    raw = _get(data, tuple(p for p in err["loc"] if p not in ("scale", "choice", "text")))
    if not isinstance(raw, list):
        return False
    ctx = err.get("ctx", {})
    return bool(ctx.get("min_length", 0) <= len(raw) <= ctx.get("max_length", len(raw)))


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _resolve_loc(analysis: Analysis, data: Any, loc: tuple[Any, ...]) -> Path_:
    """Map an error location onto a data path, dropping union tags and '[key]' markers."""
    path: Path_ = ()
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path = (*path, part)
            node = node[part]
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and part.lstrip("-").isdigit()
            and int(part) in node
        ):
            path = (*path, int(part))
            node = node[int(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path = (*path, part)
            node = node[part]
        elif part in ("[key]",) or part in ("scale", "choice", "text", "int", "str"):
            continue
        else:
            return (*path, part) if isinstance(part, str) else path
    return path


def _models_at(path: Path_) -> list[type[Any]]:
    """The models that may describe the mapping at `path` (three for a reflection prompt)."""
    if path == ():
        return [Deck]
    if len(path) == 2 and path[0] == "cards":
        return [Card]
    if len(path) == 2 and path[0] == "reflection":
        return [ScalePrompt, ChoicePrompt, TextPrompt]
    if len(path) == 2 and path[0] == "translations":
        return [DeckTranslation]
    if len(path) == 4 and path[0] == "translations" and path[2] == "cards":
        return [CardTranslation]
    if len(path) == 4 and path[0] == "translations" and path[2] == "reflection":
        return [PromptTranslation]
    return []


def _field_names(data: Any, path: Path_) -> list[str]:
    """The keys allowed in the mapping at `path`, for 'did you mean' hints."""
    from stigmacards.deck.validation import field_names

    names: list[str] = []
    for model in _models_at(path):
        names.extend(n for n in field_names(model) if n not in names)
    return names


def _is_required(path: Path_) -> bool:
    """True when the key at `path` must be there (deck: id, title …; card: id, questions)."""
    if not path or not isinstance(path[-1], str):
        return False
    import msgspec.structs

    return any(
        f.name == path[-1] and f.required for m in _models_at(path[:-1]) for f in msgspec.structs.fields(m)
    )


def _whole_deck_checks(analysis: Analysis, data: dict[str, Any]) -> None:
    add = analysis.problems.append
    path_ = analysis.path
    cards = data.get("cards")
    card_ids: dict[str, Pos] = {}
    if isinstance(cards, list):
        for i, card in enumerate(cards):
            cid = card.get("id") if isinstance(card, dict) else None
            if not isinstance(cid, str):
                continue
            pos = analysis.locate(("cards", i, "id"))
            if cid in card_ids:
                add(
                    _problem(
                        path_,
                        pos,
                        "SC106",
                        f"duplicate card id '{shown(cid)}' (first used at line {card_ids[cid][0]})",
                        hint="every card needs its own id",
                    )
                )
            else:
                card_ids[cid] = pos
    prompts: dict[str, dict[str, Any]] = {}
    reflection = data.get("reflection")
    if isinstance(reflection, list):
        for i, prompt in enumerate(reflection):
            if not isinstance(prompt, dict):
                continue
            pid = prompt.get("id")
            if isinstance(pid, str):
                if pid in prompts:
                    add(
                        _problem(
                            path_,
                            analysis.locate(("reflection", i, "id")),
                            "SC106",
                            f"duplicate reflection prompt id '{shown(pid)}'",
                        )
                    )
                else:
                    prompts[pid] = prompt
            if prompt.get("kind") == "scale":
                _check_scale(analysis, prompt, ("reflection", i))
    translations = data.get("translations")
    if not isinstance(translations, dict):
        return
    _check_translation_tags(analysis, data.get("language"), translations)
    for lang, tr in translations.items():
        if not isinstance(tr, dict):
            continue
        tcards = tr.get("cards")
        if isinstance(tcards, dict):
            for cid in tcards:
                if cid not in card_ids and isinstance(cards, list):
                    import difflib

                    close = difflib.get_close_matches(str(cid), list(card_ids), n=1)
                    add(
                        _problem(
                            path_,
                            analysis.locate_key(("translations", lang, "cards", cid)),
                            "SC107",
                            f"translation '{shown(lang)}' names card '{shown(cid)}', which the deck does not have",
                            hint=f"did you mean '{shown(close[0])}'?" if close else "",
                        )
                    )
        trefl = tr.get("reflection")
        if isinstance(trefl, dict):
            for pid, pt in trefl.items():
                if pid not in prompts:
                    add(
                        _problem(
                            path_,
                            analysis.locate_key(("translations", lang, "reflection", pid)),
                            "SC107",
                            f"translation '{shown(lang)}' names reflection prompt '{shown(pid)}', which the deck does not have",
                        )
                    )
                    continue
                original = prompts[pid]
                if isinstance(pt, dict):
                    _check_prompt_translation(
                        analysis, original, pt, ("translations", lang, "reflection", pid)
                    )


def _check_prompt_translation(
    analysis: Analysis, original: dict[str, Any], pt: dict[str, Any], path: Path_
) -> None:
    """Options and labels of a translated prompt must fit the original, or nobody sees them."""
    lang, pid, kind = path[1], path[3], original.get("kind")
    where = f"translation '{shown(lang)}' of reflection prompt '{shown(pid)}'"
    options, labels = pt.get("options"), pt.get("labels")
    if isinstance(options, list):
        want = original.get("options")
        if kind != "choice":
            analysis.problems.append(
                _problem(
                    analysis.path,
                    analysis.locate_key((*path, "options")),
                    "SC105",
                    f"{where} has options, but the prompt is a {shown(kind)} prompt without options",
                    hint="remove 'options' here",
                )
            )
        elif isinstance(want, list) and len(options) != len(want):
            analysis.problems.append(
                _problem(
                    analysis.path,
                    analysis.locate((*path, "options")),
                    "SC105",
                    f"{where} has {len(options)} option{'s' if len(options) != 1 else ''}, the original has {len(want)}",
                )
            )
    if isinstance(labels, dict):
        lo, hi = original.get("min", 1), original.get("max", 5)
        if kind != "scale":
            analysis.problems.append(
                _problem(
                    analysis.path,
                    analysis.locate_key((*path, "labels")),
                    "SC105",
                    f"{where} has labels, but the prompt is a {shown(kind)} prompt without a scale",
                    hint="remove 'labels' here",
                )
            )
        elif isinstance(lo, int) and isinstance(hi, int):
            for key in labels:
                if isinstance(key, int) and not lo <= key <= hi:
                    analysis.problems.append(
                        _problem(
                            analysis.path,
                            analysis.locate_key((*path, "labels", key)),
                            "SC105",
                            f"{where}: label {key} is outside the scale {lo}..{hi}",
                        )
                    )


def _check_translation_tags(analysis: Analysis, own: Any, translations: dict[Any, Any]) -> None:
    """A translation nobody would ever see: in the deck's own language, or a tag given twice."""
    seen: dict[str, str] = {}
    for lang in translations:
        if not isinstance(lang, str):
            continue
        pos = analysis.locate_key(("translations", lang))
        if isinstance(own, str) and lang.lower() == own.lower():
            analysis.problems.append(
                _problem(
                    analysis.path,
                    pos,
                    "SC105",
                    f"translation '{shown(lang)}' is in the deck's own language; its texts are never shown",
                    hint="put these texts in the deck itself, or remove this translation",
                )
            )
        elif lang.lower() in seen:
            first = seen[lang.lower()]
            analysis.problems.append(
                _problem(
                    analysis.path,
                    pos,
                    "SC106",
                    f"translation '{shown(lang)}' repeats translation '{shown(first)}' "
                    f"(line {analysis.locate_key(('translations', first))[0]}); language tags ignore case",
                    hint="merge the two into one",
                )
            )
        else:
            seen[lang.lower()] = lang


def _check_scale(analysis: Analysis, prompt: dict[str, Any], path: Path_) -> None:
    lo, hi = prompt.get("min", 1), prompt.get("max", 5)
    if not (isinstance(lo, int) and isinstance(hi, int)):
        return
    if lo >= hi or hi - lo > 10:
        analysis.problems.append(
            _problem(
                analysis.path,
                analysis.locate((*path, "max")),
                "SC105",
                f"reflection prompt '{shown(prompt.get('id'))}': scale needs min < max and at most 11 steps (got {lo}..{hi})",
            )
        )
        return
    labels = prompt.get("labels")
    if isinstance(labels, dict):
        for key in labels:
            if isinstance(key, int) and not lo <= key <= hi:
                analysis.problems.append(
                    _problem(
                        analysis.path,
                        analysis.locate_key((*path, "labels", key)),
                        "SC105",
                        f"reflection prompt '{shown(prompt.get('id'))}': label {key} is outside the scale {lo}..{hi}",
                    )
                )
