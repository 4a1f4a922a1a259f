"""CPU used by a counting-down timer in a pseudo-terminal, compared with termdown.

Usage: python benchmarks/timer_cpu.py [--seconds 30] [--termdown PATH] [--flag=--calm]
Measures the CPU time of the process (/proc/PID/schedstat, nanoseconds) over a window that starts after
start-up, while it counts down in an 80x24 pseudo-terminal whose output is read and dropped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import pexpect


def cpu_seconds(pid: int) -> float:
    """CPU time of the process's main thread in nanoseconds precision (/proc/PID/schedstat)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def measure(argv: list[str], *, warmup: float, window: float) -> tuple[float, float]:
    """(CPU seconds during the window, CPU seconds in total until the window ended)."""
    child = pexpect.spawn(
        argv[0], argv[1:], dimensions=(24, 80), env={**os.environ, "TERM": "xterm-256color"}
    )
    try:
        end_warmup = time.monotonic() + warmup
        while time.monotonic() < end_warmup:
            child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.2)
        before = cpu_seconds(child.pid)
        end = time.monotonic() + window
        while time.monotonic() < end:
            child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.2)
        after = cpu_seconds(child.pid)
        return after - before, after
    finally:
        child.terminate(force=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--termdown", default=shutil.which("termdown"))
    parser.add_argument("--flag", action="append", default=[], help="a flag for the timer: --calm, --big …")
    args = parser.parse_args()
    warmup, window = 2.0, args.seconds - 4.0
    runs = [
        (
            "stigmacards timer",
            [sys.executable, "-m", "stigmacards", "timer", str(args.seconds / 60), *args.flag],
        )
    ]
    if args.termdown:
        runs.append(("termdown", [args.termdown, str(int(args.seconds))]))
    for name, argv in runs:
        during, total = measure(argv, warmup=warmup, window=window)
        print(
            f"{name:20} {during * 1000:7.1f} ms CPU in {window:.0f} s counting "
            f"= {100 * during / window:.3f} % of a core  (incl. start-up: {total * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
