"""Integration: the guided journal right after the infusion, ratings after,
side effects and the next therapy appointment."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from companion.core import text
from companion.core.models import format_duration
from companion.core.series import parse_appointment
from companion.ui.widgets.journal_area import JournalArea
from companion.ui.widgets.moments import MomentNotes
from companion.ui.widgets.rating import RatingBar
from companion.ui.widgets.voice import VoiceLine
from companion.ui.stages import StagePane


class IntegrationPane(StagePane, VerticalScroll):
    BINDINGS = [
        Binding("f3", "record", "Record", id="integration.record"),
        Binding("f4", "discard_recording", "Discard recording", id="integration.discard-voice", show=False),
        Binding("f5", "listen", "Listen", id="integration.listen"),
    ]

    def compose(self) -> ComposeResult:
        store = self.app.store
        infusion = store.sessions.get(self.infusion_id)
        ratings = store.sessions.ratings(self.infusion_id, "post").as_dict()
        intention = store.journal.find(self.infusion_id, "intention")
        yield Static(text.STAGE_INTROS["integration"], classes="intro")
        for key, prompt in text.INTEGRATION_PROMPTS.items():
            entry = store.journal.find(self.infusion_id, "integration", key)
            yield Label(prompt, classes="prompt")
            if key == "intention" and intention is not None and intention.text.strip():
                yield Static(text.INTEGRATION_YOUR_INTENTION.format(intention=intention.text.strip()), classes="quiet",
                             id="your-intention")
            yield JournalArea(entry.text if entry else "", name=key, id=f"journal-{key}",
                           soft_wrap=True, classes="journal")
            yield VoiceLine(partial(self._voice_entry, key), partial(self._keep_voice, key),
                            id=f"voice-{key}")
        yield MomentNotes(self.infusion_id, id="moments")
        yield Label(text.INTEGRATION_RATINGS_TITLE, classes="section")
        for key, (label, low, high) in text.RATINGS.items():
            yield RatingBar(key, label, low, high, ratings[key], id=f"post-{key}")
        yield Static(text.RATINGS_NOTE, classes="quiet")
        yield Label(text.SIDE_EFFECTS_TITLE, classes="section")
        for key, label in text.SIDE_EFFECTS.items():
            yield Checkbox(label, value=bool(infusion.side_effects.get(key)), name=key,
                           id=f"effect-{key}", classes="effect")
            if key == "urinary":  # right under its tick, so it is seen when ticked
                yield Static(text.URINARY_NOTICE, id="urinary-notice", classes="alert")
        yield Input(infusion.side_effects_other, placeholder=text.SIDE_EFFECTS_OTHER_PLACEHOLDER,
                    id="effect-other-text")
        yield Label(text.THERAPY_DATE_PROMPT, classes="section")
        yield Input(infusion.therapy_at, id="therapy",
                    placeholder=text.THERAPY_DATE_EXAMPLE.format(day=self._example_day()))
        yield Static("", id="therapy-error", classes="error")
        yield Static(text.INTEGRATION_DONE_KEY, classes="quiet")

    # --- the voice, beside each guided prompt (ui/widgets/voice.py) -------------

    def _voice_entry(self, key: str) -> int | None:
        found = self.app.store.journal.find(self.infusion_id, "integration", key)
        return found.id if found is not None else None

    def _keep_voice(self, key: str, seconds: float, shown: bool) -> int:
        """The prompt's entry, saved first; an answer only spoken is kept with words that say so."""
        self.app.autosave.flush()
        journal = self.app.store.journal
        found = journal.find(self.infusion_id, "integration", key)
        if found is None or not found.text.strip():
            words = text.VOICE_NOTE_TEXT.format(length=format_duration(seconds))
            found = journal.save_for(self.infusion_id, "integration", key, words)
            if shown:
                for area in self.query(f"#journal-{key}").results(TextArea):
                    area.load_text(words)
        assert found is not None
        return found.id

    def _voice_here(self, action: str = "listen") -> VoiceLine:
        """The line being recorded (or, but for F3, listened to), else of the
        prompt in focus (else the first)."""
        lines = list(self.query(VoiceLine))
        busy = [line for line in lines if line.recording or (line.listening and action != "record")]
        if busy:
            return busy[0]
        focused = self.app.focused
        if isinstance(focused, VoiceLine):
            return focused
        key = focused.name if isinstance(focused, JournalArea) and focused.name else None
        return next((line for line in lines if line.id == f"voice-{key}"), lines[0])

    def action_record(self) -> None:
        self._voice_here("record").record()

    def action_discard_recording(self) -> None:
        self._voice_here().discard()

    def action_listen(self) -> None:
        self._voice_here().listen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("discard_recording", "listen") and self.is_mounted:
            return bool(self.query(VoiceLine)) and self._voice_here(action).allows(action)
        return True

    def _example_day(self) -> str:
        """A week from today, the date shown as an example of an appointment."""
        return (self.app.clock.now().date() + timedelta(days=7)).isoformat()

    def on_mount(self) -> None:
        self._show_urinary()

    def shown(self) -> None:
        if self.is_mounted:  # composed when the session opened: show the moments marked since
            self.call_later(self.reload)
        else:
            self.focus_first()

    async def reload(self) -> None:
        """Compose again from the store (moments marked since the session opened)."""
        await self.recompose()
        self._show_urinary()
        self.focus_first()

    def focus_first(self) -> None:
        self.query_one(TextArea).focus(scroll_visible=False)
        self.scroll_home(animate=False)

    def _show_urinary(self, scroll: bool = False) -> None:
        urinary = self.query_one("#effect-urinary", Checkbox).value
        notice = self.query_one("#urinary-notice")
        notice.display = urinary
        if urinary and scroll:
            # Once laid out, bring the notice into view below its tick.
            self.call_after_refresh(notice.scroll_visible, animate=False)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        prompt, value = event.text_area.name or "", event.text_area.text
        journal = self.app.store.journal
        self.app.autosave.schedule(
            f"integration:{self.infusion_id}:{prompt}",
            lambda: journal.save_for(self.infusion_id, "integration", prompt, value),
        )

    def on_rating_bar_changed(self, event: RatingBar.Changed) -> None:
        event.stop()
        self.app.save_rating(self.infusion_id, "post", event.bar.name or "", event.value)

    def _save_effects(self) -> None:
        effects = {box.name: box.value for box in self.query(".effect").results(Checkbox) if box.name}
        other = self.query_one("#effect-other-text", Input).value
        sessions = self.app.store.sessions
        self.app.autosave.schedule(
            f"effects:{self.infusion_id}",
            lambda: sessions.save_side_effects(self.infusion_id, effects, other),
        )

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._show_urinary(scroll=event.checkbox.name == "urinary")
        self._save_effects()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "effect-other-text":
            self._save_effects()
            return
        raw = event.value.strip()
        parsed = parse_appointment(raw) if raw else ""
        error = self.query_one("#therapy-error", Static)
        if parsed is None:
            error.update(text.THERAPY_DATE_INVALID.format(day=self._example_day()))
            return
        error.update("")
        sessions = self.app.store.sessions
        self.app.autosave.schedule(
            f"therapy:{self.infusion_id}",
            lambda: sessions.save_therapy_at(self.infusion_id, parsed),
        )
