"""Export: the patient chooses what to share with the therapist, sees the
preview, and writes the file (PDF, HTML, Markdown, JSON or CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.selection_list import Selection as Choice

from companion.core import series, text
from companion.export import EXPORTERS, ExportProblem, export
from companion.export.selection import (
    Report,
    Selection,
    SelectionError,
    build_report,
    parse_day,
    preview_lines,
    tags_in,
)
from companion.ui.dialogs.confirm import ConfirmDialog


def default_path(fmt: str, today: date) -> str:
    return str(Path.home() / f"companion-report-{today.isoformat()}{EXPORTERS[fmt].suffix}")


class ExportScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="export.back"),
        Binding("ctrl+s", "export", "Export", id="export.write", priority=True),
    ]

    @dataclass
    class Written(Message):
        """An export was written (for whoever wants to know)."""

        path: Path
        sha256: str

    def __init__(self) -> None:
        super().__init__()
        self.report: Report | None = None
        self.problem = ""
        self.format = "pdf"

    def compose(self) -> ComposeResult:
        store = self.app.store
        today = self.app.clock.now().date()
        with Horizontal(id="export"):
            with VerticalScroll(id="export-choices"):
                yield Static(text.EXPORT_TITLE, classes="section")
                yield Static(text.EXPORT_INTRO, classes="intro")
                yield Label("Dates (YYYY-MM-DD, both optional)", classes="prompt")
                with Horizontal(classes="row"):
                    yield Input(placeholder="from", id="export-since")
                    yield Input(placeholder="until", id="export-until")
                yield Label("Infusions (none ticked: all in the dates)", classes="prompt")
                yield SelectionList[int](
                    *(Choice(f"{i.number}. {series.place(i.number).label} · {i.day:%d %b %Y}",
                             i.number) for i in store.sessions.all()),
                    id="export-sessions",
                )
                tags = tags_in(store)
                if tags:
                    yield Label("Tags (none ticked: every journal entry)", classes="prompt")
                    yield SelectionList[str](*(Choice(f"#{t}", t) for t in tags), id="export-tags")
                yield Checkbox("Include private entries", id="export-private")
                yield Label("Share these parts (untick to leave one out)", classes="prompt")
                yield SelectionList[str](
                    *(Choice(label.removeprefix("the ").capitalize(), key, True) for key, label in text.EXPORT_FIELDS.items()),
                    id="export-fields",
                )
                entries = store.db.execute(
                    "select id, text, private from entries where deleted_at is null "
                    "order by id desc limit 500"
                ).fetchall()
                if entries:
                    yield Label("Journal entries (untick to leave one out)", classes="prompt")
                    yield SelectionList[int](
                        *(Choice(_entry_line(body, bool(private)), entry_id, True)
                          for entry_id, body, private in entries),
                        id="export-entries",
                    )
                yield Label("Format", classes="prompt")
                with RadioSet(id="export-format"):
                    for name, label in text.EXPORT_FORMATS.items():
                        yield RadioButton(label, value=name == self.format, name=name)
                yield Label("Save as", classes="prompt")
                yield Input(default_path(self.format, today), id="export-path")
            with Vertical(id="export-side"):
                yield Static("Preview", classes="section")
                yield Static("", id="export-preview")
                yield Static("", id="export-error", classes="error")
                yield Button("Export (Ctrl+S)", id="export-write", variant="primary")
                yield Static("", id="export-done", classes="quiet")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_preview()
        self.query_one("#export-since", Input).focus()

    # --- what is chosen ----------------------------------------------------

    def _list(self, widget_id: str) -> list:
        found = self.query(f"#{widget_id}")
        return list(found.first(SelectionList).selected) if found else []

    def _unticked(self, widget_id: str) -> set:
        found = self.query(f"#{widget_id}")
        if not found:
            return set()
        widget = found.first(SelectionList)
        chosen = set(widget.selected)
        return {widget.get_option_at_index(i).value for i in range(widget.option_count)} - chosen

    def selection(self) -> Selection:
        def day(widget_id: str) -> date | None:
            value = self.query_one(f"#{widget_id}", Input).value.strip()
            return parse_day(value) if value else None

        return Selection(
            since=day("export-since"), until=day("export-until"),
            sessions=tuple(sorted(self._list("export-sessions"))),
            tags=tuple(self._list("export-tags")),
            include_private=self.query_one("#export-private", Checkbox).value,
            exclude_entries=frozenset(self._unticked("export-entries")),
            exclude_fields=frozenset(self._unticked("export-fields")),
        ).check()

    def refresh_preview(self) -> None:
        preview = self.query_one("#export-preview", Static)
        error = self.query_one("#export-error", Static)
        try:
            self.report = build_report(self.app.store, self.selection())
        except SelectionError as exc:
            self.report = None
            self.problem = str(exc).capitalize() + "."
            error.update(self.problem)
            preview.update("")
        else:
            self.problem = ""
            error.update("")
            preview.update("\n\n".join(preview_lines(self.report)))
        self.query_one("#export-write", Button).disabled = not self._can_export()
        self.refresh_bindings()

    def _can_export(self) -> bool:
        return (self.report is not None and not self.report.is_empty()
                and bool(self.query_one("#export-path", Input).value.strip()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return self._can_export() if self.is_mounted else False
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.refresh_preview()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self.refresh_preview()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        new = event.pressed.name or "pdf"
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.suffix.lower() == EXPORTERS[self.format].suffix:
            path_input.value = str(path.with_suffix(EXPORTERS[new].suffix))
        self.format = new

    # --- writing -----------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-write":
            event.stop()
            self.action_export()

    def action_export(self) -> None:
        if not self._can_export():
            return
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if path.exists() and not path.is_dir():
            def decided(replace: bool | None) -> None:
                if replace:
                    self._write(path, force=True)

            self.app.push_screen(
                ConfirmDialog(f"{path} exists already. Replace it?", yes="Replace"), decided
            )
            return
        self._write(path, force=False)

    def _write(self, path: Path, force: bool) -> None:
        assert self.report is not None
        try:
            result = export(self.app.store, self.report.selection, self.format, path,
                            force=force, report=self.report)
        except ExportProblem as exc:
            self.query_one("#export-error", Static).update(str(exc).capitalize() + ".")
            return
        done = (f"Written: {result.path}\n{result.size:,} bytes, {result.report.records} records"
                f"\nSHA-256 {result.sha256[:16]}…")
        self.query_one("#export-done", Static).update(done)
        self.notify(f"Saved {result.path.name}", title="Export written")
        self.post_message(self.Written(result.path, result.sha256))

    def action_back(self) -> None:
        self.dismiss()


def _entry_line(body: str, private: bool) -> str:
    first = " ".join(body.split())[:48] or "(empty)"
    return f"{first}{' (private)' if private else ''}"
