"""Threat T2 (docs/threat-model.md): whoever holds the laptop's files later.

Private files under any umask, nothing written anywhere else, a minimal schema, no order of
saving left in the files after a close, purge that wipes every file or deletes nothing, no
trace of a discarded answer, and store errors that say what happened.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stigmacards.errors import StoreError
from stigmacards.reflections import store as store_module
from stigmacards.reflections.store import DB_NAME, SIDE_SUFFIXES, Answer, ReflectionStore
from tests.conftest import Cli, run_process, run_python

PERMISSIONS_CHILD = textwrap.dedent(
    """
    import json, os, stat, sys
    from datetime import date
    from pathlib import Path

    os.umask(int(sys.argv[2], 8))
    from stigmacards.files import write_atomic
    from stigmacards.reflections.store import Answer, ReflectionStore

    home = Path(sys.argv[1]) / "a" / "home"
    store = ReflectionStore.in_home(home)
    sid = store.create_session(deck_id="d", deck_hash="h", language="nl", group_size=None, day=date(2026, 1, 1)).id
    store.save_submission(sid, [Answer("inzicht", "tekst")])
    write_atomic(Path(sys.argv[1]) / "export.json", b"{}")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in store.side_files()}
    modes["home"] = stat.S_IMODE(home.stat().st_mode)
    modes["export"] = stat.S_IMODE((Path(sys.argv[1]) / "export.json").stat().st_mode)
    print(json.dumps(modes))
    store.close()
    """
)


@pytest.mark.parametrize("umask", ["000", "022", "002"])
def test_files_are_private_under_any_umask(tmp_path: Path, umask: str) -> None:
    result = run_python(PERMISSIONS_CHILD, str(tmp_path), umask)
    assert result.returncode == 0, result.stderr
    modes = json.loads(result.stdout)
    assert {DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"} <= set(modes)  # the side files were there
    assert modes.pop("home") == 0o700
    assert all(mode == 0o600 for mode in modes.values()), {k: oct(v) for k, v in modes.items()}


def test_loose_existing_files_are_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ReflectionStore.in_home(home).close()
    db = home / DB_NAME
    home.chmod(0o755)
    db.chmod(0o644)
    leftover = home / (DB_NAME + "-journal")
    leftover.write_bytes(b"")
    leftover.chmod(0o666)
    with ReflectionStore.in_home(home):
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
        assert stat.S_IMODE(leftover.stat().st_mode) == 0o600


# --- the schema ---------------------------------------------------------------------------

# Written out here, not taken from the code (exchange.CSV_COLUMNS lists some of the same names): a
# test of what may be stored must not read the answer from what it checks.
ALLOWED_COLUMNS = {
    "sessions": [
        "id",
        "deck_id",
        "deck_hash",
        "language",
        "day",
        "group_size",
        "sealed",
        "pii_review",
        "imported",
    ],
    "reflections": ["id", "session_id", "prompt_id", "card_id", "value", "flagged"],
    "chores": ["name"],  # work a close or purge left for the next command; names only
}


def test_schema_holds_only_the_allowed_columns(tmp_path: Path) -> None:
    with ReflectionStore.in_home(tmp_path / "h") as store:
        sid = store.create_session(
            deck_id="d", deck_hash="h", language="nl", group_size=3, day=date(2026, 1, 2)
        )
        store.save_submission(sid.id, [Answer("veilig", 2), Answer("inzicht", "iets", card_id="woorden")])
        conn = store.conn
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        }
        assert tables == set(ALLOWED_COLUMNS)  # and so no sqlite_sequence: nothing autoincrements
        for table, allowed in ALLOWED_COLUMNS.items():
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            assert columns == allowed
            with pytest.raises(sqlite3.OperationalError):  # WITHOUT ROWID: no insertion order to read
                conn.execute(f"SELECT rowid FROM {table}")
        sql = " ".join(row[0] for row in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
        assert "AUTOINCREMENT" not in sql.upper()
        assert "TIME" not in sql.upper()


# --- canary: nothing typed is written anywhere but the database ----------------------------

CANARY = "kanarie-7f3a9c-geheim"
USER_CANARY = "gebruiker-canary-51d2"
HOST_CANARY = "laptop-canary-9e04"

SAVE_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from stigmacards.reflections.store import Answer, ReflectionStore

    with ReflectionStore(Path(sys.argv[1])) as store:
        session_id = store.get_session(sys.argv[2]).id
        for i in range(6):
            text = sys.argv[3] if i == 2 else "Ik neem mee dat luisteren helpt, nummer " + str(i)
            store.save_submission(session_id, [Answer("veilig", 4), Answer("inzicht", text * 20)])
    """
)


def _hits(root: Path, needle: str, *, skip: frozenset[Path] = frozenset()) -> list[Path]:
    """Every file under `root` whose raw bytes contain `needle` (UTF-8 or UTF-16)."""
    patterns = (needle.encode(), needle.encode("utf-16-le"))
    found = []
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = Path(directory) / name
            if path in skip or path.is_symlink():
                continue
            data = path.read_bytes()
            if any(p in data for p in patterns):
                found.append(path)
    return found


@pytest.mark.slow
def test_canary_is_only_in_the_database_and_gone_after_purge(tmp_path: Path) -> None:
    root = tmp_path / "root"
    dirs = {
        name: root / name.lower()
        for name in (
            "HOME",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "XDG_STATE_HOME",
            "XDG_RUNTIME_DIR",
            "TMPDIR",
            "STIGMACARDS_HOME",
        )
    }
    for path in dirs.values():
        path.mkdir(parents=True, mode=0o700)
    env = {name: str(path) for name, path in dirs.items()}
    env.update(USER=USER_CANARY, LOGNAME=USER_CANARY, HOSTNAME=HOST_CANARY)
    db = dirs["STIGMACARDS_HOME"] / DB_NAME
    export = root / "out" / "export.json"
    export.parent.mkdir()

    def stigmacards(*args: str) -> str:
        result = run_process(*args, env=env, cwd=root)
        assert result.returncode == 0, result.stderr
        return result.stdout

    keep = stigmacards("session", "new", "stigma-sekswerk", "--group-size", "6").strip()
    secret = stigmacards("session", "new", "stigma-sekswerk", "--group-size", "6").strip()
    for session_id, text in ((keep, "gewoon een tekst"), (secret, CANARY)):
        saved = run_python(SAVE_CHILD, str(db), session_id, text, env={**os.environ, **env})
        assert saved.returncode == 0, saved.stderr
    stigmacards("session", "close", secret)
    stigmacards("session", "review", secret, "--keep-all")
    assert CANARY in stigmacards("session", "report", secret)
    assert CANARY in stigmacards("session", "report", secret, "--format", "md")
    stigmacards("session", "export", secret, "--format", "json", "-o", str(export))
    stigmacards("session", "list")

    db_files = frozenset(db.parent / (DB_NAME + s) for s in ("", *SIDE_SUFFIXES))
    assert db in _hits(root, CANARY) or any(p in _hits(root, CANARY) for p in db_files)  # it is stored
    assert _hits(root, CANARY, skip=db_files | {export}) == []
    for needle in (USER_CANARY, HOST_CANARY):
        assert _hits(root, needle) == []

    stigmacards("session", "purge", secret, "--yes")
    assert _hits(root, CANARY, skip=frozenset({export})) == []
    stigmacards("session", "close", keep)
    assert "gewoon een tekst" in stigmacards("session", "report", keep)  # the other session is intact


CRASH_CHILD = textwrap.dedent(
    """
    import sys
    from stigmacards.reflections.store import ReflectionStore

    def broken(self, session_id, answers):
        draft = list(answers)  # a local holding what was typed
        raise RuntimeError("an unexpected bug")

    ReflectionStore.save_submission = broken
    from stigmacards.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_an_unexpected_error_prints_no_typed_text(tmp_path: Path) -> None:
    """A bug keeps its traceback (for the report), but tracebacks show code, never local values."""
    env = {**os.environ, "STIGMACARDS_HOME": str(tmp_path / "home")}
    created = run_process("session", "new", "stigma-sekswerk", "--group-size", "6", env=env)
    session_id = created.stdout.strip()
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            CRASH_CHILD,
            "reflect",
            session_id,
            "--yes",
            "--answer",
            f"inzicht={CANARY}",
            "--skip-rest",
            "--pii",
            "keep",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert crashed.returncode == 1
    assert "RuntimeError: an unexpected bug" in crashed.stderr
    assert CANARY not in crashed.stdout + crashed.stderr
    assert _hits(tmp_path, CANARY) == []


# --- the order of saving is erased at close, or the close says it could not -------------------

DAY = date(2026, 11, 20)


def _session(store: ReflectionStore, *, group_size: int | None = 20) -> str:
    return store.create_session(
        deck_id="stigma-sekswerk", deck_hash="abc123", language="nl", group_size=group_size, day=DAY
    ).id


def _physical_order(store: ReflectionStore, texts: list[str]) -> list[str]:
    """The texts in the order their bytes sit in the database file itself."""
    data = store.path.read_bytes()
    return sorted(texts, key=lambda t: data.find(t.encode()))


def _key_order(store: ReflectionStore, session_id: str) -> list[str]:
    return [str(r.value) for r in sorted(store.reflections(session_id), key=lambda r: r.id)]


def _reader(store: ReflectionStore) -> sqlite3.Connection:
    """Another program with a read transaction open: it keeps its snapshot of the file."""
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM reflections").fetchone()
    return other


@pytest.fixture
def store(isolated_env: Path) -> Iterator[ReflectionStore]:
    with ReflectionStore.in_home(isolated_env) as opened:
        yield opened


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Close and purge give up on a reader at once instead of after a few seconds."""
    monkeypatch.setattr(store_module, "TIDY_WAIT_MS", 0)


def test_close_with_a_reader_says_it_could_not_erase_the_order_and_a_later_command_does(
    cli: Cli, store: ReflectionStore, no_waiting: None
) -> None:
    sid = _session(store)
    texts = [f"reflectie-{i:02d}-" + "x" * 30 for i in range(12)]
    for text in texts:
        store.save_submission(sid, [Answer("inzicht", text)])
    other = _reader(store)
    try:
        result = cli("session", "close", sid)
    finally:
        other.execute("COMMIT")
        other.close()
    assert result.exit_code == 3, result.stderr
    assert "another program is reading the reflections store" in " ".join(result.stderr.split())
    assert store.conn.execute("SELECT name FROM chores").fetchall() == [("erase-traces",)]
    assert _physical_order(store, texts) in (texts, texts[::-1])  # still in the order of saving
    assert cli("session", "list").exit_code == 0  # any later command finishes the job
    assert store.conn.execute("SELECT name FROM chores").fetchall() == []
    assert store.path.with_name(DB_NAME + "-wal").stat().st_size == 0
    physical = _physical_order(store, texts)
    keys = _key_order(store, sid)
    assert physical in (keys, keys[::-1])  # the order of the random ids, not of saving


def test_close_without_a_reader_erases_the_order_at_once(cli: Cli, store: ReflectionStore) -> None:
    sid = _session(store)
    texts = [f"reflectie-{i:02d}-" + "y" * 30 for i in range(12)]
    for text in texts:
        store.save_submission(sid, [Answer("inzicht", text)])
    result = cli("session", "close", sid)
    assert result.exit_code == 0, result.stderr
    keys = _key_order(store, sid)
    assert _physical_order(store, texts) in (keys, keys[::-1])


# --- purge: every file wiped, or nothing deleted -------------------------------------------


def _files(store: ReflectionStore) -> bytes:
    return b"".join(p.read_bytes() for p in store.side_files())


def test_purge_with_a_reader_deletes_nothing_and_the_retry_wipes_every_file(
    cli: Cli, store: ReflectionStore, no_waiting: None
) -> None:
    keep, drop = _session(store), _session(store)
    for i in range(20):
        store.save_submission(keep, [Answer("inzicht", f"gewone reflectie {i:02d} " + "z" * 40)])
    secret = "purge-lezer-canary-8c21"
    store.save_submission(drop, [Answer("inzicht", secret)])
    store.seal(drop)
    other = _reader(store)
    try:
        refused = cli("session", "purge", drop, "--yes")
    finally:
        other.execute("COMMIT")
        other.close()
    assert refused.exit_code == 3
    assert "nothing was deleted" in refused.stderr
    assert store.get_session(drop).answers == 1  # all or nothing: still all there
    retried = cli("session", "purge", drop, "--yes")
    assert retried.exit_code == 0, retried.stderr
    assert secret.encode() not in _files(store)  # database, -wal and -shm
    assert store.get_session(keep).answers == 20


# --- a discarded answer leaves no trace, even after a full disk ----------------------------

FULL_DISK_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from datetime import date
    from pathlib import Path
    from stigmacards.errors import StoreError
    from stigmacards.reflections.store import Answer, ReflectionStore

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    store = ReflectionStore(Path(sys.argv[1]))
    sid = store.create_session(deck_id="d", deck_hash="h", language="nl", group_size=None, day=date(2026, 1, 1)).id
    for i in range(3):
        store.save_submission(sid, [Answer("inzicht", "eerder " + str(i))])
    limit = max(p.stat().st_size for p in store.side_files()) + 16384
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        store.save_submission(sid, [Answer("inzicht", "SCHIJF-VOL-canary " * 6000)])
        print("SAVED")
    except StoreError as exc:
        print("NOT-SAVED", exc)
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    data = b"".join(p.read_bytes() for p in store.side_files())
    print("TRACE" if b"SCHIJF-VOL" in data else "CLEAN")
    print(sorted(str(r.value) for r in store.reflections(sid)))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="file-size limits (RLIMIT_FSIZE) are POSIX")
def test_an_answer_discarded_on_a_full_disk_leaves_nothing_in_the_wal(tmp_path: Path) -> None:
    result = run_python(FULL_DISK_CHILD, str(tmp_path / "home" / DB_NAME))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("NOT-SAVED"), lines
    assert lines[1] == "CLEAN"
    assert lines[2] == "['eerder 0', 'eerder 1', 'eerder 2']"


# --- store errors say what happened; read-only commands work on a read-only store ----------


def test_a_busy_store_says_busy_not_cannot_write(cli: Cli, store: ReflectionStore) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        result = cli("session", "new", "stigma-sekswerk", "--group-size", "6")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 3
    assert "busy" in result.stderr
    assert "cannot write" not in result.stderr


def test_a_full_store_says_the_disk_is_full(store: ReflectionStore) -> None:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")

    def fill() -> None:
        for _ in range(5000):
            _session(store)

    with pytest.raises(StoreError, match="disk is full"):
        fill()


READ_ONLY_CLI_CHILD = textwrap.dedent(
    """
    import os, sys
    from datetime import date
    from pathlib import Path

    from stigmacards.cli import main
    from stigmacards.reflections.store import Answer, ReflectionStore

    def make(home):
        with ReflectionStore.in_home(home) as store:
            sid = store.create_session(
                deck_id="stigma-sekswerk", deck_hash="h", language="en", group_size=6, day=date(2026, 1, 1)
            ).id
            for i in range(6):
                store.save_submission(sid, [Answer("inzicht", "gedeelde tekst " + str(i))])
            store.seal(sid)
        return sid

    commands = lambda sid: (["session", "list"], ["session", "report", sid], ["session", "new", "stigma-sekswerk"])
    warm = Path(sys.argv[1]) / "warm-up"  # imports everything while Python's own files are readable
    os.environ["STIGMACARDS_HOME"] = str(warm)
    for args in commands(make(warm)):
        main(args)
    home = Path(sys.argv[1]) / "home"
    os.environ["STIGMACARDS_HOME"] = str(home)
    sid = make(home)
    if os.getuid() == 0:  # root ignores file modes: be an ordinary user for this test
        for path in (Path(sys.argv[1]), home, *home.iterdir()):
            os.chown(path, 65534, 65534)
        os.setgid(65534)
        os.setuid(65534)
    home.chmod(0o500)
    (home / "reflections.db").chmod(0o400)
    print("---", flush=True)
    for args in commands(sid):
        print("EXIT", main(args), flush=True)
    """
)


@pytest.mark.skipif(not hasattr(os, "setuid"), reason="needs an ordinary POSIX user to drop to")
def test_read_only_store_still_lists_and_reports(tmp_path: Path) -> None:
    import shutil
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="stigmacards-ro-"))
    try:
        result = subprocess.run(
            [sys.executable, "-c", READ_ONLY_CLI_CHILD, str(shared)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
        )
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    assert result.returncode == 0, result.stderr
    after = result.stdout.split("---", 1)[1]
    exits = [line for line in after.splitlines() if line.startswith("EXIT")]
    assert exits == ["EXIT 0", "EXIT 0", "EXIT 3"], result.stdout + result.stderr
    assert "gedeelde tekst" in after
    assert "read-only" in result.stderr


def test_an_open_or_io_error_on_a_full_disk_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite says "unable to open" when it cannot create the -wal on a full disk: say what it is."""
    import shutil
    from types import SimpleNamespace

    from stigmacards.reflections import failures

    error = sqlite3.OperationalError("unable to open database file")
    error.sqlite_errorcode = 14  # type: ignore[attr-defined]
    path = tmp_path / DB_NAME
    assert failures.explain(error, path=path, fallback="cannot open") == "cannot open"
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: SimpleNamespace(total=100, used=100, free=0))
    assert "disk is full" in failures.explain(error, path=path, fallback="cannot open")
