"""The series at a glance: every infusion, the rest before it, the therapy appointment."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from companion.core import series, text, trends


class SeriesView(Vertical):
    """A table of the infusions; the data comes down as ``trends.Inputs``."""

    def __init__(self, inputs: trends.Inputs, today_window: series.Window | None = None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.inputs = inputs
        self.window = today_window

    def compose(self) -> ComposeResult:
        rows = trends.series_rows(self.inputs.infusions)
        if not rows:
            yield Static(text.SERIES_EMPTY, classes="quiet")
        else:
            table: DataTable[str] = DataTable(id="series-table", cursor_type="row",
                                              zebra_stripes=True)
            table.add_columns("#", "Infusion", "Day", "Rest before", "Therapy appointment")
            for row in rows:
                day = f"{row.day:%a} {row.day.isoformat()}"
                if not row.complete:
                    day += " (in progress)"
                rest = row.rest_text
                if row.timing in (series.Timing.SOONER, series.Timing.LATER):
                    rest = f"! {rest}"
                table.add_row(str(row.number), row.label, day, rest,
                              row.therapy_at or "not set", key=str(row.number))
            yield table
        if self.window is not None:
            lines = [f"Next: {self.window.place.long_label}"]
            if self.window.earliest and self.window.latest:
                lines.append(
                    f"Recommended window: {self.window.earliest.isoformat()} to "
                    f"{self.window.latest.isoformat()}"
                )
            yield Static("\n".join(lines), id="series-next")
        yield Static(text.SERIES_NOTE, classes="quiet")
