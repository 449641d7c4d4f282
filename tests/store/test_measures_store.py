"""Questionnaires in the store: drafts resumed, finishing, trash, revisions, export records."""

from __future__ import annotations

import json

import pytest

from companion.core import measures as m
from companion.store import Store
from companion.store.measures import ACR2016, FIQR, QuestionnaireError


def full_fiqr(value: int = 5) -> dict:
    return m.fiqr_answers_to_dict(m.FiqrAnswers({k: value for k in m.FIQR_ITEMS}))


def full_acr(**changes) -> dict:
    answers = m.Acr2016Answers(
        painful_areas={"neck", "lower_back", "shoulder_left"}, fatigue=2, unrefreshed=1,
        cognitive=1, headaches=1, abdominal=0, depression=0, three_months=True,
    )
    return {**m.acr2016_answers_to_dict(answers), **changes}


def test_a_half_finished_fiqr_is_kept_as_a_draft_and_resumed(store: Store, clock):
    draft = store.measures.resume_or_start(FIQR)
    answers = dict(draft.answers)
    answers["items"] = {**answers["items"], "pain": 7, "energy": 6}
    store.measures.save_answers(draft.id, answers)
    clock.advance(hours=3)
    resumed = store.measures.resume_or_start(FIQR)
    assert resumed.id == draft.id
    assert resumed.answers["items"]["pain"] == 7
    assert resumed.answers["items"]["brush_hair"] is None
    assert store.measures.completed(FIQR) == []


def test_out_of_range_answers_are_refused_with_a_reason(store: Store):
    draft = store.measures.start(FIQR)
    bad = full_fiqr()
    bad["items"]["pain"] = 11
    with pytest.raises(QuestionnaireError, match="outside 0 to 10"):
        store.measures.save_answers(draft.id, bad)
    bad["items"]["pain"] = "seven"
    with pytest.raises(QuestionnaireError, match="not a whole number"):
        store.measures.save_answers(draft.id, bad)
    assert store.measures.get(draft.id).answers["items"]["pain"] is None


def test_finishing_scores_it_and_a_new_one_starts_blank(store: Store, clock):
    draft = store.measures.start(FIQR)
    clock.advance(minutes=5)
    done = store.measures.complete(draft.id, full_fiqr(6))
    assert done.complete and done.completed_at == clock.now().replace(microsecond=0)
    assert done.fiqr_result().total == pytest.approx(18 + 12 + 30)
    fresh = store.measures.resume_or_start(FIQR)
    assert fresh.id != draft.id and fresh.answers["items"]["pain"] is None


def test_an_invalid_fiqr_is_kept_but_never_scored(store: Store):
    draft = store.measures.start(FIQR)
    answers = full_fiqr(4)
    answers["items"]["pain"] = None
    done = store.measures.complete(draft.id, answers)
    record = done.record()
    assert record["scores"]["valid"] is False
    assert record["scores"]["total"] is None
    assert "symptom" in record["scores"]["reason"]


def test_acr_draft_allows_blanks_but_finishing_needs_every_question(store: Store):
    draft = store.measures.resume_or_start(ACR2016)
    store.measures.save_answers(draft.id, {**draft.answers, "painful_areas": ["neck", "jaw_left"]})
    saved = store.measures.get(draft.id)
    assert saved.answers["painful_areas"] == ["jaw_left", "neck"]  # canonical order
    with pytest.raises(QuestionnaireError, match="Still unanswered: fatigue"):
        store.measures.complete(draft.id)
    with pytest.raises(QuestionnaireError, match="Unknown body area"):
        store.measures.save_answers(draft.id, {**draft.answers, "painful_areas": ["tail"]})
    with pytest.raises(QuestionnaireError, match="0 to 3"):
        store.measures.save_answers(draft.id, {**draft.answers, "fatigue": 4})
    done = store.measures.complete(draft.id, full_acr())
    scores = done.record()["scores"]
    assert (scores["wpi"], scores["sss"], scores["pds"]) == (3, 5, 8)
    assert scores["label"] == m.ACR2016_LABEL


def test_trash_and_restore(store: Store):
    done = store.measures.complete(store.measures.start(FIQR).id, full_fiqr())
    store.measures.trash(done.id)
    assert store.measures.completed(FIQR) == []
    assert [q.id for q in store.measures.trashed()] == [done.id]
    store.measures.restore(done.id)
    assert [q.id for q in store.measures.completed(FIQR)] == [done.id]


def test_changing_a_finished_questionnaire_keeps_the_earlier_answers(store: Store, clock):
    done = store.measures.complete(store.measures.start(FIQR).id, full_fiqr(3))
    clock.advance(minutes=1)
    changed = full_fiqr(3)
    changed["items"]["pain"] = 9
    store.measures.save_answers(done.id, changed)
    assert store.measures.get(done.id).answers["items"]["pain"] == 9
    [(when, earlier)] = store.measures.revisions(done.id)
    assert earlier["items"]["pain"] == 3


def test_records_travel_through_json_and_back(store: Store, clock):
    infusion = store.sessions.begin()
    fiqr = store.measures.complete(store.measures.start(FIQR, infusion.id).id, full_fiqr(2))
    store.measures.complete(store.measures.start(ACR2016).id, full_acr())
    store.measures.save_answers(store.measures.start(FIQR).id, {**full_fiqr(1)})
    records = json.loads(json.dumps(store.measures.records()))
    assert [r["kind"] for r in records] == [FIQR, ACR2016, FIQR]
    assert records[0]["infusion_id"] == infusion.id

    other = Store.memory(clock)
    other_infusion = other.sessions.begin()
    for record in records:
        record["scores"] = {"total": 0}  # scores are recomputed, never trusted
        other.measures.import_record(record, {infusion.id: other_infusion.id})
    again = other.measures.records()
    assert [r["answers"] for r in again] == [r["answers"] for r in records]
    assert again[0]["scores"]["total"] == fiqr.fiqr_result().total
    assert again[0]["infusion_id"] == other_infusion.id
    assert again[0]["completed_at"] == records[0]["completed_at"]
    assert other.measures.draft(FIQR) is not None


def test_import_refuses_a_tampered_answer(store: Store):
    record = {"kind": FIQR, "status": "complete", "answers": full_fiqr(), "created_at": None}
    record["answers"]["items"]["pain"] = 42
    with pytest.raises(QuestionnaireError):
        store.measures.import_record(record)
    assert store.measures.all() == []


def test_the_questionnaires_table_survives_reopening(paths, clock):
    first = Store.open(paths.database, clock)
    first.measures.save_answers(first.measures.start(FIQR).id, full_fiqr(8))
    first.close()
    again = Store.open(paths.database, clock)
    try:
        assert again.measures.draft(FIQR).answers["items"]["pain"] == 8
    finally:
        again.close()


def test_trend_inputs_carry_infusions_ratings_and_finished_questionnaires(store: Store, clock):
    from companion.core import trends
    from companion.store.measures import trend_inputs

    infusion = store.sessions.begin()
    store.sessions.save_rating(infusion.id, "pre", "pain", 7)
    store.measures.complete(store.measures.start(FIQR, infusion.id).id, full_fiqr(5))
    store.measures.start(ACR2016)  # a draft: not charted
    for _ in range(4):
        store.sessions.advance(infusion.id)
    inputs = trend_inputs(store.sessions, store.measures)
    assert [(i.number, i.pre["pain"], i.complete) for i in inputs.infusions] == [(1, 7, True)]
    assert [(f.result.total, f.infusion) for f in inputs.fiqr] == [(50.0, 1)]
    assert inputs.acr == ()
    assert trends.ratings_chart(inputs, "pain").series[0].pairs() == [(1, 7.0)]
