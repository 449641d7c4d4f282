"""The Experience's clock: the music's place, second by second, at little cost.

While the music plays the screen changes once a second (two lines of digits);
it repaints them without laying the whole screen out again.
"""

from __future__ import annotations

import re

from textual.screen import Screen
from textual.widgets import ProgressBar

from companion.core.models import format_duration
from companion.ui.stages.experience import ExperiencePane
from tests.ui.helpers import music_playing, screen_text, wait_until

CLOCK = re.compile(r"^(\d\d:\d\d)\nelapsed · (\d\d:\d\d) remaining of (\d\d:\d\d)$", re.M)


def seconds(clock: str) -> int:
    minutes, secs = clock.split(":")
    return int(minutes) * 60 + int(secs)


def shown(app) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    found = CLOCK.search(screen_text(app))
    assert found, screen_text(app)
    elapsed, remaining, total = (seconds(x) for x in found.groups())
    return elapsed, remaining, total


async def test_the_clock_follows_the_music_and_the_screen_is_not_laid_out_every_second(build_app, monkeypatch):
    layouts, bar_updates = [], []
    original = Screen._refresh_layout
    original_update = ProgressBar.update

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        layouts.append(self)
        return original(self, *args, **kwargs)

    def counted_update(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "progress" in kwargs:  # what the screen tells the bar (the bar calls update() itself too)
            bar_updates.append(kwargs)
        return original_update(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    monkeypatch.setattr(ProgressBar, "update", counted_update)
    app = build_app()
    for size in ((80, 24), (100, 30)):
        async with app.run_test(size=size) as pilot:
            if not app.screen.query(ExperiencePane):
                await pilot.press("enter", "y", "ctrl+n", "ctrl+n")  # begin, then to the Experience
            await music_playing(pilot)
            begun = app.player.position  # 0, or where it resumes after a restart
            await wait_until(pilot, lambda: app.player.position >= begun + 1.5)  # started, keys settled
            first, _, total = shown(app)
            assert total == round(app.player.duration) == 85 * 60
            layouts.clear()
            bar_updates.clear()
            await wait_until(pilot, lambda: shown(app)[0] >= first + 3, timeout=20)
            elapsed, remaining, total = shown(app)
            assert total - 1 <= elapsed + remaining <= total  # the two lines agree (each shows whole seconds)
            assert abs(elapsed - app.player.position) <= 1.5  # and follow the music
            assert format_duration(elapsed, clock=True) in screen_text(app)
            # three seconds went by on screen without one layout of the screen
            assert [screen for screen in layouts if screen is app.screen] == []
            # nor one repaint of the bar: at 85 minutes its fill moves half a cell every minute or two
            assert bar_updates == []
            bar = app.screen.query_one("#progress", ProgressBar)
            half_cells = 2 * bar.query_one("#bar").size.width
            assert abs(bar.percentage - app.player.position / app.player.duration) <= 1.5 / half_cells
            await pilot.press("space")  # pause: the clock stands still
            await wait_until(pilot, lambda: app.player.paused)
            await pilot.pause(0.5)
            stopped = shown(app)
            await pilot.pause(1.5)
            assert shown(app) == stopped
            await pilot.press("space")
            await wait_until(pilot, lambda: not app.player.paused)
        app = build_app()  # as after a restart: the Experience comes back with its clock
