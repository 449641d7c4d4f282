"""A voice for tests: a generated, speech-like recording (a glottal buzz at a
speaking pitch through two moving formants, in syllables with pauses), so the
capture and storage paths are fed sound with speech's shape and level rather
than a test tone. Deterministic."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def spoken(seconds: float, rate: int = 44100) -> np.ndarray:
    """Mono float32 speech-like sound, about -20 dBFS RMS while speaking."""
    n = int(seconds * rate)
    t = np.arange(n) / rate
    pitch = 120.0 + 25.0 * np.sin(2 * np.pi * 0.7 * t)  # intonation
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    buzz = sum(np.sin(k * phase) / k for k in range(1, 30))
    formant1 = 500 + 300 * np.sin(2 * np.pi * 3.1 * t)
    formant2 = 1500 + 600 * np.sin(2 * np.pi * 2.3 * t + 1.0)
    shaped = buzz * (0.6 + 0.4 * np.sin(2 * np.pi * formant1 * t / 1000.0)) \
        + 0.3 * np.sin(2 * np.pi * formant2 * t) * (buzz > 0)
    syllables = np.clip(np.sin(2 * np.pi * 4.0 * t), 0.0, None) ** 0.5  # about four a second
    pauses = (np.sin(2 * np.pi * 0.25 * t) > -0.7).astype(float)  # a breath now and then
    voice = shaped * syllables * pauses
    voice *= 0.1 / np.sqrt(np.mean(voice[voice != 0] ** 2))
    return voice.astype(np.float32)


def write_voice_wav(path: Path, seconds: float, rate: int = 44100, channels: int = 1) -> np.ndarray:
    """A WAV file of ``spoken`` (as a phone would save it); returns its samples."""
    mono = spoken(seconds, rate)
    data = np.repeat(mono[:, None], channels, axis=1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return mono


def rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.asarray(samples, dtype=np.float64) ** 2))))
