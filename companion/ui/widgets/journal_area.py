"""The text box for the patient's own words."""

from __future__ import annotations

from textual.widgets import TextArea


class JournalArea(TextArea):
    """A soft-wrapping TextArea whose cursor starts after the last character.

    A page opened again (a resumed intention, an answer in Integration, a
    journal entry) continues where the patient stopped: what they type next
    is added at the end, not in front of the first word.
    """

    def on_mount(self) -> None:
        self.move_cursor(self.document.end)
