"""Threats T1 and T3 (docs/threat-model.md): whoever reads reports, and a participant who pads a group.

k only protects people if a group of k answers comes from k people: the declared group size
caps the answers to every question on every path (plain `reflect`, kiosk, merge). Totals that
`session list`, `close` and `purge` print must not give away what a report hides, and a
report after `review --redact-all` shows none of the personal data that was flagged.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stigmacards import paths
from stigmacards.deck.catalog import content_hash
from stigmacards.errors import SessionError
from stigmacards.reflections.anonymity import ProtectedRow
from stigmacards.reflections.exchange import ExportFormat, ExportHeader, export_bytes
from stigmacards.reflections.store import Answer, ReflectionStore
from tests.conftest import DECKS, Cli

DECK = "stigma-sekswerk"
DECK_HASH = content_hash([DECKS / "stigma-sekswerk.yaml"])
ANSWER = (
    "--yes",
    "--answer",
    "veilig=4",
    "--answer",
    "rol=2",
    "--answer",
    "inzicht=Luisteren hielp.",
    "--skip-rest",
)


@pytest.fixture
def store() -> Iterator[ReflectionStore]:
    with ReflectionStore.in_home(paths.home()) as opened:
        yield opened


def new_session(cli: Cli, *args: str) -> str:
    result = cli("session", "new", DECK, "--lang", "en", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def flat(text: str) -> str:
    return " ".join(text.split())


# --- T3: one person cannot pad a group -----------------------------------------------------


def test_reflect_refuses_more_answers_than_the_declared_group_and_says_how_to_raise_it(
    cli: Cli, store: ReflectionStore
) -> None:
    sid = new_session(cli, "--group-size", "3")
    for _ in range(3):
        assert cli("reflect", sid, *ANSWER).exit_code == 0
    padded = cli("reflect", sid, *ANSWER)
    assert padded.exit_code == 4
    assert f"stigmacards session resize {sid} --group-size" in flat(padded.stderr)
    assert store.get_session(sid).answers == 9  # three people, three questions: nothing added
    resized = cli("session", "resize", sid, "--group-size", "4")
    assert resized.exit_code == 0, resized.stderr
    assert cli("reflect", sid, *ANSWER).exit_code == 0
    assert store.get_session(sid).answers == 12


def test_the_cap_holds_in_the_store_for_every_front_end(store: ReflectionStore) -> None:
    """Kiosk mode and the coming room mode save through the same call: the cap is checked there."""
    sid = store.create_session(
        deck_id=DECK, deck_hash=DECK_HASH, language="nl", group_size=2, day=date(2026, 11, 20)
    ).id
    store.save_submission(sid, [Answer("veilig", 3)])
    store.save_submission(sid, [Answer("veilig", 4), Answer("inzicht", "een")])
    with pytest.raises(SessionError, match="declared for 2 people"):
        store.save_submission(sid, [Answer("veilig", 5), Answer("inzicht", "twee")])
    assert sorted(str(r.value) for r in store.reflections(sid)) == ["3", "4", "een"]  # all or nothing
    store.save_submission(sid, [Answer("inzicht", "twee")])  # another question still has room


def test_resize_cannot_go_below_the_answers_already_given(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli, "--group-size", "5")
    for _ in range(3):
        cli("reflect", sid, *ANSWER)
    result = cli("session", "resize", sid, "--group-size", "2")
    assert result.exit_code == 4
    assert store.get_session(sid).group_size == 5
    cli("session", "close", sid)
    assert cli("session", "resize", sid, "--group-size", "9").exit_code == 4  # closed is closed


def _export(tmp_path: Path, name: str, *, group_size: int, answers: int) -> Path:
    header = ExportHeader(DECK, DECK_HASH, "nl", "2026-11-20", group_size)
    rows = [ProtectedRow(f"{name}{i:030x}"[-32:], "veilig", None, 3) for i in range(answers)]
    path = tmp_path / f"{name}.json"
    path.write_bytes(export_bytes(header, rows, ExportFormat.json, k=5))
    return path


def test_merge_refuses_a_file_with_more_answers_than_its_group(cli: Cli, tmp_path: Path) -> None:
    padded = _export(tmp_path, "aa", group_size=5, answers=9)
    result = cli("session", "merge", str(padded))
    assert result.exit_code == 2
    assert "question veilig: 9 answers from a group of 5" in result.stderr
    assert cli("session", "list", "--format", "json").stdout.strip() == "[]"  # no session made


def test_merge_into_a_session_keeps_the_cap(cli: Cli, store: ReflectionStore, tmp_path: Path) -> None:
    first = _export(tmp_path, "aa", group_size=5, answers=5)
    merged = cli("session", "merge", str(first)).stdout.strip()
    with sqlite3.connect(store.path) as conn:  # as an older version could have left it
        conn.execute("UPDATE sessions SET group_size = 5 WHERE id = ?", (merged,))
    conn.close()
    second = _export(tmp_path, "bb", group_size=5, answers=5)
    store.resize(merged, 5)
    assert cli("session", "merge", str(second), "--into", merged).exit_code == 0
    assert store.get_session(merged).group_size == 10  # each file brings its own group


# --- T1: reports say when k cannot be relied on ---------------------------------------------


def test_report_warns_when_answers_exceed_the_declared_group(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli, "--group-size", "6")
    for _ in range(6):
        cli("reflect", sid, *ANSWER)
    with sqlite3.connect(store.path) as conn:  # padded by a version without the cap
        conn.execute("UPDATE sessions SET group_size = 5 WHERE id = ?", (sid,))
    conn.close()
    cli("session", "close", sid)
    result = cli("session", "report", sid)
    assert result.exit_code == 0
    assert "have more answers than the declared group size (5)" in flat(result.stderr)


def test_report_says_k_cannot_be_checked_without_a_declared_group(cli: Cli) -> None:
    sid = new_session(cli)
    for _ in range(5):
        cli("reflect", sid, *ANSWER)
    cli("session", "close", sid)
    result = cli("session", "report", sid)
    assert "No group size was declared for this session" in flat(result.stderr)
    declared = new_session(cli, "--group-size", "5")
    cli("session", "close", declared)
    assert "No group size" not in cli("session", "report", declared).stderr


# --- T1: totals reveal nothing a report hides ------------------------------------------------


def test_no_total_gives_away_the_count_of_a_hidden_question(
    cli: Cli, store: ReflectionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """8 answer veilig, rol and inzicht; 2 answer volgende-keer (hidden): the total would be 26."""
    sid = new_session(cli, "--group-size", "8")
    for i in range(8):
        answers = [Answer("veilig", 4), Answer("rol", 0), Answer("inzicht", f"tekst {i}")]
        if i < 2:
            answers.append(Answer("volgende-keer", "meer tijd"))
        store.save_submission(sid, answers)
    closed = cli("session", "close", sid)
    outputs = [
        closed.stderr,
        cli("session", "list").stdout,
        cli("session", "list", "--format", "json").stdout,
    ]
    report = json.loads(cli("session", "report", sid, "--format", "json").stdout)
    assert next(p for p in report["prompts"] if p["id"] == "volgende-keer")["answers"] is None
    purged = cli("session", "purge", sid, "--yes")
    outputs.append(purged.stderr)
    for output in outputs:
        numbers = set(re.findall(r"(?<![\w-])\d+(?![\w-])", output.replace(sid, "")))
        assert not numbers & {"26", "2"}, output


# --- T1: redaction leaves nothing behind ------------------------------------------------------

PHONE_TEXTS = [
    "bel me: +310612345678",
    "of +31 (0)6 12 34 56 78",
    "mijn oude: \uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
    "werk: 06\u201187654321",
    "thuis 020\t123\u200b4567",
]


def test_after_redact_all_the_report_shows_no_phone_number(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli, "--group-size", "5")
    for text in PHONE_TEXTS:
        store.save_submission(sid, [Answer("inzicht", text)])
    cli("session", "close", sid)
    assert cli("session", "review", sid, "--redact-all").exit_code == 0
    report = cli("session", "report", sid, "--min-group", "3").stdout
    shown = [line for line in report.splitlines() if line.strip().startswith("•")]
    assert len(shown) == 5
    assert all("[…]" in line and not re.search(r"[\d\uff10-\uff19]", line) for line in shown), shown


def test_review_shows_names_as_their_own_kind(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli, "--group-size", "5")
    for i in range(5):
        store.save_submission(sid, [Answer("inzicht", f"Ik ben Sanne en dit is tekst {i}")])
    cli("session", "close", sid)
    assert cli("session", "review", sid, "--redact-all").exit_code == 0
    texts = {str(r.value) for r in store.reflections(sid)}
    assert all("Sanne" not in t and "[…]" in t for t in texts)


def test_a_session_without_a_group_size_is_told_how_to_set_one(cli: Cli, store: ReflectionStore) -> None:
    result = cli("session", "new", DECK)
    sid = result.stdout.strip()
    assert f"stigmacards session resize {sid} --group-size" in flat(result.stderr)
    assert cli("session", "resize", sid, "--group-size", "7").exit_code == 0
    assert store.get_session(sid).group_size == 7


def test_kiosk_tells_the_next_person_the_group_is_complete_before_they_answer(
    cli: Cli, store: ReflectionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two people declared, two turns taken: the third person answers nothing, in vain or otherwise."""
    from stigmacards.cli import asking as asking_cli
    from stigmacards.cli import kiosk as kiosk_cli
    from tests.reflections.test_reflect_cli import ScriptedPrompter

    sid = new_session(cli, "--group-size", "2")
    turn = [
        "",
        True,
        "2",
        "Skip this question",
        "Mijn verhaal.",
        "",
    ]  # begin, promise, scale, choice, text, last
    prompter = ScriptedPrompter(["", "", *turn, *turn, "", "", ":end", "KXRT"])
    monkeypatch.setattr(asking_cli, "has_terminal", lambda: True)
    monkeypatch.setattr(asking_cli, "make_prompter", lambda *, kiosk: prompter)
    monkeypatch.setattr(kiosk_cli, "new_end_code", lambda: "KXRT")
    result = cli("reflect", sid, "--kiosk")
    assert result.exit_code == 0, result.stderr
    promises = [m for kind, m, _c in prompter.seen if kind == "confirm"]
    assert len(promises) == 2  # the third person was never asked to begin answering
    assert "session resize" in flat(result.stdout)
    assert store.get_session(sid).answers == 4
