"""A process killed (SIGKILL) while it records keeps every chunk it had
stored: only the chunk being heard at that moment is lost (issue 19)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from companion.store import Store

CHILD = r"""
import sys
from pathlib import Path
from companion.store import Store
from tests.voice import spoken
store = Store.open(Path(sys.argv[1]))
recording_id = store.recordings.start(rate=24000)
print(recording_id, flush=True)
voice = spoken(1.0, 24000)
n = 0
while True:
    store.recordings.append(recording_id, voice)  # committed before it is acknowledged
    n += 1
    print(f"stored {n}", flush=True)
"""


@pytest.mark.slow
def test_a_kill_while_recording_keeps_every_stored_chunk(paths):
    paths.ensure()
    Store.open(paths.database).close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(paths.database)], stdout=subprocess.PIPE,
                             text=True, cwd=os.getcwd())
    assert child.stdout is not None
    recording_id = int(child.stdout.readline())
    acknowledged = 0
    while acknowledged < 25:
        line = child.stdout.readline()
        assert line.startswith("stored"), line
        acknowledged = int(line.split()[1])
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    store = Store.open(paths.database)
    [left] = store.recordings.unfinished()
    assert left.id == recording_id
    kept = len(store.recordings.samples(recording_id)) // 24000
    assert kept >= acknowledged  # every acknowledged second; at most the one being stored is lost
    assert left.seconds == pytest.approx(kept, abs=1e-6)
    store.close()
