"""The moments marked during the Experience, with a note beside each (written,
or spoken: F3 while the moment's note has the focus, as beside Integration's
prompts), and how each track of the infusion felt (resonated, neutral, not
for me)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from companion.core import text
from companion.core.models import Moment, format_duration
from companion.ui.widgets.choice import ChoiceRow
from companion.ui.widgets.voice import VoiceLine

_LABELS = tuple(text.TRACK_RATINGS.values())
_KEYS = {label: key for key, label in text.TRACK_RATINGS.items()}


def infusion_tracks(app: Any, infusion_id: int, moments: list[Moment]) -> list[str]:
    """The tracks of the infusion's playlist in playing order, then any track a
    moment names that the playlist (as it is now) no longer has."""
    titles: list[str] = []
    playlist_name = app.store.sessions.get(infusion_id).playlist
    try:
        from companion.core.playlist import PlaylistError, load_playlist

        search = [app.paths.playlists] if getattr(app, "paths", None) else []
        try:
            playlist = load_playlist(playlist_name, search)
            titles = [track.display_title for _, track in playlist.tracks()]
        except PlaylistError:
            titles = []
    except ImportError:  # pragma: no cover - the playlist module ships with the app
        titles = []
    for moment in moments:
        if moment.track and moment.track not in titles:
            titles.append(moment.track)
    seen: list[str] = []
    for title in titles:
        if title not in seen:
            seen.append(title)
    return seen


class MomentNotes(Vertical):
    """Moments with notes, then a rating row per track. Saves as the patient types."""

    BINDINGS = [
        Binding("f3", "record", "Record", id="moments.record"),
        Binding("f4", "discard_recording", "Discard recording", id="moments.discard-voice", show=False),
        Binding("f5", "listen", "Listen", id="moments.listen"),
    ]

    def __init__(self, infusion_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.infusion_id = infusion_id

    def compose(self) -> ComposeResult:
        store = self.app.store
        moments = store.sessions.moments(self.infusion_id)
        if moments:
            yield Label(text.MOMENTS_TITLE, classes="section")
            voices = store.recordings.seconds_by_moment()
            for moment in moments:
                with Horizontal(classes="moment"):
                    yield Static(self._time_line(moment, voices.get(moment.id, 0.0)),
                                 id=f"moment-time-{moment.id}", classes="moment-time")
                    yield Input(moment.note, placeholder=text.MOMENTS_NOTE_HINT,
                                name=str(moment.id), id=f"moment-{moment.id}",
                                classes="moment-note")
                yield VoiceLine(moment=moment.id, id=f"moment-voice-{moment.id}",
                                classes="moment-voice")
        tracks = infusion_tracks(self.app, self.infusion_id, moments)
        if tracks:
            rated = store.journal.track_ratings(self.infusion_id)
            yield Label(text.TRACK_RATING_QUESTION, classes="section")
            for number, track in enumerate(tracks):
                value = text.TRACK_RATINGS.get(rated.get(track, ""))
                yield ChoiceRow(track, track[:34], _LABELS, value,
                                id=f"track-{number}")

    @staticmethod
    def _time_line(moment: Moment, voice: float) -> str:
        """When the moment was marked, in which track, and how long its voice lasts."""
        line = f"{format_duration(moment.position, clock=True)}  {moment.track or '(no track)'}"
        if voice > 0:
            line += "\n" + text.MOMENT_VOICE_MARK.format(length=format_duration(voice))
        return line

    # --- the voice of a moment (ui/widgets/voice.py) ---------------------------

    def _voice_here(self, action: str = "listen") -> VoiceLine | None:
        """The line recording (or, but for F3, playing) on this screen, else
        the one of the moment whose note has the focus."""
        busy = [line for line in self.screen.query(VoiceLine)
                if line.recording or (line.listening and action != "record")]
        if busy:
            return busy[0]
        focused = self.app.focused
        if isinstance(focused, VoiceLine):
            return focused
        if isinstance(focused, Input) and "moment-note" in focused.classes:
            return next(iter(self.query(f"#moment-voice-{focused.name}").results(VoiceLine)), None)
        return None

    def action_record(self) -> None:
        line = self._voice_here("record")
        if line is not None:
            line.record()

    def action_discard_recording(self) -> None:
        line = self._voice_here()
        if line is not None:
            line.discard()

    def action_listen(self) -> None:
        line = self._voice_here()
        if line is not None:
            line.listen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("record", "discard_recording", "listen") and self.is_mounted:
            line = self._voice_here(action)  # none: the key is the page's (a prompt's voice)
            return line is not None and (action == "record" or line.allows(action))
        return True

    def on_voice_line_changed(self, event: VoiceLine.Changed) -> None:
        moment_id = event.line.moment
        if moment_id is None:
            return
        event.stop()
        moment = next((m for m in self.app.store.sessions.moments(self.infusion_id) if m.id == moment_id), None)
        if moment is not None:
            self.query_one(f"#moment-time-{moment_id}", Static).update(
                self._time_line(moment, event.line.seconds()))

    def on_input_changed(self, event: Input.Changed) -> None:
        if "moment-note" not in event.input.classes:
            return
        event.stop()
        moment_id, note = int(event.input.name or 0), event.value
        journal = self.app.store.journal
        self.app.autosave.schedule(
            f"moment:{moment_id}", lambda: journal.save_moment_note(moment_id, note)
        )

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        event.stop()
        track = event.row.name or ""
        rating = _KEYS.get(event.value or "")
        journal = self.app.store.journal
        self.app.autosave.schedule(
            f"track:{self.infusion_id}:{track}",
            lambda: journal.rate_track(self.infusion_id, track, rating),
        )
