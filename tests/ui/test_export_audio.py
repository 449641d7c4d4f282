"""The tick on the Export screen that writes the voice recordings beside the
report (issue 19), pressed with the keys a patient or nurse would press."""

from __future__ import annotations

import base64
import json
import os
import stat

import numpy as np
import soundfile
from textual.widgets import Checkbox, Input, RadioButton, Static

from companion.store import Store
from companion.ui.screens.export import ExportScreen
from tests.export.builders import history
from tests.ui.helpers import screen_text
from tests.voice import spoken

RATE = 16000


def _seed(paths, clock) -> np.ndarray:
    """The usual history and a spoken journal entry of 7 s; its stored samples."""
    store = Store.open(paths.database, clock)
    try:
        history(store, clock)
        said = store.journal.add("Spoken after the walk")
        voice = spoken(7.0, RATE)
        recording = store.recordings.start(rate=RATE, entry_id=said.id)
        store.recordings.append(recording, voice[:5 * RATE])
        store.recordings.append(recording, voice[5 * RATE:])
        store.recordings.finish(recording)
        return store.recordings.samples(recording)
    finally:
        store.close()


async def _focus(pilot, app, widget_id: str) -> None:
    """Tab through the screen, as a keyboard user does, to ``widget_id``."""
    for _ in range(60):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def test_the_tick_writes_the_recordings_beside_the_report(build_app, paths, clock, tmp_path):
    stored = _seed(paths, clock)
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        next(b for b in app.screen.query(RadioButton) if b.name == "md").value = True
        target = tmp_path / "for-therapist.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await _focus(pilot, app, "export-audio")
        assert "Include the voice recordings' sound" in screen_text(app)
        assert "1 voice recording." in screen_text(app)
        await pilot.press("space")
        assert app.screen.query_one("#export-audio", Checkbox).value
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        folder = tmp_path / "for-therapist-audio"
        done = str(app.screen.query_one("#export-done", Static).render())
        assert "Wrote 1 voice recording(s)" in done and "for-therapist-audio" in done
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        [file] = folder.iterdir()
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
        samples, rate = soundfile.read(file, dtype="float32", always_2d=True)
        assert rate == RATE and np.array_equal(samples, stored)
        report = target.read_text()
        assert "Voice recordings" in report and file.name in report
        assert "Spoken after the walk" in report


async def test_without_the_tick_no_sound_leaves_the_journal(build_app, paths, clock, tmp_path):
    _seed(paths, clock)
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        target = tmp_path / "r.pdf"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.exists()
        assert not (tmp_path / "r-audio").exists()
        # JSON carries the voice itself: the tick is not offered there
        next(b for b in app.screen.query(RadioButton) if b.name == "json").value = True
        await pilot.pause()
        assert not app.screen.query_one("#export-audio-choice").display
        # and carries it: the preview read no sound, the written file has it all
        assert app.screen.report.tables["recording_chunks"] == []
        target = tmp_path / "r.json"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        doc = json.loads(target.read_text())
        pieces = sorted(doc["tables"]["recording_chunks"], key=lambda c: c["seq"])
        assert [c["seq"] for c in pieces] == [0, 1]
        assert all(base64.b64decode(c["data"]).startswith(b"fLaC") for c in pieces)
