"""The four stages of every infusion and the rules for moving between them."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    PREPARATION = "preparation"
    INTENTION = "intention"
    EXPERIENCE = "experience"
    INTEGRATION = "integration"
    COMPLETE = "complete"

    @property
    def number(self) -> int:
        """1 to 4 for the stages the patient sees; 5 once the infusion is complete."""
        return ORDER.index(self) + 1

    @property
    def title(self) -> str:
        return self.value.capitalize()


ORDER: tuple[Stage, ...] = (
    Stage.PREPARATION,
    Stage.INTENTION,
    Stage.EXPERIENCE,
    Stage.INTEGRATION,
    Stage.COMPLETE,
)

#: The stages shown on the stepper.
VISIBLE: tuple[Stage, ...] = ORDER[:4]


class StageError(ValueError):
    """A move between stages that the protocol does not allow."""


def next_stage(stage: Stage) -> Stage:
    """The stage after ``stage``; moving on is always allowed until the end."""
    if stage is Stage.COMPLETE:
        raise StageError("This infusion is already complete.")
    return ORDER[ORDER.index(stage) + 1]


def can_go_back(stage: Stage) -> bool:
    """Moving back is possible until the Experience starts, never after."""
    return stage is Stage.INTENTION


def previous_stage(stage: Stage) -> Stage:
    if not can_go_back(stage):
        raise StageError(f"There is no going back from {stage.title}.")
    return ORDER[ORDER.index(stage) - 1]


def parse_stage(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise StageError(f"Unknown stage {value!r}.") from None
