"""Speaking a journal page (issue 19): F3 records and stops, F4 discards.
A generated speech-like recording stands in for the microphone."""

from __future__ import annotations

import numpy as np
import pytest

from companion.core import text
from companion.core.models import format_duration
from companion.store import Store
from companion.ui.screens.entry import EntryScreen
from tests.ui.helpers import screen_text, wait_until
from tests.voice import rms_db, spoken


class Microphone:
    """Opened by the recorder: hands over ``seconds`` of voice, a tenth of a
    second at a time, as a capture device's thread would."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.voice = np.zeros(0, dtype=np.float32)
        self.closed = False

    def __call__(self, rate: int, feed):  # type: ignore[no-untyped-def]
        self.voice = spoken(self.seconds, rate)
        step = rate // 10
        for start in range(0, len(self.voice), step):
            feed(self.voice[start:start + step])
        return self

    def close(self) -> None:
        self.closed = True


async def speak_a_page(pilot, words: str, kept: str) -> None:  # type: ignore[no-untyped-def]
    """A new journal page (with ``words``), spoken with F3 and F3 again, until
    the voice line says ``kept``."""
    await pilot.press("j", "n", *words, "f3")
    await pilot.pause()
    await pilot.press("f3")
    await wait_until(pilot, lambda: kept in screen_text(pilot.app))


async def test_a_spoken_page_is_stored_with_its_words_and_shown(build_app, paths):
    app = build_app()
    microphone = Microphone(12.0)
    app.open_capture = microphone
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "n", *"after the music")
        assert isinstance(app.screen, EntryScreen)
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Recording 00:12" in screen_text(app))
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Kept 0:12 of your voice" in screen_text(app))
        assert microphone.closed
        await pilot.press("escape")
    store = Store.open(paths.database)
    [hit] = store.journal.search("music")
    [recording] = store.recordings.for_entry(hit.entry.id)
    back = store.recordings.samples(recording.id)
    assert len(back) == len(microphone.voice)  # every frame heard, in order
    assert abs(rms_db(back) - rms_db(microphone.voice)) < 0.01
    store.close()


async def test_a_page_only_spoken_is_kept_and_f4_sends_the_recording_to_the_trash(build_app, paths):
    app = build_app()
    app.open_capture = Microphone(3.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await speak_a_page(pilot, "", "Kept 0:03 of your voice")
        store = app.store
        [hit] = store.journal.search("")
        assert hit.entry.text == "Voice note (0:03)"
        assert store.recordings.seconds_by_entry() == {hit.entry.id: pytest.approx(3.0, abs=0.01)}
        await pilot.press("f4")
        await wait_until(pilot, lambda: text.VOICE_DISCARDED in screen_text(app))
        assert store.recordings.for_entry(hit.entry.id) == []
        assert store.db.execute("select count(*) from recordings where deleted_at is not null").fetchone()[0] == 1


async def test_no_microphone_is_one_line_and_the_page_still_takes_words(build_app, paths):
    def missing(rate, feed):  # type: ignore[no-untyped-def]
        raise RuntimeError("no capture device")

    app = build_app()
    app.open_capture = missing
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "n", "f3")
        await wait_until(pilot, lambda: "No microphone could be opened" in screen_text(app))
        await pilot.press(*"still here")
        await wait_until(pilot, lambda: app.autosave.pending == 0 and app.store.journal.search("still"))
        assert app.store.db.execute("select count(*) from recordings").fetchone()[0] == 0


async def test_f5_plays_the_page_s_voice_and_f5_stops_it(build_app, paths):
    app = build_app()
    app.open_capture = Microphone(20.0)  # long enough to be still playing on a slow machine
    async with app.run_test(size=(80, 24)) as pilot:
        await speak_a_page(pilot, "", "Kept 0:20 of your voice. F5 listen")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Your voice 0:0" in screen_text(app) and "of 0:20" in screen_text(app))
        assert app.player.clip_playing
        await pilot.press("f5")
        await wait_until(pilot, lambda: text.VOICE_LISTEN_STOPPED in screen_text(app))
        assert not app.player.clip_playing


async def test_listening_back_pauses_and_seeks_with_the_keys_then_gives_the_page_back(build_app, paths):
    from textual.widgets import TextArea

    app = build_app()
    app.open_capture = Microphone(30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await speak_a_page(pilot, "heard", "Kept 0:30")
        page = app.screen
        await pilot.press("f5")
        await wait_until(pilot, lambda: "▶ Your voice 0:0" in screen_text(app))
        assert "of 0:30" in screen_text(app) and "Space pause" in screen_text(app)
        player = app.player
        start = player.clip_position
        assert start < 3.0
        await pilot.press("right", "right")  # on 10 s
        assert player.clip_position >= start + 10.0
        await wait_until(pilot, lambda: "▶ Your voice 0:1" in screen_text(app))
        await pilot.press("space")  # pause
        await wait_until(pilot, lambda: "‖ Paused at 0:1" in screen_text(app))
        await pilot.pause(0.2)  # the short fade into the pause has played
        held = player.clip_position
        await pilot.pause(0.6)
        assert player.clip_position == held and player.clip_playing
        await pilot.press("left")  # back 5 s, still paused
        assert player.clip_position == pytest.approx(held - 5.0, abs=0.01)
        await wait_until(pilot, lambda: f"Paused at {format_duration(int(held - 5.0))} of 0:30" in screen_text(app))
        await pilot.press("space")  # goes on
        await wait_until(pilot, lambda: player.clip_position > held - 5.0 + 0.2)
        assert "▶ Your voice" in screen_text(app)
        # the words typed are untouched by the keys that moved the voice
        assert page.query_one("#entry-text", TextArea).text == "heard"
        await pilot.press("escape")  # stops the voice, not the page
        await wait_until(pilot, lambda: text.VOICE_LISTEN_STOPPED in screen_text(app))
        assert not player.clip_playing and app.screen is page
        assert app.focused is page.query_one("#entry-text", TextArea)
        await pilot.press(*" again")
        await wait_until(pilot, lambda: app.autosave.pending == 0 and app.store.journal.search("again"))


async def test_a_recording_the_last_run_could_not_finish_is_kept_and_the_patient_told(build_app, paths, clock):
    # The last run: 7 s said on a new page, then the process died (never finished).
    store = Store.open(paths.database, clock)
    recording_id = store.recordings.start(rate=24000)
    voice = spoken(7.0, 24000)
    for start in range(0, len(voice), 5 * 24000):
        store.recordings.append(recording_id, voice[start:start + 5 * 24000])
    store.db.conn.close()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: any("A recording was interrupted" in line for line in app.told))
        assert any("the 0:07 saved of it is kept" in line for line in app.told)
        [hit] = app.store.journal.search("")
        assert hit.entry.text == "Voice note (0:07)"
        assert [r.id for r in app.store.recordings.for_entry(hit.entry.id)] == [recording_id]
        assert app.store.recordings.unfinished() == []


async def to_integration(pilot, marks: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    """Begin a session, start the music, press ``marks`` once it plays, end
    early into Integration; the first answer has the focus."""
    from textual.widgets import TextArea

    from companion.core.stages import Stage
    from tests.ui.helpers import music_playing

    app = pilot.app
    await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
    await music_playing(pilot)
    if marks:
        await wait_until(pilot, lambda: app.player.position > 0.2)
        await pilot.press(*marks)
    await pilot.press("e", "y")
    assert app.screen.stage is Stage.INTEGRATION
    await wait_until(pilot, lambda: isinstance(app.focused, TextArea))


async def test_an_integration_answer_can_be_spoken_beside_its_prompt(build_app, paths):


    app = build_app()
    app.open_capture = Microphone(4.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_integration(pilot)
        key = app.focused.name
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Kept 0:04 of your voice" in screen_text(app))
        infusion_id = app.screen.infusion_id
        entry = app.store.journal.find(infusion_id, "integration", key)
        assert entry is not None and entry.text == "Voice note (0:04)"
        assert app.focused.text == "Voice note (0:04)"
        [recording] = app.store.recordings.for_entry(entry.id)
        assert recording.seconds == pytest.approx(4.0, abs=0.01)


async def test_a_marked_moment_takes_a_spoken_note_on_the_infusion_s_journal_page(build_app, paths, clock):
    from textual.widgets import Input

    from companion.ui.screens.infusion_journal import InfusionJournalScreen

    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    for _ in range(4):
        store.sessions.advance(infusion.id)
    moment = store.sessions.mark_moment(infusion.id, 754.0, "Harbour lights", "peak")
    other = store.sessions.mark_moment(infusion.id, 900.0, "Tide", "return")
    store.journal.save_for(infusion.id, "integration", "experience", "a long calm")
    store.close()
    app = build_app()
    app.open_capture = Microphone(20.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "i")
        assert isinstance(app.screen, InfusionJournalScreen)
        page = app.screen
        page.query_one(f"#moment-{moment.id}", Input).focus()  # as Tab down to it would
        await pilot.pause()
        assert app.focused is page.query_one(f"#moment-{moment.id}", Input)
        await pilot.press(*"warm", "f3")
        await wait_until(pilot, lambda: "Recording 00:20" in screen_text(app))
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Kept 0:20 of your voice with this moment" in screen_text(app))
        await wait_until(pilot, lambda: "[voice 0:20]" in screen_text(app))
        [recording] = app.store.recordings.for_moment(moment.id)
        assert recording.seconds == 20.0 and recording.entry_id is None and recording.finished
        assert app.store.recordings.for_moment(other.id) == []
        # The note written beside it is its own; no journal page was made for the voice.
        await wait_until(pilot, lambda: app.autosave.pending == 0
                         and app.store.sessions.moments(infusion.id)[0].note == "warm")
        assert [h.entry.text for h in app.store.journal.search("")] == ["a long calm"]

        await pilot.press("f5")
        await wait_until(pilot, lambda: "▶ Your voice 0:0" in screen_text(app) and "of 0:20" in screen_text(app))
        await pilot.press("right")
        assert app.player.clip_position >= 5.0
        await pilot.press("escape")  # stops the voice; the page stays
        await wait_until(pilot, lambda: text.VOICE_LISTEN_STOPPED in screen_text(app))
        assert app.screen is page and not app.player.clip_playing
        assert app.focused is page.query_one(f"#moment-{moment.id}", Input)

        await pilot.press("f4")
        await wait_until(pilot, lambda: text.VOICE_DISCARDED in screen_text(app))
        assert app.store.recordings.for_moment(moment.id) == []
        await wait_until(pilot, lambda: "[voice 0:20]" not in screen_text(app))


async def test_a_moment_s_voice_cut_off_by_a_crash_stays_with_its_moment(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    moment = store.sessions.mark_moment(infusion.id, 60.0, "Harbour lights", "peak")
    recording_id = store.recordings.start(rate=24000, moment_id=moment.id)
    store.recordings.append(recording_id, spoken(5.0, 24000))
    store.db.conn.close()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: any("A recording was interrupted" in line for line in app.told))
        assert [r.id for r in app.store.recordings.for_moment(moment.id)] == [recording_id]
        assert app.store.recordings.unfinished() == []
        assert app.store.journal.search("") == []  # no page of its own


async def test_f3_while_listening_stops_the_voice_and_records_more_for_the_same_page(build_app, paths):
    app = build_app()
    microphone = Microphone(15.0)
    app.open_capture = microphone
    async with app.run_test(size=(80, 24)) as pilot:
        await speak_a_page(pilot, "", "Kept 0:15")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "▶ Your voice" in screen_text(app))
        await pilot.press("f3")  # the voice heard stops: the microphone would hear it
        assert not app.player.clip_playing
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Kept 0:15" in screen_text(app) and "▶" not in screen_text(app))
        [hit] = app.store.journal.search("")
        assert [r.seconds for r in app.store.recordings.for_entry(hit.entry.id)] == [15.0, 15.0]


async def test_in_integration_a_moment_s_note_can_be_spoken_and_a_prompt_s_voice_stays_its_own(build_app, paths):
    from textual.widgets import Input


    app = build_app()
    app.open_capture = Microphone(3.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_integration(pilot, marks=("m",))
        infusion_id = app.screen.infusion_id
        [moment] = app.store.sessions.moments(infusion_id)
        await wait_until(pilot, lambda: bool(app.screen.query(f"#moment-{moment.id}")))
        note = app.screen.query_one(f"#moment-{moment.id}", Input)
        note.focus()  # as Tab down to it would
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Kept 0:03 of your voice with this moment" in screen_text(app))
        assert [r.seconds for r in app.store.recordings.for_moment(moment.id)] == [3.0]
        # No prompt's answer was made for it.
        for key in text.INTEGRATION_PROMPTS:
            assert app.store.journal.find(infusion_id, "integration", key) is None
        assert app.store.db.execute("select count(*) from recordings where entry_id is not null").fetchone()[0] == 0


async def test_a_voice_played_to_its_end_says_so_and_gives_the_page_back(build_app, paths):
    from textual.widgets import TextArea

    app = build_app()
    app.open_capture = Microphone(6.0)  # long enough to be seen playing on a loaded machine
    async with app.run_test(size=(80, 24)) as pilot:
        await speak_a_page(pilot, "", "Kept 0:06")
        page = app.screen
        await pilot.press("f5")
        await wait_until(pilot, lambda: "▶ Your voice" in screen_text(app))
        assert not isinstance(app.focused, TextArea)  # the voice line has the keys while it plays
        await wait_until(pilot, lambda: text.VOICE_LISTEN_ENDED in screen_text(app))
        assert not app.player.clip_playing
        assert app.focused is page.query_one("#entry-text", TextArea)


class LiveMicrophone:
    """A microphone the test speaks into when it chooses (``say``)."""

    def __init__(self) -> None:
        self.feed = None
        self.rate = 0
        self.closed = False

    def __call__(self, rate: int, feed):  # type: ignore[no-untyped-def]
        self.rate, self.feed = rate, feed
        return self

    def say(self, voice: np.ndarray) -> None:
        step = self.rate // 10
        for start in range(0, len(voice), step):
            self.feed(voice[start:start + step])

    def close(self) -> None:
        self.closed = True


async def test_a_full_disk_stops_the_recording_and_keeps_what_was_saved(build_app, paths):
    app = build_app()
    microphone = LiveMicrophone()
    app.open_capture = microphone
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "n", *"before the disk filled", "f3")
        await wait_until(pilot, lambda: microphone.feed is not None)
        voice = spoken(12.0, microphone.rate)
        microphone.say(voice[: 6 * microphone.rate])  # one 5 s chunk is stored
        store = app.store
        await wait_until(pilot, lambda: store.db.execute(
            "select count(*) from recording_chunks").fetchone()[0] == 1)
        pages = store.db.execute("pragma page_count").fetchone()[0]
        store.db.execute(f"pragma max_page_count = {pages}")  # the disk is full now
        microphone.say(voice[6 * microphone.rate:])  # the next chunk cannot be written
        await wait_until(pilot, lambda: "The disk is full" in screen_text(app))
        assert "The 0:05 saved before it is kept" in screen_text(app)
        assert microphone.closed and app.is_running
        store.db.execute("pragma max_page_count = 1073741823")
        [hit] = store.journal.search("disk filled")
        [kept] = store.recordings.for_entry(hit.entry.id)
        assert kept.seconds == pytest.approx(5.0) and store.recordings.unfinished() == []
        assert np.allclose(store.recordings.samples(kept.id)[:, 0], voice[: 5 * microphone.rate],
                           atol=1 / 16384)  # the first chunk, as 16-bit FLAC keeps it
        await pilot.press("f3")  # with room again, the next recording starts
        await wait_until(pilot, lambda: "Recording" in screen_text(app))
        await pilot.press("f3")


async def test_a_recording_sent_to_the_trash_is_listed_there_and_r_brings_it_back(build_app, paths):
    from companion.ui.screens.trash import TrashScreen

    app = build_app()
    app.open_capture = Microphone(4.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await speak_a_page(pilot, "the field at dusk", "Kept 0:04")
        await pilot.press("f4")
        await wait_until(pilot, lambda: text.VOICE_DISCARDED in screen_text(app))
        await pilot.press("escape")  # back to the journal list
        await wait_until(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        listing = app.screen.query_one("#trash-list").get_option_at_index(0)
        shown = str(listing.prompt)
        assert "A voice recording of 0:04, with the page “the field at dusk”." in shown
        await pilot.press("r")
        await wait_until(pilot, lambda: text.TRASH_VOICE_RESTORED in app.told)
        assert app.screen.query_one("#trash-list").option_count == 0
        [hit] = app.store.journal.search("dusk")
        [back] = app.store.recordings.for_entry(hit.entry.id)
        assert back.seconds == pytest.approx(4.0) and back.deleted_at is None
