"""Trend charts as plain geometry, drawn by the PDF (lines) and the HTML (SVG)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from companion.core import text
from companion.export.view import ReportView


@dataclass
class Line:
    name: str
    #: One value per x position; None where nothing was recorded.
    values: list[float | None]
    #: Index into PALETTE; the renderers pick the colour.
    colour: int
    #: circle, square, triangle or diamond: the same meaning has the same
    #: colour and the same shape in every chart, so greyscale print reads too.
    marker: str = "circle"


@dataclass
class Plot:
    title: str
    x_labels: list[str]
    y_min: float
    y_max: float
    y_ticks: list[float]
    series: list[Line]
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

    def points(self, s: Line, width: float, height: float) -> list[list[tuple[float, float]]]:
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


#: (red, green, blue): one colour per meaning, dark enough to print, of
#: different lightness so greyscale print tells them apart with the markers.
PALETTE = (
    (204, 68, 51),    # 0 red
    (34, 119, 170),   # 1 blue
    (221, 153, 17),   # 2 ochre
    (119, 34, 136),   # 3 purple
    (17, 119, 51),    # 4 green
    (40, 40, 40),     # 5 near black
    (136, 85, 34),    # 6 brown
    (204, 102, 153),  # 7 pink
    (0, 153, 136),    # 8 teal
    (153, 153, 51),   # 9 olive
    (136, 34, 85),    # 10 wine
)

#: One meaning, one look, in every chart: (colour index, marker). No two
#: meanings share a colour, and within a chart no two share a marker.
STYLES: dict[str, tuple[int, str]] = {
    "pain": (0, "circle"),
    "mood": (1, "square"),
    "anxiety": (2, "triangle"),
    "before": (3, "diamond"),
    "after": (4, "triangle_down"),
    "fiqr": (5, "circle"),
    "function": (6, "square"),
    "overall": (7, "triangle"),
    "symptoms": (8, "diamond"),
    "wpi": (9, "square"),
    "sss": (10, "diamond"),
}


def marker_outline(shape: str, x: float, y: float, r: float) -> list[tuple[float, float]] | None:
    """The corners of a marker of radius ``r`` centred on (x, y), y downwards;
    None for a circle. The PDF and the SVG draw the same shapes from this."""
    if shape == "square":
        h = r * 0.85
        return [(x - h, y - h), (x + h, y - h), (x + h, y + h), (x - h, y + h)]
    if shape == "triangle":
        return [(x, y - r * 1.15), (x + r, y + r * 0.75), (x - r, y + r * 0.75)]
    if shape == "triangle_down":
        return [(x, y + r * 1.15), (x + r, y - r * 0.75), (x - r, y - r * 0.75)]
    if shape == "diamond":
        return [(x, y - r * 1.25), (x + r, y), (x, y + r * 1.25), (x - r, y)]
    return None


@dataclass
class PointLabel:
    """Where a point and its value go, within a chart's width x height box."""
    series: int
    x: float
    y: float
    text: str
    #: The value's baseline, moved so values at one x never sit on each other.
    label_y: float
    #: "start" (right of the point) or "end" (left of it, near the right edge).
    align: str
    #: The marker's size: a point hidden under an earlier one is drawn smaller.
    scale: float = 1.0


def value_text(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def point_labels(chart: "Plot", width: float, height: float, line: float,
                 most: int = 60) -> list[PointLabel]:
    """Every point of every series with its value beside it. Values at the
    same x are stacked ``line`` apart (two series with the same value both
    show), and a marker on top of another is drawn smaller so both show.
    Lines with more than ``most`` points get no labels (a line says enough)."""
    found: list[PointLabel] = []
    for index, s in enumerate(chart.series):
        runs = chart.points(s, width, height)
        flat = [p for run in runs for p in run]
        if len(flat) > most:
            continue
        values = [v for v in s.values if v is not None]
        for (x, y), value in zip(flat, values):
            align = "end" if x > width - width * 0.04 else "start"
            found.append(PointLabel(index, x, y, value_text(value), y - line * 0.35, align))
    # the same place: nest the markers
    seen: dict[tuple[int, int], int] = {}
    for label in found:
        key = (round(label.x * 4), round(label.y * 4))
        label.scale = (1.0, 0.7, 0.45, 0.3)[min(3, seen.get(key, 0))]
        seen[key] = seen.get(key, 0) + 1
    # the same x: keep the values apart, top to bottom
    columns: dict[int, list[PointLabel]] = {}
    for label in found:
        columns.setdefault(round(label.x * 2), []).append(label)
    for column in columns.values():
        column.sort(key=lambda lb: lb.label_y)
        for above, below in zip(column, column[1:]):
            if below.label_y - above.label_y < line:  # under its own point, clear of the marker
                below.label_y = max(above.label_y + line, below.y + line * 0.95)
        overflow = column[-1].label_y - (height + line * 0.2)
        if overflow > 0:  # pushed below the plot: move the stack up
            for label in column:
                label.label_y -= overflow
    return found


def styled(name: str, meaning: str, values: list[float | None]) -> Line:
    colour, marker = STYLES[meaning]
    return Line(name, values, colour, marker)


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


def charts(view: ReportView) -> list[Plot]:
    """The trends across the series: ratings after each infusion, FIQR totals, ACR 2016 WPI and SSS."""
    out: list[Plot] = []
    ratings = view.rating_series()
    day_of = {inf.number: inf.day for inf in view.infusions}
    if len(ratings) > 1:
        rating_days = [day_of.get(number) for number, _pre, _post in ratings]
        axis = time_axis(rating_days)
        rating_xs = axis[0] if axis else None
        rating_labels = [f"{number}: {d.strftime('%d %b')}" if d else str(number)
                         for (number, _pre, _post), d in zip(ratings, rating_days)]
        rating_numbers = [str(number) for number, _pre, _post in ratings]
        out.append(Plot(
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
        out.append(Plot(
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
    infusion_days = [(inf.number, inf.day) for inf in view.infusions if inf.day]

    def on_time(days: list[date | None]) -> tuple[list[float] | None, list[tuple[float, str]]]:
        """The points' places on a time axis that spans the infusions too, and the infusions' marks."""
        axis = time_axis(days, [d for _n, d in infusion_days])
        if not axis:
            return None, []
        xs, first, last = axis
        span = (last - first).days or 1
        return xs, sorted(((d - first).days / span, f"{number}") for number, d in infusion_days)

    fiqr = [s for s in view.scores or [] if s.kind == "fiqr" and s.total is not None]
    if len(fiqr) > 1:
        days = [s.day for s in fiqr]
        xs, marks = on_time(days)
        common = dict(x_labels=_day_labels(days), xs=xs, marks=marks, x_name=text.REPORT_CHART_X_DATE,
                      x_full=_iso(days), value_format="{:.1f}")
        out.append(Plot(
            title=text.REPORT_TREND_SCORES, y_min=0, y_max=100, y_ticks=[0, 25, 50, 75, 100],
            series=[styled("FIQR", "fiqr", [s.total for s in fiqr])], **common,  # type: ignore[arg-type]
        ))
        out.append(Plot(
            title=text.REPORT_TREND_DOMAINS, y_min=0, y_max=50, y_ticks=[0, 10, 20, 30, 40, 50],
            series=[styled(name, key, [s.values.get(key) for s in fiqr])
                    for key, name in text.REPORT_FIQR_DOMAINS.items()], **common,  # type: ignore[arg-type]
        ))
    acr = view.acr_series()
    if len(acr) > 1:
        days = [d for d, _w, _s in acr]
        xs, marks = on_time(days)
        out.append(Plot(
            title=text.REPORT_TREND_ACR,
            x_labels=_day_labels(days), xs=xs, marks=marks,
            x_name=text.REPORT_CHART_X_DATE, x_full=_iso(days),
            y_min=0, y_max=20, y_ticks=[0, 5, 10, 15, 20],
            series=[styled("WPI", "wpi", [w for _d, w, _s in acr]),
                    styled("SSS", "sss", [v for _d, _w, v in acr])],
        ))
    return out
