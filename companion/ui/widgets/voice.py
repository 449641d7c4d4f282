"""The voice of a page (issue 19): one line under what the patient writes.

``record()`` (F3) starts recording from the microphone and, pressed again,
stops; ``discard()`` (F4) sends the last recording to the trash; ``listen()``
(F5) plays the page's voice through the same output as the music, and again
stops it. While recording the line shows the time and a calm level meter;
each chunk heard is stored in the journal at once. The page says which entry
the voice belongs to: ``entry()`` (None while the page is not saved yet) and
``keep(seconds)``, which returns the entry to attach a finished recording to,
making it (as "Voice note (m:ss)") when the page holds no words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Static

from companion.core import text
from companion.core.models import format_duration


class VoiceLine(Static):
    def __init__(self, entry: Callable[[], int | None], keep: Callable[[float, bool], int],
                 **kwargs: Any) -> None:
        super().__init__("", classes="quiet", **kwargs)
        self._entry = entry
        self._keep = keep
        self._recorder: Any = None
        self._recording_id: int | None = None
        self.last_recording: int | None = None
        """The recording F4 would discard (the last one made here)."""
        self._timer: Any = None

    def on_mount(self) -> None:
        self.display = False  # a line only when it has something to say

    def _say(self, line: str) -> None:
        self.update(line)
        self.display = bool(line)

    @property
    def recording(self) -> bool:
        return self._recorder is not None

    def allows(self, action: str) -> bool:
        """Whether the page offers ``discard_recording`` (F4) or ``listen`` (F5) now:
        never while recording; F4 after a recording made here; F5 when the page has voice."""
        if self.recording:
            return False
        return self.last_recording is not None if action == "discard_recording" else self.has_voice()

    def has_voice(self) -> bool:
        entry_id = self._entry()
        return entry_id is not None and bool(self.app.store.recordings.for_entry(entry_id))

    def record(self) -> None:
        if self._recorder is not None:
            self.stop()
            return
        from companion.audio.recorder import MicrophoneMissing, Recorder
        from companion.store.recordings import CHUNK_SECONDS

        recorder = Recorder(CHUNK_SECONDS, open_capture=self.app.open_capture)
        try:
            recorder.start()
        except MicrophoneMissing as exc:
            self._say(str(exc))
            return
        self._recorder = recorder
        self._recording_id = self.app.store.recordings.start(
            rate=recorder.rate, channels=1, entry_id=self._entry())
        self._timer = self.set_interval(0.25, self._store)
        self._store()
        self.screen.refresh_bindings()

    def _store(self, chunks: list | None = None) -> None:
        """Each chunk heard goes to the journal at once; the line shows time and level."""
        recorder = self._recorder
        if recorder is None or self._recording_id is None:
            return
        for chunk in recorder.drain() if chunks is None else chunks:
            self.app.store.recordings.append(self._recording_id, chunk)
        filled = round(recorder.level * 10)
        meter = "█" * filled + "░" * (10 - filled)
        self._say(text.VOICE_RECORDING.format(
            length=format_duration(recorder.seconds, clock=True), meter=meter))

    def stop(self, shown: bool = True) -> None:
        """Stop recording and keep it with its page (``shown``: the screen is still there)."""
        recorder, recording_id = self._recorder, self._recording_id
        if recorder is None or recording_id is None:
            return
        self._store(recorder.stop())
        self._recorder = None
        if self._timer is not None:
            self._timer.stop()
        recordings = self.app.store.recordings
        seconds = recordings.get(recording_id).seconds
        recordings.finish(recording_id, entry_id=self._keep(seconds, shown))
        self.last_recording, self._recording_id = recording_id, None
        if shown:
            self._say(text.VOICE_RECORDED.format(length=format_duration(seconds)))
            self.screen.refresh_bindings()

    def discard(self) -> None:
        if self.last_recording is None or self._recorder is not None:
            return
        self.app.store.recordings.discard(self.last_recording)
        self.last_recording = None
        self._say(text.VOICE_DISCARDED)
        self.screen.refresh_bindings()

    def listen(self) -> None:
        player = self.app.player
        if player.clip_playing:
            player.stop_clip()
            self._say(text.VOICE_LISTEN_STOPPED)
            return
        entry_id = self._entry()
        recordings = self.app.store.recordings
        kept = recordings.for_entry(entry_id) if entry_id is not None else []
        if not kept:
            return
        import numpy as np

        voice = np.concatenate([recordings.samples(r.id)[:, 0] for r in kept])
        player.play_clip(voice, kept[0].rate)
        self._say(text.VOICE_LISTENING.format(length=format_duration(len(voice) / kept[0].rate)))

    def on_unmount(self) -> None:
        if self.app.player_ready and self.app.player.clip_playing:
            self.app.player.stop_clip()
        if self._recorder is not None:  # the page closing while recording keeps what was said
            self.stop(shown=False)
