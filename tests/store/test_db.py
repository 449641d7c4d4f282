"""The database file on disk: private, WAL, shared safely with a second process."""

import os
import subprocess
import sys
import textwrap

import pytest

from companion.store import Store, StoreError


def test_database_is_private_and_in_wal_mode(paths):
    store = Store.open(paths.database)
    try:
        assert os.stat(paths.database).st_mode & 0o777 == 0o600
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        store.sessions.begin()
    finally:
        store.close()
    reopened = Store.open(paths.database)
    try:
        assert reopened.sessions.current() is not None  # the data survived the reopen
    finally:
        reopened.close()


def test_reopening_applies_no_migration_twice(paths):
    Store.open(paths.database).close()
    store = Store.open(paths.database)
    try:
        names = [r[0] for r in store.db.execute("select name from _sqlite_migrations")]
        assert names == sorted(set(names))
    finally:
        store.close()


def test_a_file_that_is_not_a_database_gives_one_clear_error(paths):
    paths.database.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot be used"):
        Store.open(paths.database)


def test_a_second_process_writes_while_we_hold_a_write_transaction(paths):
    store = Store.open(paths.database)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from companion.store import Store
        s = Store.open(Path({str(paths.database)!r}))
        s.journal.add("from the other process")
        s.close()
        """
    )
    try:
        with store.db.atomic():
            store.journal.add("ours")
            other = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE)
            # Hold the write lock for a moment: the other process must wait, not fail.
            import time

            time.sleep(0.5)
        _, err = other.communicate(timeout=60)
        assert other.returncode == 0, err.decode()
        texts = {r[0] for r in store.db.execute("select text from entries")}
        assert texts == {"ours", "from the other process"}
    finally:
        store.close()
