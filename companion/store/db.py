"""Opening the patient's database: WAL, a busy timeout, private file mode."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from companion.store.migrations import migrations

BUSY_TIMEOUT_S = 15.0


class StoreError(Exception):
    """The database could not be opened or written; the message is for the patient."""


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")


def connect(path: Path) -> sqlite3.Connection:
    """The raw connection to the file: the one place where the file is opened."""
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        conn = connect(path)
    except OSError as exc:
        raise StoreError(f"Cannot open the database at {path}: {exc.strerror or exc}.") from exc
    try:
        _configure(conn)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"The database at {path} could not switch to WAL mode.")
        conn.execute("PRAGMA synchronous = FULL")
        db = sqlite_utils.Database(conn)
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"The database at {path} cannot be used: {exc}.") from exc
    return db


def memory_database() -> sqlite_utils.Database:
    """A fresh in-memory database with the current schema, for tests."""
    db = sqlite_utils.Database(memory=True)
    _configure(db.conn)
    migrations.apply(db)
    return db
