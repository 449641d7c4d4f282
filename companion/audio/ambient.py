"""Generated ambient sound: slow drones, pads and soft noise, deterministic.

Every sample is a function of (mood, seed, sample rate, absolute frame), so a
source can start anywhere (seek after a restart) and the same seed always
gives the same sound. Nothing has a sudden onset: chords change by slow
equal-power crossfades over many seconds, voices swell with slow LFOs, and
the noise texture is spectrally soft and breathes like distant surf.

Cost is kept low for the 85-minute session: oscillators read a small
wavetable (all oscillators of a block in one vectorised lookup), envelopes
are linear within a block, and the noise is a precomputed seamless loop.
"""

from __future__ import annotations

import functools
import math
import random

import numpy as np

# D major pentatonic palette; semitones above D3 (146.83 Hz). Open voicings,
# no leading tones, no dominant: nothing that asks to resolve.
CHORDS = {
    "I": (0, 7, 14, 16),  # D A E F#  (Dadd9)
    "Isus2": (0, 7, 12, 14),  # D A D E
    "vi": (-3, 4, 7, 12),  # B F# A D  (Bm7)
    "IV": (5, 12, 14, 19),  # G D E A   (G6/9)
    "ii": (2, 9, 12, 19),  # E B D A   (Em7 sus4)
}

MOODS = {
    #            chord period s, brightness, noise level, noise cutoff Hz, swell s, shimmer, chords
    "settle": dict(period=34.0, bright=0.40, noise=0.050, cutoff=1300.0, swell=9.5, shimmer=0.0,
                   chords=("I", "vi", "IV", "Isus2")),
    "onset": dict(period=27.0, bright=0.48, noise=0.040, cutoff=1900.0, swell=11.0, shimmer=0.35,
                  chords=("I", "IV", "vi", "ii", "Isus2")),
    "plateau": dict(period=46.0, bright=0.30, noise=0.032, cutoff=950.0, swell=14.0, shimmer=0.2,
                    chords=("Isus2", "I", "vi", "Isus2", "IV")),
    "return": dict(period=30.0, bright=0.46, noise=0.045, cutoff=1700.0, swell=10.0, shimmer=0.12,
                   chords=("I", "IV", "vi", "Isus2")),
}
DEFAULT_MOOD = "plateau"

D3 = 146.8324
TABLE_SIZE = 4096
GRID = 4096  # envelopes are linear between multiples of GRID frames
CROSSFADE = 0.6  # share of each chord period spent crossfading into the next
NOISE_LOOP_SECONDS = (11.3, 13.7)  # different lengths left and right: no audible loop


def _note(semitones: float) -> float:
    return D3 * 2.0 ** (semitones / 12.0)


@functools.lru_cache(maxsize=8)
def _wavetable(bright: float) -> np.ndarray:
    """One cycle of a soft pad wave (harmonics falling off), with a guard point."""
    x = np.arange(TABLE_SIZE + 1) / TABLE_SIZE
    wave = np.zeros_like(x)
    norm = 0.0
    for h in range(1, 7):
        amp = bright ** (h - 1) / h
        wave += amp * np.sin(2 * np.pi * h * x + 0.3 * h)
        norm += amp
    return (wave / norm).astype(np.float32)


@functools.lru_cache(maxsize=4)
def _noise_loops(rate: int, seed: int, cutoff: float) -> tuple[np.ndarray, np.ndarray]:
    """Two seamless loops of soft, pink-ish, band-limited noise (unit RMS)."""
    rng = np.random.default_rng(seed * 7919 + 17)
    loops = []
    for seconds in NOISE_LOOP_SECONDS:
        n = int(seconds * rate)
        spectrum = np.fft.rfft(rng.standard_normal(n))
        f = np.fft.rfftfreq(n, 1.0 / rate)
        f[0] = 1.0
        shape = 1.0 / np.sqrt(f)  # pink
        shape *= (f / (f + 150.0)) ** 2  # no rumble
        shape /= 1.0 + (f / cutoff) ** 4  # soft top
        shape[0] = 0.0
        loop = np.fft.irfft(spectrum * shape, n)  # circular: seamless at the loop point
        loop /= np.sqrt(np.mean(loop**2)) + 1e-12
        loops.append(loop.astype(np.float32))
    return loops[0], loops[1]


def _chord_name(mood: str, seed: int, k: int) -> str:
    palette = MOODS[mood]["chords"]
    if k <= 0:
        return palette[0]
    rng = random.Random(seed * 1_000_003 + k)
    # mostly walk the palette in order, sometimes stay or step back: calm, not a loop
    step = rng.choice((1, 1, 1, 0, 2))
    return palette[(k + step) % len(palette)]


class AmbientSource:
    """An endless stereo ambient stream; ``read(n)`` gives float32 (n, 2)."""

    channels = 2

    def __init__(self, rate: int, mood: str | None = None, seed: int = 0, start: int = 0) -> None:
        self.rate = int(rate)
        self.mood = mood if mood in MOODS else DEFAULT_MOOD
        self.seed = int(seed)
        self.params = MOODS[self.mood]
        self.frame = int(start)
        self._table = _wavetable(self.params["bright"])
        self._soft_table = _wavetable(0.12)
        self._noise = _noise_loops(self.rate, self.seed, self.params["cutoff"])
        rng = random.Random(self.seed * 31 + 5)
        # per-voice slow swells: (period s, phase)
        self._lfo = [(rng.uniform(17.0, 37.0), rng.uniform(0, 2 * math.pi)) for _ in range(16)]
        self._drone_lfo = (rng.uniform(40.0, 60.0), rng.uniform(0, 2 * math.pi))
        self._swell_phase = rng.uniform(0, 2 * math.pi)
        self.error: str | None = None

    # -- the source protocol ------------------------------------------------

    def seek(self, frame: int) -> None:
        self.frame = max(0, int(frame))

    def close(self) -> None:
        pass

    def read(self, frames: int) -> np.ndarray:
        out = np.empty((frames, 2), dtype=np.float32)
        done = 0
        while done < frames:
            # blocks on a fixed grid, so a seek gives exactly the same samples
            n = min(GRID - self.frame % GRID, frames - done)
            out[done : done + n] = self._block(self.frame, n)
            self.frame += n
            done += n
        return out

    # -- synthesis ----------------------------------------------------------

    def _chord_weight(self, k: int, t: float) -> float:
        """Equal-power weight of chord k at time t (continuous in t)."""
        period = self.params["period"]
        u = t / period
        current = math.floor(u)
        frac = u - current
        x = (frac - (1.0 - CROSSFADE)) / CROSSFADE
        if k == current:
            return 1.0 if x <= 0 else math.cos(0.5 * math.pi * x)
        if k == current + 1:
            return 0.0 if x <= 0 else math.sin(0.5 * math.pi * x)
        return 0.0

    def _oscillators(self, t: float) -> list[tuple[float, float, float, int]]:
        """(frequency, left amp, right amp, table) of every oscillator at time t."""
        p = self.params
        oscs: list[tuple[float, float, float, int]] = []
        # drone: D2 and A2, slightly detuned left and right for slow width
        period, phase = self._drone_lfo
        drone = 0.085 * (0.85 + 0.15 * math.sin(2 * math.pi * t / period + phase))
        for freq, amp in ((_note(-12), 1.0), (_note(-5), 0.55)):
            oscs.append((freq - 0.07, drone * amp, 0.0, 1))
            oscs.append((freq + 0.07, 0.0, drone * amp, 1))
        k = math.floor(t / p["period"])
        for chord in (k, k + 1):
            weight = self._chord_weight(chord, t)
            if weight <= 0.0:
                continue
            notes = CHORDS[_chord_name(self.mood, self.seed, chord)]
            for v, semis in enumerate(notes):
                lfo_period, lfo_phase = self._lfo[(v + chord) % len(self._lfo)]
                swell = 0.7 + 0.3 * math.sin(2 * math.pi * t / lfo_period + lfo_phase)
                amp = 0.05 * weight * swell
                pan = 0.5 + 0.3 * math.sin(v * 2.1 + chord * 0.7)  # spread voices across the field
                freq = _note(semis)
                detune = freq * (2 ** (3 / 1200) - 1)
                oscs.append((freq - detune, amp * (1.0 - pan) * 1.2, amp * pan * 0.4, 0))
                oscs.append((freq + detune, amp * (1.0 - pan) * 0.4, amp * pan * 1.2, 0))
                if p["shimmer"] and v == len(notes) - 1:
                    shimmer = p["shimmer"] * 0.03 * weight * (0.5 + 0.5 * math.sin(2 * math.pi * t / 23.0 + chord))
                    oscs.append((freq * 2.0, shimmer * (1 - pan), shimmer * pan, 1))
                    oscs.append((freq * 3.0 + 0.11, shimmer * 0.4 * pan, shimmer * 0.4 * (1 - pan), 1))
        return oscs

    def _block(self, start: int, n: int) -> np.ndarray:
        rate = self.rate
        g0 = start - start % GRID
        t0 = g0 / rate
        t1 = (g0 + GRID) / rate
        a = self._oscillators(t0)
        b = self._oscillators(t1)
        # the same oscillator list at both ends except when a chord enters or leaves
        # exactly at the block edge (weight 0 there); match them by frequency.
        amps = {}
        for freq, left, right, table in a:
            amps[(round(freq, 6), table)] = [left, right, 0.0, 0.0]
        for freq, left, right, table in b:
            amps.setdefault((round(freq, 6), table), [0.0, 0.0, 0.0, 0.0])[2:] = [left, right]
        keys = list(amps)
        freqs = np.array([key[0] for key in keys])
        tables = np.array([key[1] for key in keys])
        env = np.array([amps[key] for key in keys])  # (osc, 4): l0 r0 l1 r1
        ramp = np.arange(start - g0, start - g0 + n, dtype=np.float32) / np.float32(GRID)
        # phases in float64 (exact over 85 minutes), the rest in float32 (half the memory traffic)
        phase = np.outer(freqs / rate, np.arange(start, start + n, dtype=np.float64))
        phase -= np.floor(phase)
        pos = (phase * TABLE_SIZE).astype(np.float32)
        np.minimum(pos, np.float32(TABLE_SIZE - 0.001), out=pos)  # float32 may round 4095.9999 up
        idx = pos.astype(np.int32)
        frac = pos - idx
        waves = np.empty_like(pos)
        for table_id, table in ((0, self._table), (1, self._soft_table)):
            rows = tables == table_id
            if rows.all():
                lo = table[idx]
                waves = lo + (table[idx + 1] - lo) * frac
            elif rows.any():
                i = idx[rows]
                lo = table[i]
                waves[rows] = lo + (table[i + 1] - lo) * frac[rows]
        env = env.astype(np.float32)
        left_env = env[:, 0:1] + (env[:, 2:3] - env[:, 0:1]) * ramp
        right_env = env[:, 1:2] + (env[:, 3:4] - env[:, 1:2]) * ramp
        out = np.empty((n, 2), dtype=np.float32)
        out[:, 0] = np.einsum("ij,ij->j", waves, left_env)
        out[:, 1] = np.einsum("ij,ij->j", waves, right_env)
        # noise texture, breathing slowly like distant surf
        p = self.params
        noise_l, noise_r = self._noise
        swell0 = self._swell(t0)
        swell1 = self._swell(t1)
        level = np.float32(p["noise"])
        breath = np.float32(swell0[0]) + np.float32(swell1[0] - swell0[0]) * ramp
        breath_r = np.float32(swell0[1]) + np.float32(swell1[1] - swell0[1]) * ramp
        out[:, 0] += level * breath * _loop_slice(noise_l, start, n)
        out[:, 1] += level * breath_r * _loop_slice(noise_r, start, n)
        return out

    def _swell(self, t: float) -> tuple[float, float]:
        period = self.params["swell"]
        ph = 2 * math.pi * t / period + self._swell_phase
        return 0.55 + 0.45 * (0.5 - 0.5 * math.cos(ph)), 0.55 + 0.45 * (0.5 - 0.5 * math.cos(ph + 0.9))


def _loop_slice(loop: np.ndarray, start: int, n: int) -> np.ndarray:
    length = len(loop)
    begin = start % length
    if begin + n <= length:
        return loop[begin : begin + n]
    first = loop[begin:]
    rest = n - len(first)
    reps = np.concatenate([first] + [loop] * (rest // length) + [loop[: rest % length]])
    return reps


def generator_key(mood: str | None, seed: int) -> str:
    """A stable key for the analysis cache."""
    mood = mood if mood in MOODS else DEFAULT_MOOD
    return f"generated:ambient:v1:{mood}:{seed}"
