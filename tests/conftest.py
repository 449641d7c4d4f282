"""Fixtures shared by every test: a private home, a fake clock, a store."""

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
