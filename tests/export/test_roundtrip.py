"""A full JSON export restored into an empty home is identical (property test)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core import measures as m
from companion.core.clock import FakeClock
from companion.core.stages import Stage
from companion.export import get
from companion.export.importer import ImportProblem, check, restore
from companion.export.selection import SOURCES, Selection, build_report
from companion.store import Store

EVERYTHING = Selection(include_private=True, include_history=True)

texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=40
)
ratings = st.one_of(st.none(), st.integers(0, 10))
infusions = st.lists(
    st.fixed_dictionaries({
        "intention": texts,
        "pre": st.tuples(ratings, ratings, ratings),
        "post": st.tuples(ratings, ratings, ratings),
        "journal": texts,
        "moments": st.lists(st.floats(0, 5100, allow_nan=False), max_size=3),
        "urinary": st.booleans(),
        "edits": st.lists(texts, max_size=2),
        "complete": st.booleans(),
    }),
    max_size=4,
)
notes = st.lists(
    st.tuples(texts, st.lists(st.sampled_from(["sleep", "pain", "Dankbarkeit", "家族"]), max_size=2),
              st.booleans()),
    max_size=4,
)
checkins = st.lists(st.sampled_from(["light", "none", "vigorous"]), max_size=3)
fiqr_items = st.fixed_dictionaries(
    {key: st.one_of(st.none(), st.integers(0, 10)) for key in m.FIQR_ITEMS}
)
acr_answers = st.fixed_dictionaries({
    "painful_areas": st.lists(st.sampled_from(m.ACR_AREAS), unique=True),
    **{name: st.integers(0, 3) for name in m.ACR_SEVERITY_FIELDS},
    **{name: st.integers(0, 1) for name in m.ACR_YES_NO_FIELDS},
    "three_months": st.booleans(),
})
questionnaires = st.lists(
    st.fixed_dictionaries({
        "kind": st.sampled_from(["fiqr", "acr2016"]),
        "fiqr": fiqr_items,
        "acr": acr_answers,
        # a draft, finished, or finished and then changed (an earlier revision)
        "status": st.sampled_from(["draft", "complete", "revised"]),
        "infusion": st.one_of(st.none(), st.integers(0, 3)),
    }),
    max_size=4,
)


def _answers(item) -> dict:
    if item["kind"] == "fiqr":
        return {"instrument": m.FIQR_SERIAL_INSTRUMENT, "version": m.FIQR_SERIAL_VERSION,
                "items": dict(item["fiqr"])}
    return {"instrument": m.ACR_SERIAL_INSTRUMENT, "version": m.ACR_SERIAL_VERSION, **item["acr"]}


def _changed(item, answers: dict) -> dict:
    if item["kind"] == "fiqr":
        pain = answers["items"]["pain"]
        return {**answers, "items": {**answers["items"], "pain": 0 if pain != 0 else 10}}
    return {**answers, "three_months": not answers["three_months"]}


def _questionnaires(store: Store, clock: FakeClock, items) -> None:
    ids = [i.id for i in store.sessions.all()]
    for item in items:
        link = item["infusion"]
        q = store.measures.start(item["kind"], ids[link] if link is not None and link < len(ids) else None)
        answers = _answers(item)
        clock.advance(minutes=3)
        if item["status"] == "draft":
            store.measures.save_answers(q.id, answers)
        else:
            store.measures.complete(q.id, answers)
            if item["status"] == "revised":
                clock.advance(hours=1)
                store.measures.save_answers(q.id, _changed(item, answers))
        clock.advance(hours=5)


def _fill(store: Store, clock: FakeClock, plan, free, days) -> None:
    for item in plan:
        inf = store.sessions.begin()
        store.journal.save_for(inf.id, "intention", "", "i " + item["intention"])
        for timing in ("pre", "post"):
            for name, value in zip(("pain", "mood", "anxiety"), item[timing]):
                store.sessions.save_rating(inf.id, timing, name, value)
        for position in item["moments"]:
            store.sessions.mark_moment(inf.id, position, "Track", "plateau")
        store.sessions.save_side_effects(inf.id, {"urinary": item["urinary"]}, item["journal"][:5])
        entry = store.journal.save_for(inf.id, "integration", "experience", "j " + item["journal"])
        for edit in item["edits"]:
            clock.advance(minutes=6)
            store.journal.update_text(entry.id, "e " + edit)
        if item["complete"]:
            store.sessions.set_stage(inf.id, Stage.COMPLETE)
        clock.advance(days=2)
    for body, tags, private in free:
        store.journal.add("n " + body, tags=tags, private=private)
        clock.advance(hours=7)
    for answer in days:
        store.checkins.save(clock.now().date().isoformat(), {"exercise": answer})
        clock.advance(days=1)


def _tables(store: Store) -> dict:
    return {
        s.table: [dict(r) for r in store.db[s.table].rows_where(order_by="rowid")]
        for s in SOURCES if s.table in store.db.table_names()
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=infusions, free=notes, days=checkins, scores=questionnaires)
def test_export_import_round_trip(plan, free, days, scores):
    clock = FakeClock(datetime(2026, 3, 2, 9, 30).astimezone())
    source = Store.memory(clock)
    _fill(source, clock, plan, free, days)
    _questionnaires(source, clock, scores)
    data = get("json").render(build_report(source, EVERYTHING))
    target = Store.memory(clock)
    restore(target, json.loads(data))
    assert _tables(target) == _tables(source)
    # The restored questionnaires score the same (the scores are recomputed, not copied).
    assert [q.record() for q in target.measures.all()] == [q.record() for q in source.measures.all()]
    assert target.measures.revisions(1) == source.measures.revisions(1)
    again = get("json").render(build_report(target, EVERYTHING))
    assert again == data


def test_importing_a_home_into_itself_changes_nothing(filled):
    doc = json.loads(get("json").render(build_report(filled, EVERYTHING)))
    before = _tables(filled)
    outcome = restore(filled, doc)
    assert outcome.total("added") == outcome.total("updated") == 0
    assert outcome.total("unchanged") == sum(len(rows) for rows in doc["tables"].values())
    assert _tables(filled) == before


def test_import_refuses_other_files_and_newer_versions(clock):
    with pytest.raises(ImportProblem, match="not a companion export"):
        check({"hello": 1})
    with pytest.raises(ImportProblem, match="newer companion"):
        check({"format": "companion-export", "schema_version": 99, "tables": {}})
    doc = {"format": "companion-export", "schema_version": 1, "tables": {"entries": [
        {"id": 1, "kind": "note", "text": "x", "created_at": "2026-03-02T09:30:00+00:00",
         "updated_at": "2026-03-02T09:30:00+00:00", "mood_colour": "blue"}]}}
    store = Store.memory(clock)
    with pytest.raises(ImportProblem, match="no column 'mood_colour'"):
        restore(store, doc)
    assert store.db["entries"].count == 0  # nothing half-restored
