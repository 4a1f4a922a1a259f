"""Compile every locale/*/LC_MESSAGES/*.po to .mo (run by `make i18n`; needs babel, a dev tool).

The .mo bytes depend on the .po content only: babel's own writer stamps each file with the
compile time and its version, so every rebuild changed every .mo. Unchanged catalogues now
give identical files, and a commit shows which catalogues really changed.

`python tools/i18n_build.py --help-stubs` prints .po entries for the command-line help
texts (docstrings, `help=`) that no Dutch catalogue translates yet: paste them into
cli_help.po and fill in the msgstr.
"""

from __future__ import annotations

import io
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

from stigmacards.i18n import LOCALE_DIR

# The header fields our .po files declare. babel adds others, filled in from the clock, its own
# version or placeholders (POT-Creation-Date, Generated-By, Last-Translator …): left out.
_HEADERS = (
    "Project-Id-Version",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


def compile_po(po_path: Path) -> bytes:
    """The .mo for `po_path`: translated, non-fuzzy messages, sorted; the same bytes every time."""
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    charset = catalog.charset or "utf-8"
    fields = dict(catalog.mime_headers)
    header = "".join(f"{key}: {fields[key]}\n" for key in _HEADERS if key in fields)
    entries: dict[bytes, bytes] = {b"": header.encode(charset)}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        if isinstance(message.id, str):
            msgid = message.id.encode(charset)
            assert isinstance(message.string, str)
            msgstr = message.string.encode(charset)
        else:  # a plural: the forms joined by NUL, an empty form falling back to the msgid's
            msgid = b"\0".join(part.encode(charset) for part in message.id)
            strings = [s or message.id[min(i, 1)] for i, s in enumerate(message.string)]
            msgstr = b"\0".join(part.encode(charset) for part in strings)
        if message.context:
            msgid = message.context.encode(charset) + b"\x04" + msgid
        entries[msgid] = msgstr
    return _mo_bytes(sorted(entries.items()))


def _mo_bytes(entries: Iterable[tuple[bytes, bytes]]) -> bytes:
    """The GNU MO format (as Tools/i18n/msgfmt.py writes it): no hash table, keys sorted."""
    items = list(entries)
    ids = strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for msgid, msgstr in items:
        offsets.append((len(ids), len(msgid), len(strs), len(msgstr)))
        ids += msgid + b"\0"
        strs += msgstr + b"\0"
    keystart = 7 * 4 + 16 * len(items)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        koffsets += [id_length, id_offset + keystart]
        voffsets += [str_length, str_offset + valuestart]
    header = struct.pack("<7I", 0x950412DE, 0, len(items), 7 * 4, 7 * 4 + 8 * len(items), 0, 0)
    table = koffsets + voffsets
    return header + struct.pack(f"<{len(table)}I", *table) + ids + strs


def help_stubs() -> str:
    """.po entries (empty msgstr) for the help texts no Dutch catalogue translates yet."""
    import typer
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    from stigmacards.cli import app, helptext

    known: set[str] = set()
    for po in sorted((LOCALE_DIR / "nl" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            known.update(m.id for m in read_po(handle) if isinstance(m.id, str) and m.string)
    stubs = Catalog()
    for text in helptext.help_texts(typer.main.get_command(app)):
        if text not in known:
            stubs.add(text)
    out = io.BytesIO()
    write_po(out, stubs, omit_header=True, width=100)
    return out.getvalue().decode("utf-8")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--help-stubs"]:
        sys.stdout.write(help_stubs())
        return
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        data = compile_po(po_path)
        if mo_path.exists() and mo_path.read_bytes() == data:
            continue
        mo_path.write_bytes(data)
        print(f"compiled {po_path.relative_to(LOCALE_DIR.parent)}")


if __name__ == "__main__":
    main()
