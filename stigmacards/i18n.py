"""Interface language: gettext catalogues under stigmacards/locale.

Messages are written in English in the code (`_("...")`); Dutch lives in `.po` files, one per
area of the program (`locale/nl/LC_MESSAGES/<area>.po`), compiled to `.mo` by `make i18n`.
All catalogues of a language are chained, so each area owns its own file.

The language is chosen by `--lang`, else `STIGMACARDS_LANG`, else `LC_ALL` / `LC_MESSAGES` /
`LANG`, else (when none of those is set, as on Windows) the user's system language, else English.
"""

from __future__ import annotations

import functools
import gettext
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SUPPORTED = ("en", "nl")
DEFAULT = "en"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT


def normalize(tag: str | None) -> str | None:
    """'nl_NL.UTF-8' → 'nl'; None when the tag names no supported language."""
    if not tag:
        return None
    primary = tag.split(".", 1)[0].split("@", 1)[0].replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in SUPPORTED else None


def system_language(
    platform: str | None = None,
    *,
    windll: Any = None,
    getlocale: Callable[[], tuple[str | None, ...]] | None = None,
) -> str | None:
    """The user's interface language from the system, where no POSIX variable says it (Windows).

    Windows: the user's UI language (GetUserDefaultUILanguage, as a locale name such as
    'nl_NL'), else the locale Python reports ('Dutch_Netherlands' on Windows, 'nl_NL' elsewhere).
    """
    import locale

    platform = sys.platform if platform is None else platform
    if platform == "win32":
        try:
            if windll is None:
                import ctypes

                windll = ctypes.windll  # type: ignore[attr-defined,unused-ignore]
            lcid = windll.kernel32.GetUserDefaultUILanguage()
            found = normalize(locale.windows_locale.get(lcid))
        except (AttributeError, OSError, ImportError):
            found = None
        if found:
            return found
    try:
        name = (getlocale or locale.getlocale)()[0]
    except ValueError:
        return None
    if name and name.casefold().startswith(("dutch", "nederlands")):
        return "nl"
    return normalize(name)


def choose_language(
    flag: str | None = None,
    environ: Mapping[str, str] | None = None,
    system: Callable[[], str | None] = system_language,
) -> str:
    """--lang, else STIGMACARDS_LANG, else the POSIX variables, else (if none is set) the system's."""
    env = os.environ if environ is None else environ
    posix = (env.get("LC_ALL"), env.get("LC_MESSAGES"), env.get("LANG"))
    for candidate in (
        flag,
        env.get("STIGMACARDS_LANG"),
        *posix,
        None if any(posix) else system(),
    ):
        if candidate:
            lang = normalize(candidate)
            if lang:
                return lang
            if candidate is flag:
                from stigmacards.errors import UsageError

                message = _("unsupported language '{lang}' (choose one of: {choices})")
                raise UsageError(message.format(lang=flag, choices=", ".join(SUPPORTED)))
    return DEFAULT


def catalogues(lang: str) -> list[Path]:
    return sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.mo"))


@functools.cache
def _chain(lang: str) -> gettext.NullTranslations:
    """Every catalogue of `lang`, chained (each area owns its file); English: the msgids."""
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for path in reversed(catalogues(lang)):
        with path.open("rb") as handle:
            translation = gettext.GNUTranslations(handle)
        translation.add_fallback(chain)
        chain = translation
    return chain


def translator(lang: str) -> Callable[[str], str]:
    """gettext for `lang` (a tag such as 'nl-BE'), without touching the interface language.

    For text that belongs to a deck rather than to the interface: printed card labels, the
    comments of a new deck file. Unsupported languages get the English msgids.
    """
    code = normalize(lang)
    if code is None or code == DEFAULT:
        return str
    return _chain(code).gettext


def set_language(lang: str) -> None:
    """Make `lang` the interface language for every later `_()` call."""
    global _translations, _language
    _translations = _chain(lang)
    _language = lang


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate `message` into the current interface language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def number(n: int) -> str:
    """A whole number with the interface language's thousands separator: 1,774 or 1.774."""
    text = f"{n:,}"
    return text.replace(",", ".") if _language == "nl" else text


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark `message` for translation without translating it yet (translate where it is shown)."""
    return message
