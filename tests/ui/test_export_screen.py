"""The Export screen: choose, see the preview change, write the file."""

from __future__ import annotations

import os
import stat
import threading

from pypdf import PdfReader
from textual.widgets import Button, Checkbox, Input, ProgressBar, RadioButton, SelectionList, Static

import companion.export.pdf as pdf_format

from companion.store import Store
from companion.ui.screens.export import ExportScreen
from tests.export.builders import history
from tests.ui.helpers import wait_until


def _seed(paths, clock) -> None:
    store = Store.open(paths.database, clock)
    try:
        history(store, clock)
    finally:
        store.close()


def _preview(app) -> str:
    return str(app.screen.query_one("#export-preview", Static).render())


def _shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


async def _written(app, pilot) -> None:
    """Let the writing worker finish and its result reach the screen."""
    await app.workers.wait_for_complete()
    await pilot.pause()


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
        await _written(app, pilot)
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


async def test_a_long_pdf_is_written_in_the_background(build_app, paths, clock, tmp_path, monkeypatch):
    """While the PDF is written the screen shows how far it is and still
    answers; the file and its record arrive when the writing is done."""
    _seed(paths, clock)
    release, halfway = threading.Event(), threading.Event()
    real_render = pdf_format.render

    def slow_render(report, progress=None):
        progress(0.5)
        halfway.set()
        assert release.wait(timeout=20), "the test never let the PDF finish"
        return real_render(report, progress)

    monkeypatch.setattr(pdf_format, "render", slow_render)
    target = tmp_path / "report.pdf"
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert halfway.wait(timeout=20)
        await pilot.pause()

        assert "Writing the PDF" in _shown(app, "#export-done")
        bar = app.screen.query_one("#export-progress", ProgressBar)
        assert bar.display and bar.percentage == 0.5
        assert app.screen.query_one("#export-write", Button).disabled
        assert app.screen.check_action("export", ()) is False
        await pilot.press("escape")  # leaving now would lose the record of the file
        assert app.screen.query_one("#export-private", Checkbox)

        # The screen still answers: the preview follows a new choice at once.
        app.screen.query_one("#export-private", Checkbox).value = True
        await pilot.pause()
        assert "8 journal entries" in _preview(app)
        assert not target.exists() and app.store.exports.all() == []

        release.set()
        await _written(app, pilot)
        assert "Written:" in _shown(app, "#export-done")
        assert not app.screen.query_one("#export-progress", ProgressBar).display
        assert not app.screen.query_one("#export-write", Button).disabled
        pages = PdfReader(target).pages
        assert "Let go of the fear of the pain" in " ".join(p.extract_text() for p in pages)
        [logged] = app.store.exports.all()
        assert logged.format == "pdf" and logged.records > 0
        # The report was the one chosen when Export was pressed (private left out).
        assert "Something only for me" not in "".join(p.extract_text() for p in pages)


async def test_a_failure_while_writing_is_one_line_and_nothing_is_recorded(
    build_app, paths, clock, tmp_path, monkeypatch
):
    _seed(paths, clock)

    def broken(report, progress=None):
        raise ValueError("the font file is damaged")

    monkeypatch.setattr(pdf_format, "render", broken)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.pdf"
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _written(app, pilot)
        assert _shown(app, "#export-error") == (
            "Could not write the export: the font file is damaged."
        )
        assert "Writing" not in _shown(app, "#export-done")
        assert list(out.iterdir()) == []  # no file, no temporary file
        assert app.store.exports.all() == []
        assert app.screen.check_action("export", ()) is True  # the patient can try again


async def test_a_pdf_can_carry_a_password_typed_twice(build_app, paths, clock, tmp_path):
    _seed(paths, clock)
    target = tmp_path / "locked.pdf"
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-password", Input).value = "river stone 7"
        app.screen.query_one("#export-password-again", Input).value = "river stone"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _written(app, pilot)
        assert "passwords differ" in _shown(app, "#export-error")
        assert not target.exists()

        app.screen.query_one("#export-password-again", Input).value = "river stone 7"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _written(app, pilot)
        assert target.exists()

        # The password field is offered for the PDF only.
        [markdown] = [b for b in app.screen.query(RadioButton) if b.name == "md"]
        markdown.value = True
        await pilot.pause()
        assert not app.screen.query_one("#export-pdf-lock").display

    reader = PdfReader(str(target))
    assert reader.is_encrypted
    assert reader.decrypt("wrong") == 0
    assert reader.decrypt("river stone 7") != 0
    assert "Infusion" in reader.pages[0].extract_text()


async def test_the_preview_shows_the_report_itself_and_the_order_can_be_turned(build_app, paths, clock, tmp_path):
    _seed(paths, clock)
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("e")
        shown = _preview(app)
        # The summary with what to bring to therapy, then the newest infusion.
        assert "What I would like to bring to therapy" in shown
        assert "The image of my grandmother" in shown
        assert "Infusion 3 of 6 in the initiation series: " in shown
        assert "Infusion 1 of 6 in the initiation series: " not in shown
        # The entry list shows the dates.
        entries = app.screen.query_one("#export-entries", SelectionList)
        lines = [str(entries.get_option_at_index(i).prompt) for i in range(entries.option_count)]
        assert any(line.startswith("03 Mar · Slept ten hours") for line in lines), lines

        await pilot.click("#export-oldest")
        await pilot.pause()
        assert app.screen.query_one("#export-oldest", Checkbox).value
        shown = _preview(app)
        assert "Infusion 1 of 6 in the initiation series: " in shown
        assert "Infusion 3 of 6 in the initiation series: " not in shown

        next(b for b in app.screen.query(RadioButton) if b.name == "md").value = True
        target = tmp_path / "oldest.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _written(app, pilot)
        report = target.read_text()
        assert report.index("## Infusion 1 of 6") < report.index("## Infusion 3 of 6")


async def test_the_entry_list_ticks_exactly_what_will_be_shared(build_app, paths, clock, tmp_path):
    """Ticked means shared: a private entry (box off) or one outside the dates
    is unticked and greyed; one the patient unticks stays out, and stays
    unticked when the other choices change."""
    store = Store.open(paths.database, clock)
    try:
        old = store.journal.add("an old page from February", day="2026-02-01")
        private = store.journal.add("a private worry", private=True)
        shared = store.journal.add("slept well and walked")
        kept_out = store.journal.add("a page I keep for myself")
    finally:
        store.close()
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        entries = app.screen.query_one("#export-entries", SelectionList)

        def state() -> dict[int, tuple[bool, bool]]:
            """entry id -> (ticked, greyed)"""
            return {entries.get_option_at_index(i).value: (
                entries.get_option_at_index(i).value in entries.selected,
                entries.get_option_at_index(i).disabled) for i in range(entries.option_count)}

        await pilot.pause()
        assert state()[private.id] == (False, True)  # the private box is off
        assert state()[old.id] == state()[shared.id] == (True, False)

        await pilot.click("#export-private")  # the box on: the private entry is shared
        await pilot.pause()
        assert state()[private.id] == (True, False)

        await pilot.click("#export-since")
        await pilot.press(*"2026-03-01")
        await pilot.pause()
        assert state()[old.id] == (False, True)  # before the dates: out, greyed

        entries.focus()  # untick one by hand, with the keys
        await pilot.pause()
        index = next(i for i in range(entries.option_count)
                     if entries.get_option_at_index(i).value == kept_out.id)
        entries.highlighted = index
        await pilot.press("space")
        await pilot.pause()
        assert state()[kept_out.id] == (False, False)

        await pilot.click("#export-since")  # the dates cleared: the old page comes back,
        await pilot.press("end", "ctrl+u")  # the hand-unticked one stays out
        await pilot.pause()
        assert state()[old.id] == (True, False)
        assert state()[kept_out.id] == (False, False)

        next(b for b in app.screen.query(RadioButton) if b.name == "md").value = True
        target = tmp_path / "chosen.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _written(app, pilot)
    report = target.read_text()
    assert "slept well and walked" in report and "a private worry" in report
    assert "an old page from February" in report
    assert "a page I keep for myself" not in report
