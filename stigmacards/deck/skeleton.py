"""`deck new`: the answers a trainer gives, and the commented skeleton deck written from them.

`skeleton` is a pure function: the same answers always give the same text, and that text is a
valid deck (the tests load it back for arbitrary titles). Comments are interface text (gettext);
the placeholder texts are deck content, written in the deck's language.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from stigmacards import i18n
from stigmacards.deck.format import LANG_PATTERN, MAX_NEW_CARDS, MIN_NEW_CARDS, SLUG_PATTERN, slugify
from stigmacards.errors import OutputError, UsageError
from stigmacards.i18n import _

MIN_CARDS = MIN_NEW_CARDS
MAX_CARDS = MAX_NEW_CARDS
DEFAULT_CARDS = 12
DECK_LANGUAGES = ("nl", "en")


@dataclass(frozen=True, slots=True)
# A value class: alike in shape to catalog.DeckSource and other frozen dataclasses by nature.
class NewDeck:
    """What a new deck starts from."""

    title: str
    deck_id: str
    language: str
    cards: int = DEFAULT_CARDS


@dataclass(frozen=True, slots=True)
class _Content:
    """Placeholder deck content in one language."""

    new_title: str
    description: str
    card: str
    card_title: str
    question: str
    intro: tuple[str, ...]
    closing: tuple[str, ...]
    scale_prompt: str
    scale_low: str
    scale_high: str
    choice_prompt: str
    choice_options: tuple[str, ...]
    text_prompt: str
    content_note: str
    subject: str
    facilitator_note: str
    tag: str


_CONTENT = {
    "nl": _Content(
        new_title="Nieuw deck",
        description="Gesprekskaarten over … voor …",
        card="kaart",
        card_title="Kaart {n}",
        question="Kaart {n}, vraag {q}: wat wil je hier vragen?",
        intro=(
            "Je mag altijd passen, bij elke vraag en zonder uitleg.",
            "Wat in de groep gezegd wordt, blijft in de groep.",
            "Spreek vanuit je eigen ervaring: zeg ‘ik’ in plaats van ‘men’.",
        ),
        closing=(
            "Neem na dit gesprek even een moment voor jezelf.",
            "Vervang deze regel door waar deelnemers steun kunnen vinden: organisatie, telefoonnummer, website.",
        ),
        # The same fields as the English content below, in Dutch: data side by side, not logic.
        scale_prompt="Hoe veilig voelde je je om te spreken?",
        scale_low="Helemaal niet veilig",
        scale_high="Heel veilig",
        choice_prompt="Vanuit welke rol was je hier vandaag?",
        choice_options=("Vanuit eigen ervaring", "Vanuit mijn werk", "Zeg ik liever niet"),
        text_prompt="Wat neem je mee uit dit gesprek?",
        content_note="Kan gaan over geweld.",
        subject="geweld",
        facilitator_note="Alleen zichtbaar voor de gespreksleider.",
        tag="vooroordelen",
    ),
    "en": _Content(
        new_title="New deck",
        description="Conversation cards about … for …",
        card="card",
        card_title="Card {n}",
        question="Card {n}, question {q}: what do you want to ask here?",
        intro=(
            "You can always pass, on any question, without explaining why.",
            "What is said in the group stays in the group.",
            "Speak from your own experience: say ‘I’ rather than ‘people’.",
        ),
        closing=(
            "Take a moment for yourself after this conversation.",
            "Replace this line with where participants can find support: organisation, phone number, website.",
        ),
        scale_prompt="How safe did you feel to speak?",
        scale_low="Not safe at all",
        scale_high="Very safe",
        choice_prompt="In which role were you here today?",
        choice_options=("From my own experience", "From my work", "I'd rather not say"),
        text_prompt="What will you take away from this conversation?",
        content_note="May touch on violence.",
        subject="violence",
        facilitator_note="Only the facilitator sees this.",
        tag="prejudice",
    ),
}


def _primary(language: str) -> str:
    return language.split("-", maxsplit=1)[0].lower()


def content_for(language: str) -> _Content:
    """Placeholder content in `language`'s primary language, English when there is none."""
    return _CONTENT.get(_primary(language), _CONTENT["en"])


@functools.cache
def placeholders() -> tuple[re.Pattern[str], ...]:
    """The texts `skeleton` writes for the author to replace, in every language it writes them."""
    out: list[re.Pattern[str]] = []
    for c in _CONTENT.values():
        question = re.escape(c.question).replace(re.escape("{n}"), r"\d+").replace(re.escape("{q}"), r"\d+")
        out.append(re.compile(question))
        out.extend(re.compile(re.escape(text)) for text in (c.description, c.closing[-1]))
    return tuple(out)


def is_placeholder(text: str) -> bool:
    """True when `text` is still one of the skeleton's placeholders."""
    return any(p.fullmatch(text.strip()) for p in placeholders())


def default_title(language: str) -> str:
    return content_for(language).new_title


def default_id(title: str) -> str:
    """A deck id from a title: 'Één · ‘test’' → 'een-test'; 'deck' when nothing is left."""
    return slugify(title) or "deck"


def is_slug(text: str) -> bool:
    return re.fullmatch(SLUG_PATTERN.strip("^$"), text) is not None


def is_language_tag(text: str) -> bool:
    return re.fullmatch(LANG_PATTERN.strip("^$"), text) is not None


def check(spec: NewDeck) -> NewDeck:
    """Return `spec` with its title trimmed, or raise UsageError naming the flag to fix."""
    title = spec.title.strip()
    if not title:
        raise UsageError(_("the title cannot be empty (--title)"))
    if not is_slug(spec.deck_id):
        raise UsageError(
            _(
                "'{id}' is not a valid deck id: use lowercase letters a-z, digits and single hyphens (--id)"
            ).format(id=spec.deck_id)
        )
    if not is_language_tag(spec.language):
        raise UsageError(
            _("'{lang}' is not a language tag such as nl, en or en-GB (--lang)").format(lang=spec.language)
        )
    if not MIN_CARDS <= spec.cards <= MAX_CARDS:
        raise UsageError(
            _("the number of cards must be from {lo} to {hi} (--cards)").format(lo=MIN_CARDS, hi=MAX_CARDS)
        )
    return NewDeck(title=title, deck_id=spec.deck_id, language=spec.language, cards=spec.cards)


def new_deck(
    *,
    title: str | None = None,
    deck_id: str | None = None,
    language: str | None = None,
    cards: int | None = None,
    default_language: str = "en",
) -> NewDeck:
    """The deck the answers describe; what was not answered gets its default. Checked."""
    language = language or (default_language if default_language in DECK_LANGUAGES else DECK_LANGUAGES[0])
    title = title if title is not None else default_title(language)
    return check(
        NewDeck(
            title=title,
            deck_id=deck_id if deck_id is not None else default_id(title),
            language=language,
            cards=cards if cards is not None else DEFAULT_CARDS,
        )
    )


def parse_card_count(text: str) -> int | None:
    """The number of cards typed in answer to the question; None when it is not one we accept."""
    text = text.strip()
    if not text:
        return DEFAULT_CARDS
    if text.isdigit() and MIN_CARDS <= int(text) <= MAX_CARDS:
        return int(text)
    return None


# --- The skeleton ----------------------------------------------------------------------------

# Characters escaped in a quoted YAML scalar: what YAML cannot hold literally (controls,
# non-characters), what a double-quoted scalar would fold (line breaks), and what would make the
# file read differently in an editor than it loads (bidi controls, BOM).
_ESCAPE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"


def quote(text: str) -> str:
    """`text` as a double-quoted YAML scalar that loads back to exactly `text`."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return '"' + re.sub(_ESCAPE, escape, text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _comment(text: str, indent: int = 0) -> str:
    return " " * indent + "# " + text


def skeleton(spec: NewDeck, *, schema_ref: str) -> str:
    """The text of a new, valid, commented deck with `spec.cards` placeholder cards.

    The comments are in the deck's language, not the interface's: they belong to the file.
    """
    import urllib.parse

    _ = i18n.translator(spec.language)  # shadows i18n._ on purpose; the catalogue scan still finds these
    c = content_for(spec.language)
    other = "nl" if _primary(spec.language) == "en" else "en"
    o = _CONTENT[other]
    # The modeline is one line: percent-encode anything (spaces, line breaks) that would end it.
    ref = urllib.parse.quote(schema_ref, safe=":/#%@?=&~+,;!$'()*[]")
    out: list[str] = [
        f"# yaml-language-server: $schema={ref}",
        "#",
        _comment(_("A stigmacards deck (format 1). Check it with: stigmacards deck validate FILE")),
        _comment(_("Lines starting with # are comments. Keys starting with x- are free for your own notes.")),
        _comment(
            _("Put texts in double quotes, as below: then ': ', '#' or a leading '[', '*', '&', '!' or '?'")
        ),
        _comment(_("cannot change their meaning. Prefer lists with one '- ' item per line.")),
        "",
        "deck: 1  " + _comment(_("format version of this file; always 1")),
        # Quoted: an id like 'yes' or '123', or the language 'no', would not load as text unquoted.
        f"id: {quote(spec.deck_id)}  " + _comment(_("the deck's id: lowercase letters, digits and hyphens")),
        f"title: {quote(spec.title)}  " + _comment(_("the deck's title")),
        f"language: {quote(spec.language)}  "
        + _comment(_("language of the texts in this file: nl, en, en-GB, ...")),
        _comment(_("Optional keys: remove the # to use them.")),
        _comment("description: " + quote(c.description) + "  # " + _("what the deck is about, and for whom")),
        _comment('version: "1.0"  # ' + _("the deck's own version, as text")),
        _comment("authors:  # " + _("who wrote the deck")),
        _comment('  - "…"'),
        _comment(
            "license: CC-BY-4.0  # " + _("an SPDX licence id; CC-BY-4.0 lets others share and adapt it")
        ),
        _comment("content_notes:  # " + _("sensitive subjects the deck touches, shown before a session")),
        _comment(f"  - {quote(c.subject)}"),
        "",
        "intro:  " + _comment(_("ground rules, shown before the first round; keep the right to pass")),
        *(f"  - {quote(line)}" for line in c.intro),
        "",
        "closing:  " + _comment(_("shown at the end: aftercare, and where to find support")),
        *(f"  - {quote(line)}" for line in c.closing),
        "",
        _comment(
            _(
                "Anonymous reflection prompts for the end of a session (optional): kind is scale, choice or text."
            )
        ),
        _comment("reflection:"),
        _comment("  - id: safe"),
        _comment("    kind: scale"),
        _comment(f"    prompt: {quote(c.scale_prompt)}"),
        _comment("    min: 1"),
        _comment("    max: 5"),
        _comment("    labels:"),
        _comment(f"      1: {quote(c.scale_low)}"),
        _comment(f"      5: {quote(c.scale_high)}"),
        _comment("  - id: role"),
        _comment("    kind: choice"),
        _comment(f"    prompt: {quote(c.choice_prompt)}"),
        _comment("    options:"),
        *(_comment(f"      - {quote(option)}") for option in c.choice_options),
        _comment("  - id: takeaway"),
        _comment("    kind: text"),
        _comment(f"    prompt: {quote(c.text_prompt)}"),
        "",
        "cards:  " + _comment(_("every card has exactly three questions")),
    ]
    for n in range(1, spec.cards + 1):
        first = n == 1
        out.append(f"  - id: {c.card}-{n}" + ("  " + _comment(_("unique within the deck")) if first else ""))
        out.append(
            f"    title: {quote(c.card_title.format(n=n))}"
            + ("  " + _comment(_("optional")) if first else "")
        )
        out.append(
            "    level: 1"
            + ("  " + _comment(_("optional: 1 opening, 2 deeper, 3 most personal")) if first else "")
        )
        if first:
            out.append(_comment(f"tags: [{c.tag}]  # " + _("optional: themes"), 4))
            out.append(
                _comment(
                    f"content_note: {quote(c.content_note)}  # "
                    + _("optional: a sensitive card, dealt only when the group opts in"),
                    4,
                )
            )
            out.append(
                _comment(
                    f"facilitator_note: {quote(c.facilitator_note)}  # " + _("optional: for the facilitator"),
                    4,
                )
            )
        out.append(
            "    questions:" + ("  " + _comment(_("exactly three, each ending in '?'")) if first else "")
        )
        out.extend(f"      - {quote(c.question.format(n=n, q=q))}" for q in (1, 2, 3))
        out.append("")
    out.extend(
        [
            _comment(_("Translations (optional): the same ids, any of the texts, per language.")),
            _comment("translations:"),
            _comment(f"  {other}:"),
            _comment(f"    title: {quote(o.new_title)}"),
            _comment("    intro:"),
            *(_comment(f"      - {quote(line)}") for line in o.intro),
            _comment("    cards:"),
            _comment(f"      {c.card}-1:"),
            _comment(f"        title: {quote(o.card_title.format(n=1))}"),
            _comment("        questions:"),
            *(_comment(f"          - {quote(o.question.format(n=1, q=q))}") for q in (1, 2, 3)),
        ]
    )
    return "\n".join(out) + "\n"


def write_new_deck(path: Path, text: str) -> None:
    """Create `path` with `text`; never overwrite: an existing file is left exactly as it was."""
    try:
        # "x" creates the file or fails, in one step: no window in which another file could appear.
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise OutputError(
            _("{path} already exists; not overwriting it (give another PATH, or move the file away)").format(
                path=path
            )
        ) from None
    # OSError subclasses to one line each, as deck/reading.py does for reading: other errors, other words.
    except FileNotFoundError:
        raise OutputError(_("{path}: the directory does not exist").format(path=path)) from None
    except OSError as exc:
        raise OutputError(
            _("{path}: cannot write ({reason})").format(path=path, reason=exc.strerror)
        ) from None
