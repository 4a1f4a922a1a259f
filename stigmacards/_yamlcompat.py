"""PyYAML's pure-Python parser, made to read plain text in flow context the way libyaml does.

The pure scanner ends an unquoted scalar inside `[ ]` or `{ }` at a '?', so
`{prompt: Hoe voel je je?, min: 1}` fails there but loads with libyaml. Decks must load the same
whichever parser is installed, so the fallback follows libyaml: '?' is ordinary text there.
"""

from __future__ import annotations

from typing import Any

from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner
from yaml.tokens import ScalarToken

_BREAKS = "\0 \t\r\n\x85\u2028\u2029"


class _LibyamlLikeScanner(Scanner):
    # Same as Scanner.scan_plain in PyYAML 6.0.x except for the flow-context stop set.
    def scan_plain(self) -> Any:
        s: Any = self  # PyYAML's mixins are untyped
        chunks: list[str] = []
        start_mark = s.get_mark()
        end_mark = start_mark
        indent = s.indent + 1
        spaces: list[str] = []
        while True:
            length = 0
            if s.peek() == "#":
                break
            while True:
                ch = s.peek(length)
                if (
                    ch in _BREAKS
                    or (ch == ":" and s.peek(length + 1) in _BREAKS + (",[]{}" if s.flow_level else ""))
                    or (s.flow_level and ch in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            s.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(s.prefix(length))
            s.forward(length)
            end_mark = s.get_mark()
            spaces = s.scan_plain_spaces(indent, start_mark)
            if not spaces or s.peek() == "#" or (not s.flow_level and s.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)


class PureSafeLoader(Reader, _LibyamlLikeScanner, Parser, Composer, SafeConstructor, Resolver):
    """yaml.SafeLoader with libyaml's reading of '?' in flow context."""

    def __init__(self, stream: Any) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
