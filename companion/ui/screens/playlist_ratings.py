"""How each track felt, gathered across the infusions: to make the next
playlist better, with the clinic."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from companion.core import text
from companion.ui.widgets.footer import KeysFooter


class PlaylistRatingsScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back", id="tracks.back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="playlist-ratings"):
            yield Static(text.PLAYLIST_RATINGS_TITLE, classes="section")
            yield Static(text.PLAYLIST_RATINGS_NOTE, classes="quiet")
            yield Static("", id="tracks-empty", classes="quiet")
            yield DataTable(id="tracks-table", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        summary = self.app.store.journal.track_summary()
        table = self.query_one("#tracks-table", DataTable)
        table.add_columns("Track", *text.TRACK_RATINGS.values(), "Rated in infusions")
        for row in summary:
            table.add_row(
                row.track,
                *[str(row.counts.get(key, 0) or "") for key in text.TRACK_RATINGS],
                ", ".join(str(n) for n in row.infusions),
                key=row.track,
            )
        table.display = bool(summary)
        self.query_one("#tracks-empty", Static).update("" if summary else text.PLAYLIST_RATINGS_EMPTY)
        table.focus()

    def action_back(self) -> None:
        self.dismiss(None)
