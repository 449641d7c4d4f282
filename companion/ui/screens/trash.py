"""The trash: entries moved out of the journal, ready to be restored."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from companion.core import text
from companion.store.journal import Entry


def _line(entry: Entry) -> Text:
    flat = " ".join(entry.text.split())
    opening = flat if len(flat) <= 90 else flat[:89] + "…"
    when = entry.deleted_at
    head = Text(f"{entry.date:%a %d %b %Y}", style="bold")
    if when is not None:
        head.append(f" · moved to the trash {when:%d %b %H:%M}", style="dim")
    return Text.assemble(head, "\n  ", opening or "(empty)")


class TrashScreen(Screen[None]):
    """Nothing here is ever deleted for good: r (or Enter) puts an entry back."""

    BINDINGS = [
        Binding("r", "restore", "Restore", id="trash.restore"),
        Binding("escape", "back", "Back", id="trash.back"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="trash"):
            yield Static("Trash", classes="section")
            yield Static("Entries you moved out of the journal. Enter or r restores one.",
                         id="trash-intro", classes="quiet")
            yield OptionList(id="trash-list")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#trash-list", OptionList).focus()

    def _fill(self) -> None:
        entries = self.app.store.journal.trash()
        listing = self.query_one("#trash-list", OptionList)
        listing.set_options(Option(_line(e), id=str(e.id)) for e in entries)
        if entries:
            listing.highlighted = 0
        self.query_one("#trash-intro", Static).update(
            "Entries you moved out of the journal. Enter or r restores one."
            if entries else "The trash is empty."
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore" and self.is_mounted:
            return self.query_one("#trash-list", OptionList).highlighted_option is not None
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        option = self.query_one("#trash-list", OptionList).highlighted_option
        if option is None:
            return
        self.app.store.journal.restore(int(option.id or 0))
        self.app.notify(text.JOURNAL_RESTORED)
        self._fill()

    def action_back(self) -> None:
        self.dismiss(None)
