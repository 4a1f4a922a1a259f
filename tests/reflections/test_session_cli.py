"""`stigmacards session …` through the real entry point (the `cli` fixture)."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from stigmacards import paths
from stigmacards.cli import session as session_cli
from stigmacards.reflections.store import Answer, ReflectionStore
from tests.conftest import Result

Cli = Callable[..., Result]
DECK = "stigma-sekswerk"
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_cli, "today", lambda: TODAY)


@pytest.fixture
def store() -> Iterator[ReflectionStore]:
    s = ReflectionStore.in_home(paths.home())
    yield s
    s.close()


class FakePrompter:
    """Scripted answers for select/confirm; records what was asked."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def select(self, message: str, choices: Sequence[Any], *, default: Any = None, flag: str = "") -> Any:
        self.asked.append(message)
        answer = self.answers.pop(0)
        # A scripted "redact" picks the choice whose value is Decision.REDACT, as a person would.
        return next((c.value for c in choices if getattr(c.value, "value", None) == answer), answer)

    def text(self, message: str, *, default: str = "", flag: str = "", multiline: bool = False) -> str:
        self.asked.append(message)
        return str(self.answers.pop(0))

    def confirm(self, message: str, *, default: bool = False, flag: str = "") -> bool:
        self.asked.append(message)
        return bool(self.answers.pop(0))


def use_prompter(monkeypatch: pytest.MonkeyPatch, prompter: FakePrompter) -> None:
    monkeypatch.setattr(session_cli, "make_prompter", lambda flag: prompter)


def new_session(cli: Cli, *args: str) -> str:
    result = cli("session", "new", DECK, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def fill(
    store: ReflectionStore, session_id: str, *, people: int = 8, texts: Sequence[str] | None = None
) -> None:
    """`people` submissions: scale 4 or 5, choice 0, and a text each."""
    texts = texts or [f"Ik neem mee: verhaal {i}" for i in range(people)]
    for i in range(people):
        store.save_submission(
            session_id, [Answer("veilig", 4 if i % 3 else 5), Answer("rol", 0), Answer("inzicht", texts[i])]
        )


def closed_session(
    cli: Cli, store: ReflectionStore, *, people: int = 8, texts: Sequence[str] | None = None
) -> str:
    sid = new_session(cli, "--group-size", str(people), "--lang", "nl")
    fill(store, sid, people=people, texts=texts)
    assert cli("session", "close", sid).exit_code == 0
    return sid


# --- new, list, close -----------------------------------------------------------------------


def test_new_prints_the_id_and_stores_the_session(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli, "--group-size", "12", "--lang", "en")
    info = store.get_session(sid)
    assert (info.deck_id, info.language, info.group_size, info.day) == (DECK, "en", 12, "2026-11-20")
    assert len(info.deck_hash) == 16


def test_new_warns_when_the_group_is_smaller_than_k(cli: Cli) -> None:
    result = cli("session", "new", DECK, "--group-size", "3")
    assert result.exit_code == 0
    assert "hide every answer unless you pass --min-group 3" in " ".join(result.stderr.split())
    result = cli("session", "new", DECK, "--group-size", "2")
    assert "every report hides every answer (no report shows a group smaller than 3)" in " ".join(
        result.stderr.split()
    )
    assert "--min-group" not in result.stderr  # no flag can show a group of 2
    assert cli("session", "new", DECK, "--group-size", "5").stderr == ""


def test_new_refuses_unknown_decks_and_languages(cli: Cli) -> None:
    assert cli("session", "new", "no-such-deck").exit_code == 2
    result = cli("session", "new", DECK, "--lang", "de")
    assert result.exit_code == 2


def test_list_shows_sessions_and_warns_about_old_ones(cli: Cli, store: ReflectionStore) -> None:
    assert "No sessions yet" in cli("session", "list").stderr
    recent = new_session(cli)
    old = store.create_session(
        deck_id=DECK, deck_hash="x", language="nl", group_size=None, day=TODAY - timedelta(days=45)
    ).id
    result = cli("session", "list")
    assert result.exit_code == 0
    assert recent in result.stdout
    assert old in result.stdout
    assert "1 session is older than 30 days" in result.stderr
    assert "purge --older-than 30" in result.stderr
    assert "older than" not in cli("session", "list", "--retention-days", "60").stderr
    listed = json.loads(cli("session", "list", "--format", "json").stdout)
    assert {s["id"]: s["past_retention"] for s in listed} == {recent: False, old: True}


def test_close_seals_the_session(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli)
    result = cli("session", "close", sid[:8])
    assert result.exit_code == 0
    assert "closed" in result.stderr
    assert store.get_session(sid).sealed


def test_unknown_session_is_exit_4(cli: Cli) -> None:
    for command in ("close", "report", "review"):
        result = cli("session", command, "abcdef")
        assert result.exit_code == 4, command
        assert "no session" in result.stderr


# --- report ---------------------------------------------------------------------------------


def test_report_of_an_open_session_shows_no_answers(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli, "--group-size", "8")
    fill(store, sid)
    result = cli("session", "report", sid)
    assert result.exit_code == 0
    assert "still open" in result.stdout
    assert "verhaal" not in result.stdout


def test_open_session_outputs_do_not_change_when_one_more_person_answers(
    cli: Cli, store: ReflectionStore
) -> None:
    """Comparing report or list before and after one person must not show what they answered or skipped."""
    sid = new_session(cli, "--group-size", "8")
    fill(store, sid, people=6)

    def outputs() -> list[str]:
        return [
            cli("session", "report", sid).stdout,
            cli("session", "report", sid, "--format", "json").stdout,
            cli("session", "report", sid, "--format", "md").stdout,
            cli("session", "list").stdout,
            cli("session", "list", "--format", "json").stdout,
        ]

    before = outputs()
    store.save_submission(sid, [Answer("veilig", 1), Answer("volgende-keer", "bel me: 0612345678")])
    assert outputs() == before
    cli("session", "close", sid)
    listed = cli("session", "list").stdout
    assert "closed" in listed
    assert "answers" not in listed  # a total would give away the count of a hidden question


def test_report_shows_bar_charts_hidden_cells_and_texts(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, people=8)
    result = cli("session", "report", sid)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Hoe veilig voelde je je om te spreken?" in out
    assert "█" in out  # the bar chart (choice 0: 8 answers)
    assert "hidden to protect anonymity" in out
    assert "Sekswerker of ex-sekswerker" in out
    for i in range(8):
        assert f"verhaal {i}" in out
    # Five 4s and three 5s: single values are withheld, but all eight are in the high band.
    assert "Median: 4" in out
    assert "In three bands" in out
    assert re.search(r"high \(4–5\) █+ 8\n", out), out


def test_report_markdown_has_tables(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, texts=["[klik](http://x.nl) <b>", *[f"t{i}" for i in range(7)]])
    out = cli("session", "report", sid, "--format", "md").stdout
    assert "| answer | count | |" in out
    assert "| Sekswerker of ex-sekswerker | 8 |" in out
    assert "\\[klik\\]" in out
    assert "&lt;" not in out
    assert "\\<b\\>" in out


def test_report_json_hides_small_groups_as_null(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, people=8)
    data = json.loads(cli("session", "report", sid, "--format", "json").stdout)
    prompts = {p["id"]: p for p in data["prompts"]}
    assert data["min_group"] == 5
    assert prompts["rol"]["values"][0] == {"value": 0, "label": "Sekswerker of ex-sekswerker", "count": 8}
    assert all(v["count"] is None for v in prompts["rol"]["values"][1:])
    assert prompts["volgende-keer"]["answers"] is None  # nobody answered it
    assert prompts["veilig"]["median"] == 4.0
    assert {b["band"]: b["count"] for b in prompts["veilig"]["bands"]} == {
        "low": None,
        "middle": None,
        "high": 8,
    }
    assert prompts["veilig"]["bands_withheld"] == 0
    assert "texts" not in prompts["volgende-keer"]


def test_report_text_order_is_fresh_each_run(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, people=30)
    orders = {
        tuple(
            next(
                p
                for p in json.loads(cli("session", "report", sid, "--format", "json").stdout)["prompts"]
                if p["id"] == "inzicht"
            )["texts"]
        )
        for _ in range(3)
    }
    assert len(orders) == 3


def test_report_hides_everything_when_the_declared_group_is_below_k(cli: Cli, store: ReflectionStore) -> None:
    sid = new_session(cli, "--group-size", "4")
    fill(store, sid, people=4)
    cli("session", "close", sid)
    out = " ".join(cli("session", "report", sid).stdout.split())
    assert "declared group size (4) is below the minimum group size 5" in out
    assert "verhaal" not in out
    assert "verhaal" in cli("session", "report", sid, "--min-group", "3").stdout


def test_min_group_below_three_is_a_usage_error(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store)
    for command in (("report", sid), ("export", sid, "-o", "x.csv")):
        result = cli("session", *command, "--min-group", "2")
        assert result.exit_code == 2
        assert "at least 3" in result.stderr


def test_report_shows_unreviewed_personal_data_redacted(cli: Cli, store: ReflectionStore) -> None:
    texts = ["Mail me op anna@voorbeeld.nl", *[f"t{i}" for i in range(7)]]
    sid = closed_session(cli, store, texts=texts)
    out = cli("session", "report", sid).stdout
    assert "anna@voorbeeld.nl" not in out
    assert "Mail me op […]" in out
    assert "await your review" in out


def test_report_without_the_deck_shows_prompt_ids(cli: Cli, store: ReflectionStore) -> None:
    sid = store.create_session(
        deck_id="weg-deck", deck_hash="ab", language="nl", group_size=None, day=TODAY
    ).id
    for i in range(6):
        store.save_submission(sid, [Answer("cijfer", 7), Answer("tekst", f"antwoord {i}")])
    store.seal(sid)
    result = cli("session", "report", sid)
    assert result.exit_code == 0
    assert "not found" in result.stderr
    assert "cijfer" in result.stdout
    assert "antwoord 3" in result.stdout


def test_report_in_dutch(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store)
    out = cli("--lang", "nl", "session", "report", sid).stdout
    assert "verborgen om de anonimiteit te beschermen" in out
    assert "in een nieuwe willekeurige volgorde" in out
    assert "Mediaan: 4" in out
    assert "hoog (4–5)" in out


# --- review ---------------------------------------------------------------------------------


def test_review_redact_all(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, texts=["Bel 0612345678", *[f"t{i}" for i in range(7)]])
    result = cli("session", "review", sid, "--redact-all")
    assert result.exit_code == 0
    assert "Reviewed 1 text: 1 changed, 0 kept as written." in result.stderr
    assert "Bel […]" in {r.value for r in store.reflections(sid)}
    assert "Nothing to review" in cli("session", "review", sid).stderr


def test_review_keep_all(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, texts=["Zie sekswerk.nl", *[f"t{i}" for i in range(7)]])
    assert cli("session", "review", sid, "--keep-all").exit_code == 0
    assert "Zie sekswerk.nl" in cli("session", "report", sid).stdout


def test_review_asks_per_text(cli: Cli, store: ReflectionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Bel 0612345678", "Mail a@b.nl", *[f"t{i}" for i in range(6)]]
    sid = closed_session(cli, store, texts=texts)
    prompter = FakePrompter("redact", "keep")
    use_prompter(monkeypatch, prompter)
    result = cli("session", "review", sid)
    assert result.exit_code == 0, result.stderr
    assert len(prompter.asked) == 2
    assert "incomplete" in result.stdout
    assert "marked: phone number" in result.stdout  # the kind in words, not its internal name
    assert "marked: e-mail address" in result.stdout
    values = {r.value for r in store.reflections(sid)}
    assert len(values & {"Bel […]", "Mail […]"}) == 1
    assert len(values & {"Bel 0612345678", "Mail a@b.nl"}) == 1


def test_review_all_lets_the_facilitator_edit_any_text_and_the_original_is_gone(
    cli: Cli, store: ReflectionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check missed it ("de buurvrouw van nummer zeven"), the facilitator did not: edit it away."""
    secret = "CANARY de buurvrouw van nummer zeven"
    sid = closed_session(cli, store, texts=[secret, *[f"t{i}" for i in range(7)]])
    assert cli("session", "review", sid).stderr.startswith("Nothing to review")  # nothing flagged
    # Every text of the session comes up, in id order: edit the secret one, keep the rest.
    order = [r.value for r in store.reflections(sid) if r.prompt_id == "inzicht"]
    answers: list[Any] = []
    for value in order:
        answers += ["edit", "Een buurvrouw wist ervan."] if value == secret else ["keep"]
    prompter = FakePrompter(*answers)
    use_prompter(monkeypatch, prompter)
    result = cli("session", "review", sid, "--all")
    assert result.exit_code == 0, result.stderr
    assert "Reviewed 1 text: 1 changed, 0 kept as written." in result.stderr
    values = [r.value for r in store.reflections(sid) if r.prompt_id == "inzicht"]
    assert "Een buurvrouw wist ervan." in values
    assert secret not in values
    store.close()
    files = b"".join(p.read_bytes() for p in paths.home().glob("reflections.db*"))
    assert b"CANARY" not in files  # not in the database, its -wal or its -shm
    assert b"t3" in files  # the scan can see text at all


def test_review_show_and_replace_for_scripts(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, texts=["Groet, Marieke de Vries", *[f"t{i}" for i in range(7)]])
    shown = cli("session", "review", sid, "--show")
    assert shown.exit_code == 0, shown.stderr
    line = next(x for x in shown.stdout.splitlines() if "Marieke" in x)
    short = line.split()[0]
    assert len(short) == 8
    assert len([x for x in shown.stdout.splitlines() if x.strip()]) == 8  # every text, flagged or not
    assert store.get_session(sid).review.value == "pending"  # --show changes nothing

    bad = cli("session", "review", sid, "--replace", "abc=x")
    assert bad.exit_code == 2
    assert "at least 6 characters" in bad.stderr
    unknown = cli("session", "review", sid, "--replace", "zzzzzzzz=x")
    assert unknown.exit_code == 2
    assert "no text to review has that id" in unknown.stderr

    done = cli("session", "review", sid, "--replace", f"{short}=Groet, een deelnemer")
    assert done.exit_code == 0, done.stderr
    values = {r.value for r in store.reflections(sid)}
    assert "Groet, een deelnemer" in values
    assert not any("Marieke" in str(v) for v in values)
    assert store.get_session(sid).review.value == "done"  # the only flagged text was replaced
    emptied = cli("session", "review", sid, "--replace", f"{short}=")
    assert emptied.exit_code == 0
    assert "[…]" in {r.value for r in store.reflections(sid)}


def test_review_waits_until_the_session_is_closed(cli: Cli, store: ReflectionStore) -> None:
    """Reviewing right after someone saved would show that person's text on its own."""
    sid = new_session(cli, "--group-size", "8")
    fill(store, sid, texts=["Bel 0612345678", *[f"t{i}" for i in range(7)]])
    for args in ((), ("--keep-all",), ("--redact-all",)):
        result = cli("session", "review", sid, *args)
        assert result.exit_code == 4
        assert "still open" in result.stderr
        assert "0612345678" not in result.stdout + result.stderr
    assert store.get_session(sid).review.value == "pending"


def test_review_never_shows_a_text_no_report_can_show(
    cli: Cli, store: ReflectionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two people answered `volgende-keer`: below any k, so the facilitator must not read it in review either."""
    sid = new_session(cli, "--group-size", "8", "--lang", "nl")
    fill(store, sid, texts=["Bel 0612345678", *[f"t{i}" for i in range(7)]])
    store.save_submission(sid, [Answer("volgende-keer", "Ik ben Anna, mail anna@voorbeeld.nl")])
    store.save_submission(sid, [Answer("volgende-keer", "meer tijd")])
    cli("session", "close", sid)
    prompter = FakePrompter("keep")
    use_prompter(monkeypatch, prompter)
    result = cli("session", "review", sid)
    assert result.exit_code == 0, result.stderr
    assert len(prompter.asked) == 1  # only the text a report can show
    assert "Anna" not in result.stdout + result.stderr
    assert "1 flagged text answers a question fewer than 3 people answered" in " ".join(result.stderr.split())
    values = {r.value for r in store.reflections(sid)}
    assert {"Bel 0612345678", "Ik ben […], mail […]"} <= values  # a name is flagged too
    assert store.get_session(sid).review.value == "done"


def test_review_flags_are_exclusive_and_needed_without_a_terminal(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store, texts=["Bel 0612345678", *[f"t{i}" for i in range(7)]])
    assert cli("session", "review", sid, "--redact-all", "--keep-all").exit_code == 2
    result = cli("session", "review", sid)  # stdin is not a terminal under pytest
    assert result.exit_code == 2
    assert "--redact-all / --keep-all / --replace" in result.stderr
    assert "0612345678" not in result.stdout  # nothing shown before failing


# --- export ---------------------------------------------------------------------------------


def test_export_needs_a_closed_and_reviewed_session(cli: Cli, store: ReflectionStore, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    sid = new_session(cli, "--group-size", "8")
    fill(store, sid, texts=["Bel 0612345678", *[f"t{i}" for i in range(7)]])
    result = cli("session", "export", sid, "-o", str(out))
    assert result.exit_code == 4
    assert "still open" in result.stderr
    cli("session", "close", sid)
    result = cli("session", "export", sid, "-o", str(out))
    assert result.exit_code == 4
    assert "review" in result.stderr
    assert not out.exists()
    cli("session", "review", sid, "--redact-all")
    assert cli("session", "export", sid, "-o", str(out)).exit_code == 0
    assert out.exists()


def test_export_csv_is_private_shuffled_and_formula_safe(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    texts = ["=SUM(A1:A9)", "+31 is geen nummer", "@iedereen", *[f"t{i}" for i in range(27)]]
    sid = closed_session(cli, store, people=30, texts=texts)
    cli("session", "review", sid, "--keep-all")
    out = tmp_path / "export.csv"
    result = cli("session", "export", sid, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 90
    values = {r["value"] for r in rows}
    assert {"'=SUM(A1:A9)", "'+31 is geen nummer", "'@iedereen"} <= values
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())
    stored_order = [r.id for r in store.reflections(sid)]
    assert [r["id"] for r in rows] != stored_order


def test_export_does_not_say_how_many_answers_a_hidden_question_had(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    """Two answers to one question are a group below k: not even their count may be shown."""
    sid = new_session(cli, "--group-size", "8", "--lang", "nl")
    fill(store, sid, people=8)
    store.save_submission(sid, [Answer("volgende-keer", "meer tijd")])
    store.save_submission(sid, [Answer("volgende-keer", "koffie")])
    cli("session", "close", sid)
    result = cli("session", "export", sid, "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 0, result.stderr
    message = " ".join(result.stderr.split())
    assert "Wrote 24 reflections" in message
    assert "1 question was left out" in message
    assert " 2 " not in message


def test_export_to_dev_full_fails_without_a_partial_target(cli: Cli, store: ReflectionStore) -> None:
    sid = closed_session(cli, store)
    result = cli("session", "export", sid, "--format", "json", "-o", "/dev/full")
    assert result.exit_code == 5
    assert Path("/dev/full").is_char_device()


def test_export_of_a_small_declared_group_is_refused(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    sid = new_session(cli, "--group-size", "4")
    fill(store, sid, people=4)
    cli("session", "close", sid)
    result = cli("session", "export", sid, "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 4
    assert not (tmp_path / "x.json").exists()


# --- merge ----------------------------------------------------------------------------------


def _exported(
    cli: Cli, store: ReflectionStore, tmp_path: Path, name: str, *, people: int = 6
) -> tuple[str, Path]:
    sid = closed_session(cli, store, people=people)
    path = tmp_path / name
    assert cli("session", "export", sid, "--format", name.rsplit(".", 1)[1], "-o", str(path)).exit_code == 0
    return sid, path


def test_merge_creates_one_session_and_is_idempotent(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    first, a = _exported(cli, store, tmp_path, "zaal1.json")
    second, b = _exported(cli, store, tmp_path, "zaal2.csv")
    store.purge([first, second])  # as if the exports came from other laptops
    result = cli("session", "merge", str(a), str(b))
    assert result.exit_code == 0, result.stderr
    merged = store.get_session(result.stdout.strip())
    assert (merged.deck_id, merged.group_size, merged.sealed) == (DECK, 12, False)
    assert merged.answers == 36
    again = cli("session", "merge", str(a), str(b))
    assert again.exit_code == 0
    assert "Nothing new" in again.stderr
    assert len(store.list_sessions()) == 1
    assert store.get_session(merged.id).answers == 36


def _laptop_of_five(cli: Cli, store: ReflectionStore, values: list[int]) -> str:
    sid = new_session(cli, "--group-size", "5", "--lang", "nl")
    for value in values:
        store.save_submission(sid, [Answer("veilig", value)])
    assert cli("session", "close", sid).exit_code == 0
    return sid


def test_two_small_rooms_merged_by_transfer_show_what_one_room_would(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    """Two laptops of 5: their exports withhold everything; transfer files merge into counts."""
    first = _laptop_of_five(cli, store, [4, 4, 4, 5, 5])
    second = _laptop_of_five(cli, store, [4, 4, 5, 5, 5])
    exports = [tmp_path / "a.json", tmp_path / "b.json"]
    transfers = [tmp_path / "a.transfer.json", tmp_path / "b.transfer.json"]
    for sid, export, transfer in zip((first, second), exports, transfers, strict=True):
        assert cli("session", "export", sid, "--format", "json", "-o", str(export)).exit_code == 0
        done = cli("session", "export", sid, "--transfer", "-o", str(transfer))
        assert done.exit_code == 0, done.stderr
        assert "not a report" in done.stderr
    store.purge([first, second])  # as if each file came from another laptop

    document = json.loads(transfers[0].read_text(encoding="utf-8"))
    assert document["format"] == "stigmacards-transfer"
    assert "Not a report" in document["notice"]
    assert sorted(r["value"] for r in document["reflections"]) == [4, 4, 4, 5, 5]  # nothing withheld
    assert stat.S_IMODE(transfers[0].stat().st_mode) == 0o600

    def merged_report(files: list[Path]) -> dict[str, Any]:
        merged = cli("session", "merge", *map(str, files))
        assert merged.exit_code == 0, merged.stderr
        sid = merged.stdout.strip()
        assert cli("session", "close", sid).exit_code == 0
        data = json.loads(cli("session", "report", sid, "--format", "json").stdout)
        store.purge([sid])  # the same answers merge again from the other kind of file
        return next(p for p in data["prompts"] if p["id"] == "veilig")

    from_exports = merged_report(exports)
    assert from_exports["withheld"] == 10  # each export withheld its small counts
    from_transfers = merged_report(transfers)
    assert {v["value"]: v["count"] for v in from_transfers["values"]}[4] == 5
    assert {v["value"]: v["count"] for v in from_transfers["values"]}[5] == 5
    assert from_transfers["withheld"] == 0


def test_transfer_goes_to_a_file_only(cli: Cli, store: ReflectionStore) -> None:
    sid = _laptop_of_five(cli, store, [1, 2, 3, 4, 5])
    result = cli("session", "export", sid, "--transfer", "-o", "-")
    assert result.exit_code == 2
    assert "file only" in result.stderr
    assert "reflections" not in result.stdout


def test_merge_into_an_open_session_adds_its_group(cli: Cli, store: ReflectionStore, tmp_path: Path) -> None:
    first, a = _exported(cli, store, tmp_path, "zaal1.json")
    store.purge([first])
    target = new_session(cli, "--group-size", "7", "--lang", "nl")
    result = cli("session", "merge", str(a), "--into", target[:6])
    assert result.exit_code == 0, result.stderr
    info = store.get_session(target)
    assert (info.answers, info.group_size) == (18, 13)
    assert cli("session", "merge", str(a), "--into", target).exit_code == 0
    assert store.get_session(target).group_size == 13


def test_merge_into_a_session_with_its_own_answers_is_refused(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    """A room of 2 merged with another room's export could be read by subtracting that export."""
    other, export = _exported(cli, store, tmp_path, "zaal2.json", people=6)
    store.purge([other])
    small = new_session(cli, "--group-size", "2", "--lang", "nl")
    for text in ("geheim een", "geheim twee"):
        store.save_submission(small, [Answer("veilig", 1), Answer("inzicht", text)])
    result = cli("session", "merge", str(export), "--into", small)
    assert result.exit_code == 4
    assert "typed on this laptop" in " ".join(result.stderr.split())
    info = store.get_session(small)
    assert (info.answers, info.group_size) == (4, 2)
    cli("session", "close", small)
    assert "geheim" not in cli("session", "report", small, "--min-group", "3").stdout


def test_reflect_into_a_merged_session_is_refused(cli: Cli, store: ReflectionStore, tmp_path: Path) -> None:
    first, export = _exported(cli, store, tmp_path, "zaal1.json")
    store.purge([first])
    merged = cli("session", "merge", str(export)).stdout.strip()
    result = cli("reflect", merged, "--yes", "--answer", "veilig=1", "--skip-rest")
    assert result.exit_code == 4
    assert "merged from other laptops" in " ".join(result.stderr.split())
    assert store.get_session(merged).answers == 18


def test_own_export_merges_with_the_others_on_the_same_laptop(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    """The way to combine rooms: close and export every session, merge all the files."""
    own, own_export = _exported(cli, store, tmp_path, "eigen.csv", people=6)
    other, other_export = _exported(cli, store, tmp_path, "zaal2.json", people=6)
    store.purge([other])
    result = cli("session", "merge", str(own_export), str(other_export))
    assert result.exit_code == 0, result.stderr
    merged = store.get_session(result.stdout.strip())
    assert (merged.answers, merged.group_size, merged.imported) == (36, 12, True)
    assert store.get_session(own).answers == 18  # untouched
    assert "Nothing new" in cli("session", "merge", str(own_export), str(other_export)).stderr


def test_merge_refuses_sealed_targets_and_other_decks(
    cli: Cli, store: ReflectionStore, tmp_path: Path
) -> None:
    first, a = _exported(cli, store, tmp_path, "zaal1.json")
    store.purge([first])
    sealed = closed_session(cli, store)
    result = cli("session", "merge", str(a), "--into", sealed)
    assert result.exit_code == 4
    assert "closed" in result.stderr
    other = store.create_session(
        deck_id="ander-deck", deck_hash="ff", language="nl", group_size=None, day=TODAY
    )
    assert cli("session", "merge", str(a), "--into", other.id).exit_code == 4
    document = json.loads(a.read_text())
    document["session"]["deck_hash"] = "0123"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document))
    result = cli("session", "merge", str(a), str(changed))
    assert result.exit_code == 2
    assert "same deck" in result.stderr


def test_merge_refuses_files_that_are_not_exports(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    result = cli("session", "merge", str(bad))
    assert result.exit_code == 2
    assert "not a stigmacards export" in result.stderr
    assert cli("session", "merge", str(tmp_path / "missing.csv")).exit_code == 2


# --- purge ----------------------------------------------------------------------------------


def test_purge_one_session(cli: Cli, store: ReflectionStore) -> None:
    keep, drop = new_session(cli), new_session(cli)
    fill(store, drop)
    result = cli("session", "purge", drop, "--yes")
    assert result.exit_code == 0
    assert "Deleted 1 session and all its reflections" in result.stderr
    assert [s.id for s in store.list_sessions()] == [keep]


def test_purge_older_than_and_all(cli: Cli, store: ReflectionStore) -> None:
    recent = new_session(cli)
    store.create_session(
        deck_id=DECK, deck_hash="x", language="nl", group_size=None, day=TODAY - timedelta(days=40)
    )
    assert cli("session", "purge", "--older-than", "30", "--yes").exit_code == 0
    assert [s.id for s in store.list_sessions()] == [recent]
    assert "Nothing to delete" in cli("session", "purge", "--older-than", "30", "--yes").stderr
    assert cli("session", "purge", "--all", "--yes").exit_code == 0
    assert store.list_sessions() == []


def test_purge_asks_first(cli: Cli, store: ReflectionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = new_session(cli)
    fill(store, sid, people=2)
    prompter = FakePrompter(False)
    use_prompter(monkeypatch, prompter)
    assert "Nothing deleted" in cli("session", "purge", sid).stderr
    # Saying no must not be a way to read an open session's count (before and after one person).
    assert prompter.asked == ["Delete 1 session and all its reflections for good?"]
    assert store.list_sessions() != []
    use_prompter(monkeypatch, FakePrompter(True))
    assert cli("session", "purge", sid).exit_code == 0
    assert store.list_sessions() == []


def test_purge_needs_exactly_one_selector_and_yes_without_a_terminal(cli: Cli) -> None:
    sid = new_session(cli)
    assert cli("session", "purge").exit_code == 2
    assert cli("session", "purge", sid, "--all", "--yes").exit_code == 2
    result = cli("session", "purge", sid)
    assert result.exit_code == 2
    assert "--yes" in result.stderr


# --- help -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["new", "list", "close", "report", "export", "merge", "purge", "review"])
def test_every_session_command_has_help_with_an_example(cli: Cli, command: str) -> None:
    result = cli("session", command, "--help")
    assert result.exit_code == 0
    assert "Example: stigmacards session " + command in result.stdout
