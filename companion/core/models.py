"""Plain data shared by the layers: records of an infusion and text rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from companion.core.series import Place, place
from companion.core.stages import Stage

RATING_MIN = 0
RATING_MAX = 10

# C0 and C1 control characters other than tab and newline, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Text as it is stored: newlines normalised, control characters removed.

    Everything else of Unicode is kept as typed.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def opening(value: str, width: int) -> str:
    """A text on one line, cut to ``width`` characters with "…" when longer."""
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def has_control_characters(value: str) -> bool:
    """The text holds what ``clean_text`` removes or changes (a control
    character, a carriage return): never stored by the app itself."""
    return clean_text(value) != value


def check_rating(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(f"A rating is a whole number from {RATING_MIN} to {RATING_MAX}.")
    return value


@dataclass
class Ratings:
    pain: int | None = None
    mood: int | None = None
    anxiety: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {"pain": self.pain, "mood": self.mood, "anxiety": self.anxiety}


@dataclass
class Infusion:
    id: int
    number: int
    stage: Stage
    created_at: datetime
    position: float = 0.0
    playlist: str = "default"
    checklist: dict[str, bool] = field(default_factory=dict)
    side_effects: dict[str, bool] = field(default_factory=dict)
    side_effects_other: str = ""
    therapy_at: str = ""
    experience_started_at: datetime | None = None
    experience_ended_at: datetime | None = None
    ended_early: bool = False
    completed_at: datetime | None = None
    deleted_at: datetime | None = None
    """Set while the infusion is in the trash (discarded before the Experience)."""
    urinary_told_at: datetime | None = None
    """When the patient marked that they told their clinic about urinary symptoms."""

    @property
    def place(self) -> Place:
        return place(self.number)

    @property
    def day(self) -> date:
        when = self.experience_started_at or self.created_at
        return when.date()

    @property
    def urinary(self) -> bool:
        """Urinary symptoms were ticked among the side effects."""
        return bool(self.side_effects.get("urinary"))


@dataclass
class Moment:
    id: int
    infusion_id: int
    position: float
    track: str
    phase: str
    created_at: datetime
    note: str = ""


def join_numbers(numbers: list[int]) -> str:
    """1, 2 and 4: infusion numbers as a sentence says them."""
    shown = [str(n) for n in numbers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def format_duration(seconds: float, *, clock: bool = False) -> str:
    """A length or a position in minutes and seconds: the one way the app writes them.

    ``clock``: as the Experience's clock shows it, minutes and seconds gone by
    (07:05, 85:00). Otherwise rounded to the second, with hours when there are
    any (4:05, 1:25:00).
    """
    if clock:
        whole = max(0, int(seconds))
        return f"{whole // 60:02d}:{whole % 60:02d}"
    whole = int(round(max(0.0, seconds)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
