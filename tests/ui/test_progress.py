"""Progress, the series table and the booster suggestion on Home."""

from __future__ import annotations

import re

from datetime import timedelta

from textual.widgets import DataTable, Static, TabbedContent

from companion.core import measures as m
from companion.core import text
from companion.store import Store
from companion.store.measures import ACR2016, FIQR
from companion.ui.screens.progress import ChartPlot, ProgressScreen

from .helpers import wait_until


def fiqr(store: Store, value: int) -> None:
    answers = m.fiqr_answers_to_dict(m.FiqrAnswers({k: value for k in m.FIQR_ITEMS}))
    store.measures.complete(store.measures.start(FIQR).id, answers)


def series(paths, clock, gaps=(0, 2, 3, 1, 3, 2), fiqr_values=(6, 5, 4, 3, 2, 2)) -> None:
    """A patient's history: infusions after the given gaps, a FIQR before each."""
    store = Store.open(paths.database, clock)
    try:
        for n, (gap, value) in enumerate(zip(gaps, fiqr_values)):
            clock.advance(days=gap)
            fiqr(store, value)
            infusion = store.sessions.begin()
            store.sessions.save_rating(infusion.id, "pre", "pain", 8 - n)
            store.sessions.save_rating(infusion.id, "post", "pain", 5 - n)
            store.sessions.save_therapy_at(infusion.id, f"2026-03-{10 + n} 15:00")
            for _ in range(4):
                store.sessions.advance(infusion.id)
            clock.advance(hours=3)
    finally:
        store.close()


def table_rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_progress_shows_charts_and_the_same_numbers(build_app, paths, clock):
    series(paths, clock, gaps=(0, 2), fiqr_values=(6, 4))
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        plots = {p.id for p in app.screen.query(ChartPlot)}
        assert {"chart-fiqr", "chart-ratings_pain"} <= plots
        assert "No body map yet" in str(app.screen.query_one("#empty-acr2016", Static).render())
        fiqr_plot = app.screen.query_one("#chart-fiqr", ChartPlot)
        await wait_until(pilot, lambda: "FIQR" in fiqr_plot.plt.build())
        await pilot.press("n")
        assert app.screen.query_one(TabbedContent).active == "numbers"
        fiqr_rows = table_rows(app.screen.query_one("#fiqr-table", DataTable))
        assert [row[2] for row in fiqr_rows] == ["60.0", "40.0"]
        ratings = table_rows(app.screen.query_one("#ratings-table", DataTable))
        assert ratings[1][:4] == ["2", "2 of 6", "2026-03-04", "7 → 4"]


async def test_series_tab_shows_rest_and_appointments(build_app, paths, clock):
    series(paths, clock, gaps=(0, 1, 5), fiqr_values=(6, 5, 4))
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        assert app.screen.query_one(TabbedContent).active == "series"
        rows = table_rows(app.screen.query_one("#series-table", DataTable))
        assert [row[3] for row in rows] == [
            "first", "! 0 days rest (shorter than 1-3)", "! 4 days rest (longer than 1-3)"]
        assert rows[0][4] == "2026-03-10 15:00"
        assert "Infusion 4 of 6" in str(app.screen.query_one("#series-next", Static).render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProgressScreen))


async def test_home_suggests_talking_to_the_clinic_when_the_fiqr_rises(build_app, paths, clock):
    series(paths, clock)
    store = Store.open(paths.database, clock)
    clock.advance(days=10)
    fiqr(store, 1)  # total 10: the best after the series
    store.close()
    app = build_app()
    async with app.run_test(size=(110, 40)):
        box = app.screen.query_one("#measures", Static)
        assert text.BOOSTER_SUGGESTION not in str(box.render())
    clock.advance(days=20)
    store = Store.open(paths.database, clock)
    fiqr(store, 2)  # total 20: risen by 10, more than max(14% of 10, 8)
    store.close()
    app = build_app()
    async with app.run_test(size=(110, 40)):
        box = app.screen.query_one("#measures", Static)
        assert text.BOOSTER_SUGGESTION in str(box.render())
        assert box.has_class("-booster")


async def test_home_suggests_a_fiqr_weekly_and_never_forces_it(build_app, paths, clock):
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        assert text.FIQR_DUE in str(app.screen.query_one("#measures", Static).render())
        await pilot.press("enter", "y")  # beginning a session is never blocked by it
        await wait_until(pilot, lambda: app.store.sessions.current() is not None)
    store = Store.open(paths.database, clock)
    fiqr(store, 3)
    store.close()
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen.query("#measures"))
        assert not app.screen.query_one("#measures", Static).display
        clock.advance(days=7)
        app.screen.refresh_status()
        assert text.FIQR_DUE in str(app.screen.query_one("#measures", Static).render())


async def test_acr_appears_in_progress_with_its_label(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    answers = m.acr2016_answers_to_dict(
        m.Acr2016Answers(painful_areas={"neck", "chest"}, fatigue=2, three_months=True))
    store.measures.complete(store.measures.start(ACR2016).id, answers)
    store.close()
    clock.advance(timedelta(days=1).total_seconds())
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        assert app.screen.query("#chart-acr2016")
        await pilot.press("n")
        rows = table_rows(app.screen.query_one("#acr-table", DataTable))
        assert rows == [["2026-03-02", "2", "2", "4", "no", "no"]]


async def test_progress_charts_label_points_with_round_ticks_and_a_legend_outside(build_app, paths, clock):
    series(paths, clock, gaps=(0, 2), fiqr_values=(6, 4))
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        fiqr_plot = app.screen.query_one("#chart-fiqr", ChartPlot)
        await wait_until(pilot, lambda: "FIQR" in fiqr_plot.plt.build())
        drawn = re.sub(r"\x1b\[[0-9;]*m", "", fiqr_plot.plt.build())
        # Round ticks only (no 83.3 / 16.7), each FIQR total written beside its point.
        assert "83.3" not in drawn and "16.7" not in drawn
        assert "●60" in drawn and "40●" in drawn
        # The legend is its own line under the chart, with the marks.
        shown = str(app.screen.query_one("#legend-fiqr", Static).render())
        assert "● Total" in shown and "■ Function" in shown and "│ an infusion" in shown
        assert "Total" not in drawn.split("FIQR", 1)[1]


async def test_progress_and_the_report_show_the_same_fiqr_change(build_app, paths, clock):
    """FIQR 70, then 30, then 40: both measure from the first (70), not from the
    lowest (30), and give the same change, threshold and verdict."""
    from companion.export import get
    from companion.export.selection import Selection, build_report

    series(paths, clock, gaps=(0, 2, 2), fiqr_values=(7, 3, 4))
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        shown = " ".join(str(app.screen.query_one("#fiqr-change", Static).render()).split())
        report = get("md").render(build_report(app.store, Selection())).decode()
        await pilot.press("n")
        in_numbers = " ".join(str(app.screen.query_one("#fiqr-change-numbers", Static).render()).split())
    start = report.index("### FIQR")
    summary = " ".join(report[start:report.index("## ", start + 4)].split())
    for found in (shown, summary):
        assert "40.0" in found and "against 70.0" in found, found
        assert "a change of -30.0" in found, found
        assert "9.8 points" in found, found
    assert "this one is." in shown and "fall" in shown
    assert "this fall is that large" in summary
    assert in_numbers == shown
