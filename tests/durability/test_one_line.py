"""What goes wrong outside the app's control is one line on stderr, with exit
status 1 or 2, never a traceback (issue 12): a JSON file nested too deeply,
COMPANION_HOME pointing to a file, a read-only folder or database, a full
disk, a plain copy restored into an encrypted journal."""

from __future__ import annotations

import pytest

from companion.cli import main
from companion.core import text
from companion.store import Store, crypto
from tests.durability.conftest import database_pragma, read_only_folder

PASSPHRASE = "correct horse battery"


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _note(paths, words: str) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(paths.database)
    try:
        store.journal.add(words)
    finally:
        store.close()


def test_importing_a_deeply_nested_json_file(paths, tmp_path, capsys) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["import", str(deep)]) == 1
    err = _one_line(capsys.readouterr().err)
    assert "nested too deeply" in err and str(deep) in err


@pytest.mark.parametrize("command", [["encrypt"], ["decrypt"], ["passphrase"], ["keyring", "on"],
                                     ["note", "words"], ["backup"]])
def test_companion_home_pointing_to_a_file(tmp_path, monkeypatch, capsys, command) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("something else", encoding="utf-8")
    monkeypatch.setenv("COMPANION_HOME", str(a_file))
    assert main(command) == 1
    err = _one_line(capsys.readouterr().err)
    assert "is a file, not a folder" in err and "COMPANION_HOME" in err
    assert a_file.read_text(encoding="utf-8") == "something else"


def test_home_below_a_file_given_with_home(tmp_path, capsys) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    assert main(["--home", str(a_file / "inside"), "encrypt"]) == 1
    err = _one_line(capsys.readouterr().err)
    assert f"{a_file} is a file" in err and "--home" in err


def test_backup_out_into_a_read_only_folder(paths, tmp_path, monkeypatch, capsys) -> None:
    _note(paths, "kept")
    folder = tmp_path / "read-only"
    folder.mkdir()
    read_only_folder(monkeypatch, folder)
    assert main(["backup", "--out", str(folder / "copy.db")]) == 1
    err = _one_line(capsys.readouterr().err)
    assert "could not be written" in err and "Read-only file system" in err
    assert list(folder.iterdir()) == []


def test_restoring_a_plain_copy_into_an_encrypted_journal(paths, tmp_path, capsys) -> None:
    """It works, and the journal stays encrypted."""
    other = tmp_path / "other-home"
    assert main(["--home", str(other), "note", "written in the plain copy"]) == 0
    plain_copy = tmp_path / "plain-copy.db"
    plain_copy.write_bytes((other / "companion.db").read_bytes())
    _note(paths, "written before the restore")
    try:
        crypto.encrypt(paths.database, PASSPHRASE)  # remembers it, as an unlocked terminal does
        capsys.readouterr()
        assert main(["restore", str(plain_copy), "--yes"]) == 0
        assert "Restored the database" in capsys.readouterr().out
        assert crypto.is_encrypted(paths.database)
        assert b"written in the plain copy" not in paths.database.read_bytes()
        store = Store.open(paths.database)
        try:
            assert [h.entry.text for h in store.journal.search()] == ["written in the plain copy"]
        finally:
            store.close()
        leftovers = [p.name for p in paths.database.parent.rglob("*") if "partial" in p.name]
        assert leftovers == []
    finally:
        crypto.forget()


def test_export_from_a_read_only_database(paths, tmp_path, monkeypatch, capsys) -> None:
    """The file is written; that it could not be logged is said in one line."""
    _note(paths, "a line to share")
    database_pragma(monkeypatch, "PRAGMA query_only = ON")
    out = tmp_path / "report.md"
    assert main(["export", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    err = _one_line(captured.err)
    assert "could not be added to `companion export --list`" in err and "read-only" in err
    assert "a line to share" in out.read_text(encoding="utf-8")
    assert f"Wrote {out}" in captured.out


def test_a_full_disk_is_called_a_full_disk(paths, monkeypatch, capsys) -> None:
    _note(paths, "the first line")
    database_pragma(monkeypatch, "PRAGMA max_page_count = {pages}")  # not one page more
    assert main(["note", "a long page " * 20_000]) == 1
    err = _one_line(capsys.readouterr().err)
    assert text.WRITE_DISK_FULL in err and "rollback" not in err
    assert "nothing was written" in err


def test_a_full_disk_that_ends_the_transaction_is_still_a_full_disk(paths, capsys) -> None:
    """On a real full disk SQLite may roll the transaction back itself; a
    second ROLLBACK then failed with "cannot rollback - no transaction is
    active", which was all the patient saw. A trigger reproduces it exactly."""
    import sqlite3

    _note(paths, "the first line")
    conn = sqlite3.connect(paths.database)
    conn.execute("CREATE TRIGGER disk_full BEFORE INSERT ON entries "
                 "BEGIN SELECT RAISE(ROLLBACK, 'database or disk is full'); END")
    conn.commit()
    conn.close()
    assert main(["note", "one more line"]) == 1
    err = _one_line(capsys.readouterr().err)
    assert text.WRITE_DISK_FULL in err and "rollback" not in err
