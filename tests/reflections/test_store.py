"""The reflections store: sessions, submissions, sealing, failures that keep earlier rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stigmacards.errors import SessionError, StoreError
from stigmacards.reflections.store import (
    DB_NAME,
    SCHEMA_VERSION,
    Answer,
    ReflectionStore,
    Review,
    StoredReflection,
    not_saved_message,
)

DAY = date(2026, 11, 20)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReflectionStore]:
    s = ReflectionStore.in_home(tmp_path / "home")
    yield s
    s.close()


def new_session(store: ReflectionStore, *, group_size: int | None = 100) -> str:
    return store.create_session(
        deck_id="stigma-sekswerk", deck_hash="abc123", language="nl", group_size=group_size, day=DAY
    ).id


def test_in_home_uses_reflections_db(tmp_path: Path) -> None:
    with ReflectionStore.in_home(tmp_path / "h") as s:
        assert s.path == tmp_path / "h" / DB_NAME
        assert s.path.is_file()


def test_create_and_get_session(store: ReflectionStore) -> None:
    info = store.create_session(deck_id="d", deck_hash="h1", language="en", group_size=None, day=DAY)
    assert len(info.id) == 16
    again = store.get_session(info.id)
    assert again == info
    assert again.day == "2026-11-20"
    assert not again.sealed
    assert again.answers == 0


def test_session_ids_are_random(store: ReflectionStore) -> None:
    ids = {new_session(store) for _ in range(20)}
    assert len(ids) == 20


def test_get_session_accepts_a_unique_prefix(store: ReflectionStore) -> None:
    sid = new_session(store)
    assert store.get_session(sid[:6].upper()).id == sid


def test_unknown_or_ambiguous_session_is_a_session_error(store: ReflectionStore) -> None:
    with pytest.raises(SessionError, match="no session"):
        store.get_session("ffffffffffffffff")
    with pytest.raises(SessionError, match="no session"):
        store.get_session("not-hex; drop table")
    ids = [new_session(store) for _ in range(40)]
    common = next(a[0] for a in ids if sum(b[0] == a[0] for b in ids) > 1)
    with pytest.raises(SessionError, match="more than one"):
        store.get_session(common)


def test_save_submission_stores_every_answer(store: ReflectionStore) -> None:
    sid = new_session(store)
    store.save_submission(
        sid, [Answer("veilig", 4), Answer("rol", 0), Answer("inzicht", "Meer luisteren.", card_id="woorden")]
    )
    rows = sorted(store.reflections(sid), key=lambda r: r.prompt_id)
    assert [(r.prompt_id, r.card_id, r.value) for r in rows] == [
        ("inzicht", "woorden", "Meer luisteren."),
        ("rol", None, 0),
        ("veilig", None, 4),
    ]
    assert all(len(r.id) == 32 for r in rows)
    assert store.get_session(sid).answers == 3


def test_blank_text_counts_as_skipped(store: ReflectionStore) -> None:
    sid = new_session(store)
    store.save_submission(sid, [Answer("inzicht", "   "), Answer("veilig", 2)])
    assert [r.prompt_id for r in store.reflections(sid)] == ["veilig"]
    store.save_submission(sid, [])
    assert store.get_session(sid).answers == 1


def test_a_bool_is_not_an_answer(store: ReflectionStore) -> None:
    sid = new_session(store)
    with pytest.raises(TypeError):
        store.save_submission(sid, [Answer("veilig", True)])


def test_text_with_personal_data_is_flagged_for_review(store: ReflectionStore) -> None:
    sid = new_session(store)
    store.save_submission(sid, [Answer("inzicht", "Mooi gesprek.")])
    assert store.get_session(sid).review is Review.NONE
    store.save_submission(sid, [Answer("inzicht", "Bel me: 0612345678")])
    assert store.get_session(sid).review is Review.PENDING
    flagged = [r for r in store.reflections(sid) if r.flagged]
    assert [r.value for r in flagged] == ["Bel me: 0612345678"]


def test_resolve_flags_redacts_and_keeps(store: ReflectionStore) -> None:
    sid = new_session(store)
    store.save_submission(sid, [Answer("a", "Bel 0612345678")])
    store.save_submission(sid, [Answer("a", "Zie sekswerk.nl")])
    first, second = sorted((r for r in store.reflections(sid) if r.flagged), key=lambda r: str(r.value))
    assert store.resolve_flags(sid, redacted={first.id: "Bel […]"}, kept=[second.id])
    values = sorted(str(r.value) for r in store.reflections(sid))
    assert values == ["Bel […]", "Zie sekswerk.nl"]
    assert not any(r.flagged for r in store.reflections(sid))
    assert store.get_session(sid).review is Review.DONE


def test_sealed_session_takes_no_more_reflections(store: ReflectionStore) -> None:
    sid = new_session(store)
    store.save_submission(sid, [Answer("veilig", 3)])
    assert store.seal(sid).sealed
    with pytest.raises(SessionError, match="closed"):
        store.save_submission(sid, [Answer("veilig", 5)])
    with pytest.raises(SessionError, match="closed"):
        store.import_reflections(sid, [StoredReflection("ab" * 16, "veilig", None, 5)])
    assert store.get_session(sid).answers == 1


def test_save_to_unknown_session_is_a_session_error(store: ReflectionStore) -> None:
    with pytest.raises(SessionError):
        store.save_submission("0" * 16, [Answer("veilig", 3)])


def test_import_is_idempotent(store: ReflectionStore) -> None:
    sid = new_session(store)
    rows = [StoredReflection(f"{i:032x}", "veilig", None, i % 5 + 1) for i in range(10)]
    assert store.import_reflections(sid, rows) == 10
    assert store.import_reflections(sid, rows) == 0
    assert store.get_session(sid).answers == 10


def test_typed_and_imported_answers_never_share_a_session(store: ReflectionStore) -> None:
    """Whoever has the exports could subtract them from a mixed report and read the laptop's own answers."""
    rows = [StoredReflection(f"{i:032x}", "veilig", None, 5) for i in range(3)]
    own = new_session(store, group_size=2)
    store.save_submission(own, [Answer("veilig", 1), Answer("inzicht", "ons eigen verhaal")])
    with pytest.raises(SessionError, match="typed on this laptop"):
        store.import_reflections(own, rows, group_size_increment=3)
    info = store.get_session(own)
    assert (info.answers, info.group_size, info.imported) == (2, 2, False)

    merged = new_session(store, group_size=None)
    assert store.import_reflections(merged, rows) == 3
    assert store.get_session(merged).imported
    with pytest.raises(SessionError, match="merged from other laptops"):
        store.save_submission(merged, [Answer("veilig", 1)])
    assert store.import_reflections(merged, [*rows[:1], StoredReflection("f" * 32, "veilig", None, 4)]) == 1
    assert store.get_session(merged).answers == 4


def test_an_answer_can_be_in_its_own_session_and_in_a_merged_one(store: ReflectionStore) -> None:
    """The laptop that exported its own session can merge that export with the others."""
    own = new_session(store)
    store.save_submission(own, [Answer("veilig", 4)])
    store.seal(own)
    exported = store.reflections(own)
    merged = new_session(store, group_size=None)
    assert store.import_reflections(merged, exported) == 1
    assert store.merged_already([r.id for r in exported]) == merged
    assert store.merged_already([r.id for r in exported] + ["e" * 32]) is None
    assert [r.id for r in store.reflections(merged)] == [r.id for r in store.reflections(own)]


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "h" / DB_NAME
    path.parent.mkdir(mode=0o700)
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, deck_id TEXT NOT NULL,
                deck_hash TEXT NOT NULL, language TEXT NOT NULL, day TEXT NOT NULL,
                group_size INTEGER, sealed INTEGER NOT NULL DEFAULT 0,
                pii_review TEXT NOT NULL DEFAULT 'none') WITHOUT ROWID;
            CREATE TABLE reflections (id TEXT NOT NULL UNIQUE, session_id TEXT NOT NULL,
                prompt_id TEXT NOT NULL, card_id TEXT, value, flagged INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (session_id, id)) WITHOUT ROWID;
            INSERT INTO sessions (id, deck_id, deck_hash, language, day, group_size, sealed)
                VALUES ('00aa00aa00aa00aa', 'd', 'h', 'nl', '2026-01-02', 6, 1);
            INSERT INTO reflections VALUES ('ab' || hex(zeroblob(15)), '00aa00aa00aa00aa', 'veilig', NULL, 3, 0);
            PRAGMA user_version = 1;
            """
        )
    conn.close()
    with ReflectionStore(path) as store:
        info = store.get_session("00aa")
        assert (info.answers, info.sealed, info.imported, info.group_size) == (1, True, False, 6)
        merged = new_session(store, group_size=None)
        assert store.import_reflections(merged, store.reflections(info.id)) == 1  # ids no longer unique
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_list_sessions_newest_day_first(store: ReflectionStore) -> None:
    old = store.create_session(
        deck_id="d", deck_hash="h", language="nl", group_size=None, day=date(2025, 1, 1)
    )
    new = store.create_session(deck_id="d", deck_hash="h", language="nl", group_size=None, day=DAY)
    assert [s.id for s in store.list_sessions()] == [new.id, old.id]


def test_purge_deletes_sessions_and_reflections(store: ReflectionStore) -> None:
    keep, drop = new_session(store), new_session(store)
    store.save_submission(keep, [Answer("veilig", 3)])
    store.save_submission(drop, [Answer("veilig", 4), Answer("inzicht", "weg ermee")])
    assert store.purge([drop]) == 2
    assert [s.id for s in store.list_sessions()] == [keep]
    assert store.get_session(keep).answers == 1


def test_locked_database_gives_not_saved_and_keeps_earlier_rows(store: ReflectionStore) -> None:
    sid = new_session(store)
    store.save_submission(sid, [Answer("veilig", 2)])
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as caught:
            store.save_submission(sid, [Answer("veilig", 5)])
        assert str(caught.value) == not_saved_message()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [r.value for r in store.reflections(sid)] == [2]
    store.save_submission(sid, [Answer("veilig", 5)])  # and trying again works
    assert store.get_session(sid).answers == 2


def test_full_database_gives_not_saved_and_keeps_earlier_rows(store: ReflectionStore) -> None:
    """SQLITE_FULL (what a full disk gives) via max_page_count; the draft can be saved later."""
    sid = new_session(store)
    store.save_submission(sid, [Answer("inzicht", "eerste")])
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        store.save_submission(sid, [Answer("inzicht", "x" * 50_000)])
    assert str(caught.value) == not_saved_message()
    assert [r.value for r in store.reflections(sid)] == ["eerste"]
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    store.save_submission(sid, [Answer("inzicht", "x" * 50_000)])
    assert store.get_session(sid).answers == 2


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h" / DB_NAME
    ReflectionStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        ReflectionStore(path)


def test_symlinked_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "h").mkdir(mode=0o700)
    (tmp_path / "elsewhere.db").write_bytes(b"")
    (tmp_path / "h" / DB_NAME).symlink_to(tmp_path / "elsewhere.db")
    with pytest.raises(StoreError, match="not a regular file"):
        ReflectionStore.in_home(tmp_path / "h")


def test_operations_after_close_are_store_errors(tmp_path: Path) -> None:
    s = ReflectionStore.in_home(tmp_path / "h")
    s.close()
    s.close()
    with pytest.raises(StoreError):
        s.list_sessions()


def test_pragmas_for_durability_and_privacy(store: ReflectionStore) -> None:
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY


def test_ensure_writable_passes_on_a_normal_store(store: ReflectionStore) -> None:
    store.ensure_writable()


def _raw(store: ReflectionStore) -> bytes:
    return b"".join(p.read_bytes() for p in store.side_files())


def test_purge_leaves_no_readable_text_in_the_files(store: ReflectionStore) -> None:
    """The purged text sits among other rows on a page: only overwriting removes it."""
    keep, drop = new_session(store), new_session(store)
    for i in range(40):
        store.save_submission(keep, [Answer("inzicht", f"gewone reflectie {i:02d} " + "x" * 40)])
    secret = "purge-canary-4b1e-geheim"
    store.save_submission(drop, [Answer("inzicht", secret)])
    store.checkpoint()
    assert secret.encode() in _raw(store)
    store.purge([drop])
    assert secret.encode() not in _raw(store)
    assert store.get_session(keep).answers == 40


def test_redacting_overwrites_the_original_wording(store: ReflectionStore) -> None:
    sid = new_session(store)
    for i in range(30):
        store.save_submission(sid, [Answer("inzicht", f"gewone reflectie {i:02d} " + "y" * 40)])
    store.save_submission(sid, [Answer("inzicht", "Bel me gerust op 0687654321 als je wilt")])
    store.checkpoint()
    assert b"0687654321" in _raw(store)
    flagged = next(r for r in store.reflections(sid) if r.flagged)
    assert store.resolve_flags(sid, redacted={flagged.id: "Bel me gerust op […] als je wilt"}, kept=[])
    assert b"0687654321" not in _raw(store)


def test_sealing_leaves_an_empty_wal(store: ReflectionStore) -> None:
    """The WAL would show which answers were saved together: it is emptied after every save and at close."""
    sid = new_session(store)
    wal = store.path.with_name(store.path.name + "-wal")
    for i in range(10):
        store.save_submission(sid, [Answer("veilig", i % 5 + 1), Answer("inzicht", f"tekst {i}")])
        assert wal.stat().st_size == 0
    store.seal(sid)
    assert wal.stat().st_size == 0
    assert store.get_session(sid).answers == 20


def test_a_nul_character_is_not_stored(store: ReflectionStore) -> None:
    """A NUL is invisible, and an export holding one would be refused by `session merge`."""
    sid = new_session(store)
    store.save_submission(sid, [Answer("inzicht", "ver\x00borgen")])
    assert [r.value for r in store.reflections(sid)] == ["verborgen"]
