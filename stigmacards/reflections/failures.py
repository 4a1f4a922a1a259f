"""What went wrong with the reflections store, said as it is: busy, full, read-only, damaged.

The messages the store raises live here, so that store.py keeps to the data.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from stigmacards.i18n import _

# SQLite's primary result codes (sqlite3 exposes them from Python 3.11 on; named here for 3.11).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_CORRUPT = 5, 6, 8, 11
SQLITE_FULL, SQLITE_NOTADB = 13, 26
SQLITE_IOERR, SQLITE_CANTOPEN = 10, 14
LOW_SPACE = 256 * 1024  # bytes: below this, an I/O error is most likely the full disk


def explain(error: BaseException, *, path: Path, fallback: str) -> str:
    """Say what really went wrong: busy, full, read-only or damaged, else `fallback`."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    number = getattr(error, "errno", None)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return _(
            "the reflections store {path} is busy: another program is using it. Try again in a moment"
        ).format(path=path)
    if (
        code == SQLITE_FULL
        or number in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
        or (code in (SQLITE_IOERR, SQLITE_CANTOPEN) and _low_space(path))
    ):
        return _("the disk is full: the reflections store {path} cannot grow").format(path=path)
    if code == SQLITE_READONLY or number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _("the reflections store {path} is read-only: this command needs to write to it").format(
            path=path
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return _("{path} is damaged or not a reflections store").format(path=path)
    return fallback


def _low_space(path: Path) -> bool:
    """SQLite reports a full disk while creating its -wal or -shm as an I/O or open error."""
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE
    except OSError:
        return False


def cannot_open(path: Path) -> str:
    return _("cannot open the reflections store {path}").format(path=path)


def cannot_write(path: Path) -> str:
    return _("cannot write to the reflections store {path}").format(path=path)


def not_saved_message() -> str:
    return _("not saved — your answer is still here, try again or skip")


def typed_into_merged_message(session_id: str) -> str:
    return _(
        "session {id} holds answers merged from other laptops: it takes no answers typed here "
        "(anyone with those files could tell them apart). Start a new session"
    ).format(id=session_id)


def in_use_message(path: Path) -> str:
    return _("another program is reading {path}: nothing was deleted. Close it and try again").format(
        path=path
    )


def full_message(session_id: str, size: int) -> str:
    return _(
        "session {id} already has answers from {n} people, as many as were declared. To let more "
        "people answer, raise the group size: stigmacards session resize {id} --group-size NUMBER"
    ).format(id=session_id, n=size)


def over_group_message(session_id: str, size: int) -> str:
    return _(
        "not saved: session {id} was declared for {n} people and one question already has {n} answers. "
        "If more people take part, raise the group size: stigmacards session resize {id} --group-size NUMBER"
    ).format(id=session_id, n=size)
