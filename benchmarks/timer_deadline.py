"""How close to the true deadline a long round ends: `timer MINUTES --plain` with stdout piped.

Usage: python benchmarks/timer_deadline.py [--minutes 10] [--pty]
Timestamps each line as it arrives; the error is (time of "Time's up." - time of "Timer started")
minus the round length. Also shows when each whole-minute line arrived. With --pty: the big-digit
display in an 80x24 pseudo-terminal, from its first paint to "Time's up".
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def in_pty(minutes: float) -> None:
    import pexpect

    child = pexpect.spawn(
        sys.executable,
        ["-m", "stigmacards", "timer", str(minutes)],
        env={**os.environ, "TERM": "xterm-256color", "STIGMACARDS_LANG": "en"},
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=minutes * 60 + 30,
    )
    child.expect("space pause")
    started = time.monotonic()
    child.expect("Time's up")
    error = time.monotonic() - started - minutes * 60
    print(f"big digits in a pty: deadline error after {minutes:g} min: {error * 1000:+.1f} ms", flush=True)
    child.send("\r")
    child.expect(pexpect.EOF)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--pty", action="store_true")
    args = parser.parse_args()
    if args.pty:
        in_pty(args.minutes)
        return
    seconds = args.minutes * 60
    env = {**os.environ, "STIGMACARDS_LANG": "en"}
    process = subprocess.Popen(
        [sys.executable, "-m", "stigmacards", "timer", str(args.minutes), "--plain"],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    started = None
    for line in process.stdout:
        now = time.monotonic()
        if started is None:
            started = now
        print(f"{now - started:10.4f}  {line.rstrip()}", flush=True)
        if line.startswith("Time's up"):
            error = (now - started) - seconds
            print(f"deadline error after {args.minutes:g} min: {error * 1000:+.1f} ms", flush=True)
    process.wait()


if __name__ == "__main__":
    main()
