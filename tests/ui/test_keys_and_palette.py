"""Keys and the command palette (issue 15): ? lists a screen's keys, Ctrl+P
offers the app's own actions (never a screenshot, never during the
Experience), the theme is kept for the next start, and marking a moment is
heard as well as seen."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from companion import settings as settings_file
from companion.ui.dialogs.keys import KeysDialog
from companion.ui.screens.body_map import BodyMapScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.journal import JournalScreen
from tests.ui.helpers import music_playing, screen_text, wait_until


def palette_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    listing = app.screen.query_one(CommandList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_question_mark_lists_the_keys_of_the_screen_and_closes_again(build_app):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysDialog)
        shown = screen_text(app)
        assert "Keys: Home" in shown and "Journal" in shown and "Crisis contacts" in shown
        await pilot.press("question_mark")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter", "y", "ctrl+s", "ctrl+s")
        await music_playing(pilot)
        await pilot.press("f1")
        shown = screen_text(app)
        assert "Keys: Experience" in shown
        for name in ("Mark", "Vol up", "Vol down", "Hush", "End early", "Quit"):
            assert name in shown
        assert "Soften" not in shown and "Softer" not in shown
        assert app.screen.has_class("-dark")  # over the Experience it stays dark
        await pilot.press("escape")


async def test_the_palette_offers_the_apps_actions_and_no_screenshot(build_app):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_until(pilot, lambda: len(palette_lines(app)) > 5)
        lines = "\n".join(palette_lines(app))
        for title in ("Begin or resume the session", "Journal", "New journal page", "Body map",
                      "Share with therapist", "Privacy and lock", "Theme"):
            assert title in lines
        assert "Screenshot" not in lines
        await pilot.press(*"body map")
        await wait_until(pilot, lambda: "Body map" in "\n".join(palette_lines(app)))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BodyMapScreen))
        await pilot.press("escape", "ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"new journal page")
        await wait_until(pilot, lambda: "New journal page" in "\n".join(palette_lines(app)))
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EntryScreen")
        await pilot.press("escape")
        assert isinstance(app.screen, JournalScreen)


async def test_no_palette_during_the_experience(build_app):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "y", "ctrl+s", "ctrl+s")
        await music_playing(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, CommandPalette)
        assert "palette" not in screen_text(app)


async def test_the_chosen_theme_is_kept_for_the_next_start(build_app, paths):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"  # what the palette's Theme command sets
        await pilot.pause()
    assert settings_file.load(paths.settings).theme == "textual-light"
    again = build_app(theme=settings_file.load(paths.settings).theme)
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.theme == "textual-light"


@pytest.mark.parametrize("wanted", [True, False], ids=["tone", "no-tone"])
async def test_marking_a_moment_plays_the_soft_tone_unless_turned_off(build_app, wanted):
    app = build_app(mark_tone=wanted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "y", "ctrl+s", "ctrl+s")
        await music_playing(pilot)
        await pilot.press("m")
        assert "Moment marked" in screen_text(app)
        assert app.player.cue_playing is wanted


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_the_experience_is_the_darkest_screen_in_every_theme(build_app, theme):
    from textual.color import Color

    from companion.ui.stages.experience import ExperiencePane

    app = build_app(theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        home_background = app.screen.styles.background
        await pilot.press("enter", "y", "ctrl+s", "ctrl+s")
        await music_playing(pilot)
        pane = app.screen.query_one(ExperiencePane)
        dark = pane.styles.background
        assert dark == Color(0, 0, 0)
        assert dark.brightness < home_background.brightness or home_background == dark
        footer = app.screen.query_one("Footer")
        assert footer.styles.background == Color(0, 0, 0)
        await pilot.press("e")  # the dialog over it keeps the dark
        dialog = app.screen.query_one("#dialog")
        assert dialog.styles.background == Color(0, 0, 0)
        await pilot.press("n")
