"""Bytes → text: read a deck file safely (regular files only, bounded) and decode it as UTF-8.

The characters on which libyaml and PyYAML's pure parser disagree are refused here, before
parsing, each with its line and column.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path

from stigmacards import i18n
from stigmacards.deck.analysis import Pos, make_problem
from stigmacards.deck.problems import Problem
from stigmacards.errors import UsageError
from stigmacards.i18n import _

MAX_BYTES = 16 * 1024 * 1024
_MAX_CHARACTER_PROBLEMS = 10

# Characters YAML forbids (both parsers refuse them, in different words and places), plus
# the ones they read differently: NEL, LINE/PARAGRAPH SEPARATOR (line breaks to YAML 1.1,
# not to editors) and a byte order mark after the start (libyaml skips it, PyYAML keeps it).
# Spelled as the forbidden characters, not as the complement of the allowed ones: the same set
# (checked over every code point), but 0.3 ms to compile instead of 3 ms, at every start-up.
_BAD_CHARACTER = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"


@functools.cache
def _bad_character() -> re.Pattern[str]:
    return re.compile(_BAD_CHARACTER)  # only when a file is read


class TooLargeError(Exception):
    """A file is larger than the limit it is read with; `size` is what it holds."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


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


def too_large_message(size: int) -> str:
    return _("file is {size} bytes; decks may be at most {limit} MiB").format(
        size=i18n.number(size), limit=MAX_BYTES // (1024 * 1024)
    )


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
        return None, [make_problem(path, (0, 0), "SC001", too_large_message(len(data)))]
    for bom, name in _OTHER_ENCODINGS:
        if data.startswith(bom):
            return None, [
                make_problem(
                    path,
                    (1, 1),
                    "SC002",
                    _("file is {encoding}, not UTF-8").format(encoding=name),
                    hint=_("save the file as UTF-8"),
                )
            ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        message, hint = _not_utf8(data, exc.start)
        return None, [make_problem(path, _line_col(good, len(good)), "SC002", message, hint=hint)]
    return text, []


def _not_utf8(data: bytes, start: int) -> tuple[str, str]:
    """Message and hint for a file that is not UTF-8: the encoding it probably is, and the letter."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined: not a text in a known encoding
        return (
            _("this file is not saved as UTF-8, and the character here cannot be read"),
            _("save the file as UTF-8: in most editors, Save as and choose the encoding UTF-8"),
        )
    letter = data[start : start + 1].decode("cp1252")
    return (
        _("this file looks saved as Windows-1252 (Latin-1), not UTF-8: {letter} here cannot be read").format(
            letter=f"'{letter}'" if letter.isprintable() else f"U+{ord(letter):04X}"
        ),
        _("save the file as UTF-8: in most editors, Save as and choose the encoding UTF-8"),
    )


def character_problems(text: str, path: str) -> list[Problem]:
    """NUL bytes, control characters and other characters the two parsers read differently."""
    problems: list[Problem] = []
    for match in _bad_character().finditer(text):
        char = match.group()
        pos = _line_col(text, match.start())
        code, hint = f"U+{ord(char):04X}", ""
        if char == "\x00":
            message = _("NUL byte in file")
        elif char == "\ufeff":
            message = _("byte order mark (U+FEFF) after the start of the file")
            hint = _("remove it; most editors do not show it")
        elif char in "\x85\u2028\u2029":
            message = _("unusual line break {code}").format(code=code)
            hint = _("use a normal line break")
        else:
            message = _("control character {code} in file").format(code=code)
            hint = _("remove it; YAML does not allow control characters")
        problems.append(make_problem(path, pos, "SC003", message, hint=hint))
        if len(problems) >= _MAX_CHARACTER_PROBLEMS:
            return problems
    return problems
