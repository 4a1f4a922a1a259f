"""Text → Deck, safely, with a position for every problem.

Decks travel between organisations, so a deck file is untrusted input. The loader reads the
YAML *event* stream (libyaml's C parser when present, else PyYAML's pure one) and builds plain
Python values itself, iteratively. That lets it reject, with the exact line and column, what a
plain `yaml.safe_load` would accept or choke on: anchors and aliases (alias bombs), merge keys,
unknown tags, deep nesting, duplicate keys. It never constructs arbitrary objects and never
recurses, so hostile input cannot exhaust the stack.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ._yamlcompat import PureSafeLoader
from .diagnostics import Problem, Severity
from .errors import DeckError, UsageError
from .model import (
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

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
EXTENSION_PREFIX = "x-"

_CORE = "tag:yaml.org,2002:"
_CONTAINER_TAGS: set[str | None] = {None, "!", _CORE + "seq", _CORE + "map"}
_SCALAR_TAGS: set[str | None] = {None, "!"} | {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value")
}

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


def read_source(path: Path) -> bytes:
    """Read a deck file's bytes, refusing files that are too large before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DeckError(
                f"{path}:0:0: error SC001 file is {size:,} bytes; "
                f"decks may be at most {MAX_BYTES // (1024 * 1024)} MiB"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a deck file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None
    return data


def _line_col(text: str, index: int) -> Pos:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text; invalid UTF-8, NUL bytes and oversize files are problems with positions."""
    if len(data) > MAX_BYTES:
        return None, [_problem(path, (0, 0), "SC001", "file is larger than 16 MiB")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        return None, [
            _problem(
                path,
                _line_col(good, len(good)),
                "SC002",
                f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
                hint="save the file as UTF-8",
            )
        ]
    nul = text.find("\x00")
    if nul >= 0:
        return None, [_problem(path, _line_col(text, nul), "SC003", "NUL byte in file")]
    return text, []


def _problem(
    path: str,
    pos: Pos,
    code: str,
    message: str,
    *,
    hint: str = "",
    severity: Severity = Severity.ERROR,
) -> Problem:
    return Problem(path, pos[0], pos[1], severity, code, message, hint)


# --- Events → plain values -------------------------------------------------------------------


@dataclass(slots=True)
class _Frame:
    path: Path_
    value: Any  # list or dict
    flow: bool
    pending: Any = None
    has_pending: bool = False
    pending_pos: Pos = (0, 0)
    free: bool = False  # a mapping whose keys are data (ids, languages), not field names
    seen: dict[Any, Pos] = field(default_factory=dict)


def _is_free_mapping(path: Path_) -> bool:
    if path == ("translations",):
        return True
    if len(path) == 3 and path[0] == "translations" and path[2] in ("cards", "reflection"):
        return True
    return bool(path) and path[-1] == "labels"


class _Builder:
    def __init__(self, text: str, path: str, *, pure: bool) -> None:
        self.text = text
        self.path = path
        self.loader: Any = PureSafeLoader if pure or not c_loader_available() else yaml.CSafeLoader
        self.problems: list[Problem] = []
        self.positions: dict[Path_, Pos] = {}
        self.key_positions: dict[Path_, Pos] = {}
        self.resolver: Any = yaml.resolver.Resolver()
        self.constructor: Any = yaml.constructor.SafeConstructor()
        self._lines: list[str] | None = None

    def error(self, mark: Any, code: str, message: str, hint: str = "") -> None:
        self.problems.append(_problem(self.path, _pos(mark), code, message, hint=hint))

    def _char_at(self, mark: Any) -> str:
        if self._lines is None:
            self._lines = self.text.split("\n")
        try:
            return str(self._lines[mark.line][mark.column])
        except IndexError:
            return ""

    def build(self) -> Any:
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        events: Iterator[yaml.Event] = yaml.parse(self.text, Loader=self.loader)
        for event in events:
            if isinstance(event, yaml.ScalarEvent):
                self._check_anchor_and_tag(event, _SCALAR_TAGS)
                value = self._scalar(event)
                if stack:
                    self._add(stack[-1], value, event.start_mark, scalar=True)
                else:
                    root = value
                    self.positions[()] = _pos(event.start_mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._check_anchor_and_tag(event, _CONTAINER_TAGS)
                if len(stack) >= MAX_DEPTH:
                    self.error(
                        event.start_mark,
                        "SC008",
                        f"nesting deeper than {MAX_DEPTH} levels",
                    )
                    raise _FatalError
                mapping = isinstance(event, yaml.MappingStartEvent)
                parent = stack[-1] if stack else None
                if (
                    mapping
                    and parent is not None
                    and parent.flow
                    and isinstance(parent.value, list)
                    and self._char_at(event.start_mark) == "?"
                ):
                    # libyaml and PyYAML's pure parser disagree on these; refuse both ways.
                    self.error(
                        event.start_mark,
                        "SC010",
                        "explicit '?' key inside a [ ] flow list",
                        hint="write the list as a block list, one '- ' item per line",
                    )
                    raise _FatalError
                path = self._child_path(parent, event.start_mark) if parent else ()
                self.positions[path] = _pos(event.start_mark)
                frame = _Frame(
                    path=path,
                    value={} if mapping else [],
                    flow=bool(event.flow_style),
                    free=mapping and _is_free_mapping(path),
                )
                stack.append(frame)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if stack:
                    self._attach(stack[-1], frame)
                else:
                    root = frame.value
            elif isinstance(event, yaml.AliasEvent):
                self.error(
                    event.start_mark,
                    "SC005",
                    f"alias '*{event.anchor}' is not allowed",
                    hint="write the value out in full; decks may not use anchors or aliases",
                )
                if stack:
                    self._add(stack[-1], None, event.start_mark, scalar=True)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.error(
                        event.start_mark,
                        "SC004",
                        "a deck file holds one YAML document; found a second one",
                        hint="remove the '---' line",
                    )
                    raise _FatalError
        return root

    def _check_anchor_and_tag(self, event: Any, allowed: set[str | None]) -> None:
        if event.anchor is not None:
            self.error(
                event.start_mark,
                "SC005",
                f"anchor '&{event.anchor}' is not allowed",
                hint="write values out in full; decks may not use anchors or aliases",
            )
        if event.tag not in allowed:
            self.error(
                event.start_mark,
                "SC007",
                f"tag '{event.tag}' is not allowed",
                hint="remove the tag; decks use plain YAML values only",
            )

    def _child_path(self, parent: _Frame, mark: Any) -> Path_:
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        if not parent.has_pending:
            self.error(mark, "SC104", "a key must be a plain value, not a list or mapping")
            raise _FatalError
        return (*parent.path, parent.pending)

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        value = event.value
        if tag is None or tag == "!":
            implicit = event.implicit if tag is None else (False, True)
            tag = self.resolver.resolve(yaml.ScalarNode, value, implicit)
        if tag == _CORE + "str" or (tag not in _SCALAR_TAGS and tag != _CORE + "merge"):
            return value
        if tag == _CORE + "merge":
            self.error(
                event.start_mark,
                "SC006",
                "merge key '<<' is not allowed",
                hint="write the keys out in full",
            )
            return value
        if tag in (_CORE + "timestamp", _CORE + "value"):
            return value  # decks have no dates: keep what the author wrote
        node = yaml.ScalarNode(tag, value)
        try:
            if tag == _CORE + "int":
                return self.constructor.construct_yaml_int(node)
            if tag == _CORE + "float":
                return self.constructor.construct_yaml_float(node)
            if tag == _CORE + "bool":
                return self.constructor.construct_yaml_bool(node)
            return None
        except (ValueError, KeyError, yaml.YAMLError):
            self.error(event.start_mark, "SC104", f"'{value}' is not a valid {tag[len(_CORE) :]}")
            return value

    def _add(self, frame: _Frame, value: Any, mark: Any, *, scalar: bool) -> None:
        pos = _pos(mark)
        if isinstance(frame.value, list):
            self.positions[(*frame.path, len(frame.value))] = pos
            frame.value.append(value)
            return
        if not frame.has_pending:
            self._take_key(frame, value, pos)
            return
        key = frame.pending
        frame.has_pending = False
        if key is _SKIP:
            return
        path = (*frame.path, key)
        self.positions[path] = pos
        self.key_positions[path] = frame.pending_pos
        frame.value[key] = value

    def _take_key(self, frame: _Frame, key: Any, pos: Pos) -> None:
        frame.has_pending = True
        frame.pending_pos = pos
        if key is None or isinstance(key, (list, dict)):
            frame.pending = _SKIP
            return
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            key = str(key)
        if key in frame.seen:
            first = frame.seen[key]
            self.problems.append(
                _problem(
                    self.path,
                    pos,
                    "SC009",
                    f"duplicate key '{key}' (first defined at line {first[0]})",
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

    def _attach(self, parent: _Frame, child: _Frame) -> None:
        if isinstance(parent.value, list):
            parent.value.append(child.value)
            return
        key = parent.pending
        parent.has_pending = False
        if key is _SKIP:
            return
        self.key_positions[child.path] = parent.pending_pos
        parent.value[key] = child.value


_SKIP: Any = object()


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


# --- Public entry points ---------------------------------------------------------------------


def analyse_text(text: str, path: str = "<deck>", *, pure: bool = False) -> Analysis:
    """Parse and validate deck text; never raises for bad content, returns the problems."""
    builder = _Builder(text, path, pure=pure)
    data: Any = None
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the node tree is acyclic; collecting while it grows costs ~3x (see benchmarks)
    try:
        data = builder.build()
    except _FatalError:
        data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(mark) if mark is not None else (0, 0)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        builder.problems.append(_problem(path, pos, "SC004", message or "YAML syntax error"))
        data = None
    except yaml.YAMLError as exc:
        builder.problems.append(_problem(path, (0, 0), "SC004", str(exc).splitlines()[0]))
        data = None
    except RecursionError:
        builder.problems.append(_problem(path, (0, 0), "SC008", "nesting too deep"))
        data = None
    finally:
        if gc_was_enabled:
            gc.enable()
    analysis = Analysis(
        path=path,
        deck=None,
        problems=builder.problems,
        data=data,
        positions=builder.positions,
        key_positions=builder.key_positions,
    )
    if builder.problems:
        analysis.problems.sort(key=Problem.sort_key)
        return analysis
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {_kind(data)}"
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
    shown = display or str(path)
    try:
        data = read_source(path)
    except DeckError as exc:
        return Analysis(
            path=shown,
            deck=None,
            problems=[_problem(shown, (0, 0), "SC001", str(exc).split(" SC001 ", 1)[-1])],
        )
    return analyse_bytes(data, shown, pure=pure)


def load_deck(path: Path, *, display: str | None = None) -> Deck:
    """Load a valid deck or raise DeckError naming the first problem (all are in `.problems`)."""
    analysis = analyse_file(path, display=display)
    return deck_or_raise(analysis)


def load_deck_text(text: str, path: str = "<deck>") -> Deck:
    return deck_or_raise(analyse_text(text, path))


def deck_or_raise(analysis: Analysis) -> Deck:
    errors = analysis.errors
    if errors or analysis.deck is None:
        first = errors[0].format() if errors else f"{analysis.path}: not a valid deck"
        more = f" (and {len(errors) - 1} more; run 'stigmacards deck validate')" if len(errors) > 1 else ""
        raise DeckError(first + more, tuple(errors))
    return analysis.deck


# --- Validation: pydantic for structure, then whole-deck checks ------------------------------


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
    try:
        analysis.deck = Deck.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if not _is_cascade(data, err):
                analysis.problems.append(_convert(analysis, data, err))
    _whole_deck_checks(analysis, data)
    if analysis.errors:
        analysis.deck = None


def _is_cascade(data: Any, err: Any) -> bool:
    """pydantic repeats an item's error as a length error on its list; keep only the first."""
    if err["type"] not in ("too_short", "too_long"):
        return False
    raw = _get(data, tuple(p for p in err["loc"] if p not in ("scale", "choice", "text")))
    if not isinstance(raw, list):
        return False
    ctx = err.get("ctx", {})
    return bool(ctx.get("min_length", 0) <= len(raw) <= ctx.get("max_length", len(raw)))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false value"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "empty value"


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
    """Map a pydantic location onto a data path, dropping union tags and '[key]' markers."""
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


def _describe(data: Any, path: Path_) -> str:
    from .explain import describe  # the wording of messages lives in explain.py

    return describe(data, path)


def _field_names(data: Any, path: Path_) -> list[str]:
    """The keys allowed in the mapping at `path`, for 'did you mean' hints."""
    models: list[type[Any]]
    if path == ():
        models = [Deck]
    elif len(path) == 2 and path[0] == "cards":
        models = [Card]
    elif len(path) == 2 and path[0] == "reflection":
        models = [ScalePrompt, ChoicePrompt, TextPrompt]
    elif len(path) == 2 and path[0] == "translations":
        models = [DeckTranslation]
    elif len(path) == 4 and path[0] == "translations" and path[2] == "cards":
        models = [CardTranslation]
    elif len(path) == 4 and path[0] == "translations" and path[2] == "reflection":
        models = [PromptTranslation]
    else:
        return []
    names: list[str] = []
    for model in models:
        names.extend(n for n in model.model_fields if n not in names)
    return names


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _convert(analysis: Analysis, data: Any, err: Any) -> Problem:
    from .explain import convert  # the wording of messages lives in explain.py

    return convert(analysis, data, err)


def _article(word: str) -> str:
    if word.startswith(("empty", "true")):
        return "an " + word if word[0] in "aeiou" else "a " + word
    return ("an " if word[0] in "aeiou" else "a ") + word


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
                        f"duplicate card id '{cid}' (first used at line {card_ids[cid][0]})",
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
                            f"duplicate reflection prompt id '{pid}'",
                        )
                    )
                else:
                    prompts[pid] = prompt
            if prompt.get("kind") == "scale":
                _check_scale(analysis, prompt, ("reflection", i))
    translations = data.get("translations")
    if not isinstance(translations, dict):
        return
    for lang, tr in translations.items():
        if not isinstance(tr, dict):
            continue
        tcards = tr.get("cards")
        if isinstance(tcards, dict):
            for cid in tcards:
                if cid not in card_ids and isinstance(cards, list):
                    close = difflib.get_close_matches(str(cid), list(card_ids), n=1)
                    add(
                        _problem(
                            path_,
                            analysis.locate_key(("translations", lang, "cards", cid)),
                            "SC107",
                            f"translation '{lang}' names card '{cid}', which the deck does not have",
                            hint=f"did you mean '{close[0]}'?" if close else "",
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
                            f"translation '{lang}' names reflection prompt '{pid}', which the deck does not have",
                        )
                    )
                    continue
                original = prompts[pid]
                if isinstance(pt, dict) and isinstance(pt.get("options"), list):
                    want = original.get("options")
                    if isinstance(want, list) and len(pt["options"]) != len(want):
                        add(
                            _problem(
                                path_,
                                analysis.locate(("translations", lang, "reflection", pid, "options")),
                                "SC105",
                                f"translation '{lang}' of reflection prompt '{pid}' has "
                                f"{len(pt['options'])} options, the original has {len(want)}",
                            )
                        )


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
                f"reflection prompt '{prompt.get('id')}': scale needs min < max and at most 11 steps (got {lo}..{hi})",
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
                        f"reflection prompt '{prompt.get('id')}': label {key} is outside the scale {lo}..{hi}",
                    )
                )
