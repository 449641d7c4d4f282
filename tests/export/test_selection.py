"""What the patient chooses is what the report carries, and the preview says so."""

from __future__ import annotations

from datetime import date

import pytest

from companion.export.selection import Selection, SelectionError, build_report, preview_lines


def _texts(report) -> list[str]:
    return [row["text"] for row in report.tables["entries"]]


def test_preview_counts_and_private_left_out(filled):
    report = build_report(filled, Selection())
    lines = preview_lines(report)
    assert lines[0] == ("Will share 3 infusions, 7 journal entries, 1 check-in and "
                        "0 questionnaire scores")
    assert "1 private journal entry" in lines[2]
    assert "Something only for me" not in _texts(report)


def test_private_entries_only_when_included(filled):
    report = build_report(filled, Selection(include_private=True))
    assert "Something only for me" in _texts(report)
    assert "Nothing in this range is left out." in preview_lines(report)


def test_a_chosen_infusion_brings_the_days_after_it(filled):
    report = build_report(filled, Selection(sessions=(1,)))
    assert [r["number"] for r in report.tables["infusions"]] == [1]
    texts = _texts(report)
    assert "Slept ten hours. Gratitude for the quiet." in texts  # the day after infusion 1
    assert "Warm hands" not in texts  # infusion 2's journal
    assert len(report.tables["checkins"]) == 1
    assert {r["infusion_id"] for r in report.tables["ratings"]} == {report.tables["infusions"][0]["id"]}


def test_date_range(filled):
    report = build_report(filled, Selection(since=date(2026, 3, 4), until=date(2026, 3, 4)))
    assert [r["number"] for r in report.tables["infusions"]] == [2]
    assert report.tables["checkins"] == []


def test_tags_narrow_the_free_journal_but_keep_guided_answers(filled):
    report = build_report(filled, Selection(tags=("#Sleep",)))
    texts = _texts(report)
    assert "Slept ten hours. Gratitude for the quiet." in texts
    assert "Let go of the fear of the pain" in texts  # an intention stays with its infusion


def test_leaving_out_an_entry_and_fields(filled):
    full = build_report(filled, Selection())
    warm = next(r["id"] for r in full.tables["entries"] if r["text"] == "Warm hands")
    report = build_report(filled, Selection(exclude_entries=frozenset({warm}),
                                            exclude_fields=frozenset({"side_effects", "ratings"})))
    assert "Warm hands" not in _texts(report)
    assert "ratings" not in report.tables
    assert all("side_effects" not in row for row in report.tables["infusions"])
    left = preview_lines(report)[2]
    assert "1 journal entry you left out" in left
    assert "the side effects" in left and "the ratings before and after" in left


def test_trash_is_never_shared(filled):
    entry = filled.journal.add("deleted thought")
    filled.journal.delete(entry.id)
    assert "deleted thought" not in _texts(build_report(filled, Selection(include_private=True)))


def test_impossible_range_and_unknown_field():
    with pytest.raises(SelectionError, match="impossible"):
        Selection(since=date(2026, 5, 1), until=date(2026, 4, 1)).check()
    with pytest.raises(SelectionError, match="unknown field"):
        Selection(exclude_fields=frozenset({"dose"})).check()


def test_a_missing_infusion_is_named(filled):
    report = build_report(filled, Selection(sessions=(9,)))
    assert report.is_empty()
    lines = preview_lines(report)
    assert "No infusion numbered 9 in this range." in lines
    assert "There is nothing to share with these choices." in lines
