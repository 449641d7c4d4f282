"""Below the size any screen can serve: one line that says so, instead of a
broken screen. It goes away by itself when the window is large enough."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from companion.core import text

#: The smallest window every screen is built for (issue 15: usable at 60x20).
MIN_WIDTH = 60
MIN_HEIGHT = 20


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")

    def on_mount(self) -> None:
        self.show_size()

    def show_size(self) -> None:
        width, height = self.app.size
        for line in self.query("#too-small").results(Static):  # none until composed
            line.update(text.TOO_SMALL.format(
                width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT))
