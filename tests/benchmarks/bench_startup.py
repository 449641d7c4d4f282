"""Start-up: from launching ``companion`` until Home is on screen, against a
bare Textual app measured the same way (median of several runs)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.ptyapp import PtyProcess

RUNS = 9


def _time_to(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    app = PtyProcess(argv, env=env)
    try:
        return app.wait_for(marker, timeout=60)
    finally:
        app.kill()


PASSPHRASE = "a calm benchmark passphrase"


def _encrypted_after_passphrase(home: Path, env: dict[str, str]) -> list[float]:
    """Seconds from Enter on the passphrase prompt until Home is drawn (the
    key derivation and the journal's opening, after the patient typed)."""
    from companion.store import crypto

    crypto.encrypt(home / "companion.db", PASSPHRASE)
    crypto.forget()
    times = []
    for _ in range(RUNS):
        app = PtyProcess([sys.executable, "-m", "companion"], env=env, controlling_tty=True)
        try:
            app.wait_for(b"Passphrase", timeout=60)
            app.send(PASSPHRASE.encode())
            sent = time.monotonic()
            app.send(b"\r")
            app.wait_for(b"Begin session", timeout=60)
            times.append(time.monotonic() - sent)
        finally:
            app.kill()
    return times


def _command_ms(argv: list[str], env: dict[str, str]) -> float:
    """Median wall time of a short command, launched as the shell does."""
    import os
    import subprocess

    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "companion", *argv], env={**os.environ, **env},
                       capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


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
        version_ms = _command_ms(["--version"], env)
        help_ms = _command_ms(["--help"], env)
        encrypted = _encrypted_after_passphrase(home, env)
    return [
        {"figure": f"companion --version (median of {RUNS})", "value": version_ms, "unit": "ms",
         "target": "< 150 ms"},
        {"figure": f"companion --help (median of {RUNS})", "value": help_ms, "unit": "ms",
         "target": "< 150 ms"},
        {
            "figure": f"encrypted journal: Enter on the passphrase to Home (median of {RUNS})",
            "value": statistics.median(encrypted) * 1000,
            "unit": "ms",
            "comparison": "a plain journal, launch to Home",
            "comparison_value": statistics.median(ours) * 1000,
        },
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
