"""Trend charts as plain geometry, drawn by the PDF (lines) and the HTML (SVG)."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass
class Chart:
    title: str
    x_labels: list[str]
    y_min: float
    y_max: float
    y_ticks: list[float]
    series: list[Series]

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
            x = i * step if n > 1 else width / 2
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


#: (red, green, blue) for series 0, 1, 2: distinguishable in print and for colour blindness.
PALETTE = ((204, 68, 51), (34, 119, 170), (221, 153, 17))


def _day_labels(days: list[date | None]) -> list[str]:
    """Short dates; with the year when the points span more than one."""
    years = {d.year for d in days if d}
    shape = "%d %b" if len(years) <= 1 else "%d %b %Y"
    return [d.strftime(shape) if d else "" for d in days]


def charts(view: ReportView) -> list[Chart]:
    """The trends across the series: ratings after each infusion, FIQR totals, ACR 2016 WPI and SSS."""
    out: list[Chart] = []
    ratings = view.rating_series()
    if len(ratings) > 1:
        out.append(Chart(
            title=text.REPORT_TREND_RATINGS,
            x_labels=[str(number) for number, _pre, _post in ratings],
            y_min=0, y_max=10, y_ticks=[0, 5, 10],
            series=[
                Series(text.RATINGS[name][0], [
                    None if post.get(name) is None else float(post[name])  # type: ignore[arg-type]
                    for _n, _pre, post in ratings
                ], index)
                for index, name in enumerate(("pain", "mood", "anxiety"))
            ],
        ))
        out.append(Chart(
            title=text.REPORT_TREND_PAIN,
            x_labels=[str(number) for number, _pre, _post in ratings],
            y_min=0, y_max=10, y_ticks=[0, 5, 10],
            series=[
                Series(label, [
                    None if values.get("pain") is None else float(values["pain"])  # type: ignore[arg-type]
                    for values in ([pre for _n, pre, _p in ratings] if timing == "pre"
                                   else [post for _n, _p, post in ratings])
                ], index)
                for index, (timing, label) in enumerate(
                    (("pre", text.REPORT_RATINGS_BEFORE.capitalize()),
                     ("post", text.REPORT_RATINGS_AFTER.capitalize())))
            ],
        ))
    fiqr = view.fiqr_series()
    if len(fiqr) > 1:
        out.append(Chart(
            title=text.REPORT_TREND_SCORES,
            x_labels=_day_labels([d for d, _v in fiqr]),
            y_min=0, y_max=100, y_ticks=[0, 50, 100],
            series=[Series("FIQR", [v for _d, v in fiqr], 1)],
        ))
    acr = view.acr_series()
    if len(acr) > 1:
        out.append(Chart(
            title=text.REPORT_TREND_ACR,
            x_labels=_day_labels([d for d, _w, _s in acr]),
            y_min=0, y_max=19, y_ticks=[0, 6, 12, 19],
            series=[Series("WPI", [w for _d, w, _s in acr], 0),
                    Series("SSS", [v for _d, _w, v in acr], 2)],
        ))
    return out
