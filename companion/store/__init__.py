"""The patient database (sqlite-utils): one aggregate a module, one Store to hold them."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.core.clock import Clock, SystemClock
from companion.store.db import Database, StoreError, import_sqlite_utils, memory_database, open_database
from companion.store.measures import Measures
from companion.store.sessions import Sessions

__all__ = ["Store", "StoreError", "prepare"]


def prepare() -> None:
    """Import what the store's writes need (sqlite-utils) and the aggregates
    Home does not read, from any thread: the app calls it after Home's first
    frame, which reads without them."""
    import_sqlite_utils()
    import companion.store.exports
    import companion.store.journal
    import companion.store.recordings
    import companion.store.tables  # noqa: F401

if TYPE_CHECKING:
    from companion.core.records import Outcome, TablePlan
    from companion.store.exports import Exports
    from companion.store.journal import Checkins, Journal
    from companion.store.recordings import Recordings
    from companion.store.tables import Tables


class Store:
    """The patient's records. Lives on the main thread (sqlite3's check_same_thread)."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.sessions = Sessions(db, self.clock)
        self.measures = Measures(db, self.clock)
        name = db.execute("PRAGMA database_list").fetchone()[2]
        #: The database file (None in memory).
        self.path: Path | None = Path(name) if name else None

    # The aggregates Home's first frame does not read are made (and their
    # modules imported) when first used: about 15 ms less before that frame.

    @cached_property
    def journal(self) -> "Journal":
        from companion.store.journal import Journal

        return Journal(self.db, self.clock)

    @cached_property
    def checkins(self) -> "Checkins":
        from companion.store.journal import Checkins

        return Checkins(self.db, self.clock)

    @cached_property
    def exports(self) -> "Exports":
        from companion.store.exports import Exports

        return Exports(self.db, self.clock)

    @cached_property
    def tables(self) -> "Tables":
        from companion.store.tables import Tables

        return Tables(self.db, self.clock)

    @cached_property
    def recordings(self) -> "Recordings":
        from companion.store.recordings import Recordings

        return Recordings(self.db, self.clock)

    @classmethod
    def open(cls, path: Path, clock: Clock | None = None) -> "Store":
        return cls(open_database(path), clock)

    @classmethod
    def memory(cls, clock: Clock | None = None) -> "Store":
        return cls(memory_database(), clock)

    def close(self) -> None:
        self.db.conn.close()

    @property
    def encrypted(self) -> bool:
        """Whether the journal is encrypted at rest (SQLCipher)."""
        return bool(getattr(self.db.conn, "encrypted", False))

    def reopen(self) -> None:
        """Open the database file again on the same Store (after its file was
        replaced: encrypted, decrypted, a new passphrase); raises StoreError."""
        path = self.path
        if path is None:
            raise StoreError("a database in memory cannot be opened again")
        self.db.conn = open_database(path).conn

    def end_failed_write(self) -> None:
        """Roll back a write the disk refused, so the next one starts clean."""
        if self.db.conn.in_transaction:
            self.db.conn.rollback()

    def copy(self, folder: Path, reason: str) -> Path:
        """A backup copy of the journal into ``folder`` (see store/backup.py);
        raises backup.BackupError."""
        from companion.store import backup

        return backup.make(self.db.conn, folder, reason).path

    def health(self) -> tuple[str, str, int]:
        """SQLite's quick check, the journal mode and how many infusions: what
        ``companion doctor`` reports."""
        result = self.db.execute("PRAGMA quick_check").fetchone()[0]
        mode = self.db.execute("PRAGMA journal_mode").fetchone()[0]
        count = self.db.execute("select count(*) from infusions").fetchone()[0]
        return str(result), str(mode), int(count)

    def merge(self, plan: "list[TablePlan]", tables: dict[str, list[dict[str, Any]]], *,
              preview: bool = False) -> "Outcome":
        """Merge rows from elsewhere (a JSON export) in one transaction; see store/merge.py."""
        from companion.store.merge import merge

        return merge(self.db, plan, tables, preview=preview)
