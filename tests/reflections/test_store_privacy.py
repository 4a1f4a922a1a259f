"""Private files under any umask, nothing written anywhere else, a minimal schema, purge that wipes."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from stigmacards.reflections.store import DB_NAME, SIDE_SUFFIXES, Answer, ReflectionStore
from tests.conftest import run_process

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
    result = subprocess.run(
        [sys.executable, "-c", PERMISSIONS_CHILD, str(tmp_path), umask],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
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
        saved = subprocess.run(
            [sys.executable, "-c", SAVE_CHILD, str(db), session_id, text],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
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
