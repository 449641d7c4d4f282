"""The keys of the screen underneath, in one list (? or F1 on every screen)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from companion.core import text


def screen_keys(app: App, screen: Screen) -> list[tuple[str, str]]:
    """(key, what it does) for every key the screen answers now: the screen's
    and the app's own, and the keys its focused widget shows in the footer
    (the number keys of a rating are summed up by its own hint line)."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        action = binding.action.rsplit(".", 1)[-1]  # app.quit and quit are one
        if not active.enabled or not binding.description or action in _LEFT_OUT:
            continue
        if not (binding.show or isinstance(active.node, (Screen, App))):
            continue
        if action in seen:
            continue
        seen.add(action)
        rows.append((app.get_key_display(binding), _NAMES.get(action, binding.description)))
    return rows


#: Textual's own keys that mean nothing to a patient here.
_LEFT_OUT = {"copy_text", "maximize", "minimize"}
#: Textual's own keys, named in this app's words.
_NAMES = {
    "command_palette": text.KEYS_PALETTE,
    "focus_next": text.KEYS_FOCUS_NEXT,
    "focus_previous": text.KEYS_FOCUS_PREVIOUS,
}


class KeysDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,f1,question_mark", "close", "Close", id="keys.close")]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self.rows), default=1)
        lines = "\n".join(f"{key.rjust(width)}  {what}" for key, what in self.rows)
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="keys-title", markup=False)
            with VerticalScroll(id="keys-list"):
                yield Static(lines, id="keys-rows", markup=False)
            yield Static(text.KEYS_CLOSE, classes="quiet")

    def action_close(self) -> None:
        self.dismiss(None)
