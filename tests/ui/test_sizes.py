"""Every screen at every size (issue 15).

Snapshots of every screen at 80x24 and 100x30 with data in it (a finished
infusion, journal pages, a FIQR), taken with the fake clock and the NULL audio
backend; each picture was looked at before it was accepted. At 60x20 every
screen opens without raising and keeps the crisis line or the keys list (?)
within reach. Update the pictures with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from companion.ui.dialogs.crisis import CrisisDialog
from companion.ui.dialogs.keys import KeysDialog
from companion.ui.stages.experience import ExperiencePane
from companion.ui.screens.session import SessionScreen
from companion.ui.widgets.crisis import CrisisLine
from tests.ui.helpers import music_playing, screen_text, wait_until
from tests.ui.tour import SCREENS, seed


async def reach(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Press the keys from Home to the screen, and let it settle."""
    app = pilot.app
    for key in SCREENS[name]:
        await pilot.press(key)
        await pilot.pause()
    if name == "experience":
        await music_playing(pilot)
        await pilot.press("space")  # a still picture: paused, the clock at ten minutes
        app.player.seek(600.5)  # half a second in: the shown minutes never flip
        pane = app.screen.query_one(ExperiencePane)
        await wait_until(pilot, lambda: "10:00" in screen_text(app) and "paused" in screen_text(app))
        assert pane.playing
    await pilot.wait_for_scheduled_animations()
    # A still picture: a blinking cursor would be caught on or off at random.
    for field in app.screen.query("Input, TextArea"):
        field.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_every_screen_as_a_picture(name, size, snap_compare, build_app, paths, clock):  # type: ignore[no-untyped-def]
    seed(paths, clock)
    app = build_app()

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await reach(pilot, name)

    assert snap_compare(app, run_before=before, terminal_size=size)


@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_screen_works_at_60x20(name, build_app, paths, clock):  # type: ignore[no-untyped-def]
    seed(paths, clock)
    app = build_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await reach(pilot, name)
        screen = app.screen
        if isinstance(screen, KeysDialog):
            await pilot.press("escape")
            screen = app.screen
        # The keys list is first in the footer, and ? (or F1) opens it.
        footer = screen.query_one(Footer)
        first = next(iter(footer.query("FooterKey")))
        assert first.action == "keys" and first.region.x < 4 and first.region.width > 0
        await pilot.press("f1")
        assert isinstance(app.screen, KeysDialog)
        assert "Escape" in screen_text(app)
        await pilot.press("escape")
        assert app.screen is screen
        # The crisis contacts: their line in view where it is shown, F2 in full everywhere.
        # (The Experience shows neither: the screen stays dark and still.)
        in_experience = isinstance(screen, SessionScreen) and screen.stage.value == "experience"
        lines = screen.query(CrisisLine)
        if lines and not in_experience:
            line = lines.first()
            assert 1 <= line.region.height and line.region.bottom <= 19
            assert line.region.width == 60
        if not in_experience:
            await pilot.press("f2")
            assert isinstance(app.screen, CrisisDialog)
            await pilot.press("escape")


async def test_below_60x20_one_line_says_so_and_the_screen_comes_back(build_app):
    from companion.ui.dialogs.too_small import TooSmallScreen
    from companion.ui.screens.home import HomeScreen

    app = build_app()
    async with app.run_test(size=(50, 16)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, TooSmallScreen)
                         and "Too small (50×16)" in screen_text(app))
        assert "60×20" in screen_text(app)
        await pilot.resize_terminal(60, 20)
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("j")  # the keys work again
        assert type(app.screen).__name__ == "JournalScreen"
