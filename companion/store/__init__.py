"""The patient database (sqlite-utils): one aggregate a module, one Store to hold them."""

from __future__ import annotations

import sys
from pathlib import Path

# sqlite-utils imports numpy, when it is installed, only to map numpy types to
# columns. The store never writes numpy values, and numpy costs about 170 ms
# of start-up before Home can be drawn (the audio imports it later, when the
# music starts). Masked while sqlite-utils is imported, numpy is not loaded
# then; if it is already loaded, nothing changes.
if "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy -> ImportError
    try:
        import sqlite_utils
    finally:
        del sys.modules["numpy"]
else:
    import sqlite_utils

from companion.core.clock import Clock, SystemClock
from companion.store.db import StoreError, memory_database, open_database
from companion.store.exports import Exports
from companion.store.journal import Checkins, Journal
from companion.store.measures import Measures
from companion.store.sessions import Sessions

__all__ = ["Store", "StoreError"]


class Store:
    """The patient's records. Lives on the main thread (sqlite3's check_same_thread)."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.sessions = Sessions(db, self.clock)
        self.journal = Journal(db, self.clock)
        self.checkins = Checkins(db, self.clock)
        self.measures = Measures(db, self.clock)
        self.exports = Exports(db, self.clock)

    @classmethod
    def open(cls, path: Path, clock: Clock | None = None) -> "Store":
        return cls(open_database(path), clock)

    @classmethod
    def memory(cls, clock: Clock | None = None) -> "Store":
        return cls(memory_database(), clock)

    def close(self) -> None:
        self.db.conn.close()
