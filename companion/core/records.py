"""The stable identity of a record: a UUID that stays with it from machine to
machine, so the same record imported twice is recognised (issue 14).

New rows get a random one (uuid4). Rows written before identities existed
get one derived from what never changes about them (their table, id and
first time stamp), so a file exported by 0.1.0 from the same home matches
the rows the migration gave identities to. Pure Python, like all of ``core``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.core import text

#: The namespace of the derived identities (a fixed, random UUID).
NAMESPACE = uuid.UUID("5d1e4a7c-2f3b-4c8e-9a61-0c7f3e2b9d14")

#: The column that dates a row from its creation, by table (never changed later).
FIRST_STAMP: dict[str, str] = {
    "infusions": "created_at",
    "ratings": "timing",
    "moments": "created_at",
    "moment_revisions": "saved_at",
    "track_ratings": "track",
    "entries": "created_at",
    "entry_revisions": "saved_at",
    "checkins": "day",
    "questionnaires": "created_at",
    "questionnaire_revisions": "saved_at",
    "recordings": "created_at",
}


def new_uid() -> str:
    return str(uuid.uuid4())


def derived_uid(*parts: object) -> str:
    """The same identity for the same parts, on any machine."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def legacy_uid(table: str, row: Mapping[str, Any]) -> str:
    """The identity of a row written before identities existed."""
    return derived_uid(table, row.get("id"), row.get(FIRST_STAMP.get(table, "id")))


# --- what the export, the import and the store say to each other ------------


class DamagedRecords(Exception):
    """Records whose text cannot be read (the database is damaged there). The
    message names them (table and id), never what they hold."""

    def __init__(self, records: list[tuple[str, Any, str]]) -> None:
        self.records = records
        named = ", ".join(f"{table} {rid} ({column})" for table, rid, column in records[:10])
        if len(records) > 10:
            named += f" and {len(records) - 10} more"
        super().__init__(text.DAMAGED_RECORDS.format(records=named))


class MergeFailed(Exception):
    """The rows do not fit this database; ``str()`` says why, for the patient."""


@dataclass(frozen=True)
class TablePlan:
    """One table of a merge, in the order parents come before children."""

    table: str
    #: Columns that point to a row of another table: column -> table.
    links: dict[str, str] = field(default_factory=dict)
    #: Columns that identify a record without its uid (one a day, one per infusion).
    natural_key: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What an import did (or, previewed, would do), by table."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    backup: Path | None = None
    #: The tables in the merge's order, for listing them.
    order: list[str] = field(default_factory=list)

    def count(self, kind: str, table: str) -> None:
        counts = getattr(self, kind)
        counts[table] = counts.get(table, 0) + 1

    def total(self, kind: str) -> int:
        return sum(getattr(self, kind).values())

    def tables(self) -> list[str]:
        seen = set(self.added) | set(self.updated) | set(self.unchanged)
        return [t for t in self.order if t in seen]
