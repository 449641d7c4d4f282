"""Steering the music in the Experience: d deeper, l lighter, n skip gently."""

from __future__ import annotations

import wave

import numpy as np

from companion.core import text
from companion.core.stages import Stage
from companion.ui.screens.session import SessionScreen
from tests.ui.helpers import music_playing, screen_text, wait_until


def _notes(app, infusion_id):
    return [(m.note, m.position) for m in app.store.sessions.moments(infusion_id)]


async def test_deeper_and_lighter_are_kept_like_moments_and_come_back_after_a_restart(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
        await music_playing(pilot)
        infusion_id = app.screen.infusion_id
        await pilot.press("d")
        assert "Going deeper" in screen_text(app)
        assert app.player.steering_level == -0.5
        await pilot.press("d", "d")  # the second reaches the limit, the third is refused
        assert "already as deep as it goes" in screen_text(app)
        assert app.player.steering_level == -1.0
        await pilot.press("l")
        assert "Going lighter" in screen_text(app)
        assert app.player.steering_level == -0.5
        await wait_until(pilot, lambda: len(_notes(app, infusion_id)) == 3)
        stored = _notes(app, infusion_id)
        assert [note for note, _ in stored] == [text.MUSIC_DEEPER_NOTE, text.MUSIC_DEEPER_NOTE,
                                                text.MUSIC_LIGHTER_NOTE]
        # recorded at the time the change starts: just ahead of what was heard
        assert all(0.0 < at <= app.player.position + 2.0 for _, at in stored)
        changes = list(app.player.session.steering.changes)
        assert [(round(a, 3), b) for a, b in changes] == [(at, lvl) for (_, at), lvl in zip(stored, (-0.5, -1.0, -0.5))]

    again = build_app()
    async with again.run_test(size=(100, 30)) as pilot:
        assert isinstance(again.screen, SessionScreen) and again.screen.stage is Stage.EXPERIENCE
        await music_playing(pilot)
        assert again.player.steering_level == -0.5  # the score resumes as it was steered
        assert list(again.player.session.steering.changes) == changes


async def test_skip_gently_is_for_files_and_is_kept_like_a_moment(build_app, paths):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
        await music_playing(pilot)
        infusion_id = app.screen.infusion_id
        plan = app.player.plan
        await pilot.press("n")  # the default is generated: nothing to skip, the key is not offered
        await pilot.pause(0.3)
        assert _notes(app, infusion_id) == []
        assert "Moving gently" not in screen_text(app) and "Nothing to skip" not in screen_text(app)
        assert app.player.plan is plan


def _write_tone(path, freq, seconds=90.0, rate=22050):
    t = np.arange(int(seconds * rate)) / rate
    x = 0.1 * np.sin(2 * np.pi * freq * t)
    data = np.clip(np.rint(np.stack([x, x], 1) * 32767), -32768, 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(data)


async def test_skip_gently_crossfades_into_the_next_file(build_app, paths):
    folder = paths.playlists
    folder.mkdir(parents=True, exist_ok=True)
    for name, freq in (("first", 330), ("second", 440), ("third", 550)):
        _write_tone(folder / f"{name}.wav", freq)
    (folder / "mine.toml").write_text(
        'name = "Mine"\nsession = "5:00"\ncrossfade = 4\n[[phases]]\nname = "settle"\n'
        'tracks = ["first.wav", "second.wav", "third.wav"]\n'
    )
    app = build_app(playlist="mine")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
        await music_playing(pilot)
        infusion_id = app.screen.infusion_id
        before = app.player.plan
        assert before.entries[0].title == "first" and before.entries[0].end > 80 * before.rate
        await pilot.press("n")
        assert "Moving gently to the next track" in screen_text(app)
        await wait_until(pilot, lambda: app.player.plan is not before)
        first, second = app.player.plan.entries[0], app.player.plan.entries[1]
        rate = before.rate
        assert first.title == "first" and first.fade_out == 12 * rate and first.end < 20 * rate
        assert second.title == "second" and second.start == first.end - 12 * rate and second.fade_in == 12 * rate
        await wait_until(pilot, lambda: _notes(app, infusion_id) != [])
        [(note, at)] = _notes(app, infusion_id)
        assert note == text.MUSIC_SKIPPED_NOTE and 0.0 <= at <= app.player.position
        [moment] = app.store.sessions.moments(infusion_id)
        assert moment.track == "first"


async def test_a_new_variation_each_infusion_when_chosen(build_app):
    app = build_app(music_variation="new")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
        await music_playing(pilot)
        titles = [e.title for e in app.player.plan.entries if not e.is_bed]
        assert titles[0] == "Settling in (variation 1)"  # infusion 1: variation 1, rated as such
        await wait_until(pilot, lambda: "variation 1" in screen_text(app))
    known = build_app()
    async with known.run_test(size=(100, 30)) as pilot:
        await music_playing(pilot)  # the same infusion resumes, now as the piece as written
        assert [e.title for e in known.player.plan.entries if not e.is_bed][0] == "Settling in"
