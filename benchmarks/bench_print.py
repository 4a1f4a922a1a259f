"""Print cases: a 100-card deck to PDF, end to end (issue 5: under 2 s); `deck validate --print` of
it (issue 14: every printed string against the font and the card size, also under 2 s); a table
pack for 10 tables and 5 rounds, one table per sheet, duplex; `deck preview` of the deck (every
page to PNG, under 6 s); and `deck import` of a 1,000-row CSV
against `deck validate` of the same deck. Whether `--version` and `deck validate`
stay free of fpdf2 is a test (tests/cli/test_fast_path.py), not a timing.

Standalone: python benchmarks/print_check.py [--quick]
"""

from __future__ import annotations

from dataclasses import replace

from gendeck import write_deck
from harness import STIGMA, Row, Settings, command_row, ratio_row, run_child, skipped

PRINT_BUDGET_S = 2.0
PREVIEW_BUDGET_S = 6.0  # print, check and render ~52 A4 pages to PNG
IMPORT_BUDGET = 3.0  # x `deck validate` of the deck the CSV came from


def cases(s: Settings) -> list[Row]:
    try:
        import stigmacards.printing.cards  # noqa: F401
    except ImportError:
        return [skipped("print", "stigmacards.printing.cards is not there yet")]
    deck = write_deck(s.tmp / "print-100.yaml", 100)
    out = s.tmp / "print-100.pdf"
    pack = [*STIGMA, "deal", str(deck), "--tables", "10", "--rounds", "5", "--seed", "1"]
    print_cmd = [*STIGMA, "deck", "print", str(deck), "-o", str(out), "--lang", "nl"]
    timed = (
        ("`deck print` 100-card deck, 4 per page", print_cmd, PRINT_BUDGET_S),
        (
            "`deck print` 100-card deck, 8 per page, duplex",
            [*print_cmd, "--per-page", "8", "--duplex"],
            PRINT_BUDGET_S,
        ),
        (
            "`deck validate --print` 100-card deck",
            [*STIGMA, "deck", "validate", "--print", str(deck)],
            PRINT_BUDGET_S,
        ),
        ("`deal --pdf` 10 tables × 5 rounds, duplex", [*pack, "--pdf", str(out), "--duplex"], PRINT_BUDGET_S),
        (
            "`deck preview` 100-card deck: check, print, 52 PNG pages",
            [*STIGMA, "deck", "preview", str(deck), "-o", str(s.tmp / "preview-100")],
            PREVIEW_BUDGET_S,
        ),
    )
    rows: list[Row] = []
    for label, cmd, budget in timed:
        out.unlink(missing_ok=True)
        warm = run_child(cmd, s.env)
        if warm.code != 0 or (str(out) in cmd and not out.exists()):
            rows.append(Row(label, "—", "—", "—", "—", False, f"exit {warm.code}"))
            continue
        samples = [run_child(cmd, s.env) for _ in range(s.runs)]
        rows.append(
            command_row(
                f"{label} (whole command)",
                samples,
                budget=budget,
                # quick: x2, not x4, so a 10x slower print (~5 s here) still fails CI
                settings=replace(s, slack=min(s.slack, 2.0)),
            )
        )
    source = write_deck(s.tmp / "import-1000.yaml", 1000)
    csv_file = s.tmp / "import-1000.csv"
    export = run_child([*STIGMA, "deck", "export", str(source), "-o", str(csv_file)], s.env)
    if export.code == 0:
        rows.append(
            ratio_row(
                "`deck import` 1,000-row CSV vs `deck validate` of the same deck (both through typer)",
                cmd=[*STIGMA, "deck", "import", str(csv_file), "-o", str(s.tmp / "back.yaml"), "--force"],
                # --debug sends validate through typer too (not the fast path): the same start-up
                ref=[*STIGMA, "--debug", "deck", "validate", str(source)],
                budget=IMPORT_BUDGET,
                settings=s,
            )
        )
    return rows
