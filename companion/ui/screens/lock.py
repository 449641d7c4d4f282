"""The lock: an encrypted journal hidden behind its passphrase after an idle
time, never during the infusion.

``IdleLock`` watches the keys and the mouse (on the app's clock, so tests use
the FakeClock) and pushes ``LockScreen`` when the patient has been away for
``settings.idle_lock_minutes``. The lock screen covers everything (it is a
full screen, not a dialog over the page) and goes away only with the
passphrase. While locked the passphrase is forgotten by this process; the
open database connection stays as it is, so nothing typed before is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from companion.core import text

if TYPE_CHECKING:
    from companion.store.crypto import Verifier
    from companion.ui.app import CompanionApp

CHECK_EVERY_S = 15.0
"""How often the idle time is looked at."""

_INPUT_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                 events.Paste)


class LockScreen(Screen[None]):
    """The whole window hidden until the passphrase is typed."""

    AUTO_FOCUS = "#lock-passphrase"

    def compose(self) -> ComposeResult:
        with Vertical(id="lock"):
            yield Static(text.PRIVACY_LOCK_TITLE, id="lock-title")
            yield Static(text.PRIVACY_LOCK_PROMPT, id="lock-prompt")
            yield Input(password=True, placeholder="Passphrase", id="lock-passphrase")
            yield Static("", id="lock-error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        from companion.store import crypto

        app: CompanionApp = self.app  # type: ignore[assignment]
        box = self.query_one("#lock-passphrase", Input)
        value = box.value
        box.value = ""
        if app.paths is None or not value:
            return
        try:
            crypto.unlock_held(app.paths.database, value, app.idle_lock.verifier)
        except crypto.WrongPassphrase:
            self.query_one("#lock-error", Static).update(text.PRIVACY_WRONG)
            return
        except crypto.PrivacyError as exc:
            self.query_one("#lock-error", Static).update(str(exc))
            return
        except Exception as exc:  # never a crash report here: the passphrase is a local
            reason = type(exc).__name__
            self.query_one("#lock-error", Static).update(text.PRIVACY_UNLOCK_FAILED.format(reason=reason))
            return
        app.idle_lock.unlocked()
        self.dismiss(None)


class IdleLock:
    """When to lock: idle long enough, the journal encrypted, not in Experience."""

    def __init__(self, app: "CompanionApp") -> None:
        self.app = app
        self.last_input = app.clock.monotonic()
        self.locked = False
        self.verifier: "Verifier | None" = None
        """What the passphrase typed on the lock screen must match (taken at lock)."""

    def start(self) -> None:
        self.app.set_interval(CHECK_EVERY_S, self.check)

    def touch(self, event: events.Event) -> None:
        if isinstance(event, _INPUT_EVENTS):
            self.last_input = self.app.clock.monotonic()

    def encrypted(self) -> bool:

        return self.app.paths is not None and self.app.store.encrypted

    def in_experience(self) -> bool:
        """The infusion: the Experience stage is on a screen of the stack (the
        music plays only there)."""
        from companion.core.stages import Stage
        from companion.ui.screens.session import SessionScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, SessionScreen):
                try:
                    if screen.stage is Stage.EXPERIENCE:
                        return True
                except Exception:
                    return True  # not sure: never lock
        return False

    def can_lock(self) -> bool:
        return not self.locked and self.encrypted() and not self.in_experience()

    def check(self) -> None:
        """Lock when the patient has been away long enough (called on a timer)."""
        minutes = self.app.settings.idle_lock_minutes
        if minutes <= 0 or not self.can_lock():
            return
        if self.app.clock.monotonic() - self.last_input >= minutes * 60:
            self.lock()

    def lock(self) -> bool:
        """Hide everything behind the passphrase now; False when it cannot be locked."""
        from companion.store import crypto

        if not self.can_lock():
            return False
        self.app.autosave.flush()
        self.locked = True
        assert self.app.paths is not None
        self.verifier = crypto.verifier_for(self.app.paths.database)
        crypto.forget(self.app.paths.database)
        self.app.push_screen(LockScreen())
        return True

    def unlocked(self) -> None:
        self.locked = False
        self.verifier = None
        self.last_input = self.app.clock.monotonic()
