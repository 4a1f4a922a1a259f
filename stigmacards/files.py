"""Writing output files whole: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from stigmacards.errors import OutputError
from stigmacards.i18n import _
from stigmacards.platform import make_private, sync_directory

PRIVATE = 0o600


def write_atomic(path: Path, data: bytes, *, mode: int | None = PRIVATE) -> None:
    """Write `data` to `path` via a temp file beside it, fsync, rename, fsync the directory.

    `mode` is the new file's permission bits; None keeps an existing file's mode (a new file
    gets the umask default). Devices and other non-regular targets are refused. On any
    failure the target is untouched, the temp file is gone, and OutputError is raised.
    """
    import tempfile  # here, not at the top: every command imports the modules that call this

    refuse_unsafe_target(path)
    target = path
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(_("will not replace {path}: not a regular file").format(path=path))
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else _umask_default()
    directory = target.parent
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)  # mode 0600
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            make_private(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        Path(temp).replace(target)
        temp = None
        sync_directory(directory)
    except OSError as exc:
        raise OutputError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                Path(temp).unlink()


def refuse_unsafe_target(path: Path) -> None:
    """Raise OutputError unless `path` is a safe place for an output file or folder.

    Never through a symbolic link (a link to the reflections store once turned every session
    into a CSV file), and never into stigmacards' own data folder (the store, its -wal and
    -shm files, the play sessions), except its `decks` folder, which is meant for decks.
    """
    from stigmacards import paths

    if path.is_symlink():
        raise OutputError(
            _("will not write through the symbolic link {path}: give the file itself").format(path=path)
        )
    try:
        where = path.parent.resolve() / path.name
        data = paths.home().resolve()
        decks = paths.user_decks_dir().resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise OutputError(_("cannot write {path}: {reason}").format(path=path, reason=exc)) from None
    if where.is_relative_to(data) and not where.is_relative_to(decks):
        raise OutputError(
            _(
                "will not write {path}: it is inside stigmacards' data folder {folder}, which holds "
                "the reflections store; choose another place"
            ).format(path=path, folder=data)
        )


def _umask_default() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
