"""A deck's print settings: an optional logo for the backs and an accent colour per level.

The deck format has no fields for these, so they live under the free extension key `x-print`
(the loader skips `x-` keys), documented in docs/printing.md:

    x-print:
      logo: logo.png          # PNG or JPEG, relative to the deck file
      colours: {1: "#2a9d8f", 2: "#e9c46a", 3: "#e76f51"}

This module reads that key again, with positions, after the loader has accepted the file (so
the file is already known to be small, alias-free YAML). A logo that is missing, too large or
not an image is refused with its file:line:col, never read as anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stigmacards.deck.problems import Problem, Severity
from stigmacards.errors import DeckError, UsageError
from stigmacards.i18n import _

KEY = "x-print"
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 16_000_000
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG

RGB = tuple[int, int, int]
# Calm, distinct and legible under black text when lightened: teal, ochre, terracotta.
DEFAULT_COLOURS: dict[int, RGB] = {1: (42, 157, 143), 2: (214, 160, 40), 3: (216, 90, 60)}
NEUTRAL: RGB = (120, 120, 120)


@dataclass(frozen=True, slots=True)
class Branding:
    logo: bytes | None = None
    logo_size: tuple[int, int] = (1, 1)  # pixels: the logo's aspect ratio
    colours: dict[int, RGB] = field(default_factory=lambda: dict(DEFAULT_COLOURS))

    def colour(self, level: int | None) -> RGB:
        return NEUTRAL if level is None else self.colours.get(level, DEFAULT_COLOURS.get(level, NEUTRAL))


def parse_colour(text: str) -> RGB | None:
    match = _HEX.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def read_branding(deck_file: Path, *, display: str | None = None) -> tuple[Branding, list[Problem]]:
    """The deck's `x-print` settings and every problem with them (defaults where a value is bad)."""
    import yaml

    from stigmacards.deck.loading import read_regular_file

    shown = display or str(deck_file)
    text = read_regular_file(deck_file).decode("utf-8", errors="replace").lstrip("\ufeff")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return Branding(), []  # the loader reports the file's syntax
    settings = _value(root, KEY) if isinstance(root, yaml.MappingNode) else None
    if settings is None:
        return Branding(), []
    problems: list[Problem] = []

    def refuse(node: Any, code: str, message: str) -> None:
        mark = node.start_mark
        problems.append(Problem(shown, mark.line + 1, mark.column + 1, Severity.ERROR, code, message))

    if not isinstance(settings, yaml.MappingNode):
        refuse(settings, "SC304", _("x-print must be a mapping with 'logo' and/or 'colours'"))
        return Branding(), problems
    logo: tuple[bytes, tuple[int, int]] | None = None
    colours = dict(DEFAULT_COLOURS)
    for key_node, value in settings.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key == "logo":
            if isinstance(value, yaml.ScalarNode) and value.value:
                logo = _logo(deck_file.parent, value.value, lambda m, v=value: refuse(v, "SC305", m))
            else:
                refuse(value, "SC305", _("x-print logo must be a file name, e.g. logo.png"))
        elif key in ("colours", "colors"):
            if not isinstance(value, yaml.MappingNode):
                refuse(value, "SC304", _('x-print colours must map levels to colours, e.g. {1: "#2a9d8f"}'))
                continue
            for level_node, colour_node in value.value:
                level = level_node.value if isinstance(level_node, yaml.ScalarNode) else ""
                rgb = parse_colour(colour_node.value) if isinstance(colour_node, yaml.ScalarNode) else None
                if level not in ("1", "2", "3"):
                    refuse(level_node, "SC304", _("x-print colours: levels are 1, 2 and 3"))
                elif rgb is None:
                    refuse(colour_node, "SC304", _('x-print colours: write a colour as "#rrggbb"'))
                else:
                    colours[int(level)] = rgb
        else:
            refuse(key_node, "SC304", _("x-print knows 'logo' and 'colours', not '{key}'").format(key=key))
    if logo is None:
        return Branding(colours=colours), problems
    return Branding(logo[0], logo[1], colours), problems


def branding_or_raise(deck_file: Path) -> Branding:
    """The deck's print settings for `deck print`; DeckError naming the first problem."""
    branding, problems = read_branding(deck_file)
    if problems:
        raise DeckError(problems[0].format(), tuple(problems))
    return branding


def _value(mapping: Any, name: str) -> Any:
    for key, value in mapping.value:
        if getattr(key, "value", None) == name:
            return value
    return None


def _logo(base: Path, name: str, refuse: Any) -> tuple[bytes, tuple[int, int]] | None:
    from stigmacards.deck.loading import TooLargeError, read_regular_file

    path = Path(name)
    if path.is_absolute() or name.startswith("~"):
        refuse(_("x-print logo '{name}' must be a path relative to the deck file").format(name=name))
        return None
    try:
        data = read_regular_file(base / path, limit=MAX_LOGO_BYTES)
    except TooLargeError:
        refuse(_("x-print logo '{name}' is larger than 2 MiB").format(name=name))
        return None
    except UsageError as exc:
        refuse(_("x-print logo: {reason}").format(reason=exc))
        return None
    size = _image_size(data) if data.startswith(_SIGNATURES) else None
    if size is None:
        refuse(_("x-print logo '{name}' is not a PNG or JPEG image").format(name=name))
        return None
    return data, size


def _image_size(data: bytes) -> tuple[int, int] | None:
    """The size of a PNG or JPEG that Pillow can read and that is not absurdly large, else None."""
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a decompression bomb warning is a refusal
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                image.verify()
    except Exception:  # whatever Pillow raises, the file is not a usable image
        return None
    if width < 1 or height < 1 or width * height > MAX_LOGO_PIXELS:
        return None
    return (width, height)
