"""A small patient history for the export tests, written through the store."""

from __future__ import annotations

from companion.core.clock import FakeClock
from companion.core.stages import Stage
from companion.store import Store


def infusion(store: Store, clock: FakeClock, *, intention: str = "", pre=(6, 4, 5), post=(3, 6, 2),
             journal: dict[str, str] | None = None, effects: dict[str, bool] | None = None,
             moments: int = 1, therapy: str = "", finish: bool = True):
    inf = store.sessions.begin()
    store.sessions.set_stage(inf.id, Stage.INTENTION)
    if intention:
        store.journal.save_for(inf.id, "intention", "", intention)
    for timing, values in (("pre", pre), ("post", post)):
        if values:
            for name, value in zip(("pain", "mood", "anxiety"), values):
                store.sessions.save_rating(inf.id, timing, name, value)
    store.sessions.set_stage(inf.id, Stage.EXPERIENCE)
    store.sessions.experience_started(inf.id)
    for i in range(moments):
        store.sessions.mark_moment(inf.id, 600.0 + 300 * i, f"Track {i + 1}", "peak")
    clock.advance(minutes=85)
    store.sessions.experience_ended(inf.id, 85 * 60.0, early=False)
    store.sessions.set_stage(inf.id, Stage.INTEGRATION)
    for key, body in (journal or {}).items():
        store.journal.save_for(inf.id, "integration", key, body)
    if effects:
        store.sessions.save_side_effects(inf.id, effects)
    if therapy:
        store.sessions.save_therapy_at(inf.id, therapy)
    if finish:
        store.sessions.set_stage(inf.id, Stage.COMPLETE)
    return store.sessions.get(inf.id)


def history(store: Store, clock: FakeClock) -> None:
    """Three infusions two days apart, notes between them, one private, check-ins."""
    infusion(store, clock, intention="Let go of the fear of the pain",
             journal={"experience": "Floating over a lake — ruhig, спокойно, 静か 🌊",
                      "therapist": "The image of my grandmother"},
             effects={"nausea": True}, therapy="2026-03-03 15:30")
    clock.advance(hours=20)
    store.journal.add("Slept ten hours. Gratitude for the quiet.", tags=["sleep"])
    store.journal.add("Something only for me", private=True)
    store.checkins.save(clock.now().date().isoformat(),
                        {"exercise": "light", "sleep": "good", "gratitude": "yes"})
    clock.advance(days=1, hours=4)
    infusion(store, clock, intention="Stay with the body", pre=(5, 5, 4), post=(2, 7, 2),
             journal={"body": "Warm hands"}, effects={"urinary": True, "headache": True})
    clock.advance(days=2)
    infusion(store, clock, intention="Trust", pre=(4, 6, 3), post=(2, 8, 1))
