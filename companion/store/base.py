"""What every aggregate of the store shares: the database and the clock."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from companion.core.clock import Clock

if TYPE_CHECKING:
    from companion.store.db import Database


class Repo:
    def __init__(self, db: "Database", clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def stamp(self) -> str:
        """The current time as stored: ISO 8601 with the UTC offset."""
        return self.clock.now().isoformat(timespec="seconds")


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def load_json(value: str | None, default: Any) -> Any:
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default
