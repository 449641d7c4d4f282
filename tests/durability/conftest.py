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
