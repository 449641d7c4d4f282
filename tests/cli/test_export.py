"""``companion export`` and ``companion import`` as the patient types them."""

from __future__ import annotations

import json
import os
import stat

from companion.cli import main
from companion.store import Store


def _seed(paths) -> None:
    store = Store.open(paths.database)
    try:
        store.journal.add("A quiet evening, 😌")
        store.journal.add("Only mine", private=True)
    finally:
        store.close()


def test_export_preview_write_and_list(paths, tmp_path, capsys):
    _seed(paths)
    assert main(["export", "--preview"]) == 0
    out = capsys.readouterr().out
    assert "1 journal entry" in out and "1 private journal entry" in out
    target = tmp_path / "r.json"
    assert main(["export", "--out", str(target)]) == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert "SHA-256" in capsys.readouterr().out
    assert main(["export", "--list"]) == 0
    assert str(target) in capsys.readouterr().out


def test_errors_are_one_line_with_the_right_status(paths, tmp_path, capsys):
    _seed(paths)
    target = tmp_path / "r.md"
    target.write_text("old")
    assert main(["export", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert main(["export", "-o", str(tmp_path / "no" / "r.md")]) == 1
    assert main(["export", "-o", str(tmp_path / "r.pdf"), "--since", "2026-05-01",
                 "--until", "2026-04-01"]) == 2
    assert "impossible" in capsys.readouterr().err
    assert main(["export", "-o", str(tmp_path / "r.docx")]) == 2
    assert main(["export", "--leave-out", "dose", "-o", str(tmp_path / "r.md")]) == 2
    assert main(["export"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert target.read_text() == "old"


def test_import_into_an_empty_home(paths, tmp_path, capsys):
    _seed(paths)
    dump = tmp_path / "all.json"
    assert main(["export", "--include-private", "-o", str(dump)]) == 0
    other = tmp_path / "other-home"
    assert main(["--home", str(other), "import", str(dump)]) == 0
    out = capsys.readouterr().out
    assert "2 added, 0 updated, 0 unchanged" in out and "A copy of the journal" in out
    again = tmp_path / "again.json"
    assert main(["--home", str(other), "export", "--include-private", "-o", str(again)]) == 0
    assert json.loads(again.read_text())["tables"] == json.loads(dump.read_text())["tables"]
    assert main(["--home", str(other), "import", str(dump)]) == 0  # again: nothing doubled
    assert "0 added, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "missing.json")]) == 1


def test_a_damaged_record_is_named_never_quoted(paths, tmp_path, capsys):
    """A text that is not UTF-8 any more (a damaged page): the error names the
    record (table and id), and nothing the patient wrote reaches the terminal."""
    import sqlite3

    store = Store.open(paths.database)
    try:
        kept = store.journal.add("a readable line")
        damaged = store.journal.add("placeholder")
    finally:
        store.close()
    conn = sqlite3.connect(paths.database)
    conn.execute("update entries set text = cast(? as text) where id = ?",
                 ["my secret worry \xff today".encode("latin-1"), damaged.id])
    conn.commit()
    conn.close()
    for fmt in ("md", "json"):
        assert main(["export", "--include-private", "-o", str(tmp_path / f"r.{fmt}")]) == 1
        out, err = capsys.readouterr()
        assert err.count("\n") == 1 and "Traceback" not in err
        assert f"entries {damaged.id} (text)" in err
        assert "secret worry" not in err + out and "readable line" not in err + out
        assert not (tmp_path / f"r.{fmt}").exists()
    assert kept.id != damaged.id


def test_a_damaged_text_read_by_the_store_is_named_not_quoted_and_not_changed(paths):
    """Any read of the damaged value names the entry without quoting it, and
    the store refuses to write over it (its bytes stay for a repair)."""
    import pytest

    from companion.store.journal import EntryError

    store = Store.open(paths.database)
    entry = store.journal.add("placeholder")
    damaged = "my secret worry \xff".encode("latin-1")
    store.db.execute("update entries set text = cast(? as text) where id = ?", [damaged, entry.id])
    store.db.conn.commit()
    read = store.journal.get(entry.id)
    assert read.damaged and "secret worry" not in read.text
    assert read.text == f"(entry {entry.id} is damaged: its text cannot be read and is not shown)"
    with pytest.raises(EntryError) as caught:
        store.journal.update_text(entry.id, "new words")
    assert "secret worry" not in str(caught.value)
    store.db.conn.text_factory = bytes
    assert store.db.execute("select text from entries where id = ?", [entry.id]).fetchone()[0] == damaged
    store.close()
