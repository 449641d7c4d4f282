"""FIQR and ACR 2016 results, and their trends, in every readable format:
the same numbers everywhere, always labelled as tracking tools."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pypdf import PdfReader

from companion.core.clock import FakeClock
from companion.export import get
from companion.export.selection import Selection, build_report, preview_lines
from companion.store import Store
from tests.export.builders import scored_history

FIQR_BEFORE = "total 70.0 of 100 (function 21.0 of 30, overall impact 14.0 of 20, symptoms 35.0 of 50)"
FIQR_AFTER = "total 30.0 of 100 (function 9.0 of 30, overall impact 6.0 of 20, symptoms 15.0 of 50)"
FIQR_PARTLY = "20 of 21 items answered"
FIQR_NOT_SCORED = "Not scored: 2 symptom items unanswered"
ACR_BEFORE = "WPI 12 of 19, SSS 10 of 12, PDS 22; tracking only — not a diagnosis"
ACR_AFTER = "WPI 5 of 19, SSS 4 of 12, PDS 9; tracking only — not a diagnosis"
FIQR_TREND = "FIQR total (0 to 100, lower is less impact): a tracking tool, not a diagnosis"
ACR_TREND = "ACR 2016 symptom tracker: WPI (0 to 19) and SSS (0 to 12), tracking only, not a diagnosis"


@pytest.fixture
def scored(store: Store, clock: FakeClock) -> Store:
    scored_history(store, clock)
    return store


def _render(store: Store, fmt: str, **choices) -> bytes:
    return get(fmt).render(build_report(store, Selection(**choices)))


def _flat(value: str) -> str:
    return " ".join(value.split())


def _never_a_diagnosis(shown: str) -> None:
    lowered = shown.lower()
    assert "pattern" not in lowered and "criteria" not in lowered and "meets" not in lowered
    assert "tracking tools, not a diagnosis" in lowered


def test_preview_counts_the_finished_questionnaires(scored):
    [shared, *_] = preview_lines(build_report(scored, Selection()))
    assert shared.endswith("and 6 questionnaire scores")  # the draft is not among them


def test_markdown_lists_each_score_and_the_trends(scored):
    md = _render(scored, "md").decode()
    assert f"| 2026-03-02 | FIQR | {FIQR_BEFORE} |" in md
    assert f"| 2026-03-07 | FIQR | {FIQR_AFTER} |" in md
    assert f"| 2026-03-02 | ACR 2016 | {ACR_BEFORE} |" in md
    assert f"| 2026-03-07 | ACR 2016 | {ACR_AFTER} |" in md
    assert FIQR_PARTLY in md and FIQR_NOT_SCORED in md
    assert md.count("| FIQR |") == 4  # the draft stays out
    trends = md[md.index("## Across the series"):]
    assert f"{FIQR_TREND}\n\n- 2026-03-02: 70.0\n- 2026-03-07: 30.0\n- 2026-03-07: 20.0\n" in trends
    assert f"{ACR_TREND}\n\n| date | WPI | SSS |\n| --- | --- | --- |\n" in trends
    assert "| 2026-03-02 | 12 | 10 |\n| 2026-03-07 | 5 | 4 |" in trends
    _never_a_diagnosis(md)


def test_html_shows_the_scores_and_draws_both_score_charts(scored):
    page = _render(scored, "html").decode()
    scores = page[page.index('<section id="scores">'):page.index('<section id="trends">')]
    assert f"<td>FIQR</td><td>{FIQR_BEFORE}</td>" in scores
    assert f"<td>ACR 2016</td><td>{ACR_AFTER}</td>" in scores
    trends = page[page.index('<section id="trends">'):]
    assert f'aria-label="{FIQR_TREND}"' in trends and f'aria-label="{ACR_TREND}"' in trends
    assert "</svg> WPI</span>" in trends and "</svg> SSS</span>" in trends
    _never_a_diagnosis(page)


def test_pdf_prints_the_scores_and_the_score_charts(scored):
    reader = PdfReader(io.BytesIO(_render(scored, "pdf")))
    content = _flat(" ".join(page.extract_text() for page in reader.pages))
    assert f"2026-03-02 FIQR: {FIQR_BEFORE}" in content
    assert f"2026-03-07 FIQR: {FIQR_AFTER}" in content
    assert f"2026-03-02 ACR 2016: {ACR_BEFORE}" in content
    assert f"2026-03-07 ACR 2016: {ACR_AFTER}" in content
    assert FIQR_PARTLY in content and FIQR_NOT_SCORED in content
    charts = _flat(reader.pages[-1].extract_text())
    assert FIQR_TREND in content and ACR_TREND in charts
    assert "WPI" in charts and "SSS" in charts
    _never_a_diagnosis(content)


def test_csv_has_one_row_per_finished_questionnaire(scored):
    rows = list(csv.DictReader(io.StringIO(_render(scored, "csv").decode("utf-8-sig"))))
    scores = [(r["date"], r["questionnaire"], r["score"]) for r in rows if r["record"] == "score"]
    assert scores == [
        ("2026-03-02", "ACR 2016", "22"), ("2026-03-02", "FIQR", "70"),
        ("2026-03-07", "ACR 2016", "9"), ("2026-03-07", "FIQR", "30"),
        ("2026-03-07", "FIQR", "20"), ("2026-03-07", "FIQR", ""),
    ]
    after = next(r for r in rows if r["record"] == "score" and r["score"] == "30")
    assert after["infusion"] == "3" and after["score_detail"] == FIQR_AFTER


def test_json_carries_answers_and_computed_scores(scored):
    doc = json.loads(_render(scored, "json"))
    kinds = [(q["kind"], q["status"]) for q in doc["tables"]["questionnaires"]]
    assert kinds.count(("fiqr", "complete")) == 4 and ("fiqr", "draft") in kinds
    fiqr = [s["scores"] for s in doc["scores"].values() if s["kind"] == "fiqr"]
    assert sorted(f["total"] for f in fiqr if f["valid"]) == [20.0, 30.0, 70.0]
    acr = [s["scores"] for s in doc["scores"].values() if s["kind"] == "acr2016"]
    assert sorted((a["wpi"], a["sss"]) for a in acr) == [(5, 4), (12, 10)]


def test_leaving_out_scores_removes_them_and_their_charts_everywhere(scored):
    left_out = frozenset({"scores"})
    md = _render(scored, "md", exclude_fields=left_out).decode()
    page = _render(scored, "html", exclude_fields=left_out).decode()
    pdf = PdfReader(io.BytesIO(_render(scored, "pdf", exclude_fields=left_out)))
    content = " ".join(p.extract_text() for p in pdf.pages)
    for shown in (md, page, content):
        assert "FIQR" not in shown and "ACR 2016" not in shown and "WPI" not in shown
    assert "Pain, mood and anxiety after each infusion" in md  # the ratings trend stays
