"""Threat: someone hands the facilitator a crafted export to merge (see docs/threat-model.md, T5).

Every bad file gets one line naming the file and the row or position, and the usage exit code:
never a traceback, never a half-imported session.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stigmacards.errors import UsageError
from stigmacards.reflections.anonymity import ProtectedRow
from stigmacards.reflections.exchange import (
    CSV_COLUMNS,
    ExportFormat,
    ExportHeader,
    export_bytes,
    parse_export,
)
from tests.conftest import Cli
from tests.fuzzing import fuzz

HEADER = ExportHeader("stigma-sekswerk", "abc123", "nl", "2026-11-20", 6)
ROWS = [ProtectedRow(f"{i:032x}", "veilig", None, i % 5 + 1) for i in range(6)] + [
    ProtectedRow(f"{i + 6:032x}", "inzicht", None, f"tekst {i}") for i in range(6)
]


def _csv(*lines: str) -> bytes:
    return ("\r\n".join([",".join(CSV_COLUMNS), *lines]) + "\r\n").encode()


LINE = "{id},stigma-sekswerk,abc123,nl,2026-11-20,{size},veilig,,{kind},{value}"


def test_a_json_integer_with_5000_digits_is_a_clear_usage_error() -> None:
    document = json.loads(export_bytes(HEADER, ROWS, ExportFormat.json, k=5))
    text = json.dumps(document).replace('"group_size": 6', '"group_size": ' + "9" * 5000)
    with pytest.raises(UsageError, match=r"x\.json: a number has too many digits"):
        parse_export(text.encode(), name="x.json")


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(UsageError, match=r"^x\.json:2:\d+: not valid JSON"):
        parse_export(b'{"format": "stigmacards-reflections",\n "version": 1,,}', name="x.json")


@pytest.mark.parametrize("size", ["²", "１２", "1_0", " 7", "9" * 5000])
def test_a_csv_group_size_that_is_not_ascii_digits_is_refused(size: str) -> None:
    data = _csv(LINE.format(id="0" * 32, size=size, kind="number", value="3"))
    with pytest.raises(UsageError, match=r"^x\.csv: line 2: bad group size"):
        parse_export(data, name="x.csv")


@pytest.mark.parametrize("value", ["²", "３", "1_000", " 4", "9" * 5000])
def test_a_csv_number_that_is_not_ascii_digits_is_refused(value: str) -> None:
    data = _csv(LINE.format(id="0" * 32, size="6", kind="number", value=value))
    with pytest.raises(UsageError, match=r"^x\.csv: line 2: not a number"):
        parse_export(data, name="x.csv")


def test_a_nul_inside_csv_text_is_refused_with_its_line() -> None:
    data = _csv(
        LINE.format(id="0" * 32, size="6", kind="text", value="goed"),
        LINE.format(id="1" * 32, size="6", kind="text", value="ver\x00borgen"),
    )
    with pytest.raises(UsageError, match=r"^x\.csv: line 3: a NUL character"):
        parse_export(data, name="x.csv")


def test_a_nul_inside_json_text_is_refused() -> None:
    document = json.loads(export_bytes(HEADER, ROWS, ExportFormat.json, k=5))
    document["reflections"][0]["value"] = "ver\x00borgen"
    with pytest.raises(UsageError, match=r"reflection 1: bad value"):
        parse_export(json.dumps(document).encode(), name="x.json")


def test_the_merge_command_gives_exit_2_and_one_line(cli: Cli, tmp_path: object) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "bad.csv"
    bad.write_bytes(_csv(LINE.format(id="0" * 32, size="²", kind="number", value="3")))
    result = cli("session", "merge", str(bad))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "line 2" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _mutations() -> st.SearchStrategy[bytes]:
    good = [export_bytes(HEADER, ROWS, fmt, k=5) for fmt in ExportFormat]
    return st.tuples(
        st.sampled_from(good),
        st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 40), st.binary(max_size=12)), max_size=6),
    ).map(_apply)


def _apply(spec: tuple[bytes, list[tuple[int, int, bytes]]]) -> bytes:
    data, edits = spec
    for offset, cut, insert in edits:
        at = offset % (len(data) + 1)
        data = data[:at] + insert + data[at + cut :]
    return data


def _refusal(data: bytes) -> str | None:
    """None when the file parses into clean rows, else the one-line message it was refused with."""
    try:
        parsed = parse_export(data, name="f.x")
    except UsageError as error:
        return str(error)
    assert all("\x00" not in str(row.value) for row in parsed.rows)
    return None


@fuzz(200)
@given(_mutations())
def test_mutated_exports_are_read_or_refused_cleanly(data: bytes) -> None:
    """Fuzz: a corrupted export either parses into valid rows or raises UsageError naming the file."""
    message = _refusal(data)
    assert message is None or (message.startswith("f.x") and "\n" not in message.strip()), message


@fuzz(200)
@given(st.text(max_size=300))
def test_arbitrary_text_is_read_or_refused_cleanly(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    for data in (raw, ",".join(CSV_COLUMNS).encode() + b"\r\n" + raw):
        message = _refusal(data)
        assert message is None or message.startswith("f.x"), message
