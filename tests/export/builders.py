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


def fiqr(store: Store, value: int | None = 5, *, infusion_id: int | None = None,
         blanks: tuple[str, ...] = (), finish: bool = True):
    """A FIQR with every item answered ``value``, except ``blanks``."""
    from companion.core import measures as m

    q = store.measures.start("fiqr", infusion_id)
    answers = {"instrument": m.FIQR_SERIAL_INSTRUMENT, "version": m.FIQR_SERIAL_VERSION,
               "items": {k: (None if k in blanks else value) for k in m.FIQR_ITEMS}}
    if not finish:
        return store.measures.save_answers(q.id, answers)
    return store.measures.complete(q.id, answers)


def acr(store: Store, areas: int, severity: int, *, infusion_id: int | None = None):
    """An ACR 2016 self-report: the first ``areas`` body areas painful, each
    severity ``severity`` (0-3), headaches yes, the other two no."""
    from companion.core import measures as m

    q = store.measures.start("acr2016", infusion_id)
    answers = {**q.answers, "painful_areas": list(m.ACR_AREAS[:areas]),
               "fatigue": severity, "unrefreshed": severity, "cognitive": severity,
               "headaches": 1, "abdominal": 0, "depression": 0, "three_months": True}
    return store.measures.complete(q.id, answers)


def scored_history(store: Store, clock: FakeClock) -> None:
    """``history`` with questionnaires before and after the infusions."""
    fiqr(store, 7)  # 70.0 before the series
    acr(store, 12, 3)  # WPI 12, SSS 10
    clock.advance(hours=1)
    history(store, clock)
    clock.advance(days=1)
    last = store.sessions.all()[-1].id
    fiqr(store, 3, infusion_id=last)  # 30.0 after it
    acr(store, 5, 1, infusion_id=last)  # WPI 5, SSS 4
    fiqr(store, 2, blanks=("brush_hair",))  # prorated: 20 of 21 answered
    fiqr(store, 5, blanks=("pain", "energy"))  # not scored: symptom items blank
    fiqr(store, 9, finish=False)  # a draft is never shared
