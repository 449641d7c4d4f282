"""The journal at the store layer: entries with tags, days and privacy, search
with snippets and filters, revisions, moments, track ratings, check-ins."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.store import Store
from companion.store.journal import MARK_CLOSE, MARK_OPEN, NO_INFUSION, EntryError


def marked(snippet: str) -> list[str]:
    words = []
    while MARK_OPEN in snippet:
        start = snippet.index(MARK_OPEN) + 1
        end = snippet.index(MARK_CLOSE, start)
        words.append(snippet[start:end])
        snippet = snippet[end + 1:]
    return words


def test_an_entry_has_a_day_tags_and_a_private_flag(store: Store):
    entry = store.journal.add("A good walk", tags=["#Walk", " walk ", "Sea Air", ""], private=True)
    assert entry.day == "2026-03-02"
    assert entry.tags == ["walk", "sea air"]
    assert entry.private is True
    earlier = store.journal.add("Writing about Saturday", day="2026-02-28")
    assert earlier.day == "2026-02-28"
    with pytest.raises(EntryError):
        store.journal.add("x", day="last tuesday")


def test_an_empty_entry_is_refused_with_a_reason(store: Store):
    for blank in ("", "   \n\t ", "\x00\x07"):
        with pytest.raises(EntryError, match="empty"):
            store.journal.add(blank)
    assert store.journal.count() == 0


def test_control_characters_are_kept_out_and_unicode_kept_in(store: Store):
    entry = store.journal.add("bell\x07 and\x1b[31m escape\r\nnext line · 痛み 🌊 é")
    assert entry.text == "bell and[31m escape\nnext line · 痛み 🌊 é"
    raw = store.db.execute("select text from entries where id = ?", [entry.id]).fetchone()[0]
    assert "\x07" not in raw and "\x1b" not in raw
    assert [h.entry.id for h in store.journal.search("痛み")] == [entry.id]


def test_a_one_megabyte_paste_is_saved_and_found(store: Store):
    words = ("ocean breath stillness warmth " * 40_000)[: 1_000_000] + " lighthouse"
    entry = store.journal.add(words)
    assert len(store.journal.get(entry.id).text) == len(words)
    hits = store.journal.search("lighthouse")
    assert [h.entry.id for h in hits] == [entry.id]
    assert marked(hits[0].snippet) == ["lighthouse"]


def test_search_finds_every_word_marks_it_newest_first(store: Store, clock: FakeClock):
    a = store.journal.add("The music carried me to the sea. The sea was calm.")
    clock.advance(days=1)
    b = store.journal.add("Slept badly; the sea of worries again.")
    store.journal.add("Tired after the walk.")
    hits = store.journal.search("sea")
    assert [h.entry.id for h in hits] == [b.id, a.id]
    assert marked(hits[1].snippet) == ["sea", "sea"]
    assert [h.entry.id for h in store.journal.search("worr sea")] == [b.id]  # unfinished word
    assert store.journal.search("mountain") == []


@given(st.text(max_size=40))
@settings(max_examples=60, deadline=None)
def test_any_typed_search_is_a_valid_query(words: str):
    store = Store.memory(FakeClock())
    store.journal.add("Something (with) \"quotes\" AND operators * NEAR")
    store.journal.search(words)  # never raises


def test_filters_by_tag_infusion_and_privacy(store: Store):
    infusion = store.sessions.begin()
    linked = store.journal.add("after the infusion, calm", infusion_id=infusion.id, tags=["calm"])
    private = store.journal.add("calm but private thoughts", private=True)
    free = store.journal.add("calm day at home", tags=["home", "calm"])
    assert {h.entry.id for h in store.journal.search("calm", tag="calm")} == {linked.id, free.id}
    assert [h.entry.id for h in store.journal.search("", infusion_id=infusion.id)] == [linked.id]
    assert {h.entry.id for h in store.journal.search("", infusion_id=NO_INFUSION)} == {private.id, free.id}
    assert [h.entry.id for h in store.journal.search("calm", private=True)] == [private.id]
    assert private.id not in {h.entry.id for h in store.journal.search("calm", private=False)}
    assert store.journal.search("", infusion_id=infusion.id)[0].entry.infusion_number == 1
    assert store.journal.tags() == [("calm", 2), ("home", 1)]


def test_the_newest_are_kept_when_there_are_more_than_the_limit(store: Store, clock: FakeClock):
    ids = []
    for n in range(30):
        clock.advance(hours=5)
        ids.append(store.journal.add(f"calm day number {n}").id)
    assert [h.entry.id for h in store.journal.search("calm", limit=10)] == ids[::-1][:10]
    assert store.journal.count() == 30


def test_without_words_the_list_is_by_day_newest_first(store: Store, clock: FakeClock):
    first = store.journal.add("monday")
    clock.advance(days=2)
    third = store.journal.add("wednesday")
    backdated = store.journal.add("about tuesday", day="2026-03-03")
    assert [h.entry.id for h in store.journal.search("")] == [third.id, backdated.id, first.id]


def test_deleted_entries_leave_search_and_come_back_on_restore(store: Store):
    entry = store.journal.add("a lighthouse in the dark")
    store.journal.delete(entry.id)
    assert store.journal.search("lighthouse") == []
    assert store.journal.count() == 0
    store.journal.restore(entry.id)
    assert [h.entry.id for h in store.journal.search("lighthouse")] == [entry.id]


def test_edits_are_searchable_and_the_old_words_kept_as_revisions(store: Store):
    entry = store.journal.add("first draft about anger")
    store.journal.save_entry(entry.id, "rewritten about peace", tags="peace, #Calm", private=True)
    assert store.journal.search("anger") == []
    assert [h.entry.id for h in store.journal.search("peace")] == [entry.id]
    saved = store.journal.get(entry.id)
    assert saved.tags == ["peace", "calm"] and saved.private
    assert [t for _, t in store.journal.revisions(entry.id)] == ["first draft about anger"]


def test_select_all_and_delete_keeps_the_text_as_a_revision(store: Store, clock: FakeClock):
    entry = store.journal.add("one")
    store.journal.update_text(entry.id, "one two three four five six")  # revision "one"
    clock.advance(seconds=20)
    store.journal.update_text(entry.id, "")  # within the same spell, but a big cut
    assert store.journal.revisions(entry.id)[-1][1] == "one two three four five six"


def test_a_revision_can_be_brought_back(store: Store):
    entry = store.journal.add("the original")
    store.journal.update_text(entry.id, "a later version")
    restored = store.journal.restore_revision(entry.id, "the original")
    assert restored.text == "the original"
    assert "a later version" in [t for _, t in store.journal.revisions(entry.id)]


def test_a_blank_page_creates_nothing(store: Store):
    assert store.journal.save_entry(None, "  \n ") is None
    entry = store.journal.save_entry(None, "words", tags=["x"], prompt="gratitude")
    assert entry is not None and entry.prompt == "gratitude" and entry.tags == ["x"]


def test_moment_notes_keep_revisions(store: Store, clock: FakeClock):
    infusion = store.sessions.begin()
    moment = store.sessions.mark_moment(infusion.id, 754.0, "Ocean", "peak")
    store.journal.save_moment_note(moment.id, "felt weightless")
    clock.advance(minutes=10)
    store.journal.save_moment_note(moment.id, "felt weightless, then a memory of my father")
    assert store.sessions.moments(infusion.id)[0].note.endswith("father")
    assert [t for _, t in store.journal.moment_revisions(moment.id)] == ["felt weightless"]


def test_track_ratings_gather_across_infusions(store: Store):
    ids = []
    for _ in range(3):
        infusion = store.sessions.begin()
        ids.append(infusion.id)
        for _ in range(4):
            store.sessions.advance(infusion.id)
    store.journal.rate_track(ids[0], "Ocean", "resonated")
    store.journal.rate_track(ids[1], "Ocean", "resonated")
    store.journal.rate_track(ids[0], "Drone", "not_for_me")
    store.journal.rate_track(ids[1], "Drone", "neutral")
    store.journal.rate_track(ids[2], "Drone", "resonated")
    store.journal.rate_track(ids[2], "Drone", None)  # changed their mind
    assert store.journal.track_ratings(ids[2]) == {}
    summary = store.journal.track_summary()
    assert [s.track for s in summary] == ["Ocean", "Drone"]
    assert summary[0].counts["resonated"] == 2 and summary[0].infusions == [1, 2]
    assert summary[1].counts == {"resonated": 0, "neutral": 1, "not_for_me": 1}
    with pytest.raises(ValueError):
        store.journal.rate_track(ids[0], "Ocean", "loved")


def test_checkins_between_two_days(store: Store):
    store.checkins.save("2026-03-01", {"sleep": "good"})
    store.checkins.save("2026-03-03", {"exercise": "light"})
    store.checkins.save("2026-03-09", {"exercise": "none"})
    assert store.checkins.between("2026-03-01", "2026-03-07") == {
        "2026-03-01": {"sleep": "good"}, "2026-03-03": {"exercise": "light"},
    }


def test_two_writers_at_once_both_succeed(tmp_path):
    """The app holds a write open while another process adds a note: the note
    waits for the lock instead of failing, and both entries are kept."""
    path = tmp_path / "companion.db"
    app_store = Store.open(path, FakeClock())
    done: list[object] = []
    released = threading.Event()
    with app_store.db.atomic():
        app_store.journal.add("typed in the app")

        def note() -> None:
            try:
                note_store = Store.open(path, FakeClock())  # its own connection
                done.append(note_store.journal.add("from the shell"))
                note_store.close()
            except sqlite3.Error as exc:  # pragma: no cover - the failure we guard against
                done.append(exc)

        worker = threading.Thread(target=note)
        worker.start()
        released.wait(0.3)  # the app's write is still open meanwhile
    worker.join(10)
    assert len(done) == 1 and not isinstance(done[0], Exception)
    texts = {h.entry.text for h in app_store.journal.search("")}
    assert texts == {"typed in the app", "from the shell"}


def test_the_quick_note_stores_what_the_store_would(tmp_path):
    from companion.cli import quicknote
    from companion.core.schema import MIGRATIONS
    from companion.store.migrations import migrations

    # The quick way knows the schema by the steps' names: the same steps, in order.
    assert [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))] == list(MIGRATIONS)
    path = tmp_path / "companion.db"
    with pytest.raises(quicknote.NotReady):
        quicknote.add_note(path, "x", tags=[], private=False, session=None, day=None)
    Store.open(path).close()
    entry_id, length = quicknote.add_note(path, "quick \x07words", tags=["#Shell"], private=True,
                                          session=None, day="2026-02-01")
    store = Store.open(path)
    [hit] = store.journal.search("quick")
    assert hit.entry.id == entry_id and length == len("quick words") == len(hit.entry.text)
    assert hit.entry.tags == ["shell"] and hit.entry.private and hit.entry.day == "2026-02-01"
    with pytest.raises(LookupError):
        quicknote.add_note(path, "x", tags=[], private=False, session=3, day=None)


def test_a_damaged_search_index_is_rebuilt_at_start(paths):
    store = Store.open(paths.database)
    for n in range(50):
        store.journal.add(f"walked by the lighthouse {n}")
    store.close()
    conn = sqlite3.connect(paths.database)
    conn.execute("update entries_fts_data set block = randomblob(length(block)) where id > 10")
    conn.commit()
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("insert into entries_fts(entries_fts) values('integrity-check')")
    conn.close()
    store = Store.open(paths.database)
    try:
        assert len(store.journal.search("lighthouse", limit=100)) == 50
    finally:
        store.close()


@pytest.mark.parametrize("lost", ["entries_fts_config", "entries_fts_data", "entries_fts_idx"])
def test_a_search_index_sqlite_cannot_load_is_made_again_at_start(paths, lost):
    store = Store.open(paths.database)
    for n in range(20):
        store.journal.add(f"walked by the lighthouse {n}")
    store.close()
    conn = sqlite3.connect(paths.database)
    conn.execute(f"drop table {lost}")
    conn.commit()
    with pytest.raises(sqlite3.DatabaseError):  # "vtable constructor failed", "SQL logic error"
        conn.execute("select * from entries_fts where entries_fts match 'lighthouse'").fetchall()
    conn.close()
    store = Store.open(paths.database)
    try:
        assert len(store.journal.search("lighthouse", limit=100)) == 20
        store.journal.add("a new page by the lighthouse")  # writing works again (its trigger fills the index)
        assert len(store.journal.search("lighthouse", limit=100)) == 21
    finally:
        store.close()
    conn = sqlite3.connect(paths.database)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    conn.close()
