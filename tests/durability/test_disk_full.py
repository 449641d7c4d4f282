"""The disk full or the data folder read-only while the patient writes: one
clear message, the text kept and retried, no half-written record."""

from __future__ import annotations

from textual.widgets import TextArea

from companion.core.stages import Stage
from companion.store import Store
from companion.ui.screens.session import SessionScreen


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return list(app.told)


async def _to_intention(app, pilot):  # type: ignore[no-untyped-def]
    await pilot.press("enter", "y")
    await pilot.pause()
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen) and app.screen.stage is Stage.INTENTION


async def test_a_read_only_database_keeps_the_text_and_saves_it_later(build_app, paths):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_intention(app, pilot)
        await pilot.press(*"steady")
        app.autosave.flush()
        conn = app.store.db.conn
        conn.execute("PRAGMA query_only = ON")  # every write now fails as on a read-only file
        await pilot.press(*" and kind")
        for _ in range(3):  # the timer retries every second
            assert app.autosave.flush() is False
        await pilot.pause()
        told = [m for m in _messages(app) if "Could not save" in m]
        assert len(told) == 1 and "cannot be written" in told[0] and "kept" in told[0]
        assert app.autosave.pending == 1
        await pilot.press("ctrl+n")  # a direct write fails too: told, not a crash
        await pilot.pause()
        assert app.is_running and app.screen.stage is Stage.INTENTION
        assert app.screen.query_one("#intention-text", TextArea).text == "steady and kind"
        conn.execute("PRAGMA query_only = OFF")
        assert app.autosave.flush() is True
        await pilot.pause()
        assert any("Saving works again" in m for m in _messages(app))
        await pilot.press("ctrl+n")  # and now the stage moves on
        await pilot.pause()
        assert app.screen.stage is Stage.EXPERIENCE
    store = Store.open(paths.database)
    try:
        assert store.journal.find(store.sessions.current().id, "intention").text == "steady and kind"
    finally:
        store.close()


async def test_quitting_with_unsaved_text_asks_first(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_intention(app, pilot)
        app.store.db.conn.execute("PRAGMA query_only = ON")
        await pilot.press(*"not yet saved")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running  # asked, defaulting to stay
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#intention-text", TextArea).text == "not yet saved"
        app.store.db.conn.execute("PRAGMA query_only = OFF")


def test_a_full_disk_leaves_no_half_written_record(paths):
    store = Store.open(paths.database)
    entry = store.journal.add("first words")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up here
    import sqlite3

    import pytest

    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.journal.update_text(entry.id, "a long page " * 20_000, keep_revision=True)
    assert not store.db.conn.in_transaction
    # Neither the revision nor the new text nor its search index went in alone.
    assert store.journal.get(entry.id).text == "first words"
    assert store.journal.revisions(entry.id) == []
    assert [h.entry.id for h in store.journal.search("first")] == [entry.id]
    store.db.execute("PRAGMA max_page_count = 1073741823")
    store.journal.update_text(entry.id, "first words, then more")
    assert [r[0] for r in store.db.execute("PRAGMA integrity_check")] == ["ok"]
    store.close()


async def test_the_music_goes_on_and_marked_moments_wait_when_the_disk_refuses(build_app):
    from companion.core.stages import Stage
    from companion.ui.stages.experience import ExperiencePane
    from tests.ui.helpers import music_playing, wait_until

    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
        await music_playing(pilot)
        await wait_until(pilot, lambda: app.player.position > 0)  # a moment inside the music
        infusion_id = app.screen.infusion_id
        conn = app.store.db.conn
        conn.execute("PRAGMA query_only = ON")
        await pilot.press("m")
        await pilot.press("e", "y")  # ending early cannot move on while the disk refuses
        pane = app.screen.query_one(ExperiencePane)
        assert pane.finished and app.screen.stage is Stage.EXPERIENCE
        assert app.is_running
        assert app.autosave.pending
        conn.execute("PRAGMA query_only = OFF")
        await wait_until(pilot, lambda: not app.autosave.pending)
        await pilot.press("enter")
        assert app.screen.stage is Stage.INTEGRATION
    [moment] = app.store.sessions.moments(infusion_id)
    assert moment.position > 0
    assert app.store.sessions.get(infusion_id).ended_early
