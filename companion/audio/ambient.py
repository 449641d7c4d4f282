"""The generated score: a calm, developing ambient piece per phase, deterministic.

Every dry sample is a function of (mood, seed, steering, sample rate, absolute
frame), so a source can start anywhere (seek after a restart) and the same
seed always gives the same sound. Nothing loops:

- harmony walks a modal palette around a D pedal by a seeded Markov chain
  (chords sharing more notes are likelier neighbours; each mood weighs the
  palette its own way), chord k drawn from chord k-1 and a hash of (seed, k);
- layers: a drone (the same in both channels), pads (four voices, each slowly
  panned within a narrow field), a soft slow-attack bowed/bell tone at
  hashed times, and sparse melodic fragments where the mood allows;
- the noise is *value noise*: a counter-based hash of (seed, band, index)
  interpolated by cubic B-splines in a few octave bands, so it is continuous
  and never repeats (no loop buffer);
- a long-term "drift" (smooth value noise with a period of minutes) moves
  event density, brightness and noise colour, so neighbouring minutes differ;
- a reverb: a finite impulse response (decaying noise, darker as it decays,
  correlated mid plus a weaker side for a mono-compatible width) applied by
  uniformly partitioned FFT convolution in spans of grid blocks (under
  REVERB_SECONDS: 8 blocks at 44.1 kHz, a quarter of the multiply-adds of
  one-block partitions), on the fixed grid, at half the rate like the tones
  (nothing it gets lies above a few kilohertz). Its output
  depends only on the last few seconds of the dry signal, so a seek renders
  those seconds first ("warms" it) and gives exactly the same samples.

Nothing has a sudden onset: chords change by slow equal-power crossfades,
bells swell over seconds, fragments over most of a second at a low level.

The level holds itself: once a second the score estimates its own K-weighted
loudness from what it plays (each oscillator's level, pitch and timbre, and
its reverb adding in or out of phase with it: a steady tone through a random
impulse response comes back several dB stronger or weaker from note to note;
the surf's bands and breath), and a slow gain from a Hann window of about
+-24 s of those estimates holds it at its mood's LEVEL_POWER. Each minute of
the default then lies within about 0.5 LU of the target (it was 1.23 LU off).
The gain is a function of the time alone, so a seek still gives the same
samples; steering moves it only by what it changes at that moment.

Cost is kept low (about 0.6 % of a core at 44.1 kHz standalone): the tones,
the surf, the level and the reverb are made at every second frame (TONE_STEP;
every partial lies under 4.5 kHz, the strong ones under 2 kHz) and joined
linearly; phases are 32-bit fixed-point integers, all oscillators of a block
read wavetables in one gather by table, the oscillators' gains are linear
between knots 0.37 s apart (EDGE_BLOCKS: the Python that works them out runs
once per knot, not per block) so the mix is one small matrix product, the
noise bands are small splines summed on one grid and read by np.interp once
for four blocks (mid and side together, as complex numbers), and the reverb
is a few FFTs and one multiply-add per span. The player renders half a
second of blocks per wake-up: a block rendered alone costs about 1.7 times
as much (cold caches).
"""

from __future__ import annotations

import functools
import hashlib
import math
import random

import numpy as np

D3 = 146.8324

# The modal palette around the D pedal: semitones above D3, open voicings,
# no leading tones and no dominant: nothing that asks to resolve.
CHORDS = {
    "I": (0, 7, 14, 16),  # D A E F#  (Dadd9)
    "Isus2": (0, 7, 12, 14),  # D A D E
    "vi": (-3, 4, 7, 12),  # B F# A D  (Bm7)
    "IV": (5, 12, 14, 19),  # G D E A   (G6/9)
    "ii": (2, 9, 12, 19),  # E B D A   (Em7sus4)
    "iii": (4, 11, 14, 19),  # F# C# E A (F#m7)
    "bVII": (-2, 5, 12, 14),  # C G D E  (Cadd9: mixolydian colour)
    "II": (2, 9, 14, 18),  # E B E G#  (lydian colour)
    "Vsus": (-5, 2, 7, 14),  # A E A E   (open fifths on A)
    "i": (0, 7, 12, 15),  # D A D F   (dorian colour, deep)
}

MOODS = {
    # period: seconds per chord; bright: pad timbre; noise: level; cutoff: noise Hz; swell: noise breath s;
    # shimmer: octave partials; bells: chance of a bowed/bell tone per slot, bell_level its level; melody: chance of a fragment
    # per slot; wet: reverb level; rt: reverb decay s; width: pan range; drone: level; move: pan LFO s;
    # palette: Markov weights of the chords
    "settle": dict(period=36.0, bright=0.42, noise=0.045, cutoff=1300.0, swell=10.0, shimmer=0.05,
                   bells=0.22, bell_level=1.0, melody=0.0, wet=0.42, rt=3.0, width=0.28, drone=1.0, move=60.0,
                   palette=(("I", 3.0), ("Isus2", 3.0), ("IV", 2.0), ("vi", 2.0), ("Vsus", 1.0))),
    "onset": dict(period=26.0, bright=0.48, noise=0.038, cutoff=1800.0, swell=11.0, shimmer=0.30,
                  bells=0.45, bell_level=1.0, melody=0.28, wet=0.42, rt=3.2, width=0.42, drone=0.9, move=28.0,
                  palette=(("I", 2.0), ("Isus2", 2.0), ("IV", 2.0), ("vi", 1.5), ("ii", 1.5), ("bVII", 1.5),
                           ("Vsus", 1.0))),
    "plateau": dict(period=52.0, bright=0.22, noise=0.030, cutoff=750.0, swell=15.0, shimmer=0.08,
                    bells=0.12, bell_level=0.7, melody=0.0, wet=0.65, rt=4.2, width=0.36, drone=1.35, move=80.0,
                    palette=(("Isus2", 3.0), ("I", 1.5), ("Vsus", 2.0), ("bVII", 1.5), ("II", 1.0), ("i", 1.0),
                             ("IV", 1.0))),
    "return": dict(period=30.0, bright=0.52, noise=0.040, cutoff=1600.0, swell=10.0, shimmer=0.14,
                   bells=0.30, bell_level=0.9, melody=0.55, wet=0.38, rt=2.8, width=0.34, drone=0.85, move=45.0,
                   palette=(("I", 3.0), ("IV", 3.0), ("vi", 2.0), ("iii", 1.0), ("Isus2", 1.5), ("ii", 1.0))),
}
DEFAULT_MOOD = "plateau"

TABLE_BITS = 15  # 32768-point wavetables read without interpolation: errors near -80 dB
TABLE_SIZE = 1 << TABLE_BITS
PHASE_ONE = 1 << 32  # phases are 32-bit fixed point: one cycle
PHASE_MASK = PHASE_ONE - 1
NOISE_SPAN = 4  # grid blocks of the surf made at once
GRID = 4096  # frames made at once; the level is linear between multiples of GRID frames
EDGE_BLOCKS = 4  # the oscillators' gains are linear between knots this many blocks apart (0.37 s at
# 44.1 kHz: the fastest swell, a fragment's 0.9 s attack, takes a few; a quarter of the Python per block)
TONE_STEP = 2  # the tones are computed at every second frame and joined linearly (_dry is written for
# 2): their partials lie under 4.5 kHz (the strong ones under 2 kHz), where that is exact to a few
# per cent at 44.1 kHz; half the oscillators' work
REVERB_SECONDS = 0.75  # the reverb convolves this much at once at most (its partition: the larger, the cheaper
# per frame); under the player's STEER_MARGIN, so a steering change never falls in a span already made
CROSSFADE = 0.6  # share of each chord period spent crossfading into the next
BELL_SLOT = 8.0  # seconds: at most one bowed/bell tone starts in each slot
BELL_ATTACK = 4.0
BELL_DECAY = 7.0  # seconds per e-fold after the attack
BELL_SLOTS_BACK = 5  # slots a tone can still sound in
MELODY_SLOT = 24.0  # seconds: at most one fragment starts in each slot
NOTE_ATTACK = 0.9
NOTE_RELEASE = 3.0
DRIFT_SECONDS = 150.0  # the long-term drift: one value every 2.5 minutes, smoothly joined
LEVEL_STEP = 1.0  # seconds between estimates of the score's own loudness (the level's feed-forward)
LEVEL_SPAN = 24  # estimates each side of a moment in the level's Hann window (about +-24 s)
# The power each mood is held at, every seed alike: the mean estimate of the first five minutes of
# seed 0 (unsteered; the estimate does not depend on the rate). A stale value only moves a mood's
# whole level, which the shipped loudness (MEASURED) then corrects.
LEVEL_POWER = {"settle": 0.01343, "onset": 0.01303, "plateau": 0.01406, "return": 0.01151}
STEER_RAMP = 40.0  # seconds a steering change takes to arrive
STEER_LIMIT = 1.0

TAB_PAD, TAB_SOFT, TAB_SINE = 0, 1, 2
PAD_SEND = 0.55  # share of the pads sent to the reverb; the drone stays dry (a steady tone through a
# random impulse response would take its level from one random frequency of it: seeds differed by 3 LU)


def _note(semitones: float) -> float:
    return D3 * 2.0 ** (semitones / 12.0)


@functools.lru_cache(maxsize=8)
def _wavetable(bright: float) -> np.ndarray:
    """One cycle of a soft wave (harmonics falling off; bright 0 is a sine)."""
    x = np.arange(TABLE_SIZE) / TABLE_SIZE
    wave = np.zeros_like(x)
    norm = 0.0
    for h in range(1, 7):
        amp = (bright ** (h - 1) if h > 1 else 1.0) / h
        wave += amp * np.sin(2 * np.pi * h * x + 0.3 * h)
        norm += amp
    return (wave / norm).astype(np.float32)


# -- counter-based randomness -------------------------------------------------

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _hash_uniform(key, index: np.ndarray) -> np.ndarray:
    """Uniform numbers in [-1, 1) from (key, index): splitmix64 of a counter, no state. ``key``
    may be an array of keys of shape (k, 1): one row per key."""
    with np.errstate(over="ignore"):
        z = index.astype(np.uint64) * _GOLDEN + (np.asarray(key, dtype=np.uint64) & np.uint64(0xFFFFFFFFFFFFFFFF))
        z ^= z >> np.uint64(30)
        z *= _M1
        z ^= z >> np.uint64(27)
        z *= _M2
        z ^= z >> np.uint64(31)
    return (z >> np.uint64(40)).astype(np.float32) * np.float32(2.0 / (1 << 24)) - np.float32(1.0)


def _unit(seed: int, *parts: int) -> float:
    """One deterministic number in [0, 1) for (seed, parts): splitmix64 in plain integers."""
    mask = 0xFFFFFFFFFFFFFFFF
    z = (seed * 1_000_003 + 7) & mask
    for part in parts:
        z = (z * 31 + part + 0x5BD1E995) & mask
    z = (z * 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    z ^= z >> 31
    return (z >> 11) / float(1 << 53)


def _bspline(f: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    f2 = f * f
    f3 = f2 * f
    one = 1.0 - f
    return one * one * one / 6.0, (3.0 * f3 - 6.0 * f2 + 4.0) / 6.0, (-3.0 * f3 + 3.0 * f2 + 3.0 * f + 1.0) / 6.0, f3 / 6.0


# variance of a cubic B-spline through independent uniforms, averaged over the fraction: for unit RMS
_f = np.linspace(0.0, 1.0, 1001)
_SPLINE_RMS = math.sqrt(float(np.mean(sum(w * w for w in _bspline(_f)))) / 3.0)
del _f


OVERSAMPLE = 4  # the B-spline is evaluated 4 times per value, then joined linearly (np.interp): cheap
# (4, OVERSAMPLE): the weights of the four values around each point, scaled to unit RMS
_SPLINE_WEIGHTS = (np.stack(_bspline(np.arange(OVERSAMPLE) / OVERSAMPLE)) / _SPLINE_RMS).astype(np.float32)


def _value_noise(keys: tuple[int, ...], t0: float, t1: float, band_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Smooth noise at ``band_rate`` values per second (unit RMS), a pure function of the time:
    a cubic B-spline through hashed values, one row per key, evaluated OVERSAMPLE times per
    value on a small grid covering [t0, t1] seconds. Returns (the grid's times, the values
    (keys, points)); np.interp joins them linearly (cheap)."""
    j0 = math.floor(t0 * band_rate) - 1
    j1 = math.floor(t1 * band_rate) + 2
    count = j1 - j0 + 1
    index = np.arange(j0 - 1, j1 + 3, dtype=np.int64)  # the spline at j needs j-1 .. j+2
    v = _hash_uniform(np.array(keys, dtype=np.uint64)[:, None], index[None, :])
    # (keys, count, 4): the four values around each point, a view (sliding_window_view's checks
    # cost more than the product)
    windows = np.ndarray((len(keys), count, 4), dtype=v.dtype, buffer=v, strides=(v.strides[0], v.itemsize, v.itemsize))
    fine = (windows @ _SPLINE_WEIGHTS).reshape(len(keys), count * OVERSAMPLE)
    times = (j0 + np.arange(count * OVERSAMPLE) / OVERSAMPLE) / band_rate
    return times, fine


def _smooth(seed: int, stream: int, t: float, period: float) -> float:
    """Slow deterministic value noise in [-1, 1] at time t: one random value per period,
    joined by a cubic B-spline (smooth, never periodic)."""
    u = t / period
    j = math.floor(u)
    f = u - j
    f2 = f * f
    f3 = f2 * f
    one = 1.0 - f
    key = (seed, stream, j)
    values = _SMOOTH_VALUES.get(key)
    if values is None:  # a value lasts a whole period (seconds to minutes): hashed once, not per block
        if len(_SMOOTH_VALUES) > 4096:
            _SMOOTH_VALUES.clear()
        values = _SMOOTH_VALUES[key] = tuple(2.0 * _unit(seed, stream, j - 1 + i) - 1.0 for i in range(4))
    v0, v1, v2, v3 = values
    total = (one * one * one * v0 + (3.0 * f3 - 6.0 * f2 + 4.0) * v1 + (-3.0 * f3 + 3.0 * f2 + 3.0 * f + 1.0) * v2
             + f3 * v3)
    return max(-1.0, min(1.0, total / 6.0 * 1.8))


_SMOOTH_VALUES: dict[tuple[int, int, int], tuple[float, float, float, float]] = {}


# -- harmony --------------------------------------------------------------------


def _pitch_classes(name: str) -> frozenset[int]:
    return frozenset(s % 12 for s in CHORDS[name])


@functools.lru_cache(maxsize=16)
def _transitions(mood: str) -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    """The Markov chain of a mood: shared notes make a move likelier, staying is rare."""
    palette = MOODS[mood]["palette"]
    table = {}
    for here, _ in palette:
        names, weights = [], []
        for there, bias in palette:
            shared = len(_pitch_classes(here) & _pitch_classes(there))
            names.append(there)
            weights.append(0.35 * bias if there == here else bias * (1 + shared) ** 2)
        table[here] = (tuple(names), tuple(weights))
    return table


def _k_power(freq: float) -> float:
    """Roughly the BS.1770 K-weighting (power) at a frequency: a high shelf of +4 dB, a low cut."""
    f2 = freq * freq
    return (1.0 + 1.512 * f2 / (f2 + 1500.0**2)) * f2 * f2 / (f2 * f2 + 40.0**4)


@functools.lru_cache(maxsize=256)
def _note_power(semis: int, bright: float) -> float:
    """The weighted power of one pad note of unit amplitude (its harmonics through the K-weighting)."""
    freq = _note(semis)
    total = 0.0
    for h in range(1, 7):
        amp = (bright ** (h - 1) if h > 1 else 1.0) / h
        total += amp * amp * _k_power(freq * h)
    norm = sum((bright ** (h - 1) if h > 1 else 1.0) / h for h in range(1, 7))
    return total / (norm * norm)


@functools.lru_cache(maxsize=64)
def _chord_gain(name: str, bright: float) -> float:
    """A gain that gives every chord of the palette the same weighted loudness (low voicings
    and high ones alike), relative to D A E F#."""
    def power(chord: str) -> float:
        return sum(_note_power(semis, bright) for semis in CHORDS[chord])

    return math.sqrt(power("I") / power(name))


@functools.lru_cache(maxsize=64)
def _noise_k(band_rate: int) -> float:
    """The K-weighting of a value-noise band, averaged over its spectrum (a cubic B-spline
    through random values at ``band_rate``: about sinc^4 of f / band_rate)."""
    f = np.linspace(1.0, 4.0 * band_rate, 4000)
    shape = np.sinc(f / band_rate) ** 4
    weight = np.array([_k_power(x) for x in f[::40]])
    return float(np.sum(shape[::40] * weight) / np.sum(shape[::40]))


class _ChordWalk:
    """Chord k of a (mood, seed): a seeded Markov walk, computed once and remembered."""

    def __init__(self, mood: str, seed: int) -> None:
        self.mood, self.seed = mood, seed
        start = MOODS[mood]["palette"]
        first = random.Random(seed * 7_919 + 11).choices([n for n, _ in start], [w for _, w in start])[0]
        self._walk = [first]

    def __getitem__(self, k: int) -> str:
        k = max(0, k)
        table = _transitions(self.mood)
        while len(self._walk) <= k:
            names, weights = table[self._walk[-1]]
            rng = random.Random((self.seed * 1_000_003 + len(self._walk)) * 2_654_435_761 % (1 << 61))
            self._walk.append(rng.choices(names, weights)[0])
        return self._walk[k]


# -- steering ---------------------------------------------------------------------


def steer_level(steering, t: float) -> float:
    """The steering level at t seconds: each change (at, level) ramps there over STEER_RAMP seconds."""
    level = 0.0
    for at, target in steering:
        if t <= at:
            break
        x = min(1.0, (t - at) / STEER_RAMP)
        x = 0.5 - 0.5 * math.cos(math.pi * x)
        level = level + (target - level) * x
    return max(-STEER_LIMIT, min(STEER_LIMIT, level))


class Steering:
    """The patient's changes to the generated score during a session: (session seconds, level).

    Shared by every generated source of a session (each reads it with its own
    offset), added to from the interface while the audio thread reads it:
    changes are only ever appended, later than anything already rendered.
    """

    def __init__(self, changes=()) -> None:
        self.changes: list[tuple[float, float]] = sorted((float(a), float(b)) for a, b in changes)

    def add(self, at: float, level: float) -> None:
        level = max(-STEER_LIMIT, min(STEER_LIMIT, float(level)))
        if self.changes and at < self.changes[-1][0]:
            self.changes = sorted(self.changes + [(float(at), level)])
        else:
            self.changes.append((float(at), level))

    @property
    def level(self) -> float:
        """The level the score is moving to (the last change)."""
        return self.changes[-1][1] if self.changes else 0.0

    def at(self, seconds: float) -> float:
        return steer_level(list(self.changes), seconds)


# -- the reverb ---------------------------------------------------------------------


def _impulse(rate: int, seed: int, rt: float) -> tuple[np.ndarray, np.ndarray]:
    """(mid, side) impulse responses: decaying noise, darker as it decays, 25 ms pre-delay.
    Not cached (a few milliseconds): a source builds its reverb and its response from them and
    lets them go, so two sources of a crossfade do not hold four in double precision."""
    length = int(rate * min(0.65 * rt, 3.5))  # to about -45 dB, then a short fade
    rng = np.random.default_rng(seed * 104_729 + 3)
    # in place, with few temporaries (a source is built while another plays: its peak is memory)
    t = np.arange(length) / rate
    blend = np.clip(t / (0.6 * rt), 0.0, 1.0)  # brighter at first, darker later
    decay = np.multiply(t, -6.91, out=t)
    decay /= rt
    np.exp(decay, out=decay)
    f = np.fft.rfftfreq(length, 1.0 / rate)
    music = (f > 80.0) & (f < 1500.0)
    del f
    fade = min(length // 4, int(0.3 * rate))
    taper = 0.5 + 0.5 * np.cos(np.linspace(0, np.pi, fade))
    scratch = np.empty(length)
    out = []
    for _ in range(2):
        ir = rng.standard_normal(length)  # the noise, made into the response in place
        dark = np.convolve(ir, np.ones(24) / 24.0, mode="same")  # a soft low pass
        dark /= np.std(dark)
        ir *= np.subtract(1.0, blend, out=scratch)
        ir *= 0.6
        ir += np.multiply(blend, dark, out=scratch)
        dark *= 0.4
        ir += dark
        del dark
        ir *= decay
        ir[: int(0.025 * rate)] = 0.0
        ir[length - fade:] *= taper
        # unit power gain where the music is (80 Hz - 1.5 kHz), not over the whole band
        ir /= math.sqrt(float(np.mean(np.abs(np.fft.rfft(ir)[music]) ** 2)))
        out.append(ir)
    out[1] *= 0.55
    return out[0], out[1]


RESPONSE_TOP = 5000.0  # Hz: the level's estimate keeps the reverb's response up to here (the highest
# partial of the score is a fragment's sixth harmonic, about 4.4 kHz); a partial above the bins kept is
# computed alone (_response_bin)


def _wet_response(rate: int, mid: np.ndarray, side: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(Hz per bin, the reverb's complex response in the left and in the right channel), finely
    sampled up to RESPONSE_TOP. A steady tone comes out of a random impulse response at that
    response's gain and phase at its frequency, and adds to its own dry sound in or out of
    phase: from note to note that is several dB, which the level's estimate reads here."""
    size = 2 << (len(mid) - 1).bit_length()  # bins of a sixth of a hertz or finer at 44.1 kHz
    keep = min(size // 2 + 1, int(RESPONSE_TOP * size / rate) + 2)
    # in single precision, one channel at a time, and only the bins the estimate reads: a
    # fortieth of the half-million-point spectra (memory)
    left = np.fft.rfft((mid + side).astype(np.float32), size)[:keep].copy()
    right = np.fft.rfft((mid - side).astype(np.float32), size)[:keep].copy()
    return rate / size, left, right


def _response_bin(rate: int, seed: int, rt: float, step: float, i: int) -> tuple[complex, complex]:
    """Bin ``i`` of the reverb's response above the bins kept (left, right): a direct DFT of the
    full-rate impulse. Met only at low device rates, where the reverb's half rate puts a partial
    above its bins (at 16 kHz: the 4.4 kHz partial against 4 kHz); never at 44.1 or 48 kHz."""
    mid, side = _impulse(rate, seed, rt)
    turn = np.exp(-2j * np.pi * (i * step / rate) * np.arange(len(mid)))
    return complex(np.dot(mid + side, turn)), complex(np.dot(mid - side, turn))


def reverb_span(rate: int) -> int:
    """Grid blocks the reverb convolves at once: a power of two, at most REVERB_SECONDS (8 at 44.1 kHz)."""
    span = 1
    while 2 * span * GRID <= REVERB_SECONDS * rate:
        span *= 2
    return span


class _Reverb:
    """Uniformly partitioned convolution of a mono send with a stereo (mid +- side) response,
    in partitions of ``span`` grid blocks (a span is one piece of work)."""

    def __init__(self, mid: np.ndarray, side: np.ndarray, span: int, size: int) -> None:
        self.span = span
        self.size = size  # frames (at the reverb's rate) per span
        self.parts = -(-len(mid) // size)
        bins = size + 1
        # in single precision, one channel at a time: no double-precision copies (memory)
        self._h = np.empty((2, self.parts, bins), dtype=np.complex64)  # (2, parts, bins)
        ir = np.zeros(self.parts * size, dtype=np.float32)
        for channel, sign in enumerate((1.0, -1.0)):
            ir[: len(mid)] = mid + sign * side
            self._h[channel] = np.fft.rfft(ir.reshape(self.parts, size), 2 * size, axis=1)[::-1]  # oldest first
        self._y = np.empty((2, bins), dtype=np.complex64)
        self._term = np.empty((2, bins), dtype=np.complex64)
        self._x = np.zeros((self.parts, bins), dtype=np.complex64)  # the last spans' spectra, a ring
        self._previous = np.zeros(size, dtype=np.float32)
        self.next_span: int | None = None

    def reset(self) -> None:
        self._x[:] = 0
        self._previous[:] = 0
        self.next_span = None

    def push(self, span: int, send: np.ndarray) -> None:
        spectrum = np.fft.rfft(np.concatenate([self._previous, send]))
        self._x[span % self.parts] = spectrum
        self._previous = send
        self.next_span = span + 1

    def wet(self, span: int) -> np.ndarray:
        """(size, 2) of the span pushed last."""
        parts = self.parts
        oldest = span + 1  # the oldest span in the ring meets the response's last part
        y, term = self._y, self._term
        np.multiply(self._h[:, 0], self._x[oldest % parts], out=y)
        for part in range(1, parts):  # part by part: no (2, parts, bins) temporary
            y += np.multiply(self._h[:, part], self._x[(oldest + part) % parts], out=term)
        return np.fft.irfft(y, 2 * self.size, axis=1)[:, self.size :].T.astype(np.float32)


# -- the source ---------------------------------------------------------------------

_COUNT = np.arange(GRID + 1, dtype=np.uint32)
_RAMP = np.arange(GRID + 1, dtype=np.float32) * np.float32(1.0 / GRID)


class AmbientSource:
    """An endless stereo generated score; ``read(n)`` gives float32 (n, 2).

    ``steering`` holds changes (seconds, level): -1 deeper (sparser, darker,
    more drone and space) ... +1 lighter (more events, brighter); each change
    ramps over STEER_RAMP seconds. A Steering's times are session seconds:
    ``offset`` is the session second of this source's frame 0.
    """

    channels = 2

    def __init__(self, rate: int, mood: str | None = None, seed: int = 0, start: int = 0,
                 steering: "Steering | tuple[tuple[float, float], ...]" = (), offset: float = 0.0) -> None:
        self.rate = int(rate)
        self.mood = mood if mood in MOODS else DEFAULT_MOOD
        self.seed = int(seed)
        self.params = MOODS[self.mood]
        self.steering = steering if isinstance(steering, Steering) else Steering(steering)
        self.offset = float(offset)
        self.frame = int(start)
        self._tables = (_wavetable(self.params["bright"]), _wavetable(0.12), _wavetable(0.0))
        self._walk = _ChordWalk(self.mood, self.seed)
        rng = random.Random(self.seed * 31 + 5)
        self._lfo = [rng.uniform(9.0, 19.0) for _ in range(16)]  # per-voice swell: seconds per random value
        self._pan = [rng.uniform(0.35, 0.65) * self.params["move"] for _ in range(8)]
        self._noise_key = (self.seed * 0x2545F4914F6CDD1D + 0x1234567) & 0xFFFFFFFFFFFF
        self._edge_cache: dict[int, list] = {}
        self._knot_cache: tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
        self._reverb: _Reverb | None = None  # made on the first block (estimates alone need none)
        self._span_blocks = reverb_span(self.rate)
        self._block_cache: tuple[int, np.ndarray] | None = None  # (span, its blocks)
        self._noise_cache: tuple[int, np.ndarray, np.ndarray] | None = None
        self._power: dict[int, float] = {}  # the loudness estimate every LEVEL_STEP seconds
        self._levels: dict[int, float] = {}  # the level at the last few knots
        self._tone_cache: dict[tuple[int, int], tuple[float, float, float, float]] = {}
        self._response: tuple[float, np.ndarray, np.ndarray] | None = None
        self._ir: tuple[np.ndarray, np.ndarray] | None = None  # the reverb's impulse while the two above are made
        self._carry = np.zeros(2, dtype=np.float32)  # the reverb's last frame of the span before
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
            grid, offset = divmod(self.frame, GRID)
            n = min(GRID - offset, frames - done)
            out[done : done + n] = self._grid_block(grid)[offset : offset + n]
            self.frame += n
            done += n
        return frames

    # -- blocks ---------------------------------------------------------------

    def _grid_block(self, grid: int) -> np.ndarray:
        """Grid block ``grid`` (GRID, 2): made a reverb span of blocks at a time, with their reverb."""
        span, at = divmod(grid, self._span_blocks)
        cached = self._block_cache
        if cached is None or cached[0] != span:
            cached = self._block_cache = (span, self._span(span))
        return cached[1][at * GRID : (at + 1) * GRID]

    def _span(self, span: int) -> np.ndarray:
        """A reverb span of blocks with their reverb. The reverb works at every TONE_STEP-th
        frame like the tones (its send and response have nothing above a few kilohertz) and
        is joined linearly, a frame late: each frame between two is halfway."""
        if self._reverb is None:
            self._reverb = _Reverb(*self._impulse(), self._span_blocks, self._span_blocks * GRID // TONE_STEP)
            self._made_from_impulse()
        reverb = self._reverb
        size = reverb.size
        blocks = reverb.span
        half = GRID // TONE_STEP
        if reverb.next_span != span:  # a start or a seek: warm the reverb on the seconds before
            reverb.reset()
            self._carry = np.zeros(2, dtype=np.float32)
            for earlier in range(span - reverb.parts - 1, span):  # the first only as the next one's previous
                if earlier >= 0:
                    send = np.empty(size, dtype=np.float32)
                    for i in range(blocks):
                        send[i * half : (i + 1) * half] = self._dry(earlier * blocks + i)[1]
                    reverb.push(earlier, send)
                else:
                    reverb.next_span = earlier + 1
            if span > 0:  # the last frame of the span before, at its gain
                self._carry = reverb.wet(span - 1)[-1] * self._wet_gains(span - 1)[-1]
        out = np.empty((blocks * GRID, 2), dtype=np.float32)
        send = np.empty(size, dtype=np.float32)
        first = span * blocks
        for i in range(blocks):
            out[i * GRID : (i + 1) * GRID], send[i * half : (i + 1) * half] = self._dry(first + i)
        reverb.push(span, send)
        coarse = reverb.wet(span)
        coarse *= self._wet_gains(span)[:, None]
        out[1::2] += coarse
        carry, self._carry = self._carry, coarse[-1].copy()
        coarse *= np.float32(0.5)
        out[2::2] += coarse[:-1]
        out[2::2] += coarse[1:]
        out[0] += carry * np.float32(0.5) + coarse[0]
        return out

    def _wet_gains(self, span: int) -> np.ndarray:
        """The reverb's level at every TONE_STEP-th frame of a span: linear within each block."""
        blocks = self._span_blocks
        half = GRID // TONE_STEP
        ramp = _RAMP[:half] * np.float32(TONE_STEP)
        gains = np.empty(blocks * half, dtype=np.float32)
        first = span * blocks
        g1 = self._wet_gain(first * GRID / self.rate)
        for i in range(blocks):
            g0, g1 = g1, self._wet_gain((first + i + 1) * GRID / self.rate)
            np.multiply(ramp, np.float32(g1 - g0), out=gains[i * half : (i + 1) * half])
            gains[i * half : (i + 1) * half] += np.float32(g0)
        return gains

    def _impulse(self) -> tuple[np.ndarray, np.ndarray]:
        if self._ir is None:
            self._ir = _impulse(self.rate // TONE_STEP, self.seed, self.params["rt"])
        return self._ir

    def _made_from_impulse(self) -> None:
        if self._reverb is not None and self._response is not None:
            self._ir = None  # both made: the double-precision impulse goes

    def _wet_gain(self, t: float, steer: float | None = None) -> float:
        steer = self.steering.at(t + self.offset) if steer is None else steer
        return self.params["wet"] * (1.0 - 0.3 * steer)

    # -- synthesis ------------------------------------------------------------

    def _bound(self, k: int) -> float:
        """When chord k begins (seconds): about one period apart, each length a little different."""
        if k <= 0:
            return 0.0 if k == 0 else k * self.params["period"]
        return self.params["period"] * (k + 0.36 * (_unit(self.seed, 5, k) - 0.5))

    def _chord_index(self, t: float) -> int:
        k = max(0, math.floor(t / self.params["period"]))
        while k > 0 and t < self._bound(k):
            k -= 1
        while t >= self._bound(k + 1):
            k += 1
        return k

    def _chord_weight(self, k: int, t: float) -> float:
        """Equal-power weight of chord k at time t (continuous in t); the change into chord
        k + 1 takes the last CROSSFADE share of chord k."""
        current = self._chord_index(t)
        begin, end = self._bound(current), self._bound(current + 1)
        fade = CROSSFADE * (end - begin)
        x = (t - (end - fade)) / fade
        if k == current:
            return 1.0 if x <= 0 else math.cos(0.5 * math.pi * x)
        if k == current + 1:
            return 0.0 if x <= 0 else math.sin(0.5 * math.pi * x)
        return 0.0

    def _drift(self, t: float) -> float:
        return _smooth(self.seed, 901, t, DRIFT_SECONDS)

    def _pan_gains(self, pan: float) -> tuple[float, float]:
        """Equal-power gains for pan in [-1, 1] (narrow in practice: mono-safe)."""
        angle = (pan + 1.0) * math.pi / 4.0
        return math.cos(angle) * math.sqrt(2.0), math.sin(angle) * math.sqrt(2.0)

    def _oscillators(self, t: float, steer: float | None = None) -> list[tuple[float, float, float, int, float]]:
        """(frequency, left amp, right amp, table) of every oscillator at time t (as steered
        then, or at the steering level ``steer``)."""
        p = self.params
        seed = self.seed
        steer = self.steering.at(t + self.offset) if steer is None else steer
        drift = self._drift(t)
        oscs: list[tuple[float, float, float, int, float]] = []
        # drone: D2 and A2 with a faint slow beat, identical in both channels (mono-safe)
        drone = 0.05 * p["drone"] * (1.0 - 0.25 * steer) * (0.92 + 0.08 * _smooth(seed, 31, t, 23.0))
        for freq, amp in ((_note(-12), 1.0), (_note(-5), 0.5), (_note(0), 0.18 * (1.0 - 0.5 * drift))):
            oscs.append((freq, drone * amp, drone * amp, TAB_SOFT, 0.0))
            oscs.append((freq * 1.0012, drone * amp * 0.15, drone * amp * 0.15, TAB_SOFT, 0.0))
        # pads: the chords of the walk, crossfading slowly, each voice drifting in a narrow field
        k = self._chord_index(t)
        width = p["width"]
        shimmer_level = max(0.0, p["shimmer"] * (1.0 + 0.6 * steer + 0.4 * drift))
        # a note in both chords of a crossfade is one oscillator: its weights add as powers, so a
        # shared note holds its level (an equal-power sum of the same wave would swell by 3 dB)
        voices: dict[int, list] = {}
        for chord in (k, k + 1):
            weight = self._chord_weight(chord, t)
            if weight <= 0.0:
                continue
            name = self._walk[chord]
            weight *= _chord_gain(name, p["bright"])
            for v, semis in enumerate(CHORDS[name]):
                found = voices.setdefault(semis, [0.0, False])
                found[0] += weight * weight
                found[1] = found[1] or v >= 2
        pads = []
        loudness = 0.0
        for semis, (power, upper) in sorted(voices.items()):
            weight = math.sqrt(power)
            n = semis + 12  # every pitch its own slow swell and place in the field
            swell = 0.7 + 0.3 * _smooth(seed, 40 + n, t, self._lfo[n % len(self._lfo)])
            amp = 0.05 * weight * swell
            loudness += amp * amp * _note_power(semis, p["bright"])
            pads.append((semis, weight, amp, upper, n))
        # the pads' weighted loudness held near its mean, mostly: voices swell and recede in
        # turn, the whole stays level from minute to minute
        reference = 0.05 * 0.05 * 0.55 * sum(_note_power(semis, p["bright"]) for semis in CHORDS["I"])
        level = (reference / loudness) ** 0.35 if loudness > 0 else 1.0
        for semis, weight, amp, upper, n in pads:
            amp *= level
            pan = width * _smooth(seed, 80 + n, t, self._pan[n % len(self._pan)])
            left, right = self._pan_gains(pan)
            freq = _note(semis)
            oscs.append((freq, amp * left, amp * right, TAB_PAD, PAD_SEND))
            oscs.append((freq * 2 ** (4 / 1200), amp * 0.35 * right, amp * 0.35 * left, TAB_PAD, PAD_SEND))
            if shimmer_level > 0 and upper:
                shimmer = shimmer_level * 0.03 * weight * (0.5 + 0.5 * _smooth(seed, 120 + n, t, 11.0))
                oscs.append((freq * 2.0, shimmer * right, shimmer * left, TAB_SINE, 1.0))
        self._bells(t, steer, drift, oscs)
        self._melody(t, steer, drift, oscs)
        return oscs

    def _bells(self, t: float, steer: float, drift: float, oscs: list) -> None:
        """Soft, slow-attack bowed/bell tones from the chord sounding when each starts."""
        p = self.params
        chance = p["bells"] * (1.0 + 0.7 * steer + 0.2 * drift)
        if chance <= 0:
            return
        now = math.floor(t / BELL_SLOT)
        for slot in range(now - BELL_SLOTS_BACK, now + 1):
            if slot < 0 or _unit(self.seed, 11, slot) >= chance:
                continue
            start = (slot + 0.8 * _unit(self.seed, 12, slot)) * BELL_SLOT
            age = t - start
            if age <= 0:
                continue
            if age < BELL_ATTACK:
                env = 0.5 - 0.5 * math.cos(math.pi * age / BELL_ATTACK)
            else:
                env = math.exp(-(age - BELL_ATTACK) / BELL_DECAY)
            if env < 0.003:
                continue
            notes = CHORDS[self._walk[self._chord_index(start)]]
            semis = notes[int(_unit(self.seed, 13, slot) * len(notes))] + 12
            if semis > 26:
                semis -= 12
            freq = _note(semis)
            left, right = self._pan_gains(0.6 * (2 * _unit(self.seed, 14, slot) - 1))
            amp = 0.05 * p["bell_level"] * env
            fast = math.exp(-max(0.0, age - BELL_ATTACK) / 3.0)  # upper partials fade first
            for ratio, level in ((1.0, 1.0), (2.0, 0.28 * fast), (3.01, 0.10 * fast)):
                oscs.append((freq * ratio, amp * level * left, amp * level * right, TAB_SINE, 1.0))

    def _melody(self, t: float, steer: float, drift: float, oscs: list) -> None:
        """Sparse fragments of three to five notes, stepping through the chord's scale."""
        p = self.params
        chance = p["melody"] * (1.0 + 0.8 * steer + 0.15 * drift)
        if chance <= 0:
            return
        now = math.floor(t / MELODY_SLOT)
        for slot in (now - 1, now):
            if slot < 0 or _unit(self.seed, 21, slot) >= chance:
                continue
            begin = (slot + 0.5 * _unit(self.seed, 22, slot)) * MELODY_SLOT
            if t < begin:
                continue
            chord = CHORDS[self._walk[self._chord_index(begin)]]
            scale = sorted({(s % 12) + 12 * o for s in chord + (0, 7) for o in (1, 2)})
            scale = [s for s in scale if 12 <= s <= 28]
            degree = int(_unit(self.seed, 23, slot) * (len(scale) - 2)) + 1
            count = 3 + int(_unit(self.seed, 24, slot) * 3)
            at = begin
            left, right = self._pan_gains(0.4 * (2 * _unit(self.seed, 25, slot) - 1))
            for i in range(count):
                length = 1.8 + 1.6 * _unit(self.seed, 26, slot * 8 + i)
                age = t - at
                if age < 0:
                    break
                if age < NOTE_ATTACK:
                    env = 0.5 - 0.5 * math.cos(math.pi * age / NOTE_ATTACK)
                elif age < length:
                    env = 1.0 - 0.25 * (age - NOTE_ATTACK) / (length - NOTE_ATTACK)
                else:
                    env = 0.75 * math.exp(-(age - length) / (NOTE_RELEASE / 3))
                if env > 0.003:
                    freq = _note(scale[degree])
                    amp = 0.03 * env
                    oscs.append((freq, amp * left, amp * right, TAB_SOFT, 1.0))
                    oscs.append((freq * 2.0, amp * 0.2 * left, amp * 0.2 * right, TAB_SINE, 1.0))
                step = (1, -1, 1, 2, -1, -2)[int(_unit(self.seed, 27, slot * 8 + i) * 6)]
                degree = min(len(scale) - 1, max(0, degree + step))
                at += length

    def _edge(self, knot: int) -> list[tuple[float, float, float, int, float]]:
        """The oscillators at a knot (every EDGE_BLOCKS grid blocks; each ends one stretch and
        starts the next)."""
        found = self._edge_cache.get(knot)
        if found is None:
            if len(self._edge_cache) > 4:
                self._edge_cache.clear()
            found = self._edge_cache[knot] = self._oscillators(knot * EDGE_BLOCKS * GRID / self.rate)
        return found

    def _knots(self, knot: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The oscillators from knot ``knot`` to the next: (phase increments, tables, gains
        (rows, 6): left, right and send at the knot, then at the next)."""
        cached = self._knot_cache
        if cached is not None and cached[0] == knot:
            return cached[1]
        rate = self.rate
        amps: dict[tuple[int, int], list[float]] = {}
        for end, edge in ((0, knot), (3, knot + 1)):
            for freq, left, right, table, send in self._edge(edge):
                if freq * 2 * TONE_STEP >= rate:  # above the tones' own Nyquist frequency
                    continue
                key = (round(freq / rate * PHASE_ONE), table)
                gains = amps.setdefault(key, [0.0] * 6)
                gains[end] += left
                gains[end + 1] += right
                gains[end + 2] += send * 0.5 * (left + right)
        keys = sorted(amps, key=lambda key: (key[1], key[0]))  # by table: each table's rows are one slice
        env = np.array([amps[key] for key in keys], dtype=np.float64).reshape(-1, 6)
        incs = np.array([key[0] for key in keys], dtype=np.uint64)
        tables = np.array([key[1] for key in keys], dtype=np.int8)
        found = (incs, tables, env)
        self._knot_cache = (knot, found)
        return found

    def _envelopes(self, grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Oscillators of one grid block: (phase increments, tables, start gains, gain slopes).

        Oscillators of the same frequency and table are the same waveform (the
        phase is a function of the absolute frame), so their gains add up. The
        gains are linear from knot to knot (EDGE_BLOCKS blocks): a block takes its
        share of the line.
        """
        knot, at = divmod(grid, EDGE_BLOCKS)
        incs, tables, env = self._knots(knot)
        first = env[:, 0:3]
        change = env[:, 3:6] - first
        start = first + change * (at / EDGE_BLOCKS)
        slope = change * (1.0 / EDGE_BLOCKS)
        return incs, tables, start.astype(np.float32), slope.astype(np.float32)

    def _dry(self, grid: int) -> tuple[np.ndarray, np.ndarray]:
        """The dry mix of one whole grid block, (GRID, 2), and the reverb's mono send at every
        TONE_STEP-th frame (GRID / TONE_STEP,)."""
        start = grid * GRID
        n = GRID
        half = n // TONE_STEP
        incs, tables, gain0, slope = self._envelopes(grid)
        first = (incs * np.uint64(start)) & np.uint64(PHASE_MASK)
        # the tones at every TONE_STEP-th frame, the block's end included (the next block's
        # first frame, from this block's envelopes: continuous), then joined linearly
        step = ((incs * np.uint64(TONE_STEP)) & np.uint64(PHASE_MASK)).astype(np.uint32)
        phase = _COUNT[: half + 1][None, :] * step[:, None]
        phase += first.astype(np.uint32)[:, None]
        phase >>= np.uint32(32 - TABLE_BITS)
        index = phase.view(np.int32)
        waves = np.empty(index.shape, dtype=np.float32)
        bounds = np.searchsorted(tables, np.arange(len(self._tables) + 1, dtype=np.int8))
        for table_id, table in enumerate(self._tables):
            a, b = int(bounds[table_id]), int(bounds[table_id + 1])
            if b > a:
                np.take(table, index[a:b], out=waves[a:b], mode="wrap")  # always in range; the cheapest mode
        mix = np.concatenate([gain0, slope], axis=1).T @ waves  # (6, half + 1): l0 r0 s0 dl dr ds
        ramp = _RAMP[: half + 1] * np.float32(TONE_STEP)  # 0 .. 1 over the block, its end included
        tones = mix[3:6]
        tones *= ramp
        tones += mix[0:3]
        coarse = np.empty((half + 1, 2), dtype=np.float32)  # left, right at every second frame
        coarse[:, 0] = tones[0]
        coarse[:, 1] = tones[1]
        send = tones[2]
        send += self._add_noise(coarse, grid, ramp)
        knot, at = divmod(grid, EDGE_BLOCKS)
        k0, k1 = self._level_at(knot), self._level_at(knot + 1)  # linear from knot to knot too
        g0 = k0 + (k1 - k0) * (at / EDGE_BLOCKS)
        g1 = k0 + (k1 - k0) * ((at + 1) / EDGE_BLOCKS)
        gain = np.float32(g0) + np.float32(g1 - g0) * ramp
        coarse *= gain[:, None]
        send *= gain
        # every second frame as made, the frames between them halfway
        out = np.empty((n, 2), dtype=np.float32)
        out[0::2] = coarse[:-1]
        coarse *= np.float32(0.5)  # exact: (a + b) / 2 == a / 2 + b / 2, contiguous and cheaper
        np.add(coarse[:-1], coarse[1:], out=out[1::2])
        return out, send[:-1]

    # -- the level: a slow feed-forward gain from the score's own estimate -----------

    def _estimate(self, step: int) -> float:
        """The unsteered loudness estimate at LEVEL_STEP * step seconds (kept for the window)."""
        found = self._power.get(step)
        if found is not None:
            return found
        power = self._power_at(step * LEVEL_STEP, 0.0)
        if len(self._power) > 6 * LEVEL_SPAN:  # keep the window around the latest
            for old in [j for j in self._power if abs(j - step) > 2 * LEVEL_SPAN]:
                del self._power[old]
        self._power[step] = power
        return power

    def _power_at(self, t: float, steer: float) -> float:
        """The K-weighted power the score makes at t seconds at a steering level, from what it
        plays (every oscillator's level, pitch and timbre with its reverb, in or out of phase,
        the surf's bands and breath), not from the samples: a pure function of the time, cheap."""
        dry = send = 0.0
        wet = self._wet_gain(t, steer)
        for freq, left, right, table, share in self._oscillators(t, steer):
            own, cross_left, cross_right, through = self._tone_weights(freq, table)
            mono = wet * share * 0.5 * (left + right)  # what comes back from the reverb, per unit of it
            dry += 0.5 * ((left * left + right * right) * own + 2.0 * mono * (left * cross_left + right * cross_right)
                          + mono * mono * through)
        p = self.params
        colour = 0.5 * (steer + self._drift(t + 40.0))
        top = int(p["cutoff"] * 2.5)
        noise = 0.0
        for band in range(4):
            band_rate = max(20, top >> band)
            weight = (0.55, 0.75, 1.0, 0.9)[band] * (1.0 + (0.35 * colour if band < 2 else 0.0))
            noise += weight * weight * _noise_k(band_rate)
        breath = self._swell(t)
        mid = noise * (breath * p["noise"] / 1.2) ** 2  # the mean square of the surf's mid
        dry += 2.0 * mid * (1.0 + 0.45**2)
        send += mid
        return dry + wet * wet * 2.0 * (1.0 + 0.55**2) * send

    def _tone_weights(self, freq: float, table: int) -> tuple[float, float, float, float]:
        """A unit oscillator of a table, K-weighted and summed over its partials: (its own power,
        the real part of the reverb's response in the left and in the right channel, the
        reverb's power gain over both channels): the cross terms of a tone and its reverb."""
        key = (round(freq * 64.0), table)
        found = self._tone_cache.get(key)
        if found is None:
            if self._response is None:
                self._response = _wet_response(self.rate // TONE_STEP, *self._impulse())
                self._made_from_impulse()
            step, left, right = self._response
            bright = (self.params["bright"], 0.12, None)[table]
            if bright is None:
                partials = [(1.0, 1.0)]
            else:
                amps = [(bright ** (h - 1) if h > 1 else 1.0) / h for h in range(1, 7)]
                partials = [(h + 1.0, (a / sum(amps)) ** 2) for h, a in enumerate(amps)]
            own = cross_left = cross_right = through = 0.0
            for ratio, power in partials:
                f = freq * ratio
                if f * 2 >= self.rate:
                    continue
                k = power * _k_power(f)
                i = round(f / step)
                if i < len(left):
                    hl, hr = complex(left[i]), complex(right[i])
                else:
                    hl, hr = _response_bin(self.rate, self.seed, self.params["rt"], step, i)
                own += k
                cross_left += k * hl.real
                cross_right += k * hr.real
                through += k * (abs(hl) ** 2 + abs(hr) ** 2)
            found = self._tone_cache[key] = (own, cross_left, cross_right, through)
        return found

    def _level_at(self, knot: int) -> float:
        """The level at a knot (every EDGE_BLOCKS blocks; kept: each ends one stretch and starts
        the next)."""
        found = self._levels.get(knot)
        if found is not None:
            return found
        t = knot * EDGE_BLOCKS * GRID / self.rate
        value = self._level(t)
        steer = self.steering.at(t + self.offset)
        if steer != 0.0:
            # steering moves the level by what it changes now, never by a change still to come
            # (the window holds the unsteered score: sound made before a press stays the same)
            value *= math.sqrt(self._power_at(t, 0.0) / self._power_at(t, steer))
        if len(self._levels) > 4:
            self._levels.clear()
        self._levels[knot] = value
        return value

    def _level(self, t: float) -> float:
        """The gain that holds the score's estimated loudness, smoothed over about +-LEVEL_SPAN
        seconds (a Hann window: no audible pumping), at its mood's LEVEL_POWER."""
        u = t / LEVEL_STEP
        k = math.floor(u)
        total = weights = 0.0
        for j in range(k - LEVEL_SPAN, k + LEVEL_SPAN + 2):
            w = 0.5 + 0.5 * math.cos(math.pi * (j - u) / (LEVEL_SPAN + 1))
            total += w * self._estimate(j)
            weights += w
        return math.sqrt(LEVEL_POWER[self.mood] / (total / weights))

    def _add_noise(self, out: np.ndarray, grid: int, ramp: np.ndarray) -> np.ndarray:
        """Soft, breathing surf: octave bands of value noise, mostly mid with a little side, added
        to ``out`` (GRID / TONE_STEP + 1, 2): block ``grid`` at every second frame, its end
        included (``ramp`` 0 .. 1 over it); returns the mid."""
        p = self.params
        rate = self.rate
        t0 = grid * GRID / rate
        t1 = (grid + 1) * GRID / rate
        colour = 0.5 * (self.steering.at(t0 + self.offset) + self._drift(t0 + 40.0))
        low, high = self._noise_span(grid // NOISE_SPAN)
        at = (grid % NOISE_SPAN) * (GRID // TONE_STEP)
        points = len(out)
        noise = low[at : at + points] * np.float32(1.0 + 0.35 * colour)
        noise += high[at : at + points]
        b0, b1 = self._swell(t0), self._swell(t1)
        breath = np.float32(b0) + np.float32(b1 - b0) * ramp
        breath *= np.float32(p["noise"] / 1.2)
        noise *= breath
        out.view(np.complex64)[:, 0] += noise  # left + i right
        return (noise.real + noise.imag) * np.float32(0.5)  # the mid

    def _noise_span(self, span: int) -> tuple[np.ndarray, np.ndarray]:
        """The surf's bands over NOISE_SPAN grid blocks at every TONE_STEP-th frame (and the
        next block's first), as left + i right (complex64): the two lower bands (their weight
        moves with the colour) and the two upper ones. Made for a few blocks at once: most of
        the work is per call, not per frame."""
        cached = self._noise_cache
        if cached is not None and cached[0] == span:
            return cached[1], cached[2]
        rate = self.rate
        first = span * NOISE_SPAN * GRID
        t0 = first / rate
        t1 = (first + NOISE_SPAN * GRID) / rate
        top = int(min(self.params["cutoff"] * 2.5, rate * 0.45))
        # every band summed on the finest band's grid as mid + i side, then read at every frame
        times = None
        sums = []
        for bands in ((0, 1), (2, 3)):
            total = None
            for band in bands:
                key = self._noise_key + band * 0x9E37
                at, (mid, side) = _value_noise((key, key + 0x51), t0, t1, max(20, top >> band))
                values = np.empty(len(mid), dtype=np.complex128)
                values.real = mid
                values.imag = side
                values *= (0.55, 0.75, 1.0, 0.9)[band]
                if times is None:
                    times = at
                if at is not times:
                    values = np.interp(times, at, values)
                total = values if total is None else total + values
            sums.append(total)
        frames = (first + np.arange(0, NOISE_SPAN * GRID + 1, TONE_STEP)) / rate
        spans = []
        for total in sums:
            total.imag *= 0.45  # a little side
            # mid + i side to left + i right: (mid + side) + i (mid - side) = (1 + i) conj(mid + i side)
            stereo = np.interp(frames, times, np.conj(total) * (1.0 + 1.0j))
            spans.append(stereo.astype(np.complex64))
        self._noise_cache = (span, spans[0], spans[1])
        return spans[0], spans[1]

    def _swell(self, t: float) -> float:
        """The surf's breath: slow random swells (about one per ``swell`` seconds), never regular."""
        return 0.55 + 0.45 * (0.5 + 0.5 * _smooth(self.seed, 77, t, 0.5 * self.params["swell"]))


SYNTH_VERSION = 7  # raise when the synthesis changes in a way the parameters below do not show


@functools.lru_cache(maxsize=None)
def _fingerprint(mood: str) -> str:
    """A short hash of everything that shapes a mood's sound."""
    recipe = (SYNTH_VERSION, sorted(MOODS[mood].items()), sorted(CHORDS.items()), D3, TABLE_BITS, GRID, EDGE_BLOCKS,
              CROSSFADE, BELL_SLOT, BELL_ATTACK, BELL_DECAY, MELODY_SLOT, NOTE_ATTACK, NOTE_RELEASE, DRIFT_SECONDS)
    return hashlib.sha1(repr(recipe).encode()).hexdigest()[:10]


def generator_key(mood: str | None, seed: int) -> str:
    """A key for the analysis cache that changes whenever the generated sound would."""
    mood = mood if mood in MOODS else DEFAULT_MOOD
    return f"generated:ambient:{_fingerprint(mood)}:{mood}:{int(seed)}"


# Loudness (LUFS) and the peak estimate of generated sources, measured by
# ``analysis.analyse_generated`` and shipped so that loading a playlist never
# has to synthesise them: every mood with seeds 0-7 (the default playlist uses
# 1-4 and 7). The keys carry the fingerprint, so a change to the sound misses
# this table and falls back to measuring; tests/audio/test_analysis.py checks
# the values against the synthesis.
MEASURED: dict[str, tuple[float, float]] = {
    "generated:ambient:bf624eec87:settle:0": (-19.043, 0.6532),
    "generated:ambient:bf624eec87:settle:1": (-19.019, 0.6377),
    "generated:ambient:bf624eec87:settle:2": (-19.127, 0.6412),
    "generated:ambient:bf624eec87:settle:3": (-19.136, 0.6616),
    "generated:ambient:bf624eec87:settle:4": (-19.202, 0.6395),
    "generated:ambient:bf624eec87:settle:5": (-19.129, 0.6353),
    "generated:ambient:bf624eec87:settle:6": (-18.992, 0.6884),
    "generated:ambient:bf624eec87:settle:7": (-19.078, 0.6910),
    "generated:ambient:88e2819770:onset:0": (-19.169, 0.6506),
    "generated:ambient:88e2819770:onset:1": (-18.978, 0.6293),
    "generated:ambient:88e2819770:onset:2": (-19.104, 0.6109),
    "generated:ambient:88e2819770:onset:3": (-19.208, 0.6005),
    "generated:ambient:88e2819770:onset:4": (-19.148, 0.6078),
    "generated:ambient:88e2819770:onset:5": (-19.193, 0.5939),
    "generated:ambient:88e2819770:onset:6": (-19.078, 0.6119),
    "generated:ambient:88e2819770:onset:7": (-19.226, 0.6085),
    "generated:ambient:0dfcb7544e:plateau:0": (-18.700, 0.7244),
    "generated:ambient:0dfcb7544e:plateau:1": (-18.763, 0.6720),
    "generated:ambient:0dfcb7544e:plateau:2": (-18.887, 0.7157),
    "generated:ambient:0dfcb7544e:plateau:3": (-19.073, 0.6993),
    "generated:ambient:0dfcb7544e:plateau:4": (-19.155, 0.6504),
    "generated:ambient:0dfcb7544e:plateau:5": (-18.839, 0.6641),
    "generated:ambient:0dfcb7544e:plateau:6": (-18.770, 0.6948),
    "generated:ambient:0dfcb7544e:plateau:7": (-18.953, 0.6537),
    "generated:ambient:36c58bf17b:return:0": (-19.847, 0.5586),
    "generated:ambient:36c58bf17b:return:1": (-19.819, 0.5855),
    "generated:ambient:36c58bf17b:return:2": (-19.811, 0.6396),
    "generated:ambient:36c58bf17b:return:3": (-19.899, 0.6138),
    "generated:ambient:36c58bf17b:return:4": (-19.857, 0.6004),
    "generated:ambient:36c58bf17b:return:5": (-19.916, 0.5662),
    "generated:ambient:36c58bf17b:return:6": (-19.810, 0.6925),
    "generated:ambient:36c58bf17b:return:7": (-19.838, 0.5636),
}


def measured(mood: str | None, seed: int) -> tuple[float, float] | None:
    """(LUFS, peak) of a generated source from the shipped table, or None."""
    return MEASURED.get(generator_key(mood, seed))
