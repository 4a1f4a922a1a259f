"""The only module that imports questionary. Every prompt also has a flag in the CLI.

`Prompter` is the seam: commands take one, tests pass a scripted fake. Ctrl-C and Escape become
`Cancelled`; no terminal (EOF) becomes a UsageError that names the flag to pass instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ..errors import Cancelled, UsageError
from ..i18n import _

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

    def _ask(self, question: Any, flag: str) -> Any:
        try:
            answer = question.unsafe_ask()
        except KeyboardInterrupt:
            raise Cancelled(_("cancelled")) from None
        except EOFError:
            if self.eof_cancels:
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
        return self._ask(questionary.select(message, choices=q_choices, default=chosen), flag)

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        import questionary

        from ..text import well_formed

        typed = str(self._ask(questionary.text(message, default=default, multiline=multiline), flag))
        return well_formed(typed)  # a stray non-UTF-8 byte must not crash saving or showing it

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        import questionary

        return bool(self._ask(questionary.confirm(message, default=default), flag))

    def integer(self, message: str, *, default: int, minimum: int, maximum: int, flag: str = "") -> int:
        import questionary

        def valid(text: str) -> bool | str:
            if text.strip().isdigit() and minimum <= int(text) <= maximum:
                return True
            return _("enter a whole number from {lo} to {hi}").format(lo=minimum, hi=maximum)

        return int(self._ask(questionary.text(message, default=str(default), validate=valid), flag))

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
            self._ask(questionary.text(message, default=shown, validate=valid), flag).replace(",", ".")
        )
