"""Where the patient is: Preparation > Intention > Experience > Integration."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from companion.core.stages import VISIBLE, Stage


class StageStepper(Widget):
    stage: reactive[Stage] = reactive(Stage.PREPARATION)
    """The stage shown as current; earlier ones are shown as done."""

    def render(self) -> Text:
        line = Text(justify="center")
        for position, stage in enumerate(VISIBLE):
            if position:
                line.append("  ›  ", style="dim")
            if stage == self.stage:
                line.append(f" {stage.number} {stage.title} ", style="reverse bold")
            elif stage.number < self.stage.number:
                line.append(f"✓ {stage.title}", style="dim")
            else:
                line.append(f"{stage.number} {stage.title}")
        return line
