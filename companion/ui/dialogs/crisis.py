"""The crisis contacts in full, over any screen (F2)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from companion.core import text


class CrisisDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close", id="crisis.close")]

    def __init__(self, contacts: str) -> None:
        super().__init__()
        self.contacts = contacts.strip() or text.DEFAULT_CRISIS_CONTACTS

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(text.CRISIS_TITLE, id="crisis-title")
            yield Static(self.contacts, id="crisis-contacts", markup=False)
            yield Static(text.NOT_MONITORED, id="crisis-not-monitored", classes="quiet")
            yield Static(text.CRISIS_CLOSE, classes="quiet")

    def action_close(self) -> None:
        self.dismiss(None)
