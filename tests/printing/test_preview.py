"""`deck preview`: PNG pages and the problem list, rebuilt on save while watching (fake clock)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from stigmacards.cli import preview as preview_cli
from stigmacards.errors import ExitCode
from stigmacards.printing import preview

from ..conftest import DECKS, Cli

GOOD = """\
deck: 1
id: proef
title: Proef
language: nl
license: CC-BY-4.0
cards:
  - id: een
    level: 1
    questions: [Wat is ervaringsdeskundigheid?, Wie heeft die?, Waarom?]
"""


class FakeClock:
    """Time passes only when the code under test sleeps; `on_sleep` runs at each sleep."""

    def __init__(self, on_sleep: Callable[[int], None] = lambda _n: None) -> None:
        self.now = 1000.0
        self.sleeps = 0
        self.on_sleep = on_sleep

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1
        self.on_sleep(self.sleeps)


def test_build_renders_every_page_with_the_lint_warnings_beside_them(tmp_path: Path) -> None:
    deck = tmp_path / "proef.yaml"
    deck.write_text(GOOD, encoding="utf-8")
    result = preview.build(deck, tmp_path / "out")
    assert [p.name for p in result.pages] == ["page-01.png", "page-02.png"]  # front and back
    with Image.open(result.pages[0]) as image:
        assert image.size == (596, 842)  # A4 at 72 dpi, rounded up
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None
    assert len(colours) > 2, "a blank page"
    page = result.index.read_text(encoding="utf-8")
    assert "page-01.png" in page
    assert result.errors == 0
    assert "SC205" in page  # one card: a lint warning, listed beside the pages
    assert "<script" not in page


def test_build_lists_print_problems_beside_the_pages_and_renders_nothing_broken(tmp_path: Path) -> None:
    deck = tmp_path / "proef<b>.yaml"
    deck.write_text(GOOD.replace("Wie heeft die?", "Wie heeft die 🚀?"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "page-07.png").write_bytes(b"stale")
    result = preview.build(deck, out)
    assert result.pages == ()
    assert not (out / "page-07.png").exists()
    assert result.errors == 1
    page = result.index.read_text(encoding="utf-8")
    assert "SC301" in page
    assert "proef&lt;b&gt;.yaml" in page  # escaped, never markup
    assert "<b>" not in page


def test_watch_rebuilds_on_every_save_and_stops_when_time_is_up(tmp_path: Path) -> None:
    deck = tmp_path / "proef.yaml"
    deck.write_text(GOOD, encoding="utf-8")

    def save(n: int) -> None:
        if n in (2, 5):  # two saves, each with a new size so the stamp surely changes
            deck.write_text(GOOD + "#" * n + "\n", encoding="utf-8")

    clock = FakeClock(save)
    rebuilt: list[int] = []
    count = preview.watch(
        deck, clock=clock, rebuild=lambda: rebuilt.append(clock.sleeps), interval=0.5, duration=5
    )
    assert rebuilt == [2, 5]
    assert count == 2
    assert clock.sleeps == 10  # 5 s of 0.5 s polls, then it stops by itself


def test_deck_preview_command_writes_pages_and_reports(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "voorbeeld"
    result = cli("deck", "preview", str(DECKS / "stigma-algemeen.yaml"), "-o", str(out), "--per-page", "8")
    assert result.exit_code == 0, result.stderr
    assert "0 problems" in result.stderr
    assert "ready to print" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "index.html").is_file()
    assert sorted(out.glob("page-*.png"))


def test_deck_preview_watch_renders_again_after_a_save(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "proef.yaml"
    deck.write_text(GOOD, encoding="utf-8")

    def save(n: int) -> None:
        if n == 1:
            deck.write_text(GOOD.replace("Waarom?", "Waarom 🚀?"), encoding="utf-8")

    monkeypatch.setattr(preview_cli, "watch_clock", lambda: FakeClock(save))
    out = tmp_path / "out"
    result = cli("deck", "preview", str(deck), "-o", str(out), "--watch", "--minutes", "0.05")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("Preview:") == 2
    assert "SC301" in result.stdout  # the second render shows the new problem
    assert not list(out.glob("page-*.png"))


def test_deck_preview_refuses_bad_options(cli: Cli, tmp_path: Path) -> None:
    result = cli("deck", "preview", "stigma-sekswerk", "-o", str(tmp_path / "o"), "--per-page", "6")
    assert result.exit_code == ExitCode.USAGE
