from companion.core.stages import Stage
from companion.store import Store


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
