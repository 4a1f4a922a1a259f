"""Where `stigmacards play --yes` spends its time before the first card is on screen.

    python benchmarks/profile_play.py [--runs 5]

Runs `play --yes --rounds 1` on the bundled default deck in an 80x24 pseudo-terminal, three ways:
plain (time to the first card), with `-X importtime` (import cost by package, self time summed),
and under cProfile (the slowest calls of stigmacards' own code). Each run ends the round with `n`
as soon as the card is up, so what follows the first card is only the closing screen.
"""

from __future__ import annotations

import argparse
import collections
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

HERE = Path(__file__).resolve().parent
ARGS = ["-m", "stigmacards", "play", "--yes", "--rounds", "1", "--minutes", "0.05", "--seed", "1"]


def one_run(extra: list[str], env: dict[str, str], stderr_to: Path | None = None) -> float:
    command = " ".join([sys.executable, *extra, *ARGS]) + (f" 2>{stderr_to}" if stderr_to else "")
    child = pexpect.spawn("/bin/sh", ["-c", command], env=env, dimensions=(24, 80), timeout=30)
    start = time.monotonic()
    child.expect("Round 1")
    child.expect("pause")
    took = time.monotonic() - start
    child.send("n")
    child.expect(pexpect.EOF)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stigmacards-profile-") as tmp_name:
        tmp = Path(tmp_name)
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env |= {"TERM": "xterm-256color", "STIGMACARDS_LANG": "en", "STIGMACARDS_HOME": str(tmp / "home")}
        one_run([], env)  # warm-up
        times = [one_run([], env) for _ in range(args.runs)]
        print(
            f"first card after {statistics.median(times) * 1000:.0f} ms (median of {args.runs}, min {min(times) * 1000:.0f})"
        )

        by_package: collections.Counter[str] = collections.Counter()
        for _ in range(3):
            log = tmp / "imports.txt"
            one_run(["-X", "importtime"], env, stderr_to=log)
            run: collections.Counter[str] = collections.Counter()
            for line in log.read_text().splitlines():
                if not line.startswith("import time:") or "|" not in line or "self" in line:
                    continue
                self_us, _, module = line.split("|")
                module_name = module.strip()
                parts = module_name.split(".")
                top = ".".join(parts[:2]) if parts[0] == "stigmacards" else parts[0]
                run[top] += int(self_us.split(":")[1])
            by_package = (
                run
                if not by_package
                else collections.Counter(
                    {k: min(by_package[k], run[k]) for k in by_package.keys() | run.keys()}
                )
            )
        total = sum(by_package.values())
        print(f"\nimports: {total / 1000:.0f} ms in all (self time, fastest of 3 runs); the largest:")
        for package, micros in by_package.most_common(16):
            print(f"  {micros / 1000:6.1f} ms  {package}")

        profile = tmp / "play.prof"
        one_run(["-m", "cProfile", "-o", str(profile)], env)
        stats = pstats.Stats(str(profile))
        print("\ncProfile (cumulative, stigmacards' own calls; profiling roughly doubles times):")
        rows = []
        for (file, line, func), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
            if "/stigmacards/" in file and not func.startswith("<"):
                rows.append((cumulative, f"{Path(file).parent.name}/{Path(file).name}:{line} {func}"))
        for cumulative, where in sorted(rows, reverse=True)[:20]:
            print(f"  {cumulative * 1000:6.1f} ms  {where}")


if __name__ == "__main__":
    main()
