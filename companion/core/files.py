"""Writing a file whole or not at all (``write_atomic``, ``sync_folder``), the
one way every file the app writes is written; and what a failed write is
called for the patient (``write_problem``)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
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


def write_atomic(path: Path, data: bytes, *, replace: bool = True, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    The bytes go to a private temporary file beside ``path``, are flushed to
    the disk, and the file is renamed over ``path`` (``replace``) or linked to
    it, which never replaces a file that appeared meanwhile
    (``FileExistsError``). The folder's entry is flushed too, so the new file
    survives a power cut. Nothing is left behind on failure. Raises OSError.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                if path.exists():
                    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
                os.replace(tmp, path)
        sync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


#: The first 16 bytes of a plain SQLite database.
SQLITE_HEADER = b"SQLite format 3\x00"


def looks_encrypted(path: Path) -> bool:
    """Whether the file is an encrypted (SQLCipher) database, from its first
    bytes alone: it starts with 16 random bytes (the salt) instead of SQLite's
    header and is whole pages long. A missing or empty file is not one, nor a
    damaged header (zeros) or a text file, which go to the damage checks.

    The one test of it: the store, the commands and the quick note (which
    must not import the store) all ask here. A file that cannot be read
    raises OSError: whoever asked says why."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
            size = os.fstat(f.fileno()).st_size
    except (FileNotFoundError, IsADirectoryError):
        return False
    return (len(head) == len(SQLITE_HEADER) and head != SQLITE_HEADER and size % 512 == 0
            and len(set(head)) >= 8)


#: What kind of failure of the disk or the file a write met (``write_failure``).
FULL, READ_ONLY, HELD, UNREACHABLE = "full", "read-only", "held", "unreachable"


def write_failure(exc: BaseException) -> str | None:
    """Whether ``exc`` is a failure of the disk or the file rather than of the
    code or the data, and which: ``FULL`` (SQLite's "database or disk is full",
    the system's ENOSPC), ``READ_ONLY`` (a read-only file or folder, no
    permission), ``HELD`` (another program holds a lock longer than the busy
    timeout), ``UNREACHABLE`` (the file cannot be opened, a disk I/O error);
    None for anything else (a damaged page, a bug). The one classifier the
    store, the autosave and the commands share."""
    message = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "is full" in message or "no space" in message:
        return FULL
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in message \
            or "read-only" in message or "permission" in message:
        return READ_ONLY
    if "locked" in message or "busy" in message:
        return HELD
    if "unable to open" in message or "disk i/o" in message:
        return UNREACHABLE
    return None


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full (SQLite: "database or disk is
    full"; the system: ENOSPC)."""
    return write_failure(exc) == FULL


def write_problem(exc: BaseException) -> str:
    """Why a write to the database failed, in the patient's words: a full
    disk is "the disk is full" whatever SQLite or the system called it."""
    from companion.core import text

    kind = write_failure(exc)
    if kind == FULL:
        return text.WRITE_DISK_FULL
    if kind == READ_ONLY:
        return text.WRITE_READ_ONLY
    if kind == HELD:
        return text.WRITE_HELD
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return str(exc) or type(exc).__name__
