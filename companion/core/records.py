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
from typing import Any

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
}


def new_uid() -> str:
    return str(uuid.uuid4())


def derived_uid(*parts: object) -> str:
    """The same identity for the same parts, on any machine."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def legacy_uid(table: str, row: Mapping[str, Any]) -> str:
    """The identity of a row written before identities existed."""
    return derived_uid(table, row.get("id"), row.get(FIRST_STAMP.get(table, "id")))
