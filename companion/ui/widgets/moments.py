"""The moments marked during the Experience, with a note beside each, and how
each track of the infusion felt (resonated, neutral, not for me)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from companion.core import text
from companion.core.models import Moment, format_duration
from companion.ui.widgets.choice import ChoiceRow

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

    def __init__(self, infusion_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.infusion_id = infusion_id

    def compose(self) -> ComposeResult:
        store = self.app.store
        moments = store.sessions.moments(self.infusion_id)
        if moments:
            yield Label(text.MOMENTS_TITLE, classes="section")
            for moment in moments:
                with Horizontal(classes="moment"):
                    yield Static(
                        f"{format_duration(moment.position, clock=True)}  {moment.track or '(no track)'}",
                        classes="moment-time",
                    )
                    yield Input(moment.note, placeholder=text.MOMENTS_NOTE_HINT,
                                name=str(moment.id), id=f"moment-{moment.id}",
                                classes="moment-note")
        tracks = infusion_tracks(self.app, self.infusion_id, moments)
        if tracks:
            rated = store.journal.track_ratings(self.infusion_id)
            yield Label(text.TRACK_RATING_QUESTION, classes="section")
            for number, track in enumerate(tracks):
                value = text.TRACK_RATINGS.get(rated.get(track, ""))
                yield ChoiceRow(track, track[:34], _LABELS, value,
                                id=f"track-{number}")

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
