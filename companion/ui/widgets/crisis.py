"""The crisis contacts, one line at the bottom of every screen where the
patient writes or reflects; F2 (or a click on the line) shows them in full."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from companion.core import text


def crisis_line(contacts: str) -> str:
    """The one line shown at the bottom: the default's short line, or the first
    line of the clinic's own contacts."""
    if contacts.strip() == text.DEFAULT_CRISIS_CONTACTS or not contacts.strip():
        return text.CRISIS_LINE_DEFAULT
    return next(line.strip() for line in contacts.splitlines() if line.strip())


class CrisisLine(Horizontal):
    """Quiet on purpose: muted colours, never shown during the Experience."""

    def compose(self) -> ComposeResult:
        yield Static(crisis_line(self.app.settings.crisis_contacts), markup=False,
                     classes="crisis-text")
        yield Static(text.CRISIS_KEY_HINT, classes="crisis-key")

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.app.run_action("crisis")
