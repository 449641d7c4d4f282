"""Making a rename durable: the one helper every atomic write shares."""

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
