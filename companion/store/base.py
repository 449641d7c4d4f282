"""What every aggregate of the store shares: the database and the clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlite_utils

from companion.core.clock import Clock


class Repo:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def stamp(self) -> str:
        """The current time as stored: ISO 8601 with the UTC offset."""
        return self.clock.now().isoformat(timespec="seconds")

    @contextmanager
    def _write(self) -> Iterator[None]:
        """A write transaction that takes the write lock first (BEGIN IMMEDIATE).

        The search index's triggers read before they write, and SQLite does not
        wait for a lock that a reading transaction wants to upgrade: it fails at
        once with "database is locked". Taking the lock up front waits for the
        other process (the app or ``companion note``) under the busy timeout.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.conn.rollback()
            raise
        self.db.conn.commit()


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def load_json(value: str | None, default: Any) -> Any:
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default
