"""``companion note`` in a hurry: one journal entry written with the standard
library's sqlite3 alone.

Importing sqlite-utils (and, through it, numpy, click and dateutil) costs more
than half a second, which is most of a shell command's time. When the
patient's database exists and its schema is up to date, a note needs none of
that: this module checks the schema (every step named in ``core.schema`` has
been applied) and inserts the row. In every other case
(no database yet, a migration pending, anything unexpected) it says so and
the caller goes the ordinary way through ``Store``.

The row itself is built by ``core.journaling.entry_row``, which
``Journal.add`` uses too, so both ways store exactly the same thing. The search index is kept by the
database's own triggers.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from companion.core.journaling import checked_day, checked_text, entry_row
from companion.core.schema import BUSY_TIMEOUT_S, MIGRATIONS



class NotReady(Exception):
    """The quick way cannot be taken; use the Store."""


def add_note(database: Path, text: str, *, tags: list[str], private: bool,
             session: int | None, day: str | None) -> tuple[int, int]:
    """Insert one note; returns (entry id, characters saved).

    Raises NotReady when the ordinary way must be taken, NoteProblem for a
    note that cannot be saved, LookupError for an unknown infusion number.
    """
    if not database.exists():
        raise NotReady("no database yet")
    body = checked_text(text)
    day = checked_day(day) if day else None
    try:
        conn = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise NotReady(str(exc)) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            applied = {r[0] for r in conn.execute(
                "select name from _sqlite_migrations where migration_set = 'companion'")}
        except sqlite3.Error as exc:
            raise NotReady(str(exc)) from exc
        if not set(MIGRATIONS) <= applied:
            raise NotReady("a migration is pending")
        # Take the write lock first: the search index's triggers read before they write.
        conn.execute("BEGIN IMMEDIATE")
        try:
            infusion_id = None
            if session is not None:
                row = conn.execute(
                    "select id from infusions where number = ? and deleted_at is null", [session]
                ).fetchone()
                if row is None:
                    raise LookupError(f"there is no infusion number {session}")
                infusion_id = row[0]
            now = datetime.now().astimezone().isoformat(timespec="seconds")
            row_data = entry_row(body, now=now, infusion_id=infusion_id, tags=tags,
                                 private=private, day=day)
            columns = ", ".join(row_data)
            marks = ", ".join("?" * len(row_data))
            cursor = conn.execute(f"insert into entries ({columns}) values ({marks})",
                                  list(row_data.values()))
            conn.execute("COMMIT")
        except BaseException:
            # A full disk ends the transaction itself: a second ROLLBACK would
            # replace its error with "cannot rollback - no transaction is active".
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return int(cursor.lastrowid or 0), len(body)
    finally:
        conn.close()
