"""The yardstick for companion's start-up: a bare Textual app that draws a
screen comparable to Home, with nothing behind it.

Issue 18 compares Home "with the patient's data" to "a bare Textual app that
draws a comparable static screen". This one draws Home's layout from fixed
text: a title, six status lines beside a ten-line menu (an OptionList, as
Home's), the three safety and record lines, a crisis line and a footer with
a few keys. It reads no database, no settings and no stylesheet file; its
few style rules are inline. ``bare_textual_app.py`` (one line and a footer)
stays as the smallest possible app, for reference.
"""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

MENU = [("Begin session", "Enter"), ("Therapy appointment", "t"), ("Journal", "j"), ("Daily check-in", "c"),
        ("Questionnaire (FIQR)", "f"), ("Body map", "a"), ("Progress", "p"),
        ("Series", "s"), ("Share with therapist", "e"), ("Privacy and lock", "l")]


class BareHome(App[None]):
    CSS = """
    #home { padding: 1 4; }
    #title { width: 100%; text-align: center; text-style: bold; margin-bottom: 1; }
    #home-main { height: auto; }
    #home-status { width: 1fr; height: auto; padding: 0 2; }
    #menu { width: 36; height: auto; }
    .safety { margin: 1 2 0 2; }
    #crisis-line { dock: bottom; height: 1; }
    #crisis-line Static { width: auto; }
    """
    BINDINGS = [Binding("question_mark", "noop", "Keys"), Binding("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="home"):
            yield Static("companion · for your infusion days", id="title")
            with Horizontal(id="home-main"):
                with Vertical(id="home-status"):
                    yield Static("", id="urinary")
                    yield Static("Next: Infusion 2 of 6: from Tuesday 1 to Thursday 3 December",
                                 id="series")
                    yield Static("Infusion 1 of 6 was today. The window opens in 2 days.",
                                 id="timing")
                    yield Static("No therapy appointment yet: press t to add one.", id="therapy")
                    yield Static("", id="urinary-told")
                    yield Static("", id="measures")
                yield OptionList(*[Option(f"{label:<24}{key:>6}", id=label) for label, key in MENU],
                                 id="menu")
            yield Static("What you write here stays on this computer. It is not read or "
                         "monitored by your clinic.", classes="safety")
            yield Static("If you are in crisis or thinking about harming yourself, call or "
                         "text 988 (US), or call your local emergency number.", classes="safety")
            yield Static("It gives no medical advice: dose, vital signs and treatment "
                         "decisions belong to your clinic.", classes="safety")
        with Horizontal(id="crisis-line"):
            yield Static("In crisis: call or text 988 (US) or your local emergency number.")
            yield Static("F2 in full")
        yield Footer(compact=True)

    def action_noop(self) -> None:
        pass


if __name__ == "__main__":
    BareHome().run()
