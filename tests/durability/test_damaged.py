"""A damaged database is found at start, never written to, and the one
damaged screen offers the newest good copy."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys

import pytest
from textual.widgets import OptionList, Static

from companion.cli import main
from companion.store import Store, backup
from companion.store.db import DamagedDatabase
from companion.ui.screens.damaged import DamagedApp
from tests.durability.conftest import rows
from tests.ptyapp import PtyProcess


def _digest(path) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def with_records(paths):  # type: ignore[no-untyped-def]
    store = Store.open(paths.database)  # the day's copy is made here
    infusion = store.sessions.begin()
    store.journal.save_for(infusion.id, "intention", "", "to rest without fighting it")
    for n in range(300):
        store.journal.add(f"page {n}: " + "slept badly, walked a little, felt lighter " * 5)
    backup.make(store.db.conn, backup.folder_for(paths.database), backup.MANUAL)
    store.close()
    return paths


def _truncate(path) -> None:  # type: ignore[no-untyped-def]
    os.truncate(path, path.stat().st_size // 2)


def _garbage_header(path) -> None:  # type: ignore[no-untyped-def]
    with path.open("r+b") as handle:
        handle.write(b"\x00" * 512)


def _garbage_pages(path) -> None:  # type: ignore[no-untyped-def]
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(bytes(range(256)) * 40)


def _wrong_file(path) -> None:  # type: ignore[no-untyped-def]
    path.unlink()
    other = sqlite3.connect(path)
    other.execute("create table photos (id integer primary key, name text)")
    other.execute("insert into photos (name) values ('beach.jpg')")
    other.commit()
    other.close()


def _text_file(path) -> None:  # type: ignore[no-untyped-def]
    path.write_text("Dear diary, this is not a database.\n" * 30)


def _emptied(path) -> None:  # type: ignore[no-untyped-def]
    path.write_bytes(b"")


DAMAGE = [_truncate, _garbage_header, _garbage_pages, _wrong_file, _text_file, _emptied]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__.strip("_") for d in DAMAGE])
def test_damage_is_found_at_start_and_the_file_is_left_as_it_is(with_records, damage, capsys):
    paths = with_records
    damage(paths.database)
    before = _digest(paths.database)
    with pytest.raises(DamagedDatabase):
        Store.open(paths.database)
    # A command says so in one line and writes nothing either.
    assert main(["backup"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "companion restore" in err
    assert _digest(paths.database) == before
    # The newest good copy has the records.
    good = backup.newest_good(backup.folder_for(paths.database))
    assert good is not None
    assert rows(good.path, "select count(*) from entries")[0][0] == 301


@pytest.mark.parametrize("damage", [_garbage_header, _text_file])
def test_a_file_without_a_header_is_not_taken_for_an_encrypted_journal(with_records, damage, capsys):
    damage(with_records.database)
    assert main(["note", "a quick line"]) == 1
    assert "companion restore" in capsys.readouterr().err


def test_a_damaged_copy_is_skipped_for_an_older_good_one(with_records):
    folder = backup.folder_for(with_records.database)
    good = backup.list_backups(folder)[0]
    newer = folder / "companion-29991231-000000-manual.db"
    newer.write_bytes(good.path.read_bytes()[: good.path.stat().st_size // 3])
    assert backup.list_backups(folder)[0].path == newer
    assert backup.newest_good(folder).path == good.path


async def test_the_damaged_screen_restores_the_newest_good_copy(with_records):
    paths = with_records
    _garbage_pages(paths.database)
    damaged_bytes = paths.database.read_bytes()
    copy = backup.newest_good(backup.folder_for(paths.database))
    app = DamagedApp(paths.database, "The database file is damaged.", copy)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert "could not be opened safely" in str(screen.query_one("#damaged-title", Static).render())
        assert "newest good copy" in str(screen.query_one("#damaged-offer", Static).render())
        await pilot.press("r")  # asks first
        await pilot.press("n")
        assert _digest(paths.database) == hashlib.sha256(damaged_bytes).hexdigest()
        await pilot.press("r")
        await pilot.press("y")
        await pilot.pause()
        result = str(screen.query_one("#damaged-result", Static).render())
        assert "Restored" in result
        await pilot.press("enter")  # Open companion
    assert app.return_value is True
    # The damaged file was moved aside untouched; the copy is in its place.
    kept = list((paths.home / "damaged").glob("*/companion.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    store = Store.open(paths.database)
    try:
        assert store.journal.count() == 301
    finally:
        store.close()


async def test_without_a_good_copy_the_screen_only_offers_to_quit(paths):
    paths.database.write_text("not a database" * 100)
    app = DamagedApp(paths.database, "The database file is damaged.", None)
    async with app.run_test(size=(100, 30)) as pilot:
        menu = app.screen.query_one("#damaged-menu", OptionList)
        assert [menu.get_option_at_index(i).id for i in range(menu.option_count)] == ["quit_unchanged"]
        assert "No good copy" in str(app.screen.query_one("#damaged-offer", Static).render())
        await pilot.press("r")  # not offered: nothing happens
        await pilot.press("q")
    assert app.return_value is False
    assert paths.database.read_text() == "not a database" * 100


@pytest.mark.slow
def test_starting_the_app_on_a_damaged_database_shows_the_screen(with_records):
    paths = with_records
    paths.settings.write_text('audio_backend = "null"\n', encoding="utf-8")
    _truncate(paths.database)
    app = PtyProcess([sys.executable, "-m", "companion"], env={"COMPANION_HOME": str(paths.home)})
    try:
        app.wait_for(b"could not be opened safely")
        app.wait_for(b"Restore the copy")
        app.send(b"r")
        app.wait_for(b"Restore (y)")
        app.send(b"y")
        app.wait_for(b"Open companion")
        app.send(b"\r")
        app.wait_for(b"Set and setting")  # the app itself: the restored session, at Preparation
    finally:
        app.kill()
    assert rows(paths.database, "select count(*) from entries")[0][0] == 301


def _killed_during_checkpoint(source, target) -> None:  # type: ignore[no-untyped-def]
    """Copy ``source`` and its WAL as a kill during a checkpoint leaves them:
    the newest page 1 (whose header counts the new pages) already copied from
    the WAL into the main file, the pages after it not yet, the WAL intact."""
    import shutil

    shutil.copyfile(source, target)
    shutil.copyfile(f"{source}-wal", f"{target}-wal")
    wal = (target.parent / f"{target.name}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    newest_first_page = None
    offset = 32
    while offset + 24 + page_size <= len(wal):
        if int.from_bytes(wal[offset:offset + 4], "big") == 1:
            newest_first_page = wal[offset + 24:offset + 24 + page_size]
        offset += 24 + page_size
    assert newest_first_page is not None
    with target.open("r+b") as handle:
        handle.write(newest_first_page)


def test_pages_still_in_the_wal_are_not_damage(paths, tmp_path, capsys):
    """A kill during a checkpoint: the main file is shorter than its header
    says, the missing pages are in the WAL, SQLite's check passes."""
    store = Store.open(paths.database)
    store.sessions.begin()
    reader = sqlite3.connect(paths.database)  # an open read keeps the new pages in the WAL
    reader.execute("begin")
    reader.execute("select count(*) from entries").fetchone()
    for n in range(200):
        store.journal.add(f"entry {n} " + "slept badly, walked a little " * 20)
    target = paths.database
    copy = tmp_path / "killed.db"
    _killed_during_checkpoint(target, copy)
    reader.close()
    store.close()
    for suffix in ("", "-wal", "-shm"):
        (target.parent / f"{target.name}{suffix}").unlink(missing_ok=True)
    os.replace(copy, target)
    os.replace(f"{copy}-wal", f"{target}-wal")
    header = target.read_bytes()[:100]
    assert target.stat().st_size < int.from_bytes(header[28:32], "big") * int.from_bytes(header[16:18], "big")

    store = Store.open(target)
    assert store.db.conn.execute("select count(*) from entries").fetchone()[0] == 200
    store.close()
    for command in (["export", "--format", "json", "--out", str(tmp_path / "out.json")],
                    ["backup"], ["scores"]):
        assert main(command) == 0, capsys.readouterr().err
        assert "cut short" not in capsys.readouterr().err


def test_a_wal_index_that_cannot_be_opened_is_not_called_damage(with_records, monkeypatch, capsys):
    """A -shm file SQLite cannot create or open (a read-only folder, another
    owner: "attempt to write a readonly database", as SQLite says to a user
    who may read the folder but not write it) is "cannot open", not damage."""
    from companion.store import db as db_module
    from companion.store import StoreError

    real_connect = db_module.connect

    class NoSharedMemory:
        def __init__(self, conn):  # type: ignore[no-untyped-def]
            self._conn = conn

        def execute(self, sql, *args):  # type: ignore[no-untyped-def]
            if sql.lower().startswith("pragma quick_check"):
                raise sqlite3.OperationalError("attempt to write a readonly database")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self._conn, name)

    monkeypatch.setattr(db_module, "connect", lambda path, passphrase=None: NoSharedMemory(real_connect(path)))
    before = _digest(with_records.database)
    with pytest.raises(StoreError) as raised:
        Store.open(with_records.database)
    assert not isinstance(raised.value, DamagedDatabase)
    assert main(["backup"]) == 1
    err = capsys.readouterr().err
    assert "damaged" not in err and "cannot be written" in err and err.count("\n") == 1
    assert _digest(with_records.database) == before


async def test_the_offer_says_how_many_newer_entries_a_restore_would_hide(with_records):
    paths = with_records
    copy = backup.newest_good(backup.folder_for(paths.database))
    _three_newer_entries(paths)
    app = DamagedApp(paths.database, "The database file is damaged.", copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        offer = str(app.screen.query_one("#damaged-offer", Static).render())
        assert "3 entries were written or changed after that copy" in offer
        assert "3 March 2999, 10:00" in offer

    _garbage_header(paths.database)
    app = DamagedApp(paths.database, "The database file is damaged.", copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        offer = str(app.screen.query_one("#damaged-offer", Static).render())
        assert "nobody can say how many entries" in offer


def test_a_deleted_journal_is_noticed_and_note_does_not_start_an_empty_one(with_records, capsys):
    paths = with_records
    paths.database.unlink()
    with pytest.raises(DamagedDatabase) as raised:
        Store.open(paths.database)
    assert "missing" in raised.value.verdict.problem
    assert main(["note", "a quick line"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing" in err and "companion restore" in err
    assert not paths.database.exists()


async def test_the_screen_offers_the_newest_copy_of_a_deleted_journal(with_records):
    paths = with_records
    paths.database.unlink()
    copy = backup.newest_good(backup.folder_for(paths.database))
    app = DamagedApp(paths.database, "The database file is missing.", copy)
    async with app.run_test(size=(80, 24)) as pilot:
        offer = str(app.screen.query_one("#damaged-offer", Static).render())
        assert "journal file itself is gone" in offer
        await pilot.press("r")
        await pilot.press("y")
        await pilot.pause()
        assert "Restored" in str(app.screen.query_one("#damaged-result", Static).render())
        await pilot.press("enter")
    assert app.return_value is True
    store = Store.open(paths.database)
    try:
        assert store.journal.count() == 301
    finally:
        store.close()


def test_daily_copies_of_an_emptier_journal_never_prune_the_last_full_copy(with_records):
    from datetime import datetime, timedelta

    from companion.store.db import memory_database

    folder = backup.folder_for(with_records.database)
    for copy in backup.list_backups(folder):
        copy.path.unlink()
    start = datetime.now() + timedelta(days=1)
    store = Store.open(with_records.database)
    full = backup.make(store.db.conn, folder, backup.DAILY, now=start - timedelta(hours=1))
    store.close()
    assert rows(full.path, "select count(*) from entries")[0][0] == 301
    empty = memory_database()  # what a journal started again from nothing holds
    for day in range(backup.KEEP + 3):
        backup.make(empty.conn, folder, backup.DAILY, now=start + timedelta(days=day))
    left = backup.list_backups(folder)
    assert full.path in [copy.path for copy in left]
    assert len(left) == backup.KEEP + 1


def _three_newer_entries(paths) -> None:  # type: ignore[no-untyped-def]
    """Three entries written after the newest copy, the newest on 3 March 2999."""
    store = Store.open(paths.database)
    for n in range(3):
        store.journal.add(f"after the copy {n}")
    store.close()
    conn = sqlite3.connect(paths.database)
    conn.execute("update entries set created_at = '2999-03-0' || (id % 3 + 1) || 'T10:00:00', "
                 "updated_at = '2999-03-0' || (id % 3 + 1) || 'T10:00:00' "
                 "where text like 'after the copy%'")
    conn.commit()
    conn.close()


def _garbage_index_page(path) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(path)
    page_size = conn.execute("pragma page_size").fetchone()[0]
    root = conn.execute("select rootpage from sqlite_master where type = 'index' "
                        "and tbl_name = 'entries' and sql is not null").fetchone()[0]
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes(range(256)) * (page_size // 256))


def test_the_damaged_line_of_a_command_says_what_restoring_would_hide(with_records, capsys):
    paths = with_records
    _three_newer_entries(paths)
    _garbage_index_page(paths.database)  # damage SQLite finds, with the entries still readable
    assert main(["scores"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1  # still one line
    assert "cannot be used" in err
    assert ("3 entries were written or changed after that copy, the newest on "
            "Sunday 3 March 2999, 10:00") in err


def test_restore_asks_with_how_many_newer_entries_it_would_hide(with_records, capsys, monkeypatch):
    paths = with_records
    _three_newer_entries(paths)
    copy = backup.newest_good(backup.folder_for(paths.database))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": "n")
    assert main(["restore", str(copy.path)]) == 1
    out = capsys.readouterr().out
    assert "3 entries were written or changed after that copy" in out
    assert "Nothing was changed." in out
    assert rows(paths.database, "select count(*) from entries")[0][0] == 304
