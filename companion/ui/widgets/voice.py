"""The voice of a page (issue 19): one line under what the patient writes.

``record()`` (F3) starts recording from the microphone and, pressed again,
stops; ``discard()`` (F4) sends the last recording to the trash; ``listen()``
(F5) plays the page's voice through the same output as the music, and again
stops it. While it plays the line takes the focus, so Left and Right move it
back or on five seconds and Space pauses (keys a text box would otherwise
take); Escape or F5 stops it and gives the focus back to where the patient
was writing. While recording the line shows the time and a calm level meter;
each chunk heard is stored in the journal at once. The page says which entry
the voice belongs to: ``entry()`` (None while the page is not saved yet) and
``keep(seconds)``, which returns the entry to attach a finished recording to,
making it (as "Voice note (m:ss)") when the page holds no words. A line made
with ``moment=`` belongs to a moment marked during the music instead: its
voice is stored with the moment, and ``VoiceLine.Changed`` tells the row when
its voice has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from companion.core import text
from companion.core.models import format_duration
from companion.ui.autosave import is_write_problem


#: Seconds one press of Left or Right moves the voice played back.
SEEK_SECONDS = 5.0


class VoiceLine(Static):
    BINDINGS = [
        Binding("left", "seek(-1)", "−5 s", id="voice.back"),
        Binding("right", "seek(1)", "+5 s", id="voice.on"),
        Binding("space", "pause", "Pause", id="voice.pause"),
        Binding("escape", "stop_listening", "Stop", id="voice.stop"),
    ]

    class Changed(Message):
        """A recording was kept or sent to the trash here."""

        def __init__(self, line: "VoiceLine") -> None:
            super().__init__()
            self.line = line

    def __init__(self, entry: Callable[[], int | None] | None = None,
                 keep: Callable[[float, bool], int] | None = None, *,
                 moment: int | None = None, classes: str = "", **kwargs: Any) -> None:
        super().__init__("", classes=f"quiet {classes}".strip(), **kwargs)
        self._entry = entry or (lambda: None)
        self._keep = keep
        self.moment = moment
        self._recorder: Any = None
        self._recording_id: int | None = None
        self.last_recording: int | None = None
        """The recording F4 would discard (the last one made here)."""
        self._timer: Any = None
        self._listening: Any = None  # the timer showing where the voice played back is
        self._return_focus: Widget | None = None

    def on_mount(self) -> None:
        self.display = False  # a line only when it has something to say

    def _say(self, line: str) -> None:
        self.update(line)
        self.display = bool(line)

    @property
    def recording(self) -> bool:
        return self._recorder is not None

    @property
    def listening(self) -> bool:
        """This line's voice is being played back (or is paused)."""
        return self._listening is not None

    def allows(self, action: str) -> bool:
        """Whether the page offers ``discard_recording`` (F4) or ``listen`` (F5) now:
        never while recording; F4 after a recording made here; F5 when the page has voice."""
        if self.recording:
            return False
        return self.last_recording is not None if action == "discard_recording" else self.has_voice()

    def kept(self) -> list:
        """The recordings kept here, oldest first."""
        recordings = self.app.store.recordings
        if self.moment is not None:
            return recordings.for_moment(self.moment)
        entry_id = self._entry()
        return recordings.for_entry(entry_id) if entry_id is not None else []

    def has_voice(self) -> bool:
        return bool(self.kept())

    def seconds(self) -> float:
        """How long the voice kept here lasts."""
        return sum(recording.seconds for recording in self.kept())

    def record(self) -> None:
        if self._recorder is not None:
            self.stop()
            return
        for line in self.screen.query(VoiceLine):  # a voice played back stops before recording
            if line.listening:
                self.app.player.stop_clip()
                line._end_listening("")
        from companion.audio.recorder import MicrophoneMissing, Recorder
        from companion.store.recordings import CHUNK_SECONDS

        recorder = Recorder(CHUNK_SECONDS, open_capture=self.app.open_capture)
        try:
            recorder.start()
        except MicrophoneMissing as exc:
            self._say(str(exc))
            return
        try:
            recording_id = self.app.store.recordings.start(
                rate=recorder.rate, channels=1, entry_id=self._entry(), moment_id=self.moment)
        except Exception as exc:
            recorder.stop()  # the microphone closes again: nothing could be kept
            if not is_write_problem(exc):
                raise
            self.app.store.end_failed_write()
            self._say(text.VOICE_NOT_STARTED)
            return
        self._recorder, self._recording_id = recorder, recording_id
        self._timer = self.set_interval(0.25, self._store)
        self._store()
        self.screen.refresh_bindings()

    def _store(self, chunks: list | None = None, shown: bool = True) -> bool:
        """Each chunk heard goes to the journal at once; the line shows time and
        level. A disk that refuses a chunk (full, read-only) stops the
        recording, keeps what was saved before and says so: False then."""
        recorder = self._recorder
        if recorder is None or self._recording_id is None:
            return False
        try:
            for chunk in recorder.drain() if chunks is None else chunks:
                self.app.store.recordings.append(self._recording_id, chunk)
        except Exception as exc:
            if not is_write_problem(exc):
                raise
            self._refused(exc, shown)
            return False
        filled = round(recorder.level * 10)
        meter = "█" * filled + "░" * (10 - filled)
        self._say(text.VOICE_RECORDING.format(
            length=format_duration(recorder.seconds, clock=True), meter=meter))
        return True

    def _end(self) -> int:
        """The recording stops being made here: the microphone closes (again
        is harmless) and the line stops storing; returns its id."""
        recorder, recording_id = self._recorder, self._recording_id
        self._recorder = self._recording_id = None
        if self._timer is not None:
            self._timer.stop()
        if recorder is not None:
            recorder.stop()
        assert recording_id is not None
        return recording_id

    def _finish(self, recording_id: int, shown: bool) -> float:
        """Keep the recording with its page (or moment); returns its seconds."""
        recordings = self.app.store.recordings
        seconds = recordings.get(recording_id).seconds
        entry_id = self._keep(seconds, shown) if self._keep is not None else None
        recordings.finish(recording_id, entry_id=entry_id)
        self.last_recording = recording_id
        return seconds

    def _told(self, line: str) -> None:
        self._say(line)
        self.screen.refresh_bindings()
        self.post_message(self.Changed(self))

    def _refused(self, exc: BaseException, shown: bool) -> None:
        """The disk refused a chunk: the microphone closes, and what was saved
        is kept with its page. If even that cannot be written, the recording
        stays unfinished in the journal and the next start keeps it."""
        from companion.core.files import FULL, write_failure

        recording_id = self._end()
        store = self.app.store
        store.end_failed_write()
        seconds = store.recordings.get(recording_id).seconds
        if seconds > 0:
            try:
                self._finish(recording_id, shown)
            except Exception as again:
                if not is_write_problem(again):
                    raise
                store.end_failed_write()
        if shown:  # else the page is closing: nothing to show it on
            said = text.VOICE_STOPPED_FULL if write_failure(exc) == FULL else text.VOICE_STOPPED_UNWRITABLE
            self._told(said.format(length=format_duration(seconds)))

    def stop(self, shown: bool = True) -> None:
        """Stop recording and keep it with its page (``shown``: the screen is still there)."""
        recorder = self._recorder
        if recorder is None or self._recording_id is None:
            return
        if not self._store(recorder.stop(), shown):
            return  # the disk refused the last chunk: _refused said so
        seconds = self._finish(self._end(), shown)
        if shown:
            said = text.VOICE_MOMENT_RECORDED if self.moment is not None else text.VOICE_RECORDED
            self._told(said.format(length=format_duration(seconds)))

    def discard(self) -> None:
        if self.last_recording is None or self._recorder is not None:
            return
        self.app.store.recordings.discard(self.last_recording)
        self.last_recording = None
        self._told(text.VOICE_DISCARDED)

    def listen(self) -> None:
        """Play the voice kept here, or stop it when it plays."""
        player = self.app.player
        if self.listening or player.clip_playing:
            player.stop_clip()
            self._end_listening(text.VOICE_LISTEN_STOPPED)
            return
        recordings = self.app.store.recordings
        kept = self.kept()
        if not kept:
            return
        import numpy as np

        voice = np.concatenate([recordings.samples(r.id)[:, 0] for r in kept])
        player.play_clip(voice, kept[0].rate)
        focused = self.app.focused
        self._return_focus = focused if focused is not self else None
        self.can_focus = True
        self.focus(scroll_visible=False)
        self._listening = self.set_interval(0.25, self._show_listening)
        self._show_listening()

    def _show_listening(self) -> None:
        player = self.app.player
        if not player.clip_playing:
            self._end_listening(text.VOICE_LISTEN_ENDED)
            return
        where = text.VOICE_LISTEN_PAUSED if player.clip_paused else text.VOICE_LISTENING
        self._say(where.format(position=format_duration(int(player.clip_position)),
                               length=format_duration(player.clip_length)))

    def _end_listening(self, line: str) -> None:
        if self._listening is not None:
            self._listening.stop()
            self._listening = None
        self._say(line)
        had_focus = self.has_focus
        self.can_focus = False
        back = self._return_focus
        self._return_focus = None
        if had_focus and back is not None and back.is_attached:
            back.focus(scroll_visible=False)
        elif had_focus:
            self.screen.set_focus(None)
            self.screen.focus_next()

    def action_seek(self, direction: int) -> None:
        player = self.app.player
        if self.listening and player.clip_playing:
            player.seek_clip(player.clip_position + direction * SEEK_SECONDS)
            self._show_listening()

    def action_pause(self) -> None:
        player = self.app.player
        if self.listening and player.clip_playing:
            player.pause_clip(not player.clip_paused)
            self._show_listening()

    def action_stop_listening(self) -> None:
        if self.listening:
            self.listen()

    def on_unmount(self) -> None:
        if self._listening is not None:
            self._listening.stop()
        if self.app.player_ready and self.app.player.clip_playing:
            self.app.player.stop_clip()
        if self._recorder is not None:  # the page closing while recording keeps what was said
            self.stop(shown=False)
