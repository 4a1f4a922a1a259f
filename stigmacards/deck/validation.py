"""Check deck data against the model: every structural problem at once, each with its path.

A valid deck (the usual case: every `play`, every bundled deck) takes msgspec's fast path, one
C call that builds the frozen Structs. Only when that fails does `structure_errors` walk the data
field by field against the same Structs (via `msgspec.inspect`), so a trainer sees every problem
in one run, not the first one only. The errors are dicts that `explain` words:
`type` (a stable name such as 'missing' or 'not_text'), `loc` (the path, with a '[key]'
marker when a mapping key is wrong and the tag of a tagged union, like 'scale'), `input`,
and `ctx`. The names are the deck format's (`not_text`, `unknown_key`), never the
validation library's: `explain` turns them into words, and nothing else shows them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, TypedDict

import msgspec
import msgspec.inspect as mi

from stigmacards.deck.format import NOT_BLANK_PATTERN
from stigmacards.deck.model import Deck

Loc = tuple[Any, ...]


class StructureError(TypedDict, total=False):
    type: str
    loc: Loc
    input: Any
    ctx: dict[str, Any]


def validate(data: dict[str, Any]) -> tuple[Deck | None, list[StructureError]]:
    """The deck, or None and every structural problem of `data`."""
    try:
        return msgspec.convert(data, Deck), []
    except msgspec.ValidationError as exc:
        errors = structure_errors(data)
        if not errors:  # the walk must never let an invalid deck through unexplained
            errors = [_error("invalid", (), data, detail=str(exc))]
        return None, errors


@cache
def _deck_type() -> mi.Type:
    return mi.type_info(Deck)


def structure_errors(data: Any) -> list[StructureError]:
    """Every structural problem of `data` as a deck (empty when msgspec would accept it)."""
    out: list[StructureError] = []
    _check(_deck_type(), data, (), out)
    return out


def _error(kind: str, loc: Loc, value: Any, **ctx: Any) -> StructureError:
    error: StructureError = {"type": kind, "loc": loc, "input": value}
    if ctx:
        error["ctx"] = ctx
    return error


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check(t: mi.Type, value: Any, loc: Loc, out: list[StructureError]) -> None:
    while isinstance(t, mi.Metadata):  # descriptions for the schema
        t = t.type
    if isinstance(t, mi.UnionType):
        _check_union(t, value, loc, out)
    elif isinstance(t, mi.StrType):
        _check_str(t, value, loc, out)
    elif isinstance(t, mi.IntType):
        if not _is_int(value):
            out.append(_error("not_a_whole_number", loc, value))
        elif t.ge is not None and value < t.ge:
            out.append(_error("below_minimum", loc, value, ge=t.ge))
        elif t.le is not None and value > t.le:
            out.append(_error("above_maximum", loc, value, le=t.le))
    elif isinstance(t, mi.VarTupleType | mi.ListType):
        _check_array(t, value, loc, out)
    elif isinstance(t, mi.DictType):
        if not isinstance(value, dict):
            out.append(_error("not_a_mapping", loc, value))
            return
        for key, item in value.items():
            _check(t.key_type, key, (*loc, key, "[key]"), out)
            _check(t.value_type, item, (*loc, key), out)
    elif isinstance(t, mi.StructType):
        if not isinstance(value, dict):
            out.append(_error("not_a_mapping", loc, value))
            return
        _check_fields(t, value, loc, out)
    elif isinstance(t, mi.NoneType):
        if value is not None:
            out.append(_error("not_empty", loc, value))
    elif not isinstance(t, mi.AnyType):
        raise TypeError(f"the deck model uses a type the validator does not know: {t!r}")


def _check_str(t: mi.StrType, value: Any, loc: Loc, out: list[StructureError]) -> None:
    if not isinstance(value, str):
        out.append(_error("not_text", loc, value))
    elif t.pattern == NOT_BLANK_PATTERN:
        if not value.strip():  # the pattern spells out exactly the characters strip() removes
            out.append(_error("blank", loc, value))
    elif t.pattern is not None and not _compiled(t.pattern).search(value):
        shown = t.pattern[:-2] + "$" if t.pattern.endswith(r"\Z") else t.pattern
        out.append(
            _error(
                "pattern_mismatch",
                loc,
                value,
                pattern=shown,
            )
        )


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _check_array(t: mi.VarTupleType | mi.ListType, value: Any, loc: Loc, out: list[StructureError]) -> None:
    if not isinstance(value, list | tuple):
        out.append(_error("not_a_list", loc, value))
        return
    start = len(out)
    valid = 0
    for index, item in enumerate(value):
        before = len(out)
        _check(t.item_type, item, (*loc, index), out)
        valid += len(out) == before
        if t.max_length is not None and valid > t.max_length:
            # Too many: that one problem says it all (the items' own problems wait for the fix).
            del out[start:]
            out.append(
                _error(
                    "too_long",
                    loc,
                    value,
                    max_length=t.max_length,
                    actual_length=len(value),
                )
            )
            return
    # The length counts the valid items only; `loading` drops a length error that only repeats
    # an item's error (the list itself has the right length).
    if t.min_length is not None and valid < t.min_length:
        out.append(
            _error(
                "too_short",
                loc,
                value,
                min_length=t.min_length,
                actual_length=valid,
            )
        )


def _check_union(t: mi.UnionType, value: Any, loc: Loc, out: list[StructureError]) -> None:
    options = [x for x in t.types if not isinstance(x, mi.NoneType)]
    if value is None and len(options) < len(t.types):
        return  # optional and left out
    if len(options) == 1:
        _check(options[0], value, loc, out)
        return
    tagged = [x for x in options if isinstance(x, mi.StructType) and x.tag_field is not None]
    if len(tagged) != len(options):
        raise TypeError(f"the deck model uses a union the validator does not know: {t!r}")
    if not isinstance(value, dict):
        out.append(_error("not_a_mapping", loc, value))
        return
    field_name = tagged[0].tag_field
    if field_name not in value:
        out.append(_error("kind_missing", loc, value))
        return
    tag = value[field_name]
    chosen = next((x for x in tagged if isinstance(tag, str) and x.tag == tag), None)
    if chosen is None:
        expected = ", ".join(f"'{x.tag}'" for x in tagged)
        out.append(
            _error(
                "kind_unknown",
                loc,
                value,
                discriminator=f"'{field_name}'",
                tag=str(tag),
                expected_tags=expected,
            )
        )
        return
    rest = {k: v for k, v in value.items() if k != field_name}
    _check_fields(chosen, rest, (*loc, chosen.tag), out)


def _check_fields(t: mi.StructType, value: dict[Any, Any], loc: Loc, out: list[StructureError]) -> None:
    known = {f.encode_name: f for f in t.fields}
    for f in t.fields:
        if f.encode_name in value:
            _check(f.type, value[f.encode_name], (*loc, f.encode_name), out)
        elif f.required:
            out.append(_error("missing", (*loc, f.encode_name), value))
    for key, item in value.items():
        if not isinstance(key, str):
            out.append(_error("key_not_text", (*loc, key), item))
        elif key not in known:
            out.append(_error("unknown_key", (*loc, key), item))


def field_names(struct: type[msgspec.Struct]) -> list[str]:
    """The keys a Struct accepts, the tag field (`kind`) after `id` (for 'did you mean' hints)."""
    names = list(struct.__struct_fields__)
    tag = struct.__struct_config__.tag_field
    if tag:
        names.insert(1, tag)
    return names
