from datetime import date, timedelta

import pytest

from companion.core.series import (
    Kind,
    Timing,
    appointment_time,
    gap_timing,
    next_window,
    parse_appointment,
    place,
    rest_days,
)

MON = date(2026, 3, 2)


def test_the_first_six_are_the_initiation_series_then_boosters():
    assert [place(n).label for n in range(1, 9)] == [
        "1 of 6", "2 of 6", "3 of 6", "4 of 6", "5 of 6", "6 of 6", "booster 1", "booster 2",
    ]
    assert place(6).kind is Kind.INITIATION
    assert place(7).kind is Kind.BOOSTER
    with pytest.raises(ValueError):
        place(0)


def test_rest_days_count_the_whole_days_between():
    assert rest_days(MON, MON + timedelta(days=1)) == 0
    assert rest_days(MON, MON + timedelta(days=2)) == 1
    assert rest_days(MON, MON + timedelta(days=4)) == 3


def test_first_infusion_has_no_window():
    window = next_window([], MON)
    assert window.place.label == "1 of 6"
    assert window.timing is Timing.FIRST
    assert window.earliest is None


@pytest.mark.parametrize(
    ("days_after", "timing"),
    [(0, Timing.SOONER), (1, Timing.SOONER), (2, Timing.WITHIN), (3, Timing.WITHIN),
     (4, Timing.WITHIN), (5, Timing.LATER), (12, Timing.LATER)],
)
def test_window_of_one_to_three_rest_days(days_after, timing):
    window = next_window([MON], MON + timedelta(days=days_after))
    assert window.place.label == "2 of 6"
    assert window.earliest == MON + timedelta(days=2)  # Wednesday: Tuesday rested
    assert window.latest == MON + timedelta(days=4)  # Friday: three days rested
    assert window.timing is timing
    assert window.days_since_last == days_after


def test_window_follows_the_latest_infusion_whatever_the_order():
    days = [MON + timedelta(days=d) for d in (4, 0, 2)]
    window = next_window(days, MON + timedelta(days=6))
    assert window.place.label == "4 of 6"
    assert window.last == MON + timedelta(days=4)
    assert window.timing is Timing.WITHIN


def test_boosters_have_no_window_the_clinic_decides():
    days = [MON + timedelta(days=2 * n) for n in range(6)]
    window = next_window(days, MON + timedelta(days=60))
    assert window.place.label == "booster 1"
    assert window.timing is Timing.BOOSTER
    assert window.earliest is None and window.latest is None


def test_gap_timing_of_past_infusions():
    assert gap_timing(None, MON, 1) is Timing.FIRST
    assert gap_timing(MON, MON + timedelta(days=1), 2) is Timing.SOONER
    assert gap_timing(MON, MON + timedelta(days=3), 2) is Timing.WITHIN
    assert gap_timing(MON, MON + timedelta(days=9), 2) is Timing.LATER
    assert gap_timing(MON, MON + timedelta(days=1), 7) is Timing.BOOSTER


def test_titles_name_the_infusion_in_the_series():
    assert place(2).title == "Infusion 2 of 6"
    assert place(8).title == "Booster 2"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2026-03-04", "2026-03-04"), (" 2026-03-04   15:30 ", "2026-03-04 15:30"),
     ("2026-3-4 9:05", "2026-03-04 09:05"), ("4 March", None), ("2026-02-30", None), ("", None)],
)
def test_an_appointment_is_a_day_or_a_day_and_a_time(typed, stored):
    assert parse_appointment(typed) == stored


def test_a_stored_appointment_reads_back_with_or_without_a_time():
    assert appointment_time("2026-03-04 15:30") == (date(2026, 3, 4), "15:30")
    assert appointment_time("2026-03-05T15:00") == (date(2026, 3, 5), "15:00")  # older records
    assert appointment_time("2026-03-04") == (date(2026, 3, 4), "")
    assert appointment_time("next week") is None
