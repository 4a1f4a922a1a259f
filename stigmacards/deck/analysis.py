"""What the loader learnt about one deck file, and the paths and positions its problems use.

`loading` fills an Analysis; `explain`, `consistency` and `lint` read it. The helpers here map a
place in the deck data (a path such as `("cards", 2, "questions", 0)`) to a line and column, and
to the keys the format allows there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stigmacards.deck.model import (
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
from stigmacards.text import QUOTE_LIMIT, inert, shown

Path_ = tuple[str | int, ...]
Pos = tuple[int, int]


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


def make_problem(
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
    return Problem(path, pos[0], pos[1], severity, code, tidy(message), tidy(hint))


# A value quoted in a message: an opening quote after a space or '(' (not an apostrophe
# inside a word), a closing one before a space or punctuation.
_QUOTED_RUN = re.compile(r"(?:^|(?<=[\s(]))'([^']{" + str(QUOTE_LIMIT + 1) + r",})'(?=$|[\s),.;:?!])")


def tidy(message: str) -> str:
    if len(message) > QUOTE_LIMIT:
        message = _QUOTED_RUN.sub(lambda m: "'" + shown(m.group(1)) + "'", message)
    if len(message) > 1000:
        message = message[:999] + "…"
    return inert(message, single_line=True)


def value_at(data: Any, path: Path_) -> Any:
    """The value at `path` in plain deck data, or None when there is none."""
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def resolve_loc(data: Any, loc: tuple[Any, ...]) -> Path_:
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


def models_at(path: Path_) -> list[type[Any]]:
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


def allowed_keys(path: Path_) -> list[str]:
    """The keys allowed in the mapping at `path`, for 'did you mean' hints."""
    from stigmacards.deck.validation import field_names

    names: list[str] = []
    for model in models_at(path):
        names.extend(n for n in field_names(model) if n not in names)
    return names


def is_required(path: Path_) -> bool:
    """True when the key at `path` must be there (deck: id, title …; card: id, questions)."""
    if not path or not isinstance(path[-1], str):
        return False
    import msgspec.structs

    return any(
        f.name == path[-1] and f.required for m in models_at(path[:-1]) for f in msgspec.structs.fields(m)
    )
