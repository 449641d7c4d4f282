"""The whole app during the Experience, against mpv playing the same audio.

Run: ``uv run python -m tests.benchmarks -k experience``. Needs ``mpv`` and
``lame`` (Debian packages of the same names); without them the mpv rows say so.

- CPU of the companion process (every thread: UI, player, audio callback)
  while the Experience plays a playlist of four 192 kbit/s MP3 files on the
  NULL device, against ``mpv --no-video --ao=null`` playing the same files in
  real time. Runs are interleaved (app, mpv, app, mpv, ...) so a busy spell of
  the machine weighs on both; the median is reported.
- the same for the generated default score (no files), as it plays in the
  usual case: rendered ahead between infusions (``render_ahead``, on by
  default) and decoded like a recording; against the app playing the MP3s.
  Then made live as it plays (``render_ahead = false``, or once the patient
  steers), against mpv.
- rendering the default ahead: the CPU time of the renderer process the app
  starts at Home, its wall-clock time, and the disk the renders take.
- peak RSS (VmHWM) of the companion process in the Experience's first minute,
  and through a whole Experience of the default in brief: its four phases
  (each 90 s instead of 15-36 minutes), so every phase change is in the run.

``COMPANION_BENCH_QUICK=1`` measures 15 s once instead of 45 s three times.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from tests.ptyapp import PtyProcess

QUICK = os.environ.get("COMPANION_BENCH_QUICK") == "1"
SECONDS = 15.0 if QUICK else 45.0
RUNS = 1 if QUICK else 3
SETTLE = 8.0  # seconds after the Experience starts before measuring (fade-in, first decode)
RATE = 44100
TRACK_SECONDS = 150
CTRL_N = b"\x0e"
PHASE_SECONDS = 45 if QUICK else 90  # each phase of the default in brief (the whole Experience's row)
TICKS = os.sysconf("SC_CLK_TCK")


def _music(seconds: int, seed: int) -> np.ndarray:
    """Something like calm music: slow chords with overtones, a little noise,
    a breathing envelope; stereo int16."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds * RATE) / RATE
    out = np.zeros((t.size, 2))
    roots = [146.83, 164.81, 130.81, 174.61]
    for n, start in enumerate(range(0, seconds, 10)):
        root = roots[(n + seed) % len(roots)]
        span = (t >= start) & (t < start + 12)
        env = np.sin(np.pi * np.clip((t[span] - start) / 12, 0, 1)) ** 2
        for ratio, level in ((1, 0.3), (1.25, 0.2), (1.5, 0.2), (2, 0.1), (3, 0.05)):
            phase = 2 * np.pi * root * ratio * t[span]
            out[span, 0] += level * env * np.sin(phase)
            out[span, 1] += level * env * np.sin(phase + 0.3)
    out += 0.01 * rng.standard_normal(out.shape)
    out *= 0.5 / np.max(np.abs(out))
    return (out * 32767).astype("<i2")


def _make_mp3s(folder: Path) -> list[Path]:
    files = []
    for n in range(4):
        wav = folder / f"track{n + 1}.wav"
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(_music(TRACK_SECONDS, n).tobytes())
        mp3 = wav.with_suffix(".mp3")
        subprocess.run(["lame", "--quiet", "-b", "192", str(wav), str(mp3)], check=True)
        wav.unlink()
        files.append(mp3)
    return files


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, every thread


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_percent(pid: int, seconds: float) -> float:
    ticks, wall = _cpu_ticks(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (_cpu_ticks(pid) - ticks) / TICKS / (time.monotonic() - wall)


def _wait(app: PtyProcess, mark: int, text: bytes, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while text not in app.output[mark:]:
        if time.monotonic() > deadline or app.process.poll() is not None:
            raise RuntimeError(f"{text!r} never appeared")
        time.sleep(0.02)
    return len(app.output)


def _app_experience(home: Path, seconds: float | None = None) -> tuple[float, float]:
    """CPU % over SECONDS (or ``seconds``) and peak RSS (MB) of the app in the Experience."""
    if (home / "companion.db").exists():  # each run begins a first infusion afresh
        for leftover in home.glob("companion.db*"):
            leftover.unlink()
        # and without the last run's backups (a database gone with a backup beside it
        # opens on "Restore the copy", where "Begin session" never appears)
        shutil.rmtree(home / "backups", ignore_errors=True)
    app = PtyProcess([sys.executable, "-m", "companion"], env={"COMPANION_HOME": str(home)})
    try:
        mark = _wait(app, 0, b"Begin session")
        app.send(b"\r")
        mark = _wait(app, mark, b"now?")
        app.send(b"y")
        mark = _wait(app, mark, b"Preparation")
        app.send(CTRL_N)
        mark = _wait(app, mark, b"Prompts to start from")
        app.send(CTRL_N)
        _wait(app, mark, b"elapsed")
        time.sleep(SETTLE)
        cpu = _cpu_percent(app.process.pid, SECONDS if seconds is None else seconds)
        return cpu, _peak_rss_mb(app.process.pid)
    finally:
        app.kill()


def _mpv(files: list[Path]) -> float:
    mpv = subprocess.Popen(
        ["mpv", "--no-video", "--ao=null", "--no-terminal", "--no-config", *map(str, files)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(SETTLE)
        if mpv.poll() is not None:
            raise RuntimeError("mpv stopped")
        return _cpu_percent(mpv.pid, SECONDS)
    finally:
        mpv.kill()
        mpv.wait()


def _whole_default(root: Path) -> Path:
    """The default score in brief: its four phases and moods, its crossfades
    and fades, each phase PHASE_SECONDS long, so one run goes through every
    phase change of an Experience (where the next phase's score is made while
    the last one still plays)."""
    default = (Path(__file__).resolve().parents[2] / "playlists" / "default.toml").read_text("utf-8")
    def clock(total: int) -> str:
        return "%d:%02d" % divmod(total, 60)

    brief = re.sub(r'(?m)^session = "[^"]*"', f'session = "{clock(4 * PHASE_SECONDS)}"', default)
    brief = re.sub(r'(?m)^length = "[^"]*"', f'length = "{clock(PHASE_SECONDS)}"', brief)
    path = root / "brief.toml"
    path.write_text(brief.replace('name = "Default"', 'name = "Default in brief"'), encoding="utf-8")
    return path


def _home(root: Path, name: str, playlist: str, render_ahead: bool = True) -> Path:
    home = root / name
    home.mkdir()
    (home / "settings.toml").write_text(
        f'audio_backend = "null"\nplaylist = "{playlist}"\nrender_ahead = {str(render_ahead).lower()}\n',
        encoding="utf-8")
    return home


def _renderer_of(pid: int) -> int | None:
    """The score renderer the app started, if it runs."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"companion.audio.scores" in command:
            return int(entry.name)
    return None


def _render_ahead(home: Path) -> tuple[float, float, float]:
    """Start the app, stay on Home while it renders the default ahead: (CPU seconds of the
    renderer, seconds from Home until the renders are done, MB they take on disk)."""
    app = PtyProcess([sys.executable, "-m", "companion"], env={"COMPANION_HOME": str(home)})
    try:
        _wait(app, 0, b"Begin session")
        shown = time.monotonic()
        renderer = None
        while renderer is None:
            if time.monotonic() - shown > 30:
                raise RuntimeError("the app started no renderer")
            time.sleep(0.05)
            renderer = _renderer_of(app.process.pid)
        ticks = 0
        while True:  # until it ends (a zombie until the app reaps it: its figures are final then)
            try:
                stat = Path(f"/proc/{renderer}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                break  # reaped: up to 0.1 s of its CPU unseen
            ticks = int(stat[11]) + int(stat[12])
            if stat[0] == "Z":
                break
            time.sleep(0.1)
        done = time.monotonic() - shown
        size = sum(path.stat().st_size for path in (home / "cache" / "scores").glob("score-*"))
        return ticks / TICKS, done, size / 1e6
    finally:
        app.kill()


def run() -> list[dict]:
    have_mpv = bool(shutil.which("mpv") and shutil.which("lame"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows: list[dict] = []
        default_home = _home(root, "default", "default")
        render_cpu, render_wall, render_mb = _render_ahead(default_home)
        live_home = _home(root, "live", "default", render_ahead=False)
        if have_mpv:
            files = _make_mp3s(root)
            playlist = root / "mp3s.toml"
            listed = ", ".join(f'"{f}"' for f in files)
            playlist.write_text(
                f'name = "MP3s"\nbed = "loop"\n[[phases]]\nname = "settle"\ntracks = [{listed}]\n',
                encoding="utf-8")
            files_home = _home(root, "files", str(playlist))
            # The first start analyses the files' loudness; a patient's later
            # Experiences find it cached, as the measured runs do.
            subprocess.run([sys.executable, "-m", "companion", "--home", str(files_home),
                            "playlist", "check", str(playlist)],
                           capture_output=True, check=False)
        app_files, mpv_cpu, app_default, app_live, rss = [], [], [], [], []
        for _ in range(RUNS):
            if have_mpv:
                cpu, peak = _app_experience(files_home)
                app_files.append(cpu)
                rss.append(peak)
                mpv_cpu.append(_mpv(files))
            cpu, peak = _app_experience(default_home)
            app_default.append(cpu)
            rss.append(peak)
            cpu, peak = _app_experience(live_home)
            app_live.append(cpu)
            rss.append(peak)
        # made live, the heavier case for memory: the next phase's score is built while the last one plays
        brief_home = _home(root, "brief", str(_whole_default(root)), render_ahead=False)
        _, whole_peak = _app_experience(brief_home, 4 * PHASE_SECONDS - SETTLE)
        label = f"{SECONDS:.0f} s, median of {RUNS}"
        if have_mpv:
            rows.append({
                "figure": f"CPU, whole app in the Experience, 4 MP3s ({label})",
                "value": statistics.median(app_files), "unit": "% core", "target": "<= mpv",
                "comparison": "mpv --ao=null, same files",
                "comparison_value": statistics.median(mpv_cpu),
            })
        rows.append({
            "figure": f"CPU, whole app in the Experience, generated default rendered ahead ({label})",
            "value": statistics.median(app_default), "unit": "% core", "target": "<= the MP3s",
            "comparison": "the whole app on the 4 MP3s" if have_mpv else "MP3s (mpv, lame not installed)",
            "comparison_value": statistics.median(app_files) if have_mpv else None,
        })
        rows.append({
            "figure": f"CPU, whole app in the Experience, generated default made live ({label})",
            "value": statistics.median(app_live), "unit": "% core",
            "comparison": "mpv --ao=null, the MP3s" if have_mpv else "mpv (not installed)",
            "comparison_value": statistics.median(mpv_cpu) if have_mpv else None,
        })
        rows.append({
            "figure": f"rendering the default's 85 minutes ahead at Home (once; nice 19): CPU of the renderer, "
                      f"{render_wall:.0f} s from Home to done",
            "value": render_cpu, "unit": "s",
        })
        rows.append({"figure": "the default's renders on disk", "value": render_mb, "unit": "MB"})
        rows.append({
            "figure": f"peak RSS of the app in the Experience's first {SETTLE + SECONDS:.0f} s (VmHWM)",
            "value": max(rss), "unit": "MB", "target": "< 100 MB",
        })
        rows.append({
            "figure": f"peak RSS through a whole Experience: the default's 4 phases, {PHASE_SECONDS} s each",
            "value": whole_peak, "unit": "MB", "target": "< 100 MB",
        })
        return rows


if __name__ == "__main__":
    for row in run():
        print(row)
