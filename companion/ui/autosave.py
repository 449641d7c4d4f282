"""Saving as the patient types: at most one flush interval behind.

Every change schedules a write under a key (a later change to the same field
replaces the earlier one). The app flushes all pending writes every second,
when a stage changes and when it closes. A write that fails (disk full,
read-only folder, a lock held too long) stays pending and is retried, so the
text is never dropped; the patient is told once until it succeeds again.

A failed write leaves nothing half-written: each store write is one
transaction, and ``rollback`` (the app passes one) ends any transaction the
failure left open, so the retry starts clean and another process is not kept
waiting on a lock. The same report covers a direct write from a key press
(``report``, called by the app when an action fails to write).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from companion.core import files
from companion.core.files import write_failure, write_problem

FLUSH_INTERVAL_S = 1.0


class Autosaver:
    def __init__(self, on_error: Callable[[str], None], on_recovered: Callable[[], None],
                 rollback: Callable[[], None] | None = None) -> None:
        self._pending: dict[str, Callable[[], object]] = {}
        self._on_error = on_error
        self._on_recovered = on_recovered
        self._rollback = rollback
        self.failing = False

    def schedule(self, key: str, write: Callable[[], object]) -> None:
        self._pending[key] = write

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> bool:
        """Run every pending write; True when nothing is left pending."""
        wrote = False
        for key, write in list(self._pending.items()):
            try:
                write()
            except (sqlite3.Error, OSError) as exc:
                self.report(exc)
                return False
            wrote = True
            if self._pending.get(key) is write:
                del self._pending[key]
        if self.failing and wrote:
            self.failing = False
            self._on_recovered()
        return True


    def report(self, exc: BaseException) -> None:
        """A write failed: end what it left open and tell the patient, once."""
        if self._rollback is not None:
            try:
                self._rollback()
            except (sqlite3.Error, OSError):
                pass
        if not self.failing:
            self.failing = True
            self._on_error(_describe(exc))


def is_write_problem(exc: BaseException) -> bool:
    """A failure of the disk or the file rather than of the code: disk full,
    read-only, an I/O error, a lock held too long."""
    if isinstance(exc, OSError):
        return True
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    return write_failure(exc) is not None


def _describe(exc: BaseException) -> str:
    kind = write_failure(exc)
    if kind == files.READ_ONLY:
        reason = "the data folder cannot be written"
    else:
        reason = write_problem(exc)
    return (
        f"Could not save just now: {reason}. What you typed is kept and saving "
        "will be retried every second."
    )
