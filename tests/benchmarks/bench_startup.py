"""Start-up: from launching ``companion`` until Home is on screen, against a
bare Textual app measured the same way (median of several runs)."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from tests.ptyapp import PtyProcess

RUNS = 9


def _time_to(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    app = PtyProcess(argv, env=env)
    try:
        return app.wait_for(marker, timeout=60)
    finally:
        app.kill()


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {"COMPANION_HOME": str(home)}
        (home).mkdir()
        (home / "settings.toml").write_text('audio_backend = "null"\n', encoding="utf-8")
        bare_script = str(Path(__file__).with_name("bare_textual_app.py"))
        # One warm-up each: the first start creates the database and fills caches.
        _time_to([sys.executable, "-m", "companion"], b"Begin session", env)
        _time_to([sys.executable, bare_script], b"bare textual ready", env)
        ours, bare = [], []
        for _ in range(RUNS):
            ours.append(_time_to([sys.executable, "-m", "companion"], b"Begin session", env))
            bare.append(_time_to([sys.executable, bare_script], b"bare textual ready", env))
    return [
        {
            "figure": f"start-up to Home (median of {RUNS})",
            "value": statistics.median(ours) * 1000,
            "unit": "ms",
            "comparison": "bare Textual app",
            "comparison_value": statistics.median(bare) * 1000,
        }
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
