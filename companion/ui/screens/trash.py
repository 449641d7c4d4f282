"""The trash: entries moved out of the journal, voice recordings sent there
(F4) and infusions discarded before their Experience, ready to be restored."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion.core import text
from companion.core.models import Infusion, format_duration, opening
from companion.store.base import parse_time
from companion.store.journal import Entry
from companion.store.recordings import Recording
from companion.store.sessions import RestoreRefused
from companion.ui.widgets.footer import KeysFooter


def _head(title: str, deleted_at: datetime | None) -> Text:
    """A line's first row: its day (and more), then when it went to the trash."""
    head = Text(title, style="bold")
    if deleted_at is not None:
        head.append(f" · moved to the trash {deleted_at:%d %b %H:%M}", style="dim")
    return head


def _line(entry: Entry) -> Text:
    head = _head(f"{entry.date:%a %d %b %Y}", entry.deleted_at)
    return Text.assemble(head, "\n  ", opening(entry.text, 90) or "(empty)")


def _infusion_line(infusion: Infusion, intention: str) -> Text:
    """Like an entry: the day it was begun and its place, then what was written."""
    head = _head(f"{infusion.created_at:%a %d %b %Y} · {infusion.place.title}", infusion.deleted_at)
    said = opening(intention, 60)
    written = (text.TRASH_INFUSION_INTENTION.format(text=said) if said
               else text.TRASH_INFUSION_NOTHING)
    return Text.assemble(head, "\n  ", text.TRASH_INFUSION.format(stage=infusion.stage.title,
                                                                  written=written))


def _voice_line(recording: Recording, page: str, moment_at: float | None) -> Text:
    """Like an entry: the day it was made, then what it goes with."""
    made = parse_time(recording.created_at)
    head = _head(f"{made:%a %d %b %Y}" if made else "", recording.deleted_at)
    words = opening(page, 50)
    if moment_at is not None:
        with_what = text.TRASH_VOICE_MOMENT.format(at=format_duration(moment_at, clock=True))
    elif words:
        with_what = text.TRASH_VOICE_PAGE.format(words=words)
    else:
        with_what = text.TRASH_VOICE_ALONE
    return Text.assemble(head, "\n  ", text.TRASH_VOICE.format(
        length=format_duration(recording.seconds), with_what=with_what))


class TrashScreen(Screen[None]):
    """Nothing here is ever deleted for good: r (or Enter) puts an entry back."""

    BINDINGS = [
        Binding("r", "restore", "Restore", id="trash.restore"),
        Binding("escape", "back", "Back", id="trash.back"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="trash"):
            yield Static("Trash", classes="section")
            yield Static(text.TRASH_INTRO, id="trash-intro", classes="quiet")
            yield OptionList(id="trash-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#trash-list", OptionList).focus()

    def _fill(self) -> None:
        store = self.app.store
        options = [
            Option(_infusion_line(i, self._intention(i.id)), id=f"infusion:{i.id}")
            for i in store.sessions.discarded()
        ] + [Option(_line(e), id=f"entry:{e.id}") for e in store.journal.trashed()] + [
            Option(_voice_line(r, page, at), id=f"recording:{r.id}")
            for r, page, at in store.recordings.trashed()
        ]
        listing = self.query_one("#trash-list", OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0
        self.query_one("#trash-intro", Static).update(
            text.TRASH_INTRO if options else text.TRASH_EMPTY
        )
        self.refresh_bindings()

    def _intention(self, infusion_id: int) -> str:
        """The intention written for a discarded infusion (in the trash with it)."""
        found = [e for e in self.app.store.journal.trashed_with(infusion_id) if e.kind == "intention"]
        return found[0].text if found else ""

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
        kind, _, number = (option.id or "").partition(":")
        if kind == "infusion":
            try:
                infusion = self.app.store.sessions.restore(int(number))
            except RestoreRefused as refused:
                self.app.notify(str(refused), severity="warning", timeout=10)
                return
            self.app.notify(text.TRASH_INFUSION_RESTORED.format(
                place=infusion.place.title, stage=infusion.stage.title))
        elif kind == "recording":
            self.app.store.recordings.restore(int(number))
            self.app.notify(text.TRASH_VOICE_RESTORED)
        else:
            self.app.store.journal.restore(int(number))
            self.app.notify(text.JOURNAL_RESTORED)
        self._fill()

    def action_back(self) -> None:
        self.dismiss(None)
