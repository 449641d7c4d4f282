"""Audio engine figures: memory, render speed, CPU while playing, load time.

Run: ``uv run python -m tests.benchmarks -k audio`` (or this file directly:
``uv run python tests/benchmarks/bench_audio.py``). ``COMPANION_BENCH_QUICK=1``
shortens the CPU measurement to 15 s and runs each timing once.

- peak RSS rendering the full 85 minutes (20 and 200 file tracks, and the
  generated default), each in a fresh interpreter; target < 120 MB
- render time against miniaudio alone decoding the same files; target <= 1.5x.
  Both produce float32 stereo at 44.1 kHz and only hand it on (the render's
  16-bit WAV conversion is a separate row). Each is the best of five runs,
  the two taken in turns (a busy spell of the machine weighs on both), as
  wall-clock time and as CPU time (steadier on a shared, loaded machine).
- CPU while the player plays the default session on the NULL backend,
  averaged over 60 s; target < 3 % of one core
- Player.load of a 200-track playlist with a warm analysis cache, after the
  imports the running app already has (its store imports sqlite_utils);
  target < 200 ms. Beside it the same with sqlite_utils still to import.
- Player.load of the default playlist with no analysis cache at all (a
  patient's first Experience, every test with a fresh home); target < 0.3 s
- the generated default measured whole (85 minutes rendered through the real
  pipeline at 22.05 kHz, streamed): loudness of every minute against the
  target, the largest rise of short-term loudness in a second, peak, mono
  fold-down against stereo, the highest autocorrelation of the signal and of
  its envelope between 5 s and 20 min within each phase, the change between
  neighbouring minutes, and the timbre of each phase. Set
  ``COMPANION_BENCH_SCORE=0`` to leave it out (about two minutes).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SESSION = 85 * 60
RATE = 44100

CHILD_RENDER = r"""
import json, resource, sys, time
import numpy as np
from pathlib import Path
from companion.audio.analysis import AnalysisCache
from companion.audio.player import render_session
from companion.audio.session import build_session
from companion.core.playlist import load_playlist
playlist = load_playlist(sys.argv[1], [])
cache = AnalysisCache(Path(sys.argv[2]))
session = build_session(playlist, 44100, cache)
def to_pcm16(block):  # what `companion playlist render` does with each block
    block *= np.float32(32767.0)
    np.rint(block, out=block)
    np.clip(block, -32768.0, 32767.0, out=block)
    block.astype("<i2").tobytes()
def hand_on(block):  # like the decode figure: float32 stereo, handed on
    pass
write = to_pcm16 if sys.argv[3] == "pcm16" else hand_on
t, c = time.perf_counter(), time.process_time()
frames = render_session(session, write, reuse=True)
elapsed, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"seconds": elapsed, "cpu": cpu, "frames": frames,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD_DECODE = r"""
import json, sys, time
import miniaudio
from companion.core.playlist import load_playlist
playlist = load_playlist(sys.argv[1], [])
t, c = time.perf_counter(), time.process_time()
frames = 0
for _, track in playlist.tracks():
    stream = miniaudio.stream_file(str(track.file), output_format=miniaudio.SampleFormat.FLOAT32,
                                   nchannels=2, sample_rate=44100, frames_to_read=16384)
    for chunk in stream:
        frames += len(chunk) // 2
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "frames": frames}))
"""

CHILD_CPU = r"""
import json, sys, time
from pathlib import Path
from companion.audio.player import Player
from companion.core.playlist import default_playlist
player = Player(backend="null", cache_path=Path(sys.argv[1]))
player.load(default_playlist())
player.start(position=float(sys.argv[3]))
time.sleep(2.0)  # past start-up
cpu0, wall0 = time.process_time(), time.monotonic()
time.sleep(float(sys.argv[2]))
cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
player.close()
print(json.dumps({"cpu_percent": 100 * cpu / wall, "seconds": wall}))
"""

CHILD_SCORE = r"""
import json, sys
import numpy as np
from tests.audio import scoremeasure as sm
from companion.audio.analysis import AnalysisCache, LoudnessMeter, integrated_loudness
from companion.audio.player import render_session
from companion.audio.session import build_session
from companion.core.playlist import default_playlist
RATE = 22050
session = build_session(default_playlist(), RATE, AnalysisCache(None))
plan = session.plan
minute = 60 * RATE
stereo, mono = LoudnessMeter(RATE), LoudnessMeter(RATE)
pending = []
held = 0
minutes = []
peak = 0.0
decimated, envelope = [], []
def take(block):
    global held, peak
    block = block.copy()
    stereo.feed(block)
    m = block.mean(axis=1, keepdims=True)
    mono.feed(np.repeat(m, 2, axis=1))
    peak = max(peak, float(np.abs(block).max()))
    pending.append(block)
    held += len(block)
    while held >= minute:
        data = np.concatenate(pending)
        one, rest = data[:minute], data[minute:]
        pending[:] = [rest] if len(rest) else []
        held = len(rest)
        bands, chroma = sm.band_spectrum(one, RATE)
        t = sm.timbre(one, RATE)
        minutes.append({"lufs": integrated_loudness(one, RATE), "bands": bands.tolist(), "chroma": chroma.tolist(),
                        "centroid": t["centroid"], "flux": t["flux"], "high": t["high_share"]})
        x = one.mean(axis=1)
        decimated.append(x[: len(x) // 11 * 11].reshape(-1, 11).mean(axis=1))
        envelope.append(sm.envelope(x, RATE))
render_session(session, take, block=16384)
stereo.result(); mono.result()
def st(meter, w, h):
    steps = np.asarray(meter._steps)
    sums = np.convolve(steps, np.ones(w) / w, mode="valid")[::h]
    return -0.691 + 10 * np.log10(np.maximum(sums, 1e-20))
short = st(stereo, 30, 10)
inner = slice(int(plan.fade_in_frames / RATE) + 3, int((plan.session_frames - plan.fade_out_frames) / RATE) - 3)
rise = float(np.max(np.diff(short[inner])))
fold = st(mono, 10, 5) - st(stereo, 10, 5)
fold = fold[2 * inner.start : 2 * inner.stop]
phases = {}
for e in plan.entries:
    if not e.is_bed:
        phases[e.phase] = (e.start // minute + 1, e.end // minute - 1)  # whole minutes away from crossfades
out = {"peak": peak, "rise": rise, "mono_db": mono.result() - stereo.result(), "mono_worst_dip": float(fold.min()),
       "minutes": [m["lufs"] for m in minutes], "phases": {}}
for name, (a, b) in phases.items():
    sig = np.concatenate(decimated[a:b]); env = np.concatenate(envelope[a:b])
    acf_s = sm.autocorrelation(sig); acf_e = sm.autocorrelation(env)
    sr = RATE / 11
    lo_s, hi_s = int(5 * sr), min(len(sig) // 2, int(1200 * sr))
    lo_e, hi_e = 100, min(len(env) // 2, 1200 * 20)
    i = lo_s + int(np.argmax(acf_s[lo_s:hi_s])); j = lo_e + int(np.argmax(acf_e[lo_e:hi_e]))
    ch = []
    for m1, m2 in zip(minutes[a:b], minutes[a + 1:b]):
        b1, b2 = np.array(m1["bands"]), np.array(m2["bands"]); c1, c2 = np.array(m1["chroma"]), np.array(m2["chroma"])
        ch.append((float(np.sqrt(np.mean((b1 - b2) ** 2))), 1 - float(c1 @ c2 / np.linalg.norm(c1) / np.linalg.norm(c2))))
    lufs = [m["lufs"] for m in minutes[a:b]]
    out["phases"][name] = {"minutes": [a, b], "acf_signal": [float(acf_s[i]), i / sr], "acf_envelope": [float(acf_e[j]), j / 20],
        "spectral_change_min": min(c[0] for c in ch), "harmonic_change_min": min(c[1] for c in ch),
        "spectral_change_mean": float(np.mean([c[0] for c in ch])), "harmonic_change_mean": float(np.mean([c[1] for c in ch])),
        "lufs_min": min(lufs), "lufs_max": max(lufs),
        "centroid": float(np.mean([m["centroid"] for m in minutes[a:b]])), "flux": float(np.mean([m["flux"] for m in minutes[a:b]])),
        "high_share": float(np.mean([m["high"] for m in minutes[a:b]]))}
print(json.dumps(out))
"""

CHILD_LOAD = r"""
import json, sys, time
from pathlib import Path
if sys.argv[3] == "app":
    import sqlite_utils  # the running app has imported it already (its store)
from companion.audio.player import Player
from companion.core.playlist import load_playlist, default_playlist
t0 = time.perf_counter()  # after the imports: the app has them loaded already
playlist = default_playlist() if sys.argv[1] == "default" else load_playlist(sys.argv[1], [])
player = Player(backend="null", cache_path=Path(sys.argv[2]))
problems = player.load(playlist)
elapsed = time.perf_counter() - t0
player.close()
print(json.dumps({"seconds": elapsed, "problems": len(problems)}))
"""


def _child(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _write_track(path: Path, seconds: float, seed: int) -> None:
    """A soft chord with noise, written in chunks (16-bit stereo WAV)."""
    rng = np.random.default_rng(seed)
    base = 180.0 + 20.0 * seed
    level = 10 ** (rng.uniform(-30, -12) / 20)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        total = int(seconds * RATE)
        for start in range(0, total, RATE * 10):
            n = min(RATE * 10, total - start)
            t = (start + np.arange(n)) / RATE
            x = np.sin(2 * np.pi * base * t) + 0.5 * np.sin(2 * np.pi * base * 1.5 * t) + 0.1 * rng.standard_normal(n)
            x *= level * (0.8 + 0.2 * np.sin(2 * np.pi * t / 7.0))
            wav.writeframes(np.clip(np.rint(np.stack([x, x * 0.9], 1) * 32767), -32768, 32767).astype("<i2").tobytes())


def _playlist(folder: Path, name: str, files: list[Path], count: int) -> Path:
    lines = [f'name = "{name}"', 'session = "85:00"', "crossfade = 6", "fade_in = 30", "fade_out = 60",
             "[[phases]]", 'name = "all"', "tracks = ["]
    lines += [f'  "{files[i % len(files)]}",' for i in range(count)]
    lines.append("]")
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _maybe_mp3(files: list[Path]) -> list[Path] | None:
    lame = shutil.which("lame")
    if lame is None:
        return None
    out = []
    for wav_path in files:
        mp3 = wav_path.with_suffix(".mp3")
        subprocess.run([lame, "--quiet", "-b", "160", str(wav_path), str(mp3)], check=True)
        out.append(mp3)
    return out


def _best(runs: int, script: str, *args: str) -> dict:
    """The fastest of a few runs (the others were slowed by whatever else the machine did)."""
    return _best_of([_child(script, *args) for _ in range(runs)])


def _paired(runs: int, first: tuple[str, ...], second: tuple[str, ...]) -> tuple[dict, dict]:
    """The best of a few runs of two measurements taken in turns, so that whatever else the
    machine is doing weighs on both sides of a ratio alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(_child(*first))
        b.append(_child(*second))
    return _best_of(a), _best_of(b)


def _best_of(results: list[dict]) -> dict:
    best = dict(min(results, key=lambda r: r["seconds"]))
    if "cpu" in best:
        best["cpu"] = min(r["cpu"] for r in results)
    if "rss_mb" in best:
        best["rss_mb"] = max(r["rss_mb"] for r in results)
    return best


def run() -> list[dict]:
    rows: list[dict] = []
    quick = bool(os.environ.get("COMPANION_BENCH_QUICK"))
    runs = 1 if quick else 3
    pairs = 1 if quick else 5  # render and decode in turns, for the ratios
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = folder / "analysis.db"
        per20 = SESSION / 20 + 6
        per200 = SESSION / 200 + 6
        files20 = [folder / f"long{i}.wav" for i in range(5)]
        files200 = [folder / f"short{i}.wav" for i in range(10)]
        for i, f in enumerate(files20):
            _write_track(f, per20, i)
        for i, f in enumerate(files200):
            _write_track(f, per200, 10 + i)
        sets = {"20 WAV tracks": _playlist(folder, "wav20", files20, 20),
                "200 WAV tracks": _playlist(folder, "wav200", files200, 200)}
        mp3 = _maybe_mp3(files20)
        if mp3:
            sets["20 MP3 tracks"] = _playlist(folder, "mp320", mp3, 20)
        for label, playlist in sets.items():
            _child(CHILD_LOAD, str(playlist), str(cache), "app")  # warm the analysis cache
            rendered, decoded = _paired(pairs, (CHILD_RENDER, str(playlist), str(cache), "float"),
                                        (CHILD_DECODE, str(playlist)))
            rows.append({"figure": f"peak RSS, render 85:00, {label}", "value": rendered["rss_mb"], "unit": "MB",
                         "target": "< 120 MB"})
            rows.append({"figure": f"render 85:00, {label}", "value": rendered["seconds"], "unit": "s",
                         "target": "<= 1.5x decode",
                         "comparison": "miniaudio decode alone", "comparison_value": decoded["seconds"]})
            rows.append({"figure": f"render 85:00, {label}, CPU time", "value": rendered["cpu"], "unit": "s",
                         "target": "<= 1.5x decode",
                         "comparison": "miniaudio decode alone", "comparison_value": decoded["cpu"]})
            if label == "20 WAV tracks":
                pcm = _best(runs, CHILD_RENDER, str(playlist), str(cache), "pcm16")
                rows.append({"figure": f"render 85:00 to 16-bit PCM, {label}", "value": pcm["seconds"],
                             "unit": "s", "comparison": "miniaudio decode alone",
                             "comparison_value": decoded["seconds"]})
        default = folder / "default.toml"
        shutil.copy(ROOT / "playlists" / "default.toml", default)
        rendered = _child(CHILD_RENDER, str(default), str(cache), "float")
        rows.append({"figure": "peak RSS, render 85:00, generated default", "value": rendered["rss_mb"],
                     "unit": "MB", "target": "< 120 MB"})
        rows.append({"figure": "render 85:00, generated default", "value": rendered["seconds"], "unit": "s"})
        warm = _best(runs, CHILD_LOAD, str(sets["200 WAV tracks"]), str(cache), "app")
        rows.append({"figure": "Player.load, 200 tracks, warm cache", "value": warm["seconds"] * 1000,
                     "unit": "ms", "target": "< 200 ms"})
        first = _best(runs, CHILD_LOAD, str(sets["200 WAV tracks"]), str(cache), "bare")
        rows.append({"figure": "Player.load, 200 tracks, warm cache, sqlite_utils not yet imported",
                     "value": first["seconds"] * 1000, "unit": "ms"})
        cold = _best(runs, CHILD_LOAD, "default", str(folder / "fresh" / "analysis.db"), "app")
        rows.append({"figure": "Player.load, default playlist, no analysis cache", "value": cold["seconds"] * 1000,
                     "unit": "ms", "target": "< 300 ms"})
        seconds = 15.0 if quick else 60.0
        cpu = _child(CHILD_CPU, str(cache), str(seconds), "1500")
        rows.append({"figure": f"CPU playing the default (NULL device, {seconds:.0f} s)", "value": cpu["cpu_percent"],
                     "unit": "% of a core", "target": "< 3 %"})
        if os.environ.get("COMPANION_BENCH_SCORE", "1") != "0":
            rows += score_rows()
    return rows


def score_rows() -> list[dict]:
    """The generated default measured whole (see the module's docstring)."""
    score = _child(CHILD_SCORE)
    rows = []
    inner = score["minutes"][1:-2]  # the master fade in and out are quieter on purpose
    rows.append({"figure": "default score: loudness per minute, spread", "value": max(inner) - min(inner), "unit": "LU",
                 "target": "within 1 LU of -23",
                 "comparison": "worst minute off -23", "comparison_value": max(abs(v + 23) for v in inner)})
    rows.append({"figure": "default score: largest short-term rise in 1 s", "value": score["rise"], "unit": "LU",
                 "target": "< 1.5 LU"})
    rows.append({"figure": "default score: peak", "value": score["peak"], "unit": "", "target": "< 1.0"})
    rows.append({"figure": "default score: mono minus stereo (integrated)", "value": score["mono_db"], "unit": "dB",
                 "target": "within 2 dB", "comparison": "deepest 1-s dip", "comparison_value": score["mono_worst_dip"]})
    for name, p in score["phases"].items():
        rows.append({"figure": f"default score, {name}: autocorrelation 5 s-20 min, signal", "value": p["acf_signal"][0],
                     "unit": "", "comparison": "at lag s", "comparison_value": p["acf_signal"][1]})
        rows.append({"figure": f"default score, {name}: autocorrelation 5 s-20 min, envelope",
                     "value": p["acf_envelope"][0], "unit": "", "comparison": "at lag s",
                     "comparison_value": p["acf_envelope"][1]})
        rows.append({"figure": f"default score, {name}: neighbour minutes, spectral change (min)",
                     "value": p["spectral_change_min"], "unit": "dB", "comparison": "mean",
                     "comparison_value": p["spectral_change_mean"]})
        rows.append({"figure": f"default score, {name}: neighbour minutes, harmonic change (min)",
                     "value": p["harmonic_change_min"], "unit": "", "comparison": "mean",
                     "comparison_value": p["harmonic_change_mean"]})
        rows.append({"figure": f"default score, {name}: loudness per minute", "value": p["lufs_max"] - p["lufs_min"],
                     "unit": "LU spread", "comparison": "quietest minute", "comparison_value": p["lufs_min"]})
        rows.append({"figure": f"default score, {name}: spectral centroid", "value": p["centroid"], "unit": "Hz",
                     "comparison": "flux", "comparison_value": p["flux"]})
        rows.append({"figure": f"default score, {name}: energy above 1 kHz", "value": 100 * p["high_share"],
                     "unit": "%"})
    return rows


if __name__ == "__main__":
    for row in run():
        extra = f"  (vs {row['comparison']}: {row['comparison_value']:.3g})" if "comparison" in row else ""
        print(f"{row['figure']:<55} {row['value']:>9.3g} {row['unit']:<12} {row.get('target', '')}{extra}")
