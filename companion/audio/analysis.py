"""Loudness (ITU-R BS.1770 style) and duration of tracks, measured once and cached.

The K-weighting filter (a high shelf and a high pass, coefficients computed
for any sample rate) is applied as an exact linear convolution with its
impulse response, block by block with FFT overlap-add, so a whole file is
measured while streaming through it with constant memory. Gating: 400 ms
blocks with 75 % overlap, absolute gate at -70 LUFS, relative gate at -10 LU.

The cache is its own small SQLite file (sqlite-utils), keyed by path, size
and modification time; it holds no patient data and may be deleted any time.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from companion.core.models import format_duration

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
ANALYSIS_VERSION = 1


def k_weighting(rate: int) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """(b1, a1, b2, a2): the two K-weighting biquads for a sample rate."""
    # stage 1: high shelf (head effects)
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    b1 = ((vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0)
    a1 = (1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0)
    # stage 2: high pass (RLB)
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1.0 + k / q + k * k
    b2 = (1.0, -2.0, 1.0)
    a2 = (1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0)
    return b1, a1, b2, a2


def _response(b, a, n: int) -> np.ndarray:
    z = np.exp(-2j * np.pi * np.fft.rfftfreq(n))  # z^-1 on the FFT grid
    num = b[0] + b[1] * z + b[2] * z * z
    den = a[0] + a[1] * z + a[2] * z * z
    return num / den


def _impulse_response(rate: int) -> np.ndarray:
    """The K-weighting impulse response, long enough to have decayed below 1e-9."""
    taps = 1 << max(11, math.ceil(math.log2(rate * 0.1)))
    b1, a1, b2, a2 = k_weighting(rate)
    grid = 4 * taps  # evaluate finely, then cut: time aliasing is negligible
    h = np.fft.irfft(_response(b1, a1, grid) * _response(b2, a2, grid), grid)
    return h[:taps]


class LoudnessMeter:
    """Integrated loudness and sample peak of a stream of (frames, channels) float blocks."""

    def __init__(self, rate: int) -> None:
        self.rate = int(rate)
        self.step = max(1, round(0.1 * self.rate))  # 100 ms: a quarter of a gating block
        self._h = _impulse_response(self.rate)
        taps = len(self._h)
        self._nfft = taps * 4  # moderate FFT sizes stay in the CPU cache: fastest
        self._block = self._nfft - taps + 1
        self._H = np.fft.rfft(self._h, self._nfft)
        self._pending: list[np.ndarray] = []
        self._pending_frames = 0
        self._carry: np.ndarray | None = None
        self._energy_rest = 0.0
        self._rest_frames = 0
        self._steps: list[float] = []  # mean square (summed over channels) of each 100 ms
        self.frames = 0
        self.peak = 0.0

    def feed(self, block: np.ndarray) -> None:
        if block.ndim == 1:
            block = block[:, None]
        if not len(block):
            return
        self.frames += len(block)
        self.peak = max(self.peak, float(np.max(np.abs(block))))
        self._pending.append(np.asarray(block, dtype=np.float64))
        self._pending_frames += len(block)
        while self._pending_frames >= self._block:
            self._filter_pending(self._block)

    def _filter_pending(self, count: int) -> None:
        data = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        chunk, rest = data[:count], data[count:]
        self._pending = [rest] if len(rest) else []
        self._pending_frames = len(rest)
        channels = np.ascontiguousarray(chunk.T)  # FFT along contiguous rows: much faster
        spectrum = np.fft.rfft(channels, self._nfft, axis=-1) * self._H
        full = np.fft.irfft(spectrum, self._nfft, axis=-1)[:, : count + len(self._h) - 1]
        if self._carry is not None:
            full[:, : self._carry.shape[1]] += self._carry
        self._carry = full[:, count:].copy()
        kept = full[:, :count]
        self._accumulate(np.einsum("ij,ij->j", kept, kept))

    def _accumulate(self, power: np.ndarray) -> None:
        cumulative = np.cumsum(power)
        position = 0
        total_before = 0.0
        need = self.step - self._rest_frames
        while len(power) - position >= need:
            end = position + need
            total = cumulative[end - 1]
            self._steps.append((self._energy_rest + total - total_before) / self.step)
            total_before = total
            position = end
            self._energy_rest = 0.0
            self._rest_frames = 0
            need = self.step
        if position < len(power):
            self._energy_rest += float(cumulative[-1] - total_before)
            self._rest_frames += len(power) - position

    def result(self) -> float | None:
        """Integrated loudness in LUFS, or None when everything is below the gate."""
        if self._pending_frames:
            self._filter_pending(self._pending_frames)
        steps = np.asarray(self._steps)
        if len(steps) < 4:
            return None
        blocks = (steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]) / 4.0
        with np.errstate(divide="ignore"):
            loudness = -0.691 + 10.0 * np.log10(blocks)
        gated = blocks[loudness > ABSOLUTE_GATE]
        if not len(gated):
            return None
        relative = -0.691 + 10.0 * math.log10(float(np.mean(gated))) + RELATIVE_GATE
        final = blocks[(loudness > ABSOLUTE_GATE) & (loudness > relative)]
        if not len(final):
            return None
        return -0.691 + 10.0 * math.log10(float(np.mean(final)))


def integrated_loudness(samples: np.ndarray, rate: int) -> float | None:
    meter = LoudnessMeter(rate)
    meter.feed(samples)
    return meter.result()


@dataclass
class Analysis:
    """What we know about one track. ``frames`` are at ``rate`` (the file's own rate)."""

    frames: int = 0
    rate: int = 0
    channels: int = 0
    lufs: float | None = None
    peak: float = 0.0
    error: str | None = None  # why it cannot play
    warning: str | None = None  # plays, but the patient should know
    decoder: str = "miniaudio"  # or "ffmpeg"

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0

    def frames_at(self, rate: int) -> int:
        if not self.rate:
            return 0
        return int(self.frames * rate // self.rate)


def analyse_file(path: Path) -> Analysis:
    """Decode a whole file once (streaming) to measure its length, loudness and peak."""
    from companion.audio import sources

    path = Path(path)
    problem = sources.check_file(path)
    if problem:
        return Analysis(error=problem)
    decoder = sources.decoder_for(path)
    try:
        if decoder == "miniaudio":
            info_frames, rate, channels = sources.file_info(path)
            stream = sources.open_file(path, rate=rate)
        else:
            rate, channels, info_frames = 48000, 2, 0
            stream = sources.FfmpegSource(path, rate)
    except sources.SourceError as error:
        return Analysis(error=str(error))
    meter = LoudnessMeter(rate)
    try:
        while True:
            block = stream.read(32768)
            if not len(block):
                break
            meter.feed(block)
    finally:
        stream.close()
    result = Analysis(frames=meter.frames, rate=rate, channels=channels, peak=meter.peak, decoder=decoder)
    if meter.frames == 0:
        result.error = stream.error or "contains no audio (corrupt or not an audio file)"
        return result
    if stream.error:
        result.warning = f"damaged after {format_duration(result.seconds)}; plays up to there"
    elif info_frames and info_frames - meter.frames > max(rate, info_frames // 20):
        result.warning = f"seems truncated; plays {format_duration(result.seconds)} of {format_duration(info_frames / rate)}"
    result.lufs = meter.result()
    if result.lufs is None:
        result.error = "silent"
    return result


GENERATED_SECONDS = 600.0  # how much of a generated track its loudness is measured on
GENERATED_RATE = 22050  # the score has next to nothing above 10 kHz: half the rate, half the work
GENERATED_VERSION = 4  # raise when the way generated sources are measured changes (the cache key carries it)


def analyse_generated(mood: str | None, seed: int, rate: int = GENERATED_RATE,
                      seconds: float = GENERATED_SECONDS) -> Analysis:
    """Loudness of a generated source: its first ten minutes, as a track plays them.

    The score develops (chords of a Markov walk, bells and fragments at hashed
    times, a drift over minutes), so each minute sounds a little louder or
    softer; over ten minutes that averages out to within a few tenths of an
    LU of the whole track (the audio benchmark measures every minute of the
    default against the target).
    """
    from companion.audio.ambient import AmbientSource

    source = AmbientSource(rate, mood, seed, start=0)
    meter = LoudnessMeter(rate)
    remaining = int(seconds * rate)
    block = np.empty((16384, 2), dtype=np.float32)
    while remaining > 0:
        n = min(len(block), remaining)
        source.read_into(block[:n])
        meter.feed(block[:n])
        remaining -= n
    return Analysis(frames=0, rate=rate, channels=2, lufs=meter.result(), peak=meter.peak * 1.25, decoder="generated")


class AnalysisCache:
    """Analyses keyed by path, size and modification time, in a small SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._memory: dict[str, Analysis] = {}
        self._db = None
        self._opened = False
        self._open_lock = threading.Lock()

    @property
    def db(self):
        """The SQLite file, opened on first use (the default playlist never needs it)."""
        if not self._opened:
            with self._open_lock:
                if not self._opened:
                    self._db = self._open()
                    self._opened = True
        return self._db

    def _open(self):
        if self.path is None:
            return None
        try:
            import sqlite_utils

            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(self.path), check_same_thread=False, timeout=2.0)
            db = sqlite_utils.Database(connection, execute_plugins=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=2000")
            if "analysis" not in db.table_names():
                db["analysis"].create(
                    {
                        "key": str, "frames": int, "rate": int, "channels": int, "lufs": float,
                        "peak": float, "error": str, "warning": str, "decoder": str, "measured": float,
                    },
                    pk="key",
                )
            return db
        except Exception:
            return None  # a broken cache must never stop the music

    @staticmethod
    def file_key(path: Path) -> str | None:
        """Path, size, modification time and what decodes the file (for ffmpeg, which one, or
        none: a file measured with ffmpeg is not playable once ffmpeg has gone)."""
        from companion.audio import sources

        try:
            stat = os.stat(path)
            resolved = Path(path).resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
            return None
        decoder = sources.decoder_for(Path(path))
        if decoder == "ffmpeg":
            decoder = f"ffmpeg={sources.ffmpeg_path() or 'none'}"
        return f"v{ANALYSIS_VERSION}|{resolved}|{stat.st_size}|{stat.st_mtime_ns}|{decoder}"

    def _get(self, key: str) -> Analysis | None:
        if key in self._memory:
            return self._memory[key]
        if self.db is None:
            return None
        try:
            with self._lock:
                rows = list(self.db.query("select * from analysis where key = ?", [key]))
        except Exception:
            return None
        if not rows:
            return None
        row = rows[0]
        found = Analysis(
            frames=row["frames"] or 0, rate=row["rate"] or 0, channels=row["channels"] or 0, lufs=row["lufs"],
            peak=row["peak"] or 0.0, error=row["error"], warning=row["warning"], decoder=row["decoder"] or "miniaudio",
        )
        self._memory[key] = found
        return found

    def _put(self, key: str, analysis: Analysis) -> None:
        self._memory[key] = analysis
        if self.db is None:
            return
        try:
            with self._lock:
                self.db["analysis"].upsert({"key": key, **asdict(analysis), "measured": time.time()}, pk="key")
        except Exception:
            pass

    def analyse(self, path: Path) -> Analysis:
        from companion.audio import sources

        key = self.file_key(path)
        if key is None:
            return Analysis(error=sources.check_file(Path(path)) or "file not found")
        found = self._get(key)
        if found is not None:
            return found
        analysis = analyse_file(Path(path))
        self._put(key, analysis)
        return analysis

    def analyse_generated(self, mood: str | None, seed: int) -> Analysis:
        """Shipped values for the usual generators; others are measured once and cached."""
        from companion.audio.ambient import generator_key, measured

        shipped = measured(mood, seed)
        if shipped is not None:
            lufs, peak = shipped
            return Analysis(frames=0, rate=44100, channels=2, lufs=lufs, peak=peak, decoder="generated")
        key = f"v{GENERATED_VERSION}|{generator_key(mood, seed)}"
        found = self._get(key)
        if found is not None:
            return found
        analysis = analyse_generated(mood, seed)
        self._put(key, analysis)
        return analysis

    def analyse_many(self, paths: Iterable[Path]) -> list[Analysis]:
        return [self.analyse(path) for path in paths]

    def close(self) -> None:
        db, self._db = self._db, None
        self._opened = True
        if db is not None:
            try:
                db.close()
            except Exception:
                pass
