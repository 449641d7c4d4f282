"""``companion import`` (issue 14): every row validated, merged into a home
with records, previewed, and two machines' journals brought together."""

from __future__ import annotations

import json
from datetime import datetime

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from companion.cli import main
from companion.core.clock import FakeClock
from companion.core.records import legacy_uid
from companion.export import get, validate
from companion.export.importer import restore
from companion.export.selection import SOURCES, Selection, build_report
from companion.store import Store
from companion.store.migrations import IDENTIFIED
from tests.export.builders import fiqr, history, infusion
from tests.export.test_roundtrip import _fill, _questionnaires, checkins, infusions, notes, questionnaires

EVERYTHING = Selection(include_private=True, include_history=True)


def export(store: Store) -> dict:
    return json.loads(get("json").render(build_report(store, EVERYTHING)))


def records(store: Store) -> dict[str, list[str]]:
    """Every record of every table as it would compare across machines: by
    identity, with links named by the linked record's identity, not the id."""
    out: dict[str, list[str]] = {}
    uid_of: dict[str, dict[int, str]] = {}
    for source in SOURCES:
        rows = [dict(r) for r in store.db[source.table].rows]
        uid_of[source.table] = {r.get("id"): r.get("uid") for r in rows}
        links = validate.links(source.table)
        out[source.table] = sorted(
            json.dumps({k: (uid_of[links[k]].get(v) if k in links else v)
                        for k, v in r.items() if k != "id"}, sort_keys=True, default=str)
            for r in rows
        )
    return out


def counts(store: Store) -> dict[str, int]:
    return {s.table: store.db[s.table].count for s in SOURCES}


def write(tmp_path, doc: dict, name: str = "file.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def seeded(paths, clock) -> dict:
    """A home at ``paths`` with three infusions, notes and a FIQR; its export."""
    store = Store.open(paths.database, clock)
    try:
        history(store, clock)
        fiqr(store, 6, infusion_id=store.sessions.all()[0].id)
        return export(store)
    finally:
        store.close()


# --- validation: a bad row refuses the whole file ------------------------------


def refused(paths, tmp_path, capsys, doc: dict) -> str:
    """Import ``doc`` into a second home that has records; it must be refused
    with one line, and nothing written there."""
    other = tmp_path / "other"
    store = Store.open(other / "companion.db")
    store.journal.add("already here")
    before = records(store)
    store.close()
    capsys.readouterr()
    assert main(["--home", str(other), "import", str(write(tmp_path, doc))]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing was written" in err
    store = Store.open(other / "companion.db")
    try:
        assert records(store) == before
    finally:
        store.close()
    return err


def test_an_fiqr_answer_of_11_is_refused_and_scores_still_work(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    q = doc["tables"]["questionnaires"][0]
    answers = json.loads(q["answers"])
    answers["items"]["pain"] = 11
    q["answers"] = json.dumps(answers)
    err = refused(paths, tmp_path, capsys, doc)
    assert f"questionnaires record {q['id']}, answers:" in err and "11" in err
    other = tmp_path / "other"
    assert main(["--home", str(other), "scores"]) == 0
    assert main(["--home", str(other), "scores", "--format", "json"]) == 0


def test_a_bad_stage_is_refused(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    doc["tables"]["infusions"][1]["stage"] = "dancing"
    err = refused(paths, tmp_path, capsys, doc)
    row = doc["tables"]["infusions"][1]["id"]
    assert f"infusions record {row}, stage: 'dancing' is not a stage" in err


def test_a_control_character_is_refused(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    entry = doc["tables"]["entries"][0]
    entry["text"] = "rang\x07 the bell"
    err = refused(paths, tmp_path, capsys, doc)
    assert f"entries record {entry['id']}, text: holds a control character" in err
    assert "rang" not in err  # the patient's words are not echoed


def test_a_link_to_nothing_is_refused(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    rating = doc["tables"]["ratings"][0]
    rating["infusion_id"] = 99
    err = refused(paths, tmp_path, capsys, doc)
    assert f"ratings record {rating['id']}, infusion_id: points to infusions record 99" in err


def test_several_problems_name_the_first_and_count_the_rest(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    for rating in doc["tables"]["ratings"]:
        rating["pain"] = 12
    err = refused(paths, tmp_path, capsys, doc)
    assert err.count("pain: A rating is a whole number from 0 to 10") == 3
    assert f"and {len(doc['tables']['ratings']) - 3} more problems" in err


def test_a_check_in_answer_the_screen_never_offers_is_refused(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    doc["tables"]["checkins"][0]["answers"] = json.dumps({"sleep": "ten hours"})
    err = refused(paths, tmp_path, capsys, doc)
    assert "checkins record" in err and "'ten hours'" in err


def test_a_file_from_a_newer_companion_says_so(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    doc["schema_version"] = 99
    assert main(["import", str(write(tmp_path, doc))]) == 1
    assert "newer companion" in capsys.readouterr().err


def test_a_file_written_by_0_1_0_imports_and_is_recognised(paths, clock, tmp_path, capsys):
    """Schema 1: rows without uid. They get the identity the migration gave the
    same rows in the home that wrote them, so importing it back adds nothing."""
    store = Store.open(paths.database, clock)
    history(store, clock)
    for table in IDENTIFIED:  # as the migration left a 0.1.0 home
        for row in list(store.db[table].rows):
            store.db[table].update(row["id"], {"uid": legacy_uid(table, row)})
    doc = export(store)
    before = records(store)
    store.close()
    doc["schema_version"] = 1
    doc["database_schema"] = [n for n in doc["database_schema"] if n != "m014_record_uids"]
    for rows in doc["tables"].values():
        for row in rows:
            del row["uid"]
    old = write(tmp_path, doc, "old.json")
    other = tmp_path / "other"
    assert main(["--home", str(other), "import", str(old)]) == 0
    total = sum(len(rows) for rows in doc["tables"].values())
    assert f"{total} added, 0 updated, 0 unchanged" in capsys.readouterr().out
    copy = Store.open(other / "companion.db")
    assert records(copy) == before
    copy.close()
    assert main(["import", str(old)]) == 0
    assert f"0 added, 0 updated, {total} unchanged" in capsys.readouterr().out


# --- merging --------------------------------------------------------------------


def test_the_same_file_twice_adds_nothing_and_preview_writes_nothing(paths, clock, tmp_path, capsys):
    doc = seeded(paths, clock)
    file = write(tmp_path, doc)
    other = tmp_path / "other"
    assert main(["--home", str(other), "import", "--preview", str(file)]) == 0
    out = capsys.readouterr().out
    total = sum(len(rows) for rows in doc["tables"].values())
    assert f"would add {total}, update 0 and leave 0 unchanged.\nNothing was written" in out
    assert "journal entries: 8 added" in out
    assert not (other / "companion.db").exists()
    assert main(["--home", str(other), "import", str(file)]) == 0
    out = capsys.readouterr().out
    assert f"{total} added" in out and "A copy of the journal as it was before" in out
    copies = sorted(p.name for p in (other / "backups").iterdir())
    assert any("before-import" in name for name in copies)
    store = Store.open(other / "companion.db")
    once = records(store)
    store.close()
    assert main(["--home", str(other), "import", "--preview", str(file)]) == 0
    assert f"would add 0, update 0 and leave {total} unchanged" in capsys.readouterr().out
    assert main(["--home", str(other), "import", str(file)]) == 0
    out = capsys.readouterr().out
    assert f"0 added, 0 updated, {total} unchanged" in out
    assert "holds everything in the file already; nothing was written" in out
    assert sorted(p.name for p in (other / "backups").iterdir()) == copies  # no copy either
    store = Store.open(other / "companion.db")
    try:
        assert records(store) == once
    finally:
        store.close()


def test_an_entry_edited_on_both_sides_newer_wins_and_the_other_is_a_revision(clock):
    a = Store.memory(clock)
    inf = infusion(a, clock, journal={"experience": "A lake"})
    b = Store.memory(clock)
    restore(b, export(a))
    entry = a.journal.find(inf.id, "integration", "experience")
    q = fiqr(a, 5)
    restore(b, export(a))
    clock.advance(hours=1)
    a.journal.update_text(entry.id, "A lake, and my grandmother")  # earlier
    a.measures.save_answers(q.id, {**q.answers, "items": {**q.answers["items"], "pain": 9}})
    clock.advance(hours=1)
    b.journal.update_text(entry.id, "A lake at dawn")  # later: wins
    outcome = restore(a, export(b))
    assert outcome.updated == {"entries": 1}
    assert a.journal.get(entry.id).text == "A lake at dawn"
    assert "A lake, and my grandmother" in [t for _, t in a.journal.revisions(entry.id)]
    # A's FIQR change is newer than B's copy: it stays, B's answers kept as a revision.
    assert a.measures.get(q.id).answers["items"]["pain"] == 9
    kept = [r["items"]["pain"] for _, r in a.measures.revisions(q.id)]
    assert kept and set(kept) == {5}
    restore(b, export(a))
    assert records(a) == records(b)


def test_two_machines_end_with_the_same_records(clock):
    """The clinic's laptop (A) and home (B): each records infusions and notes,
    A's export goes into B and B's into A; both end with the same records,
    infusions numbered by date."""
    a = Store.memory(clock)
    first = infusion(a, clock, intention="Let go", journal={"experience": "Floating"})
    b = Store.memory(clock)
    restore(b, export(a))  # home has infusion 1
    clock.advance(days=1)
    b.journal.add("Slept well at home", tags=["sleep"])
    b.checkins.save(clock.now().date().isoformat(), {"sleep": "good"})
    clock.advance(days=1)
    infusion(a, clock, intention="Stay with the body")  # the clinic's second, day 3
    a.journal.add("Written in the waiting room")
    a.checkins.save(clock.now().date().isoformat(), {"exercise": "light"})
    clock.advance(hours=1)
    b.checkins.save(clock.now().date().isoformat(), {"exercise": "none"})  # same day, later
    clock.advance(days=2)
    infusion(b, clock, intention="Trust", pre=(4, 6, 3))  # recorded at home, day 5
    edited = b.journal.find(first.id, "integration", "experience")
    b.journal.update_text(edited.id, "Floating, then warm")
    assert [i.number for i in a.sessions.all()] == [1, 2]
    assert [i.number for i in b.sessions.all()] == [1, 2]

    restore(b, export(a))
    restore(a, export(b))
    assert records(a) == records(b)
    for store in (a, b):
        intentions = {i.number: store.journal.for_infusion(i.id)[0].text
                      for i in store.sessions.all()}
        assert intentions == {1: "Let go", 2: "Stay with the body", 3: "Trust"}
        texts = {e.text for e in (h.entry for h in store.journal.search())}
        assert {"Slept well at home", "Written in the waiting room", "Floating, then warm"} <= texts
        assert [h.entry.text for h in store.journal.search("waiting")] == ["Written in the waiting room"]
        assert [h.entry.text for h in store.journal.search("slept")] == ["Slept well at home"]
        today = clock.now().date()
        assert store.checkins.between("2026-01-01", today.isoformat())
    # Importing either file again changes nothing.
    for target, source in ((a, b), (b, a)):
        again = restore(target, export(source))
        assert again.total("added") == again.total("updated") == 0
    assert records(a) == records(b)


def test_the_trash_stays_this_homes_own(clock):
    a = Store.memory(clock)
    a.journal.add("keep")
    gone = a.journal.add("thrown away")
    b = Store.memory(clock)
    restore(b, export(a))
    b.journal.delete(gone.id)
    restore(b, export(a))
    assert [e.text for e in b.journal.trashed()] == ["thrown away"]


# --- the proof: any valid export merges into any valid home idempotently --------


edits = st.lists(st.tuples(st.integers(0, 20), st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)), max_size=3)


def _edit(store: Store, clock: FakeClock, changes) -> None:
    """Change entries and finished FIQRs that both homes may hold."""
    entries = [e for e in (h.entry for h in store.journal.search(limit=50)) if not e.damaged]
    fiqrs = store.measures.completed("fiqr")
    for index, body in changes:
        clock.advance(minutes=7)
        if entries:
            store.journal.update_text(entries[index % len(entries)].id, "x " + body)
        if fiqrs:
            q = fiqrs[index % len(fiqrs)]
            items = {**q.answers["items"], "pain": index % 11}
            store.measures.save_answers(q.id, {**q.answers, "items": items})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=infusions, home_plan=infusions, file_plan=infusions, home_notes=notes,
       file_notes=notes, days=checkins, scores=questionnaires, home_edits=edits,
       file_edits=edits)
def test_importing_twice_equals_importing_once(base, home_plan, file_plan, home_notes, file_notes,
                                                days, scores, home_edits, file_edits):
    clock = FakeClock(datetime(2026, 3, 2, 9, 30).astimezone())
    shared = Store.memory(clock)
    _fill(shared, clock, base, [], days)
    _questionnaires(shared, clock, scores)
    start = export(shared)
    home, source = Store.memory(clock), Store.memory(clock)
    restore(home, start)
    restore(source, start)
    _fill(source, clock, file_plan, file_notes, [])
    _edit(source, clock, file_edits)
    _fill(home, clock, home_plan, home_notes, days[:1])
    _edit(home, clock, home_edits)
    doc = export(source)
    first = restore(home, doc)
    event(f"records updated: {bool(first.total('updated'))}")
    event(f"revisions kept: {bool(first.added.get('entry_revisions') or first.added.get('questionnaire_revisions'))}")
    once = records(home)
    numbers = [i.number for i in home.sessions.all()]
    assert numbers == list(range(1, len(numbers) + 1))
    again = restore(home, doc)
    assert again.total("added") == again.total("updated") == 0
    assert records(home) == once
    # Nothing of the file is missing: every record it holds is here.
    held = {r["uid"] for s in SOURCES for r in home.db[s.table].rows}
    assert {r["uid"] for rows in doc["tables"].values() for r in rows} <= held


def test_a_damaged_text_here_is_mended_by_a_newer_copy_and_never_kept(clock):
    a = Store.memory(clock)
    entry = a.journal.add("good words")
    b = Store.memory(clock)
    restore(b, export(a))
    b.db.execute("update entries set text = cast(x'c328' as text) where id = ?", [entry.id])
    assert b.journal.get(entry.id).damaged
    clock.advance(hours=1)
    a.journal.update_text(entry.id, "good words, and more")
    restore(b, export(a))
    assert b.journal.get(entry.id).text == "good words, and more"
    kept = [t for _, t in b.journal.revisions(entry.id)]
    assert kept == ["good words"]  # A's own earlier version; no placeholder of the damage
