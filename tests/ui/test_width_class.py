"""Every screen has the width class of the terminal (-tiny below 70 columns,
-narrow below 100, -wide from 100), from its first frame and after a resize.

The app gives a screen its class as it is pushed (issue 18: Home is styled
once before its first frame instead of twice); Textual's own rule on each
resize must agree with it.
"""

from __future__ import annotations

import pytest

from companion.ui.screens.home import HomeScreen
from tests.ui.helpers import screen_text, wait_until

WIDTHS = ("-tiny", "-narrow", "-wide")


def width_class(screen) -> str:  # type: ignore[no-untyped-def]
    found = [name for name in WIDTHS if name in screen.classes]
    assert len(found) == 1, f"{type(screen).__name__} has {found}"
    return found[0]


@pytest.mark.parametrize(("size", "expected", "padding"), [
    ((100, 30), "-wide", (1, 4, 1, 4)),
    ((80, 24), "-narrow", (1, 4, 1, 4)),
    ((60, 20), "-tiny", (0, 1, 0, 1)),
])
async def test_home_and_the_screens_it_opens_have_the_terminals_width_class(
        build_app, size, expected, padding):  # type: ignore[no-untyped-def]
    app = build_app()
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen)
                         and "Infusion 1 of 6" in screen_text(app))
        home = app.screen
        assert width_class(home) == expected
        # Home is laid out for that width: below 70 columns less padding (app.tcss).
        assert tuple(home.query_one("#home").styles.padding) == padding
        assert "Infusion 1 of 6" in screen_text(app)
        await pilot.press("f2")  # a dialog
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CrisisDialog")
        assert width_class(app.screen) == expected
        await pilot.press("escape")
        await pilot.press("j")  # a screen of its own
        await wait_until(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert width_class(app.screen) == expected
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home)


async def test_the_width_class_follows_a_resize(build_app):  # type: ignore[no-untyped-def]
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        assert width_class(home) == "-wide"
        await pilot.resize_terminal(65, 24)
        await wait_until(pilot, lambda: "-tiny" in home.classes)
        assert width_class(home) == "-tiny"
        assert tuple(home.query_one("#home").styles.padding) == (0, 1, 0, 1)
        await pilot.press("j")  # pushed at the new width
        await wait_until(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert width_class(app.screen) == "-tiny"
        await pilot.resize_terminal(85, 24)
        await wait_until(pilot, lambda: "-narrow" in app.screen.classes)
        assert width_class(app.screen) == "-narrow"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home)
        await wait_until(pilot, lambda: "-narrow" in home.classes)
        assert width_class(home) == "-narrow"
        assert tuple(home.query_one("#home").styles.padding) == (1, 4, 1, 4)


async def test_home_has_its_width_class_when_it_is_mounted(build_app, monkeypatch):  # type: ignore[no-untyped-def]
    """Not only after Textual's first Resize of the screen, which would style
    every widget of Home a second time before its first frame."""
    seen: list[set[str]] = []
    mounted = HomeScreen.on_mount

    def on_mount(self) -> None:  # type: ignore[no-untyped-def]
        seen.append(set(self.classes))
        mounted(self)

    monkeypatch.setattr(HomeScreen, "on_mount", on_mount)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and bool(seen))
        assert seen[0] & set(WIDTHS) == {"-narrow"}
        assert width_class(app.screen) == "-narrow"
