"""Home tells the truth: the series plan after an infusion, asking before an
infusion begins, discarding one that has not reached the Experience, the
therapy appointment and the reminder to tell the clinic about urinary symptoms.

The fake clock starts on Monday 2 March 2026 at 09:30.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from textual.widgets import OptionList, TextArea

from companion.core.stages import Stage
from companion.store import Store
from companion.ui.dialogs.appointment import AppointmentDialog
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.journal import JournalScreen
from companion.ui.screens.session import SessionScreen
from companion.ui.screens.trash import TrashScreen
from tests.ui.helpers import screen_text, wait_until

SIZE = (100, 30)


def complete_infusion(paths, clock, *, urinary: bool = False, therapy: str = "") -> int:  # type: ignore[no-untyped-def]
    """An infusion walked to its end through the store, at the clock's time."""
    store = Store.open(paths.database, clock)
    try:
        infusion = store.sessions.begin()
        store.sessions.advance(infusion.id)
        store.sessions.advance(infusion.id)
        store.sessions.experience_started(infusion.id)
        store.sessions.advance(infusion.id)
        store.sessions.save_side_effects(infusion.id, {"urinary": urinary, "headache": True})
        if therapy:
            store.sessions.save_therapy_at(infusion.id, therapy)
        store.sessions.advance(infusion.id)
        return infusion.id
    finally:
        store.close()


def menu_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    menu = app.screen.query_one("#menu", OptionList)
    return [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


def stored_infusions(app) -> list[dict]:  # type: ignore[no-untyped-def]
    return list(app.store.db["infusions"].rows)


def messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return list(app.told)


# --- The plan after an infusion ------------------------------------------------

WINDOW = "Next: Infusion 2 of 6: from Wednesday 4 to Friday 6 March"


@pytest.mark.parametrize(
    ("days", "plan", "begin_note"),
    [
        (0, "Infusion 1 of 6 was today. The window opens in 2 days.",
         "Today is sooner than the plan, which has it from Wednesday 4 to Friday 6 March."),
        (1, "Infusion 1 of 6 was yesterday. The window opens tomorrow.",
         "Today is sooner than the plan, which has it from Wednesday 4 to Friday 6 March."),
        (2, "Infusion 1 of 6 was on Monday 2 March. Today is within the window.", None),
        (4, "Infusion 1 of 6 was on Monday 2 March. Today is the window's last day.", None),
        (5, "Infusion 1 of 6 was on Monday 2 March. The window ended on Friday 6 March; "
            "your clinic sets the schedule.",
         "Today is later than the plan, which had it from Wednesday 4 to Friday 6 March."),
    ],
    ids=["day-0", "day-1", "day-2", "day-4", "day-5"],
)
async def test_home_speaks_of_the_plan_and_cautions_only_when_beginning_outside_it(
        build_app, paths, clock, days, plan, begin_note):
    complete_infusion(paths, clock)
    clock.advance(days=days, hours=1)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        shown = screen_text(app)
        assert WINDOW in shown
        assert plan in shown
        assert "sooner" not in shown and "later than" not in shown  # no caution on Home
        assert not [w for w in app.screen.query(".alert") if w.display]  # nothing in orange

        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        question = screen_text(app)
        assert question.startswith("Begin infusion 2 of 6 now?")
        if begin_note is None:
            assert "sooner" not in question and "later" not in question
        else:
            assert begin_note in question
        await pilot.press("escape")  # the safe answer: nothing begins
        assert isinstance(app.screen, HomeScreen)
    assert [r["number"] for r in stored_infusions(app)] == [1]
    assert app.store.sessions.current() is None


async def test_beginning_asks_first_and_only_yes_begins(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Your first infusion" in screen_text(app)
        await pilot.press("enter")
        assert screen_text(app).strip() == "Begin infusion 1 of 6 now?"
        await pilot.press("n")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter", "enter")  # Enter twice: the focused answer is No
        assert isinstance(app.screen, HomeScreen)
        assert stored_infusions(app) == []

        await pilot.press("enter", "y")
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.stage is Stage.PREPARATION
        [row] = stored_infusions(app)
        assert row["number"] == 1 and row["stage"] == "preparation"

        # Resuming the infusion in progress asks nothing.
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert "Infusion 1 of 6 in the initiation series is in progress: Preparation." in screen_text(app)
        assert menu_lines(app)[0].startswith("Resume: Preparation")
        await pilot.press("enter")
        assert isinstance(app.screen, SessionScreen)
    assert len(stored_infusions(app)) == 1


async def test_a_booster_has_no_window_and_asks_plainly(build_app, paths, clock):
    for _ in range(6):
        complete_infusion(paths, clock)
        clock.advance(days=2)
    clock.advance(days=40)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        shown = screen_text(app)
        assert "Next: Booster 1 (infusion 7 in all)" in shown
        assert "Booster timing is set with your clinic." in shown
        await pilot.press("enter")
        assert screen_text(app).strip() == "Begin booster 1 now?"
        await pilot.press("escape")


async def test_the_session_header_shows_the_day_the_infusion_took_place(build_app, clock):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "y")
        header = app.screen.query_one("#infusion-title")
        assert "Monday 2 March 2026" in str(header.render())
        await pilot.press("escape")
        clock.set(datetime(2026, 3, 3, 10, 0))  # prepared on Monday, the infusion is on Tuesday
        await pilot.press("enter", "ctrl+n", "ctrl+n")
        assert app.screen.stage is Stage.EXPERIENCE
        header = app.screen.query_one("#infusion-title")
        assert "Tuesday 3 March 2026" in str(header.render())
        await wait_until(pilot, lambda: app.store.sessions.current().experience_started_at is not None)
    assert app.store.sessions.current().day == date(2026, 3, 3)


# --- Discarding an infusion that has not reached the Experience ----------------

async def _begin_with_intention(app, pilot, words: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter", "y", "ctrl+n")
    assert app.screen.stage is Stage.INTENTION
    await pilot.press(*words)
    await pilot.press("escape")
    assert isinstance(app.screen, HomeScreen)


async def test_discard_asks_first_then_the_trash_restores_it_with_its_intention(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await _begin_with_intention(app, pilot, "hold steady")
        [row] = stored_infusions(app)
        assert any(line.startswith("Discard this infusion") for line in menu_lines(app))

        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard infusion 1 of 6, begun today?" in screen_text(app)
        await pilot.press("n")  # kept
        assert app.store.sessions.get(row["id"]).deleted_at is None

        await pilot.press("x", "y")
        assert isinstance(app.screen, HomeScreen)
        assert app.store.sessions.get(row["id"]).deleted_at is not None
        assert app.store.sessions.current() is None
        assert app.store.journal.find(row["id"], "intention") is None
        assert "Next: Infusion 1 of 6 in the initiation series" in screen_text(app)
        assert not any(line.startswith("Discard") for line in menu_lines(app))
        assert "Infusion 1 of 6 is in the trash. Journal, then t, restores it." in messages(app)

        # The journal no longer lists the intention; the trash has the infusion.
        await pilot.press("j")
        assert isinstance(app.screen, JournalScreen)
        assert "hold steady" not in screen_text(app)
        await pilot.press("t")
        assert isinstance(app.screen, TrashScreen)
        listing = app.screen.query_one("#trash-list", OptionList)
        assert listing.option_count == 1
        line = str(listing.get_option_at_index(0).prompt)
        assert line.startswith("Mon 02 Mar 2026 · Infusion 1 of 6 · moved to the trash 02 Mar 09:30")
        assert "An infusion discarded at Intention. Intention: hold steady" in line
        await pilot.press("enter")  # restore
        assert listing.option_count == 0
        assert "Infusion 1 of 6 is back, at Intention. Enter on Home resumes it." in messages(app)
        assert app.store.sessions.get(row["id"]).deleted_at is None
        assert app.store.journal.find(row["id"], "intention").text == "hold steady"

        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert "is in progress: Intention." in screen_text(app)
        await pilot.press("enter")  # resumes, no question
        assert isinstance(app.screen, SessionScreen) and app.screen.stage is Stage.INTENTION
        assert app.screen.query_one("#intention-text", TextArea).text == "hold steady"
    assert [r["number"] for r in stored_infusions(app)] == [1]


async def test_restoring_is_refused_when_it_would_make_two_infusions_in_progress(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await _begin_with_intention(app, pilot, "first try")
        await pilot.press("x", "y")
        await pilot.press("enter", "y")  # a new infusion 1 begins
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("escape", "j", "t")
        assert isinstance(app.screen, TrashScreen)
        await pilot.press("r")
        assert ("Infusion 1 of 6 cannot come back while another infusion is in progress: "
                "finish or discard that one first.") in messages(app)
        assert app.screen.query_one("#trash-list", OptionList).option_count == 1
    rows = stored_infusions(app)
    assert [(r["number"], r["deleted_at"] is None) for r in rows] == [(1, False), (1, True)]


async def test_an_infusion_past_the_experience_cannot_be_discarded(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    store.sessions.set_stage(infusion.id, Stage.INTEGRATION)
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SessionScreen)  # opened where it was
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert not any(line.startswith("Discard") for line in menu_lines(app))
        await pilot.press("x")
        assert isinstance(app.screen, HomeScreen)
    assert app.store.sessions.get(infusion.id).deleted_at is None


# --- The therapy appointment ---------------------------------------------------

async def test_home_offers_the_therapy_appointment_and_t_sets_it(build_app, paths, clock):
    infusion_id = complete_infusion(paths, clock)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "No therapy appointment yet: press t to add one." in screen_text(app)
        await pilot.press("t")
        assert isinstance(app.screen, AppointmentDialog)
        assert "Therapy appointment after infusion 1 of 6" in screen_text(app)
        assert "The clinic recommends one after each infusion." in screen_text(app)
        await pilot.press(*"next week", "enter")
        assert isinstance(app.screen, AppointmentDialog)  # not a date: says so, stays
        week_on = (clock.now().date() + timedelta(days=7)).isoformat()  # an example near today
        assert f"Use a date like {week_on} or {week_on} 15:30" in screen_text(app)
        assert app.store.sessions.get(infusion_id).therapy_at == ""
        await pilot.press("ctrl+u", *"2026-03-05 15:30", "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.store.sessions.get(infusion_id).therapy_at == "2026-03-05 15:30"
        assert "Therapy appointment: Thursday 5 March, 15:30" in screen_text(app)

        await pilot.press("t", "ctrl+u", *"2026-03-06", "escape")  # Escape leaves it as it was
        assert app.store.sessions.get(infusion_id).therapy_at == "2026-03-05 15:30"
        await pilot.press("t", "ctrl+u", "enter")  # an empty line clears it
        assert app.store.sessions.get(infusion_id).therapy_at == ""
        assert "No therapy appointment yet" in screen_text(app)


async def test_an_appointment_today_or_tomorrow_says_so(build_app, paths, clock):
    complete_infusion(paths, clock)  # Monday 2 March 2026
    clock.set(clock.now() + timedelta(days=1))
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "ctrl+u", *"2026-03-03 15:30", "enter")
        assert "Therapy appointment: today, Tuesday 3 March, 15:30" in screen_text(app)
        await pilot.press("t", "ctrl+u", *"2026-03-04", "enter")
        assert "Therapy appointment: tomorrow, Wednesday 4 March" in screen_text(app)
        await pilot.press("t", "ctrl+u", *"2026-03-05", "enter")
        assert "Therapy appointment: Thursday 5 March" in screen_text(app)


# --- Urinary symptoms: the reminder stays until marked -------------------------

async def test_the_urinary_reminder_stays_until_the_patient_marks_it_told(build_app, paths, clock):
    infusion_id = complete_infusion(paths, clock, urinary=True)
    reminder = "Urinary symptoms after infusion 1: let your doctor know immediately."
    clock.advance(days=1)
    app = build_app()
    async with app.run_test(size=SIZE):
        assert reminder in screen_text(app)  # still there the next day, after a restart
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert reminder in screen_text(app)
        assert any(line.startswith("I have told my clinic") for line in menu_lines(app))
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert reminder in screen_text(app)
        assert app.store.sessions.get(infusion_id).urinary_told_at is None

        await pilot.press("u", "y")
        shown = screen_text(app)
        assert reminder not in shown
        assert "You told your clinic about the urinary symptoms on Tuesday 3 March." in shown
        assert not any(line.startswith("I have told") for line in menu_lines(app))
        told = app.store.sessions.get(infusion_id).urinary_told_at
        assert told is not None and told.date() == date(2026, 3, 3)

        await pilot.press("u")  # nothing left to mark
        assert isinstance(app.screen, HomeScreen)

        # The next infusion: the line about the last one goes.
        clock.advance(days=1)
        await pilot.press("enter", "y", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert "You told your clinic" not in screen_text(app)


async def test_no_reminder_without_urinary_symptoms(build_app, paths, clock):
    complete_infusion(paths, clock, urinary=False)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Urinary" not in screen_text(app)
        await pilot.press("u")
        assert isinstance(app.screen, HomeScreen)


async def test_the_day_shown_is_the_day_marked(build_app, paths, clock):
    """Marked late in the evening, the date stays the date it was marked."""
    complete_infusion(paths, clock, urinary=True)
    clock.set(datetime(2026, 3, 4, 23, 50))
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "y")
        assert "on Wednesday 4 March." in screen_text(app)
        clock.advance(timedelta(minutes=20).total_seconds())
    app = build_app()
    async with app.run_test(size=SIZE):
        assert "on Wednesday 4 March." in screen_text(app)
