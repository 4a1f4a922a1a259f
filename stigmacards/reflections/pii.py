"""Spot text that looks like personal data, so a person can take it out before it is saved.

This is a safety net, not a guarantee: it finds e-mail addresses, web addresses, @handles,
Dutch phone numbers (and others written with +), IBANs (mod-97 check) and BSNs (11-proef).
It does not find names,
street addresses, licence plates, dates of birth, workplaces or a story that makes someone
recognisable. The interface says so wherever it offers to remove what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

REDACTED = "[…]"


class PiiKind(StrEnum):
    EMAIL = "email"
    URL = "url"
    HANDLE = "handle"
    PHONE = "phone"
    IBAN = "iban"
    BSN = "bsn"


@dataclass(frozen=True, slots=True)
class PiiFlag:
    """One stretch of text that looks like personal data: `text == source[start:end]`."""

    kind: PiiKind
    start: int
    end: int
    text: str


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_URL = re.compile(r"(?i)(?<![\w@])(?:https?://|www\.)[^\s<>\"']+")
# Bare domain names only with common top-level domains: "sekswerk.nl", "voorbeeld.com/pagina";
# with a path, any top-level domain: "bit.ly/abc", "linktr.ee/naam".
_DOMAIN = re.compile(
    r"(?i)(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:(?:nl|be|com|org|net|eu|info|de|fr|uk|io|me|app|social|online|nu|tv|co|site|club)"
    r"(?:/[^\s<>\"']*)?|[a-z]{2,24}/[^\s<>\"']*)(?![\w-])"
)
_HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# Between digit groups: nothing, a space, or one of - . / – with a space either side or not
# ("06 - 12 34 56 78", "06/12345678").
_SEP = r"(?:[ \u00a0]?[-./\u2013][ \u00a0]?|[ \u00a0])?"
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    rf"(?P<intl>(?:\+|00)31{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}\d){{8}})"
    rf"|(?P<bare>31{_SEP}6(?:{_SEP}\d){{8}})"  # a mobile number as WhatsApp writes it: 31612345678
    rf"|(?P<national>0[1-9](?:{_SEP}\d){{8}})"
    rf"|(?P<area>\(0[1-9]\d{{0,2}}\){_SEP}\d(?:{_SEP}\d){{5,7}})"
    # Other countries, written with + or 00: "+32 470 12 34 56", "0044 7700 900123".
    rf"|(?P<foreign>(?:\+|00)(?!31)[1-9]\d{{0,2}}{_SEP}(?:\(0\){_SEP})?\d(?:{_SEP}\d){{5,11}})"
    r")(?!\w)(?!:\d)"  # not a date followed by a time: "01-02-2024 12:00"
)
# Letters may touch a BSN ("bsn111222333"), digits may not: it would be part of a longer number.
_BSN = re.compile(r"(?<![\d.,])(?<!\d[ .-])\d(?:[ .-]?\d){8}(?![ .-]?\d)(?!\w)")
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ -]?[A-Za-z0-9])")
_TRAILING = ".,;:!?)]}'\"»"

# Lengths from the SWIFT IBAN registry; other country codes are accepted at 15-34 characters.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
IBAN_MIN, IBAN_MAX = 15, 34


def is_valid_bsn(digits: str) -> bool:
    """The 11-proef: weights 9..2 and -1 for the last digit; the sum is a non-zero multiple of 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total != 0 and total % 11 == 0


def is_valid_iban(candidate: str) -> bool:
    """Country code, check digits 02-98, BBAN; the country's length where known; mod 97 == 1."""
    iban = candidate.replace(" ", "").replace("-", "").upper()
    if not (IBAN_MIN <= len(iban) <= IBAN_MAX) or not iban.isalnum() or not iban.isascii():
        return False
    if not (iban[:2].isalpha() and iban[2:4].isdigit()) or not 2 <= int(iban[2:4]) <= 98:
        return False  # ISO 13616: check digits run from 02 to 98
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def find_pii(text: str) -> list[PiiFlag]:
    """Every stretch of `text` that looks like personal data, in order, overlaps merged."""
    found = sorted(_candidates(text), key=lambda f: (f.start, -(f.end - f.start)))
    merged: list[PiiFlag] = []
    for flag in found:
        if merged and flag.start < merged[-1].end:
            last = merged[-1]
            if flag.end > last.end:
                longer = flag if flag.end - flag.start > last.end - last.start else last
                merged[-1] = PiiFlag(longer.kind, last.start, flag.end, text[last.start : flag.end])
            continue
        merged.append(flag)
    return merged


def redact(text: str, flags: Sequence[PiiFlag]) -> str:
    """`text` with every flagged stretch replaced by a neutral marker."""
    result = text
    last_start = len(text) + 1
    for flag in sorted(flags, key=lambda f: f.start, reverse=True):
        if flag.end > last_start or flag.start < 0 or flag.end > len(text):
            continue  # overlapping or out of range: the earlier replacement already covers it
        result = result[: flag.start] + REDACTED + result[flag.end :]
        last_start = flag.start
    return result


def _candidates(text: str) -> Iterator[PiiFlag]:
    for match in _EMAIL.finditer(text):
        yield PiiFlag(PiiKind.EMAIL, match.start(), match.end(), match.group())
    for pattern in (_URL, _DOMAIN):
        for match in pattern.finditer(text):
            end = match.end()
            while end > match.start() and text[end - 1] in _TRAILING:
                end -= 1
            if end > match.start():
                yield PiiFlag(PiiKind.URL, match.start(), end, text[match.start() : end])
    for match in _HANDLE.finditer(text):
        yield PiiFlag(PiiKind.HANDLE, match.start(), match.end(), match.group())
    for match in _PHONE.finditer(text):
        if _phone_digits_ok(match):
            yield PiiFlag(PiiKind.PHONE, match.start(), match.end(), match.group())
    for match in _BSN.finditer(text):
        if is_valid_bsn(re.sub(r"\D", "", match.group())):
            yield PiiFlag(PiiKind.BSN, match.start(), match.end(), match.group())
    yield from _ibans(text)


def _phone_digits_ok(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group())
    if match.group("area") is not None:
        return len(digits) == 10
    return True  # the other two forms fix the digit count in the pattern itself


def _ibans(text: str) -> Iterator[PiiFlag]:
    """IBANs written solid or in groups (spaces or dashes): try each end of a run, longest first."""
    for match in _IBAN_START.finditer(text):
        start = match.start()
        ends: list[int] = []
        pos = match.end()
        count = 4
        while pos < len(text) and count < IBAN_MAX:
            if (
                text[pos] in " -"
                and pos + 1 < len(text)
                and text[pos + 1].isascii()
                and text[pos + 1].isalnum()
            ):
                pos += 1
                continue
            if not (text[pos].isascii() and text[pos].isalnum()):
                break
            pos += 1
            count += 1
            at_end = pos == len(text) or not (text[pos].isascii() and text[pos].isalnum())
            if at_end and count >= IBAN_MIN:
                ends.append(pos)
        for end in reversed(ends):
            if is_valid_iban(text[start:end]):
                yield PiiFlag(PiiKind.IBAN, start, end, text[start:end])
                break
