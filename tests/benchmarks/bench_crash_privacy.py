"""SIGKILL at a random moment of `companion encrypt`, `passphrase`, `decrypt`,
`backup` and `restore`, run in a terminal as a patient would (passphrases
typed at the prompts). After each kill the journal is opened as the next
start opens it, and we count:

- records lost: of the entries written before the command, how many are
  missing from the journal that opens (with the old or the new passphrase);
- plain copies: when the journal is encrypted, how many files anywhere in the
  home folder still hold a marker written in a private entry, in the clear.

``CRASH_PRIVACY_RUNS`` sets the number of runs (default 300, 60 per command).
Run: ``uv run python -m tests.benchmarks -k crash_privacy``.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from companion.core.clock import FakeClock
from companion.store import Store, backup, crypto
from tests.ptyapp import PtyProcess

RUNS = int(os.environ.get("CRASH_PRIVACY_RUNS", "300"))
OLD = "an old calm passphrase"
NEW = "a new calm passphrase"
ENTRIES = 20
COMMANDS = ("encrypt", "passphrase", "decrypt", "backup", "restore")


def _prepare(home: Path, marker: str, encrypted: bool) -> Path:
    """A journal of ENTRIES entries (one private, holding the marker) and one
    backup copy that holds them all."""
    home.mkdir(parents=True)
    (home / "settings.toml").write_text('audio_backend = "null"\n', encoding="utf-8")
    database = home / "companion.db"
    store = Store.open(database, FakeClock())
    try:
        for n in range(ENTRIES - 1):
            store.journal.add(f"entry number {n} of the crash run")
        store.journal.add(f"private: {marker}", private=True)
        backup.make(store.db.conn, backup.folder_for(database), backup.MANUAL)
    finally:
        store.close()
    if encrypted:
        crypto.encrypt(database, OLD)
    crypto.forget()
    return database


def _answer_prompts(app: PtyProcess, deadline: float, answers: dict[bytes, str]) -> None:
    """Type the passphrase each prompt asks for, until the deadline (the kill)."""
    seen = 0
    while time.monotonic() < deadline and app.process.poll() is None:
        new = bytes(app.output[seen:])
        for prompt, answer in answers.items():
            if prompt in new:
                seen += new.index(prompt) + len(prompt)
                app.send(answer.encode() + b"\r")
                break
        else:
            time.sleep(0.005)


def _reopen(database: Path) -> tuple[str | None, int | None]:
    """Which passphrase opens the journal now (``"plain"``) and how many of the
    run's entries it holds; (None, None) when it does not open."""
    crypto.forget()
    candidates: list[str | None] = [None] if not crypto.is_encrypted(database) else [OLD, NEW]
    for passphrase in candidates:
        try:
            if passphrase is not None:
                crypto.unlock(database, passphrase)
            store = Store.open(database, FakeClock())
        except crypto.WrongPassphrase:
            continue
        except Exception:  # noqa: BLE001 - reported as a failure to reopen
            return None, None
        try:
            texts = {row[0] for row in store.db.execute("select text from entries")}
        finally:
            store.close()
        kept = sum(1 for n in range(ENTRIES - 1) if f"entry number {n} of the crash run" in texts)
        kept += any(t.startswith("private: ") for t in texts)
        return passphrase or "plain", kept
    return None, None


def _plain_copies(home: Path, marker: str) -> list[str]:
    needle = marker.encode()
    found = []
    for path in home.rglob("*"):
        if path.is_file():
            try:
                if needle in path.read_bytes():
                    found.append(str(path.relative_to(home)))
            except OSError:
                pass
    return found


def one_run(root: Path, seed: int, durations: dict[str, float] | None = None) -> dict[str, object]:
    """One command killed at a random moment of its usual duration (measured
    by an unkilled run first; ``durations`` None is that run)."""
    rng = random.Random(seed)
    command = COMMANDS[seed % len(COMMANDS)]
    encrypted = command in ("passphrase", "decrypt") or (
        command in ("backup", "restore") and rng.random() < 0.5)
    if command == "encrypt":
        encrypted = False
    home = root / f"run{seed}"
    marker = f"marker-{seed}-{rng.getrandbits(64):016x}"
    database = _prepare(home, marker, encrypted)
    argv = {"encrypt": ["encrypt"], "passphrase": ["passphrase"], "decrypt": ["decrypt"],
            "backup": ["backup"],
            "restore": ["restore", str(backup.list_backups(backup.folder_for(database))[0].path),
                        "--yes"]}[command]
    answers = {b"Passphrase: ": OLD, b"Current passphrase: ": OLD,
               b"New passphrase: ": NEW if encrypted else OLD,
               b"The same passphrase again: ": NEW if encrypted else OLD}
    app = PtyProcess([sys.executable, "-m", "companion", "--home", str(home), *argv],
                     controlling_tty=True)
    kill_after = 60.0 if durations is None else rng.uniform(0.05, 1.0) * durations[command]
    launched = time.monotonic()
    _answer_prompts(app, time.monotonic() + kill_after, answers)
    finished = app.process.poll() is not None
    took = time.monotonic() - launched
    app.kill()
    state, kept = _reopen(database)
    plain = _plain_copies(home, marker) if state not in ("plain", None) else []
    crypto.forget()
    return {"command": command, "finished": finished, "state": state, "kept": kept,
            "plain": plain, "killed_at": kill_after, "took": took}


def run() -> list[dict]:
    counts: Counter[str] = Counter()
    lost = plain_runs = plain_files = reopen_failures = checked = finished = 0
    problems: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        durations = {}
        for n, command in enumerate(COMMANDS):  # how long each takes when not killed
            timed = one_run(Path(tmp) / "timing", n)
            durations[command] = float(timed["took"])  # type: ignore[arg-type]
        print("  unkilled durations: " + ", ".join(f"{c} {d:.2f} s" for c, d in durations.items()),
              file=sys.stderr)
        for seed in range(RUNS):
            result = one_run(Path(tmp), seed, durations)
            counts[str(result["command"])] += 1
            finished += bool(result["finished"])
            if result["kept"] is None:
                reopen_failures += 1
                problems.append(f"seed {seed} {result['command']}: the journal did not reopen")
            else:
                checked += ENTRIES
                missing = ENTRIES - int(result["kept"])  # type: ignore[arg-type]
                lost += missing
                if missing:
                    problems.append(f"seed {seed} {result['command']}: {missing} entries lost")
            if result["plain"]:
                plain_runs += 1
                plain_files += len(result["plain"])  # type: ignore[arg-type]
                problems.append(f"seed {seed} {result['command']}: plain {result['plain']}")
            if (seed + 1) % 25 == 0:
                print(f"  privacy crash runs: {seed + 1}/{RUNS} ({time.monotonic() - started:.0f} s)",
                      file=sys.stderr, flush=True)
    for line in problems[:20]:
        print(f"  PROBLEM {line}", file=sys.stderr)
    per_command = ", ".join(f"{c} {counts[c]}" for c in COMMANDS)
    return [
        {"figure": f"SIGKILL runs during a command ({per_command})", "value": RUNS, "unit": "runs"},
        {"figure": "of which the command had already finished", "value": finished, "unit": "runs"},
        {"figure": "entries checked after the kill", "value": checked, "unit": "records"},
        {"figure": "entries lost", "value": lost, "unit": "records", "target": "0"},
        {"figure": "runs where the journal did not reopen", "value": reopen_failures, "unit": "runs",
         "target": "0"},
        {"figure": "files holding the private marker in the clear beside an encrypted journal",
         "value": plain_files, "unit": "files", "target": "0"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
