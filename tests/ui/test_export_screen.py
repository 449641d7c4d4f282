"""The Export screen: choose, see the preview change, write the file."""

from __future__ import annotations

import os
import stat

from textual.widgets import Checkbox, Input, RadioButton, SelectionList, Static

from companion.store import Store
from companion.ui.screens.export import ExportScreen
from tests.export.builders import history


def _seed(paths, clock) -> None:
    store = Store.open(paths.database, clock)
    try:
        history(store, clock)
    finally:
        store.close()


def _preview(app) -> str:
    return str(app.screen.query_one("#export-preview", Static).render())


async def test_choose_preview_and_write(build_app, paths, clock, tmp_path):
    _seed(paths, clock)
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        assert "3 infusions, 7 journal entries" in _preview(app)
        assert "1 private journal entry" in _preview(app)

        app.screen.query_one("#export-private", Checkbox).value = True
        await pilot.pause()
        assert "8 journal entries" in _preview(app)

        app.screen.query_one("#export-sessions", SelectionList).select(2)
        await pilot.pause()
        assert "1 infusion," in _preview(app)

        fields = app.screen.query_one("#export-fields", SelectionList)
        fields.deselect("side_effects")
        await pilot.pause()
        assert "the side effects" in _preview(app)

        next(b for b in app.screen.query(RadioButton) if b.name == "md").value = True
        target = tmp_path / "for-therapist.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        report = target.read_text()
        assert "Infusion 2 of 6" in report and "Infusion 1 of 6" not in report
        assert "Stay with the body" in report and "Headache" not in report
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert "Written:" in str(app.screen.query_one("#export-done", Static).render())
        assert [r.format for r in app.store.exports.all()] == ["md"]

        # A second export to the same file asks first; "n" keeps the old file.
        target.write_text("keep")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text() == "keep"


async def test_impossible_range_is_explained_and_export_disabled(build_app, paths, clock):
    _seed(paths, clock)
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#export-since", Input).value = "2026-03-05"
        app.screen.query_one("#export-until", Input).value = "2026-03-01"
        await pilot.pause()
        error = str(app.screen.query_one("#export-error", Static).render())
        assert "impossible" in error
        assert app.screen.check_action("export", ()) is False
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)
