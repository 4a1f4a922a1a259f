"""Spot text that looks like personal data, so a person can take it out before it is saved.

This is a safety net, not a guarantee. It finds e-mail addresses (also written out: "jan at
gmail dot com", "jan (at) gmail (punt) nl"), web addresses, @handles, phone numbers in any
country's format (the `phonenumbers` library, the Netherlands by default), IBANs and BSNs
(checksums by `python-stdnum`), and likely names and places: capitalised word pairs, common
Dutch first names, and what follows "ik ben", "mijn naam is", "groet," and their English
counterparts. It does not find every name, nor street addresses, licence plates, dates of
birth, workplaces or a story that makes someone recognisable. The interface says so wherever
it offers to remove what it found.

Text is normalised before matching (NFKC: full-width digits and ＠; every dash and minus is a
hyphen; tabs and no-break spaces are spaces; invisible marks are dropped), and every match is
mapped back to the original text, so redaction removes all of it.
"""

from __future__ import annotations

import re
import unicodedata
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
    NAME = "name"  # a likely name or place


@dataclass(frozen=True, slots=True)
class PiiFlag:
    """One stretch of text that looks like personal data: `text == source[start:end]`."""

    kind: PiiKind
    start: int
    end: int
    text: str


# --- normalising ------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Zero-width and other invisible marks, soft hyphen, bidi marks and controls: gone.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_CHAR_MAP: dict[str, str] = {
    **dict.fromkeys(_DASHES, "-"),
    **dict.fromkeys(_SPACES, " "),
    **dict.fromkeys(_INVISIBLE, ""),
}


@dataclass(frozen=True, slots=True)
class _Normal:
    """Normalised text, and for each of its characters the span of the original it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def _normalise(text: str) -> _Normal:
    if text.isascii() and "\t" not in text:
        positions = tuple(range(len(text)))
        return _Normal(text, positions, tuple(range(1, len(text) + 1)))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        mapped = _CHAR_MAP.get(char)
        if mapped is None:
            mapped = char if char.isascii() else unicodedata.normalize("NFKC", char)
            mapped = "".join(_CHAR_MAP.get(c, c) for c in mapped)
        for piece in mapped:
            out.append(piece)
            starts.append(index)
            ends.append(index + 1)
    return _Normal("".join(out), tuple(starts), tuple(ends))


# --- patterns (on normalised text) --------------------------------------------------------

# Top-level domains a bare or written-out address may end in (with a path, any will do).
# Country codes and the common generic ones, plus those people here use for sex work,
# dating and their city.
_TLDS = frozenset(
    [
        "nl",
        "be",
        "com",
        "org",
        "net",
        "eu",
        "info",
        "de",
        "fr",
        "uk",
        "io",
        "me",
        "app",
        "social",
        "online",
        "nu",
        "tv",
        "co",
        "site",
        "club",
        "biz",
        "xyz",
        "top",
        "shop",
        "store",
        "blog",
        "link",
        "page",
        "live",
        "life",
        "love",
        "chat",
        "cam",
        "sex",
        "xxx",
        "porn",
        "adult",
        "sexy",
        "dating",
        "gay",
        "lgbt",
        "tube",
        "amsterdam",
        "frl",
        "brussels",
        "vlaanderen",
        "gent",
        "berlin",
        "london",
        "paris",
        "nyc",
        "email",
        "work",
        "fun",
        "website",
        "space",
        "today",
        "world",
        "tech",
        "pro",
        "name",
        "mobi",
        "ly",
        "ee",
        "es",
        "it",
        "at",
        "ch",
        "pl",
        "se",
        "dk",
        "no",
        "fi",
        "pt",
        "ie",
        "cz",
        "ro",
        "hu",
        "gr",
        "tr",
        "ma",
        "sr",
        "cw",
        "aw",
    ]
)
_AT_WORD = r"(?:at|apenstaartje|apestaartje|apestaart)"
_DOT_WORD = r"(?:dot|punt)"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT = rf"(?:\s*@\s*|\s*{_OPEN}\s*(?:{_AT_WORD}|@)\s*{_CLOSE}\s*|\s+{_AT_WORD}\s+)"
_DOT = rf"(?:\.|\s*{_OPEN}\s*(?:{_DOT_WORD}|\.)\s*{_CLOSE}\s*|\s+{_DOT_WORD}\s+)"
_EMAIL = re.compile(
    rf"(?i)(?<![\w.+-])[\w.+-]+(?P<at>{_AT})[\w-]+(?:{_DOT}[\w-]+)*(?P<dot>{_DOT})(?P<tld>[a-z]{{2,24}})(?![\w-])"
)
_SPELLED_DOMAIN = re.compile(
    rf"(?i)(?<![\w@.-])[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*(?P<dot>{_DOT})(?P<tld>[a-z]{{2,24}})(?![\w-])"
)
_WORD_FORM = re.compile(rf"(?i)\s(?:{_AT_WORD}|{_DOT_WORD})\s")  # "at", "punt" as plain words
_SPELLED = re.compile(rf"(?i){_OPEN}\s*(?:{_DOT_WORD}|\.)\s*{_CLOSE}|\s{_DOT_WORD}\s")
_URL = re.compile(r"(?i)(?<![\w@])(?:https?://|www\.)[^\s<>\"']+")
# Bare domain names: a known top-level domain ("sekswerk.nl", "iemand.amsterdam"), or any
# with a path ("bit.ly/abc", "linktr.ee/naam").
_DOMAIN = re.compile(
    r"(?i)(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?P<tld>[a-z]{2,24})(?P<path>/[^\s<>\"']*)?(?![\w-])"
)
_HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# A date written day-month-year and then a space or nothing: "01-02-2024 12:00" is no phone.
_DATE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2})(?:\s|$)")
# Letters may touch a BSN ("bsn111222333"), digits may not: it would be part of a longer number.
_BSN = re.compile(r"(?<![\d.,])(?<!\d[ .-])\d(?:[ .-]?\d){8}(?![ .-]?\d)(?!\w)")
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ -]?[A-Za-z0-9])")
_TRAILING = ".,;:!?)]}'\"»"
# Digit groups separated by spaces, hyphens, dots or slashes, with an optional + or (…).
_DIGIT_GROUP = re.compile(r"\+?\(?\d+\)?")
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d()]*(?:[ ./-]{1,3}\(?\d[\d()]*)+")
_MAX_GROUPS, _MAX_DIGITS = 8, 15
IBAN_MIN, IBAN_MAX = 15, 34

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_CAP = rf"[{_UPPER}][{_LOWER}]+(?:[-'’][{_UPPER}]?[{_LOWER}]+)*"
_PARTICLE = r"(?:van der|van den|van de|van 't|van|de|den|der|ter|ten|te|el|al|la|le|von|da|di|du|bin|ben)"
_NAME_SEQ = rf"{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP})*"
_INTRO = re.compile(
    r"(?i:\b(?:ik\s+ben|ik\s+heet|mijn\s+naam\s+is|noem\s+me|i\s+am|i'm|my\s+name\s+is|call\s+me)"
    r"|(?:groet(?:en|jes)?|gr\.|liefs|regards|cheers)\s*,)"
    rf"\s*(?P<name>{_NAME_SEQ})"
)
# A capitalised word after "uit", "in", "from"…: mostly a place ("ik ben Jan uit Utrecht").
_PLACE = re.compile(
    r"(?i:\b(?:uit|in|te|bij|naar|vanuit|from|in|at|near)\s+)"
    rf"(?P<name>{_NAME_SEQ})"
)
# Places so large that naming them identifies nobody: not flagged after "in" or "uit".
_TOO_BROAD_TO_IDENTIFY = frozenset({
    "Nederland", "Netherlands", "Holland", "Europa", "Europe", "België", "Belgium", "Duitsland",
    "Germany", "Afrika", "Africa", "Azië", "Asia", "Amerika", "America", "Randstad",
})  # fmt: skip
_PAIR = re.compile(rf"(?<![\w'’-]){_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP})+(?![\w'’-])")
_CAP_WORD = re.compile(rf"(?<![\w'’-]){_CAP}(?![\w'’-])")
_SENTENCE_END = ".!?\n\"“”'‘(["


def is_valid_bsn(digits: str) -> bool:
    """The 11-proef (python-stdnum)."""
    from stdnum.nl import bsn

    return len(digits) == 9 and digits.isascii() and digits.isdigit() and bool(bsn.is_valid(digits))


def is_valid_iban(candidate: str) -> bool:
    """The country's format and length, and mod 97 (python-stdnum); check digits 02-98 (ISO 13616)."""
    from stdnum import iban

    compact = candidate.replace(" ", "").replace("-", "").upper()
    if not (IBAN_MIN <= len(compact) <= IBAN_MAX and compact.isascii() and compact.isalnum()):
        return False
    if not compact[2:4].isdigit() or not 2 <= int(compact[2:4]) <= 98:
        return False
    return bool(iban.is_valid(compact))


def find_pii(text: str) -> list[PiiFlag]:
    """Every stretch of `text` that looks like personal data, in order, overlaps merged."""
    normal = _normalise(text)
    spans: list[tuple[int, int, PiiKind]] = []
    for kind, start, end in _candidates(normal.text):
        spans.append((*normal.original(start, end), kind))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[PiiFlag] = []
    for start, end, kind in spans:
        if merged and start < merged[-1].end:
            last = merged[-1]
            if end > last.end:
                longer = kind if end - start > last.end - last.start else last.kind
                merged[-1] = PiiFlag(longer, last.start, end, text[last.start : end])
            continue
        merged.append(PiiFlag(kind, start, end, text[start:end]))
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


def _candidates(text: str) -> Iterator[tuple[PiiKind, int, int]]:
    for match in _EMAIL.finditer(text):
        if _spelled_ok(match):
            yield PiiKind.EMAIL, match.start(), match.end()
    for match in _SPELLED_DOMAIN.finditer(text):
        # "voorbeeld punt nl", "voorbeeld[.]nl"; the plain "voorbeeld.nl" is _DOMAIN's.
        if _SPELLED.search(match.group()) and match.group("tld").lower() in _TLDS:
            yield PiiKind.URL, match.start(), match.end()
    for pattern in (_URL, _DOMAIN):
        for match in pattern.finditer(text):
            if pattern is _DOMAIN and not (match.group("path") or match.group("tld").lower() in _TLDS):
                continue
            end = match.end()
            while end > match.start() and text[end - 1] in _TRAILING:
                end -= 1
            if end > match.start():
                yield PiiKind.URL, match.start(), end
    for match in _HANDLE.finditer(text):
        yield PiiKind.HANDLE, match.start(), match.end()
    yield from _phones(text)
    for match in _BSN.finditer(text):
        if is_valid_bsn(re.sub(r"\D", "", match.group())):
            yield PiiKind.BSN, match.start(), match.end()
    yield from _ibans(text)
    yield from _names(text)


def _spelled_ok(match: re.Match[str]) -> bool:
    """An address written with the words "at", "dot", "punt" needs a known top-level domain."""
    return not _WORD_FORM.search(match.group()) or match.group("tld").lower() in _TLDS


def _phones(text: str) -> Iterator[tuple[PiiKind, int, int]]:
    """Phone numbers of any country (the Netherlands when no country code is written)."""
    if sum(c.isdigit() for c in text) < 7:
        return  # no phone number is shorter; spares loading the metadata
    import phonenumbers

    found: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.POSSIBLE):
        start, end, raw = match.start, match.end, match.raw_string
        if start > 0 and text[start - 1].isalnum():
            continue  # the tail of a longer code: an IBAN, an order number
        if _DATE.match(raw) or text[end : end + 1] == ":":
            continue
        if _written_as_phone(raw):
            found.append((start, end))
            yield PiiKind.PHONE, start, end
    # The matcher takes a run of digit groups as one candidate and drops it when it is too long
    # for one number: "06 12 34 56 78 06 87 65 43 21" is two. Look for valid numbers inside.
    for run in _DIGIT_RUN.finditer(text):
        if not any(s < run.end() and run.start() < e for s, e in found):
            yield from _numbers_in_run(text, run.start(), run.end())


def _written_as_phone(raw: str) -> bool:
    """With a country code or a trunk 0 ("06…", "(020)…", "+31…", "0031…"), or as WhatsApp writes it."""
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip("(").startswith(("+", "0")):
        return not digits.startswith("000")
    return digits.startswith("316") and len(digits) == 11


def _numbers_in_run(text: str, start: int, end: int) -> Iterator[tuple[PiiKind, int, int]]:
    """Valid numbers made of consecutive digit groups of a run, longest first, left to right."""
    import phonenumbers

    groups = list(_DIGIT_GROUP.finditer(text, start, end))
    i = 0
    while i < len(groups):
        best = None
        digits = 0
        for j in range(i, min(i + _MAX_GROUPS, len(groups))):
            digits += sum(c.isdigit() for c in groups[j].group())
            if digits > _MAX_DIGITS:
                break
            candidate = text[groups[i].start() : groups[j].end()]
            if _DATE.match(candidate) or text[groups[j].end() : groups[j].end() + 1] == ":":
                continue
            if digits >= 7 and _written_as_phone(candidate):
                try:
                    number = phonenumbers.parse(candidate, "NL")
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(number):
                    best = j
        if best is None:
            i += 1
            continue
        yield PiiKind.PHONE, groups[i].start(), groups[best].end()
        i = best + 1


def _names(text: str) -> Iterator[tuple[PiiKind, int, int]]:
    """Likely names and places: after an introduction, capitalised pairs, known first names."""
    from stigmacards.reflections.names_nl import FIRST_NAMES

    for match in _INTRO.finditer(text):
        yield PiiKind.NAME, match.start("name"), match.end("name")
    for match in _PLACE.finditer(text):
        if match.group("name") not in _TOO_BROAD_TO_IDENTIFY:
            yield PiiKind.NAME, match.start("name"), match.end("name")
    for match in _PAIR.finditer(text):
        start = match.start()
        words = list(_CAP_WORD.finditer(match.group()))
        # A sentence starts with a capital anyway: the pair counts from its second word on,
        # unless the first is a known first name ("Sanne Jansen zei…").
        before = text[:start].rstrip()
        if (not before or before[-1] in _SENTENCE_END) and words[0].group() not in FIRST_NAMES:
            if len(words) < 3:
                continue
            start += words[1].start()
        yield PiiKind.NAME, start, match.end()
    for match in _CAP_WORD.finditer(text):
        if match.group() in FIRST_NAMES:
            yield PiiKind.NAME, match.start(), match.end()


def _ibans(text: str) -> Iterator[tuple[PiiKind, int, int]]:
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
                yield PiiKind.IBAN, start, end
                break
