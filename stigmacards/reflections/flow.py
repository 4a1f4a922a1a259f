"""The reflection flow without a terminal: which prompts, skipping, the draft, the answers to save.

Everything a participant types lives only in a `Draft` in memory until it is saved as one
submission; nothing here writes, prints or logs. The terminal side implements `Asker`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from stigmacards.deck.format import PromptKind
from stigmacards.errors import StoreError, UsageError
from stigmacards.i18n import _

if TYPE_CHECKING:  # imported where used: every command starts faster without sqlite3 and friends
    from stigmacards.deck.model import Deck, LocalDeck
    from stigmacards.reflections.pii import PiiFlag
    from stigmacards.reflections.store import Answer

Value = int | str

# The smallest group a report ever shows (anonymity.MIN_K: `--min-group` is refused below it),
# so it is the number the promise can honestly give; the report's default is higher. A test
# keeps the two equal.
PROMISED_MIN_GROUP = 3
# A reflection is a few sentences; this bounds what a stuck key or a pasted file can store.
MAX_TEXT = 4000
# Letters that cannot be mistaken for each other or for digits when read off a screen.
CODE_LETTERS = "ACDEFHJKLMNPRTUVWXY"
CODE_LENGTH = 4
END_COMMAND = ":end"


class Skip(enum.Enum):
    """The participant passed on a question."""

    SKIP = "skip"


SKIP = Skip.SKIP


@dataclass(frozen=True, slots=True)
class Question:
    """One reflection prompt as the participant sees it, and what is saved for each answer.

    A scale answer is saved as its number, a choice as the option's 0-based index (the same in
    every language, so it does not tell which language a participant used), free text as typed.
    """

    id: str
    kind: PromptKind
    prompt: str
    minimum: int = 1
    maximum: int = 5
    labels: tuple[tuple[int, str], ...] = ()
    options: tuple[str, ...] = ()

    @property
    def scale(self) -> tuple[int, ...]:
        return tuple(range(self.minimum, self.maximum + 1))

    def label(self, value: int) -> str | None:
        return dict(self.labels).get(value)

    def shown_value(self, value: Value) -> str:
        """A saved value as the participant would recognise it."""
        if self.kind is PromptKind.choice and isinstance(value, int) and 0 <= value < len(self.options):
            return self.options[value]
        return str(value)

    def parse(self, raw: str) -> Value:
        """Turn a `--answer ID=VALUE` value into the saved value; UsageError when it does not fit."""
        raw = raw.strip()
        if self.kind is PromptKind.scale:
            try:
                number = int(raw)
            except ValueError:
                number = self.minimum - 1
            if number not in self.scale:
                raise UsageError(
                    _("--answer {id}: give a whole number from {lo} to {hi}").format(
                        id=self.id, lo=self.minimum, hi=self.maximum
                    )
                )
            return number
        if self.kind is PromptKind.choice:
            if raw.isdigit() and 1 <= int(raw) <= len(self.options):
                return int(raw) - 1
            folded = raw.casefold()
            for index, option in enumerate(self.options):
                if folded == option.casefold():
                    return index
            raise UsageError(
                _("--answer {id}: give an option number from 1 to {n} or the option's text").format(
                    id=self.id, n=len(self.options)
                )
            )
        problem = text_problem(raw)
        if problem:
            raise UsageError(f"--answer {self.id}: {problem}")
        return raw


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a participant can pick, as every front end (terminal, kiosk, room) offers it.

    `label` is the deck's text as written: each front end makes it inert for its own medium.
    """

    value: Value | Skip
    label: str


def options_for(question: Question) -> tuple[Option, ...]:
    """The answers to offer for a scale or choice question, "skip" first.

    Nothing is ever chosen for a participant: a list cursor starts on "skip", so Enter on an
    untouched question passes and stores nothing, and a web form has no option checked. Putting
    the first real answer under the cursor would store "1 — not safe at all" or a role for
    someone who only wanted to move on.
    """
    skip = Option(SKIP, _("Skip this question"))
    if question.kind is PromptKind.scale:
        return (skip, *(Option(value, _scale_label(question, value)) for value in question.scale))
    if question.kind is PromptKind.choice:
        return (skip, *(Option(index, option) for index, option in enumerate(question.options)))
    return (skip,)


def _scale_label(question: Question, value: int) -> str:
    label = question.label(value)
    return f"{value} — {label}" if label else str(value)


def text_problem(text: str) -> str | None:
    """Why a free-text answer cannot be saved as it is, or None."""
    if len(text) > MAX_TEXT:
        return _("the answer is longer than {n} characters").format(n=MAX_TEXT)
    return None


def questions_for(deck: Deck, lang: str | None = None) -> tuple[Question, ...]:
    """The deck's reflection prompts in `lang`, in deck order."""
    from stigmacards.deck.model import localize

    return questions_from(localize(deck, lang))


def questions_from(deck: LocalDeck) -> tuple[Question, ...]:
    """The reflection prompts of a deck already in its session language."""
    return tuple(
        Question(
            id=local.id,
            kind=PromptKind(local.kind),
            prompt=local.prompt,
            minimum=local.min,
            maximum=local.max,
            labels=local.labels,
            options=local.options,
        )
        for local in deck.reflection
    )


@dataclass(frozen=True, slots=True)
class Draft:
    """What one participant answered so far, in question order; only ever held in memory."""

    values: tuple[tuple[str, Value], ...] = ()

    def with_answer(self, question_id: str, value: Value) -> Draft:
        kept = tuple(item for item in self.values if item[0] != question_id)
        return replace(self, values=(*kept, (question_id, value)))

    def without(self, question_id: str) -> Draft:
        return replace(self, values=tuple(item for item in self.values if item[0] != question_id))

    def get(self, question_id: str) -> Value | None:
        return dict(self.values).get(question_id)

    def __len__(self) -> int:
        return len(self.values)

    def answers(self, *, card_id: str | None = None) -> tuple[Answer, ...]:
        from stigmacards.reflections.store import Answer

        return tuple(Answer(prompt_id=pid, value=value, card_id=card_id) for pid, value in self.values)


class PiiChoice(enum.Enum):
    """What to do with free text that looks like it holds personal data."""

    REMOVE = "remove"
    KEEP = "keep"
    EDIT = "edit"
    SKIP = "skip"


class PiiPolicy(enum.StrEnum):
    """`--pii`: ask the participant, or decide for every flagged answer in advance."""

    ask = "ask"
    remove = "remove"
    keep = "keep"


class Asker(Protocol):
    """The terminal side of the flow (a prompt adapter in the CLI, a fake in tests)."""

    def accept_promise(self) -> bool: ...

    def ask(self, question: Question, *, number: int, total: int) -> Value | Skip: ...

    def review_pii(self, question: Question, text: str, flags: Sequence[PiiFlag]) -> PiiChoice: ...

    def edit(self, question: Question, text: str) -> str | Skip: ...

    def removed(self, question: Question, text: str) -> None:
        """Show the answer as it will be saved after flagged parts were removed."""
        ...

    def save_failed(self, error: StoreError) -> bool:
        """Tell the participant nothing was saved; True to try again, False to give up."""
        ...


@dataclass(frozen=True, slots=True)
class Script:
    """Answers decided by flags: `--answer`, `--skip`, `--skip-rest`, `--pii`."""

    answers: Mapping[str, Value]
    skipped: frozenset[str] = frozenset()
    skip_rest: bool = False
    pii: PiiPolicy = PiiPolicy.ask

    def covers(self, question: Question) -> bool:
        return question.id in self.answers or question.id in self.skipped or self.skip_rest

    @property
    def empty(self) -> bool:
        return not self.answers and not self.skipped and not self.skip_rest


NO_SCRIPT = Script(answers={})


def parse_script(
    questions: Sequence[Question],
    *,
    answers: Sequence[str] = (),
    skipped: Sequence[str] = (),
    skip_rest: bool = False,
    pii: PiiPolicy = PiiPolicy.ask,
) -> Script:
    """Check `--answer ID=VALUE` and `--skip ID` flags against the deck's prompts."""
    by_id = {q.id: q for q in questions}
    known = ", ".join(by_id) or "-"

    def question(question_id: str, flag: str) -> Question:
        if question_id not in by_id:
            raise UsageError(
                _("{flag}: this deck has no reflection prompt '{id}' (prompts: {known})").format(
                    flag=flag, id=question_id, known=known
                )
            )
        return by_id[question_id]

    values: dict[str, Value] = {}
    for item in answers:
        question_id, sep, raw = item.partition("=")
        if not sep:
            raise UsageError(_("--answer takes PROMPT_ID=VALUE, for example --answer veilig=4"))
        q = question(question_id.strip(), "--answer")
        if q.id in values:
            raise UsageError(_("--answer {id} is given twice").format(id=q.id))
        values[q.id] = q.parse(raw)
    skips = frozenset(question(s.strip(), "--skip").id for s in skipped)
    both = sorted(skips & values.keys())
    if both:
        raise UsageError(_("--answer and --skip both name '{id}'").format(id=both[0]))
    return Script(answers=values, skipped=skips, skip_rest=skip_rest, pii=pii)


def needs_terminal(questions: Sequence[Question], script: Script, *, promise_accepted: bool) -> bool:
    """True when some question (or the promise) is left for the participant to answer."""
    return not promise_accepted or not all(script.covers(q) for q in questions)


def collect(
    questions: Sequence[Question],
    asker: Asker,
    *,
    script: Script = NO_SCRIPT,
    flagger: Callable[[str], list[PiiFlag]] | None = None,
    redactor: Callable[[str, Sequence[PiiFlag]], str] | None = None,
) -> Draft:
    """Ask (or take from `script`) every question once; free text is checked for personal data."""
    from stigmacards.reflections.pii import find_pii, redact

    flagger = flagger or find_pii
    redactor = redactor or redact
    draft = Draft()
    total = len(questions)
    for number, question in enumerate(questions, start=1):
        answer: Value | Skip
        if question.id in script.answers:
            answer = script.answers[question.id]
        elif question.id in script.skipped or script.skip_rest:
            answer = SKIP
        else:
            answer = asker.ask(question, number=number, total=total)
        if question.kind is PromptKind.text and isinstance(answer, str):
            answer = _checked_text(
                question, answer, asker=asker, policy=script.pii, flagger=flagger, redactor=redactor
            )
        draft = draft.without(question.id) if answer is SKIP else draft.with_answer(question.id, answer)
    return draft


def _checked_text(
    question: Question,
    text: str,
    *,
    asker: Asker,
    policy: PiiPolicy,
    flagger: Callable[[str], list[PiiFlag]],
    redactor: Callable[[str, Sequence[PiiFlag]], str],
) -> str | Skip:
    from stigmacards.text import well_formed

    while True:
        text = well_formed(text).strip()
        if not text:
            return SKIP
        flags = flagger(text)
        if not flags:
            return text
        if policy is PiiPolicy.keep:
            return text
        choice = PiiChoice.REMOVE if policy is PiiPolicy.remove else asker.review_pii(question, text, flags)
        if choice is PiiChoice.KEEP:
            return text
        if choice is PiiChoice.SKIP:
            return SKIP
        if choice is PiiChoice.REMOVE:
            # Checked again: removing one part can leave another one recognisable.
            redacted = redactor(text, flags).strip()
            if redacted == text:
                return text
            text = redacted
            if policy is PiiPolicy.ask and text:
                asker.removed(question, text)
            continue
        edited = asker.edit(question, text)
        if edited is SKIP:
            return SKIP
        text = edited


class Outcome(enum.Enum):
    """How one participant's turn ended."""

    SAVED = "saved"
    EMPTY = "empty"  # every question skipped: nothing to save
    DISCARDED = "discarded"  # saving failed and the participant gave up


def submit(
    draft: Draft,
    save: Callable[[Sequence[Answer]], None],
    *,
    asker: Asker | None,
    card_id: str | None = None,
) -> Outcome:
    """Save the draft as one submission; on a store failure keep it and let the participant retry.

    Without an asker (scripted use) a failure is raised as it is.
    """
    answers = draft.answers(card_id=card_id)
    if not answers:
        return Outcome.EMPTY
    while True:
        try:
            save(answers)
        except StoreError as error:
            if asker is None:
                raise
            if asker.save_failed(error):
                continue
            return Outcome.DISCARDED
        return Outcome.SAVED


# --- Kiosk mode: one laptop passed round the group. ---------------------------------------


class KioskAction(enum.Enum):
    BEGIN = "begin"
    END = "end"


# Wrong end codes cost time: the first is free (a facilitator's typo), then 1, 2, 4 … seconds,
# at most a minute each, so trying all 19**4 codes with a scripted keyboard takes about three
# months instead of the four hours it took without a pause.
FIRST_WRONG_CODE_DELAY = 1.0
MAX_WRONG_CODE_DELAY = 60.0


@dataclass
class EndCodeThrottle:
    """How long kiosk mode waits after each wrong end code before it takes input again."""

    wrong_codes: int = 0

    def wrong(self) -> float:
        """Count one more wrong code; return the seconds to wait before the next try."""
        self.wrong_codes += 1
        if self.wrong_codes == 1:
            return 0.0
        doublings = min(self.wrong_codes - 2, 16)  # 2**16 s is past the cap already
        return min(FIRST_WRONG_CODE_DELAY * float(2**doublings), MAX_WRONG_CODE_DELAY)


def new_end_code(choice: Callable[[str], str] | None = None) -> str:
    """The code the facilitator types to end kiosk mode; shown once, at kiosk start.

    `choice` picks one letter (default: `secrets.choice`, imported here: not at start-up)."""
    if choice is None:
        import secrets

        choice = secrets.choice
    return "".join(choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


def kiosk_action(typed: str) -> KioskAction:
    """What the welcome screen's input asks for: anything but `:end` begins a turn."""
    return KioskAction.END if typed.strip().casefold() == END_COMMAND else KioskAction.BEGIN


def code_matches(code: str, typed: str) -> bool:
    import secrets

    candidate = "".join(typed.split()).upper()
    return secrets.compare_digest(candidate.encode(), code.upper().encode())
