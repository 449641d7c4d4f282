"""The report's charts tell the truth: a value beside every point, one look per
meaning in every chart, dates on a time axis with the infusions marked."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from companion.core import text
from companion.export import get
from companion.export.charts import STYLES, charts, point_labels
from companion.export.html import svg_chart
from companion.export.selection import Selection, build_report
from companion.export.view import build_view
from tests.export.builders import scored_history


def _charts(store):
    return charts(build_view(build_report(store, Selection())))


def test_every_meaning_has_its_own_colour_and_marker_in_every_chart(store, clock):
    scored_history(store, clock)
    found = _charts(store)
    titles = [c.title for c in found]
    assert titles == [text.REPORT_TREND_RATINGS, text.REPORT_TREND_PAIN, text.REPORT_TREND_SCORES,
                      text.REPORT_TREND_DOMAINS, text.REPORT_TREND_ACR]
    looks = {(s.colour, s.marker) for c in found for s in c.series}
    names = {s.name for c in found for s in c.series}
    assert len(looks) == len(names)  # one look per meaning, never one look for two
    assert len({colour for colour, _m in STYLES.values()}) == len(STYLES)
    for chart in found:
        assert len({s.marker for s in chart.series}) == len(chart.series)  # greyscale: shapes differ


def test_the_score_charts_sit_on_a_time_axis_with_the_infusions_marked(store, clock):
    scored_history(store, clock)
    by_title = {c.title: c for c in _charts(store)}
    for title in (text.REPORT_TREND_SCORES, text.REPORT_TREND_DOMAINS, text.REPORT_TREND_ACR):
        chart = by_title[title]
        assert chart.xs is not None and [label for _x, label in chart.marks] == ["1", "2", "3"]
        # the questionnaire before the series is left of infusion 1, the ones after right of 3
        assert chart.xs[0] <= chart.marks[0][0] and chart.xs[-1] >= chart.marks[-1][0]
    domains = by_title[text.REPORT_TREND_DOMAINS]
    assert [s.values[0] for s in domains.series] == [21.0, 14.0, 35.0]  # function, overall, symptoms of 70


def test_values_at_one_place_are_kept_apart_and_every_point_has_one(store, clock):
    scored_history(store, clock)
    for chart in _charts(store):
        labels = point_labels(chart, 600, 160, line=12)
        assert len(labels) == sum(v is not None for s in chart.series for v in s.values)
        columns: dict[int, list[float]] = {}
        for lb in labels:
            columns.setdefault(round(lb.x * 2), []).append(lb.label_y)
        for ys in columns.values():
            ys.sort()
            assert all(b - a >= 12 - 1e-9 for a, b in zip(ys, ys[1:])), (chart.title, ys)
        svg = svg_chart(chart)
        for lb in labels:
            assert f">{lb.text}</text>" in svg


def test_the_pdf_prints_the_value_of_every_point(store, clock):
    scored_history(store, clock)
    reader = PdfReader(io.BytesIO(get("pdf").render(build_report(store, Selection()))))
    start = next(i for i, p in enumerate(reader.pages) if text.REPORT_TRENDS in p.extract_text())
    shown = " ".join(p.extract_text() for p in reader.pages[start:])
    domains = shown[shown.index(text.REPORT_TREND_DOMAINS):shown.index("ACR 2016 symptom tracker")]
    numbers = re.findall(r"\b\d+(?:\.\d)?\b", domains)
    for value in ("21", "14", "35", "9", "6", "15"):  # before the series, and after it
        assert value in numbers, (value, numbers)
