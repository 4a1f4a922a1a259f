"""Store cases: saving one reflection (WAL, synchronous=FULL), and `session report` / `session
export` of a session with 100,000 reflections (quick: 20,000), each in a fresh process.

The database lives in a directory beside this file, not in /tmp: on many systems /tmp is a
tmpfs, where fsync costs nothing and the save latency would mean nothing. The filesystem is
named in the table.

Standalone: python benchmarks/bench_store.py [--quick]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from harness import HERE, PY, STIGMA, Row, Settings, command_row, ms, run_child, skipped

SAVE_BUDGET_S = 0.005
BIG_BUDGET_S = 1.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def filesystem_of(path: Path) -> str:
    """The filesystem type `path` is on (Linux: from /proc/mounts), or '?'."""
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3 and str(path).startswith(fields[1]) and len(fields[1]) > len(best):
                best, kind = fields[1], fields[2]
    except OSError:
        pass
    return kind


_SAVER = """
import json, sys, time
from datetime import date
from pathlib import Path
from stigmacards.reflections.store import Answer, ReflectionStore

home, n = Path(sys.argv[1]), int(sys.argv[2])
with ReflectionStore.in_home(home) as store:
    # The case measures what it claims: WAL, and a full fsync at every commit.
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    sid = store.create_session(
        deck_id="stigma-sekswerk", deck_hash="0", language="nl", group_size=None, day=date.today()
    ).id
    texts = ["Wat ik meeneem: luisteren zonder oordeel. " * (1 + i % 6) for i in range(50)]
    took = []
    for i in range(n):
        start = time.perf_counter()
        store.save_submission(sid, [Answer("inzicht", texts[i % 50])])
        took.append(time.perf_counter() - start)
print(json.dumps(took))
"""


def save_latencies(home: Path, n: int, env: dict[str, str]) -> list[float]:
    shutil.rmtree(home, ignore_errors=True)
    done = subprocess.run(
        [PY, "-c", _SAVER, str(home), str(n)], env=env, capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout))


def fill(home: Path, n: int, env: dict[str, str]) -> str:
    """A sealed session of the bundled deck with n reflections; returns its id."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[3]); from pathlib import Path; "
        "from store_check import fill_big_session; "
        "print(fill_big_session(Path(sys.argv[1]), int(sys.argv[2])))"
    )
    done = subprocess.run(
        [PY, "-c", code, str(home), str(n), str(HERE)], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def cases(s: Settings) -> list[Row]:
    try:
        import stigmacards.reflections.store  # noqa: F401
    except ImportError:
        return [skipped("store", "stigmacards.reflections.store is not there yet")]
    work = HERE / ".work"
    work.mkdir(exist_ok=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=work, prefix="store-") as name:
        tmp = Path(name)
        fs = filesystem_of(tmp.resolve())
        env = {**s.env, "STIGMACARDS_HOME": str(tmp / "home"), "COLUMNS": "100"}
        saves = 300 if s.quick else 2000
        save_latencies(tmp / "warm", 50, env)  # warm-up
        p50s: list[float] = []
        p99s: list[float] = []
        for i in range(2 if s.quick else 5):
            took = save_latencies(tmp / f"saves-{i}", saves, env)
            p50s.append(statistics.median(took))
            p99s.append(percentile(took, 99))
        judged = min(p99s) if s.quick else statistics.median(p99s)
        limit = SAVE_BUDGET_S * s.slack
        rows.append(
            Row(
                f"save 1 reflection, WAL + synchronous=FULL ({saves:,} saves a run, {fs})",
                f"p50 {ms(statistics.median(p50s))}, p99 {ms(statistics.median(p99s))}",
                "—",
                "—",
                f"p99 ≤ {ms(limit)}" + (" (min)" if s.quick else ""),
                judged <= limit,
                f"p99 of the runs: {ms(min(p99s))} to {ms(max(p99s))}",
                detail={"p50_s": statistics.median(p50s), "p99_s": statistics.median(p99s)},
            )
        )
        n = 20_000 if s.quick else 100_000
        home = tmp / "big"
        env = {**env, "STIGMACARDS_HOME": str(home)}
        sid = fill(home, n, env)
        out = tmp / "out"
        out.mkdir()
        for label, args in (
            ("session report", ["session", "report", sid]),
            (
                "session export --format csv",
                ["session", "export", sid, "--format", "csv", "-o", str(out / "x.csv")],
            ),
            (
                "session export --format json",
                ["session", "export", sid, "--format", "json", "-o", str(out / "x.json")],
            ),
        ):
            cmd = [*STIGMA, *args]
            warm = run_child(cmd, env)
            if warm.code != 0:
                rows.append(
                    Row(f"`{label}`, {n:,} reflections", "—", "—", "—", "—", False, f"exit {warm.code}")
                )
                continue
            samples = [run_child(cmd, env) for _ in range(s.runs)]
            rows.append(
                command_row(
                    f"`{label}`, {n:,} reflections (whole command)",
                    samples,
                    budget=BIG_BUDGET_S,
                    # quick: a fifth of the reflections within the same second is the slack
                    settings=replace(s, slack=1.0),
                )
            )
    return rows


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        settings = Settings(
            runs=3 if args.quick else 5,
            quick=args.quick,
            slack=4.0 if args.quick else 1.0,
            tmp=Path(name),
            env=dict(os.environ),
        )
        for row in cases(settings):
            print(row)


if __name__ == "__main__":
    main()
