"""A whole deck as one spreadsheet, every language side by side: export, edit, import, lossless.

One row per text; the columns are `part`, `id`, `field`, then one column per language, the
deck's own language first. Values that are not text in a language (the deck's id, a card's level
and tags, a prompt's kind and scale) stand in the first language column. Lists (intro, closing,
content notes, options, authors) take one row per item, in order; a translation with fewer items
leaves cells empty. Empty cells mean "not translated".

    part,       id,    field,      nl,                        en
    deck,       ,      id,         stigma-werk,
    deck,       ,      title,      Stigma op het werk,        Stigma at work
    deck,       ,      intro,      Je mag altijd passen.,     You can always pass.
    card,       een,   level,      1,
    card,       een,   question1,  Wat dacht je eerst?,       What did you think first?
    reflection, veilig, kind,      scale,
    reflection, veilig, label 1,   Helemaal niet,             Not at all

Pure: a Deck in, text out; text in, plain deck data (for the loader to check) out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stigmacards.deck.format import FORMAT_VERSION, QUESTIONS_PER_CARD
from stigmacards.deck.model import Card, ChoicePrompt, Deck, ScalePrompt
from stigmacards.errors import DeckError
from stigmacards.i18n import _
from stigmacards.text import formula_guard, formula_unguard, inert

TAG_SEPARATOR = "|"
QUESTION_FIELDS = tuple(f"question{n}" for n in range(1, QUESTIONS_PER_CARD + 1))

# Column and field names, as exported (English) and as a Dutch spreadsheet may name them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "part": ("part", "onderdeel"),
    "id": ("id",),
    "field": ("field", "veld"),
}
PARTS: dict[str, tuple[str, ...]] = {
    "deck": ("deck",),
    "card": ("card", "kaart"),
    "reflection": ("reflection", "reflectie"),
}
DECK_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "titel"),
    "description": ("description", "beschrijving"),
    "version": ("version", "versie"),
    "license": ("license", "licentie"),
    "author": ("author", "auteur"),
    "content_note": ("content_note", "inhoudswaarschuwing"),
    "intro": ("intro", "inleiding"),
    "closing": ("closing", "afsluiting"),
}
# Column names per part of the deck (English, Dutch): tables alike in shape by design.
CARD_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "titel"),
    "level": ("level", "niveau"),
    "tags": ("tags", "themas"),
    "content_note": ("content_note", "inhoudswaarschuwing"),
    "facilitator_note": ("facilitator_note", "notitie"),
    **{q: (q, q.replace("question", "vraag")) for q in QUESTION_FIELDS},
}
PROMPT_FIELDS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "soort"),
    "prompt": ("prompt", "vraag"),
    "min": ("min",),
    "max": ("max",),
    "option": ("option", "optie"),
    "label": ("label",),  # followed by the point of the scale: "label 1"
}
# Fields whose value is the same in every language: only the first language column is read.
_SHARED = {"id", "version", "license", "author", "level", "tags", "kind", "min", "max"}
_LISTS = {"author", "content_note", "intro", "closing", "option"}


def _names(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(alias): name for name, aliases in table.items() for alias in aliases}


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.'’]+", "", inert(text).strip().lower().lstrip("\ufeff"))


def accepted(table: Mapping[str, tuple[str, ...]]) -> str:
    """The accepted names, English with the Dutch after it: "title (titel), level (niveau)"."""
    return ", ".join(f"{a[0]} ({', '.join(a[1:])})" if len(a) > 1 else a[0] for a in table.values())


# --- Export ----------------------------------------------------------------------------------


def rows(deck: Deck) -> list[list[str]]:
    """The deck as rows of cells, header first."""
    langs = list(deck.languages)
    trs = [deck.translations[lang] for lang in langs[1:]]
    out: list[list[str]] = [["part", "id", "field", *langs]]

    def row(part: str, ident: str, name: str, own: Any, *others: Any) -> None:
        cells = ["" if v is None else str(v) for v in (own, *others)]
        cells += [""] * (len(langs) - len(cells))
        out.append([part, ident, name, *cells])

    def listing(
        part: str, ident: str, name: str, own: tuple[str, ...], others: list[tuple[str, ...] | None]
    ) -> None:
        """One row per item; a language with fewer items leaves its cells empty."""
        lists = [own, *(o or () for o in others)]
        for i in range(max(len(items) for items in lists)):
            row(part, ident, name, *(items[i] if i < len(items) else None for items in lists))

    row("deck", "", "id", deck.id)
    row("deck", "", "title", deck.title, *(t.title for t in trs))
    if deck.description or any(t.description for t in trs):
        row("deck", "", "description", deck.description, *(t.description for t in trs))
    if deck.version:
        row("deck", "", "version", deck.version)
    if deck.license:
        row("deck", "", "license", deck.license)
    listing("deck", "", "author", deck.authors, [])
    listing("deck", "", "content_note", deck.content_notes, [t.content_notes for t in trs])
    listing("deck", "", "intro", deck.intro, [t.intro for t in trs])
    listing("deck", "", "closing", deck.closing, [t.closing for t in trs])
    for card in deck.cards:
        _card_rows(card, [t.cards.get(card.id) for t in trs], row)
    for prompt in deck.reflection:
        pts = [t.reflection.get(prompt.id) for t in trs]
        row("reflection", prompt.id, "kind", prompt.kind)
        row("reflection", prompt.id, "prompt", prompt.prompt, *(p.prompt if p else None for p in pts))
        if isinstance(prompt, ScalePrompt):
            row("reflection", prompt.id, "min", prompt.min)
            row("reflection", prompt.id, "max", prompt.max)
            points = sorted({*prompt.labels, *(k for p in pts if p and p.labels for k in p.labels)})
            for point in points:
                row(
                    "reflection",
                    prompt.id,
                    f"label {point}",
                    prompt.labels.get(point),
                    *((p.labels or {}).get(point) if p else None for p in pts),
                )
        if isinstance(prompt, ChoicePrompt):
            listing(
                "reflection", prompt.id, "option", prompt.options, [p.options if p else None for p in pts]
            )
    return out


def _card_rows(card: Card, cts: list[Any], row: Any) -> None:
    row("card", card.id, "level", card.level)
    if card.tags:
        row("card", card.id, "tags", TAG_SEPARATOR.join(card.tags))
    for name in ("title", "content_note", "facilitator_note"):
        own, others = getattr(card, name), [getattr(ct, name) if ct else None for ct in cts]
        if own is not None or any(o is not None for o in others):
            row("card", card.id, name, own, *others)
    for i, field in enumerate(QUESTION_FIELDS):
        row(
            "card",
            card.id,
            field,
            card.questions[i],
            *((ct.questions or ())[i] if ct and ct.questions else None for ct in cts),
        )


def to_csv(deck: Deck, *, delimiter: str = ",") -> str:
    """The deck as CSV, every language side by side, for a spreadsheet and back (`deck import`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    for cells in rows(deck):
        writer.writerow([formula_guard(inert(cell)) for cell in cells])
    return buffer.getvalue()


# --- Import ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetRow:
    line: int
    part: str
    ident: str
    field: str
    cells: tuple[str, ...]  # one per language, in header order


def is_sheet(header: list[str]) -> bool:
    """True when a header row names the part and field columns of a deck sheet."""
    keys = {_names(COLUMNS).get(_key(cell)) for cell in header}
    return {"part", "field"} <= keys


def find_sheet(text: str) -> tuple[str, list[str]] | None:
    """(delimiter, header) when the first row of `text` is a deck sheet's header."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        header = next(csv.reader([first], delimiter=delimiter), [])
        if is_sheet(header):
            return delimiter, header
    return None


def parse(text: str) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """Plain deck data from a deck sheet, and the rows that could not be read (line, why)."""
    found = find_sheet(text)
    if found is None:
        raise DeckError(
            _("not a deck sheet: the first row must name the columns part, id, field and the languages")
        )
    delimiter, header = found
    columns = _names(COLUMNS)
    index = {columns[_key(c)]: i for i, c in enumerate(header) if _key(c) in columns}
    langs = [(i, c.strip()) for i, c in enumerate(header) if _key(c) not in columns and c.strip()]
    if not langs:
        raise DeckError(_("the deck sheet has no language columns (such as nl or en) after 'field'"))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    sheet: list[SheetRow] = []
    previous_end = 0
    for number, cells in enumerate(reader):
        start, previous_end = previous_end + 1, reader.line_num
        if number == 0 or not any(c.strip() for c in cells):
            continue

        def cell(i: int, cells: list[str] = cells) -> str:
            return formula_unguard(cells[i]) if i < len(cells) else ""  # text exactly as written

        sheet.append(
            SheetRow(
                start,
                _names(PARTS).get(_key(cell(index["part"])), cell(index["part"]).strip()),
                cell(index["id"]).strip() if "id" in index else "",
                cell(index["field"]).strip(),
                tuple(cell(i) for i, _lang in langs),
            )
        )
    return _build(sheet, [lang for _i, lang in langs])


def _build(sheet: list[SheetRow], langs: list[str]) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    own, others = langs[0], langs[1:]
    data: dict[str, Any] = {"deck": FORMAT_VERSION, "id": "", "title": "", "language": own}
    trs: dict[str, dict[str, Any]] = {lang: {} for lang in others}
    cards: dict[str, dict[str, Any]] = {}
    card_trs: dict[str, dict[str, dict[str, Any]]] = {lang: {} for lang in others}
    prompts: dict[str, dict[str, Any]] = {}
    prompt_trs: dict[str, dict[str, dict[str, Any]]] = {lang: {} for lang in others}
    rejected: list[tuple[int, str]] = []
    deck_fields, card_fields, prompt_fields = _names(DECK_FIELDS), _names(CARD_FIELDS), _names(PROMPT_FIELDS)
    for r in sheet:
        label = re.fullmatch(r"(?i)label\s*(-?\d+)", r.field.strip())
        if r.part == "deck":
            field, target, target_trs = deck_fields.get(_key(r.field)), data, trs
        elif r.part == "card" and r.ident:
            field = card_fields.get(_key(r.field))
            target = cards.setdefault(r.ident, {"id": r.ident})
            target_trs = {lang: card_trs[lang].setdefault(r.ident, {}) for lang in others}
        elif r.part == "reflection" and r.ident:
            field = "label" if label else prompt_fields.get(_key(r.field))
            target = prompts.setdefault(r.ident, {"id": r.ident})
            target_trs = {lang: prompt_trs[lang].setdefault(r.ident, {}) for lang in others}
        else:
            rejected.append(
                (
                    r.line,
                    _(
                        "unknown part '{part}' (use deck, card or reflection, with an id for a card or prompt)"
                    ).format(part=r.part),
                )
            )
            continue
        if field is None:
            table: Mapping[str, tuple[str, ...]] = (
                DECK_FIELDS if r.part == "deck" else CARD_FIELDS if r.part == "card" else PROMPT_FIELDS
            )
            rejected.append(
                (
                    r.line,
                    _("unknown field '{field}' for {part}; accepted: {names}").format(
                        field=r.field, part=r.part, names=accepted(table)
                    ),
                )
            )
            continue
        _put(r, field, label, target=target, target_trs=target_trs, others=others)
    for key in [k for k, v in data.items() if v == ""]:
        del data[key]  # left out: the loader names the missing key
    if cards:
        data["cards"] = list(cards.values())
    if prompts:
        data["reflection"] = list(prompts.values())
    if others:
        data["translations"] = {}
        for lang in others:
            tr = dict(trs[lang])
            tr_cards = {cid: ct for cid, ct in card_trs[lang].items() if ct}
            tr_prompts = {pid: pt for pid, pt in prompt_trs[lang].items() if pt}
            if tr_cards:
                tr["cards"] = tr_cards
            if tr_prompts:
                tr["reflection"] = tr_prompts
            data["translations"][lang] = tr
    return data, rejected


def _put(
    r: SheetRow,
    field: str,
    label: Any,
    *,
    target: dict[str, Any],
    target_trs: dict[str, dict[str, Any]],
    others: list[str],
) -> None:
    """One row's cells into the deck data and its translations."""
    own = r.cells[0] if r.cells else ""
    if field in _SHARED:
        own = own.strip()
        if field == "author":
            target.setdefault("authors", []).append(own)
        elif field == "tags":
            target["tags"] = [t.strip() for t in own.split(TAG_SEPARATOR) if t.strip()]
        elif field in ("level", "min", "max"):
            target[field] = _number(own)
        elif own:
            target[field] = own
        return
    translated = dict(zip(others, r.cells[1:], strict=False))
    if label:
        point = int(label.group(1))
        if own:
            target.setdefault("labels", {})[point] = own
        for lang, text in translated.items():
            if text:
                target_trs[lang].setdefault("labels", {})[point] = text
        return
    if field in QUESTION_FIELDS:
        n = QUESTION_FIELDS.index(field)
        questions = target.setdefault("questions", [""] * QUESTIONS_PER_CARD)
        questions[n] = own
        for lang, text in translated.items():
            if text:
                target_trs[lang].setdefault("questions", [""] * QUESTIONS_PER_CARD)[n] = text
        return
    if field in _LISTS and not (r.part == "card" and field == "content_note"):  # a card's note is one text
        key = {"content_note": "content_notes", "option": "options"}.get(field, field)
        if own:
            target.setdefault(key, []).append(own)
        for lang, text in translated.items():
            if text:
                target_trs[lang].setdefault(key, []).append(text)
        return
    key = field
    if own:
        target[key] = own
    for lang, text in translated.items():
        if text:
            target_trs[lang][key] = text


def _number(text: str) -> Any:
    """'2' or a spreadsheet's '2.0' → 2; anything else stays text, for the loader to name."""
    match = re.fullmatch(r"\s*(-?\d+)(?:[.,]0+)?\s*", text)
    return int(match.group(1)) if match else (text or None)
