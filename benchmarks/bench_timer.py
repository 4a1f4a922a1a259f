"""Timer cases: CPU used while a round counts down in a pseudo-terminal, against `termdown`, and
how close to the monotonic deadline the round ends.

Both programs run side by side, each in its own 80x24 pseudo-terminal whose output is read and
dropped (as a terminal emulator would), for the same wall-clock window from their spawn:
`stigmacards timer 0.5` and `termdown 30` for 30 s (quick: 0.1 min and 6 s). CPU time is the
kernel's account of the child: /proc/PID/task/*/schedstat (nanoseconds, every thread) at the end
of the window — everything it used, start-up included — and, from the same counters, what it
used between 2 s after spawn and the end (the counting down alone). The deadline error is the
time "Time's up" arrived minus the time the first frame arrived minus the round length.

Standalone: python benchmarks/bench_timer.py [--seconds 600] [--plain] measures how close one
long round (big digits in a pty, or --plain with stdout piped) ends to its deadline.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import select
import shutil
import signal
import statistics
import struct
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness import PY, STIGMA, Row, Settings, absolute_row, ms, noise_text, skipped

SETTLE = 2.0  # seconds after spawn before the countdown-only window starts
FIRST_FRAME = b"pause"  # the key footer of the first frame ("space pause")
TIMES_UP = b"Time's up"


def termdown_path() -> str | None:
    beside = Path(PY).parent / "termdown"
    return str(beside) if beside.exists() else shutil.which("termdown")


def task_cpu(pid: int) -> float | None:
    """CPU seconds of every live thread of `pid` (schedstat: nanoseconds on the CPU)."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9


@dataclass
class PtyChild:
    """A program in its own pseudo-terminal; output is read, scanned for markers, and dropped."""

    argv: Sequence[str]
    env: dict[str, str]
    pid: int = 0
    fd: int = -1
    spawned: float = 0.0
    tail: bytes = b""
    seen: dict[bytes, float] = field(default_factory=dict)
    cpu_settled: float | None = None
    cpu_window: float | None = None
    exited: bool = False

    def spawn(self) -> None:
        pid, fd = os.forkpty()
        if pid == 0:  # the child: an 80x24 terminal, then the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
                os.execvpe(self.argv[0], list(self.argv), self.env)
            finally:
                os._exit(127)
        self.pid, self.fd, self.spawned = pid, fd, time.monotonic()

    def read(self, markers: Sequence[bytes]) -> None:
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        if not chunk:
            self.exited = True
            return
        now = time.monotonic()
        window = self.tail + chunk
        for marker in markers:
            if marker not in self.seen and marker in window:
                self.seen[marker] = now
        self.tail = window[-64:]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def run_side_by_side(children: list[PtyChild], window: float, *, watch: PtyChild, linger: float) -> None:
    """Spawn all in order; sample CPU at SETTLE and at `window` after each one's spawn; keep reading
    until `watch` says "Time's up" (or `linger` seconds more)."""
    for child in children:
        child.spawn()
    start = time.monotonic()
    markers = (FIRST_FRAME, TIMES_UP)
    while True:
        now = time.monotonic()
        for child in children:
            if child.cpu_settled is None and now - child.spawned >= SETTLE:
                child.cpu_settled = task_cpu(child.pid)
            if child.cpu_window is None and now - child.spawned >= window:
                child.cpu_window = task_cpu(child.pid)
        done_window = all(c.cpu_window is not None or c.exited for c in children)
        ours_done = TIMES_UP in watch.seen or watch.exited
        if done_window and (ours_done or now - start > window + linger):
            break
        fds = [c.fd for c in children if not c.exited]
        next_sample = min(
            [c.spawned + SETTLE - now for c in children if c.cpu_settled is None]
            + [c.spawned + window - now for c in children if c.cpu_window is None]
            + [0.2]
        )
        ready, _, _ = select.select(fds, [], [], max(0.0, next_sample)) if fds else ([], [], [])
        for child in children:
            if child.fd in ready:
                child.read(markers)
                if child.exited and child.cpu_window is None:
                    child.cpu_window = task_cpu(child.pid)  # zombie: its counters are still there
    for child in children:
        child.stop()


def cases(s: Settings) -> list[Row]:
    seconds = 6 if s.quick else 30
    runs = 2 if s.quick else max(5, min(s.runs, 7))
    td = termdown_path()
    env = {k: v for k, v in s.env.items() if k != "NO_COLOR"} | {
        "TERM": "xterm-256color",
        "STIGMACARDS_LANG": "en",
    }
    ours_argv = [*STIGMA, "timer", f"{seconds / 60:g}"]
    if td is None:
        return [skipped("`timer` CPU vs `termdown`", "termdown not installed (pip install -e '.[dev]')")]
    ours_total: list[float] = []
    ref_total: list[float] = []
    ours_count: list[float] = []
    ref_count: list[float] = []
    errors: list[float] = []
    # Warm-up (page cache, .pyc), then the alternated side-by-side runs.
    warm = [PtyChild(ours_argv, env), PtyChild([td, "1"], env)]
    run_side_by_side(warm, 1.0, watch=warm[0], linger=0)
    for i in range(runs):
        ours = PtyChild(ours_argv, env)
        ref = PtyChild([td, str(seconds)], env)
        run_side_by_side([ours, ref] if i % 2 == 0 else [ref, ours], seconds, watch=ours, linger=5)
        for child, total, counting in ((ours, ours_total, ours_count), (ref, ref_total, ref_count)):
            if child.cpu_window is not None:
                total.append(child.cpu_window)
                if child.cpu_settled is not None:
                    counting.append(child.cpu_window - child.cpu_settled)
        if FIRST_FRAME in ours.seen and TIMES_UP in ours.seen:
            errors.append(ours.seen[TIMES_UP] - ours.seen[FIRST_FRAME] - seconds)
    rows: list[Row] = []
    label = f"`timer {seconds / 60:g}` vs `termdown {seconds}`"
    for what, a, b in (
        (f"CPU of {label} in a pty, {seconds} s from spawn", ours_total, ref_total),
        (f"CPU while counting down ({SETTLE:g} s → {seconds} s), same runs", ours_count, ref_count),
    ):
        if not a or not b:
            rows.append(skipped(what, "no CPU figures (/proc not readable?)"))
            continue
        med_a, med_b = statistics.median(a), statistics.median(b)
        ratio = med_a / med_b if med_b else float("inf")
        limit = 1.0 * s.slack
        rows.append(
            Row(
                what,
                f"{med_a * 1000:.1f} ms CPU",
                f"{med_b * 1000:.1f} ms CPU",
                f"{ratio:.2f}×",
                f"≤ {limit:g}× (no more than termdown)",
                ratio <= limit,
                noise_text(a, b),
                detail={"ours_cpu_s": med_a, "ref_cpu_s": med_b, "ratio": ratio},
            )
        )
    if errors:
        worst = max(errors, key=abs)
        rows.append(
            absolute_row(
                f"`timer {seconds / 60:g}`: end vs the monotonic deadline (first frame + {seconds} s)",
                [abs(e) for e in errors],
                budget=0.1,
                settings=s,
                note=f"worst {worst * 1000:+.0f} ms",
            )
        )
    else:
        rows.append(skipped("`timer`: end vs deadline", "no 'Time's up' seen"))
    return rows


def plain_deadline(seconds: float) -> float:
    """`timer --plain` with stdout piped: "Time's up" against the first line plus the round."""
    import subprocess

    env = {**os.environ, "STIGMACARDS_LANG": "en"}
    process = subprocess.Popen(
        [*STIGMA, "timer", f"{seconds / 60:g}", "--plain"],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    started: float | None = None
    error = float("nan")
    for line in process.stdout:
        now = time.monotonic()
        started = now if started is None else started
        print(f"{now - started:10.4f}  {line.rstrip()}", flush=True)
        if line.startswith("Time's up"):
            error = (now - started) - seconds
    process.wait()
    return error


def main() -> None:
    parser = argparse.ArgumentParser(description="One long round: the end against the deadline.")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--plain", action="store_true", help="--plain with stdout piped, not the big digits")
    args = parser.parse_args()
    if args.plain:
        error = plain_deadline(args.seconds)
    else:
        env = {**os.environ, "TERM": "xterm-256color", "STIGMACARDS_LANG": "en"}
        child = PtyChild([*STIGMA, "timer", f"{args.seconds / 60:g}"], env)
        run_side_by_side([child], args.seconds, watch=child, linger=30)
        if FIRST_FRAME not in child.seen or TIMES_UP not in child.seen:
            print("no 'Time's up' seen", file=sys.stderr)
            raise SystemExit(1)
        error = child.seen[TIMES_UP] - child.seen[FIRST_FRAME] - args.seconds
    print(f"after {ms(args.seconds)}: ended {error * 1000:+.1f} ms from the deadline")


if __name__ == "__main__":
    main()
