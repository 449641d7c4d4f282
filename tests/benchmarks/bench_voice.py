"""Voice recordings in the journal (issue 19).

- bytes stored per minute of voice (FLAC chunks of 5 s, 24 kHz mono);
- CPU to store a minute of voice as it is recorded (encoding and committing
  each chunk), as a share of one core over that minute;
- peak memory while a 30-minute memo from the shell is stored (it is read
  and written a chunk at a time).

Run: ``uv run python -m tests.benchmarks -k voice``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys
from companion.cli import main
code = main(["--home", sys.argv[1], "note", "--audio", sys.argv[2], "thirty minutes"])
# VmHWM: this process's own peak (ru_maxrss would carry the parent's across exec)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(peak // 1024)
sys.exit(code)
"""


def _long_memo(path: Path, minutes: int, rate: int) -> None:
    """A WAV of ``minutes`` of voice, written a minute at a time."""
    import wave

    import numpy as np

    from tests.voice import spoken

    minute = (np.clip(spoken(60.0, rate), -1, 1) * 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for _ in range(minutes):
            out.writeframes(minute)


def run() -> list[dict]:
    from companion.store import Store
    from companion.store.recordings import CHUNK_SECONDS
    from tests.voice import spoken

    rate = 24000
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = Store.open(root / "companion.db")
        voice = spoken(60.0, rate)
        size = int(CHUNK_SECONDS * rate)
        recording_id = store.recordings.start(rate=rate)
        cpu = time.process_time()
        for start in range(0, len(voice), size):
            store.recordings.append(recording_id, voice[start:start + size])
        cpu = time.process_time() - cpu
        stored = store.recordings.stored_bytes(recording_id)
        store.close()
        rows.append({"figure": "voice stored per minute (FLAC, 24 kHz mono)", "value": stored / 1024,
                     "unit": "kB", "comparison": "16-bit PCM, the same", "comparison_value": len(voice) * 2 / 1024})
        rows.append({"figure": "CPU storing a minute of voice as it comes", "value": 100 * cpu / 60.0,
                     "unit": "% of one core"})
        memo = root / "memo.wav"
        _long_memo(memo, 30, 48000)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, str(root / "home"), str(memo)],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak = int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
        rows.append({"figure": "companion note --audio, a 30-minute memo: peak memory", "value": peak,
                     "unit": "MB", "comparison": f"the WAV file ({memo.stat().st_size / 1e6:.0f} MB), "
                     f"stored in {seconds:.1f} s", "comparison_value": None})
    return rows
