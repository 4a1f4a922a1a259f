"""YAML events → plain Python values, with a position for every value and the safety guards.

The reader walks the YAML *event* stream (libyaml's C parser when present, else PyYAML's pure one)
and builds plain values itself, iteratively. That lets it reject, with the exact line and column,
what a plain `yaml.safe_load` would accept or choke on: anchors and aliases (alias bombs), merge
keys, unknown tags, deep nesting, duplicate keys. It never constructs arbitrary objects and never
recurses, so hostile input cannot exhaust the stack. When libyaml finds a syntax error, the text
is parsed again with the pure parser and its report is used, so a syntax error reads the same on
every install.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from stigmacards import i18n
from stigmacards.deck._yamlcompat import PureEventLoader
from stigmacards.deck.analysis import Path_, Pos, make_problem
from stigmacards.deck.problems import Problem
from stigmacards.i18n import _
from stigmacards.text import shown

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


def c_loader_available() -> bool:
    return bool(getattr(yaml, "__with_libyaml__", False))


class _FatalError(Exception):
    """Stops building: the rest of the file cannot be read reliably."""


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
                make_problem(
                    self.path,
                    (problem.line, problem.column),
                    "SC012",
                    _("stopped reading after {n} problems").format(n=MAX_PROBLEMS),
                    hint=_("fix these first"),
                )
            )
            raise _FatalError

    def error(self, mark: Any, code: str, message: str, hint: str = "") -> None:
        self.report(make_problem(self.path, _pos(mark), code, message, hint=hint))

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
                        if event.end_mark.line != mark.line and not event.style:  # plain: None or ""
                            self._check_joined_items(mark, event.end_mark)
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
                        self.error(mark, "SC008", _("nesting deeper than {n} levels").format(n=MAX_DEPTH))
                        raise _FatalError
                    is_map = cls is _MAPPING_START
                    if stack:
                        parent = stack[-1]
                        if parent.is_map:
                            if parent.pending is _NO_KEY:
                                self.error(
                                    mark,
                                    "SC104",
                                    _("a key must be a plain value, not a list or mapping"),
                                    hint=_(
                                        "keys are words such as 'title'; put text that starts with [ or {{ in quotes"
                                    ).format(),
                                )
                                raise _FatalError
                            path = (*parent.path, parent.pending)
                        else:
                            if is_map and parent.flow and self._char_at(mark) == "?":
                                # libyaml and PyYAML's pure parser disagree on these; refuse both ways.
                                self.error(
                                    mark,
                                    "SC010",
                                    _("explicit '?' key inside a [ ] flow list"),
                                    hint=_("write the list as a block list, one '- ' item per line"),
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
                        _("alias '*{name}' is not allowed").format(name=shown(event.anchor)),
                        hint=_(
                            "decks may not use aliases: write the value out in full, "
                            "or put text that starts with * in quotes"
                        ),
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
                            _("a deck file holds one YAML document; found a second one"),
                            hint=_("remove the '---' line"),
                        )
                        raise _FatalError
        finally:
            loader.dispose()
        return root

    def _check_joined_items(self, start: Any, end: Any) -> None:
        """A '- ' line indented further than the item above continues that item's text: say so."""
        lines = self.text[start.index : end.index].splitlines()
        for offset, line in enumerate(lines[1:], start=1):
            if line.lstrip().startswith("- "):
                column = len(line) - len(line.lstrip())
                self.report(
                    make_problem(
                        self.path,
                        (start.line + 1 + offset, column + 1),
                        "SC004",
                        _(
                            "this '- ' line is indented further than the '- ' line above it, "
                            "so it is read as more text of that item, not as a new item"
                        ),
                        hint=_("line up the '- ' with the '- ' above it"),
                    )
                )
                return

    def _too_many(self, mark: Any) -> None:
        self.error(
            mark,
            "SC001",
            _("file holds more than {n} values; a deck is far smaller").format(n=i18n.number(MAX_VALUES)),
        )
        raise _FatalError

    def _check_anchor_and_tag(self, event: Any, allowed: set[str | None]) -> None:
        if event.anchor is not None:
            self.error(
                event.start_mark,
                "SC005",
                _("anchor '&{name}' is not allowed").format(name=shown(event.anchor)),
                hint=_(
                    "decks may not use anchors: remove '&{name}', or put text that starts with & in quotes"
                ).format(name=shown(event.anchor)),
            )
        if event.tag not in allowed:
            self.error(
                event.start_mark,
                "SC007",
                _("tag '{tag}' is not allowed").format(tag=shown(event.tag)),
                hint=_("remove the tag; decks use plain YAML values only"),
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
                    _("merge key '<<' is not allowed"),
                    hint=_("write the keys out in full"),
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
            self.error(
                event.start_mark,
                "SC104",
                _("'{value}' is not a valid {kind}").format(value=shown(value), kind=tag[len(_CORE) :]),
            )
            return value

    def _take_key(self, frame: _Frame, key: Any, pos: Pos) -> None:
        frame.pending_pos = pos
        if key is None:
            self.report(
                make_problem(self.path, pos, "SC104", _("empty key"), hint=_("write a key before the ':'"))
            )
            frame.pending = _SKIP
            return
        if key in frame.seen:
            first = frame.seen[key]
            self.report(
                make_problem(
                    self.path,
                    pos,
                    "SC009",
                    _("duplicate key '{key}' (first defined at line {line})").format(
                        key=shown(key), line=first[0]
                    ),
                    hint=_("YAML would silently keep only the last one; remove one"),
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


@dataclass(slots=True)
class Parsed:
    data: Any
    problems: list[Problem]
    positions: dict[Path_, Pos]
    key_positions: dict[Path_, Pos]


def parse(text: str, path: str, *, pure: bool) -> Parsed:
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
            again = parse(text, path, pure=True)
            if again.problems:
                return again
        from stigmacards.deck.syntax import syntax_problem  # only for a file with a syntax error

        builder.problems.append(syntax_problem(path, text, exc))
    except RecursionError:  # not expected (nothing recurses), but never a traceback
        pos = _pos(builder.last_mark) if builder.last_mark is not None else (1, 1)
        builder.problems.append(make_problem(path, pos, "SC008", _("nesting too deep")))
    return Parsed(data, builder.problems, builder.positions, builder.key_positions)
