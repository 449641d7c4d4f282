"""The daily check-in: the clinic's questions in a few keystrokes, and a view
of the last weeks showing which practices are holding."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from companion.core import journaling, text
from companion.ui.widgets.choice import ChoiceRow
from companion.ui.widgets.crisis import CrisisLine
from companion.ui.widgets.footer import KeysFooter

#: Days in the weeks view.
WEEKS_DAYS = 28


def _glyph(level: float | None) -> str:
    if level is None:
        return "·"
    if level >= 1.0:
        return "●"
    if level <= 0.0:
        return "○"
    return "◐"


def weeks_view(answers_by_day: dict[str, dict[str, str]], last_day: date,
               days: int = WEEKS_DAYS) -> Text:
    """One row a practice, one column a day (oldest on the left), a gap between
    weeks, and how many of the last 7 days the practice held."""
    shown = journaling.days_back(last_day, days)
    questions = journaling.checkin_questions()
    label_width = 16
    out = Text()
    header = " " * label_width
    for n, day in enumerate(shown):
        header += (" " if n % 7 == 0 and n else "") + (day.strftime("%a")[0])
    out.append(header + "   last 7 days\n", style="dim")
    for key, (question, _options) in questions.items():
        label = key.capitalize()[: label_width - 1].ljust(label_width)
        out.append(label, style="bold")
        for n, day in enumerate(shown):
            if n % 7 == 0 and n:
                out.append(" ")
            answer = answers_by_day.get(day.isoformat(), {}).get(key)
            out.append(_glyph(journaling.answer_level(key, answer)))
        held, answered = journaling.held_days(answers_by_day, key, shown[-7:])
        summary = (f"   held {held} of {answered} day{'s' if answered != 1 else ''}"
                   if answered else "   not answered")
        out.append(summary + "\n", style="dim")
    return out


class CheckinRow(ChoiceRow):
    """A check-in question: choosing an answer by its number moves on to the
    next question, so the whole check-in is one key a line."""

    def action_pick(self, index: int) -> None:
        super().action_pick(index)
        if 0 <= index < len(self.options):
            self.screen.focus_next(ChoiceRow)


class CheckinScreen(Screen[None]):
    BINDINGS = [
        Binding("down", "app.focus_next", "Next question", show=False, id="checkin.next"),
        Binding("up", "app.focus_previous", "Previous question", show=False,
                id="checkin.previous"),
        Binding("left_square_bracket", "day(-1)", "Day before", id="checkin.before"),
        Binding("right_square_bracket", "day(1)", "Day after", id="checkin.after"),
        Binding("escape", "back", "Back", id="checkin.back"),
    ]

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self._day = day

    @property
    def day(self) -> date:
        return self._day or self.app.clock.now().date()

    def compose(self) -> ComposeResult:
        answers = self.app.store.checkins.for_day(self.day.isoformat())
        with VerticalScroll(id="checkin"):
            yield Static(text.CHECKIN_TITLE, classes="section")
            yield Static("", id="checkin-day", classes="prompt")
            yield Static(text.CHECKIN_INTRO, classes="intro")
            for key, (question, options) in journaling.checkin_questions().items():
                yield CheckinRow(key, question, options, answers.get(key), id=f"checkin-{key}")
            yield Static(text.CHECKIN_WEEKS_TITLE, classes="section")
            yield Static("", id="checkin-weeks")
            yield Static(text.CHECKIN_WEEKS_NOTE, classes="quiet")
        yield CrisisLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_day()
        self.query_one(ChoiceRow).focus()

    def _answers(self) -> dict[str, str | None]:
        return {row.name: row.value for row in self.query(ChoiceRow) if row.name}

    def _show_day(self) -> None:
        today = self.app.clock.now().date()
        label = {0: "Today", 1: "Yesterday"}.get((today - self.day).days)
        when = f"{self.day:%A} {self.day.day} {self.day:%B}"
        self.query_one("#checkin-day", Static).update(f"{label}, {when}" if label else when)
        self._show_weeks()
        self.refresh_bindings()

    def _show_weeks(self) -> None:
        today = self.app.clock.now().date()
        first = today - timedelta(days=WEEKS_DAYS - 1)
        found = self.app.store.checkins.between(first.isoformat(), today.isoformat())
        # What is on screen may be a second ahead of the database.
        shown = {k: v for k, v in self._answers().items() if v}
        found[self.day.isoformat()] = {
            **{k: v for k, v in found.get(self.day.isoformat(), {}).items()
               if k not in self._answers()},
            **shown,
        }
        self.query_one("#checkin-weeks", Static).update(weeks_view(found, today))

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        event.stop()
        day = self.day.isoformat()
        answers = self._answers()
        checkins = self.app.store.checkins

        def write() -> None:
            merged = dict(checkins.for_day(day))
            for key, value in answers.items():
                if value:
                    merged[key] = value
                else:
                    merged.pop(key, None)
            checkins.save(day, merged)

        self.app.autosave.schedule(f"lifestyle:{day}", write)
        self._show_weeks()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "day" and parameters and self.is_mounted:
            step = int(parameters[0])  # type: ignore[call-overload]
            if step > 0 and self.day >= self.app.clock.now().date():
                return False
        return True

    def action_day(self, step: int) -> None:
        self.app.autosave.flush()
        self._day = self.day + timedelta(days=step)
        answers = self.app.store.checkins.for_day(self._day.isoformat())
        for row in self.query(ChoiceRow):
            with row.prevent(ChoiceRow.Changed):
                row.value = answers.get(row.name or "")
        self._show_day()

    def action_back(self) -> None:
        self.app.autosave.flush()
        self.dismiss(None)
