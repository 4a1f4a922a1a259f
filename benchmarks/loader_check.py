"""Throwaway measurements for the loader (the real suite is benchmarks/run.py).

    python benchmarks/loader_check.py [--cards 10000] [--runs 5] [--profile [--pure]] [--corpus]

Prints medians of fresh-process runs: `deck validate` of a generated deck against a bare
`yaml.load(..., Loader=yaml.CSafeLoader)` of the same file, and `stigmacards --version`
against `python -c pass`; with --profile, the loader's hottest functions (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gendeck import write_deck  # noqa: E402

PY = sys.executable


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def compare(name: str, ours: list[str], ref: list[str], runs: int, env: dict[str, str]) -> None:
    """Alternate the two commands; print medians of wall time and of CPU time.

    CPU time is the steadier figure on a shared machine: other processes stretch wall time.
    """
    run(ours, env), run(ref, env)  # warm-up
    a, b = [], []
    for _ in range(runs):
        a.append(run(ours, env))
        b.append(run(ref, env))
    for label, index in (("wall", 0), ("cpu", 1)):
        ma = statistics.median(x[index] for x in a)
        mb = statistics.median(x[index] for x in b)
        print(
            f"{name} [{label}]: {ma * 1000:.0f} ms vs {mb * 1000:.0f} ms = {ma / mb:.2f}x (median of {runs})"
        )


def profile(path: Path, *, pure: bool) -> None:
    from stigmacards.deck.loading import analyse_file

    analyse_file(path, pure=pure)  # warm imports
    start = time.perf_counter()
    analyse_file(path, pure=pure)
    print(f"in-process analyse_file (pure={pure}): {(time.perf_counter() - start) * 1000:.0f} ms")
    prof = cProfile.Profile()
    prof.enable()
    analyse_file(path, pure=pure)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(14)
    print(out.getvalue())


def corpus() -> None:
    """Slowest hostile files, in-process, both parsers (the issue asks for under 1 s each)."""
    from stigmacards.deck.loading import analyse_file

    timings = []
    for path in sorted((HERE.parent / "tests" / "data" / "hostile").glob("*.yaml")):
        for pure in (False, True):
            best = min(_timed(lambda p=path, q=pure: analyse_file(p, pure=q)) for _ in range(3))
            timings.append((best, path.name, "pure" if pure else "libyaml"))
    timings.sort(reverse=True)
    print(f"hostile corpus: {len(timings) // 2} files; slowest:")
    for best, name, parser in timings[:5]:
        print(f"  {best * 1000:7.1f} ms  {name} ({parser})")


def _timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pure", action="store_true", help="profile the pure parser too")
    parser.add_argument("--corpus", action="store_true", help="time every hostile test file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ, STIGMACARDS_HOME=str(tmp / "home"), NO_COLOR="1")
        path = write_deck(tmp / "big.yaml", args.cards)
        print(f"deck: {args.cards:,} cards, {path.stat().st_size / 1e6:.1f} MB")
        load = f"import yaml; yaml.load(open({str(path)!r}, encoding='utf-8'), Loader=yaml.CSafeLoader)"
        compare(
            "deck validate vs bare CSafeLoader load",
            [PY, "-m", "stigmacards", "deck", "validate", str(path)],
            [PY, "-c", load],
            args.runs,
            env,
        )
        compare(
            "--version vs python -c pass", [PY, "-m", "stigmacards", "--version"], [PY, "-c", "pass"], 11, env
        )
        if args.corpus:
            corpus()
        if args.profile:
            profile(path, pure=False)
            if args.pure:
                profile(path, pure=True)


if __name__ == "__main__":
    main()
