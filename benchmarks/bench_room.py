"""Room mode under load: 300 phones at once against `stigmacards room` on 127.0.0.1.

Each simulated phone has its own cookie jar and walks the pages as a browser without JavaScript
does (join, promise, four questions with one free text, every redirect followed): 12 requests.
All phones run concurrently. Measured: every submission saved (read back from the store), p99
request latency, the server's peak memory (VmHWM), and the CPU the server uses while 300
live-update connections stay open and nothing happens (the facilitator waiting for the last
phone). The load loop is bounded: a fixed number of phones, each with a timeout.

Standalone: python benchmarks/bench_room.py [--quick]
"""

from __future__ import annotations

import asyncio
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from harness import HERE, PY, STIGMA, Row, Settings, ms, skipped

PHONES = 300
P99_BUDGET_S = 0.100
LOCKSTEP_P99_BUDGET_S = 1.0
JOIN_SPREAD = 5.0  # seconds over which the phones arrive
THINK = (0.3, 1.5)  # seconds a person spends on a page before tapping
RSS_BUDGET_MB = 150.0
IDLE_CPU_BUDGET = 0.02
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
STEP = re.compile(r'name="step" value="([^"]+)"')
QUESTION = re.compile(r'name="q" value="([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Phone:
    """One simulated phone: its own keep-alive connection and cookie, following the 303s.

    Plain `http.client` in a thread per phone: the load generator must cost less CPU than the
    server it measures (an async httpx client spent ~4 ms of CPU a request on this 2-core
    machine, five times the server's, and its own queueing became the "latency").
    """

    def __init__(self, join: str, latencies: list[float], think: Callable[[], float] = lambda: 0.0) -> None:
        self.think = think
        parsed = urllib.parse.urlsplit(join)
        self.path = parsed.path
        self.connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=30)
        self.cookie = ""
        self.latencies = latencies

    def _request(self, method: str, body: str | None = None) -> http.client.HTTPResponse:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.connection.request(method, self.path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        self.latencies.append(time.perf_counter() - start)
        cookie = response.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response

    def page(self) -> str:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        start = time.perf_counter()
        self.connection.request("GET", self.path, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        self.latencies.append(time.perf_counter() - start)
        cookie = response.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return text

    def post(self, page: str, **fields: str) -> str:
        time.sleep(self.think())  # reading the page and tapping: a person, not a script
        data = {"form_token": TOKEN.search(page).group(1), "step": STEP.search(page).group(1)}  # type: ignore[union-attr]
        found = QUESTION.search(page)
        if found:
            data["q"] = found.group(1)
        data.update(fields)
        response = self._request("POST", urllib.parse.urlencode(data))
        assert response.status == 303, response.status
        return self.page()

    def walk(self, number: int) -> bool:
        page = self.page()
        page = self.post(page)
        page = self.post(page, answer=str(1 + number % 5), do="next")
        page = self.post(page, answer=str(number % 3), do="next")
        page = self.post(page, answer=f"Phone {number}: it helped to hear other people.", do="next")
        page = self.post(page, do="skip")
        self.connection.close()
        return "Saved. Thank you." in page


def walk_all(join: str, phones: int, latencies: list[float], *, people: bool) -> list[bool]:
    """Every phone in its own thread, all walking at once; bounded by the number of phones.

    `people`: each phone arrives within the first JOIN_SPREAD seconds and reads each page for
    THINK seconds (seeded, so every run is the same room), as a room of people scanning a QR
    code does. Without: the worst case, every phone tapping in the same millisecond, every step.
    """
    results = [False] * phones
    start = threading.Barrier(phones)
    rng = random.Random(20261204)
    arrivals = [rng.uniform(0, JOIN_SPREAD) if people else 0.0 for _ in range(phones)]
    seeds = [rng.random() for _ in range(phones)]

    def run(number: int) -> None:
        start.wait(timeout=60)
        own = random.Random(seeds[number])
        think = (lambda: own.uniform(*THINK)) if people else (lambda: 0.0)
        time.sleep(arrivals[number])
        try:
            results[number] = Phone(join, latencies, think).walk(number)
        except (OSError, AssertionError, AttributeError, http.client.HTTPException):
            results[number] = False

    threads = [threading.Thread(target=run, args=(n,)) for n in range(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


async def idle_streams(base: str, token: str, count: int, pid: int, seconds: float) -> float:
    """Open `count` event streams, let them settle, return the server's CPU share over `seconds`."""
    host, port = base.split("//", 1)[1].rstrip("/").split(":")
    writers = []
    for _ in range(count):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            f"GET /j/{token}/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        writers.append((reader, writer))
    for reader, _ in writers:  # every stream has answered with its first event
        await asyncio.wait_for(reader.readuntil(b"data: "), 30)
    await asyncio.sleep(1.0)
    before, start = cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(seconds)
    share = (cpu_seconds(pid) - before) / (time.perf_counter() - start)
    for _, writer in writers:
        writer.close()
    return share


def start_room(home: Path) -> tuple[subprocess.Popen[str], str, str]:
    env = {**os.environ, "STIGMACARDS_HOME": str(home)}
    made = subprocess.run(
        [*STIGMA, "session", "new", "stigma-sekswerk", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    session_id = made.stdout.split()[0]
    process = subprocess.Popen(
        [*STIGMA, "room", session_id, "--host", "127.0.0.1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    join = process.stdout.readline().split("\t", 1)[1].strip()
    process.stdout.readline()
    return process, join, session_id


def stored_count(home: Path, session_id: str) -> int:
    code = (
        "import sys; from pathlib import Path; from stigmacards.reflections.store import ReflectionStore; "
        f"s = ReflectionStore.in_home(Path({str(home)!r}), read_only=True); "
        f"print(sum(1 for r in s.reflections({session_id!r}) if r.prompt_id == 'veilig'))"
    )
    return int(subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout)


def cases(s: Settings) -> list[Row]:
    try:
        import stigmacards.web.app  # noqa: F401
    except ImportError as error:
        return [skipped("room", f"{error.name} is not installed")]
    if not Path("/proc/self/stat").exists():
        return [skipped("room", "reads the server's CPU and memory from /proc (Linux)")]
    phones = 60 if s.quick else PHONES
    work = HERE / ".work"
    work.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work, prefix="room-") as name:
        home = Path(name) / "home"
        process, join, session_id = start_room(home)
        try:
            latencies: list[float] = []
            started = time.perf_counter()
            saved = walk_all(join, phones, latencies, people=True)
            took = time.perf_counter() - started
            lockstep: list[float] = []
            saved_lockstep = walk_all(join, phones, lockstep, people=False)
            base = join.split("/j/", 1)[0]
            token = join.rsplit("/", 1)[1]
            idle = asyncio.run(idle_streams(base, token, phones, process.pid, 3.0 if s.quick else 10.0))
            rss = peak_rss_mb(process.pid)  # the peak over the whole run, streams included
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
        in_store = stored_count(home, session_id)
    p50, p99 = statistics.median(latencies), percentile(latencies, 99)
    limit = P99_BUDGET_S * s.slack
    lock_p50, lock_p99 = statistics.median(lockstep), percentile(lockstep, 99)
    lock_limit = LOCKSTEP_P99_BUDGET_S * s.slack
    told = sum(saved) + sum(saved_lockstep)
    return [
        Row(
            f"room: {phones} phones walking at once, join → saved ({len(latencies):,} requests; "
            f"arriving over {JOIN_SPREAD:.0f} s, {THINK[0]}–{THINK[1]} s on a page)",
            f"p50 {ms(p50)}, p99 {ms(p99)}; {sum(saved)}/{phones} told saved",
            f"{took:.1f} s for all",
            "—",
            f"p99 ≤ {ms(limit)}, all saved",
            p99 <= limit and sum(saved) == phones,
            "",
            detail={"p50_s": p50, "p99_s": p99, "phones": phones},
        ),
        Row(
            f"room: worst case, {phones} phones tapping in the same millisecond, every step",
            f"p50 {ms(lock_p50)}, p99 {ms(lock_p99)}; {sum(saved_lockstep)}/{phones} told saved",
            "—",
            "—",
            f"p99 ≤ {ms(lock_limit)}, all saved",
            lock_p99 <= lock_limit and sum(saved_lockstep) == phones,
            "",
            detail={"p50_s": lock_p50, "p99_s": lock_p99},
        ),
        Row(
            "room: every submission a phone was told is saved, read back from the store",
            f"{in_store} of {told}",
            "—",
            "—",
            "all",
            in_store == told == 2 * phones,
            "",
            detail={"stored": in_store, "told": told},
        ),
        Row(
            f"room: server peak memory ({2 * phones} phones, then {phones} open live updates)",
            f"{rss:.0f} MB",
            "—",
            "—",
            f"≤ {RSS_BUDGET_MB:.0f} MB",
            rss <= RSS_BUDGET_MB,
            "",
            detail={"rss_mb": rss},
        ),
        Row(
            f"room: server CPU with {phones} live-update connections idle",
            f"{idle * 100:.2f} %",
            "—",
            "—",
            f"≤ {IDLE_CPU_BUDGET * 100:.0f} % of one core" + (" (×slack)" if s.quick else ""),
            idle <= IDLE_CPU_BUDGET * (s.slack if s.quick else 1.0),
            "",
            detail={"idle_cpu": idle},
        ),
    ]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        settings = Settings(
            runs=1, quick=args.quick, slack=4.0 if args.quick else 1.0, tmp=Path(name), env=dict(os.environ)
        )
        for row in cases(settings):
            print(row)


if __name__ == "__main__":
    main()
