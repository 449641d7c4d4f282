"""The crash harness: a scripted patient uses the real app in a pseudo-terminal
and the app is killed with SIGKILL at a random moment.

The patient answers the daily check-in, writes a journal page, begins the
session, writes the intention and marks moments during the music. Each step is
*acknowledged* when the screen shows it: typed words visible, an answer
redrawn, "Moment marked" on screen. After the kill the database is opened as
the next start would open it, and everything acknowledged more than
``GRACE_S`` seconds before the kill must be there.

Used by tests/durability/test_crash.py (a handful of runs) and
tests/benchmarks/bench_crash.py (a few hundred).
"""

from __future__ import annotations

import random
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.ptyapp import PtyProcess

GRACE_S = 2.0
CTRL_N = b"\x0e"
ESC = b"\x1b"


class Killed(Exception):
    """The app is gone: the script stops."""


@dataclass
class Ack:
    at: float
    kind: str  # "checkin", "journal", "intention", "moment"
    value: object


@dataclass
class Run:
    seed: int
    kill_at: float = 0.0
    acks: list[Ack] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    script_error: str = ""

    @property
    def checked(self) -> int:
        return sum(1 for a in self.acks if a.at < self.kill_at - GRACE_S)


class Patient:
    def __init__(self, app: PtyProcess, rng: random.Random, run: Run) -> None:
        self.app = app
        self.rng = rng
        self.run = run
        self.stop = threading.Event()
        self.home_seen = threading.Event()

    def _wait(self, marker: bytes, since: int, timeout: float = 20.0) -> float:
        deadline = time.monotonic() + timeout
        while marker not in self.app.output[since:]:
            if self.stop.is_set() or self.app.process.poll() is not None:
                raise Killed
            if time.monotonic() > deadline:
                raise AssertionError(f"{marker!r} never appeared")
            time.sleep(0.005)
        return time.monotonic()

    def _redrawn(self, since: int, timeout: float = 5.0) -> float:
        deadline = time.monotonic() + timeout
        while len(self.app.output) <= since:
            if self.stop.is_set() or self.app.process.poll() is not None:
                raise Killed
            if time.monotonic() > deadline:
                raise AssertionError("the screen did not change")
            time.sleep(0.005)
        return time.monotonic()

    def _send(self, keys: bytes) -> int:
        if self.stop.is_set():
            raise Killed
        mark = len(self.app.output)
        self.app.send(keys)
        return mark

    def _pause(self, low: float = 0.05, high: float = 0.3) -> None:
        if self.stop.wait(self.rng.uniform(low, high)):
            raise Killed

    def _type_words(self, kind: str, prefix: str, count: int) -> None:
        typed = ""
        for n in range(count):
            word = f"{prefix}{n:02d}"
            chunk = word if not typed else " " + word
            for char in chunk:
                self._send(char.encode())
                self._pause(0.01, 0.06)
            mark = len(self.app.output) - 200
            typed += chunk
            at = self._wait(word.encode(), max(0, mark))
            self.run.acks.append(Ack(at, kind, typed))
            self._pause()

    def script(self) -> None:
        rng = self.rng
        try:
            self._wait(b"Begin session", 0, timeout=60)
            self.home_seen.set()
            # The daily check-in: one key an answer.
            mark = self._send(b"c")
            self._wait(b"one a line", mark)
            self._pause()
            for n in range(rng.randint(1, 4)):
                mark = self._send(str(rng.randint(1, 2)).encode())
                self.run.acks.append(Ack(self._redrawn(mark), "checkin", n + 1))
                self._pause()
            mark = self._send(ESC)
            self._wait(b"Begin session", mark)
            # A journal page.
            mark = self._send(b"j")
            self._wait(b"Journal", mark)
            mark = self._send(b"n")
            self._redrawn(mark)
            self._pause(0.3, 0.5)
            self._type_words("journal", "jr", rng.randint(2, 6))
            mark = self._send(ESC)
            self._pause(0.3, 0.5)
            mark = self._send(ESC)
            self._wait(b"Begin session", mark)
            # The session: Preparation, then the intention.
            mark = self._send(b"\r")
            self._wait(b"now?", mark)  # beginning asks first
            mark = self._send(b"y")
            self._wait(b"Preparation", mark)
            self._pause(0.2, 0.4)
            mark = self._send(CTRL_N)
            self._wait(b"Prompts to start from", mark)
            self._type_words("intention", "in", rng.randint(2, 6))
            # The Experience: moments marked during the music.
            mark = self._send(CTRL_N)
            self._wait(b"elapsed", mark)
            self._pause(0.5, 1.0)
            for n in range(rng.randint(1, 4)):
                mark = self._send(b"m")
                self.run.acks.append(Ack(self._wait(b"Moment marked", mark), "moment", n + 1))
                self._pause(0.3, 0.8)
            self.stop.wait(30)
        except Killed:
            return
        except Exception as exc:  # noqa: BLE001 - reported with the run
            if not self.stop.is_set() and self.app.process.poll() is None:
                self.run.script_error = f"{type(exc).__name__}: {exc}"


def stored(database: Path) -> dict[str, object]:
    """What the database holds, read as the next start reads it (through
    open_database: integrity check first)."""
    from companion.store import Store

    store = Store.open(database)
    try:
        db = store.db
        def one(query: str) -> str:
            row = db.execute(query).fetchone()
            return row[0] if row else ""
        answers = one("select answers from checkins order by id desc limit 1")
        import json

        return {
            "checkin": len([v for v in json.loads(answers or "{}").values() if v]),
            "journal": one("select text from entries where kind = 'note' order by id limit 1"),
            "intention": one("select text from entries where kind = 'intention' order by id limit 1"),
            "moment": db.execute("select count(*) from moments").fetchone()[0],
        }
    finally:
        store.close()


def verify(run: Run, found: dict[str, object]) -> None:
    for ack in run.acks:
        if ack.at >= run.kill_at - GRACE_S:
            continue
        have = found[ack.kind]
        if ack.kind in ("journal", "intention"):
            if not isinstance(have, str) or not have.startswith(str(ack.value)):
                run.problems.append(f"{ack.kind}: {ack.value!r} shown, {have!r} stored")
        elif not isinstance(have, int) or have < int(ack.value):  # type: ignore[call-overload]
            run.problems.append(f"{ack.kind}: {ack.value} shown, {have} stored")


def one_run(home: Path, seed: int, kill_between: tuple[float, float],
            from_home: bool = False) -> Run:
    """Start the app in ``home`` (fresh or not), script the patient, kill, check.

    The kill comes ``kill_between`` seconds after the launch, or after Home
    first shows with ``from_home`` (so a slow start on a busy machine does not
    move the kill into the start-up)."""
    rng = random.Random(seed)
    run = Run(seed)
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text('audio_backend = "null"\n', encoding="utf-8")
    app = PtyProcess([sys.executable, "-m", "companion"], env={"COMPANION_HOME": str(home)})
    patient = Patient(app, rng, run)
    worker = threading.Thread(target=patient.script, daemon=True)
    worker.start()
    if from_home:
        patient.home_seen.wait(60)
    time.sleep(rng.uniform(*kill_between))
    run.kill_at = time.monotonic()
    app.kill()
    patient.stop.set()
    worker.join(timeout=10)
    try:
        verify(run, stored(home / "companion.db"))
    except (sqlite3.Error, Exception) as exc:  # noqa: BLE001 - a broken database is a finding
        run.problems.append(f"reopening failed: {type(exc).__name__}: {exc}")
    return run
