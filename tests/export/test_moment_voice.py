"""A voice note spoken for a marked moment (issue 19): the report's line for
the moment says one of m:ss exists; the sound stays in the journal."""

from __future__ import annotations

import numpy as np

from companion.core import text
from companion.export import get
from companion.export.selection import Selection, build_report


def test_the_moment_s_line_in_the_report_says_a_voice_note_exists(store):
    infusion = store.sessions.begin()
    spoken = store.sessions.mark_moment(infusion.id, 754.0, "Harbour lights", "peak", "warm")
    quiet = store.sessions.mark_moment(infusion.id, 1200.0, "Tide", "return")
    recording = store.recordings.start(rate=16000, moment_id=spoken.id)
    store.recordings.append(recording, np.full(16000 * 75, 0.1, dtype=np.float32))
    store.recordings.finish(recording)
    gone = store.recordings.start(rate=16000, moment_id=quiet.id)  # spoken, then sent to the trash
    store.recordings.append(gone, np.full(16000 * 3, 0.1, dtype=np.float32))
    store.recordings.finish(gone)
    store.recordings.discard(gone)

    body = get("md").render(build_report(store, Selection())).decode()
    voice = text.REPORT_MOMENT_VOICE.format(length="1:15")
    [line] = [line for line in body.splitlines() if "Harbour lights" in line and "12:34" in line]
    assert line.endswith(f"Harbour lights: warm {voice}")
    [other] = [line for line in body.splitlines() if "Tide" in line and "20:00" in line]
    assert "voice note" not in other
