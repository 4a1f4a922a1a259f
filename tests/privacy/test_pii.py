"""The personal-data flagger: what it finds, what it must not flag, and redaction."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stigmacards.reflections.pii import (
    REDACTED,
    PiiKind,
    find_pii,
    is_valid_bsn,
    is_valid_iban,
    redact,
)

SENTENCES = (
    "Je kunt me bereiken via {x}, maar liever niet.",
    "{x}",
    "Mijn gegevens: {x}. Verder wil ik niets kwijt.",
    "Ik schreef het op (zie {x}) en toen was het klaar.",
    "Bel gerust naar {x} als je wilt praten!",
    "Wat ik meeneem: dat {x} geen verschil maakt voor wie je bent.",
)


def kinds(text: str) -> list[PiiKind]:
    return [flag.kind for flag in find_pii(text)]


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "06 12345678",
        "0612345678",
        "+31 6 12345678",
        "+31612345678",
        "0031612345678",
        "0031 6 12345678",
        "+31 (0)6 1234 5678",
        "020-1234567",
        "010 123 4567",
        "(020) 123 4567",
        "06 12 34 56 78",
        "06 - 12 34 56 78",
        "020 - 123 45 67",
        "(020) 123 45 67",
        "(06) 12345678",
        "+31 (0)6 12345678",
        "06/12345678",
        "06\u201312345678",
        "06\u00a012345678",
        "31612345678",
    ],
)
def test_dutch_phone_numbers_are_flagged(number: str) -> None:
    text = f"Bel me op {number} vanavond."
    flags = find_pii(text)
    assert [(f.kind, f.text) for f in flags] == [(PiiKind.PHONE, number)]


@pytest.mark.parametrize(
    "number", ["+32 470 12 34 56", "+44 7700 900123", "0044 7700 900123", "+212 6 12 34 56 78"]
)
def test_phone_numbers_of_other_countries_written_with_a_plus_are_flagged(number: str) -> None:
    flags = find_pii(f"Mijn oude nummer {number} werkt niet meer.")
    assert [(f.kind, f.text) for f in flags] == [(PiiKind.PHONE, number)]


@pytest.mark.parametrize(
    "text",
    ["op 01.02.2024 12:00 begon het", "op 01-02-2024 12:00 begon het", "+3 punten", "en/of", "zie o.a./b"],
)
def test_dates_with_times_and_short_numbers_are_not_phone_numbers(text: str) -> None:
    assert find_pii(text) == []


@pytest.mark.parametrize("bsn", ["111222333", "123456782"])
def test_valid_bsns_are_flagged(bsn: str) -> None:
    assert is_valid_bsn(bsn)
    assert kinds(f"mijn bsn is {bsn}") == [PiiKind.BSN]
    assert kinds(f"bsn{bsn}") == [PiiKind.BSN]


@pytest.mark.parametrize("number", ["123456789", "000000000", "111222334"])
def test_numbers_failing_the_11_proef_are_not_flagged(number: str) -> None:
    assert not is_valid_bsn(number)
    assert find_pii(f"nummer {number} in de tekst") == []


def test_bsn_inside_a_longer_number_is_not_flagged() -> None:
    assert find_pii("ordernummer 1112223334 en 9 111222333 1") == []


@pytest.mark.parametrize(
    "iban",
    [
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "DE89 3704 0044 0532 0130 00",
        "nl91abna0417164300",
        "nl91 abna 0417 1643 00",
        "NL91-ABNA-0417-1643-00",
    ],
)
def test_valid_ibans_are_flagged(iban: str) -> None:
    flags = find_pii(f"Maak het over naar {iban} en dan is het goed.")
    assert [(f.kind, f.text) for f in flags] == [(PiiKind.IBAN, iban)]


def test_iban_with_a_wrong_check_is_not_flagged() -> None:
    assert not is_valid_iban("NL92ABNA0417164300")
    # 98 and 01 agree modulo 97, but only 02-98 are check digits.
    iban = next(i for n in range(10_000) if (i := _with_check_digits("NL", f"ABNA{n:010d}"))[2:4] == "98")
    assert is_valid_iban(iban)
    assert not is_valid_iban(iban[:2] + "01" + iban[4:])
    assert find_pii("rekening NL92ABNA0417164300 klopt niet") == []


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("mail jan.de-vries+x@voorbeeld.nl.", PiiKind.EMAIL, "jan.de-vries+x@voorbeeld.nl"),
        ("zie https://example.org/pagina?x=1).", PiiKind.URL, "https://example.org/pagina?x=1"),
        ("op www.voorbeeld.nl staat het", PiiKind.URL, "www.voorbeeld.nl"),
        ("ga naar sekswerkhulp.nl/contact", PiiKind.URL, "sekswerkhulp.nl/contact"),
        ("mijn link: bit.ly/3xYz.", PiiKind.URL, "bit.ly/3xYz"),
        ("alles op linktr.ee/janneke_x", PiiKind.URL, "linktr.ee/janneke_x"),
        ("mail a.b+x@mail.example.nl", PiiKind.EMAIL, "a.b+x@mail.example.nl"),
        ("volg @jan_de_vries op insta", PiiKind.HANDLE, "@jan_de_vries"),
        ("@anna@mastodon.social schreef", PiiKind.EMAIL, "@anna@mastodon.social"),
    ],
)
def test_addresses_and_handles(text: str, kind: PiiKind, found: str) -> None:
    flags = find_pii(text)
    assert [(f.kind, f.text) for f in flags] == [(kind, found)]
    assert found not in redact(text, flags)


def test_ordinary_dutch_text_has_no_flags() -> None:
    text = (
        "Op 12-03-2025 om 14:00 spraken we met 12 mensen over stigma. Het kostte € 25,50 "
        "en duurde 1,5 uur; o.a. sekswerkers en hulpverleners waren er. Bijv. over taal."
    )
    assert find_pii(text) == []


def test_redact_replaces_every_flag_with_a_neutral_marker() -> None:
    text = "Mail a@b.nl of bel 0612345678, bsn 111222333."
    redacted = redact(text, find_pii(text))
    assert redacted == f"Mail {REDACTED} of bel {REDACTED}, bsn {REDACTED}."
    assert find_pii(redacted) == []


# --- properties -------------------------------------------------------------------------


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    last = total % 11  # the last digit weighs -1: total - last must be a non-zero multiple of 11
    assume(last <= 9 and total != last)
    return "".join(map(str, digits)) + str(last)


@st.composite
def invalid_bsns(draw: st.DrawFn) -> str:
    number = draw(st.text(string.digits, min_size=9, max_size=9))
    assume(not is_valid_bsn(number))
    return number


def _with_check_digits(country: str, bban: str) -> str:
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


# BBAN formats of a few countries (SWIFT IBAN registry): letters (a) and digits (n) per part.
BBAN_FORMATS = {
    "NL": (("a", 4), ("n", 10)),
    "DE": (("n", 18),),
    "GB": (("a", 4), ("n", 14)),
    "AT": (("n", 16),),
}


@st.composite
def valid_ibans(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(BBAN_FORMATS)))
    bban = "".join(
        draw(st.text(string.ascii_uppercase if kind == "a" else string.digits, min_size=n, max_size=n))
        for kind, n in BBAN_FORMATS[country]
    )
    iban = _with_check_digits(country, bban)
    if draw(st.booleans()):
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


@st.composite
def invalid_ibans(draw: st.DrawFn) -> str:
    iban = draw(valid_ibans()).replace(" ", "")
    check = int(iban[2:4])
    wrong = draw(st.integers(0, 99).filter(lambda c: c != check))
    return iban[:2] + f"{wrong:02d}" + iban[4:]


@st.composite
def dutch_phones(draw: st.DrawFn) -> str:
    subscriber = draw(st.text(string.digits, min_size=8, max_size=8))
    form = draw(st.integers(0, 8))
    if form == 7:  # spaced out, as people write them: "06 - 12 34 56 78"
        return "06 - " + " ".join(subscriber[i : i + 2] for i in range(0, 8, 2))
    if form == 8:
        return "+31 (0)6 " + subscriber
    if form == 0:
        return "06-" + subscriber
    if form == 1:
        return "06 " + subscriber
    if form == 2:
        return "06" + subscriber
    if form == 3:
        return "+31 6 " + subscriber
    if form == 4:
        return "0031" + "6" + subscriber
    area = draw(st.sampled_from(["20", "10", "30", "70", "50"]))
    rest = subscriber[:7]
    if form == 5:
        return f"0{area}-{rest}"
    return f"0{area} {rest[:3]} {rest[3:]}"


@st.composite
def emails(draw: st.DrawFn) -> str:
    user = draw(st.text(string.ascii_lowercase + string.digits + "._", min_size=1, max_size=12))
    user = user.strip("._") or "x"
    domain = draw(st.text(string.ascii_lowercase, min_size=2, max_size=10))
    tld = draw(st.sampled_from(["nl", "com", "org", "be", "eu"]))
    return f"{user}@{domain}.{tld}"


@settings(max_examples=300)
@given(
    value=st.one_of(valid_bsns(), valid_ibans(), dutch_phones(), emails()),
    sentence=st.sampled_from(SENTENCES),
)
def test_every_generated_personal_detail_is_found_in_dutch_sentences(value: str, sentence: str) -> None:
    text = sentence.format(x=value)
    start = text.index(value)
    flags = find_pii(text)
    assert any(f.start <= start and f.end >= start + len(value) for f in flags), (text, flags)
    assert value not in redact(text, flags)


@settings(max_examples=300)
@given(value=st.one_of(invalid_bsns(), invalid_ibans()), sentence=st.sampled_from(SENTENCES))
def test_no_invalid_bsn_or_iban_is_flagged(value: str, sentence: str) -> None:
    flags = find_pii(sentence.format(x=value))
    assert not [f for f in flags if f.kind in (PiiKind.BSN, PiiKind.IBAN)], flags


# --- issue 13: forms people write, redaction of the whole match, names ------------------------

WRITTEN_PHONES = [
    "+310612345678",
    "+1 (555) 123-4567",
    "+31 (0)6 12 34 56 78",
    "\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",  # full-width digits
    "06\u201112345678",  # non-breaking hyphen
    "06\u221212345678",  # minus sign
    "06\t12345678",
    "06\u200b1234\u200b5678",  # zero-width spaces
    "06\u00ad12345678",  # soft hyphen
    "06\u202f12\u202f34\u202f56\u202f78",  # narrow no-break spaces
]


@pytest.mark.parametrize("number", WRITTEN_PHONES)
def test_phone_numbers_as_people_write_them_are_flagged_whole(number: str) -> None:
    text = f"Bel me op {number} vanavond."
    flags = find_pii(text)
    assert [(f.kind, f.text) for f in flags] == [(PiiKind.PHONE, number)]
    assert redact(text, flags) == f"Bel me op {REDACTED} vanavond."


@pytest.mark.parametrize(
    "address",
    [
        "jan at gmail dot com",
        "jan AT gmail DOT com",
        "jan apenstaartje gmail punt nl",
        "jan (at) gmail (dot) com",
        "jan [at] gmail [dot] com",
        "jan[at]gmail[.]com",
        "jan(at)gmail.com",
        "jan{at}gmail.com",
        "jan\uff20gmail.com",  # full-width @
        "jan @ gmail . com".replace(" . ", "."),
        "jan.de.vries at proton punt me",
    ],
)
def test_written_out_email_addresses_are_flagged_and_redacted_whole(address: str) -> None:
    text = f"Mail me gerust: {address} als je wilt."
    flags = find_pii(text)
    assert [(f.kind, f.text) for f in flags] == [(PiiKind.EMAIL, address)]
    redacted = redact(text, flags)
    assert "jan" not in redacted
    assert "gmail" not in redacted
    assert "proton" not in redacted


@pytest.mark.parametrize("address", ["iemand.amsterdam", "mijnpagina.xxx", "escort.sex", "sanne.live"])
def test_new_top_level_domains_are_flagged(address: str) -> None:
    assert [(f.kind, f.text) for f in find_pii(f"zie {address} voor meer")] == [(PiiKind.URL, address)]


@pytest.mark.parametrize(
    "text", ["kijk op mijnsite punt nl", "kijk op mijnsite[.]nl", "kijk op mijnsite (dot) com"]
)
def test_written_out_web_addresses_are_flagged(text: str) -> None:
    assert [f.kind for f in find_pii(text)] == [PiiKind.URL]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hoi, ik ben Sanne en ik werk al lang.", "Sanne"),
        ("Mijn naam is Jan de Vries.", "Jan de Vries"),
        ("Dat was het. Groet, Mirjam", "Mirjam"),
        ("Het ging goed. groetjes, Ilona van Dam", "Ilona van Dam"),
        ("Hello, I am Peterson from the project.", "Peterson"),
        ("my name is Tom", "Tom"),
        ("Thanks for listening. Regards, Ellen", "Ellen"),
        ("Ik sprak daar met Kees Bakker over.", "Kees Bakker"),
        ("Ik woon in Den Haag sinds kort.", "Den Haag"),
        ("gisteren zei Fatima dat het zwaar was", "Fatima"),
        ("Sanne Jansen vertelde het.", "Sanne Jansen"),
        ("Groet, Marieke de Vries", "Marieke de Vries"),
        ("ik ben Jan Jansen uit Utrecht", "Jan Jansen"),
        ("ik ben Jan Jansen uit Utrecht", "Utrecht"),
        ("I work near Zwolle these days.", "Zwolle"),
    ],
)
def test_likely_names_and_places_are_flagged(text: str, name: str) -> None:
    flags = find_pii(text)
    assert (PiiKind.NAME, name) in [(f.kind, f.text) for f in flags], flags
    assert name not in redact(text, flags)


@pytest.mark.parametrize(
    "text",
    [
        "Ik vond het fijn. Het gesprek was goed.",
        "ik ben blij dat ik er was",
        "Wat ik meeneem: luisteren helpt. Volgende keer weer.",
        "I am glad I came. The talk helped.",
        "In de groep was het fijn, in het begin wat stil.",
        "Het beleid in Nederland moet anders.",
        "From the start it helped.",
    ],
)
def test_ordinary_sentences_have_no_names(text: str) -> None:
    assert find_pii(text) == []


_SEPARATORS = ["", " ", "-", "\u2011", "\u2212", "\u2013", "\t", "\u00a0", "\u200b", "\u202f", "."]


@st.composite
def obfuscated_phones(draw: st.DrawFn) -> str:
    """A Dutch mobile number with any mix of separators, maybe in full-width digits."""
    digits = "06" + draw(st.text("0123456789", min_size=8, max_size=8).filter(lambda d: d[0] in "12345"))
    groups = draw(st.sampled_from([(2, 8), (2, 2, 2, 2, 2), (2, 4, 4), (4, 6), (10,)]))
    out, at = [], 0
    for size in groups:
        out.append(digits[at : at + size])
        at += size
    sep = draw(st.sampled_from(_SEPARATORS))
    number = sep.join(out)
    if draw(st.booleans()):
        number = number.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    return number


@settings(max_examples=200, deadline=None)
@given(number=obfuscated_phones(), sentence=st.sampled_from(SENTENCES))
def test_redaction_leaves_no_digit_of_an_obfuscated_phone_number(number: str, sentence: str) -> None:
    text = sentence.format(x=number)
    flags = find_pii(text)
    assert [f.kind for f in flags] == [PiiKind.PHONE], (text, flags)
    redacted = redact(text, flags)
    assert not any(ch.isdigit() for ch in redacted), redacted


@settings(max_examples=200, deadline=None)
@given(
    user=st.from_regex(r"[a-z][a-z0-9._]{0,10}[a-z0-9]", fullmatch=True),
    domain=st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True),
    at=st.sampled_from(["@", " at ", " apenstaartje ", "(at)", " [at] ", "\uff20", "{at}"]),
    dot=st.sampled_from([".", " dot ", " punt ", "(dot)", "[.]", " (punt) "]),
    tld=st.sampled_from(["nl", "com", "amsterdam", "xxx", "be"]),
    sentence=st.sampled_from(SENTENCES),
)
def test_any_written_form_of_an_address_is_removed_whole(
    user: str, domain: str, at: str, dot: str, tld: str, sentence: str
) -> None:
    assume(user not in ("at", "dot", "punt") and domain not in ("at", "dot", "punt"))
    address = f"{user}{at}{domain}{dot}{tld}"
    text = sentence.format(x=address)
    redacted = redact(text, find_pii(text))
    assert user not in redacted.lower().replace("je kunt", "").replace("verder", "") or len(user) < 3
    assert f"{domain}" not in redacted.lower() or len(domain) < 4


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_flags_always_point_into_the_original_text(text: str) -> None:
    for flag in find_pii(text):
        assert text[flag.start : flag.end] == flag.text
        assert 0 <= flag.start < flag.end <= len(text)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("06 12 34 56 78 06 87 65 43 21", ["06 12 34 56 78", "06 87 65 43 21"]),
        ("020 123 4567 020 765 4321 030 1234567", ["020 123 4567", "020 765 4321", "030 1234567"]),
    ],
)
def test_numbers_written_one_after_another_are_each_flagged(text: str, numbers: list[str]) -> None:
    assert [f.text for f in find_pii(text)] == numbers
