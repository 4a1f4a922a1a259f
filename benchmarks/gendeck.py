"""Generate large valid decks for benchmarks (and tests that need one)."""

from __future__ import annotations

import argparse
from pathlib import Path


def deck_text(cards: int, *, translated: bool = True) -> str:
    """A valid format-v1 deck with `cards` cards (and an English translation of each)."""
    lines = [
        "deck: 1",
        f"id: bench-{cards}",
        f"title: Benchmark deck met {cards} kaarten",
        "language: nl",
        "license: CC-BY-4.0",
        "intro:",
        "  - Je mag altijd passen.",
        "closing:",
        "  - Zorg goed voor jezelf.",
        "cards:",
    ]
    for i in range(cards):
        lines += [
            f"  - id: kaart-{i}",
            f"    title: Kaart nummer {i}",
            f"    level: {i % 3 + 1}",
            "    tags: [werk, taal]",
            "    questions:",
            f"      - Wat valt je op aan situatie {i} als je eraan terugdenkt?",
            f"      - Welke woorden gebruik je zelf als het over thema {i} gaat?",
            f"      - Wat zou er moeten veranderen zodat het bij {i} beter gaat?",
        ]
    if translated:
        lines += ["translations:", "  en:", "    title: Benchmark deck", "    cards:"]
        for i in range(cards):
            lines += [
                f"      kaart-{i}:",
                f"        title: Card number {i}",
                "        questions:",
                f"          - What strikes you about situation {i} when you look back?",
                f"          - Which words do you use yourself when theme {i} comes up?",
                f"          - What would need to change for {i} to go better?",
            ]
    return "\n".join(lines) + "\n"


def write_deck(path: Path, cards: int) -> Path:
    path.write_text(deck_text(cards), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cards", type=int)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    write_deck(args.output, args.cards)


if __name__ == "__main__":
    main()
