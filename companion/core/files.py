"""Making a rename durable: the one helper every atomic write shares; and
what a failed write is called for the patient (``write_problem``)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk; raises OSError."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so a rename into it survives a power cut.

    Best effort: some file systems cannot sync a folder, and the rename has
    happened either way.
    """
    with contextlib.suppress(OSError):
        fsync_path(folder)


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full (SQLite: "database or disk is
    full"; the system: ENOSPC)."""
    import errno

    message = str(exc).lower()
    return getattr(exc, "errno", None) == errno.ENOSPC or "is full" in message or "no space" in message


def write_problem(exc: BaseException) -> str:
    """Why a write to the database failed, in the patient's words: a full
    disk is "the disk is full" whatever SQLite or the system called it."""
    import errno

    from companion.core import text

    message = str(exc).lower()
    code = getattr(exc, "errno", None)
    if is_disk_full(exc):
        return text.WRITE_DISK_FULL
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in message \
            or "read-only" in message:
        return text.WRITE_READ_ONLY
    if "locked" in message or "busy" in message:
        return text.WRITE_HELD
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return str(exc) or type(exc).__name__
