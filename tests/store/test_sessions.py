import pytest

from companion.core.stages import Stage
from companion.store import Store
from companion.store.sessions import RestoreRefused


def test_begin_numbers_infusions_and_resumes_the_one_in_progress(store: Store):
    first = store.sessions.begin()
    assert first.number == 1 and first.stage is Stage.PREPARATION
    assert store.sessions.begin().id == first.id  # still in progress: resumed, not duplicated
    for _ in range(4):
        store.sessions.advance(first.id)
    assert store.sessions.current() is None
    second = store.sessions.begin()
    assert second.number == 2
    assert [i.number for i in store.sessions.completed()] == [1]


def test_stage_moves_are_stored_with_their_times(store: Store, clock):
    infusion = store.sessions.begin()
    clock.advance(minutes=10)
    moved = store.sessions.advance(infusion.id)
    assert moved.stage is Stage.INTENTION
    assert store.sessions.back(infusion.id).stage is Stage.PREPARATION
    store.sessions.advance(infusion.id)
    store.sessions.advance(infusion.id)
    assert store.sessions.get(infusion.id).stage is Stage.EXPERIENCE
    clock.advance(minutes=85)
    done = store.sessions.advance(store.sessions.advance(infusion.id).id)
    assert done.stage is Stage.COMPLETE
    assert done.completed_at == clock.now().replace(microsecond=0)


def test_ratings_before_and_after_are_kept_apart(store: Store):
    infusion = store.sessions.begin()
    store.sessions.save_rating(infusion.id, "pre", "pain", 7)
    store.sessions.save_rating(infusion.id, "pre", "mood", 3)
    store.sessions.save_rating(infusion.id, "post", "pain", 4)
    store.sessions.save_rating(infusion.id, "pre", "pain", 6)
    assert store.sessions.ratings(infusion.id, "pre").as_dict() == {"pain": 6, "mood": 3, "anxiety": None}
    assert store.sessions.ratings(infusion.id, "post").pain == 4


def test_checklist_side_effects_and_appointment(store: Store):
    infusion = store.sessions.begin()
    store.sessions.save_checklist(infusion.id, {"eye_mask": True, "water": False})
    store.sessions.save_side_effects(infusion.id, {"nausea": True, "urinary": True}, "dry\x00 mouth")
    store.sessions.save_therapy_at(infusion.id, "2026-03-05 15:30")
    got = store.sessions.get(infusion.id)
    assert got.checklist == {"eye_mask": True, "water": False}
    assert got.side_effects == {"nausea": True, "urinary": True}
    assert got.side_effects_other == "dry mouth"
    assert got.therapy_at == "2026-03-05 15:30"


def test_experience_position_and_moments(store: Store, clock):
    infusion = store.sessions.begin()
    store.sessions.experience_started(infusion.id)
    store.sessions.save_position(infusion.id, 1234.5678)
    store.sessions.mark_moment(infusion.id, 900.0, "Low drone", "plateau")
    store.sessions.mark_moment(infusion.id, 300.0, "Pads", "onset")
    assert store.sessions.get(infusion.id).position == 1234.568
    assert [(m.position, m.track) for m in store.sessions.moments(infusion.id)] == [
        (300.0, "Pads"), (900.0, "Low drone"),
    ]
    store.sessions.experience_ended(infusion.id, 2000.0, early=True)
    got = store.sessions.get(infusion.id)
    assert got.ended_early and got.position == 2000.0 and got.experience_ended_at is not None


def _to_intention(store: Store, words: str = "rest and soften"):
    infusion = store.sessions.begin()
    store.sessions.advance(infusion.id)
    store.journal.save_for(infusion.id, "intention", "", words)
    return infusion


def test_discard_moves_the_infusion_and_its_writing_to_the_trash_and_restore_brings_them_back(
        store: Store, clock):
    infusion = _to_intention(store)
    store.checkins.save("2026-03-02", {"sleep": "good"}, infusion.id)
    fiqr = store.measures.start("fiqr", infusion.id)
    early = store.journal.add("a page for it, trashed before", infusion_id=infusion.id)
    store.journal.delete(early.id)
    clock.advance(minutes=3)

    gone = store.sessions.discard(infusion.id)

    assert gone.deleted_at is not None
    assert store.sessions.current() is None and store.sessions.all() == []
    assert [i.id for i in store.sessions.discarded()] == [infusion.id]
    assert store.journal.find(infusion.id, "intention") is None
    assert store.journal.intentions() == []
    # In the trash with the infusion, not as loose entries.
    assert store.journal.trashed() == []
    assert {e.text for e in store.journal.trashed_with(infusion.id)} == {
        "rest and soften", "a page for it, trashed before"}
    # The day's check-in and the questionnaire are the patient's own: kept, unlinked.
    assert store.db["checkins"].get(1)["infusion_id"] is None
    assert store.measures.get(fiqr.id).infusion_id is None
    # The next infusion takes its number.
    assert store.sessions.begin().number == 1


def test_restore_brings_back_the_infusion_with_what_was_written_for_it(store: Store, clock):
    infusion = _to_intention(store)
    early = store.journal.add("trashed on its own first", infusion_id=infusion.id)
    store.journal.delete(early.id)
    clock.advance(minutes=3)
    store.sessions.discard(infusion.id)

    back = store.sessions.restore(infusion.id)

    assert back.deleted_at is None and back.stage is Stage.INTENTION and back.number == 1
    assert store.sessions.current().id == infusion.id
    assert store.journal.find(infusion.id, "intention").text == "rest and soften"
    # The entry trashed on its own before stays in the trash, on its own again.
    assert [e.text for e in store.journal.trashed()] == ["trashed on its own first"]
    assert store.sessions.discarded() == []


def test_restore_is_refused_when_another_infusion_is_in_progress_or_took_its_number(store: Store):
    first = _to_intention(store)
    store.sessions.discard(first.id)
    second = store.sessions.begin()
    assert second.number == 1  # the discarded one does not count

    with pytest.raises(RestoreRefused, match="while another infusion is in progress"):
        store.sessions.restore(first.id)
    for _ in range(4):
        store.sessions.advance(second.id)
    with pytest.raises(RestoreRefused, match="another infusion has taken its place"):
        store.sessions.restore(first.id)

    assert store.sessions.get(first.id).deleted_at is not None
    assert [i.number for i in store.sessions.all()] == [1]
    assert store.journal.find(first.id, "intention") is None


def test_only_an_infusion_before_its_experience_can_be_discarded(store: Store):
    infusion = _to_intention(store)
    store.sessions.advance(infusion.id)
    with pytest.raises(ValueError):
        store.sessions.discard(infusion.id)
    assert store.sessions.current().id == infusion.id


def test_urinary_symptoms_wait_to_be_marked_as_told(store: Store, clock):
    first = store.sessions.begin()
    store.sessions.save_side_effects(first.id, {"urinary": True})
    for _ in range(4):
        store.sessions.advance(first.id)
    second = store.sessions.begin()
    store.sessions.save_side_effects(second.id, {"nausea": True})
    assert [i.number for i in store.sessions.urinary_untold()] == [1]

    clock.advance(days=1)
    marked = store.sessions.mark_urinary_told()

    assert [i.number for i in marked] == [1]
    assert store.sessions.get(first.id).urinary_told_at == clock.now().replace(microsecond=0)
    assert store.sessions.get(second.id).urinary_told_at is None
    assert store.sessions.urinary_untold() == []
    # A later report asks again.
    store.sessions.save_side_effects(second.id, {"urinary": True})
    assert [i.number for i in store.sessions.urinary_untold()] == [2]
