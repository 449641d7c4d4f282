"""Safety text as the patient meets it: the urinary notice in view beside its
tick, the crisis contacts on every screen where the patient writes or reflects
(one line, and F2 in full), an empty crisis setting, and a guided answer that
asks before it goes to the trash."""

from __future__ import annotations

from dataclasses import fields

import pytest
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Checkbox, OptionList, TextArea

from companion import settings as settings_file
from companion.core import text
from companion.core.stages import Stage
from companion.settings import Settings
from companion.store import Store
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.dialogs.crisis import CrisisDialog
from companion.ui.screens.checkin import CheckinScreen
from companion.ui.screens.entry import EntryScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.infusion_journal import InfusionJournalScreen
from companion.ui.stages.integration import IntegrationPane
from companion.ui.screens.journal import JournalScreen
from companion.ui.widgets.crisis import CrisisLine
from tests.ui.helpers import music_playing, screen_text, wait_until

CLINIC = "Clinic line: 555-0100 (8am to 6pm)\nOut of hours: call 988 or 911."


def in_view(widget: Widget) -> bool:
    """Wholly inside the screen and inside every scrolling parent's window,
    as laid out in the last update (after any scrolling)."""
    region = widget.region
    if not widget.display or region.area == 0:
        return False
    if not widget.screen.region.contains_region(region):
        return False
    for parent in widget.ancestors:
        if isinstance(parent, ScrollableContainer):
            if not parent.scrollable_content_region.contains_region(region):
                return False
    return True


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return list(app.told)


async def to_integration(pilot) -> IntegrationPane:  # type: ignore[no-untyped-def]
    """Home, through Preparation and Intention, the music ended early, to Integration."""
    app = pilot.app
    await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
    await music_playing(pilot)
    await pilot.press("e", "y")
    assert app.screen.stage is Stage.INTEGRATION
    await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
    return app.screen.query_one(IntegrationPane)


def stored_effects(app) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    app.autosave.flush()
    return app.store.sessions.get(app.screen.infusion_id).side_effects


# --- the urinary notice --------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_ticking_urinary_shows_the_notice_under_the_tick_in_view(build_app, size):
    app = build_app()
    async with app.run_test(size=size) as pilot:
        pane = await to_integration(pilot)
        notice = pane.query_one("#urinary-notice")
        assert not notice.display
        for _ in range(40):  # Tab, as the patient would, to the urinary tick
            if app.focused is not None and app.focused.id == "effect-urinary":
                break
            await pilot.press("tab")
        box = app.focused
        assert isinstance(box, Checkbox) and box.name == "urinary"
        await pilot.press("space")
        await wait_until(pilot, lambda: in_view(notice))
        assert stored_effects(app)["urinary"] is True
        assert in_view(box)
        assert notice.region.y == box.region.bottom  # right under the tick
        assert text.URINARY_NOTICE in screen_text(app)
        assert "let your doctor know immediately" in text.URINARY_NOTICE

        await pilot.press("space")  # untick: the notice goes
        await wait_until(pilot, lambda: not notice.display)
        assert stored_effects(app)["urinary"] is False


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_click_on_the_tick_at_the_bottom_edge_brings_the_notice_up(build_app, size):
    app = build_app()
    async with app.run_test(size=size) as pilot:
        pane = await to_integration(pilot)
        box = pane.query_one("#effect-urinary", Checkbox)
        # The patient has scrolled until the tick is on the last line of the pane.
        window = pane.scrollable_content_region
        pane.scroll_to(y=box.virtual_region.y - window.height + 1, animate=False)
        await pilot.pause()
        assert box.region.bottom == window.bottom
        await pilot.click(box)
        notice = pane.query_one("#urinary-notice")
        await wait_until(pilot, lambda: box.value and notice.display)
        await pilot.pause()
        assert in_view(notice) and in_view(box)
        assert stored_effects(app)["urinary"] is True


# --- the crisis contacts ---------------------------------------------------------


async def crisis_reachable(pilot, *, first_line: str, full: str) -> None:  # type: ignore[no-untyped-def]
    """The crisis line is in view on this screen, and F2 shows the contacts in
    full, then Escape comes back to the same screen."""
    app = pilot.app
    screen = app.screen
    line = screen.query_one(CrisisLine)
    await wait_until(pilot, lambda: in_view(line))
    shown = screen_text(app)
    assert first_line in shown and text.CRISIS_KEY_HINT in shown
    await pilot.press("f2")
    assert isinstance(app.screen, CrisisDialog)
    shown = screen_text(app)
    assert full in shown and text.NOT_MONITORED in shown
    await pilot.press("escape")
    assert app.screen is screen


async def test_the_crisis_contacts_are_on_every_screen_where_the_patient_writes(build_app, paths):
    app = build_app(crisis_contacts=CLINIC)
    first, full = "Clinic line: 555-0100 (8am to 6pm)", CLINIC
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "y", "ctrl+n")
        assert app.screen.stage is Stage.INTENTION
        await pilot.press(*"calm")
        await crisis_reachable(pilot, first_line=first, full=full)
        await pilot.press(*" now")  # F2 and Escape took nothing from the page
        infusion_id = app.screen.infusion_id

        await pilot.press("ctrl+n")
        assert app.screen.stage is Stage.EXPERIENCE
        await music_playing(pilot)
        assert not in_view(app.screen.query_one(CrisisLine))  # nothing bright in the dark
        assert first not in screen_text(app)
        await pilot.press("e", "y")
        assert app.screen.stage is Stage.INTEGRATION
        await crisis_reachable(pilot, first_line=first, full=full)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, HomeScreen)

        await pilot.press("j")
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("i")
        assert isinstance(app.screen, InfusionJournalScreen)
        await crisis_reachable(pilot, first_line=first, full=full)
        await pilot.press("escape", "n")
        assert isinstance(app.screen, EntryScreen)
        await crisis_reachable(pilot, first_line=first, full=full)
        await pilot.press("escape", "c")
        assert isinstance(app.screen, CheckinScreen)
        await crisis_reachable(pilot, first_line=first, full=full)
    store = Store.open(paths.database)
    try:
        assert store.journal.find(infusion_id, "intention").text == "calm now"
    finally:
        store.close()


async def test_the_default_crisis_line_fits_one_line_at_80_columns(build_app):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "n")
        assert isinstance(app.screen, EntryScreen)
        line = app.screen.query_one(CrisisLine)
        await crisis_reachable(pilot, first_line=text.CRISIS_LINE_DEFAULT,
                               full=text.DEFAULT_CRISIS_CONTACTS)
        assert line.region.height == 1
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f2")  # the same key on Home
        assert isinstance(app.screen, CrisisDialog)
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("written", ['""', '"   \\n  "'])
async def test_an_empty_crisis_setting_falls_back_to_the_default_with_a_notice(
        build_app, paths, written):
    paths.settings.write_text(f"crisis_contacts = {written}\n", encoding="utf-8")
    loaded = settings_file.load(paths.settings)
    assert loaded.crisis_contacts == text.DEFAULT_CRISIS_CONTACTS
    assert loaded.problems == (text.CRISIS_CONTACTS_EMPTY,)
    app = build_app(**{f.name: getattr(loaded, f.name) for f in fields(Settings)
                       if f.name != "audio_backend"})
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: text.CRISIS_CONTACTS_EMPTY in notices(app))
        assert text.DEFAULT_CRISIS_CONTACTS in screen_text(app)
        await pilot.press("c")
        assert text.CRISIS_LINE_DEFAULT in screen_text(app)


# --- a guided answer asks before it goes to the trash ---------------------------------


def _highlight(app, entry_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The keys that move the journal list's highlight onto ``entry_id``."""
    listing = app.screen.query_one("#journal-list", OptionList)
    ids = [int(listing.get_option_at_index(i).id or 0) for i in range(listing.option_count)]
    return ["home"] + ["down"] * ids.index(entry_id)


async def test_deleting_a_guided_answer_or_an_intention_asks_first(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    for _ in range(4):  # a finished infusion: the app opens on Home
        store.sessions.advance(infusion.id)
    intention = store.journal.save_for(infusion.id, "intention", "", "to rest")
    answer = store.journal.save_for(infusion.id, "integration", "body", "warm hands")
    note = store.journal.add("a free page")
    store.close()
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        assert isinstance(app.screen, JournalScreen)

        await pilot.press(*_highlight(app, answer.id), "d")
        assert isinstance(app.screen, ConfirmDialog)
        question = screen_text(app)
        assert "What did you notice in your body?" in question and "Infusion 1" in question
        assert "infusion's journal and to the report" in question
        await pilot.press("escape")  # keeps it
        assert isinstance(app.screen, JournalScreen)
        assert app.store.journal.get(answer.id).deleted_at is None
        await pilot.press(*_highlight(app, answer.id), "d", "n")  # No keeps it too
        assert app.store.journal.get(answer.id).deleted_at is None
        await pilot.press(*_highlight(app, answer.id), "d", "enter")  # Enter is the safe No
        assert app.store.journal.get(answer.id).deleted_at is None
        await pilot.press(*_highlight(app, answer.id), "d", "y")
        assert isinstance(app.screen, JournalScreen)
        assert app.store.journal.get(answer.id).deleted_at is not None
        assert text.JOURNAL_DELETED in notices(app)

        await pilot.press(*_highlight(app, intention.id), "d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "your intention" in screen_text(app)
        await pilot.press("y")
        assert app.store.journal.get(intention.id).deleted_at is not None

        await pilot.press(*_highlight(app, note.id), "d")  # a free page: straight to the trash
        assert isinstance(app.screen, JournalScreen)
        assert app.store.journal.get(note.id).deleted_at is not None


async def test_home_keeps_the_crisis_line_in_view_at_80x24_with_a_reminder_showing(
        build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    store.sessions.save_side_effects(infusion.id, {"urinary": True})
    store.sessions.set_stage(infusion.id, Stage.COMPLETE)
    store.close()
    app = build_app(crisis_contacts=CLINIC)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert "let your doctor know immediately" in screen_text(app)
        await crisis_reachable(pilot, first_line="Clinic line: 555-0100 (8am to 6pm)",
                               full=CLINIC)
