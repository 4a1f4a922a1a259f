"""The pure parser's fixes mirror PyYAML's scanner: a change in PyYAML must be looked at by a person."""

from __future__ import annotations

import hashlib
import inspect

import yaml.scanner

from stigmacards.deck._yamlcompat import _LibyamlLikeScanner

# sha256 (first 16 hex digits) of `inspect.getsource` of each PyYAML Scanner method that
# _yamlcompat overrides, as of PyYAML 6.0.4.
PINNED = {
    "scan_block_scalar": "3cf515657fdd6ea6",
    "scan_block_scalar_breaks": "645ed48f536513a0",
    "scan_block_scalar_ignored_line": "d4addd4915b4a602",
    "scan_block_scalar_indentation": "0c6b5400a3ee4505",
    "scan_block_scalar_indicators": "ab868ac7327479cc",
    "scan_directive": "32cc50d8accf5a21",
    "scan_flow_scalar_non_spaces": "89680a72dbe9f650",
    "scan_plain": "14a1128518d2243c",
    "scan_plain_spaces": "1dbb8c5ea1a4cad8",
    "scan_tag": "56c539e65bc1d85d",
    "scan_to_next_token": "dc9921d77c615bb8",
}

WHAT_TO_DO = (
    "PyYAML's scanner changed in the methods stigmacards/deck/_yamlcompat.py copies ({names}). "
    "Compare the new PyYAML source of each with the copy in _yamlcompat.py, carry PyYAML's changes "
    "over (keeping the libyaml-like fixes the module docstring lists), run "
    "tests/deck/test_loader_properties.py with STIGMACARDS_FUZZ_EXAMPLES=10000 (make fuzz), then "
    "pin the new hashes here."
)


def _fingerprint(name: str) -> str:
    source = inspect.getsource(getattr(yaml.scanner.Scanner, name))
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def test_every_override_is_pinned() -> None:
    """A method newly copied into _yamlcompat gets a fingerprint too."""
    overridden = {
        name
        for name, value in vars(_LibyamlLikeScanner).items()
        if callable(value) and hasattr(yaml.scanner.Scanner, name)
    }
    assert overridden == set(PINNED)


def test_pyyaml_scanner_is_the_one_mirrored() -> None:
    changed = sorted(name for name, digest in PINNED.items() if _fingerprint(name) != digest)
    assert not changed, WHAT_TO_DO.format(names=", ".join(changed))
