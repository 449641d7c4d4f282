"""Home: which infusion is next, the rest window, and how to begin."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

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


#: The Home menu: action, label and key. The keys work without the menu too.
MENU: tuple[tuple[str, str, str], ...] = (
    ("begin", "Begin session", "Enter"),
    ("journal", "Journal", "j"),
    ("checkin", "Daily check-in", "c"),
    ("fiqr", "Questionnaire (FIQR)", "f"),
    ("acr", "Body map", "a"),
    ("progress", "Progress", "p"),
    ("series", "Series", "s"),
    ("export", "Share with therapist", "e"),
    ("privacy", "Privacy and lock", "l"),
)


def _menu_line(label: str, key: str) -> str:
    return f"{label:<24}{key:>6}"


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("j", "journal", "Journal", show=False, id="home.journal"),
        Binding("c", "checkin", "Check-in", show=False, id="home.checkin"),
        Binding("p", "progress", "Progress", show=False, id="home.progress"),
        Binding("f", "fiqr", "Questionnaire (FIQR)", show=False, id="home.fiqr"),
        Binding("a", "acr", "Body map", show=False, id="home.acr"),
        Binding("s", "series", "Series", show=False, id="home.series"),
        Binding("e", "export", "Share with therapist", show=False, id="home.export"),
        Binding("l", "privacy", "Privacy and lock", show=False, id="home.privacy"),
        Binding("q", "app.quit", "Quit", show=False, id="home.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(f"{text.APP_TITLE} · {text.APP_SUBTITLE}", id="title")
            with Horizontal(id="home-main"):
                with Vertical(id="home-status"):
                    yield Static("", id="series")
                    yield Static("", id="timing")
                    yield Static("", id="measures")
                yield OptionList(
                    *[Option(_menu_line(label, key), id=action) for action, label, key in MENU],
                    id="menu",
                )
            yield Static(text.NOT_MONITORED, id="not-monitored", classes="safety")
            yield Static(self.app.settings.crisis_contacts, id="crisis", classes="safety",
                         markup=False)
            yield Static(text.RECORDS_ONLY, id="records-only", classes="quiet")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_status()

    def on_screen_resume(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        self.refresh_measures()
        store = self.app.store
        current = store.sessions.current()
        menu = self.query_one("#menu", OptionList)
        series_box = self.query_one("#series", Static)
        timing_box = self.query_one("#timing", Static)
        if current is not None:
            series_box.update(
                f"{current.place.long_label} is in progress: {current.stage.title}."
            )
            timing_box.update("")
            menu.replace_option_prompt("begin", _menu_line(f"Resume: {current.stage.title}", "Enter"))
            self._focus_menu()
            return
        done = [i.day for i in store.sessions.completed()]
        window = series.next_window(done, self.app.clock.now().date())
        lines = describe(window)
        series_box.update("\n".join(lines[:-1]))
        timing_box.update(lines[-1])
        timing_box.set_class(window.timing in (Timing.SOONER, Timing.LATER), "-warning")
        menu.replace_option_prompt("begin", _menu_line("Begin session", "Enter"))
        self._focus_menu()

    def _focus_menu(self) -> None:
        menu = self.query_one("#menu", OptionList)
        menu.highlighted = 0
        menu.focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.run_action(event.option.id)

    def action_begin(self) -> None:
        self.app.open_session()

    def action_journal(self) -> None:
        from companion.ui.screens.journal import JournalScreen

        self.app.push_screen(JournalScreen())

    def action_checkin(self) -> None:
        from companion.ui.screens.checkin import CheckinScreen

        self.app.push_screen(CheckinScreen())

    # --- Outcome measures and the series (issue 6) ---------------------------

    def refresh_measures(self) -> None:
        """The booster suggestion and whether a questionnaire would be useful now."""
        from companion.core import trends
        from companion.store.measures import FIQR, trend_inputs

        store = self.app.store
        inputs = trend_inputs(store.sessions, store.measures)
        lines: list[str] = []
        check = trends.booster_check(inputs)
        suggest = check is not None and check.worse
        if suggest:
            lines.append(text.BOOSTER_SUGGESTION)
        if store.measures.draft(FIQR) is not None:
            lines.append(text.FIQR_DRAFT_WAITING)
        else:
            latest = store.measures.latest(FIQR)
            ends = [i.completed_at for i in inputs.infusions if i.completed_at is not None]
            if trends.fiqr_due(latest.when if latest else None, max(ends, default=None),
                               self.app.clock.now()):
                lines.append(text.FIQR_DUE)
        box = self.query_one("#measures", Static)
        box.update("\n".join(lines))
        box.display = bool(lines)
        box.set_class(suggest, "-booster")

    def action_progress(self) -> None:
        from companion.ui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen())

    def action_series(self) -> None:
        from companion.ui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen("series"))

    def _questionnaire(self, kind: str) -> int:
        store = self.app.store
        current = store.sessions.current()
        return store.measures.resume_or_start(kind, current.id if current else None).id

    def action_fiqr(self) -> None:
        from companion.ui.screens.fiqr import FiqrScreen

        self.app.push_screen(FiqrScreen(self._questionnaire("fiqr")))

    def action_acr(self) -> None:
        from companion.ui.screens.acr import AcrScreen

        self.app.push_screen(AcrScreen(self._questionnaire("acr2016")))

    def action_export(self) -> None:
        from companion.ui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen())

    def action_privacy(self) -> None:
        from companion.ui.screens.privacy import PrivacyScreen

        self.app.push_screen(PrivacyScreen())
