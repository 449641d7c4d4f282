"""The two ways a command ends badly, and the one way a command opens the store.

``UsageError``: bad usage, exit status 2. ``Failure``: something the user asked
for could not be done, exit status 1. ``companion.cli.main`` prints either as
one line on stderr; never a traceback for something the user did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.paths import Paths
    from companion.store import Store


class UsageError(Exception):
    """Bad usage: exit status 2."""


class Failure(Exception):
    """Something the user asked for could not be done: exit status 1."""


def open_store(paths: Paths) -> Store:
    """The patient's store, made if it is not there yet; one line if it cannot be opened."""
    from companion.store import Store, StoreError

    try:
        paths.ensure()
        return Store.open(paths.database)
    except (StoreError, OSError) as exc:
        raise Failure(str(exc)) from exc
