"""PyYAML's pure-Python parser, made to read the places where it differs from libyaml like libyaml.

Decks must load the same whichever parser is installed, so the fallback follows libyaml:

* The pure scanner ends an unquoted scalar inside `[ ]` or `{ }` at a '?', so
  `{prompt: Hoe voel je je?, min: 1}` fails there but loads with libyaml: '?' is ordinary text.
* An escape such as `"\\U0011ffff"` or `"\\ud800"` names no character: libyaml reports it, the
  pure scanner crashes (ValueError, OverflowError) or yields a lone surrogate.
* A tab after a value on the same line (`title: Kaart<TAB>`) or inside `[ ]` separates tokens
  in libyaml; the pure scanner stops with "found character '\\t' that cannot start any token".
* Tabs between the words of a plain scalar are text to libyaml; the pure scanner ends the
  scalar there.
* A tab may end a tag, and `!x?!` is a tag to libyaml rather than an error.
* Block scalars (`|`, `>`): a tab or a comment may follow the indicators, a tab may not
  indent the text.
* An unknown directive (`%FOO`) is an error to libyaml and ignored by the pure scanner.

Only the scanner differs; the loader reads events (`PureEventLoader`), never nodes.
"""

from __future__ import annotations

from typing import Any

from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner, ScannerError
from yaml.tokens import DirectiveToken, ScalarToken, TagToken

_BREAKS = "\0 \t\r\n\x85\u2028\u2029"
_HEX = "0123456789ABCDEFabcdef"
_WORD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")


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

    # Same as Scanner.scan_plain_spaces in PyYAML 6.0.x, except that tabs are blanks inside a
    # plain scalar, as in libyaml (`Vraag:<TAB>wat?` is one value), but never indentation.
    def scan_plain_spaces(self, indent: int, start_mark: Any) -> Any:
        s: Any = self
        chunks: list[str] = []
        length = 0
        while s.peek(length) in " \t":
            length += 1
        whitespaces = s.prefix(length)
        s.forward(length)
        ch = s.peek()
        if ch in "\r\n\x85\u2028\u2029":
            line_break = s.scan_line_break()
            s.allow_simple_key = True
            if s.prefix(3) in ("---", "...") and s.peek(3) in _BREAKS:
                return None
            breaks: list[str] = []
            while s.peek() in " \t\r\n\x85\u2028\u2029":
                if s.peek() == " ":
                    s.forward()
                elif s.peek() == "\t":
                    if s.column < indent:
                        raise ScannerError(
                            "while scanning a plain scalar",
                            start_mark,
                            "found a tab character that violates indentation",
                            s.get_mark(),
                        )
                    s.forward()
                else:
                    breaks.append(s.scan_line_break())
                    if s.prefix(3) in ("---", "...") and s.peek(3) in _BREAKS:
                        return None
            if line_break != "\n":
                chunks.append(line_break)
            elif not breaks:
                chunks.append(" ")
            chunks.extend(breaks)
        elif whitespaces:
            chunks.append(whitespaces)
        return chunks

    # Same as Scanner.scan_flow_scalar_non_spaces in PyYAML 6.0.x, except that escapes naming
    # no Unicode scalar value are errors, as in libyaml.
    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: Any) -> Any:
        s: Any = self
        chunks: list[str] = []
        while True:
            length = 0
            while s.peek(length) not in "'\"\\\0 \t\r\n\x85\u2028\u2029":
                length += 1
            if length:
                chunks.append(s.prefix(length))
                s.forward(length)
            ch = s.peek()
            if not double and ch == "'" and s.peek(1) == "'":
                chunks.append("'")
                s.forward(2)
            elif (double and ch == "'") or (not double and ch in '"\\'):
                chunks.append(ch)
                s.forward()
            elif double and ch == "\\":
                s.forward()
                ch = s.peek()
                if ch in s.ESCAPE_REPLACEMENTS:
                    chunks.append(s.ESCAPE_REPLACEMENTS[ch])
                    s.forward()
                elif ch in s.ESCAPE_CODES:
                    length = s.ESCAPE_CODES[ch]
                    s.forward()
                    for k in range(length):
                        if s.peek(k) not in _HEX:
                            raise ScannerError(
                                "while scanning a double-quoted scalar",
                                start_mark,
                                f"expected escape sequence of {length} hexadecimal numbers, but found {s.peek(k)!r}",
                                s.get_mark(),
                            )
                    code = int(s.prefix(length), 16)
                    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                        raise ScannerError(
                            "while scanning a double-quoted scalar",
                            start_mark,
                            "found invalid Unicode character escape code",
                            s.get_mark(),
                        )
                    chunks.append(chr(code))
                    s.forward(length)
                elif ch in "\r\n\x85\u2028\u2029":
                    s.scan_line_break()
                    chunks.extend(s.scan_flow_scalar_breaks(double, start_mark))
                else:
                    raise ScannerError(
                        "while scanning a double-quoted scalar",
                        start_mark,
                        f"found unknown escape character {ch!r}",
                        s.get_mark(),
                    )
            else:
                return chunks

    # Same as Scanner.scan_to_next_token in PyYAML 6.0.x, except that tabs separate tokens
    # where libyaml allows them: in flow context, and in block context after a value on the
    # same line (`title: Kaart<TAB>`), though never as indentation.
    def scan_to_next_token(self) -> Any:
        s: Any = self
        if s.index == 0 and s.peek() == "\ufeff":
            s.forward()
        found = False
        while not found:
            while s.peek() == " " or (s.peek() == "\t" and (s.flow_level or not s.allow_simple_key)):
                s.forward()
            if s.peek() == "#":
                while s.peek() not in "\0\r\n\x85\u2028\u2029":
                    s.forward()
            if s.scan_line_break():
                if not s.flow_level:
                    s.allow_simple_key = True
            else:
                found = True

    # Same as Scanner.scan_tag in PyYAML 6.0.x, except that a tab may end a tag and that
    # `!x?!` is the tag '!' with suffix 'x?!' rather than an error, as in libyaml. (Every tag
    # but the core ones is refused later anyway; what matters is where and how.)
    def scan_tag(self) -> Any:
        s: Any = self
        start_mark = s.get_mark()
        ch = s.peek(1)
        if ch == "<":
            s.forward(2)
            handle = None
            suffix = s.scan_tag_uri("tag", start_mark)
            if s.peek() != ">":
                raise ScannerError(
                    "while parsing a tag", start_mark, f"expected '>', but found {s.peek()!r}", s.get_mark()
                )
            s.forward()
        elif ch in _BREAKS:
            handle = None
            suffix = "!"
            s.forward()
        else:
            length = 1
            while s.peek(length) in _WORD:
                length += 1
            if s.peek(length) == "!":  # '!!' or '!word!': a handle
                handle = s.scan_tag_handle("tag", start_mark)
            else:
                handle = "!"
                s.forward()
            suffix = s.scan_tag_uri("tag", start_mark)
        if s.peek() not in _BREAKS:
            raise ScannerError(
                "while scanning a tag", start_mark, f"expected ' ', but found {s.peek()!r}", s.get_mark()
            )
        return TagToken((handle, suffix), start_mark, s.get_mark())

    # Block scalars (`|`, `>`): libyaml allows tabs and a comment right after the indicators,
    # and refuses a tab where indentation is expected (the pure scanner makes it text).
    def scan_block_scalar(self, style: Any) -> Any:
        s: Any = self
        s.block_start_mark = s.get_mark()
        return super().scan_block_scalar(style)

    def scan_block_scalar_indicators(self, start_mark: Any) -> Any:
        s: Any = self
        chomping: bool | None = None
        increment: int | None = None
        for _ in range(2):
            ch = s.peek()
            if ch in "+-" and chomping is None:
                chomping = ch == "+"
                s.forward()
            elif ch in "0123456789" and increment is None:
                if ch == "0":
                    raise ScannerError(
                        "while scanning a block scalar",
                        start_mark,
                        "expected indentation indicator in the range 1-9, but found 0",
                        s.get_mark(),
                    )
                increment = int(ch)
                s.forward()
        return chomping, increment

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> Any:
        s: Any = self
        while s.peek() in " \t":
            s.forward()
        if s.peek() == "#":
            while s.peek() not in "\0\r\n\x85\u2028\u2029":
                s.forward()
        ch = s.peek()
        if ch not in "\0\r\n\x85\u2028\u2029":
            raise ScannerError(
                "while scanning a block scalar",
                start_mark,
                f"expected a comment or a line break, but found {ch!r}",
                s.get_mark(),
            )
        s.scan_line_break()

    def _tab_in_indentation(self) -> ScannerError:
        s: Any = self
        return ScannerError(
            "while scanning a block scalar",
            getattr(s, "block_start_mark", None),
            "found a tab character where an indentation space is expected",
            s.get_mark(),
        )

    def scan_block_scalar_indentation(self) -> Any:
        s: Any = self
        chunks: list[str] = []
        max_indent = 0
        end_mark = s.get_mark()
        while s.peek() in " \r\n\x85\u2028\u2029\t":
            if s.peek() == "\t":
                raise self._tab_in_indentation()
            if s.peek() != " ":
                chunks.append(s.scan_line_break())
                end_mark = s.get_mark()
            else:
                s.forward()
                max_indent = max(max_indent, s.column)
        return chunks, max_indent, end_mark

    def scan_block_scalar_breaks(self, indent: int) -> Any:
        s: Any = self
        chunks: list[str] = []
        end_mark = s.get_mark()
        while True:
            while s.column < indent and s.peek() == " ":
                s.forward()
            if s.column < indent and s.peek() == "\t":
                raise self._tab_in_indentation()
            if s.peek() not in "\r\n\x85\u2028\u2029":
                return chunks, end_mark
            chunks.append(s.scan_line_break())
            end_mark = s.get_mark()

    def scan_directive(self) -> Any:
        s: Any = self
        start_mark = s.get_mark()
        s.forward()
        name = s.scan_directive_name(start_mark)
        if name == "YAML":
            value = s.scan_yaml_directive_value(start_mark)
        elif name == "TAG":
            value = s.scan_tag_directive_value(start_mark)
        else:
            raise ScannerError(
                "while scanning a directive", start_mark, "found unknown directive name", s.get_mark()
            )
        end_mark = s.get_mark()
        s.scan_directive_ignored_line(start_mark)
        return DirectiveToken(name, value, start_mark, end_mark)


class PureEventLoader(Reader, _LibyamlLikeScanner, Parser):
    """Reads YAML events (no nodes, no objects) with libyaml's reading of the cases above."""

    def __init__(self, stream: Any) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)

    def dispose(self) -> None:
        self.states: list[Any] = []
        self.state: Any = None
