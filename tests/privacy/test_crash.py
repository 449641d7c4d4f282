"""A power cut in the middle of each change leaves the old journal or the new
one, whole, and never a plain copy lying about.

The change runs in a forked child that SIGKILLs itself at a step: no cleanup
runs, no ``finally``, as with a real crash.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.store import Store, crypto
from tests.privacy.conftest import NEW, OLD
from tests.privacy.test_crypto import SECRET_WORD, fill, records

CHANGES = {
    # name: (passphrase before, passphrase after, the call)
    "encrypt": (None, OLD, lambda db: crypto.encrypt(db, OLD)),
    "change": (OLD, NEW, lambda db: crypto.change(db, OLD, NEW)),
    "decrypt": (OLD, None, lambda db: crypto.decrypt(db, OLD)),
}
STEPS = ("attached", "exported", "verified", "replaced")
CASES = [("encrypt", s) for s in STEPS] + [(n, s) for n in ("change", "decrypt") for s in ("exported", "replaced")]


def crash_at(step: str, change) -> int:  # type: ignore[no-untyped-def]
    """Run ``change`` in a child killed at ``step``; returns the child's signal."""
    pid = os.fork()
    if pid == 0:  # the child
        try:
            def hook(name: str) -> None:
                if name == step:
                    os.kill(os.getpid(), signal.SIGKILL)

            crypto.step_hook = hook
            change()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0


def opens_with(db: Path) -> str | None:
    """Which passphrase opens the journal now (None: it is plain)."""
    if not crypto.is_encrypted(db):
        return None
    for candidate in (OLD, NEW):
        if crypto.check(db, candidate):
            return candidate
    raise AssertionError("the journal opens with neither passphrase")


@pytest.mark.parametrize(("name", "step"), CASES)
def test_a_crash_leaves_the_old_or_the_new_journal(name: str, step: str, paths, clock: FakeClock) -> None:
    db = paths.database
    fill(db, clock)
    if CHANGES[name][0] is not None:
        crypto.encrypt(db, CHANGES[name][0])
    expected = records(db, clock)
    crypto.forget()
    before, after, change = CHANGES[name]

    assert crash_at(step, lambda: change(db)) == signal.SIGKILL

    now = opens_with(db)
    assert now == (after if step == "replaced" else before)
    if now is not None:
        crypto.unlock(db, now)
    Store.open(db, clock).close()  # opening clears what the crash left behind
    leftovers = [p.name for p in db.parent.iterdir() if crypto.TEMP_SUFFIX in p.name]
    assert leftovers == []
    assert records(db, clock) == expected
    if now is not None:
        assert SECRET_WORD.encode() not in db.read_bytes()
