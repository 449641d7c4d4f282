"""The FIQR questionnaire: 21 answers typed 0-10, saved as a draft as you type.

Bad answers are refused at the field with the reason; the score appears only
once the questionnaire can be scored. A clinic's own wording in
``fiqr_items.toml`` in the home folder replaces the default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from companion.core import measures as m
from companion.core import text
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.widgets.footer import KeysFooter

WORDING_FILE = "fiqr_items.toml"


def load_wording(home: Path | None) -> tuple[m.FiqrWording, str | None]:
    """The clinic's wording from the home folder if there is one, else the default.

    Returns the wording and a problem line when the clinic's file was unusable.
    """
    if home is not None and (home / WORDING_FILE).exists():
        try:
            return m.load_fiqr_items(home / WORDING_FILE), None
        except m.MeasuresError as exc:
            return m.load_fiqr_items(), text.FIQR_WORDING_PROBLEM.format(problem=exc)
    return m.load_fiqr_items(), None


def score_line(answers: m.FiqrAnswers) -> str:
    result = m.score_fiqr(answers)
    answered = f"{answers.answered()} of {len(m.FIQR_ITEMS)} answered"
    if not result.valid:
        return f"{answered}. {text.FIQR_NOT_YET}"
    assert result.total is not None
    parts = (
        f"FIQR total {m.format_fiqr_score(result.total)} of 100 · "
        f"function {m.format_fiqr_score(result.function or 0)} · "
        f"overall {m.format_fiqr_score(result.overall or 0)} · "
        f"symptoms {m.format_fiqr_score(result.symptoms or 0)}"
    )
    if result.prorated:
        parts += " (one blank daily-task item, weighted as published)"
    return f"{answered}. {parts}"


class FiqrScreen(Screen[None]):
    """One FIQR, new or resumed. Dismisses when finished or closed."""

    BINDINGS = [
        Binding("ctrl+s", "finish", "Finish", id="fiqr.finish", priority=True),
        Binding("escape", "close", "Close (kept as draft)", id="fiqr.close"),
    ]

    def __init__(self, questionnaire_id: int) -> None:
        super().__init__()
        self.questionnaire_id = questionnaire_id
        self.values: dict[str, int | None] = {}
        """The answers as last accepted (a refused entry leaves its item as it was)."""
        self.invalid: set[str] = set()
        """Items whose field holds something that is not 0-10."""
        self.before_edit: dict[str, int | None] = {}
        """Each item's answer when its field was last focused: what a refused
        entry puts back (the ``1`` of a refused ``11`` is not kept)."""
        self._problem: str | None = None

    def compose(self) -> ComposeResult:
        store = self.app.store
        questionnaire = store.measures.get(self.questionnaire_id)
        self.values = questionnaire.fiqr_values()
        self.before_edit = dict(self.values)
        paths = getattr(self.app, "paths", None)
        wording, problem = load_wording(paths.home if paths else None)
        self._problem = problem
        yield Static(text.FIQR_TITLE, id="fiqr-title", classes="section")
        yield Static(text.FIQR_INTRO, classes="intro")
        yield Static("", id="fiqr-score")
        with VerticalScroll(id="fiqr-items"):
            number = 0
            for domain in m.FIQR_DOMAINS:
                yield Static(wording.prompts[domain], classes="prompt")
                for item in wording.domain_items(domain):
                    number += 1
                    value = self.values.get(item.key)
                    with Horizontal(classes="fiqr-item"):
                        yield Label(f"{number:>2}. {item.label}", classes="fiqr-label")
                        yield Input(
                            "" if value is None else str(value),
                            placeholder="0-10",
                            name=item.key,
                            id=f"fiqr-{item.key}",
                            classes="fiqr-answer",
                            max_length=4,
                            compact=True,
                        )
                    yield Static(f"0 {item.low} · 10 {item.high}", classes="fiqr-scale")
                    yield Static("", id=f"fiqr-error-{item.key}", classes="error fiqr-error")
            yield Static(text.MEASURES_NOTE, classes="quiet")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self._problem:
            self.notify(self._problem, severity="warning", timeout=10)
        for error in self.query(".fiqr-error"):
            error.display = False
        self._show_score()
        blank = next((k for k in m.FIQR_ITEMS if self.values.get(k) is None), m.FIQR_ITEMS[0])
        self.query_one(f"#fiqr-{blank}", Input).focus()

    def _answers(self) -> m.FiqrAnswers:
        return m.FiqrAnswers(self.values)

    def _show_score(self) -> None:
        self.query_one("#fiqr-score", Static).update(score_line(self._answers()))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input) and event.widget.has_class("fiqr-answer"):
            key = event.widget.name or ""
            self.before_edit[key] = self.values.get(key)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        key = event.input.name or ""
        error = self.query_one(f"#fiqr-error-{key}", Static)
        try:
            value = m.validate_fiqr_answer(event.value)
        except m.MeasuresError as exc:
            self.invalid.add(key)
            event.input.set_class(True, "-invalid-answer")
            error.update(f"“{event.value.strip()}” is not saved: {exc}.")
            error.display = True
            # What the keys of this edit made of the answer is not kept: it is
            # what it was when the field was focused, on screen and stored.
            before = self.before_edit.get(key)
            if self.values.get(key) != before:
                self.values[key] = before
                self._show_score()
                self._schedule_save()
            return
        self.invalid.discard(key)
        event.input.set_class(False, "-invalid-answer")
        error.display = False
        self.values[key] = value
        self._show_score()
        self._schedule_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next(Input)

    def _schedule_save(self) -> None:
        measures = self.app.store.measures
        qid = self.questionnaire_id
        answers = m.fiqr_answers_to_dict(self._answers())
        self.app.autosave.schedule(
            f"questionnaire:{qid}", lambda: measures.save_answers(qid, answers)
        )

    def action_close(self) -> None:
        self.app.autosave.flush()
        if self._answers().answered():
            self.notify(text.FIQR_DRAFT_KEPT)
        self.dismiss(None)

    def action_finish(self) -> None:
        if self.invalid:
            self.notify(text.FIQR_FIX_FIRST, severity="error")
            first = next(k for k in m.FIQR_ITEMS if k in self.invalid)
            self.query_one(f"#fiqr-{first}", Input).focus()
            return
        self.app.autosave.flush()
        result = m.score_fiqr(self._answers())
        if result.valid:
            self._complete()
            self.notify(text.FIQR_FINISHED.format(total=result.total_text))
            self.dismiss(None)
            return

        def decided(save: bool | None) -> None:
            if save:
                self._complete()
                self.notify(text.FIQR_SAVED_UNSCORED)
                self.dismiss(None)
            else:
                first = next(k for k in m.FIQR_ITEMS if self.values.get(k) is None)
                self.query_one(f"#fiqr-{first}", Input).focus()

        self.app.push_screen(
            ConfirmDialog(text.FIQR_SAVE_UNSCORED.format(reason=result.reason), yes="Save anyway"),
            decided,
        )

    def _complete(self) -> Any:
        return self.app.store.measures.complete(
            self.questionnaire_id, m.fiqr_answers_to_dict(self._answers())
        )
