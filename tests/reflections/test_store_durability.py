"""Saved means saved: kill -9 at random moments, file-size limits, read-only and locked stores.

The children are tiny Python scripts that import only stigmacards.reflections.store (not the CLI), so
each trial costs little more than the interpreter's start-up.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stigmacards.reflections.store import DB_NAME, Answer, ReflectionStore, not_saved_message

from ..conftest import run_python

SAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from stigmacards.reflections.store import Answer, ReflectionStore

    store = ReflectionStore(Path(sys.argv[1]))
    session_id, trial = sys.argv[2], sys.argv[3]
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        text = f"t{trial}-{n}"
        store.save_submission(session_id, [Answer("inzicht", text), Answer("veilig", n % 5 + 1)])
        print("ACK", text, flush=True)
    """
)


def _check(db: Path) -> tuple[set[str], int, int]:
    """integrity_check must pass; return the stored texts and the counts per prompt."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = {row[0] for row in conn.execute("SELECT value FROM reflections WHERE prompt_id = 'inzicht'")}
        scales = conn.execute("SELECT count(*) FROM reflections WHERE prompt_id = 'veilig'").fetchone()[0]
    finally:
        conn.close()
    return texts, len(texts), scales


def _acked(line: str) -> set[str]:
    """The text an 'ACK <text>' line acknowledges; nothing for a line the kill cut short."""
    parts = line.split()
    return {parts[1]} if len(parts) == 2 and parts[0] == "ACK" else set()


def _trial(db: Path, session_id: str, trial: int, rng: random.Random) -> set[str]:
    """Run one saver and kill -9 it after a random number of acknowledgements; return those."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(db), session_id, str(trial)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    acked: set[str] = set()
    target = rng.choice([-1, 0, *range(1, 16)])  # -1: during start-up; 0: during the first save
    if target >= 0:
        line = proc.stdout.readline()
        assert line.startswith("READY"), line
        while len(acked) < target:
            line = proc.stdout.readline()
            if not line:
                break
            acked |= _acked(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for line in proc.stdout.read().splitlines():
        acked |= _acked(line)
    proc.stdout.close()
    return acked


@pytest.mark.slow
def test_no_acknowledged_reflection_is_lost_to_kill_9(tmp_path: Path) -> None:
    """≥ 200 trials: every acknowledged save survives, each submission is whole, integrity ok."""
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    db = tmp_path / "home" / DB_NAME
    with ReflectionStore(db) as store:
        session_id = store.create_session(
            deck_id="d", deck_hash="h", language="nl", group_size=None, day=date(2026, 1, 1)
        ).id
    all_acked: set[str] = set()
    for trial in range(200):
        all_acked |= _trial(db, session_id, trial, rng)
        texts, n_texts, n_scales = _check(db)
        assert all_acked <= texts, f"seed {seed}: lost {sorted(all_acked - texts)[:5]}"
        assert n_texts == n_scales, f"seed {seed}: a submission was saved in part"
    assert len(all_acked) > 200  # the trials really did save things


@pytest.mark.slow
def test_kill_9_while_the_store_is_being_created(tmp_path: Path) -> None:
    """A store killed during its own creation opens cleanly afterwards."""
    rng = random.Random()
    for trial in range(15):
        db = tmp_path / f"fresh{trial}" / DB_NAME
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(db), "0" * 16, str(trial)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Kill at a random point of start-up, with no sleeping: poll until the file appears or not.
        for _ in range(rng.randrange(0, 20_000)):
            if db.exists():
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with ReflectionStore(db) as store:
            info = store.create_session(
                deck_id="d", deck_hash="h", language="nl", group_size=None, day=date(2026, 1, 1)
            )
            store.save_submission(info.id, [Answer("veilig", 3)])
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


FSIZE_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from datetime import date
    from pathlib import Path
    from stigmacards.errors import StoreError
    from stigmacards.reflections.store import Answer, ReflectionStore

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    store = ReflectionStore(Path(sys.argv[1]))
    sid = store.create_session(deck_id="d", deck_hash="h", language="nl", group_size=None, day=date(2026, 1, 1)).id
    store.save_submission(sid, [Answer("inzicht", "eerste antwoord"), Answer("veilig", 4)])
    store.checkpoint()
    limit = max(p.stat().st_size for p in store.side_files()) + 8192
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    for attempt in range(2):
        try:
            store.save_submission(sid, [Answer("inzicht", "x" * 300_000)])
            print("SAVED", flush=True)
        except StoreError as exc:
            print("ERROR", exc, flush=True)
    print("ALIVE", sorted(str(r.value) for r in store.reflections(sid)), flush=True)
    store.close()
    """
)


def test_file_size_limit_gives_not_saved_and_keeps_earlier_rows(tmp_path: Path) -> None:
    db = tmp_path / "home" / DB_NAME
    result = run_python(FSIZE_CHILD, str(db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"ERROR {not_saved_message()}"] * 2  # fails cleanly, and again on retry
    assert lines[2] == "ALIVE ['4', 'eerste antwoord']"
    assert "Traceback" not in result.stderr
    texts, _n, _s = _check(db)
    assert texts == {"eerste antwoord"}


# --- a directory or database that cannot be written --------------------------------------

READONLY_CHILD = textwrap.dedent(
    """
    import os, sys
    from datetime import date
    from pathlib import Path
    from stigmacards.errors import StoreError
    from stigmacards.reflections.store import Answer, ReflectionStore

    if os.getuid() == 0:  # root ignores file modes: be an ordinary user for this test
        os.setgid(65534)
        os.setuid(65534)
    home = Path(sys.argv[1]) / "home"
    db = home / "reflections.db"
    with ReflectionStore(db) as store:
        sid = store.create_session(deck_id="d", deck_hash="h", language="nl", group_size=None, day=date(2026, 1, 1)).id
        store.save_submission(sid, [Answer("inzicht", "eerder")])
    for what in sys.argv[2:]:
        if what == "dir":
            home.chmod(0o500)
        if what == "db":
            db.chmod(0o400)
    try:
        store = ReflectionStore(db)
    except StoreError as exc:
        print("OPEN-REFUSED", exc)
    else:
        try:
            store.ensure_writable()
            print("WRITABLE")
        except StoreError as exc:
            print("NOT-WRITABLE", exc)
        store.close()
    home.chmod(0o700)
    db.chmod(0o600)
    with ReflectionStore(db) as store:
        print("ROWS", [str(r.value) for r in store.reflections(sid)])
    """
)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory an unprivileged child can use (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="stigmacards-ro-"))
    if os.getuid() == 0:
        os.chown(path, 65534, 65534)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.mark.posix
@pytest.mark.parametrize("what", [["dir"], ["db"], ["dir", "db"]], ids="+".join)
def test_read_only_store_is_detected_before_the_first_question(shared_dir: Path, what: list[str]) -> None:
    result = run_python(READONLY_CHILD, str(shared_dir), *what)
    assert result.returncode == 0, result.stderr
    first, rows = result.stdout.splitlines()
    assert first.startswith(("OPEN-REFUSED cannot", "NOT-WRITABLE cannot")), first
    assert rows == "ROWS ['eerder']"


@pytest.mark.posix
def test_writable_store_passes_the_check(shared_dir: Path) -> None:
    result = run_python(READONLY_CHILD, str(shared_dir))
    assert result.stdout.splitlines() == ["WRITABLE", "ROWS ['eerder']"], result.stderr
