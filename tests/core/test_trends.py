"""The progress series, the series table and the booster suggestion."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from companion.core import measures as m
from companion.core import trends as t
from companion.core.series import Timing

TZ = timezone(timedelta(hours=1))


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def fiqr_scoring(total_items_value: int) -> m.FiqrResult:
    return m.score_fiqr(m.FiqrAnswers({k: total_items_value for k in m.FIQR_ITEMS}))


def fiqr_with_total(total: float) -> m.FiqrResult:
    """A valid FiqrResult with the given total (domains proportional)."""
    return m.FiqrResult(True, total * 0.3, total * 0.2, total * 0.5, total, None, 9, 2, 10)


def series_of(days: list[date], **extra) -> tuple[t.InfusionFacts, ...]:
    return tuple(
        t.InfusionFacts(number=n, day=d, completed_at=at(d, 12), **extra)
        for n, d in enumerate(days, start=1)
    )


SIX = [date(2026, 3, 2) + timedelta(days=3 * k) for k in range(6)]  # last: 2026-03-17


def test_fiqr_chart_has_total_and_domains_and_leaves_out_invalid_ones():
    invalid = m.score_fiqr(m.FiqrAnswers({"pain": 5}))
    inputs = t.Inputs(
        infusions=series_of(SIX[:2]),
        fiqr=(t.ScoredFiqr(at(SIX[0]), fiqr_scoring(6), 1),
              t.ScoredFiqr(at(SIX[1]), invalid, 2),
              t.ScoredFiqr(at(SIX[1] + timedelta(days=1)), fiqr_scoring(3))),
    )
    chart = t.fiqr_chart(inputs)
    by_key = {se.key: se for se in chart.series}
    assert by_key["total"].pairs() == [(SIX[0], 60.0), (date(2026, 3, 6), 30.0)]
    assert by_key["function"].pairs()[0] == (SIX[0], 18.0)
    assert by_key["symptoms"].points[0].infusion == 1
    assert [mk.number for mk in chart.markers] == [1, 2]
    assert chart.x_kind == "day" and chart.y_max == 100


def test_ratings_by_infusion_before_and_after_with_gaps_for_unrated():
    infusions = (
        t.InfusionFacts(1, SIX[0], pre={"pain": 8, "mood": 3}, post={"pain": 4}),
        t.InfusionFacts(2, SIX[1], pre={"pain": 7}, post={"pain": None}),
    )
    chart = t.ratings_chart(t.Inputs(infusions), "pain")
    before, after = chart.series
    assert before.pairs() == [(1, 8.0), (2, 7.0)]
    assert after.pairs() == [(1, 4.0)]
    assert t.ratings_chart(t.Inputs(infusions), "mood").series[0].pairs() == [(1, 3.0)]
    with pytest.raises(ValueError):
        t.ratings_chart(t.Inputs(infusions), "joy")


def test_acr_chart_and_the_tracking_label():
    answers = m.Acr2016Answers(painful_areas={"neck", "chest"}, fatigue=3)
    chart = t.acr_chart(t.Inputs(acr=(t.ScoredAcr(at(SIX[0]), m.score_acr2016(answers)),)))
    wpi, sss = chart.series
    assert wpi.pairs() == [(SIX[0], 2.0)] and sss.pairs() == [(SIX[0], 3.0)]
    assert m.ACR2016_LABEL in chart.note


def test_every_chart_serialises_to_plain_data():
    import json

    inputs = t.Inputs(series_of(SIX[:1], pre={"pain": 5}),
                      (t.ScoredFiqr(at(SIX[0]), fiqr_scoring(2)),))
    data = [c.as_dict() for c in t.charts(inputs)]
    assert [d["key"] for d in data] == ["fiqr", "ratings_pain", "ratings_mood",
                                        "ratings_anxiety", "acr2016"]
    assert json.loads(json.dumps(data))[0]["series"][0]["points"] == [["2026-03-02", 20.0]]
    assert data[0]["markers"] == [{"day": "2026-03-02", "number": 1, "label": "1 of 6"}]


def test_series_rows_show_the_rest_against_the_window_and_boosters():
    days = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 12),
            date(2026, 3, 14), date(2026, 3, 16), date(2026, 5, 1)]
    rows = t.series_rows(series_of(days, therapy_at="2026-03-20 15:00"))
    assert [r.timing for r in rows] == [Timing.FIRST, Timing.SOONER, Timing.WITHIN,
                                        Timing.LATER, Timing.WITHIN, Timing.WITHIN,
                                        Timing.BOOSTER]
    assert rows[1].rest_text == "0 days rest (shorter than 1-3)"
    assert rows[2].rest_text == "1 day rest"
    assert rows[6].label == "booster 1" and rows[6].rest_days == 45
    assert rows[0].rest_text == "first" and rows[0].therapy_at == "2026-03-20 15:00"


def booster_inputs(totals: list[tuple[date, float]], days=SIX) -> t.Inputs:
    return t.Inputs(
        infusions=series_of(days),
        fiqr=tuple(t.ScoredFiqr(at(d, 18), fiqr_with_total(v)) for d, v in totals),
    )


def test_no_booster_check_before_the_series_is_done():
    assert t.booster_check(booster_inputs([(SIX[0], 60), (SIX[4], 80)], SIX[:5])) is None


def test_a_meaningful_rise_after_the_series_is_flagged():
    after = SIX[-1] + timedelta(days=30)
    check = t.booster_check(booster_inputs([(SIX[0], 64), (SIX[-1], 15), (after, 24)]))
    assert check is not None and check.worse
    assert (check.baseline, check.current, check.threshold) == (15, 24, 8)


def test_a_small_rise_is_not_flagged():
    after = SIX[-1] + timedelta(days=30)
    check = t.booster_check(booster_inputs([(SIX[-1], 15), (after, 22)]))
    assert check is not None and not check.worse and check.rise == 7


def test_the_baseline_is_the_lowest_since_the_series_ended():
    later = SIX[-1] + timedelta(days=10)
    latest = SIX[-1] + timedelta(days=40)
    check = t.booster_check(
        booster_inputs([(SIX[0], 64), (SIX[-1], 30), (later, 12), (latest, 21)])
    )
    assert check.baseline == 12 and check.baseline_day == later and check.worse
    # 14% of a high baseline is more than 8 points
    check = t.booster_check(booster_inputs([(SIX[-1], 70), (latest, 79)]))
    assert check.threshold == pytest.approx(9.8) and not check.worse


def test_an_older_fiqr_says_nothing_after_a_booster():
    booster_day = SIX[-1] + timedelta(days=50)
    inputs = booster_inputs([(SIX[-1], 15), (SIX[-1] + timedelta(days=40), 40)],
                            SIX + [booster_day])
    assert t.booster_check(inputs) is None


def test_fiqr_due_weekly_and_before_each_infusion():
    now = at(date(2026, 3, 10))
    assert t.fiqr_due(None, None, now)
    assert not t.fiqr_due(now - timedelta(days=6), None, now)
    assert t.fiqr_due(now - timedelta(days=7), None, now)
    assert t.fiqr_due(now - timedelta(days=2), now - timedelta(days=1), now)
    assert not t.fiqr_due(now - timedelta(hours=1), now - timedelta(days=1), now)
