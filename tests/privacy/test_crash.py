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


def _plain_files(home: Path) -> list[str]:
    """Every file under the home that holds the secret word in the clear."""
    return sorted(str(p.relative_to(home)) for p in home.rglob("*")
                  if p.is_file() and SECRET_WORD.encode() in p.read_bytes())


def test_copies_left_plain_by_a_killed_encrypt_are_encrypted_at_the_next_open(
        paths, clock: FakeClock) -> None:
    """Killed after the journal was encrypted, before its copies were: the
    next open (any command, the app) encrypts the copies it finds plain."""
    db = paths.database
    fill(db, clock)
    from companion.cli import main

    assert main(["backup"]) == 0  # a copy holding the entries
    assert crash_at("replaced", lambda: crypto.encrypt(db, OLD)) == signal.SIGKILL
    assert crypto.is_encrypted(db)
    assert _plain_files(paths.home)  # the copies are still plain
    expected_copies = sorted(p.name for p in (paths.home / "backups").iterdir())

    crypto.unlock(db, OLD)
    Store.open(db, clock).close()
    assert _plain_files(paths.home) == []
    copies = sorted((paths.home / "backups").iterdir())
    assert [p.name for p in copies] == expected_copies  # none lost, none added
    assert all(crypto.is_encrypted(p) for p in copies)
    assert all(crypto.check(p, OLD) for p in copies)


def test_leftover_partial_copies_are_removed_at_the_next_open(paths, clock: FakeClock) -> None:
    """A backup or a restore killed mid-copy leaves ``*.partial`` files (a plain
    part of the journal, even once it is encrypted); the next open removes
    them, unless another process is writing one right now."""
    import fcntl

    db = paths.database
    fill(db, clock)
    backups = paths.home / "backups"
    killed = backups / "companion-20260301-090000-daily.db.partial"
    killed.write_bytes(db.read_bytes())
    (backups / "restoring-old.db.partial-journal").write_bytes(b"journal of a killed restore")
    busy = backups / "companion-20260302-093000-daily.db.partial"
    busy.write_bytes(b"")
    with busy.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another process is writing this one
        crypto.encrypt(db, OLD)
        Store.open(db, clock).close()
        left = sorted(p.name for p in backups.iterdir() if "partial" in p.name)
        assert left == [busy.name]
    assert _plain_files(paths.home) == []


def test_encrypting_again_after_a_killed_decrypt(paths, clock: FakeClock) -> None:
    """Killed after the journal was decrypted, before its copies were: the
    copies are still encrypted, and encrypting the journal again works
    (those copies are left as they are) instead of stopping on them."""
    from companion.cli import main

    db = paths.database
    fill(db, clock)
    crypto.encrypt(db, OLD)
    assert main(["backup"]) == 0
    crypto.forget()
    assert crash_at("replaced", lambda: crypto.decrypt(db, OLD)) == signal.SIGKILL
    assert not crypto.is_encrypted(db)
    crypto.encrypt(db, NEW)
    assert crypto.check(db, NEW)
    assert _plain_files(paths.home) == []


@pytest.mark.slow
def test_a_kill_during_each_command_typed_in_a_terminal_loses_and_exposes_nothing(tmp_path):
    """The harness of tests/benchmarks/bench_crash_privacy.py, once per command
    (the benchmark runs it 300 times): SIGKILL at a random moment of encrypt,
    passphrase, decrypt, backup and restore."""
    from tests.benchmarks import bench_crash_privacy as harness

    durations = {c: float(harness.one_run(tmp_path / "timing", n)["took"])
                 for n, c in enumerate(harness.COMMANDS)}
    for seed in range(len(harness.COMMANDS)):
        result = harness.one_run(tmp_path, 1000 + seed, durations)
        assert result["kept"] == harness.ENTRIES, result
        assert result["plain"] == [], result
