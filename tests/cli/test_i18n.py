"""Every interface message has a Dutch translation, and the compiled catalogues are current."""

from __future__ import annotations

import ast
import gettext
import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from stigmacards import i18n
from tools.i18n_build import compile_po

from ..conftest import Cli

PACKAGE = Path(i18n.__file__).parent
MARKERS = {"_", "N_", "ngettext"}


def _messages_in_code() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found[node.args[0].value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def _dutch_catalogue() -> dict[str, str]:
    translations: dict[str, str] = {}
    for po in sorted((i18n.LOCALE_DIR / "nl" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str) and isinstance(message.string, str):
                    translations[message.id] = message.string
                elif message.id and all(message.string):  # a plural: keyed by its singular
                    translations[message.id[0]] = message.string[0]
    return translations


def test_code_has_messages_to_check() -> None:
    """The scan finds the interface text (so the next test cannot pass vacuously)."""
    assert len(_messages_in_code()) >= 10


def test_every_message_has_a_dutch_translation() -> None:
    dutch = _dutch_catalogue()
    missing = {msg: where for msg, where in _messages_in_code().items() if not dutch.get(msg)}
    assert not missing, f"messages without Dutch translation: {missing}"


@pytest.mark.parametrize("po", sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")), ids=lambda p: p.name)
def test_compiled_catalogue_is_current(po: Path) -> None:
    """The shipped .mo matches its .po (run `make i18n` after editing a .po)."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run make i18n"
    shipped = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    fresh = gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    catalogs = [{k: v for k, v in t._catalog.items() if k} for t in (shipped, fresh)]  # type: ignore[attr-defined]
    assert catalogs[0] == catalogs[1], f"{mo} is stale: run make i18n"


def test_language_choice_order() -> None:
    env = {"STIGMACARDS_LANG": "nl", "LANG": "en_US.UTF-8"}
    assert i18n.choose_language("en", env) == "en"
    assert i18n.choose_language(None, env) == "nl"
    assert i18n.choose_language(None, {"LC_ALL": "nl_NL.UTF-8", "LANG": "en_GB.UTF-8"}) == "nl"
    assert i18n.choose_language(None, {"LANG": "nl_BE.UTF-8"}) == "nl"
    assert i18n.choose_language(None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert i18n.choose_language(None, {}) == "en"


def test_dutch_interface_is_used(cli: Cli) -> None:
    result = cli("--lang", "nl", "deck", "show", "stigma-sekswerk", "--card", "nope")
    assert result.exit_code == 2
    assert "heeft geen kaart" in result.stderr
