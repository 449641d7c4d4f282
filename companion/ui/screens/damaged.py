"""The one screen for a damaged database: what happened, and the newest good copy.

Shown instead of the app when the integrity check at start fails. It never
writes to the damaged file: restoring moves it, untouched, into
``<home>/damaged/`` and puts the copy in its place (``store/backup.py``).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion.core import text
from companion.paths import Paths
from companion.store import backup
from companion.store.db import DamagedDatabase
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.widgets.footer import KeysFooter


class DamagedScreen(Screen[bool]):
    """Dismissed with True once a copy is restored, False to quit unchanged."""

    BINDINGS = [
        Binding("r", "restore", "Restore the copy", id="damaged.restore"),
        Binding("q,escape", "quit_unchanged", "Quit", id="damaged.quit"),
    ]

    def __init__(self, database: Path, problem: str, copy: backup.Backup | None) -> None:
        super().__init__()
        self.database = database
        self.problem = problem
        self.copy = copy
        self.restored: backup.Restored | None = None

    def compose(self) -> ComposeResult:
        aside = backup.damaged_folder_for(self.database)
        with Vertical(id="damaged"):
            yield Static(text.DAMAGED_TITLE, id="damaged-title")
            yield Static(self.problem, id="damaged-problem")
            yield Static(text.DAMAGED_UNCHANGED.format(path=self.database), id="damaged-unchanged",
                         classes="quiet")
            if self.copy is not None:
                yield Static(text.DAMAGED_OFFER.format(label=self.copy.label, aside=aside)
                             + "\n\n" + backup.newer_line(self.database, self.copy), id="damaged-offer")
            else:
                yield Static(text.DAMAGED_NO_COPY.format(folder=backup.folder_for(self.database)),
                             id="damaged-offer")
            options = []
            if self.copy is not None:
                options.append(Option(text.DAMAGED_RESTORE.format(label=self.copy.label), id="restore"))
            options.append(Option(text.DAMAGED_QUIT, id="quit_unchanged"))
            yield OptionList(*options, id="damaged-menu")
            yield Static("", id="damaged-result")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#damaged-menu", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self.copy is not None and self.restored is None
        return True

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "open":
            self.dismiss(True)
        elif event.option.id:
            await self.run_action(event.option.id)

    def action_quit_unchanged(self) -> None:
        self.dismiss(self.restored is not None)

    def action_restore(self) -> None:
        if self.copy is None or self.restored is not None:
            return
        copy = self.copy

        def decided(yes: bool | None) -> None:
            if yes:
                self._restore(copy)

        self.app.push_screen(
            ConfirmDialog(text.DAMAGED_CONFIRM.format(label=copy.label), yes="Restore"), decided
        )

    def _restore(self, copy: backup.Backup) -> None:
        result = self.query_one("#damaged-result", Static)
        try:
            self.restored = backup.restore(self.database, copy.path)
        except (backup.BackupError, OSError) as exc:
            result.update(text.DAMAGED_FAILED.format(reason=exc))
            result.add_class("-error")
            return
        result.remove_class("-error")
        for done in ("#damaged-problem", "#damaged-unchanged", "#damaged-offer"):
            self.query_one(done).display = False
        result.update(text.DAMAGED_RESTORED.format(aside=self.restored.kept_aside))
        menu = self.query_one("#damaged-menu", OptionList)
        menu.clear_options()
        menu.add_option(Option("Open companion", id="open"))
        menu.highlighted = 0
        menu.focus()
        self.refresh_bindings()


class DamagedApp(App[bool]):
    """The damaged screen on its own: the patient's records cannot be opened yet."""

    CSS_PATH = ["../app.tcss", "../screens.tcss"]
    TITLE = text.APP_TITLE

    def __init__(self, database: Path, problem: str, copy: backup.Backup | None) -> None:
        super().__init__()
        self._screen_args = (database, problem, copy)

    def on_mount(self) -> None:
        self.push_screen(DamagedScreen(*self._screen_args), self.exit)


def offer_backup(paths: Paths, cause: BaseException | None) -> bool | None:
    """Show the damaged screen when ``cause`` is a damaged database.

    None when it is not (the caller reports its own error); True once a copy
    is restored, False when the patient quits with nothing changed (the
    caller says so in one line: ``text.DAMAGED_QUIT_LINE``).
    """
    if not isinstance(cause, DamagedDatabase):
        return None
    copy = backup.newest_good(backup.folder_for(cause.path))
    return bool(DamagedApp(cause.path, cause.verdict.problem, copy).run())
