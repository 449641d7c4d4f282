"""Copies of the patient's database, and putting one back.

Every copy is made with SQLite's online backup API
(``sqlite3.Connection.backup``) from the connection ``db.connect()`` returns,
into a file opened by ``connect()`` too: the copy is consistent even while the
app writes, and with encryption on (issue 7) it stays encrypted with the same
key. Copies live in ``<home>/backups/`` (folder 0700, files 0600), named by
when and why they were made::

    companion-20260302-093000-daily.db            the first start of a day
    companion-20260302-093000-before-m007_x.db    before a schema change
    companion-20260302-093000-manual.db           ``companion backup``
    companion-20260302-093000-before-restore.db   the database a restore replaced

The seven newest automatic copies (daily and before a schema change) are kept;
copies made by hand or before a restore are never removed. A damaged database
is never written to: a restore moves its files, untouched, into
``<home>/damaged/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from companion.core.files import is_disk_full, sync_folder, write_problem
from companion.store import integrity

KEEP = 7
FOLDER = "backups"
DAMAGED_FOLDER = "damaged"
DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
_NAME = re.compile(r"^companion-(\d{8}-\d{6})(?:-(\d+))?-([a-z0-9_-]+)\.db$")
_PAGES_PER_STEP = 1024


class BackupError(Exception):
    """A copy could not be made or put back; the message is for the patient."""


# A NamedTuple, cheaper to create than a frozen dataclass: read before Home's
# first frame (issue 18; see core/trends.py).
class Backup(NamedTuple):
    path: Path
    made_at: datetime
    reason: str

    @property
    def automatic(self) -> bool:
        return self.reason == DAILY or (self.reason.startswith("before-") and self.reason != BEFORE_RESTORE)

    @property
    def label(self) -> str:
        """How the copy is described to the patient."""
        when = f"{self.made_at:%A} {self.made_at.day} {self.made_at:%B %Y, %H:%M}"
        why = {
            DAILY: "the daily copy",
            MANUAL: "made by hand",
            BEFORE_RESTORE: "kept aside before a restore",
        }.get(self.reason, "made before an update of the app")
        return f"{when} ({why})"


def folder_for(database: Path) -> Path:
    return database.parent / FOLDER


def damaged_folder_for(database: Path) -> Path:
    return database.parent / DAMAGED_FOLDER


def _private_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def _connect() -> Callable[[Path], Any]:
    from companion.store.db import connect

    return connect


def list_backups(folder: Path) -> list[Backup]:
    """Every copy in ``folder``, newest first."""
    found: list[tuple[datetime, tuple[int, int], Backup]] = []
    if not folder.is_dir():
        return []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or not path.is_file():
            continue
        made_at = _made_at(match.group(1))
        # Within one second, the serial number and then the file's time decide.
        order = (int(match.group(2) or 0), path.stat().st_mtime_ns)
        found.append((made_at, order, Backup(path, made_at, match.group(3))))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [backup for _, _, backup in found]


def _made_at(stamp: str) -> datetime:
    """The time in a copy's name ("20260302-093000", as _NAME matched it). Read
    without strptime, whose import (about 1 ms) would come before Home's first
    frame for the daily check; an impossible date raises ValueError as strptime does."""
    return datetime(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]),
                    int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15]))


def _target(folder: Path, reason: str, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    path = folder / f"companion-{stamp}-{reason}.db"
    serial = 1
    while path.exists():
        serial += 1
        path = folder / f"companion-{stamp}-{serial}-{reason}.db"
    return path


@contextlib.contextmanager
def _writing(partial: Path) -> Iterator[int]:
    """Create ``partial`` (mode 0600) and hold a lock on it while it is being
    written: ``remove_partials`` (at another process's start) leaves it alone."""
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def remove_partials(folder: Path) -> list[Path]:
    """Remove what a copy or a restore cut short left in ``folder`` (a
    ``*.partial`` file and its -journal, -wal and -shm): a part of the
    patient's records that nothing will finish, and that encryption would not
    reach. A file another process is still writing is left alone."""
    if not folder.is_dir():
        return []
    bases = sorted({folder / (p.name.split(".partial")[0] + ".partial")
                    for p in folder.iterdir() if ".partial" in p.name})
    removed: list[Path] = []
    for base in bases:
        try:
            fd = os.open(base, os.O_RDONLY)
        except FileNotFoundError:
            fd = None  # only its -journal or -wal is left
        except OSError:
            continue
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # being written right now
            for suffix in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{base}{suffix}")
            removed.append(base)
        finally:
            if fd is not None:
                os.close(fd)
    if removed:
        sync_folder(folder)
    return removed


#: How long a copy waits while another connection holds the journal locked
#: (SQLite's online backup would otherwise retry for ever), and how many times
#: it may start again because another process wrote meanwhile.
BUSY_LIMIT_S = 15.0
RESTART_LIMIT = 20


class CopyBusy(Exception):
    """The journal stayed locked or kept changing under the copy."""


def _bounded() -> Callable[[int, int, int], None]:
    deadline = time.monotonic() + BUSY_LIMIT_S
    state = {"remaining": None, "restarts": 0}

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            if time.monotonic() > deadline:
                raise CopyBusy()
            return
        last = state["remaining"]
        if last is not None and remaining > last:  # another process wrote: it began again
            state["restarts"] += 1
            if state["restarts"] > RESTART_LIMIT:
                raise CopyBusy()
        state["remaining"] = remaining

    return progress


def copy_database(source: Any, target: Path) -> None:
    """An online copy of the open connection ``source`` into ``target``
    (written beside it, then renamed into place; mode 0600)."""
    connect = _connect()
    partial = target.with_name(target.name + ".partial")
    errors = integrity.error_types(source)
    try:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal")):
            leftover.unlink(missing_ok=True)
        # A read-only folder or a full disk fails here: told in one line below.
        with _writing(partial) as fd:
            dest = connect(partial)
            try:
                source.backup(dest, pages=_PAGES_PER_STEP, progress=_bounded())
                # The copy stands alone: no -wal file beside it.
                dest.execute("PRAGMA journal_mode = DELETE").fetchone()
            finally:
                dest.close()
            os.chmod(partial, 0o600)
            os.fsync(fd)
            os.replace(partial, target)
        sync_folder(target.parent)
    except CopyBusy:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        from companion.core import text

        raise BackupError(text.BACKUP_BUSY) from None
    except (OSError, *errors) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        reason = write_problem(exc) if is_disk_full(exc) else (getattr(exc, "strerror", None) or str(exc))
        raise BackupError(f"The copy could not be written to {target.parent}: {reason}.") from exc


def make(source: Any, folder: Path, reason: str, now: datetime | None = None) -> Backup:
    """Copy the database open on ``source`` into ``folder``; automatic copies
    beyond the newest seven are removed afterwards."""
    now = now or datetime.now()
    try:
        _private_folder(folder)
    except OSError as exc:
        raise BackupError(f"The folder {folder} cannot be created: {exc.strerror or exc}.") from exc
    target = _target(folder, reason, now)
    copy_database(source, target)
    made = Backup(target, now.replace(microsecond=0), reason)
    if made.automatic:
        prune(folder, live=_entries(source))
    return made


def _entries(conn: Any) -> int | None:
    """How many entries the database open on ``conn`` holds (None: unknown)."""
    try:
        return int(conn.execute("select count(*) from entries").fetchone()[0])
    except Exception:  # the driver's errors, a missing table
        return None


def _entries_in(path: Path) -> int | None:
    try:
        conn = _connect()(path)
    except Exception:  # the driver's errors, a passphrase not known here
        return None
    try:
        return _entries(conn)
    finally:
        conn.close()


def prune(folder: Path, keep: int = KEEP, live: int | None = None) -> list[Path]:
    """Remove automatic copies beyond the newest ``keep``; returns what went.

    The newest copy that holds more entries than the live database (``live``
    of them) is never removed: after the journal was deleted or emptied, a
    week of daily copies of the empty one must not push out the last copy of
    the patient's records."""
    copies = list_backups(folder)
    spare: Path | None = None
    if live is not None:
        for copy in copies:
            held = _entries_in(copy.path)
            if held is not None and held > live:
                spare = copy.path
                break
    removed = []
    for old in [b for b in copies if b.automatic][keep:]:
        if old.path == spare:
            continue
        try:
            old.path.unlink()
            removed.append(old.path)
        except OSError:
            pass
    return removed


def daily_due(folder: Path, now: datetime | None = None) -> bool:
    """No automatic copy made yet today."""
    today = (now or datetime.now()).date()
    return not any(b.automatic and b.made_at.date() == today for b in list_backups(folder))


def ensure_daily(source: Any, folder: Path, now: datetime | None = None) -> Backup | None:
    """The day's copy, unless one was made already today."""
    if not daily_due(folder, now):
        return None
    return make(source, folder, DAILY, now)


def newest_good(folder: Path, connect: Any = None) -> Backup | None:
    """The newest copy that passes the integrity check, or None."""
    for backup in list_backups(folder):
        if integrity.check_file(backup.path, connect).ok:
            return backup
    return None


@dataclass(frozen=True)
class Newer:
    """What restoring a copy would hide: the entries of ``database`` written
    or changed after the copy was made. ``count`` is None when the file
    cannot be read at all (so nobody can say)."""

    count: int | None
    newest: datetime | None = None


def newer_than(database: Path, copy: Backup) -> Newer:
    """Read ``database`` (read-only, whatever is still readable) for the
    entries written after ``copy``. Never writes to it."""
    try:
        conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    except sqlite3.Error:
        return Newer(None)
    try:
        conn.text_factory = bytes
        found = conn.execute("select created_at, updated_at from entries").fetchall()
    except sqlite3.Error:
        return Newer(None)
    finally:
        conn.close()
    later = []
    for stamps in found:
        for stamp in stamps:
            when = _local(stamp)
            if when is not None and when > copy.made_at:
                later.append(when)
                break
    return Newer(len(later), max(later) if later else None)


def newer_line(database: Path, copy: Backup) -> str:
    """One line for the patient: how many entries restoring ``copy`` would
    hide, and the newest one's time (the damaged screen, `companion restore`
    and the CLI's "cannot be used" line say the same)."""
    from companion.core import text

    if not database.exists():
        return text.DAMAGED_NEWER_MISSING
    newer = newer_than(database, copy)
    if newer.count is None:
        return text.DAMAGED_NEWER_UNKNOWN
    if not newer.count or newer.newest is None:
        return text.DAMAGED_NEWER_NONE
    when = f"{newer.newest:%A} {newer.newest.day} {newer.newest:%B %Y, %H:%M}"
    return text.DAMAGED_NEWER.format(count=newer.count, when=when)


def as_copy(path: Path) -> Backup:
    """Any file given to restore, as a copy: one of ours by its name, else
    made when the file was last written."""
    match = _NAME.match(path.name)
    if match:
        return Backup(path, _made_at(match.group(1)), match.group(3))
    return Backup(path, datetime.fromtimestamp(path.stat().st_mtime), MANUAL)


def _local(stamp: object) -> datetime | None:
    try:
        text = stamp.decode() if isinstance(stamp, bytes) else str(stamp or "")
        when = datetime.fromisoformat(text)
    except (ValueError, UnicodeDecodeError):
        return None
    return when.astimezone().replace(tzinfo=None) if when.tzinfo else when


def set_aside_damaged(database: Path, now: datetime | None = None) -> Path:
    """Move a damaged database (with its -wal and -shm files) untouched into
    ``<home>/damaged/<when>/``; returns the folder."""
    now = now or datetime.now()
    root = _private_folder(damaged_folder_for(database))
    aside = root / now.strftime("%Y%m%d-%H%M%S")
    serial = 1
    while aside.exists():
        serial += 1
        aside = root / f"{now:%Y%m%d-%H%M%S}-{serial}"
    aside.mkdir(mode=0o700)
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = Path(f"{database}{suffix}")
        if part.exists():
            os.replace(part, aside / part.name)
    sync_folder(database.parent)
    return aside


class Restored(NamedTuple):
    source: Path
    kept_aside: Path | None
    """The copy of the database that was replaced (a backup, or the damaged folder)."""
    damaged: bool


_SHM_DMS_BYTE = 128
"""SQLite (unix) holds a shared lock on this byte of ``<database>-shm`` for
as long as a connection in WAL mode is open, in any process."""


def in_use(database: Path) -> bool:
    """Whether another process has the database open (the app, a command).

    Asks the lock, never waits: a write lock on SQLite's "dead man switch"
    byte of the -shm file is refused while any connection holds it. (A POSIX
    lock of this process would not conflict, so call this with no connection
    of your own to the database open.)"""
    shm = Path(f"{database}-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False  # no -shm: nobody has it open in WAL mode
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


def restore(database: Path, source: Path, now: datetime | None = None) -> Restored:
    """Put the copy ``source`` in place of ``database``.

    The copy is checked first. A healthy current database is copied aside
    (``before-restore``, never pruned) and then overwritten through SQLite, so
    another open connection sees the restored records rather than a swapped
    file. A damaged one is moved, untouched, into ``<home>/damaged/``.
    """
    from companion.core import text

    if in_use(database):
        raise BackupError(text.RESTORE_IN_USE)
    connect = _connect()
    verdict = integrity.check_file(source, connect)
    if not verdict.ok:
        raise BackupError(f"{source} cannot be restored: {verdict.problem[0].lower()}{verdict.problem[1:]}")
    now = now or datetime.now()
    current = integrity.check_file(database, connect) if database.exists() and database.stat().st_size else None
    kept: Path | None = None
    damaged = current is not None and not current.ok
    if damaged:
        kept = set_aside_damaged(database, now)
    elif current is not None:
        conn = connect(database)
        try:
            kept = make(conn, folder_for(database), BEFORE_RESTORE, now).path
        finally:
            conn.close()
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    dest = connect(database)
    staged: Path | None = None
    errors = integrity.error_types(dest)
    try:
        from companion.store import crypto

        copy_from = source
        if crypto.is_encrypted_connection(dest) and not crypto.is_encrypted(source):
            # A plain copy into an encrypted journal: it is encrypted first, so
            # the journal stays encrypted (and SQLite copies page for page).
            staged = copy_from = _encrypted_stage(source, database)
        src = connect(copy_from)
        try:
            dest.execute("PRAGMA busy_timeout = 15000")
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = WAL").fetchone()
        finally:
            src.close()
    except (OSError, *errors) as exc:
        raise BackupError(f"The copy could not be put back: {write_problem(exc)}.") from exc
    finally:
        dest.close()
        if staged is not None:
            with contextlib.suppress(OSError):
                staged.unlink()
    os.chmod(database, 0o600)
    return Restored(source, kept, damaged)


def _encrypted_stage(source: Path, database: Path) -> Path:
    """The plain copy ``source`` written again, encrypted like ``database``,
    into the backups folder (``.partial``: removed once it is restored)."""
    import sqlite3

    from companion.store import crypto

    folder = _private_folder(folder_for(database))
    stage = folder / f"restoring-{source.stem}.db.partial"
    stage.unlink(missing_ok=True)
    os.close(os.open(stage, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    plain_src, plain_dest = sqlite3.connect(source), sqlite3.connect(stage)
    try:
        plain_src.backup(plain_dest)
        plain_dest.execute("PRAGMA journal_mode = DELETE").fetchone()
    finally:
        plain_dest.close()
        plain_src.close()
    try:
        crypto.encrypt_copy(stage, crypto.known(database))
    except BaseException:
        stage.unlink(missing_ok=True)
        raise
    return stage
