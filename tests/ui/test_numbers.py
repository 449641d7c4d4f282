"""Entering numbers and choices as the patient does: digits that compose 10,
the arrow keys, Home and End, mouse clicks, and a refused FIQR answer that
leaves the stored one as it was."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static

from companion.core import text
from companion.core.stages import Stage
from companion.store import Store
from companion.store.measures import ACR2016, FIQR
from companion.ui.screens.body_map import BodyMapScreen
from companion.ui.screens.checkin import CheckinScreen
from companion.ui.screens.fiqr import FiqrScreen
from companion.ui.screens.session import SessionScreen
from companion.ui.widgets.choice import ChoiceRow
from companion.ui.widgets.rating import TEN_WINDOW_S, RatingBar
from tests.ui.helpers import wait_until

SIZE = (100, 40)


def row_lines(widget: Widget) -> list[str]:
    """The lines the row draws, as the patient reads them."""
    return widget.render().plain.split("\n")  # type: ignore[union-attr]


def highlighted(widget: Widget) -> list[str]:
    """What the row shows highlighted (the chosen number or answer)."""
    rendered = widget.render()
    return [
        rendered.plain[span.start:span.end].strip()  # type: ignore[union-attr]
        for span in rendered.spans  # type: ignore[union-attr]
        if "reverse" in str(span.style)
    ]


def column_of(widget: Widget, shown: str) -> int:
    """The column of the first line where ``shown`` is drawn (its first character)."""
    first = row_lines(widget)[0]
    assert f" {shown} " in first, first
    return first.index(f" {shown} ") + 1


async def open_preparation(pilot) -> int:  # type: ignore[no-untyped-def]
    await pilot.press("enter", "y")  # Enter asks before an infusion begins
    assert isinstance(pilot.app.screen, SessionScreen)
    return pilot.app.screen.infusion_id


def stored_pre(app, infusion_id: int, name: str) -> int | None:  # type: ignore[no-untyped-def]
    return getattr(app.store.sessions.ratings(infusion_id, "pre"), name)


async def focus(pilot, widget: Widget) -> None:  # type: ignore[no-untyped-def]
    widget.focus()  # brings it into view, as Tab would
    await pilot.pause()


# --- the 0-10 ratings ---------------------------------------------------------


async def test_1_then_0_is_ten_stored_and_highlighted(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        infusion_id = await open_preparation(pilot)
        bar = app.screen.query_one("#pre-pain", RatingBar)
        await focus(pilot, bar)
        assert text.RATING_TEN_HINT in row_lines(bar)[0]  # the row says how to reach 10
        await pilot.press("1")
        assert highlighted(bar) == ["1"]
        assert text.RATING_TEN_WAITING in row_lines(bar)[0]
        await pilot.press("0")
        assert highlighted(bar) == ["10"]
        assert text.RATING_TEN_HINT in row_lines(bar)[0]
        await wait_until(pilot, lambda: stored_pre(app, infusion_id, "pain") == 10)


async def test_1_alone_is_1_after_the_pause_and_a_later_0_is_0(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        infusion_id = await open_preparation(pilot)
        bar = app.screen.query_one("#pre-mood", RatingBar)
        await focus(pilot, bar)
        await pilot.press("1")
        await pilot.pause(TEN_WINDOW_S + 0.3)
        assert text.RATING_TEN_HINT in row_lines(bar)[0]  # no longer waiting for a 0
        assert highlighted(bar) == ["1"]
        await wait_until(pilot, lambda: stored_pre(app, infusion_id, "mood") == 1)
        await pilot.press("0")
        assert highlighted(bar) == ["0"]
        await wait_until(pilot, lambda: stored_pre(app, infusion_id, "mood") == 0)


async def test_1_then_tab_keeps_1_and_ends_the_wait_for_a_0(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        infusion_id = await open_preparation(pilot)
        pain = app.screen.query_one("#pre-pain", RatingBar)
        await focus(pilot, pain)
        await pilot.press("1", "tab")
        assert app.focused.id == "pre-mood"
        app.autosave.flush()
        assert stored_pre(app, infusion_id, "pain") == 1
        assert highlighted(pain) == ["1"]
        await pilot.press("shift+tab", "0")  # back at once: the 0 is a 0, not the 10
        assert app.focused is pain
        assert highlighted(pain) == ["0"]
        app.autosave.flush()
        assert stored_pre(app, infusion_id, "pain") == 0


async def test_other_digits_are_final_at_once(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        infusion_id = await open_preparation(pilot)
        bar = app.screen.query_one("#pre-anxiety", RatingBar)
        await focus(pilot, bar)
        await pilot.press("7")
        assert highlighted(bar) == ["7"]
        assert text.RATING_TEN_HINT in row_lines(bar)[0]
        await pilot.press("0")  # a 0 after a 7 is 0, never 70
        assert highlighted(bar) == ["0"]
        await pilot.press("0", "0")  # nor 0 then 0 anything but 0
        assert highlighted(bar) == ["0"]
        await pilot.press("1", "5")  # 15 is no rating: the 5 is 5
        assert highlighted(bar) == ["5"]
        app.autosave.flush()
        assert stored_pre(app, infusion_id, "anxiety") == 5


async def test_arrows_home_and_end_move_along_the_scale(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        infusion_id = await open_preparation(pilot)
        bar = app.screen.query_one("#pre-pain", RatingBar)
        await focus(pilot, bar)
        await pilot.press("right")  # from blank, → starts at 0
        assert highlighted(bar) == ["0"]
        await pilot.press("right", "right")
        assert highlighted(bar) == ["2"]
        await pilot.press("end")
        assert highlighted(bar) == ["10"]
        await pilot.press("right")
        assert highlighted(bar) == ["10"]
        await pilot.press("left")
        app.autosave.flush()
        assert stored_pre(app, infusion_id, "pain") == 9
        await pilot.press("home")
        assert highlighted(bar) == ["0"]
        await pilot.press("backspace")
        assert highlighted(bar) == []
        app.autosave.flush()
        assert stored_pre(app, infusion_id, "pain") is None
        await pilot.press("left")  # from blank, ← starts at 10
        assert highlighted(bar) == ["10"]
        await pilot.press("1", "left")  # an arrow ends the wait: the 0 after it is 0
        assert highlighted(bar) == ["0"]
        await pilot.press("0")
        assert highlighted(bar) == ["0"]


async def test_a_click_on_a_number_chooses_it(build_app):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        infusion_id = await open_preparation(pilot)
        bar = app.screen.query_one("#pre-mood", RatingBar)
        await focus(pilot, bar)
        assert await pilot.click(bar, offset=(column_of(bar, "10"), 0))
        assert highlighted(bar) == ["10"]
        await wait_until(pilot, lambda: stored_pre(app, infusion_id, "mood") == 10)
        assert await pilot.click(bar, offset=(column_of(bar, "3") + 1, 0))  # its right space
        assert highlighted(bar) == ["3"]
        assert await pilot.click(bar, offset=(1, 0))  # the label: nothing changes
        assert highlighted(bar) == ["3"]
        await wait_until(pilot, lambda: stored_pre(app, infusion_id, "mood") == 3)


async def test_ratings_after_take_10_the_same_way(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    infusion = store.sessions.begin()
    store.sessions.set_stage(infusion.id, Stage.INTEGRATION)
    store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen)
                         and app.screen.stage is Stage.INTEGRATION)
        bar = app.screen.query_one("#post-pain", RatingBar)
        await focus(pilot, bar)
        await pilot.press("1", "0")
        assert highlighted(bar) == ["10"]
        await wait_until(pilot, lambda: app.store.sessions.ratings(infusion.id, "post").pain == 10)
        await pilot.press("tab", "shift+tab")
        assert app.focused is bar
        await pilot.press("1")
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.store.sessions.ratings(infusion.id, "post").pain == 1)


async def test_the_rating_row_fits_80_columns(build_app):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preparation(pilot)
        for name, (label, low, high) in text.RATINGS.items():
            bar = app.screen.query_one(f"#pre-{name}", RatingBar)
            await focus(pilot, bar)
            first, second = row_lines(bar)
            width = bar.content_region.width
            assert len(first) <= width and first.rstrip().endswith(text.RATING_TEN_HINT)
            assert " 10 " in first[:width]
            assert len(second) <= width and low in second and high in second


# --- the rows of answers ------------------------------------------------------


async def test_a_click_on_a_lifestyle_answer_chooses_it(build_app, paths):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_preparation(pilot)
        row = app.screen.query_one("#life-exercise", ChoiceRow)
        await focus(pilot, row)
        assert await pilot.click(row, offset=(column_of(row, "2 light") + 3, 0))
        assert highlighted(row) == ["2 light"]
        await wait_until(pilot, lambda: app.store.checkins.for_day("2026-03-02").get("exercise")
                         == "light")
        await pilot.press("end")
        assert highlighted(row) == ["4 vigorous"]
        await pilot.press("home")
        assert highlighted(row) == ["1 none"]
        app.autosave.flush()
        assert app.store.checkins.for_day("2026-03-02")["exercise"] == "none"


async def test_a_click_on_a_check_in_answer_chooses_it_and_stays(build_app, paths):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CheckinScreen)
        row = app.screen.query_one("#checkin-sleep", ChoiceRow)
        assert await pilot.click(row, offset=(column_of(row, "3 good"), 0))
        assert highlighted(row) == ["3 good"]
        assert app.focused is row  # a click chooses; it does not move on
        await wait_until(pilot, lambda: app.store.checkins.for_day("2026-03-02").get("sleep")
                         == "good")
        await pilot.press("home")  # Home and End move too, and do not move on
        assert highlighted(row) == ["1 poor"] and app.focused is row
        await pilot.press("2")  # the number chooses and moves on
        assert app.focused.id == "checkin-relationships"
        await wait_until(pilot, lambda: app.store.checkins.for_day("2026-03-02").get("sleep")
                         == "fair")


async def test_a_click_on_a_body_map_area_and_on_a_severity_chooses_it(build_app, paths):
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, BodyMapScreen))
        draft = app.store.measures.draft(ACR2016)
        assert draft is not None
        neck = app.screen.query_one("#area-neck", Checkbox)
        assert await pilot.click(neck, offset=(neck.size.width - 2, 0))  # on the word
        assert neck.value
        await wait_until(pilot, lambda: app.store.measures.get(draft.id).answers["painful_areas"]
                         == ["neck"])
        assert "Widespread pain index 1 of 19" in str(
            app.screen.query_one("#acr-score", Static).render())
        assert await pilot.click(neck)  # on the box: untick
        await wait_until(pilot, lambda: app.store.measures.get(draft.id).answers["painful_areas"]
                         == [])
        fatigue = app.screen.query_one("#acr-fatigue", ChoiceRow)
        await focus(pilot, fatigue)
        assert await pilot.click(fatigue, offset=(column_of(fatigue, "3 moderate"), 0))
        assert highlighted(fatigue) == ["3 moderate"]
        await wait_until(pilot, lambda: app.store.measures.get(draft.id).answers["fatigue"] == 2)


# --- FIQR: a refused answer leaves the stored one as it was --------------------


async def test_a_refused_fiqr_answer_leaves_the_stored_answer_as_it_was(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    draft = store.measures.start(FIQR)
    store.measures.save_answers(
        draft.id, {**draft.answers, "items": {**draft.answers["items"], "brush_hair": 4}})
    store.close()

    def stored(key: str) -> int | None:
        return app.store.measures.get(draft.id).fiqr().values[key]

    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FiqrScreen))
        score = app.screen.query_one("#fiqr-score", Static)
        assert app.focused.name == "walk_20_min"  # the first blank
        await pilot.press("shift+tab")  # back to the item answered 4: its text is selected
        assert app.focused.name == "brush_hair"
        await pilot.press("1")
        app.autosave.flush()
        assert stored("brush_hair") == 1  # a 1 alone is an answer
        await pilot.press("1")
        field = app.screen.query_one("#fiqr-brush_hair", Input)
        error = app.screen.query_one("#fiqr-error-brush_hair", Static)
        assert field.value == "11"
        assert error.display and "“11” is not saved" in str(error.render())
        app.autosave.flush()
        assert stored("brush_hair") == 4  # as before the refused keys, not the 1
        assert "1 of 21 answered" in str(score.render())
        await pilot.pause(1.5)  # the app's own flushes change nothing
        assert stored("brush_hair") == 4

        await pilot.press("tab")  # a blank item: refused keys leave it blank
        assert app.focused.name == "walk_20_min"
        await pilot.press("1", "1")
        assert app.screen.query_one("#fiqr-error-walk_20_min", Static).display
        app.autosave.flush()
        assert stored("walk_20_min") is None
        await pilot.press("backspace", "backspace", "1", "0")  # 10 typed whole is fine
        assert not app.screen.query_one("#fiqr-error-walk_20_min", Static).display
        app.autosave.flush()
        assert stored("walk_20_min") == 10
        assert stored("brush_hair") == 4
        assert "2 of 21 answered" in str(score.render())
