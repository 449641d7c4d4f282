"""A question answered with one key (the option's number, the arrow keys,
Home and End) or a click on the answer."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

#: Columns between the longest question of a group and the answers.
QUESTION_GAP = 2
#: Where the answers start on their own line when the window is too narrow
#: for the question and the answers side by side.
WRAPPED_INDENT = 2


def _cell(number: int, option: str) -> str:
    return f" {number} {option} "


class ChoiceRow(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceRow {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ChoiceRow.-wrapped {
        height: 2;
    }
    """

    BINDINGS = [
        Binding("left", "step(-1)", "Previous", show=False, id="choice.previous"),
        Binding("right", "step(1)", "Next", show=False, id="choice.next"),
        Binding("home", "first", "First", show=False, id="choice.first"),
        Binding("end", "last", "Last", show=False, id="choice.last"),
        Binding("backspace,delete", "clear", "Clear", show=False, id="choice.clear"),
        *[Binding(str(n), f"pick({n - 1})", str(n), show=False) for n in range(1, 10)],
    ]

    value: reactive[str | None] = reactive(None)
    """The chosen answer, or None while unanswered."""

    @dataclass
    class Changed(Message):
        row: "ChoiceRow"
        value: str | None

        @property
        def control(self) -> "ChoiceRow":
            return self.row

    def __init__(self, name: str, question: str, options: tuple[str, ...],
                 value: str | None = None, *, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.question = question
        self.options = options
        self.set_reactive(ChoiceRow.value, value if value in options else None)
        self.answers_width = sum(len(_cell(i + 1, o)) for i, o in enumerate(options))

    @property
    def question_width(self) -> int:
        """The answers of a group of questions line up after its longest question."""
        parent = self.parent
        rows = parent.query_children(ChoiceRow) if parent is not None else [self]
        return max((len(row.question) for row in rows), default=len(self.question)) + QUESTION_GAP

    @property
    def wrapped(self) -> bool:
        """Too narrow for the question and the answers on one line: the answers
        go on a line of their own, never cut."""
        width = self.content_region.width if self.is_mounted else 0
        return 0 < width < self.question_width + self.answers_width

    @property
    def cells(self) -> tuple[tuple[int, int, int, int], ...]:
        """Where each answer sits: (option's index, line, first column, column
        after). The render and a mouse click both use it."""
        line, column = (1, WRAPPED_INDENT) if self.wrapped else (0, self.question_width)
        cells = []
        for index, option in enumerate(self.options):
            width = len(_cell(index + 1, option))
            cells.append((index, line, column, column + width))
            column += width
        return tuple(cells)

    def on_resize(self) -> None:
        self.set_class(self.wrapped, "-wrapped")

    def render(self) -> Text:
        wrapped = self.wrapped
        line = Text()
        if wrapped:
            line.append(self.question, style="bold")
            line.append("\n" + " " * WRAPPED_INDENT)
        else:
            line.append(f"{self.question:<{self.question_width}}", style="bold")
        for index, _line, _start, _end in self.cells:
            option = self.options[index]
            line.append(_cell(index + 1, option),
                        style="reverse bold" if option == self.value else "")
        return line

    def option_at(self, column: int, row: int = 0) -> int | None:
        """The index of the answer drawn at this column (and line), if any."""
        for index, line, start, end in self.cells:
            if line == row and start <= column < end:
                return index
        return None

    def action_step(self, delta: int) -> None:
        if self.value is None:
            index = 0 if delta > 0 else len(self.options) - 1
        else:
            index = max(0, min(len(self.options) - 1, self.options.index(self.value) + delta))
        self.value = self.options[index]

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.options):
            self.value = self.options[index]

    def action_first(self) -> None:
        self.value = self.options[0]

    def action_last(self) -> None:
        self.value = self.options[-1]

    def action_clear(self) -> None:
        self.value = None

    def on_click(self, event: events.Click) -> None:
        """A click on an answer chooses it (and only that: a click never moves on)."""
        offset = event.get_content_offset(self)
        index = None if offset is None else self.option_at(offset.x, offset.y)
        if index is not None:
            self.value = self.options[index]

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))
