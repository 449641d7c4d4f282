"""Building the real app for Pilot tests: file database, NULL audio, fake clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from companion.core.clock import FakeClock
from companion.paths import Paths
from companion.settings import Settings
from companion.store import Store
from companion.ui.app import CompanionApp, make_app


@pytest.fixture
def build_app(paths: Paths, clock: FakeClock) -> Callable[..., CompanionApp]:
    """Each call opens the home's database afresh, as a new process would."""
    from companion.audio.player import Player

    opened: list[tuple[Store, Player]] = []

    def build(**settings: object) -> CompanionApp:
        store = Store.open(paths.database, clock)
        player = Player(backend="null", cache_path=paths.analysis_cache)
        opened.append((store, player))
        chosen = Settings(**{"audio_backend": "null", **settings})  # type: ignore[arg-type]
        return make_app(chosen, store, player, clock, paths)

    yield build
    for store, player in opened:
        player.close()
        store.close()
