"""Encryption at rest: the full cycle with the records checked at each step,
the wrong passphrase, SQLCipher's silence, and what is left on the disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from companion.core import text
from companion.core.clock import FakeClock
from companion.store import Store, StoreError, crypto
from tests.privacy.conftest import NEW, OLD

SECRET_WORD = "xylophone-lighthouse"


def fill(path: Path, clock: FakeClock) -> None:
    store = Store.open(path, clock)
    try:
        store.journal.add(f"Today I felt the {SECRET_WORD} again", tags=["calm"])
        store.journal.add("A second, plainer entry")
        infusion = store.sessions.begin("default")
        store.sessions.save_intention(infusion.id, "To rest") if hasattr(store.sessions, "save_intention") else None
    finally:
        store.close()


def records(path: Path, clock: FakeClock) -> dict[str, object]:
    """What the patient would see: entries, a search, infusions."""
    store = Store.open(path, clock)
    try:
        return {
            "entries": sorted(e.text for e in store.journal.list()) if hasattr(store.journal, "list")
            else store.db.execute("select count(*) from entries").fetchone()[0],
            "found": [h.entry.text for h in store.journal.search(SECRET_WORD.split("-")[0])],
            "infusions": [i.number for i in store.sessions.all()],
        }
    finally:
        store.close()


def test_plain_encrypted_new_passphrase_plain(paths, clock: FakeClock) -> None:
    db = paths.database
    fill(db, clock)
    before = records(db, clock)
    assert before["found"] and before["infusions"] == [1]

    crypto.encrypt(db, OLD)
    assert crypto.is_encrypted(db)
    assert SECRET_WORD.encode() not in db.read_bytes()
    crypto.forget()
    with pytest.raises(crypto.PassphraseNeeded):
        Store.open(db, clock)
    crypto.unlock(db, OLD)
    assert records(db, clock) == before

    crypto.change(db, OLD, NEW)
    crypto.forget()
    assert not crypto.check(db, OLD)
    crypto.unlock(db, NEW)
    assert records(db, clock) == before

    crypto.decrypt(db, NEW)
    crypto.forget()
    assert not crypto.is_encrypted(db)
    assert db.read_bytes().startswith(b"SQLite format 3\x00")
    assert records(db, clock) == before
    assert not [p for p in db.parent.iterdir() if p.name.endswith(crypto.TEMP_SUFFIX)]


def test_a_store_on_an_encrypted_journal_keeps_working(paths, clock: FakeClock) -> None:
    db = paths.database
    fill(db, clock)
    crypto.encrypt(db, OLD)
    store = Store.open(db, clock)
    try:
        entry = store.journal.add("written after encryption")
        assert store.journal.get(entry.id).text == "written after encryption"
        # sqlcipher3's errors arrive as the standard sqlite3 ones the app catches
        with pytest.raises(sqlite3.OperationalError):
            store.db.execute("select * from no_such_table")
    finally:
        store.close()
    assert "written after encryption".encode() not in db.read_bytes()


def test_wrong_passphrase_is_one_clear_message_and_sqlcipher_stays_quiet(
        paths, clock: FakeClock, capfd: pytest.CaptureFixture[str]) -> None:
    db = paths.database
    fill(db, clock)
    crypto.encrypt(db, OLD)
    crypto.forget()
    with pytest.raises(crypto.WrongPassphrase) as caught:
        crypto.unlock(db, "not the passphrase")
    assert str(caught.value) == text.PRIVACY_WRONG
    assert isinstance(caught.value, StoreError)  # every caller already says it in one line
    with pytest.raises(crypto.WrongPassphrase):
        crypto.decrypt(db, "not the passphrase")
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # SQLCipher's own "hmac check failed" log never shows
    assert crypto.check(db, OLD)


def test_unlock_checks_the_passphrase_or_refuses(paths, clock: FakeClock) -> None:
    """Nothing is unlocked unchecked: a missing or plain file raises."""
    db = paths.database
    with pytest.raises(crypto.PrivacyError):
        crypto.unlock(db, "anything at all")  # no file
    fill(db, clock)
    with pytest.raises(crypto.PrivacyError):
        crypto.unlock(db, "anything at all")  # a plain file
    assert crypto.known(db) is None


def test_a_change_refuses_while_the_app_has_the_journal_open(paths, clock: FakeClock) -> None:
    """Another process (the app) holds the journal: the shell's change waits
    for nobody and changes nothing."""
    import subprocess
    import sys

    db = paths.database
    fill(db, clock)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from companion.store import Store; "
         f"s = Store.open(Path({str(db)!r})); s.journal.add('from the app'); "
         "print('open', flush=True); sys.stdin.readline(); s.close()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(crypto.DatabaseInUse):
            crypto.encrypt(db, OLD)
    finally:
        holder.communicate("\n", timeout=30)
    assert not crypto.is_encrypted(db)
    assert records(db, clock)["infusions"] == [1]
    crypto.encrypt(db, OLD)  # once the app is closed it works
    assert crypto.is_encrypted(db)


def test_new_passphrases_are_checked(paths, clock: FakeClock) -> None:
    fill(paths.database, clock)
    with pytest.raises(crypto.PrivacyError, match="at least 8"):
        crypto.encrypt(paths.database, "short")
    with pytest.raises(crypto.PrivacyError, match="control"):
        crypto.encrypt(paths.database, "tab\there please")
    assert not crypto.is_encrypted(paths.database)


def test_the_same_passphrase_typed_in_another_unicode_form_opens_it(paths, clock: FakeClock) -> None:
    fill(paths.database, clock)
    crypto.encrypt(paths.database, "caf\u00e9 au lait")  # é as one character
    assert crypto.check(paths.database, "cafe\u0301 au lait")  # e + combining accent


def test_backup_copies_follow_the_journal(paths, clock: FakeClock) -> None:
    from companion.store import backup

    db = paths.database
    fill(db, clock)
    store = Store.open(db, clock)
    copy = backup.make(store.db.conn, backup.folder_for(db), "manual").path
    store.close()
    assert not crypto.is_encrypted(copy)

    crypto.encrypt(db, OLD)
    assert crypto.is_encrypted(copy) and crypto.check(copy, OLD)
    assert SECRET_WORD.encode() not in copy.read_bytes()

    store = Store.open(db, clock)  # copies made now are encrypted too
    later = backup.make(store.db.conn, backup.folder_for(db), "manual").path
    store.close()
    assert crypto.is_encrypted(later) and crypto.check(later, OLD)

    crypto.change(db, OLD, NEW)
    assert crypto.check(copy, NEW) and crypto.check(later, NEW)
    crypto.decrypt(db, NEW)
    assert not crypto.is_encrypted(copy) and not crypto.is_encrypted(later)


def test_the_passphrase_is_never_written_down(paths, clock: FakeClock) -> None:
    fill(paths.database, clock)
    crypto.encrypt(paths.database, OLD)
    Store.open(paths.database, clock).close()
    for found in paths.home.rglob("*"):
        if found.is_file():
            assert OLD.encode() not in found.read_bytes(), found


@pytest.mark.parametrize("content", [
    b"", b"SQLite format 3\x00" + bytes(4080), bytes(4096),
    b"Dear diary, this is not a database.\n" * 30, bytes(range(16)) * 256,
])
def test_damage_is_not_taken_for_encryption(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "file.db"
    path.write_bytes(content)
    expected = content == bytes(range(16)) * 256  # 16 distinct bytes, whole pages
    assert crypto.is_encrypted(path) is expected


class CountingSqlcipher:
    """sqlcipher3 with a count of the connections opened (each one derives
    the key from the passphrase: the slow part of opening a journal)."""

    def __init__(self, module: object) -> None:
        self.module = module
        self.opened = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.module, name)

    def connect(self, *args: object, **kwargs: object) -> object:
        self.opened += 1
        return self.module.connect(*args, **kwargs)  # type: ignore[attr-defined]


def test_an_encrypted_start_derives_the_key_once(paths, clock: FakeClock, typed, monkeypatch) -> None:
    from companion.cli import privacy as cli_privacy

    fill(paths.database, clock)
    crypto.encrypt(paths.database, OLD)
    crypto.forget()
    counting = CountingSqlcipher(crypto._sqlcipher())
    monkeypatch.setattr(crypto, "_sqlcipher", lambda: counting)
    typed.append(OLD)
    cli_privacy.unlock(paths, opening=True)  # what `companion` does before the app
    store = Store.open(paths.database, clock)
    try:
        store.journal.add("written after an encrypted start")
        assert store.journal.search("xylophone")
    finally:
        store.close()
    assert counting.opened == 1
    assert records(paths.database, clock)["infusions"] == [1]


def test_a_checked_connection_is_not_kept_for_a_command_that_changes_the_file(
        paths, clock: FakeClock) -> None:
    fill(paths.database, clock)
    crypto.encrypt(paths.database, OLD)
    crypto.forget()
    crypto.unlock(paths.database, OLD)  # as `companion passphrase` checks it
    crypto.change(paths.database, OLD, NEW)  # nothing of this process holds the file
    crypto.forget()
    assert crypto.check(paths.database, NEW)
    assert not crypto.check(paths.database, OLD)
