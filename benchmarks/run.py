"""The benchmark suite: stigmacards against the floor it cannot beat, side by side in one run.

    python benchmarks/run.py           # full run (a few minutes): the table for the README
    python benchmarks/run.py --quick   # smoke run for CI (~1 minute): generous budgets
    python benchmarks/run.py --only startup,timer --runs 9

Every case runs a warm-up, then alternates stigmacards and its reference (so drift on a shared
machine hits both), and reports medians and how noisy the run was. Full run: the ratio of the
medians must be within budget. Quick run: the ratio of the fastest runs (the least disturbed by
other work on the machine) must be within budget x slack, so CI catches a 10x regression without
failing on noise. Prints one Markdown table; exits 1 when a budget is missed. See README.md here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gendeck import write_deck  # noqa: E402
from harness import PY, ROOT, STIGMA, Row, Settings, ratio_row  # noqa: E402

BUNDLED = ROOT / "decks" / "stigma-sekswerk.yaml"
GROWTH_TOLERANCE = 1.2  # linear growth may look up to 20% worse than linear before we call it not linear


def yaml_load_cmd(path: Path) -> list[str]:
    code = f"import yaml; yaml.load(open({str(path)!r}, encoding='utf-8'), Loader=yaml.CSafeLoader)"
    return [PY, "-c", code]


def startup_cases(s: Settings) -> list[Row]:
    return [
        ratio_row(
            "`stigmacards --version` vs `python -c pass`",
            cmd=[*STIGMA, "--version"],
            ref=[PY, "-c", "pass"],
            budget=1.5,
            settings=s,
        ),
        ratio_row(
            "`stigmacards --help` vs `yaml.load` of the bundled deck",
            cmd=[*STIGMA, "--help"],
            ref=yaml_load_cmd(BUNDLED),
            budget=3.0,
            settings=s,
        ),
        ratio_row(
            "`deck validate` of the bundled deck vs `yaml.load` of it",
            cmd=[*STIGMA, "deck", "validate", str(BUNDLED)],
            ref=yaml_load_cmd(BUNDLED),
            budget=3.0,
            settings=s,
        ),
    ]


def big_deck_cases(s: Settings) -> list[Row]:
    """`deck validate` of generated decks (every card translated) vs a bare C-loader load."""
    sizes = (200, 1000) if s.quick else (1000, 10000)
    rows: list[Row] = []
    medians: dict[int, float] = {}
    for size in sizes:
        path = write_deck(s.tmp / f"deck-{size}.yaml", size)
        row = ratio_row(
            f"`deck validate` {size:,}-card deck vs bare `CSafeLoader` load",
            cmd=[*STIGMA, "deck", "validate", str(path)],
            ref=yaml_load_cmd(path),
            budget=1.5,
            settings=s,
            runs=min(s.runs, 5) if size >= 10000 else None,
        )
        # CPU time, like the verdicts: the fastest run in quick mode, else the median
        medians[size] = row.detail["ours_cpu_min_s" if s.quick else "ours_cpu_median_s"]
        rows.append(row)
    small, large = sizes
    growth = medians[large] / medians[small]
    linear = large / small
    per_card = (medians[large] - medians[small]) / (large - small)
    limit = linear * GROWTH_TOLERANCE * (1.5 if s.quick else 1.0)
    rows.append(
        Row(
            f"growth of CPU time {small:,} → {large:,} cards ({linear:g}× = linear)",
            f"{growth:.2f}×",
            f"{per_card * 1e6:.0f} µs per extra card",
            "—",
            f"≤ {limit:g}×",
            growth <= limit,
            "—",
            detail={"growth": growth, "per_card_s": per_card},
        )
    )
    return rows


GROUPS: dict[str, Callable[[Settings], list[Row]]] = {
    "startup": startup_cases,
    "bigdeck": big_deck_cases,
}


def extra_groups() -> dict[str, Callable[[Settings], list[Row]]]:
    """Cases of feature areas (timer, play, store, print), each in its own module beside this one."""
    found: dict[str, Callable[[Settings], list[Row]]] = {}
    for name in ("timer", "play", "store", "print", "room"):
        if (HERE / f"bench_{name}.py").exists():
            module = __import__(f"bench_{name}")
            found[name] = module.cases
    return found


def compile_package() -> None:
    """Byte-compile stigmacards, as pip does on install: a checkout run with
    PYTHONDONTWRITEBYTECODE=1 (or from a read-only copy) would otherwise compile every module
    at every start and measure the compiler, not stigmacards."""
    import compileall

    compileall.compile_dir(str(ROOT / "stigmacards"), quiet=2)


def render(rows: list[Row]) -> str:
    out = [
        "| case | stigmacards | reference | ratio | budget | verdict | noise (ours / ref) |",
        "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for r in rows:
        verdict = "ok" if r.ok else "**over budget**"
        out.append(
            f"| {r.case} | {r.ours} | {r.reference} | {r.ratio} | {r.budget} | {verdict} | {r.noise} |"
        )
    return "\n".join(out)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip() + ", "
                break
    except OSError:
        pass
    return (
        f"{cpu}{os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short smoke run with generous budgets (CI)")
    parser.add_argument(
        "--runs", type=int, default=None, help="alternated runs per case (default 7, quick 3)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated groups: startup,bigdeck,timer,play,store,print,room"
    )
    parser.add_argument("--json", type=Path, help="also write the raw numbers to this file")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    groups = {**GROUPS, **extra_groups()}
    chosen = [g for g in args.only.split(",") if g] or list(groups)
    unknown = [g for g in chosen if g not in groups]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; known: {', '.join(groups)}")
    started = time.monotonic()
    compile_package()
    load_before = load_average()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="stigmacards-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "STIGMACARDS_HOME": str(tmp / "home"), "NO_COLOR": "1", "COLUMNS": "80"}
        settings = Settings(runs=runs, quick=args.quick, slack=4.0 if args.quick else 1.0, tmp=tmp, env=env)
        for name in chosen:
            rows += groups[name](settings)
    elapsed = time.monotonic() - started
    print(
        f"stigmacards benchmarks: {'quick' if args.quick else 'full'} run, warm-up + {runs} alternated runs "
        f"per case, medians; {elapsed:.0f} s"
    )
    print(
        f"machine: {machine()}; load average before {load_before}, after {load_average()}; "
        f"termdown: {'yes' if shutil.which('termdown', path=str(Path(PY).parent) + os.pathsep + os.environ.get('PATH', '')) else 'no'}"
    )
    print()
    print(render(rows))
    if args.json:
        args.json.write_text(
            json.dumps([{"case": r.case, "ok": r.ok, **r.detail} for r in rows], indent=2) + "\n",
            encoding="utf-8",
        )
    failed = [r.case for r in rows if not r.ok]
    if failed:
        print(f"\n{len(failed)} case(s) over budget: " + "; ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
