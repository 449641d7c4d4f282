"""Asking for passphrases: the current one, a new one twice, or both."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from companion.core import text


@dataclass(frozen=True)
class Passphrases:
    """What the patient typed: ``current`` and/or ``new`` (checked to match)."""

    current: str | None
    new: str | None


class PassphraseDialog(ModalScreen["Passphrases | None"]):
    """``ask_current`` for the passphrase in use, ``ask_new`` for a new one typed twice."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="passphrase.cancel")]

    def __init__(self, title: str, *, ask_current: bool, ask_new: bool, action: str) -> None:
        super().__init__()
        self.title_text = title
        self.ask_current = ask_current
        self.ask_new = ask_new
        self.action_label = action

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="passphrase-title")
            if self.ask_current:
                yield Input(password=True, placeholder="Current passphrase", id="current")
            if self.ask_new:
                yield Input(password=True, placeholder="New passphrase", id="new")
                yield Input(password=True, placeholder="The same passphrase again", id="again")
                yield Static(text.PRIVACY_FORGOTTEN, classes="quiet")
            yield Static("", id="passphrase-error", classes="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button(self.action_label, id="go", variant="primary")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _value(self, widget_id: str) -> str | None:
        found = self.query(f"#{widget_id}")
        return found.first(Input).value if found else None

    def _problem(self) -> str | None:
        from companion.store import crypto

        current, new, again = self._value("current"), self._value("new"), self._value("again")
        if self.ask_current and not current:
            return "Type the current passphrase."
        if self.ask_new:
            problem = crypto.passphrase_problem(new or "")
            if problem:
                return problem
            if new != again:
                return text.PRIVACY_MISMATCH
        return None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "go":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        problem = self._problem()
        if problem:
            self.query_one("#passphrase-error", Static).update(problem)
            return
        self.dismiss(Passphrases(self._value("current"), self._value("new")))

    def action_cancel(self) -> None:
        self.dismiss(None)
