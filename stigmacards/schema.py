"""The deck format as a JSON Schema (draft-07), generated from the pydantic model.

Editors validate and complete decks with it (yaml-language-server, used by VS Code's YAML
extension, speaks draft-07). The same schema ships as `decks/deck.schema.json`; a test keeps the
two equal, so regenerate with `stigmacards deck schema -o decks/deck.schema.json` after changing
the model.
"""

from __future__ import annotations

import json
from typing import Any

from .loading import EXTENSION_PREFIX
from .model import NOT_BLANK_PATTERN

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "https://example.invalid/stigmacards/deck-format-1.schema.json"
SCHEMA_TITLE = "stigmacards deck (format 1)"
SCHEMA_DESCRIPTION = (
    "Conversation cards for facilitated dialogue sessions about stigma. "
    "Keys starting with 'x-' are free for authors and other tools. "
    "See docs/deck-format.md."
)
INTEGER_KEY_PATTERN = r"^-?[0-9]+$"
_EXTENSION_KEYS: dict[str, Any] = {"^" + EXTENSION_PREFIX: {}}
_TEXT = {"pattern": NOT_BLANK_PATTERN, "type": "string"}
_TEXT_REF = {"$ref": "#/definitions/Text"}


def deck_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft-07) of deck format 1."""
    from pydantic.json_schema import GenerateJsonSchema

    from .model import Deck

    class Draft07(GenerateJsonSchema):
        """pydantic's generator, adjusted to draft-07 and to what the loader accepts."""

        def field_title_should_be_set(self, schema: Any) -> bool:
            return False  # "Content Note" titles add noise next to the descriptions

        def dict_schema(self, schema: Any) -> Any:
            keys = schema.get("keys_schema", {})
            if keys.get("type") != "int":
                return super().dict_schema(schema)
            # JSON keys are always strings: YAML's `1:` label key becomes "1".
            values = self.generate_inner(schema["values_schema"])
            return {
                "type": "object",
                "propertyNames": {"pattern": INTEGER_KEY_PATTERN},
                "patternProperties": {INTEGER_KEY_PATTERN: values},
                "additionalProperties": False,
            }

    generated = Deck.model_json_schema(
        ref_template="#/definitions/{model}", schema_generator=Draft07, mode="validation"
    )
    definitions = {name: _draft07(value) for name, value in generated.pop("$defs", {}).items()}
    definitions["Text"] = {**_TEXT, "description": "Text with at least one visible character."}
    body = _draft07(generated)
    body.pop("title", None)
    body.pop("description", None)
    return {
        "$schema": DRAFT_07,
        "$id": SCHEMA_ID,
        "title": SCHEMA_TITLE,
        "description": SCHEMA_DESCRIPTION,
        **body,
        "definitions": dict(sorted(definitions.items())),
    }


def _draft07(node: Any) -> Any:
    """Adjust a generated schema: allow `x-` keys where extra keys are forbidden, drop non-draft-07 keys."""
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node == _TEXT:
        return _TEXT_REF  # a bare list item or union member (draft-07 ignores $ref siblings)
    out = {key: _draft07(value) for key, value in node.items() if key != "discriminator"}
    if out.get("type") == "object":
        if "properties" in out and out.get("additionalProperties") is False:
            out["patternProperties"] = {**out.get("patternProperties", {}), **_EXTENSION_KEYS}
        elif "patternProperties" in out and "additionalProperties" not in out:
            # A mapping whose keys are data (languages): anything not matching is an error.
            out["additionalProperties"] = False
    return out


def schema_text() -> str:
    """The schema as the text shipped in decks/deck.schema.json."""
    return json.dumps(deck_schema(), indent=2, ensure_ascii=False) + "\n"
