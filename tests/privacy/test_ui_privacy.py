"""The app: the idle lock (never during Experience), unlocking, and the
Privacy screen encrypting the journal the patient is using."""

from __future__ import annotations

import pytest

from companion.core import text
from companion.core.stages import Stage
from companion.store import crypto
from companion.ui.screens.lock import LockScreen
from companion.ui.screens.privacy import PrivacyScreen
from tests.privacy.conftest import NEW, OLD
from tests.ui.helpers import screen_text, wait_until


@pytest.fixture
def encrypted(paths, clock):  # type: ignore[no-untyped-def]
    from companion.store import Store

    store = Store.open(paths.database, clock)
    store.journal.add("a private line")
    store.close()
    crypto.encrypt(paths.database, OLD)
    return paths.database


async def test_idle_locks_and_the_passphrase_unlocks(encrypted, build_app, clock) -> None:
    app = build_app(idle_lock_minutes=5)
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(minutes=4)
        app.idle_lock.check()
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)
        clock.advance(minutes=2)
        app.idle_lock.check()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "a private line" not in screen_text(app)
        assert crypto.known(encrypted) is None  # forgotten while locked

        await pilot.press(*"wrong passphrase", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert text.PRIVACY_WRONG in screen_text(app)

        await pilot.press(*OLD, "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, LockScreen))
        assert crypto.known(encrypted) is not None


async def _locked(app, pilot, clock) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    clock.advance(minutes=6)
    app.idle_lock.check()
    await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))


async def test_the_lock_holds_while_the_journal_file_is_moved_away(encrypted, build_app, clock) -> None:
    """Lock, move the file away, type a wrong passphrase, put it back: still
    locked (the passphrase was never checked against a missing file)."""
    app = build_app(idle_lock_minutes=5)
    moved = encrypted.with_name("elsewhere.db")
    async with app.run_test() as pilot:
        await _locked(app, pilot, clock)
        encrypted.rename(moved)
        await pilot.press(*"wrong passphrase", "enter")
        await pilot.pause()
        moved.rename(encrypted)
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert text.PRIVACY_WRONG in screen_text(app)
        assert "a private line" not in screen_text(app)
        assert crypto.known(encrypted) is None

        # The right passphrase opens it, the file moved away or not: the app
        # checks it against the journal it holds open.
        encrypted.rename(moved)
        await pilot.press(*OLD, "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, LockScreen))
        moved.rename(encrypted)
        assert crypto.known(encrypted) is not None


async def test_another_encrypted_file_in_its_place_does_not_unlock(encrypted, build_app, clock,
                                                                 tmp_path) -> None:
    """An attacker's own encrypted file, put where the journal was, does not
    make the attacker's passphrase unlock the open journal."""
    import sqlite3

    app = build_app(idle_lock_minutes=5)
    (tmp_path / "attacker").mkdir()
    decoy = tmp_path / "attacker" / "decoy.db"
    sqlite3.connect(decoy).execute("create table t(x)").connection.commit()
    crypto.encrypt(decoy, "the attacker's passphrase")
    async with app.run_test() as pilot:
        await _locked(app, pilot, clock)
        encrypted.rename(encrypted.with_name("hidden.db"))
        decoy.rename(encrypted)
        await pilot.press(*"the attacker's passphrase", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert text.PRIVACY_WRONG in screen_text(app)
        assert "a private line" not in screen_text(app)


def _unreadable(monkeypatch, path) -> None:  # type: ignore[no-untyped-def]
    """Reading ``path`` fails as for a file of another owner (the tests run as
    root, whom permissions do not stop)."""
    import builtins

    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    from companion.core import files

    monkeypatch.setattr(files, "open", refusing_open, raising=False)


async def test_an_unreadable_journal_at_unlock_is_one_message_not_a_crash(
        encrypted, build_app, clock, monkeypatch) -> None:
    app = build_app(idle_lock_minutes=5)
    async with app.run_test() as pilot:
        await pilot.pause()
        crypto.forget()  # no passphrase kept: the lock checks against the file
        await _locked(app, pilot, clock)
        _unreadable(monkeypatch, encrypted)
        await pilot.press(*OLD, "enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LockScreen)
        shown = screen_text(app)
        assert "could not be read" in shown and "Permission denied" in shown
        assert OLD not in shown and "a private line" not in shown
        monkeypatch.undo()
        await pilot.press(*OLD, "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, LockScreen))


async def test_an_unexpected_error_at_unlock_keeps_it_locked_and_says_so(
        encrypted, build_app, clock, monkeypatch) -> None:
    app = build_app(idle_lock_minutes=5)
    async with app.run_test() as pilot:
        await _locked(app, pilot, clock)

        def broken(self, passphrase):  # type: ignore[no-untyped-def]
            raise RuntimeError("something nobody expected")

        monkeypatch.setattr(crypto.Verifier, "matches", broken)
        await pilot.press(*OLD, "enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LockScreen)
        shown = screen_text(app)
        assert "stays locked" in shown and OLD not in shown
        assert crypto.known(encrypted) is None


async def test_typing_keeps_it_unlocked(encrypted, build_app, clock) -> None:
    app = build_app(idle_lock_minutes=5)
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(minutes=4)
        await pilot.press("down")
        clock.advance(minutes=4)
        app.idle_lock.check()
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)


async def test_never_locks_during_the_experience(encrypted, build_app, clock) -> None:
    app = build_app(idle_lock_minutes=1)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_session()
        await pilot.pause()
        infusion = app.store.sessions.current()
        app.store.sessions.set_stage(infusion.id, Stage.EXPERIENCE)
        assert app.screen.stage is Stage.EXPERIENCE
        clock.advance(hours=2)
        app.idle_lock.check()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)


async def test_a_plain_journal_never_locks(paths, build_app, clock) -> None:
    app = build_app(idle_lock_minutes=1)
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(hours=1)
        app.idle_lock.check()
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)


async def test_encrypt_and_decrypt_from_the_privacy_screen(paths, build_app, clock) -> None:
    app = build_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.store.journal.add("kept through every change")
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, PrivacyScreen))
        assert text.PRIVACY_OFF in screen_text(app)
        await pilot.click("#encrypt")
        await pilot.pause()
        await pilot.press(*NEW, "enter", *NEW, "enter")
        await wait_until(pilot, lambda: crypto.is_encrypted(paths.database)
                         and not app.screen.busy and text.PRIVACY_ON in screen_text(app))
        # the app goes on with the encrypted journal
        assert [h.entry.text for h in app.store.journal.search("kept")] == ["kept through every change"]
        app.store.journal.add("written after")

        await pilot.click("#decrypt")
        await pilot.press("y")
        await pilot.pause()
        await pilot.press(*NEW, "enter")
        await wait_until(pilot, lambda: not crypto.is_encrypted(paths.database)
                         and not app.screen.busy and text.PRIVACY_OFF in screen_text(app))
        assert app.store.db.execute("select count(*) from entries").fetchone()[0] == 2


async def test_the_idle_time_is_a_setting(paths, build_app) -> None:
    from companion import settings as settings_file
    from textual.widgets import Select

    app = build_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, PrivacyScreen))
        app.screen.query_one("#idle", Select).value = 30
        await pilot.pause()
    assert settings_file.load(paths.settings).idle_lock_minutes == 30
