"""Export files: formula-safe CSV, round trips for merge, strict reading, atomic writing."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stigmacards.errors import OutputError, UsageError
from stigmacards.files import write_atomic
from stigmacards.reflections.anonymity import ProtectedRow
from stigmacards.reflections.exchange import (
    CSV_COLUMNS,
    ExportFormat,
    ExportHeader,
    export_bytes,
    parse_export,
)
from stigmacards.text import formula_guard, formula_unguard

from ..conftest import run_python

HEADER = ExportHeader("stigma-sekswerk", "8f50429c85bb3a4e", "nl", "2026-11-20", 12)
ROWS = [
    ProtectedRow("a" * 32, "veilig", None, 4),
    ProtectedRow("b" * 32, "rol", "woorden", None),
    ProtectedRow("c" * 32, "inzicht", None, '=HYPERLINK("http://x")'),
    ProtectedRow("d" * 32, "inzicht", None, "-1 is ook een mening"),
    ProtectedRow("e" * 32, "inzicht", None, "@iedereen\nmet een nieuwe regel"),
    ProtectedRow("f" * 32, "veilig", None, -2),
]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_be_formulas_get_an_apostrophe(start: str) -> None:
    assert formula_guard(start + "1+1") == "'" + start + "1+1"
    assert formula_unguard(formula_guard(start + "1+1")) == start + "1+1"


def test_harmless_cells_are_left_alone() -> None:
    assert formula_guard("Meer tijd, graag") == "Meer tijd, graag"
    assert formula_guard("") == ""


@given(st.text(max_size=20))
def test_csv_escaping_round_trips(text: str) -> None:
    cell = formula_guard(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert formula_unguard(cell) == text


def test_csv_export_escapes_every_dangerous_cell() -> None:
    data = export_bytes(HEADER, ROWS, ExportFormat.csv, k=5)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheet programs
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    values = {row[0]: (row[8], row[9]) for row in rows[1:]}
    assert values["c" * 32] == ("text", '\'=HYPERLINK("http://x")')
    assert values["b" * 32] == ("withheld", "")
    assert values["f" * 32] == ("number", "'-2")


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_exports_read_back_exactly(fmt: ExportFormat) -> None:
    parsed = parse_export(export_bytes(HEADER, ROWS, fmt, k=5), name="x")
    assert parsed.header == HEADER
    assert [(r.id, r.prompt_id, r.card_id, r.value) for r in parsed.rows] == [
        (r.id, r.prompt_id, r.card_id, r.value) for r in ROWS
    ]


def test_json_export_names_no_session_and_no_time() -> None:
    document = json.loads(export_bytes(HEADER, ROWS, ExportFormat.json, k=5))
    assert set(document) == {"format", "version", "min_group", "session", "reflections"}
    assert set(document["session"]) == {"deck_id", "deck_hash", "language", "day", "group_size"}
    assert set(document["reflections"][0]) == {"id", "prompt_id", "card_id", "value"}


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="other"), "not a stigmacards export"),
        (lambda d: d["reflections"][0].update(id="1"), "bad id"),
        (lambda d: d["reflections"][0].update(value=True), "bad value"),
        (lambda d: d["reflections"][0].update(value=1.5), "bad value"),
        (lambda d: d["reflections"][0].update(value="x\udc80y"), "bad value"),  # JSON: "x\\udc80y"
        (lambda d: d["reflections"][0].update(prompt_id="../x"), "bad prompt id"),
        (lambda d: d["session"].update(day="gisteren"), "bad day"),
        (lambda d: d["session"].update(group_size=0), "bad group size"),
        (lambda d: d["reflections"].append("x"), "not an object"),
    ],
)
def test_bad_json_exports_are_refused_with_the_reason(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(export_bytes(HEADER, ROWS, ExportFormat.json, k=5))
    mutate(document)
    with pytest.raises(UsageError, match=message):
        parse_export(json.dumps(document).encode(), name="x.json")


def test_bad_csv_exports_are_refused() -> None:
    with pytest.raises(UsageError, match="not a stigmacards export"):
        parse_export(b"a,b\n1,2\n", name="x.csv")
    good = export_bytes(HEADER, ROWS, ExportFormat.csv, k=5).decode("utf-8-sig")
    with pytest.raises(UsageError, match="line 2"):
        parse_export(good.replace(",number,", ",number?,", 1).encode(), name="x.csv")
    with pytest.raises(UsageError, match="no reflections"):
        parse_export(good.splitlines()[0].encode(), name="x.csv")
    with pytest.raises(UsageError, match="UTF-8"):
        parse_export(b"\xff\xfe\x00", name="x.csv")


# --- atomic writing -----------------------------------------------------------------------


def test_write_atomic_replaces_the_target_with_a_private_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o644)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_atomic_refuses_devices_and_leaves_them_alone() -> None:
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(Path("/dev/full"), b"data")
    assert Path("/dev/full").is_char_device()


def test_write_atomic_into_a_missing_directory_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(tmp_path / "nope" / "out.json", b"{}")


EFBIG_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from stigmacards.errors import OutputError
    from stigmacards.files import write_atomic

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
    try:
        write_atomic(Path(sys.argv[1]), b"x" * 100_000)
        print("WROTE")
    except OutputError as exc:
        print("FAILED", exc)
    """
)


def test_write_failure_halfway_leaves_the_old_target_and_no_temp_file(tmp_path: Path) -> None:
    """A write that fails after 4 KiB (file-size limit, like a full disk)."""
    target = tmp_path / "export.csv"
    target.write_bytes(b"the previous export")
    result = run_python(EFBIG_CHILD, str(target))
    assert result.stdout.startswith("FAILED cannot write"), result.stdout + result.stderr
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


@given(
    st.lists(
        st.one_of(
            # No NUL: the store never keeps one (a merge refuses it as a sign of a crafted file).
            st.text(
                st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
            ).filter(str.strip),
            st.integers(-99, 99),
            st.none(),
        ),
        max_size=8,
    )
)
def test_csv_export_reads_back_any_value(values: list[str | int | None]) -> None:
    rows = [
        ProtectedRow(f"{i:032x}", "inzicht", "woorden" if i % 2 else None, v) for i, v in enumerate(values)
    ]
    data = export_bytes(HEADER, rows, ExportFormat.csv, k=5)
    parsed = parse_export(data, name="x.csv") if rows else None
    if parsed is not None:
        assert [(r.id, r.card_id, r.value) for r in parsed.rows] == [(r.id, r.card_id, r.value) for r in rows]
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(table) == len(rows) + 1  # one record per row, whatever the text holds


def test_csv_export_matches_the_csv_module() -> None:
    rows = [*ROWS, ProtectedRow("9" * 32, "inzicht", None, 'met "aanhalingstekens", komma\r\nen regels')]
    data = export_bytes(HEADER, rows, ExportFormat.csv, k=5).decode("utf-8-sig")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        kind = "withheld" if r.value is None else "number" if isinstance(r.value, int) else "text"
        value = "" if r.value is None else formula_guard(str(r.value))
        writer.writerow(
            [
                r.id,
                *(
                    formula_guard(c)
                    for c in ("stigma-sekswerk", "8f50429c85bb3a4e", "nl", "2026-11-20", "12")
                ),
                r.prompt_id,
                r.card_id or "",
                kind,
                value,
            ]
        )
    assert data == buffer.getvalue()
