"""A question answered with one key: the arrow keys or the option's number."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceRow(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "step(-1)", "Previous", show=False, id="choice.previous"),
        Binding("right", "step(1)", "Next", show=False, id="choice.next"),
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

    def render(self) -> Text:
        line = Text(f"{self.question:<36}", style="bold")
        for number, option in enumerate(self.options, start=1):
            style = "reverse bold" if option == self.value else ""
            line.append(f" {number} {option} ", style=style)
        return line

    def action_step(self, delta: int) -> None:
        if self.value is None:
            index = 0 if delta > 0 else len(self.options) - 1
        else:
            index = max(0, min(len(self.options) - 1, self.options.index(self.value) + delta))
        self.value = self.options[index]

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.options):
            self.value = self.options[index]

    def action_clear(self) -> None:
        self.value = None

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))
