"""A 0-10 rating chosen with the arrow keys or a digit."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from companion.core.models import RATING_MAX, RATING_MIN


class RatingBar(Widget, can_focus=True):
    """One line: a label and the numbers 0 to 10, the chosen one highlighted."""

    BINDINGS = [
        Binding("left", "step(-1)", "Less", show=False, id="rating.less"),
        Binding("right", "step(1)", "More", show=False, id="rating.more"),
        Binding("home", "set(0)", "0", show=False, id="rating.min"),
        Binding("end", "set(10)", "10", show=False, id="rating.max"),
        Binding("backspace,delete", "clear", "Clear", show=False, id="rating.clear"),
        *[Binding(str(n), f"set({n})", str(n), show=False) for n in range(10)],
    ]

    value: reactive[int | None] = reactive(None)
    """The rating, or None while not rated."""

    @dataclass
    class Changed(Message):
        bar: "RatingBar"
        value: int | None

        @property
        def control(self) -> "RatingBar":
            return self.bar

    def __init__(self, name: str, label: str, low: str, high: str, value: int | None = None,
                 *, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.label = label
        self.low = low
        self.high = high
        self.set_reactive(RatingBar.value, value)

    def render(self) -> Text:
        line = Text(f"{self.label:<10}", style="bold")
        for n in range(RATING_MIN, RATING_MAX + 1):
            style = "reverse bold" if n == self.value else ""
            line.append(f" {n} ", style=style)
        line.append(f"  {self.low} · {self.high}", style="dim")
        return line

    def action_step(self, delta: int) -> None:
        if self.value is None:
            self.value = 5 if delta > 0 else 5
        else:
            self.value = max(RATING_MIN, min(RATING_MAX, self.value + delta))

    def action_set(self, value: int) -> None:
        self.value = value

    def action_clear(self) -> None:
        self.value = None

    def watch_value(self, value: int | None) -> None:
        self.post_message(self.Changed(self, value))
