"""Numbering infusions in the series, and the rest between them.

The clinic's initiation series is six infusions over two to three weeks, with
one to three days of rest between infusions. Rest days are whole calendar
days with no infusion: an infusion on Monday and the next on Wednesday leaves
one day of rest (Tuesday). So the next infusion is recommended from two to
four calendar days after the previous one, which over five gaps gives the
series its two to three weeks. Boosters follow the series; their timing
depends on the symptoms and is the clinic's to decide, so no window applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

INITIATION_COUNT = 6
MIN_REST_DAYS = 1
MAX_REST_DAYS = 3


class Kind(StrEnum):
    INITIATION = "initiation"
    BOOSTER = "booster"


@dataclass(frozen=True)
class Place:
    """Where an infusion stands in the series."""

    number: int  # 1-based count of all infusions
    kind: Kind
    index: int  # 1-based within its kind

    @property
    def label(self) -> str:
        if self.kind is Kind.INITIATION:
            return f"{self.index} of {INITIATION_COUNT}"
        return f"booster {self.index}"

    @property
    def title(self) -> str:
        """``Infusion 2 of 6`` or ``Booster 1``."""
        if self.kind is Kind.INITIATION:
            return f"Infusion {self.index} of {INITIATION_COUNT}"
        return f"Booster {self.index}"

    @property
    def long_label(self) -> str:
        if self.kind is Kind.INITIATION:
            return f"Infusion {self.index} of {INITIATION_COUNT} in the initiation series"
        return f"Booster {self.index} (infusion {self.number} in all)"


def place(number: int) -> Place:
    """The place of the ``number``-th infusion (1-based)."""
    if number < 1:
        raise ValueError("infusion numbers start at 1")
    if number <= INITIATION_COUNT:
        return Place(number, Kind.INITIATION, number)
    return Place(number, Kind.BOOSTER, number - INITIATION_COUNT)


def rest_days(previous: date, following: date) -> int:
    """Whole calendar days with no infusion between two infusion days."""
    return (following - previous).days - 1


class Timing(StrEnum):
    FIRST = "first"  # nothing before it
    SOONER = "sooner"  # less rest than recommended
    WITHIN = "within"
    LATER = "later"  # more rest than recommended
    BOOSTER = "booster"  # no window: the clinic decides


@dataclass(frozen=True)
class Window:
    """The recommended days for the next infusion and how ``today`` sits in it."""

    place: Place
    last: date | None
    earliest: date | None
    latest: date | None
    timing: Timing
    days_since_last: int | None = None


def next_window(completed_days: list[date], today: date) -> Window:
    """The next infusion's place and recommended window, given the days of the
    infusions done so far (any order) and today's date."""
    days = sorted(completed_days)
    nxt = place(len(days) + 1)
    if not days:
        return Window(nxt, None, None, None, Timing.FIRST)
    last = days[-1]
    offset = (today - last).days
    if nxt.kind is Kind.BOOSTER:
        return Window(nxt, last, None, None, Timing.BOOSTER, offset)
    earliest = last + timedelta(days=MIN_REST_DAYS + 1)
    latest = last + timedelta(days=MAX_REST_DAYS + 1)
    if today < earliest:
        timing = Timing.SOONER
    elif today > latest:
        timing = Timing.LATER
    else:
        timing = Timing.WITHIN
    return Window(nxt, last, earliest, latest, timing, offset)


def gap_timing(previous: date | None, this: date, number: int) -> Timing:
    """How the rest before the ``number``-th infusion compares with the window."""
    if previous is None:
        return Timing.FIRST
    if place(number).kind is Kind.BOOSTER:
        return Timing.BOOSTER
    rest = rest_days(previous, this)
    if rest < MIN_REST_DAYS:
        return Timing.SOONER
    if rest > MAX_REST_DAYS:
        return Timing.LATER
    return Timing.WITHIN


# --- The therapy appointment after each infusion ------------------------------

#: How an appointment is stored: a day, or a day and a time.
APPOINTMENT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d")


def parse_appointment(value: str) -> str | None:
    """A therapy appointment as stored (``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``);
    None when it is not a date."""
    value = " ".join(value.split())
    for fmt in APPOINTMENT_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.strftime(fmt)
    return None


def appointment_time(stored: str) -> tuple[date, str] | None:
    """The day of a stored appointment and its time ("15:30", or "" without
    one); None when it is empty or not a date. Older records may carry an ISO
    ``T`` between the day and the time."""
    value = " ".join(stored.replace("T", " ").split())
    for fmt in APPOINTMENT_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.date(), (parsed.strftime("%H:%M") if " " in fmt else "")
    return None
