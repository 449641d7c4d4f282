"""Which guided prompts the journal offers on a given day of the series."""

from datetime import date, timedelta

from companion.core import journaling, series

INFUSION = date(2026, 11, 2)


def phase_on(day: date, last: date | None = INFUSION) -> str:
    done = [] if last is None else [last]
    return journaling.prompt_phase(day, last, series.next_window(done, day).earliest)


def test_no_infusion_yet_looks_forward():
    assert phase_on(INFUSION, last=None) == "before"


def test_the_day_of_an_infusion_looks_back_at_it():
    assert phase_on(INFUSION) == "after"


def test_the_day_after_an_infusion_is_not_asked_about_the_next_one():
    # With one rest day the next infusion may come the day after tomorrow, but
    # the day after is about what just happened.
    day_after = INFUSION + timedelta(days=1)
    assert phase_on(day_after) == "between"
    prompts = [p.key for p in journaling.prompts_for(phase_on(day_after))]
    assert not any(key.startswith("before.") for key in prompts)


def test_from_the_first_day_the_next_infusion_may_come_it_looks_forward():
    # One to three rest days: the next infusion may come from 4 November.
    assert phase_on(date(2026, 11, 4)) == "before"
    assert phase_on(date(2026, 11, 6)) == "before"


def test_after_a_booster_with_no_window_the_days_are_between():
    boosters = [INFUSION - timedelta(days=7 * n) for n in range(6, 0, -1)] + [INFUSION]
    window = series.next_window(boosters, INFUSION + timedelta(days=10))
    assert window.earliest is None
    assert journaling.prompt_phase(INFUSION + timedelta(days=10), INFUSION, None) == "between"
