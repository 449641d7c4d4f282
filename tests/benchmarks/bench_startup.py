"""Start-up: from launching ``companion`` until Home is on screen, against
bare Textual apps measured the same way (medians of interleaved runs).

Home shows the patient's data (an infusion done, a FIQR): the yardstick of
issue 18 is ``bare_home_app.py``, a bare Textual app drawing a screen
comparable to Home from fixed text; ``bare_textual_app.py`` (one line) is the
smallest app, for reference.

Every process runs with Python's compiled bytecode, as on a patient's
computer: this sandbox sets PYTHONDONTWRITEBYTECODE, which would make every
start compile every module from source (0.6 s more for both apps, and not
what anyone who runs ``companion`` waits for). The warm-up runs write the
caches; the measured runs read them.
"""

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


def _first_key_ms(env: dict[str, str], settle: float) -> float:
    """Milliseconds from pressing j on Home until the journal is drawn: at
    once when Home appears (while the warm-up thread loads the player and
    sqlite-utils), or ``settle`` seconds later."""
    times = []
    for _ in range(RUNS):
        app = PtyProcess([sys.executable, "-m", "companion"], env=env)
        try:
            app.wait_for(b"Infusion 2 of 6", timeout=60)
            time.sleep(settle)
            mark = len(app.output)
            app.send(b"j")
            pressed = time.monotonic()
            while b"Search your journal" not in app.output[mark:]:
                if time.monotonic() - pressed > 30:
                    raise AssertionError("the journal never opened")
                time.sleep(0.002)
            times.append(time.monotonic() - pressed)
        finally:
            app.kill()
    return statistics.median(times) * 1000


def _patient_data(home: Path) -> None:
    """What Home shows besides its menu: one infusion done, one FIQR."""
    from companion.core import measures
    from companion.store import Store

    store = Store.open(home / "companion.db")
    infusion = store.sessions.begin()
    while store.sessions.get(infusion.id).stage.value != "complete":
        store.sessions.advance(infusion.id)
    questionnaire = store.measures.start("fiqr", infusion_id=infusion.id)
    answers = measures.FiqrAnswers({item: 5 for item in measures.FIQR_ITEMS})
    store.measures.complete(questionnaire.id, measures.fiqr_answers_to_dict(answers))
    store.close()


def run() -> list[dict]:
    import os

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module's docstring
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {"COMPANION_HOME": str(home)}
        (home).mkdir()
        (home / "settings.toml").write_text('audio_backend = "null"\n', encoding="utf-8")
        _patient_data(home)
        here = Path(__file__).parent
        apps = {
            "ours": ([sys.executable, "-m", "companion"], b"Infusion 2 of 6"),
            "bare home": ([sys.executable, str(here / "bare_home_app.py")], b"Share with"),
            "bare": ([sys.executable, str(here / "bare_textual_app.py")], b"bare textual ready"),
        }
        times: dict[str, list[float]] = {name: [] for name in apps}
        # One warm-up each: bytecode caches written, the daily copy made.
        for argv, marker in apps.values():
            _time_to(argv, marker, env)
        for _ in range(RUNS):
            for name, (argv, marker) in apps.items():
                times[name].append(_time_to(argv, marker, env))
        ours, bare_home, bare = times["ours"], times["bare home"], times["bare"]
        key_at_once = _first_key_ms(env, 0.0)
        key_later = _first_key_ms(env, 2.0)
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
            "figure": f"first key (j, the journal) pressed as Home appears (median of {RUNS})",
            "value": key_at_once,
            "unit": "ms",
            "comparison": "the same key 2 s later",
            "comparison_value": key_later,
        },
        {
            "figure": f"start-up to Home with the patient's data (median of {RUNS})",
            "value": statistics.median(ours) * 1000,
            "unit": "ms",
            "target": "within 1.3x",
            "comparison": "bare Textual app drawing a comparable screen",
            "comparison_value": statistics.median(bare_home) * 1000,
        },
        {
            "figure": f"start-up to Home with the patient's data (median of {RUNS})",
            "value": statistics.median(ours) * 1000,
            "unit": "ms",
            "comparison": "bare Textual app, one line (the smallest)",
            "comparison_value": statistics.median(bare) * 1000,
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
