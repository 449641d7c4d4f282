"""The ACR 2016 self-report as a symptom tracker: a body map and six questions.

Tracking only, never a diagnosis: the label is on the screen with every score.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Static

from companion.core import measures as m
from companion.core import text
from companion.store.measures import acr_blanks, check_draft
from companion.ui.widgets.choice import ChoiceRow
from companion.ui.widgets.footer import KeysFooter

#: Where each region sits on the map, as the patient looks at a picture of
#: themselves from the front: their right on the left of the screen.
MAP_LAYOUT: tuple[str, ...] = ("right_upper", "axial", "left_upper", "right_lower", "left_lower")


def summary(answers: dict[str, Any]) -> str:
    """The live scores line; blanks count as 0 until answered."""
    probe = {k: (0 if v is None else v) for k, v in answers.items()}
    probe["three_months"] = bool(probe.get("three_months"))
    result = m.score_acr2016(m.acr2016_answers_from_dict(probe))
    regions = len(result.regions_with_pain)
    line = (
        f"Widespread pain index {result.wpi} of {m.ACR_MAX_WPI} · "
        f"symptom severity {result.sss} of {m.ACR_MAX_SSS} · "
        f"regions with pain {regions} of 5"
    )
    if not acr_blanks(answers):
        line += (
            f" · fits the 2016 pattern: {'yes' if result.criteria_pattern_met else 'no'}"
        )
    return f"{line}\n{text.ACR_TITLE.split('(')[0].strip()}: {m.ACR2016_LABEL}"


class BodyMapScreen(Screen[None]):
    """One ACR 2016 self-report, new or resumed."""

    BINDINGS = [
        Binding("ctrl+s", "finish", "Finish", id="acr.finish", priority=True),
        Binding("escape", "close", "Close (kept as draft)", id="acr.close"),
    ]

    def __init__(self, questionnaire_id: int) -> None:
        super().__init__()
        self.questionnaire_id = questionnaire_id
        self.answers: dict[str, Any] = {}
        """The answers in the stored form; None while a question is unanswered."""

    def compose(self) -> ComposeResult:
        questionnaire = self.app.store.measures.get(self.questionnaire_id)
        self.answers = check_draft("acr2016", questionnaire.answers)
        painful = set(self.answers["painful_areas"])
        yield Static(text.ACR_TITLE, classes="section")
        yield Static("", id="acr-score")
        with VerticalScroll(id="acr"):
            yield Static(text.ACR_INTRO, classes="intro")
            with Grid(id="body-map"):
                for region in MAP_LAYOUT:
                    with Vertical(id=f"region-{region}", classes="acr-region") as box:
                        box.border_title = text.ACR_REGION_LABELS[region]
                        for area in m.ACR_REGIONS[region]:
                            yield Checkbox(text.ACR_AREA_LABELS[area], area in painful,
                                           name=area, id=f"area-{area}", classes="acr-area")
            yield Static("Past 7 days", classes="section")
            for key, question in text.ACR_SEVERITY.items():
                value = self.answers.get(key)
                yield ChoiceRow(key, question, text.ACR_SEVERITY_OPTIONS,
                                None if value is None else text.ACR_SEVERITY_OPTIONS[value],
                                id=f"acr-{key}")
            yield Static("Past 6 months", classes="section")
            for key, question in text.ACR_YES_NO.items():
                value = self.answers.get(key)
                yield ChoiceRow(key, question, text.ACR_YES_NO_OPTIONS,
                                None if value is None else text.ACR_YES_NO_OPTIONS[int(value)],
                                id=f"acr-{key}")
            three = self.answers.get("three_months")
            yield ChoiceRow("three_months", text.ACR_THREE_MONTHS, text.ACR_YES_NO_OPTIONS,
                            None if three is None else text.ACR_YES_NO_OPTIONS[int(three)],
                            id="acr-three_months")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._refresh()
        self.query_one(Checkbox).focus()

    def _refresh(self) -> None:
        self.query_one("#acr-score", Static).update(summary(self.answers))
        for region in MAP_LAYOUT:
            areas = m.ACR_REGIONS[region]
            count = sum(1 for a in areas if a in self.answers["painful_areas"])
            self.query_one(f"#region-{region}").border_subtitle = f"{count} of {len(areas)}"

    def _save(self) -> None:
        measures = self.app.store.measures
        qid = self.questionnaire_id
        answers = dict(self.answers)
        self.app.autosave.schedule(f"questionnaire:{qid}", lambda: measures.save_answers(qid, answers))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        painful = set(self.answers["painful_areas"])
        if event.value:
            painful.add(event.checkbox.name or "")
        else:
            painful.discard(event.checkbox.name or "")
        self.answers["painful_areas"] = [a for a in m.ACR_AREAS if a in painful]
        self._refresh()
        self._save()

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        event.stop()
        key = event.row.name or ""
        if event.value is None:
            value: Any = None
        elif key in text.ACR_SEVERITY:
            value = text.ACR_SEVERITY_OPTIONS.index(event.value)
        elif key == "three_months":
            value = event.value == "yes"
        else:
            value = text.ACR_YES_NO_OPTIONS.index(event.value)
        if self.answers.get(key) == value and type(self.answers.get(key)) is type(value):
            return
        self.answers[key] = value
        self._refresh()
        self._save()

    def action_close(self) -> None:
        self.app.autosave.flush()
        self.dismiss(None)

    def action_finish(self) -> None:
        blanks = acr_blanks(self.answers)
        if blanks:
            names = [
                {**text.ACR_SEVERITY, **text.ACR_YES_NO,
                 "three_months": text.ACR_THREE_MONTHS}[b] for b in blanks
            ]
            self.notify(text.ACR_UNANSWERED.format(names="; ".join(names)), severity="warning")
            self.query_one(f"#acr-{blanks[0]}").focus()
            return
        self.app.autosave.flush()
        done = self.app.store.measures.complete(self.questionnaire_id, self.answers)
        result = done.acr_result()
        self.notify(text.ACR_FINISHED.format(wpi=result.wpi, sss=result.sss))
        self.dismiss(None)
