"""Privacy: encrypt the journal, change the passphrase or turn it off, the
system keyring, and when the app locks itself."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Select, Static

from companion import settings as settings_file
from companion.core import text
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.dialogs.passphrase import PassphraseDialog, Passphrases
from companion.ui.widgets.footer import KeysFooter

LOCK_CHOICES: tuple[tuple[str, int], ...] = (
    ("Never", 0), ("after 5 minutes", 5), ("after 10 minutes", 10), ("after 15 minutes", 15),
    ("after 30 minutes", 30), ("after 1 hour", 60),
)


class PrivacyScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="privacy.back"),
        Binding("ctrl+l", "lock", "Lock now", id="privacy.lock"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        """A change is being written: every control waits."""

    def compose(self) -> ComposeResult:
        settings = self.app.settings
        minutes = settings.idle_lock_minutes
        choices = list(LOCK_CHOICES)
        if minutes not in {m for _, m in choices}:
            choices.append((f"after {minutes} minutes", minutes))
        with VerticalScroll(id="privacy"):
            yield Static(text.PRIVACY_TITLE, id="privacy-title")
            yield Static("", id="privacy-status")
            with Horizontal(id="privacy-actions"):
                yield Button("Encrypt the journal", id="encrypt", variant="primary")
                yield Button("Change passphrase", id="change")
                yield Button("Turn encryption off", id="decrypt")
                yield Button("Lock now", id="lock-now")
            yield Static("", id="privacy-working", classes="quiet")
            yield Checkbox("Keep the passphrase in the system keyring", settings.use_keyring,
                           id="keyring")
            with Vertical(id="privacy-lock-row"):
                yield Static("Lock the app when idle (never during the infusion):", classes="section")
                yield Select(choices, value=minutes, allow_blank=False, id="idle")
            yield Static(text.PRIVACY_PROTECTED, id="privacy-protected", classes="quiet")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_status()

    # --- state -------------------------------------------------------------

    @property
    def database(self) -> Any:
        return self.app.paths.database if self.app.paths is not None else None

    def encrypted(self) -> bool:

        return self.app.store.encrypted

    def refresh_status(self) -> None:
        on = self.encrypted()
        self.query_one("#privacy-status", Static).update(text.PRIVACY_ON if on else text.PRIVACY_OFF)
        usable = self.database is not None and not self.busy
        self.query_one("#encrypt", Button).display = not on
        self.query_one("#change", Button).display = on
        self.query_one("#decrypt", Button).display = on
        self.query_one("#lock-now", Button).display = on
        for widget_id in ("#encrypt", "#change", "#decrypt", "#lock-now", "#keyring", "#idle"):
            self.query_one(widget_id).disabled = not usable
        self.query_one("#keyring", Checkbox).disabled = not usable or not on
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lock":
            return self.encrypted() and not self.busy
        if action == "back":
            return not self.busy
        return True

    def _save(self, **changes: Any) -> None:
        app = self.app
        app.settings = replace(app.settings, **changes)
        if app.paths is not None:
            try:
                app.paths.ensure()
                settings_file.save(app.settings, app.paths.settings)
            except OSError:
                self.notify("The setting could not be saved for next time.", severity="warning")

    # --- controls ------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "encrypt":
            self.app.push_screen(
                PassphraseDialog("Encrypt the journal", ask_current=False, ask_new=True,
                                 action="Encrypt"),
                lambda typed: self._start("encrypt", typed),
            )
        elif button == "change":
            self.app.push_screen(
                PassphraseDialog("Change the passphrase", ask_current=True, ask_new=True,
                                 action="Change"),
                lambda typed: self._start("change", typed),
            )
        elif button == "decrypt":
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.app.push_screen(
                        PassphraseDialog("Turn encryption off", ask_current=True, ask_new=False,
                                         action="Turn off"),
                        lambda typed: self._start("decrypt", typed),
                    )

            self.app.push_screen(ConfirmDialog(text.PRIVACY_DECRYPT_CONFIRM, yes="Turn off"), confirmed)
        elif button == "lock-now":
            self.action_lock()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        from companion.store import crypto

        if event.value == self.app.settings.use_keyring or self.database is None:
            return
        try:
            if event.value:
                passphrase = crypto.known(self.database)
                if passphrase is None:
                    raise crypto.PrivacyError(text.PRIVACY_NOT_ENCRYPTED)
                crypto.keyring_set(self.database, passphrase)
            else:
                crypto.keyring_delete(self.database)
        except crypto.PrivacyError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            with event.checkbox.prevent(Checkbox.Changed):
                event.checkbox.value = not event.value
            return
        self._save(use_keyring=event.value)
        self.notify(text.PRIVACY_KEYRING_ON if event.value else text.PRIVACY_KEYRING_OFF)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int) and event.value != self.app.settings.idle_lock_minutes:
            self._save(idle_lock_minutes=event.value)

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_lock(self) -> None:
        self.app.idle_lock.lock()

    # --- the change itself ---------------------------------------------------

    def _start(self, kind: str, typed: Passphrases | None) -> None:
        if typed is None or self.database is None or self.busy:
            return
        app = self.app
        app.autosave.flush()
        if app.autosave.pending:
            self.notify(text.PRIVACY_FAILED.format(reason="unsaved text could not be written first"),
                        severity="error", timeout=10)
            return
        self.busy = True
        self.query_one("#privacy-working", Static).update(
            {"encrypt": "Encrypting the journal…", "change": "Changing the passphrase…",
             "decrypt": "Turning encryption off…"}[kind]
        )
        self.refresh_status()
        app.store.close()  # the change needs the journal to itself
        self._convert(kind, self.database, typed.current, typed.new)

    @work(thread=True, exclusive=True, group="privacy")
    def _convert(self, kind: str, database: Any, current: str | None, new: str | None) -> None:
        """Runs in a thread: the change opens its own connections."""
        from companion.store import crypto

        error: str | None = None
        try:
            if kind == "encrypt":
                crypto.encrypt(database, new or "")
            elif kind == "change":
                crypto.change(database, current or "", new or "")
            else:
                crypto.decrypt(database, current or "")
        except crypto.PrivacyError as exc:
            error = str(exc)
        except Exception as exc:  # the journal is as it was; say why
            error = text.PRIVACY_FAILED.format(reason=exc)
        self.app.call_from_thread(self._finished, kind, error, new)

    def _finished(self, kind: str, error: str | None, new: str | None) -> None:
        from companion.store import crypto
        from companion.store.db import StoreError

        app = self.app
        try:
            app.store.reopen()
        except StoreError as exc:
            self.busy = False
            app.notify(str(exc), severity="error", timeout=30)
            return
        self.busy = False
        self.query_one("#privacy-working", Static).update("")
        if error:
            self.notify(error, severity="error", timeout=15)
        else:
            done = {"encrypt": text.PRIVACY_ENCRYPTED_DONE, "change": text.PRIVACY_CHANGED_DONE,
                    "decrypt": text.PRIVACY_DECRYPTED_DONE}[kind]
            self.notify(done, timeout=8)
            try:
                if kind == "decrypt":
                    crypto.keyring_delete(self.database)
                    if app.settings.use_keyring:
                        self._save(use_keyring=False)
                        with self.query_one("#keyring", Checkbox).prevent(Checkbox.Changed):
                            self.query_one("#keyring", Checkbox).value = False
                elif app.settings.use_keyring and new is not None:
                    crypto.keyring_set(self.database, new)
            except crypto.PrivacyError as exc:
                self.notify(str(exc), severity="warning", timeout=10)
        self.refresh_status()
