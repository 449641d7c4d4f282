"""Opening the patient's database: WAL, a busy timeout, private file mode."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
import contextlib
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.core import files
from companion.core.schema import BUSY_TIMEOUT_S

if TYPE_CHECKING:
    from companion.store.integrity import Verdict



class Database:
    """The patient's database: the connection, and sqlite-utils' tables over it.

    Plain SQL (``execute``, ``query``) runs on the connection itself, so what
    Home shows first is read without sqlite-utils, whose import (with click,
    dateutil and pluggy) is the largest part of the store's start-up cost
    (issue 18). Everything else, ``db["table"]`` first, is sqlite-utils'
    Database over the same connection, made on first use
    (``sqlite_database``): after Home's first frame the app imports it in the
    background, so a key rarely finds it missing.

    ``atomic()`` takes the write lock at once (``BEGIN IMMEDIATE``). A
    deferred transaction that reads and then writes cannot wait for another
    process in WAL mode: if that process committed after the read, SQLite
    answers "database is locked" at once, whatever the busy timeout. Taking
    the lock first makes the busy timeout apply, so a second process (a note,
    an export) never makes a write fail. Nested blocks stay savepoints.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._tables: Any = None

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @conn.setter
    def conn(self, conn: sqlite3.Connection) -> None:  # a file opened again
        self._conn = conn
        self._tables = None

    @property
    def tables(self) -> Any:
        """sqlite-utils' Database over this connection (its atomic() is ours)."""
        if self._tables is None:
            self._tables = sqlite_database(self)
        return self._tables

    def __getitem__(self, name: str) -> "Table":
        return Table(self, name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.tables, name)

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self._conn.execute(sql, parameters or [])

    def executescript(self, sql: str) -> sqlite3.Cursor:
        return self._conn.executescript(sql)

    def query(self, sql: str, parameters: Any = None) -> Iterator[dict[str, Any]]:
        """Rows as dicts of column to value, as sqlite-utils' ``query``."""
        cursor = self._conn.execute(sql, parameters or [])
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row))

    def table_exists(self, name: str) -> bool:
        return self._conn.execute(
            "select 1 from sqlite_master where type = 'table' and name = ?", [name]
        ).fetchone() is not None

    @contextmanager
    def atomic(self) -> Iterator["Database"]:
        if self._conn.in_transaction:
            with self.tables.savepoint():
                yield self
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._conn.rollback()
            raise
        try:
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.rollback()
            raise


class Table:
    """A table: ``rows_where`` reads with plain SQL, as sqlite-utils' own does
    (Home's first frame needs nothing else); every other method is
    sqlite-utils' Table of the same name, made on first use."""

    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.name = name
        self._table: Any = None

    def rows_where(self, where: str | None = None, where_args: Any = None, *,
                   order_by: str | None = None, select: str = "*", limit: int | None = None,
                   offset: int | None = None) -> Iterator[dict[str, Any]]:
        if not self.db.table_exists(self.name):
            return
        sql = f"select {select} from [{self.name}]"
        if where is not None:
            sql += f" where {where}"
        if order_by is not None:
            sql += f" order by {order_by}"
        if limit is not None:
            sql += f" limit {int(limit)}"
        if offset is not None:
            sql += f" offset {int(offset)}"
        yield from self.db.query(sql, where_args)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._table is None:
            self._table = self.db.tables[self.name]
        return getattr(self._table, name)


def sqlite_database(db: Database) -> Any:
    """sqlite-utils' Database over ``db``'s connection; its ``atomic()`` is
    ``db``'s, so a migration or a table method that opens a transaction takes
    the write lock at once too."""
    sqlite_utils = import_sqlite_utils()

    class _Tables(sqlite_utils.Database):  # type: ignore[misc, name-defined]
        def atomic(self) -> Any:  # type: ignore[override]
            return db.atomic()

        def savepoint(self) -> Any:
            return sqlite_utils.Database.atomic(self)

    # No third-party sqlite-utils plugins run inside the patient's journal
    # (and scanning for them costs start-up time).
    return _Tables(db.conn, execute_plugins=False)


def import_sqlite_utils() -> Any:
    """sqlite-utils, imported once. It imports numpy, when it is installed,
    only to map numpy types to columns: the store never writes numpy values,
    and numpy costs about 170 ms, so while no other thread runs (a command in
    the shell, a test) numpy is masked for the import. In the app, the thread
    that imports sqlite-utils after the first frame has loaded numpy already
    for the audio, and masking it then could fail another thread's import."""
    import sys
    import threading

    if "sqlite_utils" in sys.modules or "numpy" in sys.modules or threading.active_count() > 1:
        import sqlite_utils

        return sqlite_utils
    sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy -> ImportError
    try:
        import sqlite_utils
    finally:
        del sys.modules["numpy"]
    return sqlite_utils


class StoreError(Exception):
    """The database could not be opened or written; the message is for the patient."""


class DamagedDatabase(StoreError):
    """The database file is damaged or not a companion database. It is left
    untouched; ``companion restore`` or the app's damaged screen puts a copy back."""

    def __init__(self, path: Path, verdict: "Verdict") -> None:
        self.path = path
        self.verdict = verdict
        super().__init__(
            f"The database at {path} cannot be used: {verdict.problem} "
            "It has not been changed. Start companion to restore the newest good copy, "
            "or see `companion backup --list` and `companion restore FILE`."
            + _what_restoring_hides(path)
        )


def _what_restoring_hides(path: Path) -> str:
    """What follows the damaged line: how many entries the newest good copy
    lacks, and from when ("" without a good copy)."""
    from companion.store import backup

    try:
        copy = backup.newest_good(backup.folder_for(path))
    except (OSError, sqlite3.Error):
        return ""
    return "" if copy is None else " " + backup.newer_line(path, copy)


class DamagedText(sqlite3.DataError):
    """A text value in the database is not valid UTF-8. Unlike sqlite3's own
    "Could not decode to UTF-8 column ... with text ..." the message never
    quotes the value: it is the patient's writing."""

    def __init__(self) -> None:
        from companion.core import text

        super().__init__(text.DAMAGED_TEXT)


class DamagedValue(str):
    """A text the database holds damaged (not UTF-8), read as a placeholder
    that says so: lists and screens show the record instead of stopping.
    The store never writes one back (an edit or a copy of it is refused), and
    the export refuses records that hold one, naming them."""


def is_damaged(value: object) -> bool:
    return isinstance(value, DamagedValue)


def strict_text(data: bytes) -> str:
    """The connection's ``text_factory``: UTF-8; a damaged value reads as a
    DamagedValue placeholder, never as its bytes nor in an error message."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from companion.core import text

        return DamagedValue(text.DAMAGED_VALUE)


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")


def connect(path: Path, passphrase: str | None = None) -> sqlite3.Connection:
    """The raw connection to the file: the one place where the file is opened.

    An encrypted file opens through SQLCipher (``store/crypto.py``) with
    ``passphrase`` or the one unlocked earlier in this process, and raises
    ``crypto.PassphraseNeeded`` or ``crypto.WrongPassphrase`` (both
    StoreErrors) otherwise; its errors are the standard sqlite3 ones. A plain
    file opens with the standard library.
    """
    from companion.store import crypto

    cipher = crypto.connect(path, passphrase, timeout=BUSY_TIMEOUT_S)
    conn = cipher if cipher is not None else sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    conn.text_factory = strict_text  # a damaged text is named, never quoted, in an error
    return conn  # type: ignore[return-value]


def open_database(path: Path, *, backups: bool = True) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    The file is checked first (``store/integrity.py``): a damaged one raises
    ``DamagedDatabase`` and is left exactly as it is. Before each pending
    schema change a copy is made (``store/backup.py``), and once a day too;
    ``backups=False`` skips both (a second process such as an export, where
    the app already does it).
    """
    from companion.core import text
    from companion.store import backup, integrity

    folder = backup.folder_for(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        new = not path.exists() or path.stat().st_size == 0
        if new and path.exists() and backup.list_backups(folder):
            # The patient had records (there are copies of them): an empty
            # file where the database was is damage, not a first start.
            raise DamagedDatabase(path, integrity.Verdict(
                False, "The database file is empty: its records are missing.", "0 bytes"))
        if not path.exists() and backup.list_backups(folder):
            # Copies of the patient's records and no database: it was deleted
            # or moved. Starting an empty one would hide them (and a week of
            # daily copies of it would prune theirs).
            raise DamagedDatabase(path, integrity.Verdict(
                False, text.DATABASE_MISSING, "no file, copies in " + str(folder)))
        first = integrity.precheck(path)
        if not first.ok:
            raise DamagedDatabase(path, first)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        conn = connect(path)
    except OSError as exc:
        raise StoreError(f"Cannot open the database at {path}: {exc.strerror or exc}.") from exc
    errors = integrity.error_types(conn)
    try:
        _configure(conn)
        verdict = integrity.check_connection(conn)
        if not verdict.ok:
            raise DamagedDatabase(path, verdict)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"The database at {path} could not switch to WAL mode.")
        conn.execute("PRAGMA synchronous = FULL")
        db = Database(conn)
        _converge(path, conn)
        _migrate(db, folder if backups and not new else None)
        _mend_search(conn)
        if backups:
            try:
                backup.ensure_daily(conn, folder)
            except backup.BackupError:
                pass  # the records are fine; tomorrow's start tries again
    except StoreError:
        conn.close()
        raise
    except errors as exc:
        conn.close()
        raise StoreError(_describe_open_error(path, exc)) from exc
    return db


def _converge(path: Path, conn: sqlite3.Connection) -> None:
    """Finish what a killed backup, restore or ``encrypt`` left: the
    ``*.partial`` leftovers go, and the plain copies of an encrypted journal
    are encrypted. Never stops the opening: what fails is tried again next time."""
    from companion.store import backup, crypto

    try:
        backup.remove_partials(backup.folder_for(path))
        if crypto.is_encrypted_connection(conn):
            crypto.finish_encryption(path)
    except (OSError, StoreError, sqlite3.Error):
        pass


def _mend_search(conn: sqlite3.Connection) -> None:
    """A damaged full-text index (the journal's search) is rebuilt from the
    entries, which hold every word of it: FTS5's own 'integrity-check', then
    'rebuild'. An index SQLite cannot even load ("vtable constructor failed",
    a shadow table gone) is made again from its own definition, then filled."""
    from companion.store import integrity

    errors = integrity.error_types(conn)
    has_index = conn.execute(
        "select count(*) from sqlite_master where name = 'entries_fts'").fetchone()[0]
    if not has_index:
        return
    try:
        conn.execute("insert into entries_fts(entries_fts) values('integrity-check')")
        conn.commit()  # the check is an INSERT: end the transaction it began
        return
    except errors:
        with contextlib.suppress(*errors):
            conn.rollback()
    try:
        conn.execute("insert into entries_fts(entries_fts) values('rebuild')")
        conn.commit()
        return
    except errors:
        with contextlib.suppress(*errors):
            conn.rollback()
    with contextlib.suppress(*errors):
        _recreate_search(conn)


SEARCH_SHADOWS = ("data", "idx", "docsize", "config", "content")


def _recreate_search(conn: sqlite3.Connection) -> None:
    """Make the search index again from the definition the file holds. Its
    entry in the schema goes first (SQLite cannot drop a table it cannot
    load), then what is left of it; the entries are untouched."""
    definition = conn.execute(
        "select sql from sqlite_master where type = 'table' and name = 'entries_fts'").fetchone()[0]
    version = conn.execute("pragma schema_version").fetchone()[0]
    try:
        conn.execute("begin immediate")
        conn.execute("pragma writable_schema = on")
        conn.execute("delete from sqlite_master where type = 'table' and name = 'entries_fts'")
        conn.execute(f"pragma schema_version = {version + 1}")
        conn.execute("pragma writable_schema = off")
        for shadow in SEARCH_SHADOWS:
            conn.execute(f"drop table if exists entries_fts_{shadow}")
        conn.execute(definition)
        conn.execute("insert into entries_fts(entries_fts) values('rebuild')")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _migrate(db: Database, folder: Path | None) -> None:
    """Apply pending migrations one at a time, each after a fresh copy. A
    journal already up to date is told by plain SQL (core/schema.py lists the
    migrations' names), without importing the migrations or sqlite-utils."""
    from companion.core.schema import MIGRATIONS

    if db.table_exists("_sqlite_migrations"):
        applied = {row[0] for row in db.execute(
            "select name from _sqlite_migrations where migration_set = 'companion'")}
        if applied.issuperset(MIGRATIONS):
            return
    from companion.store import backup
    from companion.store.migrations import migrations

    for step in migrations.pending(db.tables):
        if folder is not None:
            try:
                backup.make(db.conn, folder, f"before-{step.name}")
            except backup.BackupError as exc:
                raise StoreError(
                    f"The database needs an update, but a copy could not be made first, "
                    f"so nothing was changed. {exc}"
                ) from exc
        later = [m.name for m in migrations.pending(db.tables) if m.name != step.name]
        migrations.apply(db.tables, stop_before=later[:1] or None)


def _describe_open_error(path: Path, exc: BaseException) -> str:
    message = str(exc)
    kind = files.write_failure(exc)
    if kind in (files.READ_ONLY, files.UNREACHABLE):
        return (f"The database at {path} cannot be written: check that the folder "
                f"{path.parent} is writable ({message}).")
    if kind == files.FULL:
        return f"The disk holding {path} is full: free some space and start again."
    if kind == files.HELD:
        return f"The database at {path} is held by another program; try again in a moment."
    return f"The database at {path} cannot be used: {message}."


def memory_database() -> Database:
    """A fresh in-memory database with the current schema, for tests."""
    from companion.store.migrations import migrations

    db = Database(sqlite3.connect(":memory:"))
    db.conn.text_factory = strict_text
    _configure(db.conn)
    migrations.apply(db.tables)
    return db
