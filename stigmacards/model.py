"""The deck model (format v1): frozen pydantic models, and the localised view of a deck.

pydantic validates the structure and reports every error at once with its location; the
loader maps those locations back to line and column. Semantic checks that need the whole
deck (unique ids, references) live in `loading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
FORMAT_VERSION = 1
QUESTIONS_PER_CARD = 3
LEVELS = (1, 2, 3)


def _not_blank(value: str) -> str:
    # Surrounding whitespace is never meant: it is what `>` and `|` leave at the end of a text
    # (a blank line under the question on screen) or what a stray space adds.
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


# "Not blank" for JSON Schema: at least one character that Python's str.strip() keeps, spelled
# out because ECMA-262's \s (editors) and Python's \s (jsonschema) disagree on a few characters.
NOT_BLANK_PATTERN = r"[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

Text = Annotated[
    str, Strict(), AfterValidator(_not_blank), Field(json_schema_extra={"pattern": NOT_BLANK_PATTERN})
]
Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_PATTERN)]
LangTag = Annotated[str, Strict(), StringConstraints(pattern=LANG_PATTERN)]
Level = Annotated[int, Strict(), Field(ge=1, le=3)]
Questions = Annotated[tuple[Text, ...], Field(min_length=3, max_length=3)]
Lines = tuple[Text, ...]


class _Frozen(BaseModel):
    # Unknown keys are errors; `x-` keys are removed by the loader before validation.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# The descriptions below are what an editor shows on hover (via `deck schema`); keep them short
# and written for trainers.


class Card(_Frozen):
    """A card: three questions for one table, for one round."""

    id: Slug = Field(description="Unique within the deck: lowercase letters, digits and hyphens.")
    title: Text | None = Field(None, description="Short title shown above the questions.")
    level: Level = Field(1, description="Depth: 1 opening, 2 deeper, 3 most personal.")
    tags: tuple[Text, ...] = Field((), description="Themes, for choosing cards (e.g. language, work).")
    content_note: Text | None = Field(
        None, description="Marks a sensitive card; it is only dealt when the group opts in."
    )
    facilitator_note: Text | None = Field(None, description="Shown to the facilitator only.")
    questions: Questions = Field(description="Exactly three questions.")

    @property
    def sensitive(self) -> bool:
        return self.content_note is not None


class ScalePrompt(_Frozen):
    """A reflection question answered on a number scale."""

    id: Slug = Field(description="Unique among the reflection prompts.")
    kind: Literal["scale"] = Field(description="scale, choice or text.")
    prompt: Text = Field(description="The question participants answer.")
    min: Annotated[int, Strict()] = Field(1, description="Lowest point of the scale.")
    max: Annotated[int, Strict()] = Field(5, description="Highest point (at most 10 steps above min).")
    labels: dict[Annotated[int, Strict()], Text] = Field(
        default_factory=dict, description="Words for some points of the scale, e.g. {1: Not at all, 5: Very}."
    )


class ChoicePrompt(_Frozen):
    """A reflection question answered by picking one option."""

    id: Slug = Field(description="Unique among the reflection prompts.")
    kind: Literal["choice"] = Field(description="scale, choice or text.")
    prompt: Text = Field(description="The question participants answer.")
    options: Annotated[tuple[Text, ...], Field(min_length=2)] = Field(
        description="At least two options; consider offering 'I'd rather not say'."
    )


class TextPrompt(_Frozen):
    """A reflection question answered in free text."""

    id: Slug = Field(description="Unique among the reflection prompts.")
    kind: Literal["text"] = Field(description="scale, choice or text.")
    prompt: Text = Field(description="The question participants answer.")


ReflectionPrompt = Annotated[ScalePrompt | ChoicePrompt | TextPrompt, Field(discriminator="kind")]


class CardTranslation(_Frozen):
    """A card's texts in another language; what is left out is shown in the deck's language."""

    title: Text | None = Field(None, description="Translated title.")
    content_note: Text | None = Field(None, description="Translated content note.")
    facilitator_note: Text | None = Field(None, description="Translated facilitator note.")
    questions: Questions | None = Field(None, description="The three questions, translated, in order.")


class PromptTranslation(_Frozen):
    """A reflection prompt's texts in another language."""

    prompt: Text | None = Field(None, description="Translated question.")
    labels: dict[Annotated[int, Strict()], Text] | None = Field(None, description="Translated scale labels.")
    options: tuple[Text, ...] | None = Field(
        None, description="Translated options, as many as the original, in the same order."
    )


class DeckTranslation(_Frozen):
    """The deck's texts in one more language; any subset of them."""

    title: Text | None = Field(None, description="Translated deck title.")
    description: Text | None = Field(None, description="Translated description.")
    intro: Lines | None = Field(None, description="Translated ground rules.")
    closing: Lines | None = Field(None, description="Translated closing and support lines.")
    content_notes: Lines | None = Field(None, description="Translated content notes.")
    reflection: dict[str, PromptTranslation] = Field(
        default_factory=dict, description="Translated reflection prompts, by prompt id."
    )
    cards: dict[str, CardTranslation] = Field(
        default_factory=dict, description="Translated cards, by card id."
    )


class Deck(_Frozen):
    """A stigmacards deck (format 1): conversation cards of three questions each."""

    deck: Annotated[int, Strict()] = Field(
        description="Format version of this file: 1.", json_schema_extra={"const": FORMAT_VERSION}
    )
    id: Slug = Field(description="The deck's id: lowercase letters, digits and hyphens.")
    title: Text = Field(description="The deck's title.")
    language: LangTag = Field(description="Language of the texts in this file: a BCP 47 tag (nl, en, en-GB).")
    description: Text | None = Field(None, description="What the deck is about and who it is for.")
    version: Text | None = Field(None, description='Version of the deck, as text (quote it: "1.0").')
    authors: tuple[Text, ...] = Field((), description="Who wrote the deck.")
    license: Text | None = Field(None, description="SPDX licence id, e.g. CC-BY-4.0.")
    content_notes: Lines = Field(
        (), description="Sensitive subjects the deck touches, shown before a session."
    )
    intro: Lines = Field(
        (), description="Ground rules shown before the first round; include the right to pass."
    )
    closing: Lines = Field((), description="Aftercare shown at the end: where to find support.")
    reflection: tuple[ReflectionPrompt, ...] = Field(
        (), description="Anonymous reflection prompts for the end of a session."
    )
    cards: Annotated[tuple[Card, ...], Field(min_length=1)] = Field(description="The cards; at least one.")
    translations: dict[LangTag, DeckTranslation] = Field(
        default_factory=dict, description="The deck's texts in other languages, by language tag."
    )

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
                title=_pick(ct.title if ct else None, card.title),
                level=card.level,
                tags=card.tags,
                content_note=_pick(ct.content_note if ct else None, card.content_note),
                facilitator_note=_pick(ct.facilitator_note if ct else None, card.facilitator_note),
                questions=(questions[0], questions[1], questions[2]),
                language=deck.language if ct is None or ct.questions is None else requested,
            )
        )
    prompts: list[LocalPrompt] = []
    for prompt in deck.reflection:
        pt = None if tr is None else tr.reflection.get(prompt.id)
        text = _pick(pt.prompt if pt else None, prompt.prompt) or prompt.prompt
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
                    labels=tuple(sorted(labels.items())),
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
        title=_pick(tr.title if tr else None, deck.title) or deck.title,
        description=_pick(tr.description if tr else None, deck.description),
        language=deck.language if own else requested,
        requested=requested,
        license=deck.license,
        content_notes=(tr.content_notes if tr and tr.content_notes else deck.content_notes),
        intro=tr.intro if tr and tr.intro else deck.intro,
        closing=tr.closing if tr and tr.closing else deck.closing,
        reflection=tuple(prompts),
        cards=tuple(cards),
        untranslated=tuple(untranslated),
    )


def _pick(translated: str | None, original: str | None) -> str | None:
    return translated if translated is not None else original
