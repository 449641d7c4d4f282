"""Preparation: set and setting, ratings before, lifestyle, breathing."""

from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Label, Static

from companion import settings as settings_file
from companion.core import text
from companion.ui.dialogs.breathing import BreathingDialog
from companion.ui.stages.experience import VOLUME
from companion.ui.widgets.choice import ChoiceRow
from companion.ui.widgets.rating import RatingBar
from companion.ui.stages import StagePane


class PreparationPane(StagePane, VerticalScroll):
    BINDINGS = [
        Binding("t", "test_tone", "Test tone", id="prep.tone"),
        Binding("minus", "volume(-1)", "Vol down", id="prep.softer", group=VOLUME),
        Binding("plus,equals_sign", "volume(1)", "Vol up", id="prep.louder", group=VOLUME),
        Binding("b", "breathe", "Breathing", id="prep.breathe"),
        Binding("v", "music_variation", "Music", id="prep.music"),
    ]

    def compose(self) -> ComposeResult:
        store = self.app.store
        infusion = store.sessions.get(self.infusion_id)
        day = self.app.clock.now().date().isoformat()
        lifestyle = store.checkins.for_day(day)
        ratings = store.sessions.ratings(self.infusion_id, "pre").as_dict()
        yield Static(text.STAGE_INTROS["preparation"], classes="intro")
        yield Label("Set and setting", classes="section")
        for key, label in text.CHECKLIST.items():
            yield Checkbox(label, value=bool(infusion.checklist.get(key)), name=key,
                           classes="checklist")
        with Horizontal(classes="row"):
            yield Button("Test tone (t)", id="tone")
            yield Static("", id="volume")
        yield MusicChoice(id="music-choice")
        yield Label("How are you right now?", classes="section")
        for key, (label, low, high) in text.RATINGS.items():
            yield RatingBar(key, label, low, high, ratings[key], id=f"pre-{key}")
        yield Static(text.RATINGS_NOTE, classes="quiet")
        yield Label("The clinic's questions", classes="section")
        for key, (question, options) in text.LIFESTYLE.items():
            yield ChoiceRow(key, question, options, lifestyle.get(key), id=f"life-{key}")
        with Horizontal(classes="row"):
            yield Button("Breathing guide, one minute (b)", id="breathe")
        yield Static(text.PREPARATION_DONE_KEY, classes="quiet")

    def on_mount(self) -> None:
        self._show_volume()
        self.query_one(MusicChoice).show(self.app.settings.music_variation)

    def focus_first(self) -> None:
        self.query_one(Checkbox).focus()

    def _show_volume(self) -> None:
        percent = round(self.app.settings.volume * 100)
        self.query_one("#volume", Static).update(f"  Volume {percent}%  (− and + to change)")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        checklist = {
            box.name: box.value for box in self.query(".checklist").results(Checkbox) if box.name
        }
        sessions = self.app.store.sessions
        self.app.autosave.schedule(
            f"checklist:{self.infusion_id}",
            lambda: sessions.save_checklist(self.infusion_id, checklist),
        )

    def on_rating_bar_changed(self, event: RatingBar.Changed) -> None:
        event.stop()
        self.app.save_rating(self.infusion_id, "pre", event.bar.name or "", event.value)

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        event.stop()
        answers = {
            row.name: row.value for row in self.query(ChoiceRow) if row.name and row.value
        }
        day = self.app.clock.now().date().isoformat()
        checkins = self.app.store.checkins
        existing = checkins.for_day(day)
        self.app.autosave.schedule(
            f"lifestyle:{day}",
            lambda: checkins.save(day, {**existing, **answers}, self.infusion_id),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "tone":
            self.action_test_tone()
        elif event.button.id == "breathe":
            self.action_breathe()

    def action_test_tone(self) -> None:
        self.app.player.test_tone(self.app.settings.volume)

    def action_volume(self, direction: int) -> None:
        self.app.change_volume(direction)
        self._show_volume()
        self.app.player.test_tone(self.app.settings.volume, seconds=1.5)

    def action_music_variation(self) -> None:
        """The one I know <-> a new variation: kept in the settings, played by the Experience."""
        app = self.app
        choice = "new" if app.settings.music_variation == "known" else "known"
        app.settings = replace(app.settings, music_variation=choice)
        self.query_one(MusicChoice).show(choice)
        app.render_scores_ahead(app.store.sessions.get(self.infusion_id).number)  # the music just chosen
        if app.paths is not None:
            try:
                app.paths.ensure()
                settings_file.save(app.settings, app.paths.settings)
            except OSError:
                self.notify(text.MUSIC_CHOICE_SAVE_FAILED, severity="warning")

    def on_music_choice_clicked(self, event: "MusicChoice.Clicked") -> None:
        event.stop()
        if event.choice != self.app.settings.music_variation:
            self.action_music_variation()

    def action_breathe(self) -> None:
        self.app.push_screen(BreathingDialog())


class MusicChoice(Static):
    """The generated music for this infusion: the one I know, or a new variation (v, or a click
    on a line)."""

    class Clicked(Message):
        def __init__(self, choice: str) -> None:
            super().__init__()
            self.choice = choice

    def show(self, choice: str) -> None:
        lines = [text.MUSIC_CHOICE_LABEL]
        for key, label in text.MUSIC_CHOICES.items():
            lines.append(f"  {'●' if key == choice else '○'} {label}")
        lines.append(f"  {text.MUSIC_CHOICE_FILES}")
        self.update("\n".join(lines))

    def on_click(self, event: events.Click) -> None:
        line = event.y - 1  # under the label: one line per choice
        keys = list(text.MUSIC_CHOICES)
        if 0 <= line < len(keys):
            self.post_message(self.Clicked(keys[line]))
