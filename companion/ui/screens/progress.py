"""Progress: the FIQR, the ratings before and after, WPI and SSS, as charts and as numbers.

The series come from ``core.trends`` (the therapist's report draws the same
ones). The charts mark the infusions; the Numbers tab holds every value for
those who prefer them; the Series tab shows the infusions with the rest before
each and the therapy appointments.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from companion.core import measures as m
from companion.core import series, text, trends
from companion.store.measures import trend_inputs
from companion.ui.screens.series import SeriesView
from companion.ui.widgets.footer import KeysFooter

EMPTY_TEXT = {
    "fiqr": text.PROGRESS_NO_FIQR,
    "ratings_pain": text.PROGRESS_NO_RATINGS,
    "ratings_mood": text.PROGRESS_NO_RATINGS,
    "ratings_anxiety": text.PROGRESS_NO_RATINGS,
    "acr2016": text.PROGRESS_NO_ACR,
}
MAX_DATE_TICKS = 6


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


class ChartPlot(PlotextPlot):
    """One ``trends.Chart`` drawn with plotext; the chart comes down as an attribute."""

    def __init__(self, chart: trends.Chart, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.chart = chart

    def on_mount(self) -> None:
        super().on_mount()
        self.draw()

    def draw(self) -> None:
        chart, plt = self.chart, self.plt
        plt.clear_figure()
        plt.title(chart.title)
        plt.ylim(chart.y_min, chart.y_max)
        ticks_y = round_ticks(chart.y_min, chart.y_max)
        plt.yticks(ticks_y, [f"{t:g}" for t in ticks_y])
        if chart.x_kind == "day":
            days = [p.day for se in chart.series for p in se.points] + [mk.day for mk in chart.markers]
            origin = min(days)
            last = max(days)
            for mk in chart.markers:
                plt.vertical_line((mk.day - origin).days, color="gray")
            self._series([[(p.day - origin).days for p in se.points] for se in chart.series])
            span = max(1, (last - origin).days)
            step = max(1, -(-span // (MAX_DATE_TICKS - 1)))
            ticks = list(range(0, span + 1, step))
            plt.xticks(ticks, [_short(date.fromordinal(origin.toordinal() + t)) for t in ticks])
            plt.xlim(-0.5, span + 0.5)
        else:
            numbers = sorted({int(p.x) for se in chart.series for p in se.points})
            self._series([[int(p.x) for p in se.points] for se in chart.series])
            plt.xticks(numbers, [series.place(n).label for n in numbers])
            plt.xlim(min(numbers) - 0.5, max(numbers) + 0.5)
        self.refresh()

    def _series(self, xs_per_series: list[list[int]]) -> None:
        """Straight lines between the points, each series with its own mark
        and colour, and its value beside every point."""
        plt = self.plt
        for i, (se, xs) in enumerate(zip(self.chart.series, xs_per_series)):
            if not se.points:
                continue
            colour = COLOURS[i % len(COLOURS)]
            ys = [p.value for p in se.points]
            if len(xs) > 1:
                plt.plot(xs, ys, marker="braille", color=colour)
            plt.scatter(xs, ys, marker=MARKS[i % len(MARKS)], color=colour)
            if len(xs) <= 12:
                low, high = min(min(v) for v in xs_per_series if v), max(max(v) for v in xs_per_series if v)
                nudge = max(1, high - low) / 60
                for x, y in zip(xs, ys):
                    shown = f"{y:.0f}" if float(y).is_integer() else f"{y:.1f}"
                    if x >= high - (high - low) / 8 and high > low:
                        plt.text(shown, x - nudge, y, color=colour, alignment="right")
                    else:
                        plt.text(shown, x + nudge, y, color=colour, alignment="left")


def legend(chart: trends.Chart) -> Text:
    """The legend, below the plot so it never covers the data: each series'
    mark (and colour) and name, and what the infusion lines are."""
    out = Text()
    for i, se in enumerate(chart.series):
        if se.points:
            out.append(f"{MARKS[i % len(MARKS)]} {se.label}   ", style=LEGEND_STYLES[i % len(LEGEND_STYLES)])
    if chart.x_kind == "day" and chart.markers:
        out.append("│ an infusion")
    elif chart.x_kind != "day":
        out.append("along the bottom: the infusion")
    return out


#: One mark and one colour per series, so they are told apart without colour too.
MARKS = ("●", "■", "▲", "◆")
COLOURS = ("red", "blue", "orange", "magenta")
#: The same colours as Rich names them, for the legend.
LEGEND_STYLES = ("red", "blue", "dark_orange", "magenta")


def round_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Tick values at a round step (1, 2, 5, 10, 20, 25, 50...) from ``low`` to ``high``."""
    span = high - low
    if span <= 0:
        return [low]
    step = 1.0
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100):
        step = candidate
        if span / candidate <= most - 1:
            break
    first = -(-low // step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def fiqr_change_line(inputs: trends.Inputs) -> str:
    """The latest FIQR against the first, as the therapist's report says it
    (both from ``trends.fiqr_change``); "" with fewer than two."""
    change = trends.fiqr_change(trends.fiqr_totals(inputs))
    if change is None:
        return ""
    crossed = (text.PROGRESS_FIQR_WORSE if change.worse else text.PROGRESS_FIQR_BETTER if change.better
               else text.PROGRESS_FIQR_WITHIN)
    return text.PROGRESS_FIQR_CHANGE.format(
        now=change.current, day=_short(change.current_day), baseline=change.baseline,
        first=_short(change.baseline_day), change=change.change,
        crossed=crossed.format(threshold=change.threshold))


class ProgressScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "close", "Back", id="progress.close"),
        Binding("c", "show('charts')", "Charts", id="progress.charts"),
        Binding("n", "show('numbers')", "Numbers", id="progress.numbers"),
        Binding("s", "show('series')", "Series", id="progress.series"),
    ]

    def __init__(self, initial: str = "charts") -> None:
        super().__init__()
        self.initial = initial

    def compose(self) -> ComposeResult:
        store = self.app.store
        inputs = trend_inputs(store.sessions, store.measures)
        charts = trends.charts(inputs)
        done = [i.day for i in inputs.infusions if i.complete]
        window = series.next_window(done, self.app.clock.now().date())
        yield Static(f"{text.PROGRESS_TITLE} · {text.MEASURES_NOTE}", id="progress-title")
        with TabbedContent(initial=self.initial, id="progress-tabs"):
            with TabPane("Charts", id="charts"):
                with VerticalScroll(id="charts-scroll"):
                    unscored = {"fiqr": sum(not f.result.valid for f in inputs.fiqr),
                                "acr2016": sum(not a.result.valid for a in inputs.acr)}
                    for chart in charts:
                        if chart.empty:
                            why = EMPTY_TEXT[chart.key]
                            if unscored.get(chart.key):
                                why = text.PROGRESS_NONE_SCORED.format(count=unscored[chart.key])
                            yield Static(f"{chart.title}: {why}",
                                         id=f"empty-{chart.key}", classes="quiet")
                        else:
                            if chart.key == "fiqr" and fiqr_change_line(inputs):
                                # above the chart: the first thing seen, without scrolling
                                yield Static(fiqr_change_line(inputs), id="fiqr-change", classes="fiqr-change")
                            yield ChartPlot(chart, id=f"chart-{chart.key}", classes="chart")
                            yield Static(legend(chart), id=f"legend-{chart.key}", classes="chart-legend")
                    yield Static(m.ACR2016_LABEL.capitalize() + " (ACR 2016).", classes="quiet")
            with TabPane("Numbers", id="numbers"):
                with VerticalScroll(id="numbers-scroll"):
                    yield from self._numbers(inputs)
            with TabPane("Series", id="series"):
                yield SeriesView(inputs, window, id="series-view")
        yield KeysFooter()

    def _numbers(self, inputs: trends.Inputs) -> ComposeResult:
        yield Static("FIQR (0-100, higher is more impact)", classes="section")
        fiqr: DataTable[str] = DataTable(id="fiqr-table", zebra_stripes=True, cursor_type="row")
        fiqr.add_columns("Day", "Infusion", "Total", "Function", "Overall", "Symptoms", "Note")
        for f in sorted(inputs.fiqr, key=lambda f: f.when):
            r = f.result
            infusion = series.place(f.infusion).label if f.infusion else ""
            if r.valid:
                fiqr.add_row(f.when.date().isoformat(), infusion,
                             *(m.format_fiqr_score(v or 0.0) for v in
                               (r.total, r.function, r.overall, r.symptoms)),
                             "1 blank item weighted" if r.prorated else "")
            else:
                fiqr.add_row(f.when.date().isoformat(), infusion, "-", "-", "-", "-",
                             r.reason or "not scored")
        yield fiqr if inputs.fiqr else Static(text.PROGRESS_NO_FIQR, classes="quiet")
        if fiqr_change_line(inputs):
            yield Static(fiqr_change_line(inputs), id="fiqr-change-numbers", classes="fiqr-change")

        yield Static("Ratings before → after each infusion (0-10)", classes="section")
        ratings: DataTable[str] = DataTable(id="ratings-table", zebra_stripes=True,
                                            cursor_type="row")
        ratings.add_columns("#", "Infusion", "Day", "Pain", "Mood", "Anxiety")

        def pair(i: trends.InfusionFacts, name: str) -> str:
            def one(v: int | None) -> str:
                return "-" if v is None else str(v)
            return f"{one(i.pre.get(name))} → {one(i.post.get(name))}"

        for i in sorted(inputs.infusions, key=lambda i: i.number):
            ratings.add_row(str(i.number), i.place.label, i.day.isoformat(),
                            *(pair(i, n) for n in trends.RATING_NAMES))
        yield ratings if inputs.infusions else Static(text.PROGRESS_NO_RATINGS, classes="quiet")

        yield Static(f"ACR 2016 symptom tracker ({m.ACR2016_LABEL})", classes="section")
        acr: DataTable[str] = DataTable(id="acr-table", zebra_stripes=True, cursor_type="row")
        acr.add_columns("Day", "WPI (0-19)", "SSS (0-12)", "WPI+SSS", "Generalised pain",
                        "Fits 2016 pattern")
        noted = any(not a.result.valid for a in inputs.acr)
        if noted:  # a column for why, only when a body map could not be scored
            acr.add_column("Note")
        for a in sorted(inputs.acr, key=lambda a: a.when):
            r = a.result
            if not r.valid:
                acr.add_row(a.when.date().isoformat(), "-", "-", "-", "-", "-", r.reason or "")
                continue
            acr.add_row(a.when.date().isoformat(), str(r.wpi), str(r.sss), str(r.pds),
                        "yes" if r.generalised else "no",
                        "yes" if r.criteria_pattern_met else "no", *([""] if noted else []))
        yield acr if inputs.acr else Static(text.PROGRESS_NO_ACR, classes="quiet")

    def action_show(self, tab: str) -> None:
        self.query_one("#progress-tabs", TabbedContent).active = tab

    def action_close(self) -> None:
        self.dismiss(None)
