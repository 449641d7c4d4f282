"""Export: the patient chooses what to share with the therapist, sees the
preview, and writes the file (PDF, HTML, Markdown, JSON or CSV)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.selection_list import Selection as Choice

from companion.core import series, text
from rich.text import Text

from companion.export import (
    EXPORTERS,
    ExportProblem,
    Written,
    check_audio,
    check_target,
    record,
    write_file,
)
from companion.export.audio import FORMATS as AUDIO_FORMATS
from companion.export.audio import folder_for
from companion.export.selection import (
    Report,
    Selection,
    DamagedRecords,
    SelectionError,
    build_report,
    parse_day,
    preview_lines,
    tags_in,
)
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.widgets.footer import KeysFooter


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
        #: A file is being written in a worker thread.
        self.writing = False
        #: Journal entries the patient unticked by hand (the others follow the
        #: dates, infusions, tags and the private box: ticked when they are in).
        self.left_out_by_hand: set[int] = set()

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
                yield Checkbox(text.EXPORT_OLDEST_FIRST, id="export-oldest")
                yield Label("Share these parts (untick to leave one out)", classes="prompt")
                yield SelectionList[str](
                    *(Choice(label.removeprefix("the ").capitalize(), key, True) for key, label in text.EXPORT_FIELDS.items()),
                    id="export-fields",
                )
                entries = store.journal.listing(limit=500)
                if entries:
                    yield Label(text.EXPORT_ENTRIES_LABEL, classes="prompt")
                    yield Static(text.EXPORT_ENTRIES_GREYED, classes="quiet")
                    yield SelectionList[int](
                        *(Choice(_entry_line(body, bool(private), day), entry_id, True)
                          for entry_id, body, private, day in entries),
                        id="export-entries",
                    )
                yield Label("Format", classes="prompt")
                with RadioSet(id="export-format"):
                    for name, label in text.EXPORT_FORMATS.items():
                        yield RadioButton(label, value=name == self.format, name=name)
                with Vertical(id="export-pdf-lock"):
                    yield Label(text.EXPORT_PDF_PASSWORD_LABEL, classes="prompt")
                    with Horizontal(classes="row"):
                        yield Input(placeholder="password (optional)", password=True,
                                    id="export-password")
                        yield Input(placeholder="the same again", password=True,
                                    id="export-password-again")
                if store.recordings.count():
                    with Vertical(id="export-audio-choice"):
                        yield Checkbox(text.EXPORT_INCLUDE_AUDIO, id="export-audio")
                        yield Static(text.EXPORT_INCLUDE_AUDIO_HINT, classes="quiet")
                yield Label("Save as", classes="prompt")
                yield Input(default_path(self.format, today), id="export-path")
            with Vertical(id="export-side"):
                yield Static("Preview", classes="section")
                with VerticalScroll(id="export-preview-scroll"):
                    yield Static("", id="export-preview")
                yield Static("", id="export-error", classes="error")
                yield Button("Export (Ctrl+S)", id="export-write", variant="primary")
                yield ProgressBar(total=100, show_eta=False, id="export-progress")
                yield Static("", id="export-done", classes="quiet")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
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
            oldest_first=self.query_one("#export-oldest", Checkbox).value,
            exclude_entries=frozenset(self.left_out_by_hand),
            exclude_fields=frozenset(self._unticked("export-fields")),
        ).check()

    def refresh_preview(self) -> None:
        preview = self.query_one("#export-preview", Static)
        error = self.query_one("#export-error", Static)
        try:
            self.report = build_report(self.app.store, self.selection(), sound=False)
        except (SelectionError, DamagedRecords) as exc:  # one line; a damaged record is named
            self.report = None
            problem = str(exc)
            self.problem = problem[:1].upper() + problem[1:].rstrip(".") + "."
            error.update(self.problem)
            preview.update("")
        else:
            self.problem = ""
            error.update("")
            preview.update(Text("\n\n".join(preview_lines(self.report)) + "\n\n" + report_start(self.report)))
            self._tick_what_is_shared(self.report)
        self.query_one("#export-write", Button).disabled = not self._can_export()
        self.refresh_bindings()

    def _can_export(self) -> bool:
        return (not self.writing and self.report is not None and not self.report.is_empty()
                and bool(self.query_one("#export-path", Input).value.strip()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return self._can_export() if self.is_mounted else False
        if action == "back":
            return not self.writing  # the file is recorded when it is written
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.refresh_preview()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        if event.selection_list.id == "export-entries":
            self._read_hand_ticks(event.selection_list)
        self.refresh_preview()

    def _read_hand_ticks(self, entries: SelectionList) -> None:
        """What the patient unticked: the entries the other choices let in
        (the greyed ones are out whatever is ticked)."""
        chosen = set(entries.selected)
        for index in range(entries.option_count):
            option = entries.get_option_at_index(index)
            if option.disabled:
                continue
            if option.value in chosen:
                self.left_out_by_hand.discard(option.value)
            else:
                self.left_out_by_hand.add(option.value)

    def _tick_what_is_shared(self, report: Report) -> None:
        """Each entry ticked exactly when the report holds it: an entry the
        dates, infusions, tags or the private box leave out is unticked and
        greyed, one the patient unticked stays unticked."""
        found = self.query("#export-entries")
        if not found:
            return
        entries = found.first(SelectionList)
        shared = {row["id"] for row in report.tables.get("entries", [])}
        for index in range(entries.option_count):
            option = entries.get_option_at_index(index)
            outside = option.value not in shared and option.value not in self.left_out_by_hand
            if outside and not option.disabled:
                entries.disable_option_at_index(index)
            elif not outside and option.disabled:
                entries.enable_option_at_index(index)
            ticked = option.value in shared
            if ticked and option.value not in entries.selected:
                entries.select(option.value)
            elif not ticked and option.value in entries.selected:
                entries.deselect(option.value)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        new = event.pressed.name or "pdf"
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.suffix.lower() == EXPORTERS[self.format].suffix:
            path_input.value = str(path.with_suffix(EXPORTERS[new].suffix))
        self.format = new
        self.query_one("#export-pdf-lock").display = new == "pdf"
        for choice in self.query("#export-audio-choice"):
            choice.display = new in AUDIO_FORMATS

    # --- writing -----------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-write":
            event.stop()
            self.action_export()

    def _password(self) -> str | None:
        """The PDF's own password, or None; raises ExportProblem when the two differ."""
        if self.format != "pdf":
            return None
        first = self.query_one("#export-password", Input).value
        again = self.query_one("#export-password-again", Input).value
        if first != again:
            raise ExportProblem(text.EXPORT_PASSWORDS_DIFFER)
        return first or None

    def _include_audio(self) -> bool:
        """The voice recordings' sound goes beside the report (ticked, and a
        format that lists them)."""
        found = self.query("#export-audio")
        return bool(found) and self.format in AUDIO_FORMATS and found.first(Checkbox).value

    def action_export(self) -> None:
        if not self._can_export():
            return
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        there = path if path.exists() and not path.is_dir() else None
        if there is None and self._include_audio() and folder_for(path).is_dir():
            there = folder_for(path)
        if there is not None:
            def decided(replace: bool | None) -> None:
                if replace:
                    self._write(path, force=True)

            self.app.push_screen(
                ConfirmDialog(f"{there} exists already. Replace it?", yes="Replace"), decided
            )
            return
        self._write(path, force=False)

    def _write(self, path: Path, force: bool) -> None:
        """Render and write in a thread (a long PDF takes seconds); the report
        was read from the store here, and the export is recorded back here."""
        assert self.report is not None
        if self.writing:
            return
        report = self.report
        try:
            check_target(path, force)
            if report.count("recordings") and (self.format == "json" or self._include_audio()):
                report = build_report(self.app.store, report.selection)  # now with the sound
            audio = self._include_audio()
            if audio:
                check_audio(self.format, path, force)
            password = self._password()
        except (ExportProblem, DamagedRecords) as exc:
            self.query_one("#export-error", Static).update(str(exc).capitalize() + ".")
            return
        self.writing = True
        self.query_one("#export-write", Button).disabled = True
        self.refresh_bindings()
        self.query_one("#export-error", Static).update("")
        self.query_one("#export-done", Static).update(
            text.EXPORT_WRITING.format(format=text.EXPORT_FORMATS[self.format].split(":")[0])
        )
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=100, progress=0)
        bar.display = True
        self._write_in_thread(report, self.format, path, force, password, audio)

    @work(thread=True, exclusive=True, group="export-write", exit_on_error=False)
    def _write_in_thread(self, report: Report, fmt: str, path: Path, force: bool,
                         password: str | None = None, audio: bool = False) -> None:
        call = self.app.call_from_thread

        def progress(part: float) -> None:
            call(self._progress, part)

        try:
            written = write_file(report, fmt, path, force=force, progress=progress,
                                 password=password, include_audio=audio)
        except ExportProblem as exc:
            call(self._failed, str(exc))
        except Exception as exc:  # never a traceback on the patient's screen
            call(self._failed, text.EXPORT_WRITE_FAILED.format(problem=exc))
        else:
            call(self._written, written, report)

    def _progress(self, part: float) -> None:
        if self.is_mounted:
            self.query_one("#export-progress", ProgressBar).update(progress=part * 100)

    def _finish(self) -> None:
        self.writing = False
        if self.is_mounted:
            self.query_one("#export-progress", ProgressBar).display = False
            self.query_one("#export-write", Button).disabled = not self._can_export()
            self.refresh_bindings()

    def _failed(self, problem: str) -> None:
        self._finish()
        if self.is_mounted:
            self.query_one("#export-done", Static).update("")
            self.query_one("#export-error", Static).update(problem[:1].upper() + problem[1:] + ".")

    def _written(self, written: Written, report: Report) -> None:
        record(self.app.store, written, report)  # on the thread that owns the database
        self._finish()
        done = text.EXPORT_WRITTEN.format(
            path=written.path, size=written.size, records=report.records, sha=written.sha256[:16]
        )
        if written.audio:
            done += "\n" + text.EXPORT_AUDIO_WRITTEN.format(
                count=len(written.audio), folder=written.audio[0].parent)
        if self.is_mounted:
            self.query_one("#export-done", Static).update(done)
        self.notify(f"Saved {written.path.name}", title="Export written")
        self.post_message(self.Written(written.path, written.sha256))

    def action_back(self) -> None:
        if not self.writing:
            self.dismiss()


def _entry_line(body: str, private: bool, day: str | None = None) -> str:
    first = " ".join(body.split())[:40] or "(empty)"
    when = f"{date.fromisoformat(day):%d %b} · " if day and len(day) == 10 else ""
    # "(private)" before the words: a narrow list cuts the end of the line.
    return f"{when}{'(private) ' if private else ''}{first}"


def report_start(report: Report) -> str:
    """The report itself as it begins: the summary and the first section, in Markdown."""
    from companion.export.markdown import render_view
    from companion.export.view import build_view

    if report.is_empty():
        return ""
    body = render_view(build_view(report))
    summary = body.find(f"## {text.REPORT_SUMMARY}")
    if summary < 0:
        return ""
    # Up to the end of the first section after "What this report covers".
    covers = body.find(f"## {text.REPORT_SELECTION}", summary)
    first = body.find("\n## ", covers + 1) if covers >= 0 else -1
    end = body.find("\n## ", first + 1) if first >= 0 else -1
    shown = body[summary:end if end > 0 else None]
    # shown as plain words: the links to sections and their anchors mean nothing here
    shown = re.sub(r'<a id="[^"]*"></a>\n*', "", shown)
    shown = re.sub(r"\[([^\]]+)\]\(#[^)]*\)", r"\1", shown)
    return text.EXPORT_PREVIEW_REPORT + "\n\n" + shown.strip()
