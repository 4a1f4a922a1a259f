"""Decks from and to other formats: CSV and plain text in; Markdown and CSV out.

Trainers arrive with questions in a spreadsheet or a text file. The importers are forgiving
about what spreadsheets write (a byte-order mark, `;` or `,` or tab separators, CRLF, Excel's
Windows-1252, a title row above the header) and strict about the cards: every row that cannot
become a valid card is rejected with its line number, so nothing is dropped silently.

Pure: text in, values and text out. The CLI reads and writes the files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from stigmacards.deck.format import slugify
from stigmacards.deck.model import LEVELS, QUESTIONS_PER_CARD, SLUG_PATTERN
from stigmacards.errors import DeckError
from stigmacards.i18n import _, ngettext
from stigmacards.text import formula_unguard, inert

CSV_COLUMNS = ("id", "title", "level", "tags", "question1", "question2", "question3")
QUESTION_COLUMNS = CSV_COLUMNS[4:]
NOTE_COLUMNS = ("content_note", "facilitator_note")  # optional; exported after the questions
TAG_SEPARATOR = "|"
HEADER_SEARCH_ROWS = 5  # a title row or two above the header is common in spreadsheets

# Header names people actually write, normalised (lower case, no spaces, `_`, `-` or `.`).
_ALIASES = {
    "id": "id",
    "slug": "id",
    "kaartid": "id",
    "cardid": "id",
    "title": "title",
    "titel": "title",
    "name": "title",
    "naam": "title",
    "level": "level",
    "niveau": "level",
    "tags": "tags",
    "tag": "tags",
    "labels": "tags",
    "thema": "tags",
    "themas": "tags",
    "themes": "tags",
    "contentnote": "content_note",
    "inhoudswaarschuwing": "content_note",
    "waarschuwing": "content_note",
    "facilitatornote": "facilitator_note",
    "begeleidersnotitie": "facilitator_note",
    "notitiebegeleider": "facilitator_note",
}
for _n in range(1, QUESTIONS_PER_CARD + 1):
    for _prefix in ("question", "vraag", "q", "v"):
        _ALIASES[f"{_prefix}{_n}"] = f"question{_n}"

# For the note on ignored columns (and docs/deck-format.md): each column with its Dutch name.
ACCEPTED_COLUMNS = (
    "id, title (titel), level (niveau), tags (thema), question1-3 (vraag1-3), "
    "content_note (inhoudswaarschuwing), facilitator_note (begeleidersnotitie)"
)
_SLUG_RE = re.compile(SLUG_PATTERN)
_NUMBERING = re.compile(r"^(?:(?:vraag|question|q)\s*[1-3]\s*[:.)]|[1-9][.)]|[-*•–])\s*", re.IGNORECASE)
_LEVEL_WORDS = {
    **dict.fromkeys(("laag", "licht", "makkelijk", "low", "light", "easy"), 1),
    **dict.fromkeys(("midden", "gemiddeld", "medium", "middle"), 2),
    **dict.fromkeys(("hoog", "diep", "zwaar", "high", "deep"), 3),
}
_SEPARATOR = re.compile(r"%+")
_META_LINE = re.compile(
    r"^(id|title|titel|level|niveau|tags|labels|thema[’']?s|thema|content[ _]note|inhoudswaarschuwing)\s*:\s*(.*)$",
    re.IGNORECASE,
)


class SourceFormat(StrEnum):
    csv = "csv"
    text = "text"


class DeckExportFormat(StrEnum):
    """`deck export --format`: a Markdown handout, or the whole deck as one spreadsheet."""

    md = "md"
    csv = "csv"  # every language side by side: `sheet.py`


@dataclass(frozen=True, slots=True)
# What an imported row gives: the first fields of model.LocalCard, without a language or questions yet.
class ImportedCard:
    id: str
    title: str | None
    level: int
    tags: tuple[str, ...]
    questions: tuple[str, str, str]
    line: int  # where the card starts in the source file
    content_note: str | None = None
    facilitator_note: str | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row (CSV) or card (text) that could not become a card, and why."""

    line: int
    message: str

    def format(self, source: str) -> str:
        return f"{source}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Parsed:
    format: SourceFormat
    cards: tuple[ImportedCard, ...]
    rejected: tuple[Rejected, ...]
    notes: tuple[str, ...] = field(default=())  # things worth knowing that are not errors


# --- Text helpers ----------------------------------------------------------------------------


def _cell(text: str) -> str:
    """A cell as deck text: no controls or bidi tricks, one line, no formula guard.

    Line breaks inside a spreadsheet cell are nearly always accidental (Alt+Enter); a card
    question is one paragraph.
    """
    return formula_unguard(" ".join(inert(text).split()))


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Bytes from a spreadsheet or editor → text, with a note when it was not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        return data.decode("utf-16"), ()
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        note = _(
            "not UTF-8 (first at line {line}): read as Windows-1252, which older Excel versions "
            "write; check the accented letters, or save as 'CSV UTF-8'"
        ).format(line=line)
        return data.decode("cp1252", errors="replace"), (note,)


def _column_key(name: str) -> str | None:
    return _ALIASES.get(re.sub(r"[\s_\-.'’]+", "", inert(name).strip().lower().lstrip("\ufeff")))


# --- Detecting the format --------------------------------------------------------------------


def detect_format(name: str, text: str) -> SourceFormat:
    """CSV or text: by the file name's extension, else by whether a CSV header is there."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in {"csv", "tsv"}:
        return SourceFormat.csv
    if suffix in {"txt", "text", "fortune"}:
        return SourceFormat.text
    return SourceFormat.csv if _find_header(text) is not None else SourceFormat.text


def _find_header(text: str) -> tuple[int, str, dict[int, str]] | None:
    """(line number, delimiter, column index → key) of the header row, if there is one."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            return None
        best: tuple[int, str, dict[int, str]] | None = None
        for delimiter in (";", ",", "\t"):
            cells = next(csv.reader([line], delimiter=delimiter))
            keys = {i: key for i, cell in enumerate(cells) if (key := _column_key(cell))}
            if set(QUESTION_COLUMNS) <= set(keys.values()) and (best is None or len(keys) > len(best[2])):
                best = (number, delimiter, keys)
        if best is not None:
            return best
    return None


# --- CSV -------------------------------------------------------------------------------------


def parse_csv(text: str) -> Parsed:
    """Cards from CSV with a header row naming at least question1, question2, question3."""
    found = _find_header(text)
    if found is None:
        raise DeckError(
            _(
                "no header row found: the first rows must name the columns, at least "
                "question1, question2, question3 (optionally id, title, level, tags), "
                "separated by ; or ,"
            )
        )
    header_line, delimiter, keys = found
    duplicates = sorted({k for k in keys.values() if list(keys.values()).count(k) > 1})
    if duplicates:
        raise DeckError(
            ngettext(
                "line {line}: a column named twice: {columns}",
                "line {line}: columns named twice: {columns}",
                len(duplicates),
            ).format(line=header_line, columns=", ".join(duplicates))
        )
    notes: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    width = 0
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    for row in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if start < header_line:
            if any(cell.strip() for cell in row):
                notes.append(_("line {line}: ignored (above the header row)").format(line=start))
            continue
        if start == header_line:
            width = len(row)
            ignored = [cell.strip() for i, cell in enumerate(row) if i not in keys and cell.strip()]
            if ignored:
                notes.append(
                    ngettext(
                        "column ignored: {columns}; the columns read are: {accepted}",
                        "columns ignored: {columns}; the columns read are: {accepted}",
                        len(ignored),
                    ).format(columns=", ".join(ignored), accepted=ACCEPTED_COLUMNS)
                )
            continue
        rows.append((start, row))
    cards: list[_Draft] = []
    rejected: list[Rejected] = []
    if rows and _quote_left_open(text, delimiter):
        # The last row swallowed the rest of the file: say why, rather than count its cells.
        line, _row = rows.pop()
        rejected.append(
            Rejected(
                line,
                _("a double quote opened in this row is never closed, so the rest of the file is one cell"),
            )
        )
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # spreadsheets write empty rows as a run of separators
        problem = _row_problem(row, width=width, keys=keys, delimiter=delimiter)
        if problem:
            rejected.append(Rejected(line, problem))
            continue
        values = {key: _cell(row[i]) if i < len(row) else "" for i, key in keys.items()}
        draft, problem = _draft(values, line)
        if draft is None:
            rejected.append(Rejected(line, problem))
        else:
            cards.append(draft)
    finished, more = _finish(cards)
    return Parsed(
        SourceFormat.csv, finished, tuple(sorted([*rejected, *more], key=lambda r: r.line)), tuple(notes)
    )


def _quote_left_open(text: str, delimiter: str) -> bool:
    try:
        for _row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _row_problem(row: list[str], *, width: int, keys: dict[int, str], delimiter: str) -> str | None:
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        return _(
            "row has {n} columns, expected {m} (a '{sep}' inside a cell? Put that cell in double quotes)"
        ).format(n=len(row), m=width, sep="tab" if delimiter == "\t" else delimiter)
    position = {key: i for i, key in keys.items()}
    present = [bool(_cell(row[position[q]])) if position[q] < len(row) else False for q in QUESTION_COLUMNS]
    if all(present):
        return None
    last_present = max((i for i, p in enumerate(present) if p), default=-1)
    first_missing = present.index(False)
    if first_missing < last_present:
        return _("question {n} is empty").format(n=first_missing + 1)
    count = sum(present)
    if count == 1:
        return _("row has 1 question, expected {expected}").format(expected=QUESTIONS_PER_CARD)
    return _("row has {n} questions, expected {expected}").format(n=count, expected=QUESTIONS_PER_CARD)


# --- Plain text ------------------------------------------------------------------------------


def parse_text(text: str) -> Parsed:
    """Cards from plain text: cards separated by a line holding only `%`, one question per line.

    Lines starting with `#` are comments; blank lines are ignored (or, in a file without any
    `%` line, separate the cards). Before its questions a card may have `title:`, `level:`,
    `tags:`, `id:` and `content note:` lines. A leading "1.", "Vraag 1:" or "-" is dropped.
    """
    drafts: list[_Draft] = []
    rejected: list[Rejected] = []
    chunk: list[tuple[int, str]] = []

    def flush() -> None:
        if not chunk:
            return
        values: dict[str, str] = {}
        questions: list[str] = []
        for _line, content in chunk:
            meta = _META_LINE.match(content) if not questions else None
            if meta:
                values[_column_key(meta.group(1)) or "title"] = _cell(meta.group(2))
            else:
                questions.append(_cell(_NUMBERING.sub("", content)))
        first = chunk[0][0]
        chunk.clear()
        if len(questions) != QUESTIONS_PER_CARD:
            wrong = (
                _("card has 1 question, expected {expected} (one per line; start a title line with 'title:')")
                if len(questions) == 1
                else _(
                    "card has {n} questions, expected {expected} (one per line; start a title line with 'title:')"
                )
            )
            rejected.append(Rejected(first, wrong.format(n=len(questions), expected=QUESTIONS_PER_CARD)))
            return
        values.update(zip(QUESTION_COLUMNS, questions, strict=True))
        draft, problem = _draft(values, first)
        if draft is None:
            rejected.append(Rejected(first, problem))
        else:
            drafts.append(draft)

    lines = text.splitlines()
    # Without any `%` line, a blank line separates cards: what people type when they have not
    # read the format, and three lines per card still makes the intent plain.
    separated = any(_SEPARATOR.fullmatch(line.strip()) for line in lines)
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if _SEPARATOR.fullmatch(line) or (not line and not separated):
            flush()
        elif line and not line.startswith("#"):
            chunk.append((number, line))
    flush()
    cards, more = _finish(drafts)
    notes: tuple[str, ...] = ()
    if not separated and len(cards) + len(rejected) > 1:
        notes = (_("no '%' lines: blank lines taken as the separators between cards"),)
    return Parsed(SourceFormat.text, cards, tuple(sorted([*rejected, *more], key=lambda r: r.line)), notes)


# --- From cells to cards ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Draft:
    given_id: str | None
    title: str | None
    level: int
    tags: tuple[str, ...]
    questions: tuple[str, str, str]
    line: int
    content_note: str | None
    facilitator_note: str | None


def _draft(values: dict[str, str], line: int) -> tuple[_Draft | None, str]:
    level_text = values.get("level", "")
    level = parse_level(level_text)
    if level is None:
        return None, _("level '{value}' is not 1, 2 or 3").format(value=level_text)
    given = values.get("id", "")
    given_id = None
    if given:
        given_id = given if _SLUG_RE.match(given) else slugify(given)
        if not given_id:
            return None, _("id '{value}' has no letters or digits").format(value=given)
    questions = tuple(values.get(q, "") for q in QUESTION_COLUMNS)
    return _Draft(
        given_id=given_id,
        title=values.get("title") or None,
        level=level,
        tags=split_tags(values.get("tags", "")),
        questions=(questions[0], questions[1], questions[2]),
        line=line,
        content_note=values.get("content_note") or None,
        facilitator_note=values.get("facilitator_note") or None,
    ), ""


def parse_level(text: str) -> int | None:
    """'2', '2.0' (a spreadsheet number), 'niveau 2', 'midden' or '●●○' → 2; empty → 1; else None."""
    text = text.strip()
    if not text:
        return LEVELS[0]
    if set(text) <= {"●", "○"}:
        level = text.count("●")
    elif text.lower() in _LEVEL_WORDS:
        level = _LEVEL_WORDS[text.lower()]
    else:
        match = re.fullmatch(r"(?:level|niveau)?\s*(\d+)(?:[.,]0+)?", text, re.IGNORECASE)
        if not match:
            return None
        level = int(match.group(1))
    return level if level in LEVELS else None


def split_tags(text: str) -> tuple[str, ...]:
    """Tags from one cell: separated by `|`, else by `;`, else by `,`."""
    separator = next((s for s in (TAG_SEPARATOR, ";", ",") if s in text), None)
    parts = text.split(separator) if separator else [text]
    return tuple(dict.fromkeys(tag for part in parts if (tag := " ".join(part.split()))))


def _finish(drafts: Iterable[_Draft]) -> tuple[tuple[ImportedCard, ...], list[Rejected]]:
    """Give every card a unique id; ids chosen in the file are kept, the rest are made up.

    The same file always gives the same ids: they come from the titles (else the first
    question) in file order, with -2, -3 … added where two would be the same.
    """
    drafts = list(drafts)
    used: dict[str, int] = {}
    rejected: list[Rejected] = []
    kept: list[_Draft] = []
    for draft in drafts:
        if draft.given_id is None:
            kept.append(draft)
        elif draft.given_id in used:
            rejected.append(
                Rejected(
                    draft.line,
                    _("id '{id}' is already used on line {line}").format(
                        id=draft.given_id, line=used[draft.given_id]
                    ),
                )
            )
        else:
            used[draft.given_id] = draft.line
            kept.append(draft)
    cards: list[ImportedCard] = []
    for draft in kept:
        card_id = draft.given_id
        if card_id is None:
            base = slugify(draft.title or "") or slugify(draft.questions[0]) or "card"
            card_id, n = base, 1
            while card_id in used:
                n += 1
                card_id = f"{base}-{n}"
            used[card_id] = draft.line
        cards.append(
            ImportedCard(
                card_id,
                draft.title,
                draft.level,
                draft.tags,
                draft.questions,
                draft.line,
                draft.content_note,
                draft.facilitator_note,
            )
        )
    return tuple(cards), rejected
