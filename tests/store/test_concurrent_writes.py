"""A transaction that reads and then writes is never refused because another
process wrote to the journal in between (WAL mode answers "database is locked"
at once to a deferred transaction whose snapshot went stale)."""

from __future__ import annotations

import sqlite3
import threading
import time

from companion.store import Store


def test_a_read_then_write_survives_a_write_from_another_connection(paths):
    store = Store.open(paths.database)
    other = sqlite3.connect(paths.database, timeout=10, check_same_thread=False)
    other.execute("PRAGMA busy_timeout = 10000")
    wrote = threading.Event()
    errors: list[BaseException] = []

    def note_from_another_process() -> None:
        try:
            other.execute("insert into entries (kind, text, created_at, updated_at) "
                          "values ('note', 'from the shell', '2026-03-02T09:30:00', "
                          "'2026-03-02T09:30:00')")
            other.commit()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        wrote.set()

    try:
        with store.db.atomic():
            store.db.execute("select count(*) from infusions").fetchone()
            writer = threading.Thread(target=note_from_another_process)
            writer.start()
            time.sleep(0.3)  # the other connection commits here unless it must wait
            store.db["infusions"].insert({"number": 1, "stage": "preparation",
                                          "created_at": "2026-03-02T09:30:00"})
        writer.join(timeout=15)
        assert wrote.is_set() and not errors, errors
        assert store.db.execute("select count(*) from infusions").fetchone()[0] == 1
        assert store.db.execute(
            "select count(*) from entries where text = 'from the shell'").fetchone()[0] == 1
    finally:
        other.close()
        store.close()
