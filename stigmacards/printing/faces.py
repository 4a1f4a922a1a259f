"""What goes on each printed card, front and back, in the deck's language (pure).

A deck prints as one run of faces; a table pack as one group of faces per table, so that every
table can start on a sheet of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from stigmacards.deck.format import level_dots
from stigmacards.deck.handout import AFTERWARDS, CONTENT_NOTE, GROUND_RULES, LEVEL_HEADING, RIGHT_TO_PASS
from stigmacards.deck.model import LocalCard, LocalDeck
from stigmacards.errors import UsageError
from stigmacards.i18n import _, ngettext, translator
from stigmacards.printing.labels import TABLE, TABLE_ROUND, clean


class FaceKind(enum.StrEnum):
    card = "card"
    intro = "intro"
    closing = "closing"


@dataclass(frozen=True, slots=True)
class Face:
    """The text of one printed card, front and back, already in the deck's language."""

    kind: FaceKind
    name: str  # what an error calls it: the card id, or "intro" / "closing"
    deck_title: str
    title: str
    items: tuple[str, ...]  # the questions (numbered) or the intro/closing lines (bulleted)
    level: int | None = None
    label: str | None = None  # "Table 3 · Round 2" in a table pack
    note: str | None = None  # the card's content note
    footer: tuple[str, ...] = ()
    back_title: str = ""
    back_detail: str = ""  # the level, or the table and round: what a facilitator sorts by
    language: str = "en"  # of the text and the labels (hyphenation; labels added when split)

    @property
    def numbered(self) -> bool:
        return self.kind is FaceKind.card


def select_cards(
    deck: LocalDeck,
    *,
    card_ids: Sequence[str] | None = None,
    max_level: int | None = None,
    sensitive: bool = True,
) -> tuple[LocalCard, ...]:
    """The cards to print: `card_ids` in the order given (else the deck's order), up to
    `max_level`, without the cards that carry a content note unless `sensitive`."""
    if card_ids:
        known = {card.id for card in deck.cards}
        unknown = [card_id for card_id in card_ids if card_id not in known]
        if unknown:
            import difflib

            message = ngettext(
                "deck '{deck}' has no card {cards}", "deck '{deck}' has no cards {cards}", len(unknown)
            ).format(deck=deck.id, cards=", ".join(unknown))
            close = difflib.get_close_matches(unknown[0], sorted(known), n=1)
            if close:
                message += " " + _("(did you mean '{card}'?)").format(card=close[0])
            raise UsageError(message)
        cards = tuple(deck.card(card_id) for card_id in dict.fromkeys(card_ids))
    else:
        cards = deck.cards
    if max_level is not None:
        cards = tuple(card for card in cards if card.level <= max_level)
    if not sensitive:
        cards = tuple(card for card in cards if not card.sensitive)
    if not cards:
        raise UsageError(_("no cards left to print: check --cards, --max-level and --no-sensitive"))
    return cards


def _credits(deck: LocalDeck) -> str:
    """The deck's title and licence, for the foot of a card: no internal ids on paper."""
    return " · ".join(clean(part) for part in (deck.title, deck.license) if part)


def card_face(deck: LocalDeck, card: LocalCard, *, label: str | None = None) -> Face:
    t = translator(deck.language)
    return Face(
        kind=FaceKind.card,
        name=card.id,
        deck_title=clean(deck.title),
        title=clean(card.title or card.id),
        items=tuple(clean(q) for q in card.questions),
        level=card.level,
        label=label,
        note=f"{t(CONTENT_NOTE).strip()} {clean(card.content_note)}" if card.content_note else None,
        footer=(t(RIGHT_TO_PASS), _credits(deck)),
        back_title=clean(deck.title),
        back_detail=label or f"{level_dots(card.level)}  {t(LEVEL_HEADING).format(level=card.level)}",
        language=card.language,
    )


def lines_face(deck: LocalDeck, kind: FaceKind, *, label: str | None = None) -> Face | None:
    """The intro (ground rules) or closing (aftercare) card, or None when the deck has none."""
    t = translator(deck.language)
    lines = deck.intro if kind is FaceKind.intro else deck.closing
    if not lines:
        return None
    title = t(GROUND_RULES) if kind is FaceKind.intro else t(AFTERWARDS)
    credits = _credits(deck)
    return Face(
        kind=kind,
        name=kind.value,
        deck_title=clean(deck.title),
        title=title,
        items=tuple(clean(line) for line in lines),
        label=label,
        footer=(credits,) if credits else (),
        back_title=clean(deck.title),
        back_detail=label or title,
        language=deck.language,
    )


def deck_faces(
    deck: LocalDeck, cards: Iterable[LocalCard], *, intro: bool = True, closing: bool = True
) -> tuple[Face, ...]:
    """Intro card, the cards, closing card: a deck's print run."""
    faces: list[Face] = []
    if intro and (face := lines_face(deck, FaceKind.intro)):
        faces.append(face)
    faces.extend(card_face(deck, card) for card in cards)
    if closing and (face := lines_face(deck, FaceKind.closing)):
        faces.append(face)
    return tuple(faces)


class DealLike(Protocol):
    """One card dealt to one table in one round (dealing.Deal)."""

    @property
    def round(self) -> int: ...
    @property
    def table(self) -> int: ...
    @property
    def card_id(self) -> str: ...


class PlanLike(Protocol):
    """A dealt session (dealing.Plan): `rounds[i]` holds the deals of round i + 1."""

    @property
    def rounds(self) -> Sequence[Sequence[DealLike]]: ...


def table_faces(
    plan: PlanLike, deck: LocalDeck, *, intro: bool = True, closing: bool = True
) -> tuple[tuple[Face, ...], ...]:
    """A table pack, one group per table: its ground rules, its card for every round, its aftercare."""
    t = translator(deck.language)
    by_table: dict[int, list[DealLike]] = {}
    for deals in plan.rounds:
        for deal in deals:
            by_table.setdefault(deal.table, []).append(deal)
    groups: list[tuple[Face, ...]] = []
    for table in sorted(by_table):
        faces: list[Face] = []
        table_label = t(TABLE).format(table=table)
        if intro and (face := lines_face(deck, FaceKind.intro, label=table_label)):
            faces.append(face)
        for deal in sorted(by_table[table], key=lambda d: d.round):
            try:
                card = deck.card(deal.card_id)
            except KeyError:
                raise UsageError(
                    _("the plan deals card '{card}', which deck '{deck}' does not have").format(
                        card=deal.card_id, deck=deck.id
                    )
                ) from None
            label = t(TABLE_ROUND).format(table=table, round=deal.round)
            faces.append(card_face(deck, card, label=label))
        if closing and (face := lines_face(deck, FaceKind.closing, label=table_label)):
            faces.append(face)
        groups.append(tuple(faces))
    if not any(groups):
        raise UsageError(_("the plan deals no cards"))
    return tuple(groups)
