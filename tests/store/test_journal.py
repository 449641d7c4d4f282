from companion.store import Store


def test_guided_fields_save_one_entry_each_and_skip_blank_pages(store: Store):
    infusion = store.sessions.begin()
    assert store.journal.save_for(infusion.id, "integration", "body", "   ") is None
    first = store.journal.save_for(infusion.id, "integration", "body", "warm hands")
    again = store.journal.save_for(infusion.id, "integration", "body", "warm hands, heavy legs")
    assert first is not None and again is not None and again.id == first.id
    assert [e.text for e in store.journal.for_infusion(infusion.id)] == ["warm hands, heavy legs"]


def test_edits_keep_earlier_revisions_now_and_then(store: Store, clock):
    entry = store.journal.add("first words")
    store.journal.update_text(entry.id, "first words and more")
    clock.advance(seconds=30)
    store.journal.update_text(entry.id, "first words and more still")  # same editing spell
    clock.advance(minutes=6)
    store.journal.update_text(entry.id, "rewritten")
    assert [text for _, text in store.journal.revisions(entry.id)] == [
        "first words", "first words and more still",
    ]
    assert store.journal.get(entry.id).text == "rewritten"


def test_deleting_moves_to_a_trash_that_restores(store: Store):
    infusion = store.sessions.begin()
    entry = store.journal.save_for(infusion.id, "intention", "", "to rest")
    assert entry is not None
    store.journal.delete(entry.id)
    assert store.journal.find(infusion.id, "intention") is None
    assert [e.id for e in store.journal.trashed()] == [entry.id]
    store.journal.restore(entry.id)
    assert store.journal.find(infusion.id, "intention").text == "to rest"
    assert store.journal.trashed() == []


def test_earlier_intentions_newest_first_without_the_current_one(store: Store):
    ids = []
    for words in ("soften", "", "trust the music"):
        infusion = store.sessions.begin()
        ids.append(infusion.id)
        store.journal.save_for(infusion.id, "intention", "", words)
        for _ in range(4):
            store.sessions.advance(infusion.id)
    current = store.sessions.begin()
    store.journal.save_for(current.id, "intention", "", "now")
    assert [e.text for e in store.journal.intentions(exclude_infusion=current.id)] == [
        "trust the music", "soften",
    ]


def test_checkins_one_per_day(store: Store):
    store.checkins.save("2026-03-02", {"sleep": "poor"})
    store.checkins.save("2026-03-02", {"sleep": "good", "diet": "well"})
    assert store.checkins.for_day("2026-03-02") == {"sleep": "good", "diet": "well"}
    assert store.checkins.for_day("2026-03-03") == {}
