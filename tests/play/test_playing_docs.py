"""docs/playing.md says what the screens say: the flags, the questions and the button words."""

from __future__ import annotations

import typer

from stigmacards import i18n
from stigmacards.cli import app

from ..conftest import ROOT

DOC = (ROOT / "docs" / "playing.md").read_text(encoding="utf-8")


def test_no_promise_of_a_later_version() -> None:
    assert "not part of this version" not in DOC


def test_every_play_and_deal_flag_is_documented() -> None:
    group = typer.main.get_command(app)
    for name in ("play", "deal"):
        command = group.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("--") and flag not in ("--help",):
                    assert f"`{flag}" in DOC or f" {flag}" in DOC, f"{name} {flag} is not in docs/playing.md"


def test_the_reflection_question_and_buttons_are_quoted_exactly() -> None:
    assert '"Collect anonymous reflections now, with this laptop passed round? (Y/n)"' in DOC
    assert '"How many people took part?"' in DOC
    i18n.set_language("nl")
    assert f"**{i18n._('Skip this question')}**" in DOC  # the Dutch choice, as the screen shows it
    i18n.set_language("en")
    assert "**Skip this question**" in DOC
