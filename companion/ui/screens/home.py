"""Home: which infusion is next, the rest window, and how to begin."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from companion.core import series, text
from companion.core.series import Timing


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


def _ago(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def describe(window: series.Window) -> list[str]:
    """The lines of the Home screen about the series, in plain words."""
    lines = [f"Next: {window.place.long_label}"]
    if window.last is not None and window.days_since_last is not None:
        lines.append(f"Last infusion: {_day(window.last)} ({_ago(window.days_since_last)})")
    if window.earliest is not None and window.latest is not None:
        lines.append(
            f"Recommended window: {_day(window.earliest)} to {_day(window.latest)}"
        )
    lines.append(
        {
            Timing.FIRST: text.HOME_FIRST,
            Timing.WITHIN: text.HOME_WITHIN,
            Timing.SOONER: text.HOME_SOONER,
            Timing.LATER: text.HOME_LATER,
            Timing.BOOSTER: text.HOME_BOOSTER,
        }[window.timing]
    )
    return lines


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "begin", "Begin / resume", id="home.begin"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(f"{text.APP_TITLE} · {text.APP_SUBTITLE}", id="title")
            yield Static("", id="series")
            yield Static("", id="timing")
            with Center():
                yield Button("Begin session", id="begin", variant="primary")
            yield Static(text.NOT_MONITORED, id="not-monitored", classes="safety")
            yield Static(self.app.settings.crisis_contacts, id="crisis", classes="safety")
            yield Static(text.RECORDS_ONLY, id="records-only", classes="quiet")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_status()

    def on_screen_resume(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        store = self.app.store
        current = store.sessions.current()
        button = self.query_one("#begin", Button)
        series_box = self.query_one("#series", Static)
        timing_box = self.query_one("#timing", Static)
        if current is not None:
            series_box.update(
                f"{current.place.long_label} is in progress: {current.stage.title}."
            )
            timing_box.update("")
            button.label = f"Resume: {current.stage.title}"
            button.focus()
            return
        done = [i.day for i in store.sessions.completed()]
        window = series.next_window(done, self.app.clock.now().date())
        lines = describe(window)
        series_box.update("\n".join(lines[:-1]))
        timing_box.update(lines[-1])
        timing_box.set_class(window.timing in (Timing.SOONER, Timing.LATER), "-warning")
        button.label = "Begin session"
        button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "begin":
            self.action_begin()

    def action_begin(self) -> None:
        self.app.open_session()
