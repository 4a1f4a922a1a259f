"""The deck format as a JSON Schema (draft-07), generated from the model's Structs.

Editors validate and complete decks with it (yaml-language-server, used by VS Code's YAML
extension, speaks draft-07). The same schema ships as `decks/deck.schema.json`; a test keeps the
two equal, so regenerate with `stigmacards deck schema -o decks/deck.schema.json` after changing
the model.
"""

from __future__ import annotations

import json
from typing import Any

from stigmacards.deck.events import EXTENSION_PREFIX
from stigmacards.deck.format import NOT_BLANK_PATTERN

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
_REF = "#/definitions/{name}"


def deck_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft-07) of deck format 1."""
    import msgspec.inspect as mi

    from stigmacards.deck.model import Deck

    definitions: dict[str, Any] = {}
    body = _struct(mi.type_info(Deck), definitions)
    definitions = {name: _draft07(value) for name, value in definitions.items()}
    definitions["Text"] = {**_TEXT, "description": "Text with at least one visible character."}
    body = _draft07(body)
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


def _sorted(node: dict[str, Any]) -> dict[str, Any]:
    """Keys in alphabetical order (field order stays as written under 'properties')."""
    return dict(sorted(node.items()))


def _struct(t: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema of a Struct: its fields in order, the tag (`kind`) after `id`."""
    from stigmacards.deck.model import KIND_DESCRIPTION

    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in t.fields:
        properties[f.encode_name] = _field(f, definitions)
        if f.required:
            required.append(f.encode_name)
        if t.tag_field is not None and f.encode_name == "id":
            properties[t.tag_field] = {"const": t.tag, "description": KIND_DESCRIPTION, "type": "string"}
            required.append(t.tag_field)
    node: dict[str, Any] = {
        "additionalProperties": False,
        "description": " ".join((t.cls.__doc__ or "").split()),
        "properties": properties,
        "title": t.cls.__name__,
        "type": "object",
    }
    if required:
        node["required"] = required
    if t.cls.__name__ == "Deck":
        properties["deck"]["const"] = 1  # the format version: one value only
        properties["deck"] = _sorted(properties["deck"])
    return _sorted(node)


def _field(f: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    import msgspec
    import msgspec.inspect as mi

    node = _type(f.type, definitions)
    if f.default is not msgspec.NODEFAULT:
        node["default"] = list(f.default) if isinstance(f.default, tuple) else f.default
    t = f.type
    while isinstance(t, mi.Metadata):
        if t.extra_json_schema:
            node.update(t.extra_json_schema)
        t = t.type
    return _sorted(node)


def _type(t: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    import msgspec.inspect as mi

    while isinstance(t, mi.Metadata):
        t = t.type
    if isinstance(t, mi.StrType):
        node: dict[str, Any] = {"type": "string"}
        if t.pattern is not None:
            node["pattern"] = t.pattern[:-2] + "$" if t.pattern.endswith(r"\Z") else t.pattern
        return _sorted(node)
    # Each msgspec type to its JSON Schema node: one branch per type, alike by nature.
    if isinstance(t, mi.IntType):
        node = {"type": "integer"}
        if t.ge is not None:
            node["minimum"] = t.ge
        if t.le is not None:
            node["maximum"] = t.le
        return _sorted(node)
    if isinstance(t, mi.NoneType):
        return {"type": "null"}
    if isinstance(t, mi.VarTupleType | mi.ListType):
        node = {"items": _type(t.item_type, definitions), "type": "array"}
        if t.min_length is not None:
            node["minItems"] = t.min_length
        if t.max_length is not None:
            node["maxItems"] = t.max_length
        return _sorted(node)
    if isinstance(t, mi.DictType):
        values = _type(t.value_type, definitions)
        keys = t.key_type
        while isinstance(keys, mi.Metadata):
            keys = keys.type
        if isinstance(keys, mi.IntType):
            # JSON keys are always strings: YAML's `1:` label key becomes "1".
            return _sorted(
                {
                    "type": "object",
                    "propertyNames": {"pattern": INTEGER_KEY_PATTERN},
                    "patternProperties": {INTEGER_KEY_PATTERN: values},
                    "additionalProperties": False,
                }
            )
        pattern = _type(keys, definitions).get("pattern")
        if pattern is not None:
            return _sorted({"patternProperties": {pattern: values}, "type": "object"})
        return _sorted({"additionalProperties": values, "type": "object"})
    if isinstance(t, mi.StructType):
        name = t.cls.__name__
        if name not in definitions:
            definitions[name] = {}  # reserve first: a Struct may refer to itself
            definitions[name] = _struct(t, definitions)
        return {"$ref": _REF.format(name=name)}
    if isinstance(t, mi.UnionType):
        members = [_type(x, definitions) for x in t.types]
        if all(isinstance(x, mi.StructType) and x.tag_field for x in t.types):
            return {"oneOf": members}  # tagged by `kind`: exactly one of them
        return {"anyOf": members}
    raise TypeError(f"no JSON Schema for {t!r}")


def _draft07(node: Any) -> Any:
    """Adjust a generated schema: allow `x-` keys where extra keys are forbidden."""
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node == _TEXT:
        return _TEXT_REF  # a bare list item or union member (draft-07 ignores $ref siblings)
    out = {key: _draft07(value) for key, value in node.items()}
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
