"""Killing the real app (SIGKILL, no goodbye) and starting it again loses nothing.

The app runs as its own process in a pseudo-terminal, driven by key presses;
the database is read directly to know when the app has saved.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from textual.widgets import TextArea

from companion.core.stages import ORDER, Stage
from companion.paths import Paths
from companion.store import Store
from companion.ui.stages.experience import ExperiencePane
from companion.ui.screens.session import SessionScreen
from tests.ptyapp import PtyProcess, poll
from tests.ui.helpers import music_playing, wait_until

CTRL_N = b"\x0e"

pytestmark = pytest.mark.slow  # a real app killed in a terminal, then started again


def launch(home: Path) -> PtyProcess:
    return PtyProcess([sys.executable, "-m", "companion"], env={"COMPANION_HOME": str(home)})


def read_db(paths: Paths, query: str, args: tuple = ()):  # type: ignore[no-untyped-def]
    store = Store.open(paths.database)
    try:
        return store.db.execute(query, args).fetchall()
    finally:
        store.close()


@pytest.fixture
def silent_home(paths: Paths) -> Paths:
    paths.settings.write_text('audio_backend = "null"\n', encoding="utf-8")
    return paths


def stage_of(paths: Paths) -> str | None:
    rows = read_db(paths, "select stage from infusions order by id desc limit 1")
    return rows[0][0] if rows else None


def begin_and_move_to(app: PtyProcess, paths: Paths, stage: Stage) -> None:
    """Begin a session from Home, then Ctrl+N until ``stage``, each step seen stored."""
    app.wait_for(b"Begin session")
    app.send(b"\r")
    app.wait_for(b"now?")  # beginning asks first
    app.send(b"y")
    poll(lambda: stage_of(paths) == Stage.PREPARATION.value, "the session to begin")
    for step in ORDER[1 : ORDER.index(stage) + 1]:
        app.send(CTRL_N)
        poll(lambda: stage_of(paths) == step.value, f"the {step.title} stage")


async def test_killed_while_writing_the_intention_comes_back_to_it(silent_home, build_app):
    paths = silent_home
    app = launch(paths.home)
    try:
        begin_and_move_to(app, paths, Stage.INTENTION)
        app.send("hold steady, ça ira 🌿".encode())
        poll(
            lambda: read_db(paths, "select text from entries where kind = 'intention'")
            == [("hold steady, ça ira 🌿",)],
            "the intention to be saved as typed",
            timeout=10,
        )
    finally:
        app.kill()

    again = build_app()
    async with again.run_test(size=(100, 30)):
        assert isinstance(again.screen, SessionScreen)
        assert again.screen.stage is Stage.INTENTION
        assert again.screen.query_one("#intention-text", TextArea).text == "hold steady, ça ira 🌿"


async def test_killed_during_the_music_resumes_where_it_was(silent_home, build_app):
    paths = silent_home
    app = launch(paths.home)
    try:
        begin_and_move_to(app, paths, Stage.EXPERIENCE)
        # The music starts right after the start time is stored: remember the
        # last moment it was not there yet, an upper bound of the time played.
        music_not_yet = time.monotonic()
        while not read_db(paths, "select experience_started_at from infusions")[0][0]:
            music_not_yet = time.monotonic()
            time.sleep(0.05)
        poll(
            lambda: (read_db(paths, "select position from infusions")[0][0] or 0) >= 4.0,
            "the position to be saved",
        )
        time.sleep(1.5)
    finally:
        killed_at = time.monotonic()
        app.kill()
    position_at_save = read_db(paths, "select position from infusions")[0][0]
    # The NULL device keeps real time, so the music cannot have played longer
    # than the time since it started: the saved place is at most 5 s behind.
    assert (killed_at - music_not_yet) - position_at_save <= 5.0

    again = build_app()
    async with again.run_test(size=(100, 30)) as pilot:
        assert isinstance(again.screen, SessionScreen)
        assert again.screen.stage is Stage.EXPERIENCE
        pane = again.screen.query_one(ExperiencePane)
        await music_playing(pilot)
        assert not pane.finished
        await wait_until(pilot, lambda: again.player.position > position_at_save)
        assert again.player.position >= position_at_save  # resumed, not restarted
