"""The README tells the truth: two quick-start commands that exist, and a deck example that loads."""

from __future__ import annotations

import re

from stigmacards.deck.loading import analyse_text

from ..conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## )", README, flags=re.M | re.S)
    assert match, f"README has no '{title}' section"
    return match.group(1)


def test_quick_start_is_exactly_two_make_commands_that_exist() -> None:
    block = re.search(r"```sh\n(.*?)```", _section("Quick start"), flags=re.S)
    assert block
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make play", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^play: ", makefile, flags=re.M)
    assert re.search(r"^test: ", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_windows_pair_beside_it_does_the_same_without_make() -> None:
    block = re.search(r"```powershell\n(.*?)```", _section("Quick start"), flags=re.S)
    assert block
    play, test = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    for line in (play, test):
        steps = [step.strip() for step in line.split(";")]
        assert steps[0] == "py -m venv .venv"
        assert steps[1].startswith(r".venv\Scripts\python -m pip install -e ")
    assert play.split(";")[1].strip().endswith("-e .")
    assert play.endswith(r".venv\Scripts\stigmacards play")
    assert '".[dev]"' in test  # quoted: PowerShell would read [dev] as a wildcard otherwise
    assert test.endswith(r".venv\Scripts\python -m pytest")
    # The Makefile does the same two things (install, then play or the test suite).
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m pip install --quiet -e '.[dev]'" in makefile
    assert "$(BIN)/python -m pytest" in makefile


def test_deck_example_is_a_valid_deck() -> None:
    block = re.search(r"```yaml\n(.*?)```", _section("The deck format by example"), flags=re.S)
    assert block
    analysis = analyse_text(block.group(1), "README.md")
    assert analysis.errors == [], [p.format() for p in analysis.errors]
    assert analysis.deck is not None
    assert analysis.deck.translations["en"].cards["eerste-indruk"].questions is not None


def test_every_linked_doc_exists() -> None:
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
