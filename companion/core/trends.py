"""The series behind the progress charts, as plain data.

Pure standard-library Python. The progress screen draws these series in the
terminal and the therapist's report (export) draws the same ones, so both show
the same numbers. Everything here is a list of points, ``(day, value)`` or
``(infusion number, value)``, with labels; nothing knows how it is drawn.

Inputs are plain facts (``InfusionFacts``, ``ScoredFiqr``, ``ScoredAcr``);
``companion.store.measures.trend_inputs`` builds them from the database.

It also holds two readings of the series the Home screen uses: the table of
infusions with the rest before each (``series_rows``), and whether the FIQR has
risen enough after the series to suggest talking to the clinic about a
booster (``booster_check``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import Literal, NamedTuple

from companion.core import measures as m
from companion.core import series as s

RATING_NAMES: tuple[str, ...] = ("pain", "mood", "anxiety")
RATING_LABELS: Mapping[str, str] = {
    "pain": "Pain (0 none, 10 worst)",
    "mood": "Mood (0 very low, 10 very good)",
    "anxiety": "Anxiety (0 calm, 10 extreme)",
}
TRACKING_NOTE = "Scores are tracking tools for you and your care team, not a diagnosis."


# The records here are NamedTuples rather than frozen dataclasses: plain
# immutable data, read by name. Home imports this module before its first
# frame, and on Python 3.11 a frozen dataclass takes about 0.5 ms to create
# (six methods compiled from source), a NamedTuple under 0.1 ms (issue 18).

#: No ratings (a shared default: it cannot be changed).
NO_RATINGS: Mapping[str, int | None] = MappingProxyType({})


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


class InfusionFacts(NamedTuple):
    """One infusion as the charts need it."""

    number: int
    day: date
    completed_at: datetime | None = None
    therapy_at: str = ""
    pre: Mapping[str, int | None] = NO_RATINGS
    post: Mapping[str, int | None] = NO_RATINGS
    complete: bool = True

    @property
    def place(self) -> s.Place:
        return s.place(self.number)


class ScoredFiqr(NamedTuple):
    when: datetime
    result: m.FiqrResult
    infusion: int | None = None  # the infusion number it was answered for


class ScoredAcr(NamedTuple):
    when: datetime
    result: m.Acr2016Result
    infusion: int | None = None


class Inputs(NamedTuple):
    infusions: tuple[InfusionFacts, ...] = ()
    fiqr: tuple[ScoredFiqr, ...] = ()
    acr: tuple[ScoredAcr, ...] = ()


# ---------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------


class Point(NamedTuple):
    """One value. ``x`` is a ``date`` on a time chart, an infusion number on a per-infusion chart."""

    x: date | int
    value: float
    day: date
    infusion: int | None = None


class Series(NamedTuple):
    key: str
    label: str
    points: tuple[Point, ...]

    def pairs(self) -> list[tuple[date | int, float]]:
        """``[(x, value), ...]``: the plain form for a chart."""
        return [(p.x, p.value) for p in self.points]


class Marker(NamedTuple):
    """An infusion, to mark on a time chart."""

    day: date
    number: int
    label: str


class Chart(NamedTuple):
    key: str
    title: str
    x_kind: Literal["day", "infusion"]
    y_min: float
    y_max: float
    series: tuple[Series, ...]
    markers: tuple[Marker, ...] = ()
    note: str = TRACKING_NOTE

    @property
    def empty(self) -> bool:
        return not any(series.points for series in self.series)

    def as_dict(self) -> dict[str, object]:
        """JSON-able: dates as ISO strings."""

        def x(value: date | int) -> object:
            return value.isoformat() if isinstance(value, date) else value

        return {
            "key": self.key,
            "title": self.title,
            "x": self.x_kind,
            "y_min": self.y_min,
            "y_max": self.y_max,
            "note": self.note,
            "series": [
                {"key": se.key, "label": se.label,
                 "points": [[x(p.x), p.value] for p in se.points]}
                for se in self.series
            ],
            "markers": [
                {"day": mk.day.isoformat(), "number": mk.number, "label": mk.label}
                for mk in self.markers
            ],
        }


def markers(infusions: Sequence[InfusionFacts]) -> tuple[Marker, ...]:
    return tuple(
        Marker(i.day, i.number, i.place.label)
        for i in sorted(infusions, key=lambda i: i.number)
    )


def fiqr_chart(inputs: Inputs) -> Chart:
    """FIQR total and its three domains over time; invalid questionnaires are left out."""
    valid = sorted((f for f in inputs.fiqr if f.result.valid), key=lambda f: f.when)
    labels = {
        "total": "Total (0-100)",
        "function": "Function (0-30)",
        "overall": "Overall impact (0-20)",
        "symptoms": "Symptoms (0-50)",
    }
    series = tuple(
        Series(
            key,
            label,
            tuple(
                Point(f.when.date(), float(getattr(f.result, key)), f.when.date(), f.infusion)
                for f in valid
            ),
        )
        for key, label in labels.items()
    )
    return Chart("fiqr", "FIQR, higher is more impact", "day", 0.0, 100.0, series,
                 markers(inputs.infusions))


def ratings_chart(inputs: Inputs, name: str) -> Chart:
    """One rating before and after each infusion, by infusion number."""
    if name not in RATING_NAMES:
        raise ValueError(f"unknown rating {name!r}")
    done = sorted(inputs.infusions, key=lambda i: i.number)

    def points(timing: str) -> tuple[Point, ...]:
        out = []
        for i in done:
            value = (i.pre if timing == "pre" else i.post).get(name)
            if value is not None:
                out.append(Point(i.number, float(value), i.day, i.number))
        return tuple(out)

    return Chart(
        f"ratings_{name}",
        RATING_LABELS[name],
        "infusion",
        0.0,
        10.0,
        (Series(f"{name}_pre", "before", points("pre")),
         Series(f"{name}_post", "after", points("post"))),
    )


def acr_chart(inputs: Inputs) -> Chart:
    """Widespread pain index (0-19) and symptom severity (0-12) over time."""
    done = sorted((a for a in inputs.acr if a.result.valid), key=lambda a: a.when)

    def pts(attr: str) -> tuple[Point, ...]:
        return tuple(
            Point(a.when.date(), float(getattr(a.result, attr)), a.when.date(), a.infusion)
            for a in done
        )

    return Chart(
        "acr2016",
        "ACR 2016 symptom tracker",
        "day",
        0.0,
        float(m.ACR_MAX_WPI),
        (Series("wpi", "Widespread pain index (0-19)", pts("wpi")),
         Series("sss", "Symptom severity (0-12)", pts("sss"))),
        markers(inputs.infusions),
        note=f"ACR 2016: {m.ACR2016_LABEL}.",
    )


def charts(inputs: Inputs) -> list[Chart]:
    """Every progress chart, in the order the screen and the report show them."""
    return [
        fiqr_chart(inputs),
        *(ratings_chart(inputs, name) for name in RATING_NAMES),
        acr_chart(inputs),
    ]


# ---------------------------------------------------------------------------
# The series at a glance
# ---------------------------------------------------------------------------


class SeriesRow(NamedTuple):
    """One infusion in the series table."""

    number: int
    label: str  # "3 of 6" or "booster 1"
    day: date
    rest_days: int | None  # whole days without an infusion before this one
    timing: s.Timing
    therapy_at: str
    complete: bool

    @property
    def rest_text(self) -> str:
        if self.rest_days is None:
            return "first"
        days = "day" if self.rest_days == 1 else "days"
        word = {
            s.Timing.SOONER: " (shorter than 1-3)",
            s.Timing.LATER: " (longer than 1-3)",
            s.Timing.WITHIN: "",
            s.Timing.BOOSTER: "",
            s.Timing.FIRST: "",
        }[self.timing]
        return f"{self.rest_days} {days} rest{word}"


def series_rows(infusions: Sequence[InfusionFacts]) -> list[SeriesRow]:
    """The infusions in order with the rest before each against the 1-3 day window."""
    rows: list[SeriesRow] = []
    previous: date | None = None
    for i in sorted(infusions, key=lambda i: i.number):
        rows.append(
            SeriesRow(
                number=i.number,
                label=i.place.label,
                day=i.day,
                rest_days=None if previous is None else s.rest_days(previous, i.day),
                timing=s.gap_timing(previous, i.day, i.number),
                therapy_at=i.therapy_at,
                complete=i.complete,
            )
        )
        previous = i.day
    return rows


# ---------------------------------------------------------------------------
# The booster suggestion
# ---------------------------------------------------------------------------


class FiqrChange(NamedTuple):
    """A FIQR total against an earlier one, and whether the change is meaningful.

    The one place the change, its threshold and its verdict are worked out:
    the report's summary, Progress and the booster check all read this.
    """

    baseline: float
    baseline_day: date
    current: float
    current_day: date

    @property
    def change(self) -> float:
        return self.current - self.baseline

    @property
    def rise(self) -> float:
        return self.change

    @property
    def threshold(self) -> float:
        """Points of change that count as meaningful (``core.measures``)."""
        return m.fiqr_worsening_threshold(self.baseline)

    @property
    def worse(self) -> bool:
        return m.meaningful_worsening(self.baseline, self.current)

    @property
    def better(self) -> bool:
        """Fallen by at least the same number of points."""
        return self.baseline - self.current + 1e-9 >= self.threshold


#: The booster check is a change from the lowest FIQR since the series.
BoosterCheck = FiqrChange


def fiqr_totals(inputs: Inputs) -> list[tuple[date, float]]:
    """(day, total) of every scored FIQR, oldest first."""
    valid = sorted((f for f in inputs.fiqr if f.result.valid), key=lambda f: f.when)
    return [(f.when.date(), float(f.result.total)) for f in valid]  # type: ignore[arg-type]


def fiqr_change(totals: Sequence[tuple[date, float]]) -> FiqrChange | None:
    """The latest FIQR total against the first of ``totals`` (oldest first): the
    baseline and change the therapist's report and Progress both show.
    None with fewer than two."""
    if len(totals) < 2:
        return None
    (first_day, first), (last_day, last) = totals[0], totals[-1]
    return FiqrChange(float(first), first_day, float(last), last_day)


def booster_check(inputs: Inputs) -> BoosterCheck | None:
    """Compare the latest FIQR with the best one since the end of the series.

    The rule, and why:

    * Only once the six infusions of the initiation series are done, and only
      for a FIQR answered after the most recent infusion ended (once a booster
      has been given, an older questionnaire says nothing about now).
    * Baseline: the lowest valid FIQR total from the end of the series on,
      that is, among the questionnaires answered on or after the day of the
      6th infusion and the last one answered before that day, excluding the
      latest. Symptoms "coming back" is a rise from the best the series
      reached, so the lowest is the fair reference; including the last one
      before the 6th infusion lets a single questionnaire after the series
      already be compared.
    * Current: the latest valid FIQR. It is a meaningful worsening when it has
      risen by at least the minimal clinically important difference:
      ``core.measures.meaningful_worsening``, 14% of the baseline (Bennett RM
      et al., J Rheumatol 2009;36(6):1304-1311) and at least 8 points.

    Returns None when there is nothing to compare; otherwise the change
    (``fiqr_change``, the same one the report and Progress show, from this
    baseline) whose ``worse`` says whether to suggest talking to the clinic.
    It never advises treatment.
    """
    done = sorted((i for i in inputs.infusions if i.complete), key=lambda i: i.number)
    if len(done) < s.INITIATION_COUNT:
        return None
    sixth = done[s.INITIATION_COUNT - 1].day
    last = done[-1]
    valid = sorted((f for f in inputs.fiqr if f.result.valid), key=lambda f: f.when)
    if len(valid) < 2:
        return None
    current = valid[-1]
    stale = current.when.date() < last.day
    if last.completed_at is not None:
        try:
            stale = current.when <= last.completed_at
        except TypeError:  # one naive, one aware: fall back to the day
            pass
    if stale:
        return None
    earlier = valid[:-1]
    before = [f for f in earlier if f.when.date() < sixth]
    pool = [f for f in earlier if f.when.date() >= sixth] + before[-1:]
    if not pool:
        return None
    baseline = min(pool, key=lambda f: (f.result.total, f.when))
    return fiqr_change([(baseline.when.date(), float(baseline.result.total)),  # type: ignore[arg-type]
                        (current.when.date(), float(current.result.total))])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# When a questionnaire is due (a suggestion, never forced)
# ---------------------------------------------------------------------------

FIQR_EVERY_DAYS = 7


def fiqr_due(last_fiqr: datetime | None, last_infusion_end: datetime | None,
             now: datetime) -> bool:
    """True when a FIQR would be useful now: none yet, none in the past 7 days,
    or none since the last infusion (so one is answered before each infusion)."""
    if last_fiqr is None:
        return True
    if (now.date() - last_fiqr.date()).days >= FIQR_EVERY_DAYS:
        return True
    return last_infusion_end is not None and last_fiqr < last_infusion_end
