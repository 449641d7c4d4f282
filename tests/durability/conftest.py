"""Fixtures for the durability tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest



@pytest.fixture
def silent_home(paths):  # type: ignore[no-untyped-def]
    paths.settings.write_text('audio_backend = "null"\n', encoding="utf-8")
    return paths


def rows(database: Path, query: str, args: tuple = ()) -> list[tuple]:
    """Read a database file directly, as another program would."""
    conn = sqlite3.connect(database)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


def read_only_folder(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Creating a file in ``folder`` fails as on a read-only file system. (The
    tests run as root, whom a folder's permissions do not stop.)"""
    import errno
    import os

    real_open = os.open
    inside = str(folder.resolve()) + os.sep

    def refusing_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT and str(Path(path).resolve()).startswith(inside):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)


def database_pragma(monkeypatch: pytest.MonkeyPatch, pragma: str) -> None:
    """Every connection opened from now on runs ``pragma`` first: ``query_only
    = ON`` makes the database read-only, ``max_page_count`` fills the disk."""
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):  # type: ignore[no-untyped-def]
        conn = real_connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(pragma.format(pages=pages)).fetchall()  # {pages}: the file as it is
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
