"""Every command explains itself: `-h` works, says what it does, and shows an example."""

from __future__ import annotations

from typing import Any

import pytest
import typer

from stigmacards.cli import app

from ..conftest import Cli
from ..reflections.test_reflecting import OVERCLAIMS


def _commands() -> list[tuple[str, ...]]:
    """Every command path in the CLI, found by walking the click tree (so new ones are covered)."""
    root: Any = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(group: Any, prefix: tuple[str, ...]) -> None:
        for name, command in sorted(group.commands.items()):
            path = (*prefix, name)
            if hasattr(command, "commands"):
                walk(command, path)
            else:
                found.append(path)

    walk(root, ())
    return found


def test_the_walk_finds_the_commands() -> None:
    commands = _commands()
    for expected in [
        ("play",),
        ("deal",),
        ("timer",),
        ("reflect",),
        ("deck", "validate"),
        ("session", "report"),
    ]:
        assert expected in commands
    assert len(commands) >= 20


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(cli: Cli, path: tuple[str, ...]) -> None:
    result = cli(*path, "-h")
    assert result.exit_code == 0, result.stderr
    assert f"stigmacards {' '.join(path)}" in result.stdout
    text = result.stdout.split("Options:")[0]
    assert len(text.split("\n", 2)[-1].strip()) > 20, "no description"
    assert "Example" in result.stdout, f"{' '.join(path)} has no example in its help"
    assert not [claim for claim in OVERCLAIMS if claim in " ".join(result.stdout.split()).casefold()]
