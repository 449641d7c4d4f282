"""Measures of a rendered score, shared by tests/audio/test_score.py and the audio benchmark.

Every function takes float (frames, 2) samples and their rate.
"""

from __future__ import annotations

import math

import numpy as np

from companion.audio.analysis import LoudnessMeter, integrated_loudness


def loudness_steps(samples: np.ndarray, rate: int) -> np.ndarray:
    """K-weighted mean square (summed over channels) of every 100 ms."""
    meter = LoudnessMeter(rate)
    meter.feed(samples)
    meter.result()
    return np.asarray(meter._steps)


def short_term(samples: np.ndarray, rate: int, window: float = 3.0, hop: float = 1.0) -> np.ndarray:
    """Short-term loudness (LUFS over ``window`` seconds) every ``hop`` seconds."""
    steps = loudness_steps(samples, rate)
    w, h = int(round(window * 10)), int(round(hop * 10))
    sums = np.convolve(steps, np.ones(w) / w, mode="valid")[::h]
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(sums)


def per_minute(samples: np.ndarray, rate: int) -> list[float]:
    """Integrated loudness of every whole minute."""
    minute = 60 * rate
    return [integrated_loudness(samples[i : i + minute], rate) for i in range(0, len(samples) - minute + 1, minute)]


def _decimate(x: np.ndarray, factor: int) -> np.ndarray:
    n = len(x) // factor * factor
    return x[:n].reshape(-1, factor).mean(axis=1)


def autocorrelation(x: np.ndarray) -> np.ndarray:
    """Normalised autocorrelation of a 1-D signal (mean removed), lags 0..len-1, each lag
    normalised by the overlap so a late exact repeat still reads 1."""
    x = np.asarray(x, dtype=np.float64)
    x = x - x.mean()
    n = len(x)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(x, size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size)[:n]
    acf /= (n - np.arange(n)) / n  # unbiased: an exact loop gives 1 at its length
    return acf / acf[0]


def envelope(mono: np.ndarray, rate: int, window: float = 0.4) -> np.ndarray:
    """RMS over ``window`` seconds, every 50 ms."""
    power = np.concatenate([[0.0], np.cumsum(np.asarray(mono, dtype=np.float64) ** 2)])
    w = int(window * rate)
    starts = np.arange(0, len(mono) - w, rate // 20)
    return np.sqrt((power[starts + w] - power[starts]) / w)


def repeat_peaks(samples: np.ndarray, rate: int, low: float = 5.0, high: float = 1200.0) -> dict:
    """The highest autocorrelation between ``low`` and ``high`` seconds of lag, of the signal
    (mono, averaged down to about 2 kHz) and of its envelope (RMS per 50 ms), with the lags."""
    mono = samples.mean(axis=1)
    factor = max(1, rate // 2000)
    signal = _decimate(mono, factor)
    sr = rate / factor
    out = {}
    for name, x, per_second in (("signal", signal, sr), ("envelope", envelope(mono, rate), 20.0)):
        top = min(len(x) // 2, int(high * per_second))  # lags up to half the excerpt: enough overlap
        acf = autocorrelation(x)
        lo = int(low * per_second)
        if top <= lo:
            out[name] = (0.0, 0.0)
            continue
        i = lo + int(np.argmax(acf[lo:top]))
        out[name] = (float(acf[i]), i / per_second)
    return out


def band_spectrum(samples: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(third-octave band levels in dB, chroma: energy per pitch class, normalised) of an excerpt."""
    mono = samples.mean(axis=1).astype(np.float64)
    size = 1 << 15
    frames = len(mono) // size
    power = np.zeros(size // 2 + 1)
    window = np.hanning(size)
    for i in range(frames):
        power += np.abs(np.fft.rfft(mono[i * size : (i + 1) * size] * window)) ** 2
    f = np.fft.rfftfreq(size, 1.0 / rate)
    edges = 50.0 * 2 ** (np.arange(0, 22) / 3.0)
    bands = np.array([power[(f >= a) & (f < b)].sum() + 1e-20 for a, b in zip(edges[:-1], edges[1:])])
    chroma = np.zeros(12)
    valid = (f > 60.0) & (f < 2000.0)
    pitch = np.round(12 * np.log2(f[valid] / 146.8324)).astype(int) % 12
    np.add.at(chroma, pitch, power[valid])
    return 10 * np.log10(bands), chroma / chroma.sum()


def neighbour_changes(samples: np.ndarray, rate: int, span: float = 60.0) -> list[tuple[float, float]]:
    """For each pair of neighbouring spans: (spectral change: RMS dB difference of the band
    levels, harmonic change: 1 - cosine similarity of the chroma)."""
    n = int(span * rate)
    spectra = [band_spectrum(samples[i : i + n], rate) for i in range(0, len(samples) - n + 1, n)]
    out = []
    for (b1, c1), (b2, c2) in zip(spectra, spectra[1:]):
        spectral = float(np.sqrt(np.mean((b1 - b2) ** 2)))
        harmonic = 1.0 - float(np.dot(c1, c2) / (np.linalg.norm(c1) * np.linalg.norm(c2)))
        out.append((spectral, harmonic))
    return out


def timbre(samples: np.ndarray, rate: int) -> dict:
    """Spectral centroid (Hz, of the mono signal) and density: the spectral flux between 50 ms
    frames (rises of each bin's log magnitude, weighted by its share of the power) and the
    envelope's spread in dB."""
    mono = samples.mean(axis=1).astype(np.float64)
    size = 2048
    hop = rate // 20
    count = (len(mono) - size) // hop
    window = np.hanning(size)
    f = np.fft.rfftfreq(size, 1.0 / rate)
    frames = np.stack([np.abs(np.fft.rfft(mono[i * hop : i * hop + size] * window)) for i in range(count)])
    power = frames ** 2
    centroid = float((power.sum(axis=0) * f).sum() / power.sum())
    log = np.log10(frames + 1e-9)
    # each bin's rise weighted by its share of the frame's power: the change where the sound is
    # (an unweighted mean read mostly the noise floor's bins, about 0.148 for any steady noise)
    share = power[1:] / np.maximum(power[1:].sum(axis=1, keepdims=True), 1e-30)
    flux = (np.maximum(0.0, np.diff(log, axis=0)) * share).sum(axis=1)
    env = 10 * np.log10(power.sum(axis=1) + 1e-20)
    return {"centroid": centroid, "flux": float(np.mean(flux)), "envelope_spread_db": float(np.std(env)),
            "high_share": float(power[:, f > 1000].sum() / power.sum())}


def mono_fold(samples: np.ndarray, rate: int) -> dict:
    """Mono fold-down against stereo: integrated difference, and the deepest 1-second dip of
    mono relative to stereo (short-term, 1 s windows every 0.5 s)."""
    mono = np.repeat(samples.mean(axis=1, keepdims=True), 2, axis=1)
    stereo_st = short_term(samples, rate, window=1.0, hop=0.5)
    mono_st = short_term(mono, rate, window=1.0, hop=0.5)
    diff = mono_st - stereo_st
    return {"integrated_db": integrated_loudness(mono, rate) - integrated_loudness(samples, rate),
            "worst_dip_db": float(diff.min()), "dip_spread_db": float(diff.max() - diff.min())}


def max_rise(samples: np.ndarray, rate: int) -> float:
    """The largest rise of short-term loudness (3 s window) from one second to the next."""
    st = short_term(samples, rate, window=3.0, hop=1.0)
    st = st[np.isfinite(st)]
    return float(np.max(np.diff(st))) if len(st) > 1 else 0.0


def spread(values) -> float:
    values = [v for v in values if v is not None and math.isfinite(v)]
    return max(values) - min(values)
