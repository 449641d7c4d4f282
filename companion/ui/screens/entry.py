"""One journal page: write with a prompt when the page is blank, add tags, mark
it private, set the day it is about. Saved as the patient types."""

from __future__ import annotations

import itertools
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from companion.core import journaling, series, text
from companion.core.journaling import Prompt
from companion.core.models import format_duration
from companion.store.journal import Entry, EntryError
from companion.ui.dialogs.revisions import RevisionsDialog
from companion.ui.widgets.crisis import CrisisLine
from companion.ui.widgets.footer import KeysFooter
from companion.ui.widgets.journal_area import JournalArea
from companion.ui.widgets.voice import VoiceLine

_new_pages = itertools.count(1)


def current_phase(app: object) -> str:
    """Where the patient is in the series today, for choosing prompts."""
    store = app.store  # type: ignore[attr-defined]
    today = app.clock.now().date()  # type: ignore[attr-defined]
    done = [i.day for i in store.sessions.completed()]
    current = store.sessions.current()
    last = max(done) if done else None
    if current is not None and current.experience_started_at is not None:
        last = current.day  # the infusion is today even before Integration is closed
    window = series.next_window(done, today)
    return journaling.prompt_phase(today, last, window.earliest)


class EntryScreen(Screen[int | None]):
    """Dismisses with the entry's id (None when nothing was kept)."""

    BINDINGS = [
        Binding("escape", "close", "Back to the journal", id="entry.close"),
        Binding("ctrl+o", "another_prompt", "Another prompt", id="entry.prompt"),
        Binding("ctrl+g", "gratitude", "Gratitude prompt", id="entry.gratitude"),
        Binding("ctrl+r", "revisions", "Earlier versions", id="entry.revisions"),
        Binding("f3", "record", "Record", id="entry.record"),
        # said on the status line right after a recording, where it applies
        Binding("f4", "discard_recording", "Discard recording", id="entry.discard-voice", show=False),
        Binding("f5", "listen", "Listen", id="entry.listen"),
    ]

    def __init__(self, entry_id: int | None = None) -> None:
        super().__init__()
        self.entry_id = entry_id
        self._key = f"journal-page:{entry_id if entry_id is not None else f'new-{next(_new_pages)}'}"
        self._turn = 0
        self._prompt: Prompt | None = None
        self._warned = False

    @property
    def entry(self) -> Entry | None:
        return self.app.store.journal.get(self.entry_id) if self.entry_id is not None else None

    def compose(self) -> ComposeResult:
        entry = self.entry
        today = self.app.clock.now().date()
        if entry is None:
            self._prompt = journaling.prompt_for(current_phase(self.app), today)
        elif entry.prompt:
            self._prompt = Prompt(entry.prompt, journaling.prompt_text(entry.prompt))
        with Vertical(id="entry"):
            yield Static(self._heading(entry), id="entry-heading", classes="intro")
            yield Label(self._prompt.text if self._prompt else "", id="entry-prompt",
                        classes="prompt")
            yield Static("Ctrl+O another prompt · Ctrl+G a gratitude prompt",
                         id="entry-prompt-hint", classes="quiet")
            yield JournalArea(entry.text if entry else "", id="entry-text", soft_wrap=True,
                           placeholder="Write here. Everything is saved as you type.")
            with Horizontal(id="entry-meta"):
                yield Input(", ".join(entry.tags) if entry else "",
                            placeholder=text.JOURNAL_TAGS_HINT, id="entry-tags")
                yield Input(entry.day if entry else today.isoformat(), id="entry-day",
                            max_length=10, placeholder="YYYY-MM-DD")
                yield Checkbox(text.JOURNAL_PRIVATE_HINT, entry.private if entry else False,
                               id="entry-private")
            yield Static("", id="entry-status", classes="quiet")
            yield VoiceLine(lambda: self.entry_id, self._keep_voice, id="entry-voice")
        yield CrisisLine()
        yield KeysFooter()

    def _heading(self, entry: Entry | None) -> str:
        if entry is None:
            return "A new page"
        parts = [f"{entry.date:%A} {entry.date.day} {entry.date:%B %Y}"]
        if entry.infusion_id is not None:
            infusion = self.app.store.sessions.get(entry.infusion_id)
            parts.append(infusion.place.long_label)
        return " · ".join(parts)

    def on_mount(self) -> None:
        self.query_one("#entry-text", TextArea).focus()
        self._show_prompt_hint()

    # --- saving --------------------------------------------------------------

    def _page_blank(self) -> bool:
        return journaling.is_blank(self.query_one("#entry-text", TextArea).text)

    def _show_prompt_hint(self) -> None:
        blank = self._page_blank() and self.entry_id is None
        self.query_one("#entry-prompt-hint").display = blank
        self.refresh_bindings()

    def _day(self) -> str | None:
        raw = self.query_one("#entry-day", Input).value.strip()
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            return None

    def _schedule(self) -> None:
        value = self.query_one("#entry-text", TextArea).text
        tags = self.query_one("#entry-tags", Input).value
        private = self.query_one("#entry-private", Checkbox).value
        day = self._day()
        prompt = self._prompt.key if self._prompt else ""
        journal = self.app.store.journal

        def write() -> None:
            try:
                saved = journal.save_entry(self.entry_id, value, tags=tags, private=private,
                                           day=day, prompt=prompt)
            except EntryError as exc:
                if not self._warned:
                    self._warned = True
                    self.app.notify(str(exc), severity="error", timeout=10)
                return
            self._warned = False
            if saved is not None and self.entry_id is None:
                self.entry_id = saved.id
            # The page may be closing (the app quitting): its line may be gone already.
            for status in self.query("#entry-status").results(Static):
                status.update("Saved." if saved is not None else "")

        self.app.autosave.schedule(self._key, write)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._show_prompt_hint()
        self._schedule()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "entry-day":
            status = self.query_one("#entry-status", Static)
            if self._day() is None:
                status.update("The day is a date like 2026-03-14; it is kept as it was until then.")
                return
            status.update("")
        self._schedule()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._schedule()

    # --- actions -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("another_prompt", "gratitude"):
            return self.entry_id is None and self.is_mounted and self._page_blank()
        if action == "revisions":
            return self.entry_id is not None
        if action in ("discard_recording", "listen"):
            line = next(iter(self.query("#entry-voice").results(VoiceLine)), None)
            return line is not None and line.allows(action)
        return True

    def _set_prompt(self, prompt: Prompt) -> None:
        self._prompt = prompt
        self.query_one("#entry-prompt", Label).update(prompt.text)

    def action_another_prompt(self) -> None:
        self._turn += 1
        today = self.app.clock.now().date()
        self._set_prompt(journaling.prompt_for(current_phase(self.app), today, self._turn))

    def action_gratitude(self) -> None:
        self._set_prompt(Prompt(text.GRATITUDE_PROMPT_KEY, text.GRATITUDE_PROMPT))

    def action_revisions(self) -> None:
        if self.entry_id is None:
            return
        self.app.autosave.flush()
        revisions = self.app.store.journal.revisions(self.entry_id)
        entry_id = self.entry_id

        def chosen(old_text: str | None) -> None:
            if old_text is None:
                return
            self.app.store.journal.restore_revision(entry_id, old_text)
            self.query_one("#entry-text", TextArea).load_text(old_text)
            self.app.notify("The earlier version is back; the one it replaced is kept too.")

        self.app.push_screen(RevisionsDialog(revisions), chosen)

    # --- the voice (ui/widgets/voice.py) ------------------------------------

    def _keep_voice(self, seconds: float, shown: bool) -> int:
        """The entry a finished recording joins: this page, saved first; a page
        only spoken is kept with words that say so."""
        self.app.autosave.flush()
        if self.entry_id is None:
            words = text.VOICE_NOTE_TEXT.format(length=format_duration(seconds))
            self.entry_id = self.app.store.journal.add(words).id
            if shown:
                self.query_one("#entry-text", TextArea).load_text(words)
        return self.entry_id

    def action_record(self) -> None:
        """F3: record the patient's voice with this page, or stop."""
        self.query_one(VoiceLine).record()

    def action_discard_recording(self) -> None:
        """F4: the last recording to the trash (restored from there like an entry)."""
        self.query_one(VoiceLine).discard()

    def action_listen(self) -> None:
        """F5: play this page's voice; F5 again stops."""
        self.query_one(VoiceLine).listen()

    def action_close(self) -> None:
        self.query_one(VoiceLine).stop()
        self.app.autosave.flush()
        journal = self.app.store.journal
        if self.entry_id is None:
            if self._page_blank():
                self.app.notify(text.JOURNAL_EMPTY_NOT_SAVED)
            self.dismiss(self.entry_id)
            return
        if self._page_blank() and not journal.get(self.entry_id).deleted_at:
            journal.delete(self.entry_id)
            self.app.notify(text.JOURNAL_EMPTIED)
            self.dismiss(None)
            return
        self.dismiss(self.entry_id)
