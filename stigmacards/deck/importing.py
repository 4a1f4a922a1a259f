"""`deck import`: a card table, a text file or a whole-deck sheet in; plain deck data out.

Pure: bytes and the options in, the deck data and every line worth saying out. The command
shows the lines, refuses when `refusal` is set, writes the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stigmacards.deck import interchange, sheet, writing
from stigmacards.deck.format import slugify
from stigmacards.errors import DeckError, UsageError
from stigmacards.i18n import _, ngettext


@dataclass(frozen=True, slots=True)
class Imported:
    data: dict[str, Any]  # plain deck data, for `writing.deck_yaml` and the loader
    source_format: str  # csv or text
    cards: int
    lines: tuple[str, ...]  # notes and rejected rows, each naming the file (and line)
    refusal: str | None  # why nothing may be written; None when the deck may be written
    whole_deck: bool  # a sheet of `deck export`: its mistakes are the author's, not the importer's


def read(
    data: bytes,
    name: str,
    *,
    fmt: str | None,
    lang: str | None,
    deck_id: str | None,
    title: str | None,
    default_title: str,
    interface: str,
    skip_bad: bool,
) -> Imported:
    """The deck in `data` (a file called `name`); `deck_id` and `title`, when given, win."""
    text, notes = interchange.decode(data)
    lines = [f"{name}: {note}" for note in notes]
    if fmt in (None, "csv") and sheet.find_sheet(text) is not None:
        imported = _whole_deck(text, name, lang=lang, skip_bad=skip_bad, lines=lines)
    else:
        imported = _cards(
            text,
            name,
            fmt=fmt,
            lang=lang,
            title=default_title,
            interface=interface,
            skip_bad=skip_bad,
            lines=lines,
        )
    stem = name.rsplit(".", 1)[0]
    imported.data["id"] = deck_id or imported.data.get("id") or slugify(stem) or "imported-deck"
    if title is not None:
        imported.data["title"] = title
    imported.data.setdefault("title", default_title)
    return imported


def _whole_deck(text: str, name: str, *, lang: str | None, skip_bad: bool, lines: list[str]) -> Imported:
    """A sheet of `deck export`: every language side by side."""
    try:
        deck_data, problems = sheet.parse(text)
    except DeckError as exc:
        raise DeckError(f"{name}: {exc}") from None
    lines += [f"{name}:{line}: {why}" for line, why in problems]
    refusal = None
    if problems and not skip_bad:
        refusal = ngettext(
            "{n} row rejected, nothing written; fix it, or pass --skip-bad",
            "{n} rows rejected, nothing written; fix them, or pass --skip-bad",
            len(problems),
        ).format(n=len(problems))
    if lang is not None and lang != deck_data["language"]:
        lines.append(_("{name}: the languages are the sheet's columns; --lang is not used").format(name=name))
    return Imported(deck_data, "csv", len(deck_data.get("cards", [])), tuple(lines), refusal, whole_deck=True)


def _cards(
    text: str,
    name: str,
    *,
    fmt: str | None,
    lang: str | None,
    title: str,
    interface: str,
    skip_bad: bool,
    lines: list[str],
) -> Imported:
    """A card table (CSV) or a text file of questions, in one language."""
    if fmt is None:
        source_format = interchange.detect_format(name, text)
    else:
        try:
            source_format = interchange.SourceFormat(fmt.lower())
        except ValueError:
            raise UsageError(_("--format must be csv or text")) from None
    try:
        parse = (
            interchange.parse_csv if source_format is interchange.SourceFormat.csv else interchange.parse_text
        )
        parsed = parse(text)
    except DeckError as exc:
        raise DeckError(f"{name}: {exc}") from None
    lines += [f"{name}: {note}" for note in parsed.notes]
    lines += [rejected.format(name) for rejected in parsed.rejected]
    bad, good = len(parsed.rejected), len(parsed.cards)
    refusal = None
    if bad and not good:
        refusal = ngettext(
            "{n} row rejected and no good cards: nothing written",
            "{n} rows rejected and no good cards: nothing written",
            bad,
        ).format(n=bad)
    elif bad and not skip_bad:
        rows = ngettext("{n} row rejected", "{n} rows rejected", bad).format(n=bad)
        goods = ngettext("the {n} good card", "the {n} good cards", good).format(n=good)
        refusal = _("{rows}, nothing written; fix them, or pass --skip-bad to import {good}").format(
            rows=rows, good=goods
        )
    elif not good:
        refusal = _("{path}: no cards found").format(path=name)
    guessed = writing.guess_language(q for c in parsed.cards for q in c.questions)
    if refusal is None and lang is None:  # say which language the file is taken to be in
        lines.append(
            _("{name}: language {lang} (guessed from the questions; choose with --lang)").format(
                name=name, lang=guessed
            )
            if guessed
            else _("{name}: language {lang} (the interface's; choose with --lang)").format(
                name=name, lang=interface
            )
        )
    if bad and refusal is None:
        lines.append(
            ngettext(
                "Skipped {n} rejected row, listed above.", "Skipped {n} rejected rows, listed above.", bad
            ).format(n=bad)
        )
    data = writing.deck_data(parsed.cards, deck_id="", title=title, language=lang or guessed or interface)
    return Imported(data, source_format.value, good, tuple(lines), refusal, whole_deck=False)
