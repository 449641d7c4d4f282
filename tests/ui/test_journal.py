"""The journal as the patient uses it: writing, prompts, searching, filters,
the trash, revisions, moments and track ratings, and a killed process."""

from __future__ import annotations

import pytest

import sys

from textual import events
from textual.widgets import Input, Label, OptionList, Select, TextArea

from companion.cli import main
from companion.core import text
from companion.paths import Paths
from companion.store import Store
from companion.ui.screens.entry import EntryScreen
from companion.ui.screens.infusion_journal import InfusionJournalScreen
from companion.ui.screens.journal import JournalScreen
from companion.ui.screens.session import SessionScreen
from companion.ui.screens.playlist_ratings import PlaylistRatingsScreen
from companion.ui.screens.trash import TrashScreen
from tests.ptyapp import PtyProcess, poll
from tests.ui.helpers import screen_text, wait_until

SIZE = (110, 36)


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return list(app.told)


def listed(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The entries the journal list shows, as plain text."""
    listing = app.screen.query_one("#journal-list", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def saved_texts(paths: Paths) -> list[str]:
    store = Store.open(paths.database)
    try:
        return [r[0] for r in store.db.execute(
            "select text from entries where deleted_at is null order by id").fetchall()]
    finally:
        store.close()


async def test_the_journal_says_it_is_not_monitored_with_the_crisis_contacts(build_app):
    app = build_app(crisis_contacts="Call the clinic's line: 555-0100.")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert isinstance(app.screen, JournalScreen)
        shown = screen_text(app)
        assert text.NOT_MONITORED in shown
        assert "555-0100" in shown
        assert text.JOURNAL_EMPTY in shown


async def test_a_new_page_offers_a_prompt_and_saves_as_it_is_typed(build_app, paths):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "n")
        assert isinstance(app.screen, EntryScreen)
        first_prompt = str(app.screen.query_one("#entry-prompt", Label).render())
        assert first_prompt  # a prompt is there on the blank page
        await pilot.press("ctrl+o")
        assert str(app.screen.query_one("#entry-prompt", Label).render()) != first_prompt
        await pilot.press("ctrl+g")
        assert str(app.screen.query_one("#entry-prompt", Label).render()) == text.GRATITUDE_PROMPT
        await pilot.press(*"tea, a call")
        await pilot.press("tab", *"gratitude, #Friends")
        await wait_until(pilot, lambda: app.autosave.pending == 0 and
                         saved_texts(paths) == ["tea, a call"])
        await pilot.press("escape")
        assert isinstance(app.screen, JournalScreen)
        [row] = listed(app)
        assert "tea, a call" in row and "#gratitude #friends" in row and "grateful" in row
    entry = Store.open(paths.database).journal.search("")[0].entry
    assert entry.prompt == "gratitude" and entry.tags == ["gratitude", "friends"]


async def test_words_typed_just_before_the_app_closes_are_saved_without_an_error(
        build_app, paths, monkeypatch):
    """The app closing while a page still waits for its save (the last key
    within a second): the words are written at the close, and the page's
    "Saved." line, already gone, is not looked for (it crashed the close)."""
    import companion.ui.app as app_module

    # The save every second would come first on a slow machine: the close is what saves here.
    monkeypatch.setattr(app_module, "FLUSH_INTERVAL_S", 3600.0)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "n", *"last words")
        assert app.autosave.pending  # not saved yet when the app closes
    assert app.return_code in (None, 0)
    assert saved_texts(paths) == ["last words"]


async def test_an_empty_page_is_not_saved_and_the_patient_is_told_why(build_app, paths):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "n", "space", "space", "enter", "escape")
        assert isinstance(app.screen, JournalScreen)
        assert text.JOURNAL_EMPTY_NOT_SAVED in notices(app)
    assert saved_texts(paths) == []


async def test_emptying_an_entry_moves_it_to_the_trash_with_its_words_kept(build_app, paths):
    store = Store.open(paths.database)
    entry = store.journal.add("something I may regret deleting")
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter")
        assert isinstance(app.screen, EntryScreen)
        await pilot.press("ctrl+a", "ctrl+shift+a")  # select all, whichever the terminal sends
        app.screen.query_one("#entry-text", TextArea).select_all()
        await pilot.press("backspace", "escape")
        assert text.JOURNAL_EMPTIED in notices(app)
        await pilot.press("t")
        assert isinstance(app.screen, TrashScreen)
        await pilot.press("r", "escape")
    store = Store.open(paths.database)
    assert "something I may regret deleting" in [t for _, t in store.journal.revisions(entry.id)]


async def test_search_shows_highlighted_snippets_and_filters_narrow_it(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    store.journal.add("In the music I saw the sea, wide and slow.", infusion_id=infusion.id,
                      kind="integration", prompt="experience")
    store.journal.add("A walk by the sea after lunch.", tags=["walk"])
    store.journal.add("Afraid of the sea of needles tomorrow.", private=True)
    store.journal.add("Slept nine hours.")
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        if isinstance(app.screen, SessionScreen):  # it resumes the infusion in progress
            await pilot.press("escape")
        await pilot.press("j", "slash", *"sea")
        await wait_until(pilot, lambda: len(listed(app)) == 3)
        listing = app.screen.query_one("#journal-list", OptionList)
        prompt = listing.get_option_at_index(0).prompt
        assert any("reverse" in str(span.style) and prompt.plain[span.start:span.end].lower() == "sea"
                   for span in prompt.spans)
        assert "3 found" in screen_text(app)
        app.screen.query_one("#journal-private", Select).value = "private"
        await wait_until(pilot, lambda: len(listed(app)) == 1 and "Afraid" in listed(app)[0])
        assert "[private]" in listed(app)[0]
        app.screen.query_one("#journal-private", Select).value = Select.NULL
        app.screen.query_one("#journal-infusion", Select).value = infusion.id
        await wait_until(pilot, lambda: len(listed(app)) == 1 and "Infusion 1" in listed(app)[0])
        assert "What did you experience?" in listed(app)[0]
        app.screen.query_one("#journal-infusion", Select).value = Select.NULL
        app.screen.query_one("#journal-tag", Select).value = "walk"
        await wait_until(pilot, lambda: len(listed(app)) == 1 and "walk by" in listed(app)[0])
        app.screen.query_one("#journal-tag", Select).value = Select.NULL
        await pilot.press(*" mountains")
        await wait_until(pilot, lambda: listed(app) == [])
        assert text.JOURNAL_NO_MATCH in screen_text(app)
        await pilot.press("escape")  # clears the search first
        assert app.screen.query_one("#journal-search", Input).value == ""
        await wait_until(pilot, lambda: len(listed(app)) == 4)


async def test_a_wrong_key_loses_nothing_deleting_goes_to_the_trash(build_app, paths):
    store = Store.open(paths.database)
    store.journal.add("keep me")
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "d")
        assert listed(app) == []
        assert text.JOURNAL_DELETED in notices(app)
        await pilot.press("t")
        assert "keep me" in screen_text(app) or app.screen.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        assert text.JOURNAL_RESTORED in notices(app)
        await pilot.press("escape")
        assert isinstance(app.screen, JournalScreen)
        assert "keep me" in listed(app)[0]


async def test_an_earlier_version_can_be_brought_back(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    entry = store.journal.add("the first way I said it")
    clock.advance(minutes=10)
    store.journal.update_text(entry.id, "a second thought")
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter", "ctrl+r")
        await pilot.press("enter")
        assert app.screen.query_one("#entry-text", TextArea).text == "the first way I said it"
        await pilot.press("escape")
    store = Store.open(paths.database)
    assert store.journal.get(entry.id).text == "the first way I said it"
    assert "a second thought" in [t for _, t in store.journal.revisions(entry.id)]


async def test_a_one_megabyte_paste_is_saved(build_app, paths):
    pasted = ((("Slow waves, then the piano came back. " * 13) + "\n") * 2100)[:1_000_000]
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "n")
        area = app.screen.query_one("#entry-text", TextArea)
        app.post_message(events.Paste(pasted))  # as the terminal delivers it
        await wait_until(pilot, lambda: area.text == pasted)
        await pilot.press("escape")
    assert [len(t) for t in saved_texts(paths)] == [1_000_000]


async def test_moments_take_notes_and_tracks_take_ratings(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    for _ in range(4):
        store.sessions.advance(infusion.id)
    store.sessions.mark_moment(infusion.id, 754.0, "Harbour lights", "peak")
    store.journal.save_for(infusion.id, "integration", "experience", "a long calm")
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "i")
        assert isinstance(app.screen, InfusionJournalScreen)
        assert "12:34  Harbour lights" in screen_text(app)
        note = app.screen.query_one(".moment-note", Input)
        note.focus()
        await pilot.press(*"my father's voice")
        row = app.screen.query_one("#track-" + str(_track_index(app, "Harbour lights")))
        row.focus()
        await pilot.press("1")
        await pilot.press("escape")  # saves on the way out
        await pilot.press("r")
        assert isinstance(app.screen, PlaylistRatingsScreen)
        assert "Harbour lights" in str(app.screen.query_one("#tracks-table").get_row("Harbour lights"))
    store = Store.open(paths.database)
    assert store.sessions.moments(infusion.id)[0].note == "my father's voice"
    assert store.journal.track_ratings(infusion.id)["Harbour lights"] == "resonated"


def _track_index(app, title: str) -> int:  # type: ignore[no-untyped-def]
    from companion.ui.widgets.choice import ChoiceRow

    rows = [r for r in app.screen.query(ChoiceRow) if (r.id or "").startswith("track-")]
    return next(int((r.id or "").split("-")[1]) for r in rows if r.name == title)


@pytest.mark.slow
async def test_a_killed_app_keeps_the_page_and_a_note_from_the_shell_lands_meanwhile(
        paths: Paths, build_app):
    paths.settings.write_text('audio_backend = "null"\n', encoding="utf-8")
    app = PtyProcess([sys.executable, "-m", "companion"], env={"COMPANION_HOME": str(paths.home)})
    try:
        app.wait_for(b"Begin session")
        app.send(b"j")
        app.wait_for(b"All tags")
        app.send(b"n")
        app.wait_for(b"A new page")
        app.send("the page I was writing ✍".encode())
        # Meanwhile, from the shell: both writers succeed.
        assert main(["note", "from the shell while the app is open", "--tag", "shell"]) == 0
        poll(lambda: "the page I was writing ✍" in saved_texts(paths), "the page saved as typed",
             timeout=10)
    finally:
        app.kill()
    again = build_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        rows = listed(again)
        assert any("the page I was writing ✍" in r for r in rows)
        assert any("from the shell" in r and "#shell" in r for r in rows)


def test_notes_from_the_shell(paths: Paths, capsys, monkeypatch):
    assert main(["note", "a", "quiet", "morning", "--tag", "#Calm", "--private"]) == 0
    assert "Saved entry" in capsys.readouterr().out
    assert main(["note", "   "]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["note", "about infusion nine", "--session", "9"]) == 1
    assert "no infusion number 9" in capsys.readouterr().err
    assert main(["note", "x", "--session", "0"]) == 2
    capsys.readouterr()
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"piped \xff text\x07\n\n")))
    assert main(["note"]) == 0
    store = Store.open(paths.database)
    entries = {h.entry.text: h.entry for h in store.journal.search("")}
    assert entries["a quiet morning"].tags == ["calm"] and entries["a quiet morning"].private
    assert "piped \ufffd text" in entries


def test_a_note_about_an_earlier_day(paths: Paths):
    assert main(["note", "remembered yesterday", "--date", "2026-03-01"]) == 0
    assert main(["note", "x", "--date", "yesterday-ish"]) == 2
    store = Store.open(paths.database)
    assert store.journal.search("remembered")[0].entry.day == "2026-03-01"
