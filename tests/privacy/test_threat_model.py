"""docs/threat-model.md names the test for each promise: every one it names must exist."""

from __future__ import annotations

import re

from tests.conftest import ROOT

DOC = ROOT / "docs" / "threat-model.md"
REFERENCE = re.compile(r"`((?:tests/[\w/]+/)?test_\w+\.py)?(?:::(test_\w+))?`")


def test_every_test_the_threat_model_names_exists() -> None:
    current = None
    checked = 0
    for path, name in REFERENCE.findall(DOC.read_text(encoding="utf-8")):
        if path:
            current = ROOT / path if "/" in path else ROOT / "tests" / "privacy" / path
            assert current.is_file(), path
        if name:
            assert current is not None
            assert f"def {name}(" in current.read_text(encoding="utf-8"), f"{current.name}::{name}"
            checked += 1
    assert checked >= 10
