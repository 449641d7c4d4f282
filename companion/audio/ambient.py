"""Generated ambient sound: slow drones, pads and soft noise, deterministic.

Every sample is a function of (mood, seed, sample rate, absolute frame), so a
source can start anywhere (seek after a restart) and the same seed always
gives the same sound. Nothing has a sudden onset: chords change by slow
equal-power crossfades over many seconds, voices swell with slow LFOs, and
the noise texture is spectrally soft and breathes like distant surf.

Cost is kept low for the 85-minute session (well under 1 % of a core):
phases are 32-bit fixed-point integers (exact at any frame, no floor or
modulo), all oscillators of a block read a 32768-point wavetable in one
gather, envelopes are linear within a block so the mix is one small matrix
product, oscillator lists are computed once per grid edge, and the noise is
a precomputed seamless loop.
"""

from __future__ import annotations

import functools
import hashlib
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
TABLE_BITS = 15  # 32768-point wavetables read without interpolation: errors near -80 dB
TABLE_SIZE = 1 << TABLE_BITS
PHASE_ONE = 1 << 32  # phases are 32-bit fixed point: one cycle
PHASE_MASK = PHASE_ONE - 1
GRID = 4096  # envelopes are linear between multiples of GRID frames
CROSSFADE = 0.6  # share of each chord period spent crossfading into the next
NOISE_LOOP_SECONDS = (11.3, 13.7)  # different lengths left and right: no audible loop


def _note(semitones: float) -> float:
    return D3 * 2.0 ** (semitones / 12.0)


@functools.lru_cache(maxsize=8)
def _wavetable(bright: float) -> np.ndarray:
    """One cycle of a soft pad wave (harmonics falling off)."""
    x = np.arange(TABLE_SIZE) / TABLE_SIZE
    wave = np.zeros_like(x)
    norm = 0.0
    for h in range(1, 7):
        amp = bright ** (h - 1) / h
        wave += amp * np.sin(2 * np.pi * h * x + 0.3 * h)
        norm += amp
    return (wave / norm).astype(np.float32)


def _fft_size(n: int) -> int:
    """The smallest length >= n with no prime factor above 5: fast FFTs."""
    best = 1 << max(0, (n - 1).bit_length())
    power5 = 1
    while power5 < best:
        power35 = power5
        while power35 < best:
            m = power35
            while m < n:
                m *= 2
            best = min(best, m)
            power35 *= 3
        power5 *= 5
    return best


@functools.lru_cache(maxsize=3)
def _noise_loops(rate: int, seed: int, cutoff: float) -> tuple[np.ndarray, np.ndarray]:
    """Two seamless loops of soft, pink-ish, band-limited noise (unit RMS)."""
    rng = np.random.default_rng(seed * 7919 + 17)
    loops = []
    for seconds in NOISE_LOOP_SECONDS:
        n = _fft_size(int(seconds * rate))
        # float32 all the way after drawing the numbers: half the memory of float64
        spectrum = np.fft.rfft(rng.standard_normal(n).astype(np.float32))
        f = np.fft.rfftfreq(n, 1.0 / rate).astype(np.float32)
        f[0] = 1.0
        shape = f / (f + np.float32(150.0))
        shape *= shape  # no rumble
        shape /= np.sqrt(f)  # pink
        f /= np.float32(cutoff)
        f *= f
        f *= f
        f += np.float32(1.0)
        shape /= f  # soft top
        shape[0] = 0.0
        del f
        spectrum *= shape
        del shape
        loop = np.fft.irfft(spectrum, n)  # circular: seamless at the loop point
        del spectrum
        loop = loop.astype(np.float32, copy=False)
        loop /= np.float32(np.sqrt(np.mean(np.square(loop, dtype=np.float64))) + 1e-12)
        loops.append(loop)
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
        self._grid_cache: dict[int, tuple] = {}
        self._edge_cache: dict[int, list] = {}
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
        self.read_into(out)
        return out

    def read_into(self, out: np.ndarray) -> int:
        """Fill ``out`` (frames, 2) float32; the stream never ends."""
        frames = len(out)
        done = 0
        while done < frames:
            # blocks on a fixed grid, so a seek gives exactly the same samples
            n = min(GRID - self.frame % GRID, frames - done)
            out[done : done + n] = self._block(self.frame, n)
            self.frame += n
            done += n
        return frames

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

    def _edge(self, edge: int) -> list[tuple[float, float, float, int]]:
        """The oscillators at a grid edge (each edge ends one block and starts the next)."""
        found = self._edge_cache.get(edge)
        if found is None:
            if len(self._edge_cache) > 4:
                self._edge_cache.clear()
            found = self._edge_cache[edge] = self._oscillators(edge * GRID / self.rate)
        return found

    def _envelopes(self, grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Oscillators of one grid block: (phase increments, tables, start gains, gain slopes).

        The gains are (osc, 2) left/right at the block's first frame and their
        change over the block. Oscillators of the same frequency and table are
        the same waveform (the phase is a function of the absolute frame), so a
        note shared by two chords during a crossfade is one oscillator whose
        gains add up.
        """
        cached = self._grid_cache.get(grid)
        if cached is not None:
            return cached
        rate = self.rate
        amps: dict[tuple[int, int], list[float]] = {}
        for end, edge in ((0, grid), (2, grid + 1)):
            for freq, left, right, table in self._edge(edge):
                key = (round(freq / rate * PHASE_ONE), table)
                gains = amps.setdefault(key, [0.0, 0.0, 0.0, 0.0])
                gains[end] += left
                gains[end + 1] += right
        keys = sorted(amps)
        env = np.array([amps[key] for key in keys], dtype=np.float64).reshape(-1, 4)
        incs = np.array([key[0] for key in keys], dtype=np.uint64)
        tables = np.array([key[1] for key in keys], dtype=np.int8)
        start = env[:, 0:2]
        slope = env[:, 2:4] - start
        cached = (incs, tables, start.astype(np.float32), slope.astype(np.float32))
        if len(self._grid_cache) > 4:
            self._grid_cache.clear()
        self._grid_cache[grid] = cached
        return cached

    def _block(self, start: int, n: int) -> np.ndarray:
        rate = self.rate
        grid = start // GRID
        g0 = grid * GRID
        incs, tables, gain0, slope = self._envelopes(grid)
        # fixed-point phases: exact over any length, the same however a stream is split
        first = (incs * np.uint64(start)) & np.uint64(PHASE_MASK)
        phase = np.arange(n, dtype=np.uint32)[None, :] * incs.astype(np.uint32)[:, None]
        phase += first.astype(np.uint32)[:, None]
        phase >>= np.uint32(32 - TABLE_BITS)
        index = phase.view(np.int32)
        waves = np.empty(index.shape, dtype=np.float32)
        for table_id, table in ((0, self._table), (1, self._soft_table)):
            rows = tables == table_id
            if rows.all():
                np.take(table, index, out=waves, mode="clip")
            elif rows.any():
                waves[rows] = table.take(index[rows], mode="clip")
        # linear envelopes: sum(w * (g0 + s * ramp)) = sum(w * g0) + ramp * sum(w * s)
        mix = np.concatenate([gain0, slope], axis=1).T @ waves  # (4, n): l0 r0 dl dr
        ramp = np.arange(start - g0, start - g0 + n, dtype=np.float32) / np.float32(GRID)
        out = np.empty((n, 2), dtype=np.float32)
        out[:, 0] = mix[0] + mix[2] * ramp
        out[:, 1] = mix[1] + mix[3] * ramp
        # noise texture, breathing slowly like distant surf
        p = self.params
        t0 = g0 / rate
        t1 = (g0 + GRID) / rate
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


SYNTH_VERSION = 2  # raise when the synthesis changes in a way the parameters below do not show


@functools.lru_cache(maxsize=None)
def _fingerprint(mood: str) -> str:
    """A short hash of everything that shapes a mood's sound."""
    recipe = (SYNTH_VERSION, sorted(MOODS[mood].items()), sorted(CHORDS.items()), D3, TABLE_BITS, GRID,
              CROSSFADE, NOISE_LOOP_SECONDS)
    return hashlib.sha1(repr(recipe).encode()).hexdigest()[:10]


def generator_key(mood: str | None, seed: int) -> str:
    """A key for the analysis cache that changes whenever the generated sound would."""
    mood = mood if mood in MOODS else DEFAULT_MOOD
    return f"generated:ambient:{_fingerprint(mood)}:{mood}:{int(seed)}"


# Loudness (LUFS) and the peak estimate of generated sources, measured by
# ``analysis.analyse_generated`` (the first 3 minutes at 44.1 kHz) and shipped so
# that loading a playlist never has to synthesise them: every mood with seeds
# 0-7 (the default playlist uses 1-4 and 7). The keys carry the fingerprint,
# so a change to the sound misses this table and falls back to measuring;
# tests/audio/test_analysis.py checks the values against the synthesis.
MEASURED: dict[str, tuple[float, float]] = {
    "generated:ambient:0ea6a42934:settle:0": (-21.036, 0.4346),
    "generated:ambient:0ea6a42934:settle:1": (-21.046, 0.4494),
    "generated:ambient:0ea6a42934:settle:2": (-20.976, 0.4464),
    "generated:ambient:0ea6a42934:settle:3": (-21.073, 0.4712),
    "generated:ambient:0ea6a42934:settle:4": (-21.058, 0.4603),
    "generated:ambient:0ea6a42934:settle:5": (-20.969, 0.4608),
    "generated:ambient:0ea6a42934:settle:6": (-21.022, 0.4394),
    "generated:ambient:0ea6a42934:settle:7": (-20.948, 0.4370),
    "generated:ambient:d3dff9a26f:onset:0": (-21.604, 0.3955),
    "generated:ambient:d3dff9a26f:onset:1": (-21.530, 0.3977),
    "generated:ambient:d3dff9a26f:onset:2": (-21.583, 0.4068),
    "generated:ambient:d3dff9a26f:onset:3": (-21.638, 0.3875),
    "generated:ambient:d3dff9a26f:onset:4": (-21.610, 0.3980),
    "generated:ambient:d3dff9a26f:onset:5": (-21.533, 0.3975),
    "generated:ambient:d3dff9a26f:onset:6": (-21.566, 0.3978),
    "generated:ambient:d3dff9a26f:onset:7": (-21.540, 0.4071),
    "generated:ambient:16cac7710d:plateau:0": (-21.977, 0.3681),
    "generated:ambient:16cac7710d:plateau:1": (-21.894, 0.3451),
    "generated:ambient:16cac7710d:plateau:2": (-21.819, 0.4009),
    "generated:ambient:16cac7710d:plateau:3": (-21.876, 0.3833),
    "generated:ambient:16cac7710d:plateau:4": (-21.986, 0.3659),
    "generated:ambient:16cac7710d:plateau:5": (-21.945, 0.3804),
    "generated:ambient:16cac7710d:plateau:6": (-21.855, 0.3779),
    "generated:ambient:16cac7710d:plateau:7": (-21.792, 0.3744),
    "generated:ambient:6d4e1f348c:return:0": (-21.281, 0.4634),
    "generated:ambient:6d4e1f348c:return:1": (-21.308, 0.4015),
    "generated:ambient:6d4e1f348c:return:2": (-21.288, 0.4064),
    "generated:ambient:6d4e1f348c:return:3": (-21.329, 0.4109),
    "generated:ambient:6d4e1f348c:return:4": (-21.303, 0.4330),
    "generated:ambient:6d4e1f348c:return:5": (-21.208, 0.4446),
    "generated:ambient:6d4e1f348c:return:6": (-21.290, 0.4231),
    "generated:ambient:6d4e1f348c:return:7": (-21.212, 0.4073),
}


def measured(mood: str | None, seed: int) -> tuple[float, float] | None:
    """(LUFS, peak) of a generated source from the shipped table, or None."""
    return MEASURED.get(generator_key(mood, seed))
