"""The reflection flow without a terminal: prompts, skipping, the draft, saving once, the promise."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from rich.console import Console

from stigmacards import i18n
from stigmacards.deck.catalog import open_deck
from stigmacards.deck.format import PromptKind
from stigmacards.deck.model import Deck
from stigmacards.errors import StoreError, UsageError
from stigmacards.reflections.flow import (
    CODE_LENGTH,
    CODE_LETTERS,
    MAX_TEXT,
    MAX_WRONG_CODE_DELAY,
    PROMISED_MIN_GROUP,
    SKIP,
    Draft,
    EndCodeThrottle,
    KioskAction,
    Outcome,
    PiiChoice,
    PiiPolicy,
    Question,
    Skip,
    Value,
    code_matches,
    collect,
    kiosk_action,
    needs_terminal,
    new_end_code,
    options_for,
    parse_script,
    questions_for,
    submit,
)
from stigmacards.reflections.pii import PiiFlag
from stigmacards.reflections.store import Answer
from stigmacards.ui import kiosk

from ..conftest import DECKS

# Phrases that overstate what the reflection store protects, in English and Dutch.
OVERCLAIMS = (
    "fully anonymous",
    "completely anonymous",
    "100% anonymous",
    "totally anonymous",
    "gdpr-anonymised",
    "gdpr-anonymized",
    "gdpr-proof",
    "gdpr compliant",
    "volledig anoniem",
    "helemaal anoniem",
    "compleet anoniem",
    "100% anoniem",
    "avg-proof",
    "avg-anoniem",
    "avg-conform",
)


def deck() -> Deck:
    return open_deck("stigma-sekswerk", bundled_dir=DECKS, user_dir=Path("/nonexistent")).deck


@pytest.fixture(scope="module")
def questions() -> tuple[Question, ...]:
    return questions_for(deck(), "en")


@dataclass
class FakeAsker:
    """Answers from a queue; records what the flow asked."""

    answers: list[Value | Skip] = field(default_factory=list)
    pii: list[PiiChoice] = field(default_factory=list)
    edits: list[str | Skip] = field(default_factory=list)
    retries: list[bool] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    reviewed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    shown_removed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def accept_promise(self) -> bool:
        return True

    def ask(self, question: Question, *, number: int, total: int) -> Value | Skip:
        self.asked.append(f"{number}/{total}:{question.id}")
        return self.answers.pop(0)

    def review_pii(self, question: Question, text: str, flags: Sequence[PiiFlag]) -> PiiChoice:
        self.reviewed.append((text, tuple(f.text for f in flags)))
        return self.pii.pop(0)

    def edit(self, question: Question, text: str) -> str | Skip:
        return self.edits.pop(0)

    def removed(self, question: Question, text: str) -> None:
        self.shown_removed.append(text)

    def save_failed(self, error: StoreError) -> bool:
        self.failures.append(str(error))
        return self.retries.pop(0)


class NeverAsked(FakeAsker):
    def ask(self, question: Question, *, number: int, total: int) -> Value | Skip:
        raise AssertionError(f"asked {question.id} although the script answers it")


# --- Which prompts, in which language. -----------------------------------------------------


def test_questions_follow_the_deck_in_the_requested_language() -> None:
    nl = questions_for(deck(), "nl")
    en = questions_for(deck(), "en")
    assert [q.id for q in nl] == [p.id for p in deck().reflection] == [q.id for q in en]
    assert [q.kind for q in en] == [PromptKind.scale, PromptKind.choice, PromptKind.text, PromptKind.text]
    assert en[0].prompt == "How safe did you feel to speak?"
    assert nl[0].prompt == "Hoe veilig voelde je je om te spreken?"
    assert en[0].scale == (1, 2, 3, 4, 5)
    assert en[0].label(1) == "Not safe at all"
    assert en[0].label(3) is None
    assert en[1].options[0] == "Sex worker or former sex worker"
    assert nl[1].options[0] == "Sekswerker of ex-sekswerker"


def test_a_choice_is_saved_as_its_index_whatever_the_language(questions: tuple[Question, ...]) -> None:
    """The saved value does not reveal the participant's interface language."""
    en_role = questions[1]
    nl_role = questions_for(deck(), "nl")[1]
    assert en_role.parse("Social work or health care") == nl_role.parse("hulpverlening of zorg") == 1
    assert en_role.parse("2") == 1
    assert nl_role.shown_value(1) == "Hulpverlening of zorg"


@pytest.mark.parametrize(
    ("prompt", "raw", "expected"),
    [
        ("veilig", "4", 4),
        ("veilig", " 1 ", 1),
        ("rol", "5", 4),
        ("rol", "sex worker or former sex worker", 0),
        ("inzicht", "  Listening helped.  ", "Listening helped."),
    ],
)
def test_answer_flags_become_saved_values(
    questions: tuple[Question, ...], prompt: str, raw: str, expected: Value
) -> None:
    question = next(q for q in questions if q.id == prompt)
    assert question.parse(raw) == expected


@pytest.mark.parametrize(
    ("prompt", "raw", "message"),
    [
        ("veilig", "6", "from 1 to 5"),
        ("veilig", "0", "from 1 to 5"),
        ("veilig", "veilig", "from 1 to 5"),
        ("rol", "0", "from 1 to 5 or the option's text"),
        ("rol", "Politie", "from 1 to 5 or the option's text"),
        ("inzicht", "x" * (MAX_TEXT + 1), f"longer than {MAX_TEXT}"),
    ],
)
def test_answer_flags_that_do_not_fit_are_usage_errors(
    questions: tuple[Question, ...], prompt: str, raw: str, message: str
) -> None:
    question = next(q for q in questions if q.id == prompt)
    with pytest.raises(UsageError, match="--answer " + prompt) as caught:
        question.parse(raw)
    assert message in str(caught.value)


def test_script_flags_are_checked_against_the_prompts(questions: tuple[Question, ...]) -> None:
    with pytest.raises(UsageError, match=r"no reflection prompt 'nope' \(prompts: veilig, rol, inzicht"):
        parse_script(questions, answers=["nope=1"])
    with pytest.raises(UsageError, match=r"--skip: .* 'nope'"):
        parse_script(questions, skipped=["nope"])
    with pytest.raises(UsageError, match="PROMPT_ID=VALUE"):
        parse_script(questions, answers=["veilig"])
    with pytest.raises(UsageError, match="given twice"):
        parse_script(questions, answers=["veilig=1", "veilig=2"])
    with pytest.raises(UsageError, match="both name 'rol'"):
        parse_script(questions, answers=["rol=1"], skipped=["rol"])


def test_the_terminal_is_needed_only_for_what_the_flags_leave_open(questions: tuple[Question, ...]) -> None:
    everything = parse_script(questions, answers=["veilig=3"], skipped=["rol"], skip_rest=True)
    assert not needs_terminal(questions, everything, promise_accepted=True)
    assert needs_terminal(questions, everything, promise_accepted=False)
    partial = parse_script(questions, answers=["veilig=3"], skipped=["rol"])
    assert needs_terminal(questions, partial, promise_accepted=True)
    named = parse_script(questions, answers=["veilig=3", "inzicht=x"], skipped=["rol", "volgende-keer"])
    assert not needs_terminal(questions, named, promise_accepted=True)


# --- The draft and the flow. ---------------------------------------------------------------


def test_a_draft_keeps_one_value_per_prompt_in_order() -> None:
    draft = Draft().with_answer("a", 1).with_answer("b", "text").with_answer("a", 2).without("b")
    assert draft.values == (("a", 2),)
    assert draft.get("a") == 2
    assert draft.get("b") is None
    assert len(draft) == 1
    assert draft.answers(card_id="c1") == (Answer(prompt_id="a", value=2, card_id="c1"),)


def test_every_question_is_asked_once_and_can_be_skipped(questions: tuple[Question, ...]) -> None:
    asker = FakeAsker(answers=[SKIP, 3, "  Listening helped.  ", ""])
    draft = collect(questions, asker)
    assert asker.asked == ["1/4:veilig", "2/4:rol", "3/4:inzicht", "4/4:volgende-keer"]
    assert draft.values == (("rol", 3), ("inzicht", "Listening helped."))


def test_flags_answer_and_skip_without_asking(questions: tuple[Question, ...]) -> None:
    script = parse_script(questions, answers=["veilig=5", "inzicht=More time."], skip_rest=True)
    draft = collect(questions, NeverAsked(), script=script)
    assert draft.values == (("veilig", 5), ("inzicht", "More time."))


def test_questions_the_flags_leave_open_are_asked(questions: tuple[Question, ...]) -> None:
    script = parse_script(questions, answers=["veilig=2"], skipped=["inzicht"])
    asker = FakeAsker(answers=[0, "Pauses."])
    draft = collect(questions, asker, script=script)
    assert asker.asked == ["2/4:rol", "4/4:volgende-keer"]
    assert draft.values == (("veilig", 2), ("rol", 0), ("volgende-keer", "Pauses."))


def _text_only(questions: tuple[Question, ...]) -> tuple[Question, ...]:
    return tuple(q for q in questions if q.id == "inzicht")


def test_personal_data_is_removed_when_the_participant_chooses_so(questions: tuple[Question, ...]) -> None:
    asker = FakeAsker(answers=["Mail me: jan@example.nl or call 06-12345678."], pii=[PiiChoice.REMOVE])
    draft = collect(_text_only(questions), asker)
    saved = draft.get("inzicht")
    assert isinstance(saved, str)
    assert "jan@example.nl" not in saved
    assert "06-12345678" not in saved
    assert saved.startswith("Mail me:")
    assert asker.reviewed == [
        ("Mail me: jan@example.nl or call 06-12345678.", ("jan@example.nl", "06-12345678"))
    ]
    assert asker.shown_removed == [saved]


def test_personal_data_can_be_kept_edited_or_the_question_skipped(questions: tuple[Question, ...]) -> None:
    text = "Ask @sanne_r about it."
    kept = collect(_text_only(questions), FakeAsker(answers=[text], pii=[PiiChoice.KEEP]))
    assert kept.get("inzicht") == text
    skipped = collect(_text_only(questions), FakeAsker(answers=[text], pii=[PiiChoice.SKIP]))
    assert skipped.get("inzicht") is None
    # An edit is checked again: the first edit still holds a phone number.
    asker = FakeAsker(
        answers=[text], pii=[PiiChoice.EDIT, PiiChoice.EDIT], edits=["Call 020-1234567", "Ask her about it."]
    )
    edited = collect(_text_only(questions), asker)
    assert edited.get("inzicht") == "Ask her about it."
    assert [r[1] for r in asker.reviewed] == [("@sanne_r",), ("020-1234567",)]


def test_pii_flags_decide_without_asking(questions: tuple[Question, ...]) -> None:
    text = "See www.example.nl"
    removed = collect(
        _text_only(questions),
        NeverAsked(),
        script=parse_script(questions, answers=[f"inzicht={text}"], pii=PiiPolicy.remove, skip_rest=True),
    )
    assert "example" not in str(removed.get("inzicht"))
    kept = collect(
        _text_only(questions),
        NeverAsked(),
        script=parse_script(questions, answers=[f"inzicht={text}"], pii=PiiPolicy.keep, skip_rest=True),
    )
    assert kept.get("inzicht") == text


def test_text_that_is_only_personal_data_is_skipped_after_removal(questions: tuple[Question, ...]) -> None:
    def remove_all(text: str, flags: Sequence[PiiFlag]) -> str:
        return ""

    draft = collect(
        _text_only(questions),
        FakeAsker(answers=["jan@example.nl"], pii=[PiiChoice.REMOVE]),
        redactor=remove_all,
    )
    assert draft.get("inzicht") is None


# --- Saving once. ---------------------------------------------------------------------------


@dataclass
class FlakyStore:
    failures: int
    saved: list[tuple[Answer, ...]] = field(default_factory=list)
    calls: int = 0

    def save(self, answers: Sequence[Answer]) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise StoreError("not saved — your answer is still here, try again or skip")
        self.saved.append(tuple(answers))


DRAFT = Draft().with_answer("veilig", 4).with_answer("inzicht", "Good talk.")


def test_a_draft_is_saved_once_as_one_submission() -> None:
    store = FlakyStore(failures=0)
    assert submit(DRAFT, store.save, asker=FakeAsker()) is Outcome.SAVED
    assert store.saved == [(Answer("veilig", 4), Answer("inzicht", "Good talk."))]


def test_a_failed_save_keeps_the_draft_for_another_try() -> None:
    store = FlakyStore(failures=2)
    asker = FakeAsker(retries=[True, True])
    assert submit(DRAFT, store.save, asker=asker) is Outcome.SAVED
    assert len(asker.failures) == 2
    assert "not saved" in asker.failures[0]
    assert store.saved == [DRAFT.answers()]


def test_the_participant_may_give_up_after_a_failed_save() -> None:
    store = FlakyStore(failures=1)
    assert submit(DRAFT, store.save, asker=FakeAsker(retries=[False])) is Outcome.DISCARDED
    assert store.saved == []


def test_without_a_participant_a_failed_save_is_an_error() -> None:
    with pytest.raises(StoreError, match="not saved"):
        submit(DRAFT, FlakyStore(failures=1).save, asker=None)


def test_nothing_is_saved_when_every_question_was_skipped() -> None:
    store = FlakyStore(failures=0)
    assert submit(Draft(), store.save, asker=None) is Outcome.EMPTY
    assert store.calls == 0


# --- Kiosk mode. ----------------------------------------------------------------------------


def test_the_end_code_is_four_unambiguous_letters() -> None:
    rng = random.Random(7)
    codes = {new_end_code(rng.choice) for _ in range(50)}
    assert len(codes) > 40
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_LETTERS) for c in codes)
    assert not set(CODE_LETTERS) & set("IO01")
    assert len(new_end_code()) == CODE_LENGTH


def test_only_end_command_and_the_right_code_end_kiosk_mode() -> None:
    assert kiosk_action("") is KioskAction.BEGIN
    assert kiosk_action("hello") is KioskAction.BEGIN
    assert kiosk_action(" :END ") is KioskAction.END
    assert code_matches("KXRT", "kxrt")
    assert code_matches("KXRT", " K X R T ")
    assert not code_matches("KXRT", "KXRA")
    assert not code_matches("KXRT", "")
    assert not code_matches("KXRT", "KXRTT")


# --- The promise. -------------------------------------------------------------------------


def _render(renderable: object) -> str:
    console = Console(record=True, width=80, color_system=None)
    console.print(renderable)
    # Drop the panel's borders so wrapped sentences read as one line again.
    return " ".join(console.export_text().translate(str.maketrans("", "", "│╭╮╰╯─║╔╗╚╝═")).split())


@pytest.mark.parametrize(
    ("lang", "needles"),
    [
        (
            "en",
            (
                "the day only",
                "No names, accounts, device details or time of writing are stored",
                "Each answer is stored on its own, not linked to your other answers",
                "Reports and exports show scores and choices only as totals",
                "only in a shuffled order; and only when at least 3 people",
                "Your own words can still give you away",
                "Leave out names, contact details and stories",
                "You may skip any question",
            ),
        ),
        (
            "nl",
            (
                "alleen de dag",
                "geen namen, accounts, apparaatgegevens of het tijdstip van schrijven",
                "Elk antwoord wordt los bewaard, niet gekoppeld aan je andere antwoorden",
                "Rapporten en exports tonen scores en keuzes alleen als totalen",
                "alleen in willekeurige volgorde; en alleen als minstens 3 mensen",
                "Je eigen woorden kunnen je toch herkenbaar maken",
                "Laat namen, contactgegevens en verhalen",
                "Je mag elke vraag overslaan",
            ),
        ),
    ],
)
def test_the_promise_says_what_is_stored_and_its_limits(lang: str, needles: tuple[str, ...]) -> None:
    i18n.set_language(lang)
    shown = _render(kiosk.promise(min_group=PROMISED_MIN_GROUP, title="Deck"))
    for needle in needles:
        assert needle in shown
    assert not [claim for claim in OVERCLAIMS if claim in shown.casefold()]


def test_no_reflection_text_in_any_language_overstates_anonymity() -> None:
    """Every msgid and its Dutch translation in every catalogue, and the PII screen."""
    texts = []
    for po in sorted((i18n.LOCALE_DIR / "nl" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            texts += [f"{m.id} {m.string}".casefold() for m in read_po(handle) if m.id]
    assert len(texts) > 200
    for lang in ("en", "nl"):
        i18n.set_language(lang)
        texts.append(_render(kiosk.pii_review([])).casefold())
        texts.append(_render(kiosk.thanks()).casefold())
    assert not [(claim, t) for t in texts for claim in OVERCLAIMS if claim in t]


def test_the_pii_screen_says_the_check_is_incomplete() -> None:
    from stigmacards.reflections.pii import find_pii

    shown = _render(kiosk.pii_review(find_pii("bel 06-12345678")))
    assert "phone number: 06-12345678" in shown
    assert "This check does not catch everything" in shown


def test_the_promise_gives_the_smallest_group_a_report_can_show() -> None:
    from stigmacards.reflections.anonymity import MIN_K

    assert PROMISED_MIN_GROUP == MIN_K


# --- Kiosk wipes inside a terminal multiplexer. ---------------------------------------------


class Commands:
    """A fake multiplexer: records commands; GNU screen answers `-Q info` with its scrollback."""

    def __init__(self, info: str = "(1,1)/(100,30)+1024 +flow UTF-8 0(bash)") -> None:
        self.info = info
        self.run: list[list[str]] = []

    def __call__(self, command: Sequence[str]) -> str:
        self.run.append(list(command))
        return self.info if "-Q" in command else ""


def _kiosk_wipes(environ: dict[str, str], commands: Commands) -> str:
    stream = io.StringIO()
    screen = kiosk.Screen(stream, environ=environ, run=commands)
    with screen.kiosk():
        screen.wipe()
    return stream.getvalue()


def test_kiosk_empties_gnu_screens_scrollback_too() -> None:
    """GNU screen ignores ESC[3J: the next person could read the last one's answers in copy mode."""
    commands = Commands()
    written = _kiosk_wipes({"STY": "123.pts-0.laptop", "WINDOW": "2"}, commands)
    assert written.count(kiosk.WIPE) >= 4
    target = ["screen", "-S", "123.pts-0.laptop", "-p", "2"]
    drop, restore = [*target, "-X", "scrollback", "0"], [*target, "-X", "scrollback", "1024"]
    assert commands.run.count(drop) == 3  # kiosk start, between people, kiosk end
    assert commands.run.count(restore) == 3
    assert commands.run.index(drop) < commands.run.index(restore)


def test_kiosk_clears_the_tmux_panes_history() -> None:
    commands = Commands()
    _kiosk_wipes({"TMUX": "/tmp/tmux-0/default,1,0", "TMUX_PANE": "%3"}, commands)
    assert commands.run == [["tmux", "clear-history", "-t", "%3"]] * 3


def test_kiosk_outside_a_multiplexer_runs_nothing() -> None:
    commands = Commands()
    _kiosk_wipes({"TERM": "xterm-256color"}, commands)
    assert commands.run == []
    assert kiosk.run_quietly(["no-such-multiplexer-7f3a"]) == ""


def test_options_start_on_skip_so_nothing_is_chosen_for_a_participant(
    questions: tuple[Question, ...],
) -> None:
    by_kind = {q.kind: q for q in questions}
    scale, choice, text = by_kind[PromptKind.scale], by_kind[PromptKind.choice], by_kind[PromptKind.text]

    offered = options_for(scale)
    assert offered[0].value is SKIP
    assert [o.value for o in offered[1:]] == list(scale.scale)
    assert offered[1].label.startswith(f"{scale.minimum} — ")  # the label says what the number means

    offered = options_for(choice)
    assert offered[0].value is SKIP
    assert [o.label for o in offered[1:]] == list(choice.options)
    assert [o.value for o in offered[1:]] == list(range(len(choice.options)))  # saved as the index

    assert [o.value for o in options_for(text)] == [SKIP]
    assert sum(o.value is SKIP for q in questions for o in options_for(q)) == len(questions)


def test_wrong_end_codes_cost_growing_time() -> None:
    throttle = EndCodeThrottle()
    delays = [throttle.wrong() for _ in range(10)]
    assert delays == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]  # a single typo is free; capped at a minute
    every_code = len(CODE_LETTERS) ** CODE_LENGTH
    guessing = EndCodeThrottle()
    days = sum(guessing.wrong() for _ in range(every_code // 2)) / 86_400
    assert days > 40  # half the codes, the expected cost of guessing, takes weeks, not hours
    assert max(delays) == MAX_WRONG_CODE_DELAY


def test_a_console_without_escape_sequences_is_cleared_with_cls() -> None:
    """An old Windows console would print ESC[2J as text and keep the last person's answers."""
    stream = io.StringIO()
    commands = Commands()
    screen = kiosk.Screen(stream, environ={}, run=commands, sequences=False)
    with screen.kiosk():
        stream.write("CANARY answer")
        screen.wipe()
    assert "\x1b" not in stream.getvalue()
    assert commands.run == [["cmd", "/c", "cls"]] * 3  # start, between people, end


class FakeKernel32:
    def __init__(self, mode: int, *, settable: bool) -> None:
        self.mode, self.settable = mode, settable
        self.set_to: int | None = None

    def GetConsoleMode(self, handle: int, ref: object) -> int:
        import ctypes

        ctypes.cast(ref, ctypes.POINTER(ctypes.c_ulong)).contents.value = self.mode
        return 1

    def SetConsoleMode(self, handle: int, mode: int) -> int:
        self.set_to = mode
        return int(self.settable)


@pytest.mark.parametrize(
    ("mode", "settable", "expected"), [(0x7, True, True), (0x3, True, True), (0x3, False, False)]
)
def test_windows_consoles_get_escape_sequences_switched_on_where_they_can(
    monkeypatch: pytest.MonkeyPatch, mode: int, settable: bool, expected: bool
) -> None:
    import sys
    import types

    from stigmacards.platform import terminal_sequences

    monkeypatch.setitem(sys.modules, "msvcrt", types.SimpleNamespace(get_osfhandle=lambda fd: 7))
    kernel = FakeKernel32(mode, settable=settable)
    stream = types.SimpleNamespace(fileno=lambda: 1)
    assert (
        terminal_sequences(stream, platform="win32", windll=types.SimpleNamespace(kernel32=kernel))
        is expected
    )
    assert kernel.set_to == (None if mode & 0x4 else mode | 0x4)
    assert terminal_sequences(stream, platform="linux") is True
