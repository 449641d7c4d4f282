"""Recording the patient's voice from the microphone (issue 19).

The device (miniaudio's capture, opened without writing to the terminal)
hands its sound to ``feed`` on its own thread; ``Recorder`` measures the
level for the meter and gathers chunks of a few seconds in a queue. The
screen drains the queue on its own thread and stores each chunk at once
(the database belongs to that thread), so what was said is on the disk
within a chunk of being said. Mono, float32, at ``VOICE_RATE``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from companion.audio.voice import VOICE_RATE

#: Opens a capture device that calls ``feed`` with float32 mono blocks; returns
#: something with ``close()``. Tests give one that feeds a recording instead.
OpenCapture = Callable[[int, Callable[[np.ndarray], None]], Any]


class MicrophoneMissing(Exception):
    """No microphone could be opened; ``str()`` is one line for the patient."""


def open_microphone(rate: int, feed: Callable[[np.ndarray], None]) -> Any:
    """miniaudio's default capture device, float32 mono at ``rate``."""
    import miniaudio

    from companion.audio.output import quiet_stderr

    def receiver():  # type: ignore[no-untyped-def]
        while True:
            data = yield
            feed(np.frombuffer(data, dtype=np.float32))

    with quiet_stderr():
        device = miniaudio.CaptureDevice(
            input_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=int(rate),
            buffersize_msec=100, app_name="companion")
        generator = receiver()
        next(generator)
        device.start(generator)
    return device


class Recorder:
    def __init__(self, chunk_seconds: float, open_capture: OpenCapture | None = None,
                 rate: int = VOICE_RATE) -> None:
        self.rate = rate
        self._chunk = max(1, int(chunk_seconds * rate))
        self._open = open_capture or open_microphone
        self._lock = threading.Lock()
        self._pending: list[np.ndarray] = []
        self._ready: list[np.ndarray] = []
        self._gathered = 0
        self._device: Any = None
        self.frames = 0
        """Frames heard so far."""
        self.level = 0.0
        """The last block's loudness for the meter, 0.0 (silence) to 1.0 (-6 dBFS or more)."""

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    @property
    def recording(self) -> bool:
        return self._device is not None

    def start(self) -> None:
        """Open the microphone; raises MicrophoneMissing with one line when there is none."""
        from companion.core import text

        try:
            self._device = self._open(self.rate, self.feed)
        except Exception:  # miniaudio's errors, or no capture backend at all
            raise MicrophoneMissing(text.VOICE_NO_MICROPHONE) from None

    def feed(self, block: np.ndarray) -> None:
        """A block of sound from the device (its thread)."""
        block = np.asarray(block, dtype=np.float32).reshape(-1, 1)
        if not len(block):
            return
        rms = float(np.sqrt(np.mean(block.astype(np.float64) ** 2)))
        db = 20 * np.log10(max(rms, 1e-9))
        with self._lock:
            # -60 dBFS .. -6 dBFS, falling back slowly: a calm meter, not a flicker
            self.level = max(float(np.clip((db + 60.0) / 54.0, 0.0, 1.0)), self.level * 0.85)
            self.frames += len(block)
            self._pending.append(block)
            self._gathered += len(block)
            if self._gathered >= self._chunk:
                whole = np.concatenate(self._pending)
                self._ready.append(whole[: self._chunk])
                rest = whole[self._chunk:]
                self._pending = [rest] if len(rest) else []
                self._gathered = len(rest)

    def drain(self) -> list[np.ndarray]:
        """The whole chunks gathered since the last call (the screen's thread)."""
        with self._lock:
            ready, self._ready = self._ready, []
        return ready

    def stop(self) -> list[np.ndarray]:
        """Close the microphone; returns what is left to store (the last, shorter chunk too)."""
        device, self._device = self._device, None
        if device is not None:
            try:
                device.close()
            except Exception:
                pass
        with self._lock:
            left = self._ready + ([np.concatenate(self._pending)] if self._pending else [])
            self._ready, self._pending, self._gathered = [], [], 0
        return left
