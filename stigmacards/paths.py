"""Where stigmacards keeps things. Nothing else computes a path.

`STIGMACARDS_HOME` overrides the data directory (tests always set it); otherwise the
platform's user data directory (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "STIGMACARDS_HOME"
_PACKAGE = Path(__file__).resolve().parent


def home() -> Path:
    """The data directory (not created here)."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when no override: tests and scripts never pay for it

    return Path(platformdirs.user_data_dir("stigmacards", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700 and tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def user_decks_dir() -> Path:
    return home() / "decks"


def sessions_dir() -> Path:
    return home() / "sessions"


def groups_dir() -> Path:
    """Which cards each named group has had (`play --group NAME`)."""
    return home() / "groups"


def bundled_decks_dir() -> Path:
    """The bundled decks: inside the package in a wheel, beside it in a checkout or editable install."""
    for candidate in (_PACKAGE / "decks", _PACKAGE.parent / "decks"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE / "decks"


def schema_file() -> Path:
    return bundled_decks_dir() / "deck.schema.json"
