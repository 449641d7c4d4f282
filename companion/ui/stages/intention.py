"""Intention: what the patient brings to this infusion."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from companion.core import text
from companion.ui.widgets.journal_area import JournalArea
from companion.ui.stages import StagePane


class IntentionPane(StagePane, Vertical):

    def compose(self) -> ComposeResult:
        journal = self.app.store.journal
        current = journal.find(self.infusion_id, "intention")
        earlier = journal.intentions(exclude_infusion=self.infusion_id)
        yield Static(text.STAGE_INTROS["intention"], classes="intro")
        with Horizontal():
            with Vertical(id="intention-left"):
                yield JournalArea(current.text if current else "", id="intention-text",
                               soft_wrap=True, show_line_numbers=False)
                yield Static(text.INTENTION_DONE_KEY,
                             classes="quiet")
            with Vertical(id="intention-right"):
                yield Label(text.INTENTION_PROMPTS_TITLE, classes="section")
                yield Static("\n".join(f"· {p}" for p in text.INTENTION_PROMPTS), id="prompts")
                yield Static(text.INTENTION_EARLIER, classes="section")
                if earlier:
                    yield OptionList(
                        *[Option(_preview(e.text), id=str(e.id)) for e in earlier[:20]],
                        id="earlier",
                    )
                else:
                    yield Static(text.INTENTION_EMPTY_HISTORY, classes="quiet")

    def focus_first(self) -> None:
        self.query_one("#intention-text", TextArea).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        value = event.text_area.text
        journal = self.app.store.journal
        self.app.autosave.schedule(
            f"intention:{self.infusion_id}",
            lambda: journal.save_for(self.infusion_id, "intention", "", value),
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self.app.store.journal.get(int(event.option.id or 0)).text
        area = self.query_one("#intention-text", TextArea)
        joiner = "" if not area.text.strip() else ("\n" if area.text.endswith("\n") else "\n\n")
        area.insert(joiner + chosen, area.document.end)
        area.focus()


def _preview(value: str, width: int = 40) -> str:
    line = " ".join(value.split())
    return line if len(line) <= width else line[: width - 1] + "…"
