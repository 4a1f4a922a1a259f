"""Imported decks as YAML files: plain deck data in, a commented deck file out; and a language guess."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from stigmacards.deck.format import FORMAT_VERSION
from stigmacards.text import inert

if TYPE_CHECKING:
    from stigmacards.deck.interchange import ImportedCard


def deck_data(cards: Sequence[ImportedCard], *, deck_id: str, title: str, language: str) -> dict[str, Any]:
    """The deck as plain data in the order a person reads it."""
    entries: list[dict[str, Any]] = []
    for card in cards:
        entry: dict[str, Any] = {"id": card.id}
        if card.title:
            entry["title"] = card.title
        entry["level"] = card.level
        if card.tags:
            entry["tags"] = list(card.tags)
        if card.content_note:
            entry["content_note"] = card.content_note
        if card.facilitator_note:
            entry["facilitator_note"] = card.facilitator_note
        entry["questions"] = list(card.questions)
        entries.append(entry)
    return {"deck": FORMAT_VERSION, "id": deck_id, "title": title, "language": language, "cards": entries}


def deck_yaml(data: dict[str, Any], *, source: str, output: str) -> str:
    """A deck file: a header comment, then block-style YAML, one blank line between cards."""
    import yaml

    class Dumper(yaml.SafeDumper):
        # Indent list items under their key, as the bundled decks (and most people) write them.
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    body = yaml.dump(
        data,
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # one question per line: easier to edit and to diff than folded lines
    )
    body = re.sub(r"^  - id:", "\n  - id:", body, flags=re.MULTILINE)
    header = [
        f"# {inert(str(data.get('title', '')), single_line=True)}",
        "#",
        f"# Imported from {inert(source, single_line=True)} by `stigmacards deck import`.",
        "# Check the texts, then consider adding what is missing: a description, a license, an intro",
        "# (ground rules) and a closing (aftercare). Check it with:",
        # Written to stdout, the file's name is not known here: the author saves it somewhere.
        f"#   stigmacards deck validate {'FILE' if output == '-' else inert(output, single_line=True)}",
        "",
    ]
    return "\n".join(header) + "\n" + body


# Short words that nearly every question in the language has, and the other language lacks.
_COMMON_WORDS = {
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "je",
            "jij",
            "wat",
            "hoe",
            "niet",
            "van",
            "en",
            "dat",
            "ik",
            "is",
            "op",
            "voor",
            "met",
            "zijn",
            "wie",
            "waar",
            "waarom",
            "ben",
            "heb",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "a",
            "you",
            "your",
            "what",
            "how",
            "not",
            "of",
            "and",
            "that",
            "i",
            "is",
            "on",
            "for",
            "with",
            "are",
            "who",
            "where",
            "why",
            "am",
            "have",
        ]
    ),
}


def guess_language(texts: Iterable[str]) -> str | None:
    """'nl' or 'en' when the texts are clearly in that language, else None."""
    counts = dict.fromkeys(_COMMON_WORDS, 0)
    for text in texts:
        for word in re.findall(r"[a-zà-ÿ]+", text.lower()):
            for lang, words in _COMMON_WORDS.items():
                counts[lang] += word in words
    best = max(counts, key=lambda lang: counts[lang])
    others = sum(n for lang, n in counts.items() if lang != best)
    return best if counts[best] >= 3 and counts[best] >= 2 * others else None
