"""Is this file the patient's database, whole? Checked at every start.

Two steps. The first reads the file's first hundred bytes without SQLite: an
empty file, a file shorter than its header says (truncated), or a file that is
plainly something else. An encrypted database (issue 7) has no readable
header, so this step only decides for plain files. The second step asks
SQLite itself, on the connection ``db.connect()`` returns (so it works for
plain and encrypted files alike): ``PRAGMA quick_check`` walks every page, and
the migrations table tells a companion database from another program's.

Nothing here writes to the file being checked.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from typing import Any, NamedTuple

from companion.core.files import SQLITE_HEADER, looks_encrypted, write_failure

MIGRATION_SET = "companion"


# A NamedTuple, cheaper to create than a frozen dataclass: read before Home's
# first frame (issue 18; see core/trends.py).
class Verdict(NamedTuple):
    """The result of a check. ``problem`` is one sentence for the patient."""

    ok: bool
    problem: str = ""
    detail: str = ""
    """What SQLite said, for a clinic's IT person; not shown on its own."""


GOOD = Verdict(True)


def error_types(conn: Any) -> tuple[type[BaseException], ...]:
    """The database errors of ``conn``'s driver: sqlite3's, and SQLCipher's
    when ``connect()`` hands back a sqlcipher3 connection."""
    found: list[type[BaseException]] = [sqlite3.Error]
    module_name = type(conn).__module__
    if module_name and not module_name.startswith("sqlite3"):
        try:
            other = getattr(importlib.import_module(module_name), "Error", None)
        except ImportError:
            other = None
        if isinstance(other, type) and issubclass(other, BaseException):
            found.append(other)
    return tuple(found)


def precheck(path: Path) -> Verdict:
    """The file's header and size, read without SQLite. A missing file is fine
    (a new database); so is a file whose header is not plain SQLite, since an
    encrypted database looks like noise: SQLite decides those."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return GOOD
    except OSError as exc:
        return Verdict(False, "The database file cannot be read.", exc.strerror or str(exc))
    if size == 0:
        return GOOD
    if not header.startswith(SQLITE_HEADER):
        # An encrypted database is whole pages of what looks like random
        # bytes. Anything else (text, zeros, a plain database whose first
        # bytes were overwritten) is not one, whatever a passphrase would say.
        if not looks_encrypted(path) or not _looks_random(path):
            return Verdict(False, "The database file is damaged or is not a companion database.",
                           "no SQLite header, and not an encrypted database either")
        return GOOD  # probably encrypted: SQLCipher decides
    if size < 100:
        return Verdict(False, "The database file has been cut short.", f"{size} bytes")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    changes = int.from_bytes(header[24:28], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    # The page count in the header is trusted by SQLite only when it was
    # written by the same change as the header (the "version-valid-for" field).
    # Pages still in the write-ahead log (a kill or a full disk during a
    # checkpoint) make a file shorter than its header: SQLite reads them from
    # the WAL, and its own check after opening decides.
    if pages and changes == valid_for and size < pages * page_size and not _has_wal(path):
        return Verdict(
            False, "The database file has been cut short: part of it is missing.",
            f"{size} bytes on disk, the header says {pages} pages of {page_size} bytes",
        )
    return GOOD


def _has_wal(path: Path) -> bool:
    try:
        return (path.parent / f"{path.name}-wal").stat().st_size > 0
    except OSError:
        return False




def _looks_random(path: Path) -> bool:
    """The first page uses nearly every byte value, as ciphertext does (4,096
    random bytes miss one of the 256 values with a probability below 1e-4)."""
    with path.open("rb") as handle:
        page = handle.read(4096)
    return len(page) >= 1024 and len(set(page)) >= (230 if len(page) >= 4096 else 200)


def check_connection(conn: Any) -> Verdict:
    """SQLite's own check of every page, and whether this is a companion database."""
    errors = error_types(conn)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
        if rows != ["ok"]:
            return Verdict(False, "The database file is damaged: some of its pages are broken.",
                           "; ".join(str(r) for r in rows))
        tables = {r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table'").fetchall()}
        if not tables:
            return GOOD  # a new, empty database
        if "_sqlite_migrations" not in tables:
            return Verdict(False, "This file is not a companion database.",
                           f"tables: {', '.join(sorted(tables)[:8])}")
        applied = conn.execute(
            "select count(*) from _sqlite_migrations where migration_set = ?", [MIGRATION_SET]
        ).fetchone()[0]
        if not applied:
            return Verdict(False, "This file is not a companion database.",
                           "no companion migrations recorded")
    except errors as exc:
        message = str(exc)
        if write_failure(exc) is not None:
            raise  # cannot open or write the files beside it is not damage: the caller says which folder or file
        if "not a database" in message or "encrypted" in message:
            return Verdict(False, "The database file is damaged or is not a companion database.",
                           message)
        return Verdict(False, "The database file is damaged.", message)
    return GOOD


def check_file(path: Path, connect: Any = None) -> Verdict:
    """Both steps for a file that must exist and hold a companion database
    (a backup about to be restored, for example)."""
    if not path.is_file():
        return Verdict(False, "The file does not exist.", str(path))
    if path.stat().st_size == 0:
        return Verdict(False, "The file is empty.", str(path))
    first = precheck(path)
    if not first.ok:
        return first
    if connect is None:
        from companion.store.db import connect
    try:
        conn = connect(path)
    except Exception as exc:  # the driver's own errors, or OSError
        return Verdict(False, "The file cannot be opened.", str(exc))
    try:
        try:
            verdict = check_connection(conn)
        except error_types(conn) as exc:
            return Verdict(False, "The file cannot be opened.", str(exc))
        if verdict.ok and not _has_tables(conn):
            return Verdict(False, "The file holds no companion records.", str(path))
        return verdict
    finally:
        conn.close()


def _has_tables(conn: Any) -> bool:
    return bool(conn.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0])
