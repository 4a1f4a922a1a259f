"""One phone's way through the reflection: promise, each question, the personal-data check, saved.

The web version of `reflections.flow.collect`: the same questions, the same "skip" first with
nothing chosen, the same four choices when free text looks like personal data, the same draft
held in memory only and saved once. A phone is a random cookie value; it is never stored with
the answers and forgotten when the room closes. Every method takes what a form sent and either
moves the phone on or raises `RefusedError` with the HTTP status and a message id for the page.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from stigmacards.deck.format import PromptKind
from stigmacards.i18n import N_
from stigmacards.reflections.flow import SKIP, Draft, PiiChoice, Question, Value, options_for
from stigmacards.reflections.pii import PiiFlag
from stigmacards.room.access import new_token

Flagger = Callable[[str], list[PiiFlag]]
Redactor = Callable[[str, Sequence[PiiFlag]], str]


class RefusedError(Exception):
    """A form that cannot be taken as sent: `status` for the HTTP answer, `message` a msgid."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


STALE = N_("This page was out of date: here is where you are now.")
BAD_ANSWER = N_("That answer is not one of the options. Please choose again.")
TOO_LONG = N_("Your answer is longer than {n} characters. Please shorten it.")
FULL = N_("The group is complete")
CLOSED = N_("The session has ended")


class Step(enum.StrEnum):
    """What the phone's one page shows now."""

    PROMISE = "promise"
    QUESTION = "question"
    PII = "pii"
    EDIT = "edit"
    RETRY = "retry"  # every question answered, saving failed: try again or discard
    DONE = "done"


class Ending(enum.StrEnum):
    SAVED = "saved"
    EMPTY = "empty"  # every question skipped: nothing to save
    DISCARDED = "discarded"


@dataclass
class Phone:
    """One participant's phone in the room: where they are and their unsaved draft (memory only)."""

    id: str
    lang: str
    form_token: str = field(default_factory=new_token)
    table: int | None = None
    accepted: bool = False
    index: int = 0
    draft: Draft = field(default_factory=Draft)
    pending: str | None = None  # free text waiting for the personal-data choice
    flags: tuple[PiiFlag, ...] = ()
    editing: bool = False
    unsaved: bool = False  # all answered, the store refused: offer to try again
    ending: Ending | None = None
    notice: str | None = None  # a msgid to show once on the next page
    shown_text: str | None = None  # with the notice: the answer as it will be saved

    def step(self, total: int) -> Step:
        if self.ending is not None:
            return Step.DONE
        if not self.accepted:
            return Step.PROMISE
        if self.unsaved:
            return Step.RETRY
        if self.pending is not None:
            return Step.EDIT if self.editing else Step.PII
        if self.index >= total:
            return Step.RETRY  # reached only when saving was never tried: the web saves at once
        return Step.QUESTION

    def take_notice(self) -> tuple[str | None, str | None]:
        notice, text = self.notice, self.shown_text
        self.notice = self.shown_text = None
        return notice, text

    # --- what the forms send --------------------------------------------------------------

    def accept(self) -> None:
        self.accepted = True

    def answer(
        self,
        questions: Sequence[Question],
        question_id: str,
        raw: str | None,
        *,
        skip: bool,
        flagger: Flagger,
    ) -> bool:
        """Take the answer to the current question; True when that was the last one."""
        question = self._current(questions, question_id, Step.QUESTION)
        if skip or raw is None:
            return self._record(questions, question, SKIP)
        if question.kind is PromptKind.text:
            return self._text(questions, question, raw, flagger)
        value = _chosen(question, raw)
        return self._record(questions, question, value)

    def review(
        self,
        questions: Sequence[Question],
        question_id: str,
        choice: PiiChoice,
        *,
        flagger: Flagger,
        redactor: Redactor,
    ) -> bool:
        """The participant's choice about text that looks like personal data."""
        question = self._current(questions, question_id, Step.PII)
        text = self.pending or ""
        if choice is PiiChoice.KEEP:
            return self._record(questions, question, text)
        if choice is PiiChoice.SKIP:
            return self._record(questions, question, SKIP)
        if choice is PiiChoice.EDIT:
            self.editing = True
            return False
        redacted = redactor(text, self.flags).strip()
        if redacted == text:
            return self._record(questions, question, text)
        # Checked again: removing one part can leave another one recognisable.
        done = self._text(questions, question, redacted, flagger)
        if self.pending is None and redacted:
            self.notice, self.shown_text = N_("Your answer will be saved as:"), redacted
        return done

    def edited(self, questions: Sequence[Question], question_id: str, raw: str, *, flagger: Flagger) -> bool:
        question = self._current(questions, question_id, Step.EDIT)
        return self._text(questions, question, raw, flagger)

    def finish(self, ending: Ending) -> None:
        """Forget the draft: it is saved, empty or discarded."""
        self.ending = ending
        self.forget_draft()

    def forget_draft(self) -> None:
        """Drop everything the participant typed (the room closed, or it was saved)."""
        self.draft = Draft()
        self.pending, self.flags, self.unsaved, self.shown_text = None, (), False, None

    # --- inside ---------------------------------------------------------------------------

    def _current(self, questions: Sequence[Question], question_id: str, expected: Step) -> Question:
        """The question the phone is at; RefusedError when the form was for another step or question."""
        if self.step(len(questions)) is not expected or questions[self.index].id != question_id:
            raise RefusedError(409, STALE)
        return questions[self.index]

    def _text(self, questions: Sequence[Question], question: Question, raw: str, flagger: Flagger) -> bool:
        from stigmacards.reflections.flow import MAX_TEXT
        from stigmacards.text import well_formed

        text = well_formed(raw).replace("\r\n", "\n").strip()
        if len(text) > MAX_TEXT:
            raise RefusedError(413, TOO_LONG)
        if not text:
            return self._record(questions, question, SKIP)
        flags = tuple(flagger(text))
        if flags:
            self.pending, self.flags, self.editing = text, flags, False
            return False
        return self._record(questions, question, text)

    def _record(self, questions: Sequence[Question], question: Question, value: Value | object) -> bool:
        if value is SKIP:
            self.draft = self.draft.without(question.id)
        elif isinstance(value, int | str):
            self.draft = self.draft.with_answer(question.id, value)
        self.pending, self.flags, self.editing = None, (), False
        self.index += 1
        return self.index >= len(questions)


def _chosen(question: Question, raw: str) -> Value:
    """A radio button's value: one of the offered options, never anything else."""
    allowed = {
        str(option.value): option.value for option in options_for(question) if option.value is not SKIP
    }
    if raw not in allowed:
        raise RefusedError(400, BAD_ANSWER)
    value = allowed[raw]
    assert not isinstance(value, type(SKIP))
    return value
