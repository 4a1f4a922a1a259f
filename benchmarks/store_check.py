"""Benchmarks for the reflections store (not tests): save latency, report and export at 100,000.

Goals (issue 4): saving one reflection <= 5 ms at p99 with synchronous=FULL; `session report`
and `session export` of a 100,000-reflection session under 1 s each.

    .venv/bin/python benchmarks/store_check.py [--saves N] [--reflections N]

Everything happens in a temporary STIGMACARDS_HOME that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_saves(home: Path, n: int, rounds: int = 3) -> dict[str, float]:
    """Save latency, `rounds` times over (a shared disk is noisy): medians of the per-round figures."""
    per_round = [_save_round(home / f"round{i}", n) for i in range(rounds)]
    results = {label: statistics.median(r[label] for r in per_round) for label in per_round[0]}
    results["save 1 reflection p99, worst round (ms)"] = max(
        r["save 1 reflection p99 (ms)"] for r in per_round
    )
    return results


def _save_round(home: Path, n: int) -> dict[str, float]:
    from stigmacards.reflections.store import Answer, ReflectionStore

    with ReflectionStore.in_home(home) as store:
        sid = store.create_session(
            deck_id="stigma-sekswerk", deck_hash="0", language="nl", group_size=None, day=date.today()
        ).id
        texts = ["Wat ik meeneem: luisteren zonder oordeel. " * random.randint(1, 6) for _ in range(50)]
        one: list[float] = []
        four: list[float] = []
        for i in range(n):
            start = time.perf_counter()
            store.save_submission(sid, [Answer("inzicht", texts[i % 50])])
            one.append(time.perf_counter() - start)
        for i in range(n // 4):
            answers = [
                Answer("veilig", i % 5 + 1),
                Answer("rol", i % 4),
                Answer("inzicht", texts[i % 50]),
                Answer("volgende-keer", texts[(i + 7) % 50]),
            ]
            start = time.perf_counter()
            store.save_submission(sid, answers)
            four.append(time.perf_counter() - start)
    ms = 1000
    return {
        "save 1 reflection p50 (ms)": statistics.median(one) * ms,
        "save 1 reflection p99 (ms)": percentile(one, 99) * ms,
        "save 1 reflection max (ms)": max(one) * ms,
        "save 4-answer submission p99 (ms)": percentile(four, 99) * ms,
    }


def fill_big_session(home: Path, n: int) -> str:
    """A closed session of the bundled deck with n reflections: a quarter each scale and choice, half text."""
    from stigmacards import paths
    from stigmacards.deck.catalog import content_hash, open_deck
    from stigmacards.reflections.store import ReflectionStore, StoredReflection

    source = open_deck("stigma-sekswerk", bundled_dir=paths.bundled_decks_dir(), user_dir=home / "decks")
    rng = random.Random(4)
    words = [
        "luisteren",
        "stigma",
        "sekswerk",
        "respect",
        "veilig",
        "gesprek",
        "taal",
        "hulp",
        "beeld",
        "media",
        "ervaring",
    ]
    rows = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            rows.append(StoredReflection(secrets.token_hex(16), "veilig", None, rng.randint(1, 5)))
        elif kind == 1:
            rows.append(StoredReflection(secrets.token_hex(16), "rol", None, rng.randint(0, 4)))
        else:
            text = " ".join(rng.choices(words, k=rng.randint(4, 30)))
            prompt = "inzicht" if kind == 2 else "volgende-keer"
            rows.append(StoredReflection(secrets.token_hex(16), prompt, None, text))
    with ReflectionStore.in_home(home) as store:
        sid = store.create_session(
            deck_id=source.deck.id,
            deck_hash=content_hash([source.path]),
            language="nl",
            group_size=n // 4,
            day=date.today(),
        ).id
        store.import_reflections(sid, rows)
        store.resolve_flags(sid, redacted={}, kept=[r.id for r in store.reflections(sid) if r.flagged])
        store.seal(sid)
    return sid


def run_cli(home: Path, *args: str) -> float:
    env = dict(os.environ, STIGMACARDS_HOME=str(home), COLUMNS="100", NO_COLOR="1")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "stigmacards", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{args}: {result.stderr}")
    return elapsed


def bench_big(home: Path, n: int) -> dict[str, float]:
    sid = fill_big_session(home, n)
    out = home / "out"
    out.mkdir()
    results: dict[str, float] = {}
    for label, args in (
        ("report text", ("session", "report", sid)),
        ("report md", ("session", "report", sid, "--format", "md")),
        ("report json", ("session", "report", sid, "--format", "json")),
        ("export csv", ("session", "export", sid, "--format", "csv", "-o", str(out / "x.csv"))),
        ("export json", ("session", "export", sid, "--format", "json", "-o", str(out / "x.json"))),
        ("list", ("session", "list")),
    ):
        times = [run_cli(home, *args) for _ in range(3)]
        results[f"{label}, {n:,} reflections, whole command (s, best of 3)"] = min(times)
    # The core alone: read, protect, summarise (no interpreter start-up, no rendering).
    from stigmacards.reflections.anonymity import build_report, infer_specs, protect
    from stigmacards.reflections.store import ReflectionStore

    with ReflectionStore.in_home(home) as store:
        info = store.get_session(sid)
        start = time.perf_counter()
        rows = store.reflections(sid)
        read = time.perf_counter() - start
        start = time.perf_counter()
        build_report(info, rows, {}, k=5, rng=secrets.SystemRandom())
        report = time.perf_counter() - start
        start = time.perf_counter()
        protect(rows, infer_specs(rows, {}), k=5, group_size=info.group_size)
        protected = time.perf_counter() - start
    results["core: read rows (s)"] = read
    results["core: build report (s)"] = report
    results["core: protect for export (s)"] = protected
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--reflections", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stigmacards-bench-") as tmp:
        results = bench_saves(Path(tmp) / "saves", args.saves)
        results.update(bench_big(Path(tmp) / "big", args.reflections))
    width = max(map(len, results))
    for label, value in results.items():
        print(f"{label:<{width}}  {value:8.3f}")


if __name__ == "__main__":
    main()
