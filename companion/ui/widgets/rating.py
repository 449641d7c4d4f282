"""A 0-10 rating chosen with the number keys, the arrow keys or a click.

The number keys compose a number the way a patient expects: ``7`` is 7 at
once; ``1`` is 1 at once too (and saved as 1), but a ``0`` following within
``TEN_WINDOW_S`` makes it 10. After the pause, or once the row loses focus,
a 0 is 0 again.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from companion.core import text
from companion.core.models import RATING_MAX, RATING_MIN

#: Seconds a 1 just typed waits for the 0 that makes it 10.
TEN_WINDOW_S = 1.0

#: Columns of the label before the numbers (a longer label widens it).
LABEL_WIDTH = 10


def _cell(number: int) -> str:
    return f" {number} "


class RatingBar(Widget, can_focus=True):
    """Two lines: a label, the numbers 0 to 10 (the chosen one highlighted)
    and how to reach 10; under the numbers, what 0 and 10 mean."""

    DEFAULT_CSS = """
    RatingBar {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("left", "step(-1)", "Less", show=False, id="rating.less"),
        Binding("right", "step(1)", "More", show=False, id="rating.more"),
        Binding("home", "set(0)", "0", show=False, id="rating.min"),
        Binding("end", "set(10)", "10", show=False, id="rating.max"),
        Binding("backspace,delete", "clear", "Clear", show=False, id="rating.clear"),
        *[Binding(str(n), f"digit({n})", str(n), show=False) for n in range(10)],
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
        self.label_width = max(LABEL_WIDTH, len(label))
        self.cells = self._layout()
        """Where each number sits on the first line: (number, first column, column after).
        The render and a mouse click both use it."""
        self.waiting_for_zero = False
        """A 1 was just typed: a 0 now makes it 10."""
        self._ten_timer: Timer | None = None

    def _layout(self) -> tuple[tuple[int, int, int], ...]:
        cells = []
        column = self.label_width
        for number in range(RATING_MIN, RATING_MAX + 1):
            width = len(_cell(number))
            cells.append((number, column, column + width))
            column += width
        return tuple(cells)

    def _anchors(self) -> str:
        """What 0 and 10 mean, under the two ends of the scale when they fit."""
        width = self.cells[-1][2] - self.cells[0][1]
        if len(self.low) + 1 + len(self.high) <= width:
            return self.low.ljust(width - len(self.high)) + self.high
        return f"{self.low} · {self.high}"

    def render(self) -> Text:
        line = Text()
        line.append(f"{self.label:<{self.label_width}}", style="bold")
        for number, _start, _end in self.cells:
            line.append(_cell(number), style="reverse bold" if number == self.value else "")
        if self.waiting_for_zero:
            line.append(f"  {text.RATING_TEN_WAITING}", style="bold")
        else:
            line.append(f"  {text.RATING_TEN_HINT}", style="dim")
        line.append("\n" + " " * self.label_width + self._anchors(), style="dim")
        return line

    def number_at(self, column: int) -> int | None:
        """The number drawn at this column of the first line, if any."""
        for number, start, end in self.cells:
            if start <= column < end:
                return number
        return None

    def _wait_for_zero(self) -> None:
        self._stop_waiting()
        self.waiting_for_zero = True
        self._ten_timer = self.set_timer(TEN_WINDOW_S, self._stop_waiting)
        self.refresh()

    def _stop_waiting(self) -> None:
        if self._ten_timer is not None:
            self._ten_timer.stop()
            self._ten_timer = None
        if self.waiting_for_zero:
            self.waiting_for_zero = False
            self.refresh()

    def action_digit(self, digit: int) -> None:
        if digit == 0 and self.waiting_for_zero:
            self._stop_waiting()
            self.value = 10
            return
        self.value = digit
        if digit == 1:
            self._wait_for_zero()
        else:
            self._stop_waiting()

    def action_step(self, delta: int) -> None:
        self._stop_waiting()
        if self.value is None:
            # From blank, the choice starts at the end the arrow comes from,
            # as on the rows of answers: → starts at 0, ← at 10.
            self.value = RATING_MIN if delta > 0 else RATING_MAX
        else:
            self.value = max(RATING_MIN, min(RATING_MAX, self.value + delta))

    def action_set(self, value: int) -> None:
        self._stop_waiting()
        self.value = value

    def action_clear(self) -> None:
        self._stop_waiting()
        self.value = None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y != 0:
            return
        number = self.number_at(offset.x)
        if number is not None:
            self._stop_waiting()
            self.value = number

    def on_blur(self) -> None:
        self._stop_waiting()

    def watch_value(self, value: int | None) -> None:
        self.post_message(self.Changed(self, value))
