"""A page opened again continues where the patient stopped: the keys they
type are added after their last word, not in front of the first."""

from __future__ import annotations

from companion.core.stages import Stage
from companion.store import Store
from companion.ui.screens.entry import EntryScreen
from companion.ui.screens.session import SessionScreen
from tests.ui.helpers import wait_until


async def test_a_resumed_intention_continues_after_the_last_word(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    store.sessions.set_stage(infusion.id, Stage.INTENTION)
    store.journal.save_for(infusion.id, "intention", "", "To rest.")
    store.close()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SessionScreen)  # resumed at once
        await pilot.press(*" And to listen.")
        app.autosave.flush()
        assert app.store.journal.find(infusion.id, "intention").text == "To rest. And to listen."


async def test_an_entry_opened_again_continues_after_the_last_word(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    store.journal.add("Slept long.\nLess burning")
    store.close()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "JournalScreen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EntryScreen))
        await pilot.press(*" in the shoulders.")
        app.autosave.flush()
        texts = [e.entry.text for e in app.store.journal.search("")]
        assert texts == ["Slept long.\nLess burning in the shoulders."]


async def test_an_integration_answer_continues_after_the_last_word(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    store.sessions.set_stage(infusion.id, Stage.INTEGRATION)
    store.journal.save_for(infusion.id, "integration", "experience", "Warm colours.")
    store.close()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SessionScreen)
        await pilot.press(*" Then quiet.")
        app.autosave.flush()
        entry = app.store.journal.find(infusion.id, "integration", "experience")
        assert entry.text == "Warm colours. Then quiet."
