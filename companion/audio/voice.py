"""A voice recording made elsewhere (a phone's voice memo), read for the
journal: mono float32 at ``VOICE_RATE``, a few seconds at a time, so a long
recording never sits in memory whole. WAV, MP3, FLAC and Ogg through
miniaudio; M4A and the rest through ffmpeg where it is installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from companion.audio.sources import SourceError, open_file

#: Voice is kept at 24 kHz, mono: every sound of speech, half the bytes of 48 kHz.
VOICE_RATE = 24000


def read_voice(path: Path, chunk_seconds: float) -> Iterator[np.ndarray]:
    """The file's sound as mono (frames, 1) float32 chunks at VOICE_RATE.
    Raises SourceError (one line) for a file that cannot be decoded, also
    part way."""
    source = open_file(Path(path), VOICE_RATE)
    size = max(1, int(chunk_seconds * VOICE_RATE))
    try:
        while True:
            block = source.read(size)
            if source.error:
                raise SourceError(source.error)
            if len(block):
                yield block.mean(axis=1, keepdims=True, dtype=np.float32)
            if len(block) < size:
                return
    finally:
        source.close()
