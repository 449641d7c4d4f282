"""The journal: every entry by date and infusion, full-text search with
highlighted snippets, filters by tag, infusion and privacy."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from companion.core import journaling, text
from companion.core.models import format_duration
from companion.store.journal import MARK_CLOSE, MARK_OPEN, NO_INFUSION, Hit
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.widgets.footer import KeysFooter

#: Entries shown at once; search or a filter finds the others.
SHOWN = 200
#: Wait this long after the last key before searching.
SEARCH_DELAY_S = 0.15

_KINDS = {"intention": "Intention", "integration": "After the infusion", "note": ""}


def highlighted(snippet: str) -> Text:
    """A snippet with the matched words highlighted (no colour of our own: the
    reverse of the theme's)."""
    line = Text()
    rest = snippet
    while MARK_OPEN in rest:
        before, _, rest = rest.partition(MARK_OPEN)
        word, _, rest = rest.partition(MARK_CLOSE)
        line.append(before)
        line.append(word, style="bold reverse")
    line.append(rest)
    return line


def describe(hit: Hit, voice: float | None = None) -> Text:
    """Two lines for the list: the day, infusion, prompt, tags, a voice
    recording's length; then the snippet."""
    entry = hit.entry
    head = Text(f"{entry.date:%a %d %b %Y}", style="bold")
    if entry.infusion_number is not None:
        head.append(f" · Infusion {entry.infusion_number}")
    kind = _KINDS.get(entry.kind, "")
    prompt = journaling.prompt_text(entry.prompt)
    if kind or prompt:
        head.append(" · " + ": ".join(p for p in (kind, prompt) if p), style="italic")
    if entry.tags:
        head.append("  " + " ".join(f"#{t}" for t in entry.tags), style="dim")
    if entry.private:
        head.append("  [private]", style="dim")
    if voice:
        head.append(text.JOURNAL_VOICE_MARK.format(length=format_duration(voice)), style="bold")
    return Text.assemble(head, "\n  ", highlighted(hit.snippet))


class JournalScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "new", "New page", id="journal.new"),
        Binding("slash", "find", "Search", id="journal.search"),
        Binding("d", "delete", "To trash", id="journal.delete"),
        Binding("i", "infusion", "Infusion's journal", id="journal.infusion"),
        Binding("t", "trash", "Trash", id="journal.trash"),
        Binding("r", "tracks", "Tracks", id="journal.tracks"),
        Binding("c", "checkin", "Check-in", id="journal.checkin"),
        Binding("escape", "back", "Back", id="journal.back"),
    ]

    @dataclass
    class Searched(Message):
        """The list shows new results (for whoever waits on them)."""

        count: int

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="journal"):
            yield Static(text.JOURNAL_TITLE, id="journal-title", classes="section")
            with Horizontal(id="journal-filters"):
                yield Input(placeholder="Search your journal (/)", id="journal-search")
                yield Select[str]([], prompt="All tags", id="journal-tag")
                yield Select[int]([], prompt="All infusions", id="journal-infusion")
                yield Select[str](
                    [("Private only", "private"), ("Shareable only", "shared")],
                    prompt="Private or not", id="journal-private",
                )
            yield Static("", id="journal-count", classes="quiet")
            yield OptionList(id="journal-list")
            yield Static(
                f"{text.NOT_MONITORED} {self.app.settings.crisis_contacts}",
                id="journal-safety", classes="safety", markup=False,
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        self._fill_filters()
        self.refresh_results()
        self.query_one("#journal-list", OptionList).focus()

    def on_screen_resume(self) -> None:
        self._fill_filters()
        self.refresh_results()

    # --- filters and results ---------------------------------------------------

    def _fill_filters(self) -> None:
        store = self.app.store
        tag = self.query_one("#journal-tag", Select)
        chosen_tag = tag.value
        tag_options = [(f"#{name} ({count})", name) for name, count in store.journal.tags()]
        tag.set_options(tag_options)
        if chosen_tag in {v for _, v in tag_options}:
            tag.value = chosen_tag
        infusion = self.query_one("#journal-infusion", Select)
        chosen_infusion = infusion.value
        infusion_options = [
            (f"Infusion {i.number} ({i.day:%d %b})", i.id) for i in store.sessions.all()
        ] + [("Between infusions (not linked)", NO_INFUSION)]
        infusion.set_options(infusion_options)
        if chosen_infusion in {v for _, v in infusion_options}:
            infusion.value = chosen_infusion

    def _filters(self) -> dict[str, object]:
        tag = self.query_one("#journal-tag", Select).value
        infusion = self.query_one("#journal-infusion", Select).value
        private = self.query_one("#journal-private", Select).value
        return {
            "tag": tag if isinstance(tag, str) else None,
            "infusion_id": infusion if isinstance(infusion, int) else None,
            "private": {"private": True, "shared": False}.get(private)  # type: ignore[arg-type]
            if isinstance(private, str) else None,
        }

    def refresh_results(self, keep: int | None = None) -> None:
        """Run the search and show it; ``keep`` highlights that entry again."""
        journal = self.app.store.journal
        words = self.query_one("#journal-search", Input).value
        filters = self._filters()
        listing = self.query_one("#journal-list", OptionList)
        if keep is None and listing.highlighted_option is not None:
            keep = int(listing.highlighted_option.id or 0)
        self.hits = journal.search(words, limit=SHOWN, **filters)  # type: ignore[arg-type]
        voices = self.app.store.recordings.seconds_by_entry()
        listing.set_options(Option(describe(hit, voices.get(hit.entry.id)), id=str(hit.entry.id))
                            for hit in self.hits)
        if self.hits:
            ids = [hit.entry.id for hit in self.hits]
            listing.highlighted = ids.index(keep) if keep in ids else 0
        self.query_one("#journal-count", Static).update(self._count_line(words, filters))
        self.refresh_bindings()
        self.post_message(self.Searched(len(self.hits)))

    def _count_line(self, words: str, filters: dict[str, object]) -> str:
        if journaling.fts_query(words) is not None:
            if not self.hits:
                return text.JOURNAL_NO_MATCH
            if len(self.hits) < SHOWN:
                return f"{len(self.hits)} found, newest first."
            return f"The newest {SHOWN} found. Add a word or a filter to narrow them."
        total = self.app.store.journal.count(**filters)  # type: ignore[arg-type]
        if total == 0:
            filtered = any(v is not None for v in filters.values())
            return text.JOURNAL_NO_MATCH if filtered else text.JOURNAL_EMPTY
        if total > len(self.hits):
            return (f"The latest {len(self.hits)} of {total:,} entries, newest first. "
                    "Search or filter to find the others.")
        return f"{total} {'entry' if total == 1 else 'entries'}, newest first."

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY_S, self.refresh_results)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.refresh_results()
        self.query_one("#journal-list", OptionList).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.refresh_results()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(int(event.option.id or 0))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.refresh_bindings()

    # --- actions -------------------------------------------------------------

    def _selected(self) -> Hit | None:
        option = self.query_one("#journal-list", OptionList).highlighted_option
        if option is None:
            return None
        wanted = int(option.id or 0)
        return next((h for h in self.hits if h.entry.id == wanted), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        typing = isinstance(self.focused, Input)
        if typing and action in ("new", "find", "delete", "infusion", "trash", "tracks", "checkin"):
            return False  # the letters go into the search box
        if action == "delete":
            return self._selected() is not None
        if action == "infusion":
            hit = self._selected()
            return hit is not None and hit.entry.infusion_id is not None
        return True

    def _open(self, entry_id: int | None) -> None:
        from companion.ui.screens.entry import EntryScreen

        def closed(kept: int | None) -> None:
            self.refresh_results(keep=kept)

        hit = next((h for h in self.hits if h.entry.id == entry_id), None)
        if hit is not None and hit.entry.damaged:  # nothing to show or edit: say why
            self.app.notify(text.DAMAGED_ENTRY_NOT_EDITED.format(id=entry_id),
                            severity="warning", timeout=10)
            return
        self.app.push_screen(EntryScreen(entry_id), closed)

    def action_new(self) -> None:
        self._open(None)

    def action_find(self) -> None:
        self.query_one("#journal-search", Input).focus()

    def action_delete(self) -> None:
        hit = self._selected()
        if hit is None:
            return
        entry = hit.entry
        what = text.JOURNAL_DELETE_WHAT.get(entry.kind)
        if what is None or entry.infusion_id is None:  # a free page: straight to the trash
            self._to_trash(entry.id)
            return
        # A guided answer or an intention belongs to its infusion: ask first.
        question = text.JOURNAL_DELETE_GUIDED.format(
            what=what.format(prompt=text.INTEGRATION_PROMPTS.get(entry.prompt, "")),
            number=entry.infusion_number if entry.infusion_number is not None else "",
        )

        def decided(yes: bool | None) -> None:
            if yes:
                self._to_trash(entry.id)

        self.app.push_screen(ConfirmDialog(question, yes="Move to the trash", no="Keep it"),
                             decided)

    def _to_trash(self, entry_id: int) -> None:
        self.app.autosave.flush()
        self.app.store.journal.delete(entry_id)
        self.app.notify(text.JOURNAL_DELETED)
        self._fill_filters()
        self.refresh_results()

    def action_infusion(self) -> None:
        hit = self._selected()
        if hit is None or hit.entry.infusion_id is None:
            return
        from companion.ui.screens.infusion_journal import InfusionJournalScreen

        self.app.push_screen(InfusionJournalScreen(hit.entry.infusion_id))

    def action_trash(self) -> None:
        from companion.ui.screens.trash import TrashScreen

        self.app.push_screen(TrashScreen())

    def action_tracks(self) -> None:
        from companion.ui.screens.playlist_ratings import PlaylistRatingsScreen

        self.app.push_screen(PlaylistRatingsScreen())

    def action_checkin(self) -> None:
        from companion.ui.screens.checkin import CheckinScreen

        self.app.push_screen(CheckinScreen())

    def action_back(self) -> None:
        search = self.query_one("#journal-search", Input)
        if self.focused is search and search.value:
            search.value = ""
            self.query_one("#journal-list", OptionList).focus()
            return
        self.app.autosave.flush()
        self.dismiss(None)
