"""The only module that imports questionary. Every prompt also has a flag in the CLI.

`Prompter` is the seam: commands take one, tests pass a scripted fake. Ctrl-C and Escape become
`Cancelled`; no terminal (EOF) becomes a UsageError that names the flag to pass instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from stigmacards.errors import Cancelled, UsageError
from stigmacards.i18n import _

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Choice:
    title: str
    value: Any


class Prompter(Protocol):
    def select(
        self, message: str, choices: Sequence[Choice], *, default: Any = None, flag: str = ""
    ) -> Any: ...

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str: ...

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool: ...

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int: ...

    def number(
        self, message: str, *, default: float, minimum: float, maximum: float, flag: str = ""
    ) -> float: ...


class QuestionaryPrompter:
    """Real prompts in the terminal. Nothing typed is kept in a history file.

    With `eof_cancels` (kiosk mode) Ctrl-D cancels like Ctrl-C instead of meaning "no terminal",
    so a participant cannot end the session with it.
    """

    def __init__(self, *, eof_cancels: bool = False) -> None:
        self.eof_cancels = eof_cancels

    def _ask(self, build: Callable[[], Any], flag: str) -> Any:
        try:
            with _on_the_terminal():
                answer = build().unsafe_ask()
        except KeyboardInterrupt:
            raise Cancelled(_("cancelled")) from None
        except EOFError:
            # Ctrl-D typed at a terminal is a person stopping, not a missing terminal.
            if self.eof_cancels or _stdin_is_a_terminal():
                raise Cancelled(_("cancelled")) from None
            hint = _(" (pass {flag})").format(flag=flag) if flag else ""
            raise UsageError(_("no terminal to ask the question on{hint}").format(hint=hint)) from None
        if answer is None:
            raise Cancelled(_("cancelled"))
        return answer

    def select(self, message: str, choices: Sequence[Choice], *, default: Any = None, flag: str = "") -> Any:
        import questionary

        q_choices = [questionary.Choice(title=c.title, value=c.value) for c in choices]
        chosen = next((c for c in q_choices if c.value == default), None)
        return self._ask(
            lambda: _ctrl_d_ends(
                questionary.select(
                    message, choices=q_choices, default=chosen, instruction=_("(Use arrow keys)")
                )
            ),
            flag,
        )

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        import questionary

        from stigmacards.text import well_formed

        typed = str(self._ask(lambda: questionary.text(message, default=default, multiline=multiline), flag))
        return well_formed(typed)  # a stray non-UTF-8 byte must not crash saving or showing it

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        return bool(self._ask(lambda: _confirm(message, default=default), flag))

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        import questionary

        def valid(text: str) -> bool | str:
            if text.strip().isdigit() and minimum <= int(text) <= maximum:
                return True
            return _("enter a whole number from {lo} to {hi}").format(lo=minimum, hi=maximum)

        return int(self._ask(lambda: questionary.text(message, default=str(default), validate=valid), flag))

    def number(
        self, message: str, *, default: float, minimum: float, maximum: float, flag: str = ""
    ) -> float:
        import questionary

        def valid(text: str) -> bool | str:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                value = minimum - 1
            if minimum <= value <= maximum:
                return True
            return _("enter a number from {lo} to {hi}").format(lo=minimum, hi=maximum)

        shown = f"{default:g}"
        return float(
            self._ask(lambda: questionary.text(message, default=shown, validate=valid), flag).replace(
                ",", "."
            )
        )


def _stdin_is_a_terminal() -> bool:
    from stigmacards.platform import stdin_is_terminal

    return stdin_is_terminal()


def _ctrl_d_ends(question: Any) -> Any:
    """Let Ctrl-D end a list question as it ends an empty text prompt (EOFError).

    questionary's select ignores it, so in kiosk mode a participant's Ctrl-D did nothing on a
    scale or choice although it discards everywhere else.
    """
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings

    app = question.application
    extra = KeyBindings()

    @extra.add("c-d", eager=True)
    def _end(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    app.key_bindings = merge_key_bindings([app.key_bindings, extra]) if app.key_bindings else extra
    return question


@contextmanager
def _on_the_terminal() -> Iterator[None]:
    """With stdout piped (`play | tee log`), ask on the terminal through stderr.

    prompt_toolkit would otherwise write its prompts as plain text into the pipe, where the person
    cannot answer them properly and the log fills with half-drawn questions.
    """
    from stigmacards.platform import is_terminal

    if is_terminal(sys.stdout) or not is_terminal(sys.stderr):
        yield
        return
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.output import create_output

    with create_app_session(output=create_output(stdout=sys.stderr)):
        yield


def _confirm(message: str, *, default: bool) -> Any:
    """questionary's yes/no question in the interface language: (J/n), 'j' for ja, "Ja"/"Nee".

    questionary.confirm has its keys and answer words in English only.
    """
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.keys import Keys
    from questionary import Question
    from questionary.constants import DEFAULT_QUESTION_PREFIX
    from questionary.styles import merge_styles_default

    # The first letter of the local word for yes / no ("j" / "n"); y and n always work too.
    yes, no = _("y"), _("n")
    hint = f"({yes.upper()}/{no}) " if default else f"({yes}/{no.upper()}) "
    status: dict[str, bool | None] = {"answer": None}

    def tokens() -> StyleAndTextTuples:
        parts: StyleAndTextTuples = [
            ("class:qmark", DEFAULT_QUESTION_PREFIX),
            ("class:question", f" {message} "),
        ]
        answer = status["answer"]
        if answer is None:
            parts.append(("class:instruction", hint))
        else:
            parts.append(("class:answer", _("Yes") if answer else _("No")))
        return parts

    bindings = KeyBindings()

    @bindings.add(Keys.ControlQ, eager=True)
    @bindings.add(Keys.ControlC, eager=True)
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    def answer_with(value: bool) -> Callable[[KeyPressEvent], None]:
        def handler(event: KeyPressEvent) -> None:
            status["answer"] = value
            event.app.exit(result=value)

        return handler

    for key in {"y", "Y", yes.lower(), yes.upper()}:
        bindings.add(key)(answer_with(True))
    for key in {"n", "N", no.lower(), no.upper()}:
        bindings.add(key)(answer_with(False))
    bindings.add(Keys.ControlM, eager=True)(answer_with(default))

    @bindings.add(Keys.Any)
    def _other(event: KeyPressEvent) -> None:
        """Nothing else is typed into a yes/no question."""

    session: PromptSession[bool] = PromptSession(
        tokens, key_bindings=bindings, style=merge_styles_default([None])
    )
    return Question(session.app)
