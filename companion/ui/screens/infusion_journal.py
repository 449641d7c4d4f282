"""One infusion's journal, any day after: its intention, the guided answers,
the moments marked during the music with a note beside each, and how each
track felt."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static, TextArea

from companion.core import text
from companion.ui.widgets.crisis import CrisisLine
from companion.ui.widgets.journal_area import JournalArea
from companion.ui.widgets.moments import MomentNotes
from companion.ui.widgets.footer import KeysFooter


class InfusionJournalScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back", id="infusion-journal.back")]

    def __init__(self, infusion_id: int) -> None:
        super().__init__()
        self.infusion_id = infusion_id

    def compose(self) -> ComposeResult:
        store = self.app.store
        infusion = store.sessions.get(self.infusion_id)
        with VerticalScroll(id="infusion-journal"):
            yield Static(f"{infusion.place.long_label} · {infusion.day:%A} {infusion.day.day} "
                         f"{infusion.day:%B %Y}", classes="section")
            yield Label(text.STAGE_INTROS["intention"], classes="prompt")
            intention = store.journal.find(self.infusion_id, "intention")
            yield JournalArea(intention.text if intention else "", name="intention:",
                           id="ij-intention-text", soft_wrap=True, classes="journal")
            for key, prompt in text.INTEGRATION_PROMPTS.items():
                entry = store.journal.find(self.infusion_id, "integration", key)
                yield Label(prompt, classes="prompt")
                yield JournalArea(entry.text if entry else "", name=f"integration:{key}",
                               id=f"ij-prompt-{key}", soft_wrap=True, classes="journal")
            yield MomentNotes(self.infusion_id, id="ij-moments")
        yield CrisisLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        kind, _, prompt = (event.text_area.name or "").partition(":")
        value = event.text_area.text
        journal = self.app.store.journal
        # The same keys as the session's panes, so one write replaces the other.
        key = f"intention:{self.infusion_id}" if kind == "intention" else \
            f"integration:{self.infusion_id}:{prompt}"
        self.app.autosave.schedule(
            key,
            lambda: journal.save_for(self.infusion_id, kind, prompt, value),
        )

    def action_back(self) -> None:
        self.app.autosave.flush()
        self.dismiss(None)
