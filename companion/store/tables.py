"""The store's read API for what reads whole tables: the export's report, the
import's checks, the Export screen's lists. Nothing above ``store/`` runs SQL;
it asks here.

An export must never carry a placeholder for the patient's words, so
``rows`` reads every text strictly and refuses a damaged one by naming its
record (``core.records.DamagedRecords``), where the rest of the store reads it as a
placeholder so that lists still show it.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from companion.core.records import DamagedRecords
from companion.store.base import Repo


def _utf8(data: bytes) -> str:
    return data.decode("utf-8")  # a damaged text raises here; it is named below, never quoted


_UNREADABLE = object()


def _check_text(data: bytes) -> Any:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _UNREADABLE
    return ""


class Tables(Repo):
    def names(self) -> set[str]:
        """The tables this database has (an older one may lack some)."""
        return set(self.db.table_names())

    def columns(self, table: str) -> set[str]:
        return set(self.db[table].columns_dict)

    def schema_names(self) -> list[str]:
        """The migrations applied to this database, in order."""
        if "_sqlite_migrations" not in self.names():
            return []
        return [r[0] for r in self.db.execute(
            "select name from _sqlite_migrations where migration_set = 'companion' order by id"
        ).fetchall()]

    def _read(self, sql: str, text_factory: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
        """(column names, rows) of ``sql``, its texts read by ``text_factory``."""
        conn = self.db.conn
        previous = conn.text_factory
        conn.text_factory = text_factory
        try:
            cursor = conn.execute(sql)
            return [d[0] for d in cursor.description], cursor.fetchall()
        finally:
            conn.text_factory = previous

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of ``table`` as stored, in the order written; raises
        DamagedRecords when a text in it cannot be read."""
        try:
            names, rows = self._read(f"select * from [{table}] order by rowid", _utf8)
        except (sqlite3.Error, UnicodeDecodeError):
            found = self.damaged_text(table)
            if found:
                raise DamagedRecords([(table, rid, column) for rid, column in found]) from None
            raise
        return [dict(zip(names, row)) for row in rows]

    def damaged_text(self, table: str) -> list[tuple[Any, str]]:
        """The (rowid, column) of every text in ``table`` that is not valid
        UTF-8, found without decoding (or showing) any of them."""
        names, rows = self._read(f"select rowid, * from [{table}] order by rowid", _check_text)
        return [(row[0], names[i]) for row in rows
                for i, value in enumerate(row) if value is _UNREADABLE]

    def entry_tags(self) -> list[Any]:
        """The stored tags (a JSON list each) of every entry not in the trash that has some."""
        found = []
        for (value,) in self.db.execute(
            "select tags from entries where deleted_at is null and tags not in ('', '[]')"
        ).fetchall():
            try:
                found.append(json.loads(value))
            except (TypeError, ValueError):
                continue
        return found
