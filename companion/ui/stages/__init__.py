"""The four stages of an infusion, one pane each, shown in turn by
``ui/screens/session.py``: Preparation, Intention, Experience, Integration.

Every pane is a ``StagePane``: it knows its infusion and is told when it is
shown (``shown``), where it puts the focus and refreshes what may have
changed since the session opened.
"""

from __future__ import annotations

from typing import Any


class StagePane:
    """One stage's pane, mixed into the container it is drawn as
    (``class PreparationPane(StagePane, VerticalScroll)``).

    A plain class, not a Widget: Textual takes a widget's default styles and
    CSS type names along its first widget base only, which must stay the
    container (a VerticalScroll keeps its scrolling)."""

    screen: Any

    def __init__(self, infusion_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.infusion_id = infusion_id

    def shown(self) -> None:
        """The session has just moved to this stage: the first field takes
        the focus. Panes that refresh or start something override it."""
        self.focus_first()

    def focus_first(self) -> None:
        self.screen.focus_next()
