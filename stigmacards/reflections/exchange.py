"""Exports that leave the machine (CSV, JSON), reading them back for `session merge`, atomic writes.

An export holds only protected rows (see anonymity.protect) in a fresh random order. Each
row keeps its random id so that importing the same file twice adds nothing. CSV cells that
a spreadsheet would run as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from stigmacards.errors import UsageError
from stigmacards.i18n import _
from stigmacards.reflections.anonymity import ProtectedRow
from stigmacards.reflections.formats import ExportFormat
from stigmacards.reflections.store import MAX_TEXT, StoredReflection
from stigmacards.text import formula_guard, formula_unguard, well_formed

FORMAT_NAME = "stigmacards-reflections"
FORMAT_VERSION = 1
# A facilitator-to-facilitator transfer: every answer, nothing withheld, for `session merge` on
# one laptop, so that two small rooms merged show what one room of their size would. Not a report.
TRANSFER_FORMAT = "stigmacards-transfer"
TRANSFER_NOTICE = (
    "Not a report: every answer of the session, nothing withheld, for stigmacards session merge on "
    "another facilitator's laptop only. Do not open it, share it or keep it: delete it after merging."
)
MAX_IMPORT_BYTES = 64 * 1024 * 1024
CSV_COLUMNS = (
    "id",
    "deck_id",
    "deck_hash",
    "language",
    "day",
    "group_size",
    "prompt_id",
    "card_id",
    "value_type",
    "value",
)
_ID = re.compile(r"[0-9a-f]{32}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HASH = re.compile(r"[0-9a-f]{1,64}")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
MAX_NUMBER = 10**9
_NUMBER = re.compile(r"-?[0-9]{1,10}")  # ASCII digits only: int() also takes "²", "１２", "1_0", " 7 "


class _TooLongError(ValueError):
    """A JSON number with more digits than any value or group size can have."""


def _json_int(digits: str) -> int:
    if len(digits) > 12:  # checked before int(): 5,000 digits would take Python's own limit
        raise _TooLongError(digits[:12])
    return int(digits)


@dataclass(frozen=True, slots=True)
class ExportHeader:
    """What an export says about its session; no session id, no names, no times."""

    deck_id: str
    deck_hash: str
    language: str
    day: str
    group_size: int | None


@dataclass(frozen=True, slots=True)
class ExportFile:
    header: ExportHeader
    rows: tuple[StoredReflection, ...]
    transfer: bool = False  # every answer, nothing withheld (TRANSFER_FORMAT)


def transfer_bytes(header: ExportHeader, rows: Sequence[ProtectedRow]) -> bytes:
    """A transfer file: every stored answer (shuffled by the caller), marked as not a report."""
    return _json_bytes(header, rows, {"format": TRANSFER_FORMAT, "notice": TRANSFER_NOTICE})


def export_bytes(header: ExportHeader, rows: Sequence[ProtectedRow], fmt: ExportFormat, *, k: int) -> bytes:
    """The export file's content; `rows` must already be protected and shuffled."""
    if fmt is ExportFormat.json:
        return _json_bytes(header, rows, {"format": FORMAT_NAME, "min_group": k})
    return _csv_bytes(header, rows)


def _json_bytes(header: ExportHeader, rows: Sequence[ProtectedRow], head: dict[str, object]) -> bytes:
    # Compact: the C encoder is three times faster than an indented dump at 100,000 rows.
    document = {
        "format": head["format"],
        "version": FORMAT_VERSION,
        **{key: value for key, value in head.items() if key != "format"},
        "session": {
            "deck_id": header.deck_id,
            "deck_hash": header.deck_hash,
            "language": header.language,
            "day": header.day,
            "group_size": header.group_size,
        },
        "reflections": [
            {"id": r.id, "prompt_id": r.prompt_id, "card_id": r.card_id, "value": r.value} for r in rows
        ],
    }
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _csv_bytes(header: ExportHeader, rows: Sequence[ProtectedRow]) -> bytes:
    # Written by hand rather than with csv.writer: three times faster at 100,000 rows, and the
    # same bytes (QUOTE_MINIMAL, CRLF); tests read every export back with the csv module.
    fixed = ",".join(
        _csv_field(c)
        for c in (
            header.deck_id,
            header.deck_hash,
            header.language,
            header.day,
            "" if header.group_size is None else str(header.group_size),
        )
    )
    prefixes: dict[tuple[str, str | None], str] = {}
    lines = [",".join(CSV_COLUMNS) + "\r\n"]
    append = lines.append
    for r in rows:
        prefix = prefixes.get((r.prompt_id, r.card_id))
        if prefix is None:
            prefix = f"{fixed},{_csv_field(r.prompt_id)},{_csv_field(r.card_id or '')}"
            prefixes[(r.prompt_id, r.card_id)] = prefix
        value = r.value
        if value is None:
            append(f"{_csv_field(r.id)},{prefix},withheld,\r\n")
        elif isinstance(value, int):
            append(f"{_csv_field(r.id)},{prefix},number,{_csv_field(str(value))}\r\n")
        else:
            append(f"{_csv_field(r.id)},{prefix},text,{_csv_field(value)}\r\n")
    # A byte-order mark so that spreadsheet programs read the text as UTF-8.
    return "".join(lines).encode("utf-8-sig")


def _csv_field(text: str) -> str:
    """One CSV field: formula-safe, quoted when it holds a comma, quote or line break."""
    text = formula_guard(text)
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def read_export(path: Path) -> ExportFile:
    """Read and check an export file; UsageError names the file and what is wrong."""
    from stigmacards.deck.loading import TooLargeError, read_regular_file

    try:
        data = read_regular_file(path, limit=MAX_IMPORT_BYTES)  # not /dev/zero or a FIFO
    except TooLargeError as exc:
        raise UsageError(
            _("{path}: too large for an export ({size} bytes)").format(path=path, size=exc.size)
        ) from None
    return parse_export(data, name=str(path))


def parse_export(data: bytes, *, name: str) -> ExportFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(_("{path}: not UTF-8 text").format(path=name)) from None
    parsed = _parse_json(text, name) if text.lstrip().startswith("{") else _parse_csv(text, name)
    _require_within_group(parsed, name)
    return parsed


def _require_within_group(parsed: ExportFile, name: str) -> None:
    """More answers to a question than people in the group: someone padded it (k would not hold)."""
    size = parsed.header.group_size
    if size is None:
        return
    counts = Counter(row.prompt_id for row in parsed.rows)
    for prompt_id, count in sorted(counts.items()):
        if count > size:
            raise _bad(
                name,
                _("question {id}").format(id=prompt_id),
                _("{n} answers from a group of {size}").format(n=count, size=size),
            )


def _bad(name: str, where: str, what: str) -> UsageError:
    return UsageError(_("{path}: {where}: {what}").format(path=name, where=where, what=what))


def _parse_json(text: str, name: str) -> ExportFile:
    try:
        document = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise UsageError(
            _("{path}:{line}:{col}: not valid JSON ({what})").format(
                path=name, line=error.lineno, col=error.colno, what=error.msg
            )
        ) from None
    except _TooLongError:
        raise UsageError(_("{path}: a number has too many digits").format(path=name)) from None
    except (ValueError, RecursionError):
        raise UsageError(_("{path}: not a stigmacards export").format(path=name)) from None
    if (
        not isinstance(document, dict)
        or document.get("format") not in (FORMAT_NAME, TRANSFER_FORMAT)
        or document.get("version") != FORMAT_VERSION
    ):
        raise UsageError(_("{path}: not a stigmacards export").format(path=name))
    session = document.get("session")
    reflections = document.get("reflections")
    if not isinstance(session, dict) or not isinstance(reflections, list):
        raise UsageError(_("{path}: not a stigmacards export").format(path=name))
    header = _header(session, name, "session")
    rows: list[StoredReflection] = []
    for number, item in enumerate(reflections, start=1):
        where = _("reflection {n}").format(n=number)
        if not isinstance(item, dict):
            raise _bad(name, where, _("not an object"))
        rows.append(
            _row(
                item.get("id"),
                item.get("prompt_id"),
                item.get("card_id"),
                item.get("value"),
                name=name,
                where=where,
            )
        )
    return ExportFile(header, tuple(rows), transfer=document["format"] == TRANSFER_FORMAT)


def _parse_csv(text: str, name: str) -> ExportFile:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _bad(name, _("line {n}").format(n=line), _("a NUL character"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        first = next(reader, None)
        if first is None or tuple(first) != CSV_COLUMNS:
            raise UsageError(_("{path}: not a stigmacards export").format(path=name))
        header: ExportHeader | None = None
        rows: list[StoredReflection] = []
        for number, raw in enumerate(reader, start=2):
            where = _("line {n}").format(n=number)
            if not raw:
                continue
            if len(raw) != len(CSV_COLUMNS):
                raise _bad(name, where, _("expected {n} columns").format(n=len(CSV_COLUMNS)))
            cells = dict(zip(CSV_COLUMNS, (formula_unguard(c) for c in raw), strict=True))
            size = cells["group_size"]
            this = _header(
                {
                    "deck_id": cells["deck_id"],
                    "deck_hash": cells["deck_hash"],
                    "language": cells["language"],
                    "day": cells["day"],
                    "group_size": int(size) if _NUMBER.fullmatch(size) else (size or None),
                },
                name,
                where,
            )
            if header is None:
                header = this
            elif this != header:
                raise _bad(name, where, _("rows from different sessions in one file"))
            kind, raw_value = cells["value_type"], cells["value"]
            value: object
            if kind == "number":
                if not _NUMBER.fullmatch(raw_value):
                    raise _bad(name, where, _("not a number"))
                value = int(raw_value)
            elif kind == "text":
                value = raw_value
            elif kind == "withheld":
                value = None
            else:
                raise _bad(name, where, _("unknown value type"))
            rows.append(
                _row(cells["id"], cells["prompt_id"], cells["card_id"] or None, value, name=name, where=where)
            )
    except csv.Error as error:
        raise _bad(name, _("line {n}").format(n=reader.line_num), str(error)) from None
    if header is None:
        raise UsageError(_("{path}: the export holds no reflections").format(path=name))
    return ExportFile(header, tuple(rows))


def _header(raw: dict[str, Any], name: str, where: str) -> ExportHeader:
    deck_id, deck_hash, language, day = (raw.get(key) for key in ("deck_id", "deck_hash", "language", "day"))
    group_size = raw.get("group_size")
    if not (isinstance(deck_id, str) and _SLUG.fullmatch(deck_id) and len(deck_id) <= 64):
        raise _bad(name, where, _("bad deck id"))
    if not (isinstance(deck_hash, str) and _HASH.fullmatch(deck_hash)):
        raise _bad(name, where, _("bad deck hash"))
    if not (isinstance(language, str) and _LANG.fullmatch(language)):
        raise _bad(name, where, _("bad language"))
    try:
        parsed_day = date.fromisoformat(day) if isinstance(day, str) and len(day) == 10 else None
    except ValueError:
        parsed_day = None
    if parsed_day is None:
        raise _bad(name, where, _("bad day"))
    if group_size is not None and not (
        isinstance(group_size, int) and not isinstance(group_size, bool) and 0 < group_size <= MAX_NUMBER
    ):
        raise _bad(name, where, _("bad group size"))
    return ExportHeader(deck_id, deck_hash, language, parsed_day.isoformat(), group_size)


def _row(
    row_id: object, prompt_id: object, card_id: object, value: object, *, name: str, where: str
) -> StoredReflection:
    if not (isinstance(row_id, str) and _ID.fullmatch(row_id)):
        raise _bad(name, where, _("bad id"))
    if not (isinstance(prompt_id, str) and _SLUG.fullmatch(prompt_id) and len(prompt_id) <= 64):
        raise _bad(name, where, _("bad prompt id"))
    if card_id is not None and not (
        isinstance(card_id, str) and _SLUG.fullmatch(card_id) and len(card_id) <= 64
    ):
        raise _bad(name, where, _("bad card id"))
    if isinstance(value, bool) or not (value is None or isinstance(value, int | str)):
        raise _bad(name, where, _("bad value"))
    if isinstance(value, int) and abs(value) > MAX_NUMBER:
        raise _bad(name, where, _("bad value"))
    if isinstance(value, str) and (
        len(value) > MAX_TEXT or not value.strip() or well_formed(value) != value or "\x00" in value
    ):
        raise _bad(name, where, _("bad value"))  # well_formed: JSON can escape a lone surrogate
    return StoredReflection(row_id, prompt_id, card_id, value)
