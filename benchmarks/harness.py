"""The measuring kit the benchmark cases share: child processes timed by wall clock and CPU,
paired alternated runs, medians, a noise figure, and the rows of the Markdown table.

A case never asserts inside a measurement; it returns `Row`s, and `run.py` decides the exit
code from their verdicts.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
STIGMA = [PY, "-m", "stigmacards"]


@dataclass(frozen=True)
class Settings:
    """What every case gets: how many runs, how generous, where to put files, which environment."""

    runs: int
    quick: bool
    slack: float  # budgets are multiplied by this in --quick (catch 10x regressions, not noise)
    tmp: Path
    env: dict[str, str]


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child (and its reaped children)
    code: int


@dataclass(frozen=True)
class Row:
    """One line of the table. `ours`/`reference` are already formatted."""

    case: str
    ours: str
    reference: str
    ratio: str
    budget: str
    ok: bool
    noise: str
    detail: dict[str, float] = field(default_factory=dict)  # raw numbers, for --json


def run_child(cmd: Sequence[str], env: dict[str, str], *, stdin: int | None = subprocess.DEVNULL) -> Sample:
    """Run a command to completion, output dropped; wall time and the child's CPU time."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(cmd), env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen quiet
    return Sample(wall, usage.ru_utime + usage.ru_stime, process.returncode)


def spread(samples: Sequence[float]) -> float:
    """Relative noise: (max - min) / median."""
    med = statistics.median(samples)
    return (max(samples) - min(samples)) / med if med else 0.0


def noise_text(*groups: Sequence[float]) -> str:
    return " / ".join(f"±{spread(g) / 2:.0%}" for g in groups)


@dataclass(frozen=True)
class Paired:
    ours: list[Sample]
    reference: list[Sample]

    def wall(self, which: str) -> list[float]:
        return [s.wall for s in getattr(self, which)]

    def cpu(self, which: str) -> list[float]:
        return [s.cpu for s in getattr(self, which)]


def paired(ours: Callable[[], Sample], reference: Callable[[], Sample], runs: int) -> Paired:
    """A warm-up of each, then `runs` alternated pairs; the order flips every pair, so drift on a
    shared machine and any first-runner effect hit both sides alike."""
    ours(), reference()  # warm-up: page cache, .pyc files
    a: list[Sample] = []
    b: list[Sample] = []
    for i in range(runs):
        if i % 2 == 0:
            a.append(ours())
            b.append(reference())
        else:
            b.append(reference())
            a.append(ours())
    return Paired(a, b)


def ms(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.0095 else f"{seconds * 1000:.1f} ms"


def ratio_row(
    case: str,
    *,
    cmd: Sequence[str],
    ref: Sequence[str],
    budget: float,
    settings: Settings,
    runs: int | None = None,
    expect_code: int = 0,
) -> Row:
    """`cmd` against `ref`, each in fresh processes, alternated.

    The table shows wall-clock medians (what a person waits) and two ratios. The verdict uses
    the CPU-time ratio (user + system of the child): these commands are single-threaded and
    CPU-bound, so on an idle machine CPU and wall time agree, but only CPU time is unaffected
    when other work shares the machine. Full run: ratio of the medians; quick run: of the
    fastest runs (least disturbed), within budget x slack.
    """
    env = settings.env
    result = paired(lambda: run_child(cmd, env), lambda: run_child(ref, env), runs or settings.runs)
    wrong = [s.code for s in result.ours if s.code != expect_code] + [
        s.code for s in result.reference if s.code != 0
    ]
    ours_w, ref_w = result.wall("ours"), result.wall("reference")
    ours_c, ref_c = result.cpu("ours"), result.cpu("reference")
    pick = min if settings.quick else statistics.median
    wall_ratio = pick(ours_w) / pick(ref_w)
    cpu_ratio = pick(ours_c) / pick(ref_c)
    limit = budget * settings.slack
    return Row(
        case,
        ms(statistics.median(ours_w)),
        ms(statistics.median(ref_w)),
        f"{cpu_ratio:.2f}× CPU, {wall_ratio:.2f}× wall" + (" (min)" if settings.quick else ""),
        f"≤ {limit:g}×",
        cpu_ratio <= limit and not wrong,
        noise_text(ours_w, ref_w) + (f"; **exit codes {sorted(set(wrong))}**" if wrong else ""),
        detail={
            "ours_median_s": statistics.median(ours_w),
            "ref_median_s": statistics.median(ref_w),
            "ours_min_s": min(ours_w),
            "ref_min_s": min(ref_w),
            "ours_cpu_median_s": statistics.median(ours_c),
            "ref_cpu_median_s": statistics.median(ref_c),
            "wall_ratio": wall_ratio,
            "cpu_ratio": cpu_ratio,
        },
    )


def absolute_row(
    case: str,
    samples: Sequence[float],
    *,
    budget: float,
    settings: Settings,
    unit: str = "s",
    note: str = "",
) -> Row:
    """A case with no reference: the median (quick: the fastest run) within an absolute budget."""
    med = statistics.median(samples)
    judged = min(samples) if settings.quick else med
    limit = budget * settings.slack
    shown = ms if unit == "s" else (lambda v: f"{v:.3g} {unit}")
    return Row(
        case,
        shown(med),
        note or "—",
        "—",
        f"≤ {shown(limit)}" + (" (min)" if settings.quick else ""),
        judged <= limit,
        noise_text(samples),
        detail={"median": med, "min": min(samples)},
    )


def skipped(case: str, why: str) -> Row:
    return Row(case, "—", "—", "—", "—", True, f"skipped: {why}")
