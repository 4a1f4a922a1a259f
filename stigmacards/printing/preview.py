"""`deck preview`: the printed cards as PNG pages beside the deck's print problems, kept fresh.

Each build checks the deck as `deck validate --print` does, prints it as `deck print` would,
rasterises the PDF with PDFium (pypdfium2) and writes an `index.html` that shows the pages with
the problem list beside them. Watching polls the deck file's modification time through an
injected clock, for a bounded time, and rebuilds on every save.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from stigmacards.deck.problems import Problem, Severity
from stigmacards.errors import LayoutError, OutputError
from stigmacards.i18n import _
from stigmacards.text import inert

PAGE_PREFIX = "page-"
DPI = 72  # a sheet of A4 at 72 dpi is 595 × 842 px: enough to read every card


class WatchClock(Protocol):
    """What watching needs of time: the monotonic clock and a way to wait."""

    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


@dataclass(frozen=True, slots=True)
class Preview:
    index: Path
    pages: tuple[Path, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)


def build(
    deck_file: Path,
    out_dir: Path,
    *,
    lang: str | None = None,
    per_page: int = 4,
    paper: str = "a4",
    display: str | None = None,
) -> Preview:
    """Check and print the deck, render its pages to PNG in `out_dir`, write index.html."""
    from stigmacards.deck.lint import lint
    from stigmacards.deck.loading import analyse_file
    from stigmacards.deck.model import localize
    from stigmacards.printing import readiness
    from stigmacards.printing.branding import read_branding
    from stigmacards.printing.cards import PrintOptions, deck_pdf

    shown = display or str(deck_file)
    analysis = analyse_file(deck_file, display=shown)
    problems = [*analysis.problems, *lint(analysis), *readiness.check(analysis, deck_file)]
    pdf: bytes | None = None
    if analysis.deck is not None and not any(p.severity is Severity.ERROR for p in problems):
        branding, _bad = read_branding(deck_file, display=shown)
        local = localize(analysis.deck, lang or analysis.deck.language)
        try:
            pdf, _result = deck_pdf(
                local, options=PrintOptions(paper=paper, per_page=per_page, duplex=True, branding=branding)
            )
        except LayoutError as exc:
            problems.append(Problem(shown, 0, 0, Severity.ERROR, "SC302", str(exc)))
    problems.sort(key=Problem.sort_key)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.glob(f"{PAGE_PREFIX}*.png"):
            old.unlink()
        pages = rasterise(pdf, out_dir) if pdf is not None else ()
        index = out_dir / "index.html"
        index.write_text(_page(shown, pages, problems), encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            _("{path}: cannot write the preview ({reason})").format(path=out_dir, reason=exc.strerror)
        ) from None
    return Preview(index, pages, tuple(problems))


def rasterise(pdf: bytes, out_dir: Path, *, dpi: int = DPI) -> tuple[Path, ...]:
    """Every page of `pdf` as out_dir/page-01.png, page-02.png, …"""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    written: list[Path] = []
    try:
        for number in range(len(document)):
            page = document[number]
            try:
                image = page.render(scale=dpi / 72).to_pil()
                target = out_dir / f"{PAGE_PREFIX}{number + 1:02d}.png"
                image.save(target, format="PNG")
                written.append(target)
            finally:
                page.close()
    finally:
        document.close()
    return tuple(written)


def _esc(text: str) -> str:
    return html.escape(inert(text, single_line=True))


def _page(deck: str, pages: tuple[Path, ...], problems: list[Problem]) -> str:
    """A plain HTML page: the pages on the left, the problems on the right; no scripts."""
    items = (
        "\n".join(f'<li class="{p.severity}">{_esc(p.format())}</li>' for p in problems)
        or f"<li>{_esc(_('No problems: ready to print.'))}</li>"
    )
    images = "\n".join(f'<img src="{html.escape(p.name)}" alt="{html.escape(p.stem)}">' for p in pages)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>{_esc(deck)}</title>
<style>
body {{ display: flex; gap: 1em; font-family: sans-serif; margin: 1em; }}
#pages {{ flex: 3; }} #pages img {{ max-width: 100%; border: 1px solid #ccc; margin-bottom: 1em; }}
#problems {{ flex: 2; font-size: 90%; }} .error {{ color: #a00; }} .warning {{ color: #850; }}
</style></head>
<body><div id="pages">{images}</div>
<div id="problems"><h1>{_esc(deck)}</h1><ul>{items}</ul></div></body></html>
"""


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None  # mid-save (the editor renamed it away): look again next time
    return (info.st_mtime_ns, info.st_size)


def watch(
    deck_file: Path, *, clock: WatchClock, rebuild: Callable[[], None], interval: float, duration: float
) -> int:
    """Call `rebuild` after every change to `deck_file`, polling every `interval` seconds for at
    most `duration` seconds; return how many rebuilds there were."""
    start = clock.monotonic()
    last = _stamp(deck_file)
    rebuilt = 0
    while clock.monotonic() - start < duration:
        clock.sleep(interval)
        stamp = _stamp(deck_file)
        if stamp is not None and stamp != last:
            last = stamp
            rebuild()
            rebuilt += 1
    return rebuilt
