"""A deck as a Markdown handout, for e-mail or a wiki: one language, nothing in it live."""

from __future__ import annotations

from stigmacards.deck.format import LEVELS, level_dots
from stigmacards.deck.model import LocalDeck
from stigmacards.i18n import N_, translator
from stigmacards.text import markdown_literal

# What the parts of a deck are called on paper: in the handout and on printed cards (printing).
GROUND_RULES = N_("Before we start")
AFTERWARDS = N_("Closing and support")
CONTENT_NOTE = N_("Content note: ")
RIGHT_TO_PASS = N_("You may always pass.")
LEVEL_HEADING = N_("Level {level}")
CONTENT_NOTES = N_("Content notes: ")


def md(text: str) -> str:
    """Deck text as literal Markdown: nothing in it becomes formatting, a link or HTML."""
    return markdown_literal(text)


def to_markdown(deck: LocalDeck) -> str:
    """A handout for e-mail or a wiki: title, description, ground rules, cards by level, aftercare."""
    t = translator(deck.language)
    out: list[str] = [f"# {md(deck.title)}", ""]
    if deck.description:
        out += [md(deck.description), ""]
    meta = " · ".join(md(part) for part in (deck.id, deck.language, deck.license) if part)
    out += [f"*{meta}*", ""]
    if deck.content_notes:
        out += [f"**{md(t(CONTENT_NOTES).strip())}** {md(', '.join(deck.content_notes))}", ""]
    out += [f"*{md(t(RIGHT_TO_PASS))}*", ""]
    if deck.intro:
        out += [f"## {md(t(GROUND_RULES))}", "", *(f"- {md(line)}" for line in deck.intro), ""]
    for level in LEVELS:
        cards = [card for card in deck.cards if card.level == level]
        if not cards:
            continue
        out += [f"## {md(t(LEVEL_HEADING).format(level=level))} {level_dots(level)}", ""]
        for card in cards:
            out += [f"### {md(card.title or card.id)}", ""]
            if card.content_note:
                out += [f"*{md(t(CONTENT_NOTE).strip())} {md(card.content_note)}*", ""]
            out += [f"{n}. {md(q)}" for n, q in enumerate(card.questions, start=1)]
            out.append("")
    if deck.closing:
        out += [f"## {md(t(AFTERWARDS))}", "", *(f"- {md(line)}" for line in deck.closing), ""]
    return "\n".join(out)
