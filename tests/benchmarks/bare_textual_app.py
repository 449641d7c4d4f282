"""The smallest Textual app: the yardstick for companion's start-up."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare textual ready")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
