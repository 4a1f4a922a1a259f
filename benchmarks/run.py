"""The benchmark suite: stigmacards against the floor it cannot beat, side by side in one run.

    python benchmarks/run.py           # full run (minutes): the table for the README
    python benchmarks/run.py --quick   # smoke run for CI: generous budgets, catches 10x regressions

Every case runs a warm-up, then alternates stigmacards and its reference (so drift on a shared
machine hits both), and reports medians and how noisy the run was. Prints one Markdown table;
exits 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from gendeck import write_deck  # noqa: E402

PY = sys.executable
STIGMA = [PY, "-m", "stigmacards"]
BUNDLED = ROOT / "decks" / "stigma-sekswerk.yaml"


@dataclass(frozen=True)
class Row:
    case: str
    ours: float
    reference: float | None
    unit: str
    budget: str
    ok: bool
    noise: str
    note: str = ""


def wall(cmd: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def spread(samples: list[float]) -> float:
    """Relative noise: (max - min) / median."""
    med = statistics.median(samples)
    return (max(samples) - min(samples)) / med if med else 0.0


def paired(ours: Callable[[], float], reference: Callable[[], float], runs: int) -> tuple[float, float, str]:
    ours(), reference()  # warm-up: page cache, .pyc files
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(ours())
        b.append(reference())
    noise = f"±{spread(a):.0%} / ±{spread(b):.0%}"
    return statistics.median(a), statistics.median(b), noise


def ratio_row(
    case: str,
    *,
    cmd: Sequence[str],
    ref: Sequence[str],
    budget: float,
    runs: int,
    env: dict[str, str],
    slack: float,
) -> Row:
    ours, reference, noise = paired(lambda: wall(cmd, env), lambda: wall(ref, env), runs)
    ratio = ours / reference
    return Row(
        case,
        ours,
        reference,
        "s",
        f"≤ {budget * slack:g}×",
        ratio <= budget * slack,
        noise,
        note=f"{ratio:.2f}×",
    )


def yaml_load_cmd(path: Path) -> list[str]:
    code = f"import yaml; yaml.load(open({str(path)!r}, encoding='utf-8'), Loader=yaml.CSafeLoader)"
    return [PY, "-c", code]


def startup_cases(runs: int, env: dict[str, str], slack: float) -> list[Row]:
    return [
        ratio_row(
            "`stigmacards --version` vs `python -c pass`",
            cmd=[*STIGMA, "--version"],
            ref=[PY, "-c", "pass"],
            budget=1.5,
            runs=runs,
            env=env,
            slack=slack,
        ),
        ratio_row(
            "`stigmacards --help` vs `yaml.load` of the bundled deck",
            cmd=[*STIGMA, "--help"],
            ref=yaml_load_cmd(BUNDLED),
            budget=3.0,
            runs=runs,
            env=env,
            slack=slack,
        ),
        ratio_row(
            "`deck validate` bundled deck vs `yaml.load` of it",
            cmd=[*STIGMA, "deck", "validate", str(BUNDLED)],
            ref=yaml_load_cmd(BUNDLED),
            budget=3.0,
            runs=runs,
            env=env,
            slack=slack,
        ),
    ]


def big_deck_cases(
    runs: int, env: dict[str, str], slack: float, sizes: Sequence[int], tmp: Path
) -> list[Row]:
    rows: list[Row] = []
    medians: dict[int, float] = {}
    for size in sizes:
        path = write_deck(tmp / f"deck-{size}.yaml", size)
        row = ratio_row(
            f"`deck validate` {size:,}-card deck vs bare CSafeLoader load",
            cmd=[*STIGMA, "deck", "validate", str(path)],
            ref=yaml_load_cmd(path),
            budget=1.5,
            runs=runs,
            env=env,
            slack=slack,
        )
        medians[size] = row.ours
        rows.append(row)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        growth = medians[large] / medians[small]
        expected = large / small
        rows.append(
            Row(
                f"growth {small:,} → {large:,} cards (linear ≈ {expected:g}× minus start-up)",
                growth,
                None,
                "×",
                f"≤ {expected * 1.2 * slack:g}×",
                growth <= expected * 1.2 * slack,
                "-",
            )
        )
    return rows


def extra_cases(runs: int, env: dict[str, str], slack: float, quick: bool, tmp: Path) -> list[Row]:
    """Cases contributed by feature areas (timer, store, print): each module adds its own."""
    rows: list[Row] = []
    for name in ("bench_timer", "bench_store", "bench_print"):
        path = HERE / f"{name}.py"
        if not path.exists():
            continue
        module = __import__(name)
        rows.extend(module.cases(runs=runs, env=env, slack=slack, quick=quick, tmp=tmp))
    return rows


def render(rows: list[Row]) -> str:
    out = [
        "| case | stigmacards | reference | ratio | budget | verdict | noise (ours / ref) |",
        "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for r in rows:
        ref = (
            f"{r.reference * 1000:.0f} ms"
            if r.reference is not None and r.unit == "s"
            else (f"{r.reference:.4g} {r.unit}" if r.reference is not None else "—")
        )
        ours = f"{r.ours * 1000:.0f} ms" if r.unit == "s" else f"{r.ours:.4g} {r.unit}"
        out.append(
            f"| {r.case} | {ours} | {ref} | {r.note or '—'} | {r.budget} | "
            f"{'ok' if r.ok else '**over budget**'} | {r.noise} |"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short smoke run with generous budgets (CI)")
    parser.add_argument(
        "--runs", type=int, default=None, help="alternated runs per case (default 7, quick 3)"
    )
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    slack = 4.0 if args.quick else 1.0  # quick: catch 10x regressions, not noise
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ, STIGMACARDS_HOME=str(tmp / "home"), NO_COLOR="1", COLUMNS="80")
        rows = startup_cases(runs, env, slack)
        rows += big_deck_cases(
            runs if not args.quick else 2, env, slack, (200, 1000) if args.quick else (1000, 10000), tmp
        )
        rows += extra_cases(runs, env, slack, args.quick, tmp)
    print(
        f"stigmacards benchmarks ({'quick' if args.quick else 'full'} run, {runs} alternated runs, medians)"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; termdown: {'yes' if shutil.which('termdown') else 'no'}"
    )
    print()
    print(render(rows))
    failed = [r.case for r in rows if not r.ok]
    if failed:
        print(f"\n{len(failed)} case(s) over budget", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
