"""Automatic and manual copies of the database, and putting one back."""

from __future__ import annotations

import pytest
import io
import stat
from datetime import datetime, timedelta


from companion.core.schema import MIGRATIONS
from companion.cli import main
from companion.store import Store
from companion.store import backup
from companion.store.db import open_database
from companion.store.migrations import migrations
from tests.durability.conftest import rows


def _mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_start_of_a_day_makes_one_private_copy(paths):
    store = Store.open(paths.database)
    store.journal.add("a calm morning")
    store.close()
    Store.open(paths.database).close()  # the same day: no second copy
    folder = backup.folder_for(paths.database)
    copies = backup.list_backups(folder)
    assert [c.reason for c in copies] == ["daily"]
    assert _mode(folder) == 0o700 and _mode(copies[0].path) == 0o600
    # The copy stands alone (no -wal beside it) and opens.
    assert not list(folder.glob("*-wal"))


def test_a_copy_holds_everything_written_before_it(paths):
    store = Store.open(paths.database)
    entry = store.journal.add("the ocean track helped")
    made = backup.make(store.db.conn, backup.folder_for(paths.database), backup.MANUAL)
    store.close()
    assert rows(made.path, "select text from entries where id = ?", (entry.id,)) == [
        ("the ocean track helped",)]


def test_only_the_seven_newest_automatic_copies_are_kept(paths):
    store = Store(open_database(paths.database, backups=False))
    folder = backup.folder_for(paths.database)
    manual = backup.make(store.db.conn, folder, backup.MANUAL, datetime(2026, 1, 1, 8, 0))
    start = datetime(2026, 3, 1, 9, 0)
    for day in range(10):
        backup.ensure_daily(store.db.conn, folder, start + timedelta(days=day))
        backup.ensure_daily(store.db.conn, folder, start + timedelta(days=day, hours=5))
    store.close()
    copies = backup.list_backups(folder)
    daily = [c.made_at.date() for c in copies if c.automatic]
    assert len(daily) == 7 and len(set(daily)) == 7  # one a day at most
    assert max(daily) == (start + timedelta(days=9)).date()
    assert manual.path.exists()  # made by hand: never removed


def test_a_copy_is_made_before_every_pending_migration(paths):
    names = list(MIGRATIONS)
    import sqlite_utils

    old = sqlite_utils.Database(paths.database)
    migrations.apply(old, stop_before=names[-2])  # an older version of the app
    old["entries"].insert({"kind": "note", "text": "written with an old version",
                           "created_at": "2026-03-01T10:00:00+00:00",
                           "updated_at": "2026-03-01T10:00:00+00:00"})
    old.conn.close()
    open_database(paths.database).conn.close()
    reasons = [c.reason for c in backup.list_backups(backup.folder_for(paths.database))]
    assert f"before-{names[-2]}" in reasons and f"before-{names[-1]}" in reasons
    before_last = next(c for c in backup.list_backups(backup.folder_for(paths.database))
                       if c.reason == f"before-{names[-1]}")
    applied = {r[0] for r in rows(before_last.path, "select name from _sqlite_migrations")}
    assert names[-1] not in applied and names[-2] in applied
    assert rows(before_last.path, "select text from entries") == [("written with an old version",)]


def test_companion_backup_and_restore_by_hand(paths, capsys):
    store = Store.open(paths.database)
    store.journal.add("kept in the copy")
    store.close()
    assert main(["backup"]) == 0
    made = capsys.readouterr().out
    assert "Copied the database to" in made
    store = Store.open(paths.database)
    store.journal.add("written after the copy")
    store.close()
    copy = next(c for c in backup.list_backups(backup.folder_for(paths.database))
                if c.reason == "manual")
    assert main(["restore", copy.path.name, "--yes"]) == 0
    said = capsys.readouterr().out
    assert "kept at" in said
    texts = [r[0] for r in rows(paths.database, "select text from entries")]
    assert texts == ["kept in the copy"]
    # The replaced database was kept aside first, with the later entry.
    aside = next(c for c in backup.list_backups(backup.folder_for(paths.database))
                 if c.reason == "before-restore")
    assert sorted(r[0] for r in rows(aside.path, "select text from entries")) == [
        "kept in the copy", "written after the copy"]


def test_restore_asks_first_and_a_no_changes_nothing(paths, capsys, monkeypatch):
    store = Store.open(paths.database)
    store.journal.add("today's page")
    store.close()
    assert main(["backup"]) == 0
    copy = backup.list_backups(backup.folder_for(paths.database))[0]
    before = paths.database.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["restore", str(copy.path)]) == 2  # not a terminal: --yes needed
    assert "--yes" in capsys.readouterr().err

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("n\n"))
    assert main(["restore", str(copy.path)]) == 1
    assert "Nothing was changed" in capsys.readouterr().out
    assert paths.database.read_bytes() == before


def test_restore_refuses_a_damaged_copy(paths, capsys):
    Store.open(paths.database).close()
    bad = paths.home / "not-a-copy.db"
    bad.write_bytes(b"garbage " * 1000)
    assert main(["restore", str(bad), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be restored" in err
    assert main(["restore", "nowhere.db", "--yes"]) == 2


def test_backup_list_names_each_copy_and_its_state(paths, capsys):
    Store.open(paths.database).close()
    assert main(["backup"]) == 0
    folder = backup.folder_for(paths.database)
    broken = folder / "companion-20200101-000000-daily.db"
    broken.write_bytes(b"x" * 5000)
    capsys.readouterr()
    assert main(["backup", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[-1].startswith(broken.name) and "DAMAGED" in lines[-1]
    assert all(line.endswith("ok") for line in lines[:2])


def test_backup_out_never_replaces_a_file(paths, capsys):
    Store.open(paths.database).close()
    target = paths.home / "usb-copy.db"
    target.write_text("mine")
    assert main(["backup", "--out", str(target)]) == 2
    assert target.read_text() == "mine"
    fresh = paths.home / "usb-copy-2.db"
    assert main(["backup", "--out", str(fresh)]) == 0
    assert _mode(fresh) == 0o600
    assert rows(fresh, "select count(*) from _sqlite_migrations")[0][0] > 0


def test_restore_is_refused_while_the_app_has_the_journal_open(paths, capsys):
    import subprocess
    import sys

    from companion.cli import main
    from companion.store import Store, backup

    store = Store.open(paths.database)
    store.journal.add("before the copy")
    copy = backup.make(store.db.conn, backup.folder_for(paths.database), backup.MANUAL)
    store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from companion.store import Store; "
         f"s = Store.open(Path({str(paths.database)!r})); s.journal.add('typed in the app'); "
         "print('open', flush=True); sys.stdin.readline(); "
         "s.journal.add('typed after'); print(s.journal.count(), flush=True); s.close()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert main(["restore", "--yes", str(copy.path)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "open in companion" in err
    finally:
        out, _ = holder.communicate("\n", timeout=30)
    assert holder.returncode == 0 and out.strip() == "3"
    store = Store.open(paths.database)
    try:
        assert store.journal.count() == 3
    finally:
        store.close()
    assert main(["restore", "--yes", str(copy.path)]) == 0  # once the app is closed it works


def test_a_copy_gives_up_in_one_line_while_another_process_holds_the_journal(
        paths, capsys, monkeypatch):
    """SQLite's online copy retries a locked journal for ever; ours stops
    after a while and says why, leaving nothing half written."""
    import sqlite3
    import time

    store = Store.open(paths.database)
    store.journal.add("a page worth copying")
    store.close()
    holder = sqlite3.connect(paths.database)
    holder.execute("pragma locking_mode = exclusive")
    holder.execute("begin exclusive")
    holder.execute("insert into entries (kind, text, created_at, updated_at, day, tags, private) "
                   "values ('note', 'held', '2026-01-01T00:00:00', '2026-01-01T00:00:00', "
                   "'2026-01-01', '[]', 0)")
    monkeypatch.setattr(backup, "BUSY_LIMIT_S", 0.5)
    source = sqlite3.connect(paths.database, timeout=0.1)
    target = paths.home / "held-copy.db"
    started = time.monotonic()
    try:
        with pytest.raises(backup.BackupError) as caught:
            backup.copy_database(source, target)
    finally:
        source.close()
        holder.rollback()
        holder.close()
    assert time.monotonic() - started < 10
    assert "another process kept the journal locked" in str(caught.value)
    assert not target.exists() and not target.with_name(target.name + ".partial").exists()
