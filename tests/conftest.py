"""Fixtures shared by every test: a private home, a fake clock, a store, the app."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.paths import ENV_HOME, Paths, resolve
from companion.store import Store
from tests.privacy.netblock import no_network  # noqa: F401  (autouse: no test reaches the network)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own COMPANION_HOME: the real one is never touched."""
    home = tmp_path / "home"
    monkeypatch.setenv(ENV_HOME, str(home))
    return home


@pytest.fixture
def paths(private_home: Path) -> Paths:
    found = resolve()
    found.ensure()
    return found


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 30).astimezone())


@pytest.fixture
def store(clock: FakeClock) -> Store:
    return Store.memory(clock)


@pytest.fixture
def build_app(paths: Paths, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Build the real app for Pilot tests: the home's database file, the NULL
    audio backend, the fake clock. Each call opens the database afresh, as a
    new process would."""
    from companion.settings import Settings
    from companion.ui.app import make_app

    opened = []

    def build(**settings: object):  # type: ignore[no-untyped-def]
        settings.setdefault("render_ahead", False)  # no renderer process unless a test asks for one
        chosen = Settings(**settings)  # type: ignore[arg-type]
        app = make_app(paths, clock=clock, audio_backend="null", settings=chosen)
        opened.append(app)
        return app

    yield build
    for app in opened:
        app.release()
