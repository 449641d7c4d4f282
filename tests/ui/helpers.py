"""Small waits for Pilot tests: poll a condition instead of sleeping blindly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app never reached the expected state")
        await pilot.pause(0.05)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Everything the visible widgets show, as plain text."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query(Static):
        if widget.display and widget.is_on_screen:
            rendered = widget.render()
            plain = getattr(rendered, "plain", None)
            parts.append(plain if plain is not None else str(rendered))
    return "\n".join(parts)


async def music_playing(pilot: Pilot) -> None:
    """Wait until the Experience has loaded the playlist and started the music."""
    from companion.ui.stages.experience import ExperiencePane

    pane = pilot.app.screen.query_one(ExperiencePane)
    await wait_until(pilot, lambda: pane.playing)
