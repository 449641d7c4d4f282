"""Safety text as the patient meets it: the urinary notice in view beside its tick."""

from __future__ import annotations

import pytest
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Checkbox, TextArea

from companion.core import text
from companion.core.stages import Stage
from companion.ui.screens.integration import IntegrationPane
from tests.ui.helpers import music_playing, screen_text, wait_until


def in_view(widget: Widget) -> bool:
    """Wholly inside the screen and inside every scrolling parent's window,
    as laid out in the last update (after any scrolling)."""
    region = widget.region
    if not widget.display or region.area == 0:
        return False
    if not widget.screen.region.contains_region(region):
        return False
    for parent in widget.ancestors:
        if isinstance(parent, ScrollableContainer):
            if not parent.scrollable_content_region.contains_region(region):
                return False
    return True


async def to_integration(pilot) -> IntegrationPane:  # type: ignore[no-untyped-def]
    """Home, through Preparation and Intention, the music ended early, to Integration."""
    app = pilot.app
    await pilot.press("enter", "ctrl+n", "ctrl+n")
    await music_playing(pilot)
    await pilot.press("e", "y")
    assert app.screen.stage is Stage.INTEGRATION
    await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
    return app.screen.query_one(IntegrationPane)


def stored_effects(app) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    app.autosave.flush()
    return app.store.sessions.get(app.screen.infusion_id).side_effects


# --- the urinary notice --------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_ticking_urinary_shows_the_notice_under_the_tick_in_view(build_app, size):
    app = build_app()
    async with app.run_test(size=size) as pilot:
        pane = await to_integration(pilot)
        notice = pane.query_one("#urinary-notice")
        assert not notice.display
        for _ in range(40):  # Tab, as the patient would, to the urinary tick
            if app.focused is not None and app.focused.id == "effect-urinary":
                break
            await pilot.press("tab")
        box = app.focused
        assert isinstance(box, Checkbox) and box.name == "urinary"
        await pilot.press("space")
        await wait_until(pilot, lambda: in_view(notice))
        assert stored_effects(app)["urinary"] is True
        assert in_view(box)
        assert notice.region.y == box.region.bottom  # right under the tick
        assert text.URINARY_NOTICE in screen_text(app)
        assert "let your doctor know immediately" in text.URINARY_NOTICE

        await pilot.press("space")  # untick: the notice goes
        await wait_until(pilot, lambda: not notice.display)
        assert stored_effects(app)["urinary"] is False


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_click_on_the_tick_at_the_bottom_edge_brings_the_notice_up(build_app, size):
    app = build_app()
    async with app.run_test(size=size) as pilot:
        pane = await to_integration(pilot)
        box = pane.query_one("#effect-urinary", Checkbox)
        # The patient has scrolled until the tick is on the last line of the pane.
        window = pane.scrollable_content_region
        pane.scroll_to(y=box.virtual_region.y - window.height + 1, animate=False)
        await pilot.pause()
        assert box.region.bottom == window.bottom
        await pilot.click(box)
        notice = pane.query_one("#urinary-notice")
        await wait_until(pilot, lambda: box.value and notice.display)
        await pilot.pause()
        assert in_view(notice) and in_view(box)
        assert stored_effects(app)["urinary"] is True
