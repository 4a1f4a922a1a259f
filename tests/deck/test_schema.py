"""The JSON Schema: draft-07, shipped equal to the generated one, and in agreement with the loader.

The decks are checked with the independent `jsonschema` library, not with the model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stigmacards.deck._yamlcompat import PureEventLoader
from stigmacards.deck.loading import analyse_text
from stigmacards.deck.model import localize
from stigmacards.deck.schema import DRAFT_07, deck_schema, schema_text

from ..conftest import DECKS
from .test_loading import FULL

SHIPPED = DECKS / "deck.schema.json"


def as_json(value: Any) -> Any:
    """YAML data as JSON sees it: mapping keys (scale labels) become strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


class PureSafeLoader(
    PureEventLoader, yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
):
    """yaml.SafeLoader with the loader's fixed pure scanner (for machines without libyaml)."""

    def __init__(self, stream: Any) -> None:
        PureEventLoader.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def yaml_data(text: str) -> Any:
    """Plain YAML loading, independent of the deck loader (libyaml; the pure parser trips over
    `je?,` in flow mappings, which is why the deck loader carries a fixed one)."""
    loader = getattr(yaml, "CSafeLoader", None) or PureSafeLoader
    return yaml.load(text, Loader=loader)


def schema_errors(validator: jsonschema.Draft7Validator, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(as_json(yaml_data(text)))]


def test_shipped_schema_equals_the_generated_one() -> None:
    """Regenerate with `stigmacards deck schema -o decks/deck.schema.json` after a model change."""
    assert SHIPPED.read_text(encoding="utf-8") == schema_text()


def test_schema_is_draft_07_with_identity() -> None:
    schema = deck_schema()
    assert schema["$schema"] == DRAFT_07 == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"].startswith("https://")
    assert schema["title"]
    assert schema["description"]
    assert "definitions" in schema
    text = json.dumps(schema)
    assert "$defs" not in text
    assert '"discriminator"' not in text  # an OpenAPI keyword, not draft-07


def _objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_objects(value))
    return found


def test_every_closed_object_allows_x_keys_and_every_object_is_closed() -> None:
    objects = _objects(deck_schema())
    assert len(objects) >= 10
    for obj in objects:
        assert obj.get("additionalProperties") is not None, obj
        if obj["additionalProperties"] is False and "properties" in obj:
            assert obj["patternProperties"]["^x-"] == {}, obj


def test_bundled_decks_match_the_schema(validator: jsonschema.Draft7Validator) -> None:
    paths = sorted(DECKS.glob("*.yaml"))
    assert len(paths) >= 2
    for path in paths:
        assert schema_errors(validator, path.read_text(encoding="utf-8")) == [], path


def test_documented_example_matches_the_schema(validator: jsonschema.Draft7Validator) -> None:
    """The full example of the format (with an x- key, labels keyed by numbers) is valid."""
    assert "x-editor" in FULL
    assert schema_errors(validator, FULL) == []


INVALID = {
    "unknown key": ("\ncards:", "\ncrads:"),
    "two questions": ("      - Welke doen pijn?\n", ""),
    "four questions": ("      - Welke doen pijn?\n", "      - Welke doen pijn?\n      - En nu?\n"),
    "bad deck id": ("id: stigma-sekswerk", "id: Stigma_Sekswerk"),
    "bad card id": ("id: woorden", "id: woorden-"),
    "level 4": ("level: 1", "level: 4"),
    "level as text": ("level: 1", "level: een"),
    "format 2": ("deck: 1", "deck: 2"),
    "unknown prompt kind": ("kind: text", "kind: tekst"),
    "label key not a number": ("labels: {1: Niet, 5: Heel}", "labels: {een: Niet, 5: Heel}"),
    "empty question": ("      - Welke doen pijn?", '      - "   "'),
    "question as number": ("      - Welke doen pijn?", "      - 42"),
    "bad translation language": ("  en:\n", "  english:\n"),
    "unknown key in a card": ("    level: 1\n", "    levle: 1\n"),
    "missing title": ("title: Sekswerk en stigma\n", ""),
    "one option": ("options: [Sekswerker, Hulpverlener]", "options: [Sekswerker]"),
}


@pytest.mark.parametrize(("old", "new"), list(INVALID.values()), ids=list(INVALID))
def test_invalid_decks_fail_the_schema_and_the_loader(
    validator: jsonschema.Draft7Validator, old: str, new: str
) -> None:
    text = FULL.replace(old, new, 1)
    assert text != FULL
    assert schema_errors(validator, text), "the schema accepted it"
    assert analyse_text(text, "d.yaml").errors, "the loader accepted it"


# (old, new) edits of FULL, one row a case like INVALID above: the table is the test.
VALID_VARIANTS = {
    "x- key at the top": ("\ncards:", "\nx-source: workshop 2024\ncards:"),
    "x- key in a card": ("    level: 1\n", "    level: 1\n    x-reviewed: true\n"),
    "x- key in a prompt": ("kind: text,", "kind: text, x-note: a,"),
    "x- key in a translation": ("    title: Sex work", "    x-by: someone\n    title: Sex work"),
    "regional language tag": ("  en:\n", "  en-GB:\n"),
    "empty optional title": ("    title: Eerste indruk", "    title:"),
}


@pytest.mark.parametrize(("old", "new"), list(VALID_VARIANTS.values()), ids=list(VALID_VARIANTS))
def test_valid_variants_pass_both(validator: jsonschema.Draft7Validator, old: str, new: str) -> None:
    text = FULL.replace(old, new, 1)
    assert text != FULL
    assert schema_errors(validator, text) == []
    assert analyse_text(text, "d.yaml").errors == []


_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b"


@given(st.text(alphabet=st.sampled_from(_SPACES + "a."), max_size=6))
def test_schema_and_model_agree_on_blank_text(title: str) -> None:
    """'Not blank' means the same to the model (Python) and the schema (its regular expression)."""
    from stigmacards.deck.validation import structure_errors, validate

    schema = deck_schema()
    data = {
        "deck": 1,
        "id": "x",
        "title": title,
        "language": "nl",
        "cards": [{"id": "a", "questions": ["a", "b", "c"]}],
    }
    by_schema = jsonschema.Draft7Validator(schema).is_valid(data)
    by_model = validate(data)[0] is not None
    # msgspec's fast path (the pattern) and the field-by-field walk (str.strip) agree too.
    assert (structure_errors(data) == []) == by_model
    assert by_schema == by_model


def test_schema_command_prints_the_shipped_schema(cli: Any) -> None:
    result = cli("deck", "schema")
    assert result.exit_code == 0
    assert result.stdout == SHIPPED.read_text(encoding="utf-8")


def test_schema_command_writes_a_file(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "deck.schema.json"
    result = cli("deck", "schema", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert str(target) in result.stderr


def test_schema_command_reports_an_unwritable_file(cli: Any, tmp_path: Path) -> None:
    result = cli("deck", "schema", "-o", str(tmp_path / "missing" / "deck.schema.json"))
    assert result.exit_code == 5
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


DOCS = Path(__file__).resolve().parents[2] / "docs" / "deck-format.md"


def _doc_decks() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [block for block in blocks if "\ncards:" in block]


def test_the_documented_example_is_valid_for_loader_and_schema(validator: jsonschema.Draft7Validator) -> None:
    decks = _doc_decks()
    assert decks, "docs/deck-format.md lost its example deck"
    for text in decks:
        for pure in (False, True):
            analysis = analyse_text(text, "docs.yaml", pure=pure)
            assert analysis.problems == [], [p.format() for p in analysis.problems]
        assert schema_errors(validator, text) == []
    example = analyse_text(decks[0], "docs.yaml").deck
    assert example is not None
    # What the example shows is what it means: no text split by a comma in a [ ] list.
    assert len(example.intro) == len(example.translations["en"].intro or ()) == 2
    assert localize(example, "en").untranslated == ()


def test_every_problem_code_is_documented() -> None:
    from stigmacards.deck.problems import CODES

    table = DOCS.read_text(encoding="utf-8")
    missing = [code for code in CODES if f"\n| {code} |" not in table]
    assert missing == []


def test_every_documented_code_is_emitted() -> None:
    """A code in CODES or in the docs' table that no module reports is a promise the loader breaks."""
    from stigmacards.deck.problems import CODES

    package = Path(__file__).resolve().parents[2] / "stigmacards"
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in package.rglob("*.py") if p.name != "problems.py"
    )
    documented = set(re.findall(r"\n\| (SC\d{3}) \|", DOCS.read_text(encoding="utf-8")))
    never_emitted = sorted(code for code in set(CODES) | documented if f'"{code}"' not in source)
    assert never_emitted == []
