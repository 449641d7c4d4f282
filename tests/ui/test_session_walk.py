"""A patient walks one whole infusion through the four stages."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Checkbox, TextArea

from companion.core.stages import Stage
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.stages.experience import ExperiencePane
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.session import SessionScreen
from tests.ui.helpers import music_playing, screen_text, wait_until


async def test_whole_session_through_all_four_stages(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert "Infusion 1 of 6" in screen_text(app)
        await pilot.press("enter")  # asks first
        assert isinstance(app.screen, ConfirmDialog)
        assert "Begin infusion 1 of 6 now?" in screen_text(app)
        await pilot.press("y")
        assert isinstance(app.screen, SessionScreen)
        infusion_id = app.screen.infusion_id

        # 1 Preparation: tick two items, rate pain 7 and mood 4, answer sleep.
        assert app.screen.stage is Stage.PREPARATION
        assert isinstance(app.focused, Checkbox) and app.focused.name == "eye_mask"
        await pilot.press("space", "tab", "space")
        app.screen.query_one("#pre-pain").focus()
        await pilot.press("7")
        app.screen.query_one("#pre-mood").focus()
        await pilot.press("5", "left")
        app.screen.query_one("#life-sleep").focus()
        await pilot.press("3")
        await pilot.press("ctrl+n")

        # 2 Intention
        assert app.screen.stage is Stage.INTENTION
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"rest and soften")
        await pilot.press("ctrl+n")

        # 3 Experience: the music starts by itself on the NULL device.
        assert app.screen.stage is Stage.EXPERIENCE
        pane = app.screen.query_one(ExperiencePane)
        await music_playing(pilot)
        assert app.player.duration == 85 * 60
        await wait_until(pilot, lambda: app.player.position > 0.2)
        await pilot.press("ctrl+b")  # no way back once the Experience has started
        assert app.screen.stage is Stage.EXPERIENCE
        await pilot.press("m")
        assert "Moment marked" in screen_text(app)
        app.player.seek(app.player.duration - 1.0)
        await wait_until(pilot, lambda: pane.finished, timeout=30)
        assert "The music has ended" in screen_text(app)
        await pilot.press("enter")

        # 4 Integration
        assert app.screen.stage is Stage.INTEGRATION
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        assert app.focused.name == "experience"
        assert "Moments you marked" in screen_text(app) or "moment" in screen_text(app).lower()
        await pilot.press(*"colours and warmth")
        assert not app.screen.query_one("#urinary-notice").display
        app.screen.query_one("#effect-urinary", Checkbox).focus()
        await pilot.press("space")
        assert app.screen.query_one("#urinary-notice").display
        assert "let your doctor know immediately" in screen_text(app)
        app.screen.query_one("#post-pain").focus()
        await pilot.press("3")
        app.screen.query_one("#therapy").focus()
        await pilot.press(*"2026-03-04 15:30")
        await pilot.press("ctrl+n")

        assert isinstance(app.screen, HomeScreen)
        assert "Infusion 2 of 6" in screen_text(app)
        # The urinary symptoms ticked above: Home keeps the reminder.
        assert "Urinary symptoms after infusion 1: let your doctor know" in screen_text(app)

    store = app.store
    infusion = store.sessions.get(infusion_id)
    assert infusion.stage is Stage.COMPLETE
    assert infusion.checklist["eye_mask"] and infusion.checklist["headphones"]
    assert not infusion.checklist["water"]
    assert store.sessions.ratings(infusion_id, "pre").as_dict() == {"pain": 7, "mood": 4, "anxiety": None}
    assert store.sessions.ratings(infusion_id, "post").pain == 3
    assert store.checkins.for_day("2026-03-02")["sleep"] == "good"
    assert store.journal.find(infusion_id, "intention").text == "rest and soften"
    assert store.journal.find(infusion_id, "integration", "experience").text == "colours and warmth"
    assert infusion.side_effects["urinary"] and not infusion.side_effects["nausea"]
    assert infusion.therapy_at == "2026-03-04 15:30"
    assert infusion.experience_ended_at is not None and not infusion.ended_early
    [moment] = store.sessions.moments(infusion_id)
    assert moment.position > 0 and moment.track


async def test_back_is_possible_before_the_experience_only(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+n")
        assert app.screen.stage is Stage.INTENTION
        await pilot.press(*"one word")
        await pilot.press("ctrl+b")
        assert app.screen.stage is Stage.PREPARATION
        await pilot.press("ctrl+n")
        assert app.screen.query_one("#intention-text", TextArea).text == "one word"
        await pilot.press("ctrl+n")
        assert app.screen.stage is Stage.EXPERIENCE
        assert app.screen.check_action("previous_stage", ()) is False


async def test_ending_early_asks_first(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
        assert app.screen.stage is Stage.EXPERIENCE
        await music_playing(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # the safe answer: keep listening
        assert app.screen.stage is Stage.EXPERIENCE
        assert not app.screen.query_one(ExperiencePane).finished
        await pilot.press("ctrl+n")  # the same question by the other key
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        assert app.screen.stage is Stage.INTEGRATION
        infusion_id = app.screen.infusion_id
    assert app.store.sessions.get(infusion_id).ended_early


async def test_experience_keys_pause_volume_soften_and_hide_track(build_app):
    app = build_app(volume=0.5)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y", "ctrl+s", "ctrl+s")  # Ctrl+S finishes each stage
        await music_playing(pilot)
        await pilot.press("space")
        assert app.player.paused and "paused" in screen_text(app)
        await pilot.press("space")
        assert not app.player.paused
        await pilot.press("plus", "plus")
        assert app.settings.volume == 0.6
        await pilot.press("h")  # hush: a gentle drop, named apart from the volume
        assert app.player.softened and "hushed" in screen_text(app)
        await pilot.press("h")
        assert not app.player.softened and "hushed" not in screen_text(app)
        await wait_until(pilot, lambda: "♪" in screen_text(app))
        await pilot.press("t")
        assert "♪" not in screen_text(app) and "track hidden" in screen_text(app)


async def test_home_speaks_of_the_plan_after_an_infusion(build_app, clock):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "y")
        await pilot.press("ctrl+n", "ctrl+n")
        await music_playing(pilot)
        await pilot.press("e", "y", "ctrl+n")
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Next: Infusion 2 of 6: from Wednesday 4 to Friday 6 March" in text
        assert "Infusion 1 of 6 was today. The window opens in 2 days." in text
        assert "sooner" not in text  # the same day: nothing to warn about
    clock.advance(timedelta(days=2).total_seconds())
    again = build_app()
    async with again.run_test(size=(100, 30)):
        text = screen_text(again)
        assert "Infusion 1 of 6 was on Monday 2 March. Today is within the window." in text
