"""The therapy appointment after an infusion, typed as a date (and a time)."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from companion.core import text
from companion.core.series import parse_appointment


class AppointmentDialog(ModalScreen[str | None]):
    """Dismisses with the appointment as stored ("" clears it), or None when
    the patient leaves with Escape."""

    BINDINGS = [Binding("escape", "cancel", "Leave as it was", id="appointment.cancel")]

    def __init__(self, title: str, current: str = "", example_day: date | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.current = current
        # A week from today unless told: the example reads as a date near now.
        self.example_day = (example_day or date.today()).isoformat()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="appointment-title")
            yield Static(text.THERAPY_DIALOG_NOTE, classes="quiet")
            yield Static(text.THERAPY_DATE_PROMPT, classes="quiet")
            yield Input(self.current, placeholder=text.THERAPY_DATE_EXAMPLE.format(day=self.example_day), id="appointment")
            yield Static("", id="appointment-error", classes="error")
            yield Static(text.THERAPY_DIALOG_HINT, classes="quiet")

    def on_mount(self) -> None:
        self.query_one("#appointment", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#appointment-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        if not raw:
            self.dismiss("")
            return
        parsed = parse_appointment(raw)
        if parsed is None:
            self.query_one("#appointment-error", Static).update(
                text.THERAPY_DATE_INVALID.format(day=self.example_day))
            return
        self.dismiss(parsed)

    def action_cancel(self) -> None:
        self.dismiss(None)
