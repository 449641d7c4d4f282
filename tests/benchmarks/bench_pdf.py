"""A PDF of one very long journal entry: time and peak memory by shape.

    uv run python -m tests.benchmarks -k pdf

Before long words were cut in one pass (issue 12), an unbroken line cost
time and memory that grew with the square of its length: 100,000 characters
took 17 s and 330 MB, 200,000 took 59 s and 1.1 GB, 1 MB was killed at 24 GB.
Each case runs in its own process (its peak memory is its own); the
comparison is 1 MB of ordinary prose, so the ratio says what the shape costs
beyond ordinary text.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1_000_000
CASES = [("word", 100_000), ("word", MB), ("wide", MB), ("placeholders", MB), ("tabs", MB),
         ("lines", MB)]


def _measure(shape: str, chars: int, folder: Path) -> tuple[float, float, int]:
    """Seconds, peak memory (MB) and PDF bytes for one case."""
    out = folder / f"{shape}-{chars}.pdf"
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.long_text_pdf",
                              shape, str(chars), str(out)])
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{shape} {chars}: exit status {child.returncode}")
    return seconds, usage.ru_maxrss / 1024, out.stat().st_size


def run() -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        prose_s, prose_mb, _ = _measure("prose", MB, folder)
        for shape, chars in CASES:
            seconds, peak, size = _measure(shape, chars, folder)
            label = f"PDF of one entry: {chars:,} chars, {shape} ({size:,} bytes)"
            rows.append({"figure": label, "value": seconds * 1000, "unit": "ms",
                         "target": "< 10000 ms" if chars == MB else "",
                         "comparison": "1 MB of prose", "comparison_value": prose_s * 1000})
            rows.append({"figure": f"  peak memory, {chars:,} chars {shape}", "value": peak,
                         "unit": "MB", "comparison": "1 MB of prose", "comparison_value": prose_mb})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
