"""Preparation: the breathing guide, the test tone's volume, the ratings' keys."""

from __future__ import annotations

from companion import settings as settings_file
from companion.core import text
from companion.ui.dialogs.breathing import BreathingDialog, breath_phase
from companion.ui.widgets.rating import RatingBar
from tests.ui.helpers import screen_text


def test_breathing_pace_is_four_seconds_in_six_out():
    assert breath_phase(0.0) == (text.BREATHING_IN, 0.0)
    assert breath_phase(2.0) == (text.BREATHING_IN, 0.5)
    cue, fullness = breath_phase(7.0)
    assert cue == text.BREATHING_OUT and abs(fullness - 0.5) < 1e-9
    assert breath_phase(10.0) == (text.BREATHING_IN, 0.0)  # six breaths a minute


async def test_breathing_guide_opens_and_closes(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "b")
        assert isinstance(app.screen, BreathingDialog)
        await pilot.pause(0.3)
        assert "Breathe in" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, BreathingDialog)


async def test_volume_chosen_with_the_test_tone_is_kept_for_next_time(build_app, paths):
    app = build_app(volume=0.6)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y")
        await pilot.press("minus", "minus", "minus")
        assert "Volume 45%" in screen_text(app)
        await pilot.press("t")  # the tone plays on the NULL device: nothing to hear here
    assert settings_file.load(paths.settings).volume == 0.45


async def test_ratings_stay_within_0_to_10(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y")
        bar = app.screen.query_one("#pre-anxiety", RatingBar)
        bar.focus()
        await pilot.press("9", "right", "right", "right")
        assert bar.value == 10
        await pilot.press("home", "left")
        assert bar.value == 0
        await pilot.press("backspace")
        assert bar.value is None


async def test_the_music_choice_is_kept_and_the_experience_plays_it(build_app, paths):
    """v on Preparation: "a new variation" is stored, shown, and the Experience then plays the
    infusion's own variation (other seeds); a click on a line chooses it too."""
    from companion.core.playlist import default_playlist
    from tests.ui.helpers import music_playing

    written = {track.title: track.seed for _, track in default_playlist().tracks()}
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y")
        shown = screen_text(app)
        assert f"● {text.MUSIC_CHOICES['known']}" in shown and f"○ {text.MUSIC_CHOICES['new']}" in shown
        await pilot.press("v")
        assert settings_file.load(paths.settings).music_variation == "new"
        shown = screen_text(app)
        assert f"● {text.MUSIC_CHOICES['new']}" in shown and f"○ {text.MUSIC_CHOICES['known']}" in shown
        await pilot.click("#music-choice", offset=(6, 1))  # a click on "the one I know"
        assert settings_file.load(paths.settings).music_variation == "known"
        assert f"● {text.MUSIC_CHOICES['known']}" in screen_text(app)
        await pilot.press("v")
        assert settings_file.load(paths.settings).music_variation == "new"
        await pilot.press("ctrl+n", "ctrl+n")
        await music_playing(pilot)
        number = app.store.sessions.get(app.screen.infusion_id).number
        session = app.player.session
        heard = {track.title: track.seed for _, track in session.playlist.tracks()}
        assert sorted(heard.values()) == sorted((seed + number) % 8 for seed in written.values())
        assert sorted(heard.values()) != sorted(written.values())
        assert all("(variation" in title for title in heard)  # rated as that variation
        assert session.bed.seed == (default_playlist().seed + number) % 8
        assert "(variation" in screen_text(app)  # the Experience names the track it plays

    again = build_app(music_variation=settings_file.load(paths.settings).music_variation)  # as a new process reads it
    async with again.run_test(size=(100, 30)) as pilot:
        await music_playing(pilot)  # the restart resumes the Experience with the same variation
        assert sorted(t.seed for _, t in again.player.session.playlist.tracks()) == sorted(heard.values())
