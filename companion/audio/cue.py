"""The confirmation of a marked moment: a soft, short tone with a slow attack,
mixed well under the music so a patient with an eye mask on hears that the
key did something, without a start. Kept apart from the generated score."""

from __future__ import annotations

import numpy as np

CUE_SECONDS = 1.6
CUE_ATTACK = 0.35  # seconds: a slow swell, nothing percussive
CUE_UNDER_MUSIC_DB = -14.0  # below the music's level at the same volume
MUSIC_LUFS = -23.0  # the level the session's music is measured to


def mark_cue(rate: int, level: float) -> np.ndarray:
    """Stereo float32 samples of the cue for ``level``, the music's gain now
    (volume, cap and hush included): the cue follows the volume, always under it."""
    n = int(CUE_SECONDS * rate)
    t = np.arange(n) / rate
    # A low fifth with a little octave: warm, not a beep.
    tone = (
        0.70 * np.sin(2 * np.pi * 293.66 * t)
        + 0.25 * np.sin(2 * np.pi * 440.0 * t + 0.5)
        + 0.05 * np.sin(2 * np.pi * 587.33 * t + 1.0)
    )
    attack = int(CUE_ATTACK * rate)
    shape = np.exp(-(t - CUE_ATTACK).clip(min=0.0) * 3.0)
    shape[:attack] = 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    release = int(0.2 * rate)  # ends at zero: no click
    shape[n - release :] *= np.linspace(1.0, 0.0, release)
    peak = 10.0 ** ((MUSIC_LUFS + 3.7 + CUE_UNDER_MUSIC_DB) / 20.0) / 0.67
    mono = (tone * shape * peak * level).astype(np.float32)
    return np.repeat(mono[:, None], 2, axis=1)
