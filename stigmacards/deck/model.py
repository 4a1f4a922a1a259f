"""The deck model (format v1): frozen msgspec Structs, and the localised view of a deck.

The Structs are the single description of the format: `validation` checks a deck against them
(msgspec's C fast path for a valid deck, a field-by-field walk that reports every problem for
an invalid one), and `schema` turns them into the JSON Schema editors use. Semantic checks that
need the whole deck (unique ids, references) live in `loading`.

msgspec rather than pydantic: importing pydantic and building these models cost ~90 ms of CPU at
every start (3.5x the time to read the bundled deck), msgspec and the Structs ~6 ms. See
benchmarks/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from msgspec import Meta, Struct, field

# The format's constants live in `format` (cheap to import); re-exported here for the model's users.
from stigmacards.deck.format import (
    FORMAT_VERSION,
    LANG_PATTERN,
    LEVELS,
    NOT_BLANK_PATTERN,
    QUESTIONS_PER_CARD,
    SLUG_PATTERN,
)

__all__ = [
    "FORMAT_VERSION",
    "LANG_PATTERN",
    "LEVELS",
    "NOT_BLANK_PATTERN",
    "QUESTIONS_PER_CARD",
    "SLUG_PATTERN",
    "Card",
    "CardTranslation",
    "ChoicePrompt",
    "Deck",
    "DeckTranslation",
    "LocalCard",
    "LocalDeck",
    "LocalPrompt",
    "PromptTranslation",
    "ReflectionPrompt",
    "ScalePrompt",
    "TextPrompt",
    "localize",
]


def whole_string(pattern: str) -> str:
    """`pattern` for Python's `re.search`, as JSON Schema (ECMA-262) reads it: there `$` ends the
    text; in Python it also matches before a final newline, so 'abc\\n' would pass as an id."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern


# Text: at least one character that str.strip() keeps (the pattern spells out Python's whitespace).
Text = Annotated[str, Meta(pattern=NOT_BLANK_PATTERN)]
Slug = Annotated[str, Meta(pattern=whole_string(SLUG_PATTERN))]
LangTag = Annotated[str, Meta(pattern=whole_string(LANG_PATTERN))]
Level = Annotated[int, Meta(ge=1, le=3)]
Questions = Annotated[tuple[Text, ...], Meta(min_length=QUESTIONS_PER_CARD, max_length=QUESTIONS_PER_CARD)]
Lines = tuple[Text, ...]


def doc(text: str) -> Meta:
    """What an editor shows on hover (via `deck schema`): keep it short and written for trainers."""
    return Meta(description=text)


class _Frozen(Struct, frozen=True, forbid_unknown_fields=True):
    """Unknown keys are errors; `x-` keys are removed by the loader before validation.

    Subclasses repeat `frozen=True` (type checkers do not inherit it) and add `kw_only=True`
    when a required field follows optional ones."""


class Card(_Frozen, frozen=True, kw_only=True):
    """A card: three questions for one table, for one round."""

    id: Annotated[Slug, doc("Unique within the deck: lowercase letters, digits and hyphens.")]
    title: Annotated[Text | None, doc("Short title shown above the questions.")] = None
    level: Annotated[Level, doc("Depth: 1 opening, 2 deeper, 3 most personal.")] = 1
    tags: Annotated[tuple[Text, ...], doc("Themes, for choosing cards (e.g. language, work).")] = ()
    content_note: Annotated[
        Text | None, doc("Marks a sensitive card; it is only dealt when the group opts in.")
    ] = None
    facilitator_note: Annotated[Text | None, doc("Shown to the facilitator only.")] = None
    questions: Annotated[Questions, doc("Exactly three questions.")]

    @property
    def sensitive(self) -> bool:
        return self.content_note is not None


# The reflection prompts are a union tagged by their `kind` key (scale, choice or text).
KIND_DESCRIPTION = "scale, choice or text."


class ScalePrompt(_Frozen, frozen=True, tag_field="kind", tag="scale"):
    """A reflection question answered on a number scale."""

    id: Annotated[Slug, doc("Unique among the reflection prompts.")]
    prompt: Annotated[Text, doc("The question participants answer.")]
    min: Annotated[int, doc("Lowest point of the scale.")] = 1
    max: Annotated[int, doc("Highest point (at most 10 steps above min).")] = 5
    labels: Annotated[
        dict[int, Text], doc("Words for some points of the scale, e.g. {1: Not at all, 5: Very}.")
    ] = field(default_factory=dict)

    @property
    def kind(self) -> Literal["scale"]:
        return "scale"


# One Struct per prompt kind (a tagged union for msgspec): alike in shape by design.
class ChoicePrompt(_Frozen, frozen=True, tag_field="kind", tag="choice"):
    """A reflection question answered by picking one option."""

    id: Annotated[Slug, doc("Unique among the reflection prompts.")]
    prompt: Annotated[Text, doc("The question participants answer.")]
    options: Annotated[
        tuple[Text, ...],
        Meta(min_length=2),
        doc("At least two options; consider offering 'I'd rather not say'."),
    ]

    @property
    def kind(self) -> Literal["choice"]:
        return "choice"


class TextPrompt(_Frozen, frozen=True, tag_field="kind", tag="text"):
    """A reflection question answered in free text."""

    id: Annotated[Slug, doc("Unique among the reflection prompts.")]
    prompt: Annotated[Text, doc("The question participants answer.")]

    @property
    def kind(self) -> Literal["text"]:
        return "text"


ReflectionPrompt = ScalePrompt | ChoicePrompt | TextPrompt


class CardTranslation(_Frozen, frozen=True):
    """A card's texts in another language; what is left out is shown in the deck's language."""

    title: Annotated[Text | None, doc("Translated title.")] = None
    content_note: Annotated[Text | None, doc("Translated content note.")] = None
    facilitator_note: Annotated[Text | None, doc("Translated facilitator note.")] = None
    questions: Annotated[Questions | None, doc("The three questions, translated, in order.")] = None


class PromptTranslation(_Frozen, frozen=True):
    """A reflection prompt's texts in another language."""

    prompt: Annotated[Text | None, doc("Translated question.")] = None
    labels: Annotated[dict[int, Text] | None, doc("Translated scale labels.")] = None
    options: Annotated[
        tuple[Text, ...] | None, doc("Translated options, as many as the original, in the same order.")
    ] = None


class DeckTranslation(_Frozen, frozen=True):
    """The deck's texts in one more language; any subset of them."""

    title: Annotated[Text | None, doc("Translated deck title.")] = None
    description: Annotated[Text | None, doc("Translated description.")] = None
    intro: Annotated[Lines | None, doc("Translated ground rules.")] = None
    closing: Annotated[Lines | None, doc("Translated closing and support lines.")] = None
    content_notes: Annotated[Lines | None, doc("Translated content notes.")] = None
    reflection: Annotated[
        dict[str, PromptTranslation], doc("Translated reflection prompts, by prompt id.")
    ] = field(default_factory=dict)
    cards: Annotated[dict[str, CardTranslation], doc("Translated cards, by card id.")] = field(
        default_factory=dict
    )


class Deck(_Frozen, frozen=True, kw_only=True):
    """A stigmacards deck (format 1): conversation cards of three questions each."""

    deck: Annotated[int, doc("Format version of this file: 1.")]
    id: Annotated[Slug, doc("The deck's id: lowercase letters, digits and hyphens.")]
    title: Annotated[Text, doc("The deck's title.")]
    language: Annotated[LangTag, doc("Language of the texts in this file: a BCP 47 tag (nl, en, en-GB).")]
    description: Annotated[Text | None, doc("What the deck is about and who it is for.")] = None
    version: Annotated[Text | None, doc('Version of the deck, as text (quote it: "1.0").')] = None
    authors: Annotated[tuple[Text, ...], doc("Who wrote the deck.")] = ()
    license: Annotated[Text | None, doc("SPDX licence id, e.g. CC-BY-4.0.")] = None
    content_notes: Annotated[Lines, doc("Sensitive subjects the deck touches, shown before a session.")] = ()
    intro: Annotated[Lines, doc("Ground rules shown before the first round; include the right to pass.")] = ()
    closing: Annotated[Lines, doc("Aftercare shown at the end: where to find support.")] = ()
    reflection: Annotated[
        tuple[ReflectionPrompt, ...], doc("Anonymous reflection prompts for the end of a session.")
    ] = ()
    cards: Annotated[tuple[Card, ...], Meta(min_length=1), doc("The cards; at least one.")]
    translations: Annotated[
        dict[LangTag, DeckTranslation], doc("The deck's texts in other languages, by language tag.")
    ] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        """The deck's own language first, then its translations."""
        return (self.language, *(t for t in self.translations if t != self.language))

    def card(self, card_id: str) -> Card:
        for card in self.cards:
            if card.id == card_id:
                return card
        raise KeyError(card_id)

    def translation_for(self, lang: str) -> DeckTranslation | None:
        """The translation for `lang`: exact tag first, then the same primary language."""
        if _same_tag(lang, self.language):
            return None
        for tag, translation in self.translations.items():
            if _same_tag(tag, lang):
                return translation
        primary = _primary(lang)
        for tag, translation in self.translations.items():
            if _primary(tag) == primary:
                return translation
        return None

    def language_for(self, interface: str) -> str:
        """The deck's language that matches the interface language `interface`, else its own."""
        return next((tag for tag in self.languages if _primary(tag) == _primary(interface)), self.language)

    def speaks(self, lang: str) -> bool:
        """True when the deck has its own text or a translation in `lang`."""
        return _primary(lang) == _primary(self.language) or self.translation_for(lang) is not None


def _same_tag(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def _primary(tag: str) -> str:
    return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


# --- The localised view: what a facilitator and a room actually see. -----------------------


@dataclass(frozen=True, slots=True)
class LocalCard:
    """A card in one language, with the language its text is actually in."""

    id: str
    title: str | None
    level: int
    tags: tuple[str, ...]
    content_note: str | None
    facilitator_note: str | None
    questions: tuple[str, str, str]
    language: str

    @property
    def sensitive(self) -> bool:
        return self.content_note is not None


@dataclass(frozen=True, slots=True)
class LocalPrompt:
    id: str
    kind: Literal["scale", "choice", "text"]
    prompt: str
    min: int = 1
    max: int = 5
    labels: tuple[tuple[int, str], ...] = ()
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LocalDeck:
    """A deck in one language; `untranslated` lists the cards shown in the deck's own language."""

    id: str
    title: str
    description: str | None
    language: str
    requested: str
    license: str | None
    content_notes: tuple[str, ...]
    intro: tuple[str, ...]
    closing: tuple[str, ...]
    reflection: tuple[LocalPrompt, ...]
    cards: tuple[LocalCard, ...]
    untranslated: tuple[str, ...]

    def card(self, card_id: str) -> LocalCard:
        for card in self.cards:
            if card.id == card_id:
                return card
        raise KeyError(card_id)


def localize(deck: Deck, lang: str | None = None) -> LocalDeck:
    """Return `deck` in `lang`, falling back to the deck's own language text by text."""
    requested = lang or deck.language
    tr = deck.translation_for(requested)
    own = tr is None
    cards: list[LocalCard] = []
    untranslated: list[str] = []
    for card in deck.cards:
        ct = None if tr is None else tr.cards.get(card.id)
        if not own and (ct is None or ct.questions is None):
            untranslated.append(card.id)
        questions = ct.questions if ct is not None and ct.questions is not None else card.questions
        cards.append(
            LocalCard(
                id=card.id,
                title=_strip(_pick(ct.title if ct else None, card.title)),
                level=card.level,
                tags=card.tags,
                content_note=_strip(_pick(ct.content_note if ct else None, card.content_note)),
                facilitator_note=_strip(_pick(ct.facilitator_note if ct else None, card.facilitator_note)),
                questions=(questions[0].strip(), questions[1].strip(), questions[2].strip()),
                language=deck.language if ct is None or ct.questions is None else requested,
            )
        )
    prompts: list[LocalPrompt] = []
    for prompt in deck.reflection:
        pt = None if tr is None else tr.reflection.get(prompt.id)
        text = (_pick(pt.prompt if pt else None, prompt.prompt) or prompt.prompt).strip()
        if isinstance(prompt, ScalePrompt):
            labels = dict(prompt.labels)
            if pt is not None and pt.labels:
                labels.update(pt.labels)
            prompts.append(
                LocalPrompt(
                    id=prompt.id,
                    kind="scale",
                    prompt=text,
                    min=prompt.min,
                    max=prompt.max,
                    labels=tuple(sorted((point, label.strip()) for point, label in labels.items())),
                )
            )
        elif isinstance(prompt, ChoicePrompt):
            options = prompt.options
            if pt is not None and pt.options and len(pt.options) == len(options):
                options = pt.options
            prompts.append(LocalPrompt(id=prompt.id, kind="choice", prompt=text, options=options))
        else:
            prompts.append(LocalPrompt(id=prompt.id, kind="text", prompt=text))
    return LocalDeck(
        id=deck.id,
        title=(_pick(tr.title if tr else None, deck.title) or deck.title).strip(),
        description=_strip(_pick(tr.description if tr else None, deck.description)),
        language=deck.language if own else requested,
        requested=requested,
        license=deck.license,
        content_notes=_lines(tr.content_notes if tr and tr.content_notes else deck.content_notes),
        intro=_lines(tr.intro if tr and tr.intro else deck.intro),
        closing=_lines(tr.closing if tr and tr.closing else deck.closing),
        reflection=tuple(prompts),
        cards=tuple(cards),
        untranslated=tuple(untranslated),
    )


def _pick(translated: str | None, original: str | None) -> str | None:
    return translated if translated is not None else original


# What the room sees has no whitespace around it: the line break a `>` or `|` block leaves at the
# end of a text would show as a blank line under a question.
def _strip(text: str | None) -> str | None:
    return None if text is None else text.strip()


def _lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(line.strip() for line in lines)
