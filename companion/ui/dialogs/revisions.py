"""Earlier versions of an entry: pick one to bring it back."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion.core.models import opening


class RevisionsDialog(ModalScreen[str | None]):
    """Dismisses with the chosen earlier text, or None."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="revisions.close")]

    def __init__(self, revisions: list[tuple[datetime, str]]) -> None:
        super().__init__()
        self.revisions = list(reversed(revisions))  # newest first

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Earlier versions", classes="section")
            if not self.revisions:
                yield Static("There are no earlier versions of this entry yet.", classes="quiet")
            else:
                yield Static("Enter brings one back; the current text is kept as a version too.",
                             classes="quiet")
                yield OptionList(
                    *[
                        Option(Text.assemble((f"{when:%a %d %b %H:%M}  ", "bold"), opening(body, 70)),
                               id=str(n))
                        for n, (when, body) in enumerate(self.revisions)
                    ],
                    id="revision-list",
                )
            yield Static("Escape closes.", classes="quiet")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.revisions[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
