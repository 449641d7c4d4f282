"""A record whose text the database holds damaged (not UTF-8) is shown by
what it is and its number on every screen that lists it; nothing stops, the
damaged bytes are never shown nor written over."""

from __future__ import annotations

from companion.store import Store
from companion.ui.screens.export import ExportScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.journal import JournalScreen
from companion.ui.screens.trash import TrashScreen
from tests.ui.helpers import screen_text, wait_until
from tests.ui.test_journal import listed, notices

SIZE = (110, 36)
SECRET = "my secret worry"
PLACEHOLDER = "(entry 2 is damaged: its text cannot be read and is not shown)"


def damage_entry_two(paths, clock) -> bytes:
    store = Store.open(paths.database, clock)
    try:
        for words in ("first page", "second page", "third page"):
            store.journal.add(words)
            clock.advance(minutes=5)
        raw = f"{SECRET} \xff".encode("latin-1")
        store.db.execute("update entries set text = cast(? as text) where id = 2", [raw])
        store.db.conn.commit()
        return raw
    finally:
        store.close()


def stored_bytes(paths) -> bytes:
    store = Store.open(paths.database)
    try:
        store.db.conn.text_factory = bytes
        return store.db.execute("select text from entries where id = 2").fetchone()[0]
    finally:
        store.close()


async def test_the_journal_lists_a_damaged_entry_by_number_and_does_not_open_it(
        build_app, paths, clock):
    raw = damage_entry_two(paths, clock)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("j")
        await wait_until(pilot, lambda: isinstance(app.screen, JournalScreen))
        shown = listed(app)
        assert len(shown) == 3
        assert PLACEHOLDER in shown[1] and "third page" in shown[0]
        assert SECRET not in screen_text(app)
        await pilot.press("down", "enter")  # the list is focused on the newest: to entry 2, open
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)  # nothing to edit: it says why
        assert any("Entry 2 is damaged" in n for n in notices(app))
        await pilot.press("d")  # it can go to the trash like any entry
        await pilot.pause()
        assert len(listed(app)) == 2
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        assert PLACEHOLDER in screen_text(app) or any(PLACEHOLDER in n for n in listed_trash(app))
    assert stored_bytes(paths) == raw


def listed_trash(app) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.widgets import OptionList

    found = app.screen.query(OptionList)
    return [str(o.get_option_at_index(i).prompt) for o in found for i in range(o.option_count)]


async def test_the_export_screen_names_the_damaged_entry_and_writes_nothing(
        build_app, paths, clock):
    damage_entry_two(paths, clock)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        shown = screen_text(app)
        assert SECRET not in shown
        assert "entries 2" in shown or "entry 2" in shown
