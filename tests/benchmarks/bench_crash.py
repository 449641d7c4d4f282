"""The crash harness, run many times: SIGKILL at random moments while a
scripted patient checks in, journals, writes the intention and marks moments
(tests/durability/crash.py). Every record acknowledged on screen more than
2 s before the kill must be in the database when it is opened again.

``CRASH_RUNS`` sets the number of runs (default 300, about 10 s each).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from tests.durability.crash import one_run

RUNS = int(os.environ.get("CRASH_RUNS", "300"))


def run() -> list[dict]:
    checked = lost_runs = reopen_failures = script_errors = 0
    lost: list[str] = []
    started = time.monotonic()
    for seed in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            # Kill anywhere in the script: from start-up to the music.
            result = one_run(Path(tmp) / "home", seed, (0.5, 15.0))
        checked += result.checked
        if result.script_error:
            script_errors += 1
        if any(p.startswith("reopening failed") for p in result.problems):
            reopen_failures += 1
        if result.problems:
            lost_runs += 1
            lost.extend(f"seed {seed}: {p}" for p in result.problems)
        if (seed + 1) % 25 == 0:
            print(f"  crash runs: {seed + 1}/{RUNS}, {lost_runs} with a loss "
                  f"({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
    for line in lost[:20]:
        print(f"  LOST {line}", file=sys.stderr)
    return [
        {"figure": "SIGKILL crash runs (random moment)", "value": RUNS, "unit": "runs"},
        {"figure": "records acknowledged > 2 s before the kill, checked", "value": checked,
         "unit": "records"},
        {"figure": "runs losing an acknowledged record", "value": lost_runs, "unit": "runs",
         "target": "0"},
        {"figure": "runs where the database did not reopen", "value": reopen_failures,
         "unit": "runs", "target": "0"},
        {"figure": "runs where the scripted patient stalled", "value": script_errors,
         "unit": "runs"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
