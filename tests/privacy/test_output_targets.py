"""Threat T2 (docs/threat-model.md), the careless user: an output file must never cost the store.

`session export -o reflections.db` once replaced the database with a CSV file (every session
gone), and so did a symbolic link pointing at it. Every command that writes a file refuses the
store, its side files and the rest of the data folder, and never writes through a link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stigmacards import paths
from stigmacards.errors import ExitCode
from stigmacards.reflections.store import DB_NAME, Answer, ReflectionStore
from tests.conftest import DATA, DECKS, Cli

DECK = str(DECKS / "stigma-sekswerk.yaml")
CSV = DATA / "import" / "excel.csv"


@pytest.fixture
def closed(cli: Cli) -> str:
    """A closed session with eight people's answers: something to lose."""
    made = cli("session", "new", DECK, "--group-size", "8", "--lang", "nl")
    assert made.exit_code == 0, made.stderr
    sid = made.stdout.strip()
    with ReflectionStore.in_home(paths.home()) as store:
        for i in range(8):
            store.save_submission(sid, [Answer("veilig", 4), Answer("inzicht", f"verhaal {i}")])
    assert cli("session", "close", sid).exit_code == 0
    return sid


def _intact(sid: str) -> None:
    with ReflectionStore.in_home(paths.home(), read_only=True) as store:
        assert len(store.reflections(sid)) == 16
    assert (paths.home() / DB_NAME).read_bytes().startswith(b"SQLite format 3\x00")


def _refused(result: object, needle: str) -> None:
    exit_code, stderr = result.exit_code, result.stderr  # type: ignore[attr-defined]
    assert exit_code == ExitCode.OUTPUT, stderr
    assert needle in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("name", [DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", "x.csv"])
def test_export_refuses_the_store_and_the_data_folder(cli: Cli, closed: str, name: str) -> None:
    target = paths.home() / name
    existed = target.exists()
    _refused(cli("session", "export", closed, "-o", str(target)), "data folder")
    assert target.exists() == existed
    _intact(closed)
    assert cli("session", "list").exit_code == 0


def test_export_refuses_a_symbolic_link_to_the_store(cli: Cli, closed: str, tmp_path: Path) -> None:
    link = tmp_path / "export.csv"
    link.symlink_to(paths.home() / DB_NAME)
    _refused(cli("session", "export", closed, "-o", str(link)), "symbolic link")
    assert link.is_symlink()
    _intact(closed)


def test_export_refuses_a_symbolic_link_anywhere(cli: Cli, closed: str, tmp_path: Path) -> None:
    real = tmp_path / "notes.txt"
    real.write_text("my own notes", encoding="utf-8")
    link = tmp_path / "export.csv"
    link.symlink_to(real)
    _refused(cli("session", "export", closed, "-o", str(link)), "symbolic link")
    assert real.read_text(encoding="utf-8") == "my own notes"


def test_export_through_a_linked_folder_into_the_data_folder_is_refused(
    cli: Cli, closed: str, tmp_path: Path
) -> None:
    folder = tmp_path / "looks-harmless"
    folder.symlink_to(paths.home(), target_is_directory=True)
    _refused(cli("session", "export", closed, "-o", str(folder / DB_NAME)), "data folder")
    _intact(closed)


def test_export_to_an_ordinary_file_still_works(cli: Cli, closed: str, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    result = cli("session", "export", closed, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "verhaal" in out.read_text(encoding="utf-8")


def test_deck_import_force_cannot_replace_the_store(cli: Cli, closed: str) -> None:
    source = CSV
    target = paths.home() / DB_NAME
    _refused(cli("deck", "import", str(source), "-o", str(target), "--force"), "data folder")
    _intact(closed)


def test_deck_import_into_the_decks_folder_is_allowed(cli: Cli, tmp_path: Path) -> None:
    source = CSV
    target = paths.user_decks_dir() / "imported.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    result = cli("deck", "import", str(source), "-o", str(target))
    assert result.exit_code in (0, 1), result.stderr  # 1: rows rejected, still not a target error
    assert "data folder" not in result.stderr


def test_print_schema_and_preview_refuse_the_data_folder(cli: Cli, closed: str) -> None:
    home = paths.home()
    _refused(cli("deck", "print", "stigma-sekswerk", "-o", str(home / DB_NAME)), "data folder")
    _refused(cli("deck", "schema", "-o", str(home / DB_NAME)), "data folder")
    _refused(cli("deck", "preview", "stigma-sekswerk", "-o", str(home / "pages")), "data folder")
    _intact(closed)
