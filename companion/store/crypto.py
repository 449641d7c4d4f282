"""Encryption of the patient's database at rest (SQLCipher through sqlcipher3).

An encrypted database is a SQLCipher 4 file: every page, the schema and the
search index included, is encrypted with a key derived from the patient's
passphrase (PBKDF2-HMAC-SHA512, SQLCipher's defaults). A plain database is an
ordinary SQLite file opened with the standard library, as before.

    crypto.is_encrypted(path)             # from the file's first 16 bytes
    crypto.unlock(path, passphrase)       # checks it and keeps it for connect()
    crypto.encrypt(path, new)             # plain -> encrypted
    crypto.change(path, old, new)         # new passphrase
    crypto.decrypt(path, old)             # encrypted -> plain

Each change writes a complete new database next to the old one with
``sqlcipher_export()``, checks it (integrity and the row count of every
table), flushes it to the disk, and only then renames it over the old one
(``os.replace`` is atomic). A power cut at any moment leaves the old database
or the new one, never half of each; a leftover temporary file is removed the
next time the database is opened. The change holds SQLCipher's exclusive lock
for its whole length, so it refuses to run while the app or a shell command
has the database open.

sqlcipher3 raises its own exception classes, which are not those of the
standard sqlite3 module that sqlite-utils and the rest of the app catch. The
connection is therefore handed out wrapped (``CipherConnection``): each
error is raised again as the sqlite3 class of the same name, so
``except sqlite3.OperationalError`` works the same on both kinds of file.

The passphrase is kept in this process's memory only (``remember``), never
written to a file or a log; with the patient's consent it is kept in the
system keyring instead of being typed each time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from companion.core.files import HELD, fsync_path, looks_encrypted, sync_folder, write_failure
from companion.core.schema import BUSY_TIMEOUT_S
from companion.store.db import StoreError

KEYRING_SERVICE = "companion"
MIN_PASSPHRASE = 8
TEMP_SUFFIX = "-privacy-new"
LOCK_SUFFIX = "-privacy.lock"
CHANGE_BUSY_MS = 500
"""How long a change waits for another program to let go of the database."""

#: Called with the name of each step of a change ("attached", "exported",
#: "verified", "replaced"): tests use it to cut the power at that moment.
step_hook: Callable[[str], None] | None = None


class PrivacyError(StoreError):
    """Encryption could not be done or undone; the message is one line for the patient."""


class PassphraseNeeded(PrivacyError):
    """The database is encrypted and no passphrase was given."""


class WrongPassphrase(PrivacyError):
    """The passphrase does not open the database."""


class DatabaseInUse(PrivacyError):
    """Another program (the app, a note from the shell) has the database open."""


class KeyringUnavailable(PrivacyError):
    """No system keyring can be used on this computer."""


# --- the passphrase --------------------------------------------------------


def normalise(passphrase: str) -> str:
    """The same passphrase typed on any keyboard gives the same key (Unicode NFC)."""
    return unicodedata.normalize("NFC", passphrase)


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase cannot be used, or None when it can."""
    from companion.core import text

    value = normalise(passphrase)
    if len(value) < MIN_PASSPHRASE:
        return text.PRIVACY_TOO_SHORT.format(n=MIN_PASSPHRASE)
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return text.PRIVACY_CONTROL_CHARS
    if not value.strip():
        return text.PRIVACY_TOO_SHORT.format(n=MIN_PASSPHRASE)
    return None


def _literal(passphrase: str) -> str:
    """The passphrase as an SQL string literal (PRAGMA key takes no parameters)."""
    return "'" + normalise(passphrase).replace("'", "''") + "'"


_known: dict[str, str] = {}
_known_lock = threading.Lock()


def _slot(path: Path) -> str:
    return str(Path(path).resolve())


def remember(path: Path, passphrase: str) -> None:
    """Keep the passphrase in memory for ``connect()`` (this process only)."""
    with _known_lock:
        _known[_slot(path)] = normalise(passphrase)


def forget(path: Path | None = None) -> None:
    """Drop the passphrase kept for ``path`` (or every one)."""
    with _known_lock:
        if path is None:
            _known.clear()
            _checked.clear()
        else:
            _known.pop(_slot(path), None)
            _checked.pop(_slot(path), None)


def known(path: Path) -> str | None:
    """The passphrase for ``path``: its own, or that of the journal whose
    folder holds it (a backup copy beside an encrypted journal)."""
    slot = Path(_slot(path))
    with _known_lock:
        if str(slot) in _known:
            return _known[str(slot)]
        for database, passphrase in _known.items():
            if Path(database).parent in slot.parents:
                return passphrase
    return None


# --- the file ---------------------------------------------------------------


def is_encrypted(path: Path) -> bool:
    """Whether the file is a SQLCipher database (``core.files.looks_encrypted``)."""
    return looks_encrypted(path)


def _silence(raw: Any) -> None:
    """SQLCipher writes its own log lines to stderr (a wrong key logs an
    'hmac check failed'); the level is process-wide and NONE keeps them out."""
    raw.execute("PRAGMA cipher_log_level = NONE")


def _sqlcipher() -> Any:
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:  # pragma: no cover - the wheel is a dependency
        from companion.core import text

        raise PrivacyError(text.PRIVACY_NO_SQLCIPHER) from exc
    return dbapi2


def _open_raw(path: Path, passphrase: str | None, *, timeout: float = BUSY_TIMEOUT_S,
              isolation_level: str | None = "", exclusive: bool = False) -> Any:
    """A sqlcipher3 connection keyed with ``passphrase`` and checked: the
    wrong passphrase raises WrongPassphrase, never a traceback."""
    from companion.core import text

    dbapi2 = _sqlcipher()
    raw = dbapi2.connect(str(path), timeout=timeout, isolation_level=isolation_level)
    try:
        _silence(raw)
        if passphrase is not None:
            raw.execute(f"PRAGMA key = {_literal(passphrase)}")
        if exclusive:  # before the first read, so that it holds the file alone
            raw.execute("PRAGMA locking_mode = EXCLUSIVE")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi2.DatabaseError as exc:
        raw.close()
        if passphrase is not None and "not a database" in str(exc):
            raise WrongPassphrase(text.PRIVACY_WRONG) from None
        raise _translate(exc) from None
    except BaseException:
        raw.close()
        raise
    return raw


# The connection unlock() checked the passphrase with, kept for the first
# open_encrypted() of the same file in the same thread: deriving the key from
# the passphrase is the slow part of opening (PBKDF2, about 0.1 s), and an
# encrypted start-up then derives it once.
_checked: dict[str, tuple[int, str, Any]] = {}


def _take_checked(path: Path, passphrase: str, timeout: float) -> Any | None:
    with _known_lock:
        held = _checked.pop(_slot(path), None)
    if held is None:
        return None
    thread, key, raw = held
    if thread != threading.get_ident() or key != normalise(passphrase):
        return None  # another thread or another passphrase: a fresh, checked connection
    raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return raw


def open_encrypted(path: Path, passphrase: str, timeout: float = BUSY_TIMEOUT_S) -> "CipherConnection":
    """A connection to the encrypted database at ``path`` (WrongPassphrase if it does not open it)."""
    raw = _take_checked(path, passphrase, timeout)
    return CipherConnection(raw if raw is not None else _open_raw(path, passphrase, timeout=timeout))


def connect(path: Path, passphrase: str | None = None,
            timeout: float = BUSY_TIMEOUT_S) -> "CipherConnection | None":
    """The SQLCipher connection ``db.connect()`` hands out, or None when the
    file is a plain one (opened with the standard library as before).

    A new or empty file is encrypted when a passphrase is known for it: its
    own, or that of the encrypted journal in whose folder it is created
    (backup copies of an encrypted journal are encrypted the same way).
    """
    from companion.core import text

    path = Path(path)
    clean_leftovers(path)
    if passphrase is None:
        passphrase = known(path)
    if is_encrypted(path):
        if passphrase is None:
            raise PassphraseNeeded(text.PRIVACY_NEEDED)
        return open_encrypted(path, passphrase, timeout)
    if passphrase is not None and (not path.exists() or path.stat().st_size == 0):
        return open_encrypted(path, passphrase, timeout)
    return None


def check(path: Path, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the database at ``path``."""
    try:
        _open_raw(path, passphrase, timeout=1.0).close()
    except WrongPassphrase:
        return False
    return True


def unlock(path: Path, passphrase: str, *, keep_connection: bool = False) -> None:
    """Check the passphrase against the file and keep it for ``connect()``.

    Nothing is unlocked without a check: a missing file or a plain one raises
    PrivacyError (there is nothing this passphrase could be checked against).
    With ``keep_connection`` the connection that checked it is kept for the
    next ``open_encrypted()`` of the file in this thread (the app's start-up
    opens the journal right after), so the key is derived once."""
    from companion.core import text

    try:
        if not Path(path).exists():
            raise PrivacyError(text.PRIVACY_NO_DATABASE.format(path=path))
        if not is_encrypted(path):
            raise PrivacyError(text.PRIVACY_NOT_ENCRYPTED)
        try:
            raw = _open_raw(path, passphrase, timeout=1.0)
        except WrongPassphrase:
            raise WrongPassphrase(text.PRIVACY_WRONG) from None
    except OSError as exc:  # an unreadable file: said in one line, the passphrase nowhere
        raise PrivacyError(text.PRIVACY_UNREADABLE.format(reason=exc.strerror or type(exc).__name__)) from None
    except sqlite3.Error as exc:
        raise PrivacyError(text.PRIVACY_UNREADABLE.format(reason=exc)) from None
    remember(path, passphrase)
    if not keep_connection:
        raw.close()
        return
    with _known_lock:
        _checked[_slot(path)] = (threading.get_ident(), normalise(passphrase), raw)


class Verifier:
    """Whether a passphrase typed later is the one an open journal was unlocked
    with: a salted PBKDF2 digest kept in this process's memory (never the
    passphrase itself). The lock screen checks against it, so what the app
    holds open is what the passphrase must open, whatever is done to the file
    meanwhile (moved away, put back, replaced by another encrypted file)."""

    ITERATIONS = 100_000

    def __init__(self, passphrase: str) -> None:
        self._salt = os.urandom(16)
        self._digest = self._hash(passphrase)

    def _hash(self, passphrase: str) -> bytes:
        import hashlib  # here: a plain journal's start-up (which imports this module) needs none

        return hashlib.pbkdf2_hmac("sha256", normalise(passphrase).encode("utf-8"),
                                   self._salt, self.ITERATIONS)

    def matches(self, passphrase: str) -> bool:
        import hmac

        return hmac.compare_digest(self._hash(passphrase), self._digest)

    def __repr__(self) -> str:
        return "Verifier(...)"


def verifier_for(path: Path) -> Verifier | None:
    """A Verifier of the passphrase kept for ``path``, or None when none is kept."""
    passphrase = known(path)
    return None if passphrase is None else Verifier(passphrase)


def unlock_held(path: Path, passphrase: str, verifier: Verifier | None) -> None:
    """Unlock a journal the app holds open (the lock screen): the passphrase
    must match ``verifier``, taken when it was locked; without one it is
    checked against the file, which must be there."""
    from companion.core import text

    if verifier is None:
        unlock(path, passphrase)
        return
    if not verifier.matches(passphrase):
        raise WrongPassphrase(text.PRIVACY_WRONG)
    remember(path, passphrase)


# --- exceptions: sqlcipher3's classes raised again as sqlite3's -------------

_NAMES = ("Warning", "InterfaceError", "DatabaseError", "InternalError", "OperationalError",
          "ProgrammingError", "IntegrityError", "DataError", "NotSupportedError", "Error")


def _translate(exc: BaseException) -> BaseException:
    """The standard sqlite3 exception matching a sqlcipher3 one."""
    dbapi2 = _sqlcipher()
    for cls in type(exc).__mro__:
        for name in _NAMES:
            if cls is getattr(dbapi2, name, None):
                twin = getattr(sqlite3, name)(*exc.args)
                for attr in ("sqlite_errorcode", "sqlite_errorname"):
                    if hasattr(exc, attr):
                        setattr(twin, attr, getattr(exc, attr))
                return twin
    return exc


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error:
        raise
    except Exception as exc:
        twin = _translate(exc)
        if twin is exc:
            raise
        raise twin from exc


class _Cursor:
    """A sqlcipher3 cursor whose errors are sqlite3's."""

    __slots__ = ("_raw",)

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def execute(self, *args: Any) -> "_Cursor":
        with _translated():
            self._raw.execute(*args)
        return self

    def executemany(self, *args: Any) -> "_Cursor":
        with _translated():
            self._raw.executemany(*args)
        return self

    def executescript(self, *args: Any) -> "_Cursor":
        with _translated():
            self._raw.executescript(*args)
        return self

    def fetchone(self) -> Any:
        with _translated():
            return self._raw.fetchone()

    def fetchmany(self, *args: Any) -> list[Any]:
        with _translated():
            return self._raw.fetchmany(*args)

    def fetchall(self) -> list[Any]:
        with _translated():
            return self._raw.fetchall()

    def __iter__(self) -> "_Cursor":
        return self

    def __next__(self) -> Any:
        with _translated():
            return next(self._raw)

    def close(self) -> None:
        self._raw.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class CipherConnection:
    """An open encrypted database, shaped like ``sqlite3.Connection`` for
    sqlite-utils and the store, raising the standard sqlite3 errors."""

    encrypted = True

    def __init__(self, raw: Any) -> None:
        object.__setattr__(self, "_raw", raw)

    def execute(self, *args: Any) -> _Cursor:
        with _translated():
            return _Cursor(self._raw.execute(*args))

    def executemany(self, *args: Any) -> _Cursor:
        with _translated():
            return _Cursor(self._raw.executemany(*args))

    def executescript(self, *args: Any) -> _Cursor:
        with _translated():
            return _Cursor(self._raw.executescript(*args))

    def cursor(self, *args: Any) -> _Cursor:
        with _translated():
            return _Cursor(self._raw.cursor(*args))

    def commit(self) -> None:
        with _translated():
            self._raw.commit()

    def rollback(self) -> None:
        with _translated():
            self._raw.rollback()

    def close(self) -> None:
        with _translated():
            self._raw.close()

    def __enter__(self) -> "CipherConnection":
        self._raw.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        with _translated():
            return self._raw.__exit__(*exc)

    def backup(self, target: Any, **kwargs: Any) -> None:
        """An online copy into ``target`` (encrypted with the same passphrase)."""
        with _translated():
            self._raw.backup(getattr(target, "_raw", target), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._raw, name, value)


def is_encrypted_connection(conn: Any) -> bool:
    """Whether an open connection is to an encrypted database."""
    return bool(getattr(conn, "encrypted", False))


# --- changes: encrypt, new passphrase, decrypt -------------------------------


def _temp(path: Path) -> Path:
    return path.with_name(path.name + TEMP_SUFFIX)


def _leftovers(path: Path) -> list[Path]:
    tmp = _temp(path)
    return [tmp] + [tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm")]


@contextlib.contextmanager
def _change_lock(path: Path, wait: bool) -> Iterator[bool]:
    """A lock file held for the whole of a change; yields whether it was taken."""
    lock_path = path.with_name(path.name + LOCK_SUFFIX)
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield not wait  # a read-only folder: no change can run there either
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def clean_leftovers(path: Path) -> None:
    """Remove what a change cut short left behind (a crashed decryption's
    plain copy must not stay on the disk). Skipped while a change runs."""
    if not any(p.exists() for p in _leftovers(path)):
        return
    with _change_lock(path, wait=False) as taken:
        if taken:
            for p in _leftovers(path):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()


def _step(name: str) -> None:
    if step_hook is not None:
        step_hook(name)


def _counts(raw: Any, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in raw.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
    return {n: raw.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in names}


def _convert(path: Path, old: str | None, new: str | None, *, copy: bool = False) -> None:
    """Write the database at ``path`` again with key ``new`` (None: plain);
    ``copy`` for a backup copy, whose passphrase is not kept on its own."""
    from companion.core import text

    path = Path(path)
    if not path.exists():
        raise PrivacyError(text.PRIVACY_NO_DATABASE.format(path=path))
    dbapi2 = _sqlcipher()
    tmp = _temp(path)
    with _change_lock(path, wait=False) as taken:
        if not taken:
            raise DatabaseInUse(text.PRIVACY_IN_USE)
        for p in _leftovers(path):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        try:
            raw = _open_raw(path, old, timeout=CHANGE_BUSY_MS / 1000, isolation_level=None,
                            exclusive=True)
        except sqlite3.OperationalError as exc:
            if write_failure(exc) == HELD:
                raise DatabaseInUse(text.PRIVACY_IN_USE) from None
            raise PrivacyError(text.PRIVACY_FAILED.format(reason=exc)) from None
        ready = False
        try:
            try:
                # Exclusive for the whole change: fails at once if anyone has it open.
                raw.execute("BEGIN EXCLUSIVE")
                raw.execute("COMMIT")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except dbapi2.OperationalError as exc:
                if write_failure(exc) == HELD:
                    raise DatabaseInUse(text.PRIVACY_IN_USE) from None
                raise
            before = _counts(raw)
            version = raw.execute("PRAGMA user_version").fetchone()[0]
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            key = _literal(new) if new is not None else "''"
            raw.execute(f"ATTACH DATABASE ? AS target KEY {key}", [str(tmp)])
            _step("attached")
            raw.execute("SELECT sqlcipher_export('target')")
            raw.execute(f"PRAGMA target.user_version = {int(version)}")
            raw.execute("DETACH DATABASE target")
            _step("exported")
            check_raw = _open_raw(tmp, new, timeout=1.0)
            try:
                result = check_raw.execute("PRAGMA quick_check").fetchone()[0]
                after = _counts(check_raw)
                check_raw.execute("PRAGMA journal_mode = WAL")
            finally:
                check_raw.close()
            if result != "ok" or after != before:
                raise PrivacyError(text.PRIVACY_CHECK_FAILED)
            fsync_path(tmp)
            _step("verified")
            ready = True
        except dbapi2.Error as exc:
            raise PrivacyError(text.PRIVACY_FAILED.format(reason=_translate(exc))) from None
        except OSError as exc:
            raise PrivacyError(text.PRIVACY_FAILED.format(reason=exc.strerror or exc)) from None
        finally:
            with contextlib.suppress(Exception):
                raw.close()
            if not ready:
                for p in _leftovers(path):
                    with contextlib.suppress(FileNotFoundError):
                        p.unlink()
        # The old database is closed and whole; its -wal is empty (checkpointed).
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path.with_name(path.name + suffix))
        os.replace(tmp, path)
        sync_folder(path.parent)
        _step("replaced")
        for p in _leftovers(path):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
    if copy:
        with contextlib.suppress(OSError):
            path.with_name(path.name + LOCK_SUFFIX).unlink()
    elif new is None:
        forget(path)
    else:
        remember(path, new)


def _backups(path: Path) -> list[Path]:
    """The copies of the journal kept beside it (``store/backup.py``)."""
    try:
        from companion.store import backup
    except ImportError:  # pragma: no cover - no backups in this version
        return []
    folders = [backup.folder_for(path)]
    damaged = getattr(backup, "damaged_folder_for", None)
    if damaged is not None:
        folders.append(damaged(path))
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".db")
    return found


def _convert_backups(path: Path, old: str | None, new: str | None) -> list[Path]:
    """Give the copies the journal's new protection: a plain copy must not
    outlive encryption. Returns the copies that could not be converted
    (another passphrase, damaged): they are left as they were."""
    skipped: list[Path] = []
    for copy in _backups(path):
        encrypted = is_encrypted(copy)
        if not encrypted and new is None:
            continue
        try:
            _convert(copy, old if encrypted else None, new, copy=True)
        except (PrivacyError, OSError, sqlite3.Error):
            skipped.append(copy)
    return skipped


def finish_encryption(path: Path) -> list[Path]:
    """An encrypted journal with plain copies beside it (an ``encrypt`` cut
    short after the journal, before its copies): encrypt them now with the
    journal's passphrase. Called at every open; returns the copies that could
    not be encrypted (damaged, or in use), which the next open tries again."""
    passphrase = known(path)
    if passphrase is None or not is_encrypted(path):
        return []
    skipped: list[Path] = []
    for copy in _backups(path):
        if is_encrypted(copy):
            continue
        try:
            _convert(copy, None, passphrase, copy=True)
        except (PrivacyError, OSError, sqlite3.Error):
            skipped.append(copy)
    return skipped


def encrypt(path: Path, new: str) -> None:
    """Encrypt the plain database at ``path`` with the passphrase ``new``."""
    from companion.core import text

    if is_encrypted(path):
        raise PrivacyError(text.PRIVACY_ALREADY_ENCRYPTED)
    problem = passphrase_problem(new)
    if problem:
        raise PrivacyError(problem)
    _convert(path, None, new)
    _convert_backups(path, None, new)


def encrypt_copy(path: Path, passphrase: str | None) -> None:
    """Encrypt the plain copy at ``path`` with the journal's passphrase (its
    passphrase is not kept on its own)."""
    from companion.core import text

    if passphrase is None:
        raise PassphraseNeeded(text.PRIVACY_NEEDED)
    _convert(path, None, passphrase, copy=True)


def change(path: Path, old: str, new: str) -> None:
    """Give the encrypted database at ``path`` a new passphrase."""
    from companion.core import text

    if not is_encrypted(path):
        raise PrivacyError(text.PRIVACY_NOT_ENCRYPTED)
    problem = passphrase_problem(new)
    if problem:
        raise PrivacyError(problem)
    if not check(path, old):
        raise WrongPassphrase(text.PRIVACY_WRONG)
    _convert(path, old, new)
    _convert_backups(path, old, new)


def decrypt(path: Path, old: str) -> None:
    """Turn encryption off: the database at ``path`` becomes a plain SQLite file."""
    from companion.core import text

    if not is_encrypted(path):
        raise PrivacyError(text.PRIVACY_NOT_ENCRYPTED)
    if not check(path, old):
        raise WrongPassphrase(text.PRIVACY_WRONG)
    _convert(path, old, None)
    _convert_backups(path, old, None)


# --- the system keyring ------------------------------------------------------


def _keyring() -> Any:
    from companion.core import text

    try:
        import keyring
        from keyring.backends import fail
    except Exception as exc:  # pragma: no cover - keyring is a dependency
        raise KeyringUnavailable(text.PRIVACY_NO_KEYRING) from exc
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        raise KeyringUnavailable(text.PRIVACY_NO_KEYRING)
    return keyring


def keyring_get(path: Path) -> str | None:
    """The passphrase kept in the system keyring for this database, if any."""
    ring = _keyring()
    try:
        return ring.get_password(KEYRING_SERVICE, _slot(path))
    except Exception as exc:
        from companion.core import text

        raise KeyringUnavailable(text.PRIVACY_KEYRING_FAILED.format(reason=type(exc).__name__)) from None


def keyring_set(path: Path, passphrase: str) -> None:
    ring = _keyring()
    try:
        ring.set_password(KEYRING_SERVICE, _slot(path), normalise(passphrase))
    except Exception as exc:
        from companion.core import text

        raise KeyringUnavailable(text.PRIVACY_KEYRING_FAILED.format(reason=type(exc).__name__)) from None


def keyring_delete(path: Path) -> None:
    """Remove this database's passphrase from the keyring (nothing kept is fine)."""
    try:
        ring = _keyring()
        ring.delete_password(KEYRING_SERVICE, _slot(path))
    except Exception:
        pass
