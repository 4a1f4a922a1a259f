"""Printing and import/export: speed against absolute budgets, and the lazy-import promise.

    python benchmarks/print_check.py           # this area only, 7 runs per case
    python benchmarks/print_check.py --quick   # 3 runs, generous budgets

`benchmarks/run.py` picks up the same cases through bench_print.py. Goals (issue 5):
printing a 100-card deck takes under 2 s, end to end; `stigmacards --version` and
`deck validate` never import fpdf.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gendeck import write_deck  # noqa: E402
from run import PY, STIGMA, Row, paired, render, spread, wall  # noqa: E402

PRINT_BUDGET_S = 2.0
HEAVY = ("fpdf", "fontTools", "PIL")


def _median_row(case: str, samples: list[float], budget: float, slack: float) -> Row:
    median = statistics.median(samples)
    return Row(
        case,
        median,
        None,
        "s",
        f"≤ {budget * slack:g} s",
        median <= budget * slack,
        f"±{spread(samples):.0%}",
    )


def _loaded_modules(args: list[str], env: dict[str, str]) -> set[str]:
    """Top-level packages imported by `stigmacards ARGS`, from `python -X importtime`."""
    done = subprocess.run(
        [PY, "-X", "importtime", "-m", "stigmacards", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}


def cases(*, runs: int, env: dict[str, str], slack: float, quick: bool, tmp: Path) -> list[Row]:
    deck = write_deck(tmp / "print-100.yaml", 100)
    out = tmp / "print-100.pdf"
    rows: list[Row] = []
    for label, extra in (("4 per page", []), ("8 per page, duplex", ["--per-page", "8", "--duplex"])):
        cmd = [*STIGMA, "deck", "print", str(deck), "-o", str(out), "--lang", "nl", *extra]
        wall(cmd, env)  # warm-up
        samples = [wall(cmd, env) for _ in range(runs)]
        if not out.exists():
            raise SystemExit(f"deck print wrote nothing: {' '.join(cmd)}")
        rows.append(
            _median_row(f"`deck print` 100-card deck, {label} (end to end)", samples, PRINT_BUDGET_S, slack)
        )

    # The library alone, in this process: what a `deal --pdf` or a test pays after start-up.
    sys.path.insert(0, str(HERE.parent))
    from stigmacards import printing
    from stigmacards.loading import load_deck
    from stigmacards.model import localize

    local = localize(load_deck(deck), "nl")
    printing.deck_pdf(local)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        printing.deck_pdf(local)
        samples.append(time.perf_counter() - start)
    rows.append(_median_row("`printing.deck_pdf` 100 cards, in process", samples, PRINT_BUDGET_S / 2, slack))

    csv_file = tmp / "import-1000.csv"
    export = subprocess.run(
        [*STIGMA, "deck", "export", str(write_deck(tmp / "d1000.yaml", 1000)), "-o", str(csv_file)],
        env=env,
        capture_output=True,
        check=False,
    )
    if export.returncode == 0:
        cmd = [*STIGMA, "deck", "import", str(csv_file), "-o", str(tmp / "back.yaml"), "--force"]
        ours, reference, noise = paired(
            lambda: wall(cmd, env),
            lambda: wall([*STIGMA, "deck", "validate", str(tmp / "d1000.yaml")], env),
            runs,
        )
        rows.append(
            Row(
                "`deck import` 1,000-row CSV vs `deck validate` of the same deck",
                ours,
                reference,
                "s",
                f"≤ {3 * slack:g}×",
                ours <= 3 * slack * reference,
                noise,
                note=f"{ours / reference:.2f}×",
            )
        )

    for label, args in (
        ("`stigmacards --version`", ["--version"]),
        (
            "`deck validate` bundled deck",
            ["deck", "validate", str(HERE.parent / "decks" / "stigma-sekswerk.yaml")],
        ),
    ):
        heavy = sorted(_loaded_modules(args, env) & set(HEAVY))
        rows.append(
            Row(
                f"{label} imports fpdf/fontTools/PIL",
                float(len(heavy)),
                None,
                "modules",
                "0",
                not heavy,
                "-",
                ", ".join(heavy),
            )
        )
    printed = _loaded_modules(["deck", "print", "stigma-sekswerk", "-o", str(out)], env)
    rows.append(
        Row(
            "`deck print` imports fpdf (the check above can fail)",
            float("fpdf" in printed),
            None,
            "",
            "1",
            "fpdf" in printed,
            "-",
        )
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 runs, budgets × 4 (CI smoke run)")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    slack = 4.0 if args.quick else 1.0
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = dict(os.environ, STIGMACARDS_HOME=str(tmp / "home"), NO_COLOR="1", COLUMNS="80")
        rows = cases(runs=runs, env=env, slack=slack, quick=args.quick, tmp=tmp)
    print(f"stigmacards print/import benchmarks ({runs} runs, medians; {os.cpu_count()} cores)\n")
    print(render(rows))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
