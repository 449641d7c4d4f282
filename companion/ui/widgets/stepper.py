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
        line = self._line(short=False)
        if line.cell_len > self.size.width:  # a narrow terminal: only the current stage named
            line = self._line(short=True)
        return line

    def _line(self, short: bool) -> Text:
        line = Text(justify="center")
        # In the dark Experience the current stage is bold, not a bright block.
        current = "bold" if self.stage is Stage.EXPERIENCE else "reverse bold"
        for position, stage in enumerate(VISIBLE):
            if position:
                line.append(" › " if short else "  ›  ", style="dim")
            title = f" {stage.number}" if short else f" {stage.title}"
            if stage == self.stage:
                line.append(f" {stage.number} {stage.title} ", style=current)
            elif stage.number < self.stage.number:
                line.append(f"✓{title}", style="dim")
            else:
                line.append(f"{stage.number}" if short else f"{stage.number} {stage.title}")
        return line
