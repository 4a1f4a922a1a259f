"""Hostile and malformed deck files: every loader guard, through the real CLI.

Each file under tests/data/hostile/ trips one guard. The table below records, for each, every
problem `deck validate` must report as (line, column, code), in order. Every case also checks
that both YAML parsers (libyaml and the pure one) report exactly the same problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from stigmacards.deck import events, loading
from stigmacards.deck.loading import analyse_bytes, analyse_text, c_loader_available, load_deck_text
from stigmacards.text import is_inert

from ..conftest import DATA, Result, run_process, run_python

Cli = Callable[..., Result]

HOSTILE = DATA / "hostile"
HEAD = "deck: 1\nid: vijandig\ntitle: Vijandig deck\nlanguage: nl\n"
CARD = """\
cards:
  - id: een
    questions:
      - Wat dacht je eerst?
      - Waar kwam dat vandaan?
      - Wat denk je nu?
"""
LINE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning) (?P<code>SC\d{3}) (?P<msg>.+)$"
)

Expected = tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class Case:
    file: str
    expected: Expected  # every problem (or, with `count`, the first ones), in order
    count: int | None = None  # total number of problems when only the first are listed


# One row a file, alike in shape on purpose: the table is the specification.
CASES = [
    # Billion laughs: the first anchor, the second, its first alias ... 9 anchors + 72 aliases.
    Case("alias-bomb.yaml", ((6, 4, "SC005"), (7, 4, "SC005"), (7, 8, "SC005")), count=81),
    Case("anchor-alias.yaml", ((9, 9, "SC005"), (14, 9, "SC005"))),
    Case("merge-key.yaml", ((7, 5, "SC005"), (14, 5, "SC006"), (14, 9, "SC005"))),
    Case("python-object-apply.yaml", ((12, 12, "SC007"),)),
    Case("python-name.yaml", ((4, 8, "SC007"),)),
    Case("custom-tag.yaml", ((11, 9, "SC007"),)),
    Case("binary-tag.yaml", ((4, 8, "SC007"),)),
    Case("set-tag.yaml", ((8, 11, "SC007"),)),
    Case("depth-33-block.yaml", ((44, 65, "SC008"),)),
    Case("depth-33-flow.yaml", ((12, 40, "SC008"),)),
    Case("invalid-utf8.yaml", ((4, 11, "SC002"),)),
    Case("utf16.yaml", ((1, 1, "SC002"),)),
    Case("nul-byte.yaml", ((11, 20, "SC003"),)),
    Case("control-character.yaml", ((4, 16, "SC003"),)),
    Case("line-separator.yaml", ((9, 18, "SC003"),)),
    Case("mid-file-bom.yaml", ((7, 5, "SC003"),)),
    Case("bom.yaml", ()),
    Case("crlf.yaml", ()),
    Case("duplicate-key-top.yaml", ((6, 1, "SC009"),)),
    Case("duplicate-key-card.yaml", ((9, 5, "SC009"),)),
    Case("duplicate-key-translation.yaml", ((17, 7, "SC009"),)),
    Case("duplicate-card-id.yaml", ((17, 9, "SC106"),)),
    Case("two-documents.yaml", ((12, 1, "SC004"),)),
    Case("unknown-directive.yaml", ((2, 5, "SC004"),)),
    Case("empty.yaml", ((1, 1, "SC100"),)),
    Case("list.yaml", ((2, 1, "SC100"),)),
    Case("scalar.yaml", ((2, 1, "SC100"),)),
    Case("tabs.yaml", ((8, 1, "SC004"),)),
    Case("unterminated-quote.yaml", ((4, 8, "SC004"),)),
    Case("bad-escape.yaml", ((11, 27, "SC004"),)),
    Case("empty-key.yaml", ((6, 1, "SC004"),)),
    Case("complex-key.yaml", ((6, 3, "SC104"),)),
    Case("flow-question-mark.yaml", ((8, 13, "SC010"),)),
    Case("flow-question-mark-item.yaml", ((8, 13, "SC010"),)),
    Case("unknown-key-crads.yaml", ((2, 1, "SC102"), (6, 1, "SC101"))),
    Case("wrong-question-count.yaml", ((9, 7, "SC103"),)),
    Case("question-number.yaml", ((11, 9, "SC104"),)),
    Case("title-mapping.yaml", ((5, 3, "SC104"),)),
    Case("bad-id.yaml", ((7, 9, "SC105"),)),
    Case("bad-language.yaml", ((5, 11, "SC105"),)),
    Case("levels.yaml", ((8, 12, "SC105"), (14, 12, "SC105"), (20, 12, "SC104"))),
    Case("huge-int.yaml", ((8, 12, "SC104"),)),
    Case("unknown-card-in-translation.yaml", ((15, 7, "SC107"),)),
    Case("translation-two-questions.yaml", ((17, 11, "SC103"),)),
    Case("reflection-unknown-kind.yaml", ((7, 24, "SC105"),)),
    Case("choice-without-options.yaml", ((7, 5, "SC102"),)),
    Case("scale-min-max.yaml", ((7, 78, "SC105"),)),
    Case("deck-version-2.yaml", ((2, 7, "SC108"),)),
    # Written as a trainer's QA (tests/deck/test_qa_trainer.py): files nobody here had tried.
    Case("mapping-as-key.yaml", ((6, 1, "SC104"),)),
    Case("explicit-list-key.yaml", ((6, 3, "SC104"),)),
    Case("depth-33-translation.yaml", ((44, 65, "SC008"),)),
    Case("anchor-in-translation.yaml", ((15, 12, "SC005"), (18, 12, "SC005"))),
    Case("int-tag-level.yaml", ()),
    Case("bidi-override-escape.yaml", ()),
    Case("escape-sequence-escape.yaml", ()),
    Case("three-empty-questions.yaml", ((8, 17, "SC105"), (8, 21, "SC105"), (8, 25, "SC105"))),
    Case("title-null.yaml", ((4, 8, "SC104"),)),
    Case("cards-empty-mapping.yaml", ((6, 8, "SC104"),)),
    Case("deck-version-string.yaml", ((2, 7, "SC104"),)),
    Case("deck-version-float.yaml", ((2, 7, "SC104"),)),
    Case("id-leading-dash.yaml", ((3, 5, "SC105"),)),
    Case("private-use-language.yaml", ((5, 11, "SC105"),)),
    Case("tabs-in-flow.yaml", ()),
    Case("cards-as-strings.yaml", ((7, 5, "SC104"), (8, 5, "SC104"))),
    Case("questions-numbered-mapping.yaml", ((9, 7, "SC104"),)),
    Case("key-without-space.yaml", ((6, 1, "SC004"),)),
    Case("surrogate-escape.yaml", ((4, 11, "SC004"),)),
    Case("translation-own-language.yaml", ((13, 3, "SC105"),)),
    Case("text-after-quote.yaml", ((11, 15, "SC004"),)),
    Case("windows-1252.yaml", ((4, 11, "SC002"),)),
]
BY_FILE = {case.file: case for case in CASES}


def _parse_report(stdout: str, path: Path) -> list[tuple[int, int, str]]:
    """The (line, column, code) of every report line; each must be one well-formed line."""
    found = []
    for line in stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not a problem line: {line!r}"
        assert match["path"] == str(path)
        assert is_inert(line)
        found.append((int(match["line"]), int(match["col"]), match["code"]))
    return found


def _assert_expected(found: list[tuple[int, int, str]], case: Case) -> None:
    if case.count is None:
        assert found == list(case.expected)
    else:
        assert found[: len(case.expected)] == list(case.expected)
        assert len(found) == case.count
        assert {code for _, _, code in found} == {case.expected[0][2]}


def test_the_corpus_is_complete() -> None:
    """Every file in the corpus has its expectation, and there are at least 30 guards."""
    on_disk = {p.name for p in HOSTILE.glob("*.yaml")}
    assert on_disk == set(BY_FILE)
    assert len([c for c in CASES if c.expected]) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_validate_reports_each_problem_at_its_position(cli: Cli, case: Case) -> None:
    """`deck validate FILE` exits 1 with one line per problem at the exact line:column."""
    path = HOSTILE / case.file
    result = cli("deck", "validate", str(path))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == (1 if case.expected else 0), result.stdout + result.stderr
    _assert_expected(_parse_report(result.stdout, path), case)
    assert len(result.stderr.strip().splitlines()) == 1  # the summary line


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_both_parsers_report_the_same(case: Case) -> None:
    """libyaml and the pure parser agree on every problem and on the deck."""
    if not c_loader_available():
        pytest.skip("libyaml is not installed")
    data = (HOSTILE / case.file).read_bytes()
    fast = analyse_bytes(data, case.file, pure=False)
    pure = analyse_bytes(data, case.file, pure=True)
    assert fast.problems == pure.problems
    assert fast.deck == pure.deck
    if fast.deck is not None:
        assert fast.positions == pure.positions
        assert fast.key_positions == pure.key_positions
    assert [(p.line, p.column, p.code) for p in pure.problems][: len(case.expected)] == list(case.expected)


@pytest.mark.parametrize("name", ["bom.yaml", "crlf.yaml"])
def test_bom_and_crlf_files_load(name: str) -> None:
    analysis = analyse_bytes((HOSTILE / name).read_bytes(), name)
    assert analysis.deck is not None
    assert analysis.deck.cards[0].questions[2] == "Wat denk je nu?"  # no stray \r


def test_messages_explain_the_guard(cli: Cli) -> None:
    """A few messages, word for word: what was found and what to do."""
    out = cli("deck", "validate", str(HOSTILE / "unknown-key-crads.yaml")).stdout
    assert "unknown key 'crads' (did you mean 'cards'?)" in out
    out = cli("deck", "validate", str(HOSTILE / "python-object-apply.yaml")).stdout
    assert "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in out
    out = cli("deck", "validate", str(HOSTILE / "tabs.yaml")).stdout
    assert "indent with spaces" in out
    out = cli("deck", "validate", str(HOSTILE / "utf16.yaml")).stdout
    assert "file is UTF-16, not UTF-8 (save the file as UTF-8)" in out
    out = cli("deck", "validate", str(HOSTILE / "duplicate-key-top.yaml")).stdout
    assert "duplicate key 'title' (first defined at line 4)" in out


# --- Generated at test time: too big to commit -------------------------------------------------


def test_file_over_16_mib_is_refused_before_reading(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write((HEAD + "x-pad: ").encode())
        handle.truncate(loading.MAX_BYTES + 1)  # sparse: costs no disk
    result = cli("deck", "validate", str(path))
    assert result.exit_code == 1
    assert _parse_report(result.stdout, path) == [(0, 0, "SC001")]
    assert "16,777,217 bytes; decks may be at most 16 MiB" in result.stdout


def test_decode_refuses_oversize_bytes() -> None:
    analysis = analyse_bytes(b"a" * (loading.MAX_BYTES + 1), "big.yaml")
    assert [(p.line, p.column, p.code) for p in analysis.problems] == [(0, 0, "SC001")]


def test_a_flood_of_brackets_stops_at_depth_33(cli: Cli, tmp_path: Path) -> None:
    """100,000 '[' stop at the 33rd level, in-process, under both parsers."""
    text = HEAD + "x-flood: " + "[" * 100_000 + "\n"
    path = tmp_path / "flood.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("deck", "validate", str(path))
    assert result.exit_code == 1
    assert _parse_report(result.stdout, path) == [(5, 41, "SC008")]
    assert analyse_text(text, pure=True).problems == analyse_text(text, pure=False).problems


def test_exactly_32_levels_are_allowed() -> None:
    text = HEAD + CARD + "x-deep: " + "[" * 31 + "]" * 31 + "\n"
    assert analyse_text(text).problems == []
    deeper = HEAD + CARD + "x-deep: " + "[" * 32 + "]" * 32 + "\n"
    assert [p.code for p in analyse_text(deeper).problems] == ["SC008"]


def test_a_huge_line_is_quoted_clipped(cli: Cli, tmp_path: Path) -> None:
    """A megabyte-long id is reported on one short line, its value cut at 60 characters."""
    path = tmp_path / "long.yaml"
    path.write_text(HEAD + CARD.replace("id: een", "id: " + "A" * 1_000_000), encoding="utf-8")
    result = cli("deck", "validate", str(path))
    assert result.exit_code == 1
    assert _parse_report(result.stdout, path) == [(6, 9, "SC105")]
    assert "'" + "A" * 59 + "…'" in result.stdout
    assert len(result.stdout) < 300


def test_problem_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of endless aliases stops after MAX_PROBLEMS, with a final line saying so."""
    monkeypatch.setattr(events, "MAX_PROBLEMS", 10)
    text = HEAD + "x-a: [" + ", ".join(["*a"] * 50) + "]\n"
    codes = [p.code for p in analyse_text(text).problems]
    assert codes == ["SC005"] * 10 + ["SC012"]


def test_value_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "MAX_VALUES", 1000)
    text = HEAD + "x-many: [" + ",".join(["0"] * 2000) + "]\n"
    for pure in (False, True):
        problems = analyse_text(text, pure=pure).problems
        assert [(p.line, p.code) for p in problems] == [(5, "SC001")]


# --- In a real process: no crash, no traceback -----------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("alias-bomb.yaml", (6, 4, "SC005")),
        ("python-object-apply.yaml", (12, 12, "SC007")),
        ("nul-byte.yaml", (11, 20, "SC003")),
        ("depth-33-flow.yaml", (12, 40, "SC008")),
    ],
)
def test_in_a_real_process(name: str, first: tuple[int, int, str]) -> None:
    path = HOSTILE / name
    proc = run_process("deck", "validate", str(path))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert _parse_report(proc.stdout, path)[0] == first


@pytest.mark.slow
@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_bracket_flood_does_not_crash_either_parser(tmp_path: Path, pure: bool) -> None:
    """The C parser on 100,000 '[': no segfault, no RecursionError, one SC008 line."""
    path = tmp_path / "flood.yaml"
    path.write_text("[" * 100_000, encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from stigmacards.deck.loading import analyse_file; "
        f"a = analyse_file(Path(sys.argv[1]), pure={pure}); "
        "print(*[p.format() for p in a.problems], sep='\\n')"
    )
    proc = run_python(code, str(path))
    assert proc.returncode == 0, proc.stderr  # a segfault would be -11
    assert proc.stdout.strip() == f"{path}:1:33: error SC008 nesting deeper than 32 levels"


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_show_never_prints_a_traceback(cli: Cli, case: Case) -> None:
    """`deck show FILE` names the first problem on one line (or shows the deck when valid)."""
    result = cli("deck", "show", str(HOSTILE / case.file))
    assert "Traceback" not in result.stdout + result.stderr
    if not case.expected:
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    line_no, col, code = case.expected[0]
    assert line.startswith(f"stigmacards: {HOSTILE / case.file}:{line_no}:{col}: error {code} ")
    assert is_inert(line)


def test_the_loader_reads_events_and_never_composes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No node tree, no constructor: libyaml's recursive composition is never used."""

    def forbidden(*args: object, **kwargs: object) -> object:
        raise AssertionError("the loader must read events, not nodes or objects")

    for name in ("compose", "compose_all", "load", "load_all", "safe_load", "safe_load_all", "full_load"):
        monkeypatch.setattr(yaml, name, forbidden)
    analysis = analyse_text(HEAD + CARD + "x-deep: " + "[" * 31 + "]" * 31 + "\n")
    assert analysis.problems == []
    assert analysis.deck is not None


def test_yaml_11_booleans_as_keys_keep_their_text() -> None:
    """`no:` under translations is Norwegian, not False; `on:` at the top is an unknown key 'on'."""
    text = HEAD + CARD + "translations:\n  no:\n    title: Fiendtlig kortstokk\n"
    deck = load_deck_text(text)
    assert deck.translations["no"].title == "Fiendtlig kortstokk"
    problems = analyse_text(HEAD + CARD + "on: 1\n").problems
    assert [(p.code, "'on'" in p.message) for p in problems] == [("SC101", True)]
