"""Trend charts as plain geometry, drawn by the PDF (lines) and the HTML (SVG)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from companion.core import text
from companion.export.view import ReportView


@dataclass
class Series:
    name: str
    #: One value per x position; None where nothing was recorded.
    values: list[float | None]
    #: Index into PALETTE; the renderers pick the colour.
    colour: int
    #: circle, square, triangle or diamond: the same meaning has the same
    #: colour and the same shape in every chart, so greyscale print reads too.
    marker: str = "circle"


@dataclass
class Chart:
    title: str
    x_labels: list[str]
    y_min: float
    y_max: float
    y_ticks: list[float]
    series: list[Series]
    #: Where each x label sits, 0.0 (left) to 1.0 (right): a real time axis.
    #: None spaces the labels evenly.
    xs: list[float] | None = None
    #: Infusions marked on the time axis: (position 0.0-1.0, short label).
    marks: list[tuple[float, str]] = field(default_factory=list)
    #: What the x axis counts, and each x in full: the chart as a table (Markdown).
    x_name: str = ""
    x_full: list[str] | None = None
    #: How a value reads in that table.
    value_format: str = "{:g}"

    def table(self) -> tuple[list[str], list[list[str]]]:
        """The chart's numbers as (header, rows): one row per x, one column per series."""
        header = [self.x_name] + [s.name for s in self.series]
        rows = []
        for i, label in enumerate(self.x_full or self.x_labels):
            rows.append([label] + ["–" if s.values[i] is None else self.value_format.format(s.values[i])
                                   for s in self.series])
        return header, rows

    def x(self, i: int, width: float) -> float:
        n = len(self.x_labels)
        if self.xs is not None:
            return self.xs[i] * width
        return i * width / (n - 1) if n > 1 else width / 2

    def points(self, s: Series, width: float, height: float) -> list[list[tuple[float, float]]]:
        """Runs of (x, y) within a width x height box (y downwards); a gap breaks a run."""
        n = len(self.x_labels)
        step = width / (n - 1) if n > 1 else 0.0
        span = (self.y_max - self.y_min) or 1.0
        runs: list[list[tuple[float, float]]] = []
        current: list[tuple[float, float]] = []
        for i, value in enumerate(s.values):
            if value is None:
                if current:
                    runs.append(current)
                current = []
                continue
            x = self.x(i, width) if self.xs is not None else (i * step if n > 1 else width / 2)
            y = height - (value - self.y_min) / span * height
            current.append((x, y))
        if current:
            runs.append(current)
        return runs

    def y(self, value: float, height: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return height - (value - self.y_min) / span * height

    def label_every(self, max_labels: int = 12) -> int:
        return max(1, -(-len(self.x_labels) // max_labels))


#: (red, green, blue): Paul Tol's colour-blind-safe colours, of different
#: lightness so greyscale print still tells them apart (with the markers).
PALETTE = ((204, 68, 51), (34, 119, 170), (221, 153, 17), (119, 34, 136), (17, 119, 51), (51, 187, 238))

#: One meaning, one look, in every chart: (colour index, marker).
STYLES: dict[str, tuple[int, str]] = {
    "pain": (0, "circle"),
    "mood": (1, "square"),
    "anxiety": (2, "triangle"),
    "before": (3, "diamond"),
    "after": (4, "square"),
    "fiqr": (5, "circle"),
    "wpi": (0, "triangle"),
    "sss": (3, "diamond"),
}


def styled(name: str, meaning: str, values: list[float | None]) -> Series:
    colour, marker = STYLES[meaning]
    return Series(name, values, colour, marker)


def time_axis(days: list[date | None], extra: list[date | None] = ()) -> tuple[list[float], date, date] | None:
    """Positions 0.0-1.0 of ``days`` on a real time axis that also spans ``extra``."""
    known = [d for d in list(days) + list(extra) if d]
    if len(known) < 2 or any(d is None for d in days):
        return None
    first, last = min(known), max(known)
    span = (last - first).days or 1
    return [(d - first).days / span for d in days], first, last  # type: ignore[operator]


def _day_labels(days: list[date | None]) -> list[str]:
    """Short dates; with the year when the points span more than one."""
    years = {d.year for d in days if d}
    shape = "%d %b" if len(years) <= 1 else "%d %b %Y"
    return [d.strftime(shape) if d else "" for d in days]


def _iso(days: list[date | None]) -> list[str]:
    return [d.isoformat() if d else "" for d in days]


def charts(view: ReportView) -> list[Chart]:
    """The trends across the series: ratings after each infusion, FIQR totals, ACR 2016 WPI and SSS."""
    out: list[Chart] = []
    ratings = view.rating_series()
    day_of = {inf.number: inf.day for inf in view.infusions}
    if len(ratings) > 1:
        rating_days = [day_of.get(number) for number, _pre, _post in ratings]
        axis = time_axis(rating_days)
        rating_xs = axis[0] if axis else None
        rating_labels = [f"{number}: {d.strftime('%d %b')}" if d else str(number)
                         for (number, _pre, _post), d in zip(ratings, rating_days)]
        rating_numbers = [str(number) for number, _pre, _post in ratings]
        out.append(Chart(
            title=text.REPORT_TREND_RATINGS,
            x_labels=rating_labels, xs=rating_xs,
            x_name=text.REPORT_CHART_X_INFUSION, x_full=rating_numbers,
            y_min=0, y_max=10, y_ticks=[0, 5, 10],
            series=[
                styled(text.RATINGS[name][0], name, [
                    None if post.get(name) is None else float(post[name])  # type: ignore[arg-type]
                    for _n, _pre, post in ratings
                ])
                for name in ("pain", "mood", "anxiety")
            ],
        ))
        out.append(Chart(
            title=text.REPORT_TREND_PAIN,
            x_labels=rating_labels, xs=rating_xs,
            x_name=text.REPORT_CHART_X_INFUSION, x_full=rating_numbers,
            y_min=0, y_max=10, y_ticks=[0, 5, 10],
            series=[
                styled(label, meaning, [
                    None if values.get("pain") is None else float(values["pain"])  # type: ignore[arg-type]
                    for values in ([pre for _n, pre, _p in ratings] if timing == "pre"
                                   else [post for _n, _p, post in ratings])
                ])
                for timing, label, meaning in (
                    ("pre", text.REPORT_RATINGS_BEFORE.capitalize(), "before"),
                    ("post", text.REPORT_RATINGS_AFTER.capitalize(), "after"))
            ],
        ))
    fiqr = view.fiqr_series()
    infusion_days = [(inf.number, inf.day) for inf in view.infusions if inf.day]
    if len(fiqr) > 1:
        axis = time_axis([d for d, _v in fiqr], [d for _n, d in infusion_days])
        marks = []
        if axis:
            _xs, first, last = axis
            span = (last - first).days or 1
            marks = sorted(((d - first).days / span, f"{number}") for number, d in infusion_days)
        out.append(Chart(
            title=text.REPORT_TREND_SCORES,
            x_labels=_day_labels([d for d, _v in fiqr]), xs=axis[0] if axis else None, marks=marks,
            x_name=text.REPORT_CHART_X_DATE, x_full=_iso([d for d, _v in fiqr]), value_format="{:.1f}",
            y_min=0, y_max=100, y_ticks=[0, 25, 50, 75, 100],
            series=[styled("FIQR", "fiqr", [v for _d, v in fiqr])],
        ))
    acr = view.acr_series()
    if len(acr) > 1:
        out.append(Chart(
            title=text.REPORT_TREND_ACR,
            x_labels=_day_labels([d for d, _w, _s in acr]),
            x_name=text.REPORT_CHART_X_DATE, x_full=_iso([d for d, _w, _s in acr]),
            y_min=0, y_max=19, y_ticks=[0, 6, 12, 19],
            xs=(time_axis([d for d, _w, _s in acr]) or [None])[0],
            series=[styled("WPI", "wpi", [w for _d, w, _s in acr]),
                    styled("SSS", "sss", [v for _d, _w, v in acr])],
        ))
    return out
