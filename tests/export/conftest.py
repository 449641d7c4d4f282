from __future__ import annotations

import pytest

from companion.core.clock import FakeClock
from companion.store import Store
from tests.export.builders import history


@pytest.fixture
def filled(store: Store, clock: FakeClock) -> Store:
    history(store, clock)
    return store
