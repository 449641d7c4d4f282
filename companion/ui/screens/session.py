"""One infusion, stage by stage, with the stepper on top."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from companion.core import stages, text
from companion.core.stages import Stage
from companion.ui.autosave import is_write_problem
from companion.ui.stages import StagePane
from companion.ui.stages.experience import ExperiencePane
from companion.ui.stages.integration import IntegrationPane
from companion.ui.stages.intention import IntentionPane
from companion.ui.stages.preparation import PreparationPane
from companion.ui.widgets.crisis import CrisisLine
from companion.ui.widgets.stepper import StageStepper
from companion.ui.widgets.footer import KeysFooter


class SessionScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "next_stage", "Done", id="session.next", priority=True),
        # Ctrl+N was the key before Ctrl+S finished every screen: kept, not shown.
        Binding("ctrl+n", "next_stage", "Next stage", id="session.next-alias", show=False,
                priority=True),
        Binding("ctrl+b", "previous_stage", "Back", id="session.back", priority=True),
        Binding("escape", "home", "Home", id="session.home"),
    ]

    def __init__(self, infusion_id: int) -> None:
        super().__init__()
        self.infusion_id = infusion_id

    @property
    def stage(self) -> Stage:
        return self.app.store.sessions.get(self.infusion_id).stage

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="infusion-title")
        yield StageStepper(id="stepper")
        with ContentSwitcher(initial=self.stage.value, id="stages"):
            yield PreparationPane(self.infusion_id, id=Stage.PREPARATION.value)
            yield IntentionPane(self.infusion_id, id=Stage.INTENTION.value)
            yield ExperiencePane(self.infusion_id, id=Stage.EXPERIENCE.value)
            yield IntegrationPane(self.infusion_id, id=Stage.INTEGRATION.value)
        yield CrisisLine()
        yield KeysFooter(quit=True)

    def _title(self) -> str:
        """The infusion's place in the series and the day it took place (the
        day its Experience began; until then, the day it was begun)."""
        infusion = self.app.store.sessions.get(self.infusion_id)
        day = infusion.day
        if infusion.stage is Stage.EXPERIENCE and infusion.experience_started_at is None:
            day = self.app.clock.now().date()  # starting now; stored within a second
        return f"{infusion.place.long_label} · {day:%A} {day.day} {day:%B %Y}"

    def on_mount(self) -> None:
        self.show(self.stage)

    def show(self, stage: Stage) -> None:
        self.query_one("#stages", ContentSwitcher).current = stage.value
        self.query_one("#infusion-title", Static).update(self._title())
        self.query_one("#stepper", StageStepper).stage = stage
        self.set_class(stage is Stage.EXPERIENCE, "-experience")
        self.query_one(f"#{stage.value}", StagePane).shown()
        self.refresh_bindings()

    def go_next(self) -> None:
        """Move on one stage, saving first; after Integration, back to Home."""
        self.app.autosave.flush()
        try:
            infusion = self.app.store.sessions.advance(self.infusion_id)
        except Exception as exc:  # a refused write: say so, stay, the key works again later
            if not is_write_problem(exc):
                raise
            self.app.autosave.report(exc)
            return
        if infusion.stage is Stage.COMPLETE:
            self.app.notify(text.INTEGRATION_DONE)
            self.dismiss(None)
            return
        self.show(infusion.stage)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        stage = self.stage
        if action == "previous_stage":
            return stages.can_go_back(stage)
        if action == "home":
            return stage is not Stage.EXPERIENCE
        if action == "next_stage" and stage is Stage.EXPERIENCE:
            return False  # the Experience's own Done (Ctrl+S) asks to end early first
        return True

    def action_next_stage(self) -> None:
        if self.stage is Stage.EXPERIENCE:
            self.query_one(ExperiencePane).request_next()
        else:
            self.go_next()

    def action_previous_stage(self) -> None:
        self.app.autosave.flush()
        infusion = self.app.store.sessions.back(self.infusion_id)
        self.show(infusion.stage)

    def action_home(self) -> None:
        self.app.autosave.flush()
        self.dismiss(None)
