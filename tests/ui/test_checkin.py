"""The daily check-in: one key a question, saved as answered, and the weeks
view of which practices are holding."""

from __future__ import annotations

from datetime import timedelta

from companion.core import text
from companion.paths import Paths
from companion.store import Store
from companion.ui.screens.checkin import CheckinScreen, weeks_view
from tests.ui.helpers import screen_text, wait_until

SIZE = (110, 40)


def answers_for(paths: Paths, day: str) -> dict[str, str]:
    store = Store.open(paths.database)
    try:
        return store.checkins.for_day(day)
    finally:
        store.close()


async def test_the_whole_check_in_is_one_key_a_question(build_app, paths):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CheckinScreen)
        assert "Today, Monday 2 March" in screen_text(app)
        await pilot.press("2", "3", "3", "2", "3", "2", "1")
        await wait_until(pilot, lambda: len(answers_for(paths, "2026-03-02")) == 7)
        assert answers_for(paths, "2026-03-02") == {
            "exercise": "light", "meditation": "yes", "sleep": "good", "relationships": "some",
            "diet": "well", "gratitude": "yes", "music": "no",
        }
        weeks = screen_text(app)
        assert text.CHECKIN_WEEKS_TITLE in weeks
        assert "held 1 of 1 day" in weeks  # exercise, light
        assert "held 0 of 1 day" in weeks  # music, no


async def test_yesterday_can_be_filled_in_and_the_future_cannot(build_app, paths):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert app.screen.check_action("day", (1,)) is False  # nothing after today
        await pilot.press("left_square_bracket")
        assert "Yesterday, Sunday 1 March" in screen_text(app)
        await pilot.press("1")
        await pilot.press("escape")
    assert answers_for(paths, "2026-03-01") == {"exercise": "none"}
    assert answers_for(paths, "2026-03-02") == {}


async def test_the_preparation_answers_show_in_the_check_in(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    store.checkins.save("2026-03-02", {"sleep": "poor"})
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert app.screen.query_one("#checkin-sleep").value == "poor"
        app.screen.query_one("#checkin-diet").focus()
        await pilot.press("3", "escape")
    assert answers_for(paths, "2026-03-02") == {"sleep": "poor", "diet": "well"}


def test_the_weeks_view_shows_which_practices_hold(clock):
    today = clock.now().date()
    days = {}
    for n in range(14):
        day = (today - timedelta(days=n)).isoformat()
        days[day] = {"exercise": "moderate" if n % 2 else "none", "meditation": "yes"}
    lines = weeks_view(days, today).plain.splitlines()
    exercise = next(line for line in lines if line.startswith("Exercise"))
    meditation = next(line for line in lines if line.startswith("Meditation"))
    assert "held 3 of 7 days" in exercise
    assert "held 7 of 7 days" in meditation
    assert meditation.count("●") == 14 and meditation.count("·") == 14
    assert "not answered" in next(line for line in lines if line.startswith("Music"))
