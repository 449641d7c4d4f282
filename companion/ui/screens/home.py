"""Home: which infusion is next, the rest window, and how to begin."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion.core import series, text
from companion.core.models import Infusion, join_numbers
from companion.core.series import Timing
from companion.store.sessions import DISCARDABLE
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.widgets.crisis import CrisisLine
from companion.ui.widgets.footer import KeysFooter


def day_name(d: date) -> str:
    """Wednesday 4 November."""
    return f"{d:%A} {d.day} {d:%B}"


def span(first: date, last: date) -> str:
    """Wednesday 4 to Friday 6 November (both months when they differ)."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%A} {first.day} to {day_name(last)}"
    return f"{day_name(first)} to {day_name(last)}"


def appointment_label(stored: str, today: date | None = None) -> str:
    """Thursday 5 November, 15:30 (as typed when it is not a date); "today"
    or "tomorrow" in front when it is that close."""
    found = series.appointment_time(stored)
    if found is None:
        return stored
    day, time = found
    label = day_name(day)
    if today is not None and day == today:
        label = text.APPOINTMENT_TODAY.format(day=label)
    elif today is not None and (day - today).days == 1:
        label = text.APPOINTMENT_TOMORROW.format(day=label)
    return f"{label}, {time}" if time else label


def _last_line(window: series.Window, today: date) -> str:
    """When the last infusion was, then where today sits in the plan's window:
    plain words, never a warning."""
    if window.timing is Timing.FIRST or window.last is None:
        return text.HOME_FIRST
    done = series.place(window.place.number - 1).title
    ago = (today - window.last).days
    if ago == 0:
        last = text.HOME_LAST_TODAY.format(place=done)
    elif ago == 1:
        last = text.HOME_LAST_YESTERDAY.format(place=done)
    else:
        last = text.HOME_LAST_ON.format(place=done, day=day_name(window.last))
    if window.earliest is None or window.latest is None:
        plan = text.HOME_BOOSTER
    elif today < window.earliest:
        wait = (window.earliest - today).days
        plan = text.HOME_PLAN_OPENS_TOMORROW if wait == 1 else text.HOME_PLAN_OPENS.format(n=wait)
    elif today > window.latest:
        plan = text.HOME_PLAN_PASSED.format(day=day_name(window.latest))
    elif today == window.latest:
        plan = text.HOME_PLAN_LAST_DAY
    else:
        plan = text.HOME_PLAN_WITHIN
    return f"{last} {plan}"


def describe(window: series.Window, today: date) -> list[str]:
    """The Home screen's lines about the series plan: the next infusion and the
    days it fits, then when the last one was and where today sits."""
    if window.earliest is not None and window.latest is not None:
        first = text.HOME_NEXT_WINDOW.format(place=window.place.title,
                                             span=span(window.earliest, window.latest))
    else:
        first = text.HOME_NEXT.format(place=window.place.long_label)
    return [first, _last_line(window, today)]


def begin_question(window: series.Window) -> str:
    """The question before beginning an infusion; outside the plan's window,
    one calm line says so (no advice)."""
    question = text.HOME_BEGIN_CONFIRM.format(place=window.place.title.lower())
    if window.earliest is not None and window.latest is not None:
        when = span(window.earliest, window.latest)
        if window.timing is Timing.SOONER:
            question += "\n\n" + text.HOME_BEGIN_SOONER.format(span=when)
        elif window.timing is Timing.LATER:
            question += "\n\n" + text.HOME_BEGIN_LATER.format(span=when)
    return question


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
#: Shown in the menu (after the first line) only while they apply.
DISCARD_ITEM = ("discard", "Discard this infusion", "x")
TOLD_ITEM = ("told", "I have told my clinic", "u")
THERAPY_ITEM = ("therapy", "Therapy appointment", "t")


def _menu_line(label: str, key: str) -> str:
    return f"{label:<24}{key:>6}"


class HomeScreen(Screen[None]):
    #: The menu's keys, made from the menu itself so a line and its key never
    #: part (Enter is the menu's own: it chooses the highlighted line).
    BINDINGS = [
        *(Binding(key, action, label, show=False, id=f"home.{action}")
          for action, label, key in (*MENU[1:], DISCARD_ITEM, TOLD_ITEM, THERAPY_ITEM)),
        Binding("q", "app.quit", "Quit", show=False, id="home.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: The extra menu lines that apply now (action names), set by refresh_status.
        self._extras: set[str] = set()

    def compose(self) -> ComposeResult:
        # Scrolls when a small terminal cannot show everything (a reminder, the
        # plan and the safety lines below the menu).
        with VerticalScroll(id="home"):
            yield Static(f"{text.APP_TITLE} · {text.APP_SUBTITLE}", id="title")
            with Horizontal(id="home-main"):
                with Vertical(id="home-status"):
                    yield Static("", id="urinary", classes="alert")
                    yield Static("", id="series")
                    yield Static("", id="timing")
                    yield Static("", id="therapy")
                    yield Static("", id="urinary-told")
                    yield Static("", id="measures")
                yield OptionList(
                    *[Option(_menu_line(label, key), id=action) for action, label, key in MENU],
                    id="menu",
                )
            yield Static(text.NOT_MONITORED, id="not-monitored", classes="safety")
            yield Static(self.app.settings.crisis_contacts, id="crisis", classes="safety",
                         markup=False)
            yield Static(text.RECORDS_ONLY, id="records-only", classes="quiet")
        yield CrisisLine()  # in view however small the terminal; F2 shows it all
        yield KeysFooter(palette=True, quit=True)

    def on_mount(self) -> None:
        self.refresh_status()

    def on_screen_resume(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        self.refresh_measures()
        store = self.app.store
        today = self.app.clock.now().date()
        current = store.sessions.current()
        series_box = self.query_one("#series", Static)
        timing_box = self.query_one("#timing", Static)
        therapy_box = self.query_one("#therapy", Static)
        extras: list[tuple[str, str, str]] = []
        series_box.set_class(current is not None, "-in-progress")
        if self.refresh_urinary():
            extras.append(TOLD_ITEM)
        if current is not None:
            series_box.update(text.HOME_IN_PROGRESS.format(place=current.place.long_label,
                                                           stage=current.stage.title))
            timing_box.update("")
            timing_box.display = False
            therapy_box.display = False
            if current.stage in DISCARDABLE:
                extras.insert(0, DISCARD_ITEM)
            begin = f"Resume: {current.stage.title}"
        else:
            completed = store.sessions.completed()
            window = series.next_window([i.day for i in completed], today)
            lines = describe(window, today)
            series_box.update("\n".join(lines[:-1]))
            timing_box.update(lines[-1])
            timing_box.display = True
            last = completed[-1] if completed else None
            therapy_box.display = last is not None
            if last is not None:
                therapy_box.update(
                    text.HOME_THERAPY.format(when=appointment_label(last.therapy_at, today))
                    if last.therapy_at else text.HOME_THERAPY_NONE
                )
                extras.append(THERAPY_ITEM)
            begin = "Begin session"
        self._extras = {action for action, _label, _key in extras}
        items = [("begin", begin, "Enter"), *extras, *MENU[1:]]
        menu = self.query_one("#menu", OptionList)
        menu.set_options(Option(_menu_line(label, key), id=action) for action, label, key in items)
        self.refresh_bindings()
        self._focus_menu()

    def refresh_urinary(self) -> bool:
        """The reminder to tell the clinic about urinary symptoms, kept until the
        patient marks it as done; then the day they did, until the next
        infusion. True while the reminder stands."""
        sessions = self.app.store.sessions
        untold = sessions.urinary_untold()
        reminder = self.query_one("#urinary", Static)
        reminder.update(text.HOME_URINARY_REMINDER.format(
            numbers=join_numbers([i.number for i in untold])) if untold else "")
        reminder.display = bool(untold)
        told_line = ""
        if not untold:
            infusions = sessions.all()
            told = [i for i in infusions if i.urinary and i.urinary_told_at is not None]
            if told and told[-1].id == infusions[-1].id and told[-1].urinary_told_at is not None:
                told_line = text.HOME_URINARY_TOLD.format(
                    day=day_name(told[-1].urinary_told_at.date()))
        told_box = self.query_one("#urinary-told", Static)
        told_box.update(told_line)
        told_box.display = bool(told_line)
        return bool(untold)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("discard", "told", "therapy"):
            return action in self._extras
        return True

    def _focus_menu(self) -> None:
        menu = self.query_one("#menu", OptionList)
        menu.highlighted = 0
        menu.focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.run_action(event.option.id)

    def action_begin(self) -> None:
        """Resume the infusion in progress; or ask first, then begin the next."""
        store = self.app.store
        if store.sessions.current() is not None:
            self.app.open_session()
            return
        done = [i.day for i in store.sessions.completed()]
        window = series.next_window(done, self.app.clock.now().date())

        def decided(begin: bool | None) -> None:
            if begin:
                self.app.open_session()

        self.app.push_screen(ConfirmDialog(begin_question(window), yes=text.HOME_BEGIN_YES),
                             decided)

    def action_discard(self) -> None:
        """Move the infusion in progress to the trash, after asking; only
        before the Experience."""
        current = self.app.store.sessions.current()
        if current is None or current.stage not in DISCARDABLE:
            return
        begun = current.created_at.date()
        ago = (self.app.clock.now().date() - begun).days
        when = {0: "today", 1: "yesterday"}.get(ago, f"on {day_name(begun)}")
        question = text.HOME_DISCARD_CONFIRM.format(place=current.place.title.lower(), when=when)

        def decided(discard: bool | None) -> None:
            if discard:
                self._discard(current)

        self.app.push_screen(ConfirmDialog(question, yes=text.HOME_DISCARD_YES,
                                           no=text.HOME_DISCARD_NO), decided)

    def _discard(self, infusion: Infusion) -> None:
        self.app.autosave.flush()  # what was typed for it goes to the trash with it
        self.app.store.sessions.discard(infusion.id)
        self.app.notify(text.HOME_DISCARDED.format(place=infusion.place.title))
        self.refresh_status()

    def action_told(self) -> None:
        """The patient has told the clinic about the urinary symptoms."""
        if not self.app.store.sessions.urinary_untold():
            return

        def decided(told: bool | None) -> None:
            if told:
                self.app.store.sessions.mark_urinary_told()
                self.refresh_status()

        self.app.push_screen(ConfirmDialog(text.HOME_URINARY_CONFIRM, yes=text.HOME_URINARY_YES),
                             decided)

    def action_therapy(self) -> None:
        """Set or change the therapy appointment after the last infusion."""
        from companion.ui.dialogs.appointment import AppointmentDialog

        completed = self.app.store.sessions.completed()
        if not completed or self.app.store.sessions.current() is not None:
            return
        last = completed[-1]

        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.app.store.sessions.save_therapy_at(last.id, value)
            self.app.notify(text.THERAPY_SAVED.format(when=appointment_label(value))
                            if value else text.THERAPY_CLEARED)
            self.refresh_status()

        self.app.push_screen(AppointmentDialog(
            text.THERAPY_DIALOG_TITLE.format(place=last.place.title.lower()), last.therapy_at,
            example_day=self.app.clock.now().date() + timedelta(days=7)),
            chosen)

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
        from companion.ui.screens.body_map import BodyMapScreen

        self.app.push_screen(BodyMapScreen(self._questionnaire("acr2016")))

    def action_export(self) -> None:
        from companion.ui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen())

    def action_privacy(self) -> None:
        from companion.ui.screens.privacy import PrivacyScreen

        self.app.push_screen(PrivacyScreen())
