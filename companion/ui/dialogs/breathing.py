"""One minute of paced breathing: a bar that slowly grows and shrinks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from companion.core import text


def breath_phase(elapsed: float) -> tuple[str, float]:
    """The instruction and how full the lungs are (0 to 1) at ``elapsed`` seconds."""
    inhale, exhale = text.BREATHING_PACE
    t = elapsed % (inhale + exhale)
    if t < inhale:
        return text.BREATHING_IN, t / inhale
    return text.BREATHING_OUT, 1.0 - (t - inhale) / exhale


class BreathingDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close", id="breathing.close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(text.BREATHING_TITLE, id="title")
            yield Static(text.BREATHING_IN, id="cue")
            yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="lungs")
            yield Static("", id="left")

    def on_mount(self) -> None:
        self._elapsed = 0.0
        self._timer = self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        self._elapsed += 0.1
        if self._elapsed >= text.BREATHING_SECONDS:
            self._timer.stop()
            self.query_one("#cue", Static).update(text.BREATHING_DONE)
            self.query_one("#left", Static).update("")
            return
        cue, fullness = breath_phase(self._elapsed)
        self.query_one("#cue", Static).update(cue)
        self.query_one("#lungs", ProgressBar).update(progress=round(fullness * 100))
        self.query_one("#left", Static).update(
            f"{int(text.BREATHING_SECONDS - self._elapsed)} s left · Escape to stop"
        )

    def action_close(self) -> None:
        self.dismiss(None)
