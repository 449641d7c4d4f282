"""The audio device: a miniaudio playback device that pulls frames from a callback.

- Opening a device where there is none makes ALSA write to file descriptor 2,
  which would tear up the terminal: fd 2 points at /dev/null while opening.
- "auto" tries the real device and falls back to silence with one notice;
  "null" is silence by choice. Silence is the software pump below: a thread
  that pulls the music in real time, a period at a time, and drops it. It
  stands in for miniaudio's own NULL backend, whose thread woke so often
  that it cost 0.66 % of a core on its own, more than decoding an MP3
  (the pump costs under a tenth of that).
- When the device stops asking for frames (unplugged headphones, a sound
  server restart) a watchdog notices, keeps the clock going in real time with
  a software pump, and tries to reopen the device every few seconds.
- Nothing raises into the audio thread: the pull callback is guarded.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from typing import Callable, Iterator

import numpy as np

FillFn = Callable[[int], np.ndarray]

# The device asks for this much at a time. Music needs no low latency (every control is
# ramped over a third of a second or more): a period of 200 ms calls back half as often as
# 100 ms did, and a control is still heard within about a period.
PERIOD_MS = 200

NO_DEVICE = "No audio device found; playing silently (NULL backend)."
DEVICE_LOST = "The audio device stopped; keeping time and trying to reopen it."
DEVICE_BACK = "The audio device is back."


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration (C libraries write there)."""
    try:
        sys.stderr.flush()
    except Exception:
        pass
    try:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def open_device(rate: int, backend: str, period_ms: int = PERIOD_MS):
    """A started-ready miniaudio PlaybackDevice; raises on failure."""
    import miniaudio

    backends = [miniaudio.Backend.NULL] if backend == "null" else None
    with quiet_stderr():
        return miniaudio.PlaybackDevice(
            output_format=miniaudio.SampleFormat.FLOAT32,
            nchannels=2,
            sample_rate=int(rate),
            buffersize_msec=period_ms,
            backends=backends,
            app_name="companion",
        )


class Output:
    """Feeds ``fill(n)`` to a device, or to a real-time pump when there is none."""

    def __init__(
        self,
        fill: FillFn,
        rate: int,
        backend: str = "auto",
        on_notice: Callable[[str], None] | None = None,
        *,
        period_ms: int = PERIOD_MS,
        lost_after: float = 2.0,
        retry_every: float = 5.0,
    ) -> None:
        self.fill = fill
        self.rate = int(rate)
        self.backend = backend
        self.on_notice = on_notice
        self.period_ms = period_ms
        self.lost_after = lost_after
        self.retry_every = retry_every
        self.device = None
        self.name = "none"
        self.using_null = False
        self.lost = False
        self._last_pull = time.monotonic()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._pump: threading.Thread | None = None
        self._pump_stop = threading.Event()
        self.is_open = False

    # -- notices ------------------------------------------------------------

    def _notice(self, text: str) -> None:
        if self.on_notice is not None:
            try:
                self.on_notice(text)
            except Exception:
                pass

    # -- the pull side ------------------------------------------------------

    def _generator(self):
        frames = yield b""
        while True:
            self._last_pull = time.monotonic()
            try:
                data = self.fill(frames)
                if data is None or len(data) != frames:
                    data = np.zeros((frames, 2), dtype=np.float32)
                data = np.ascontiguousarray(data, dtype=np.float32)
            except Exception:
                data = np.zeros((frames, 2), dtype=np.float32)
            frames = yield data

    def _start_device(self, backend: str) -> bool:
        try:
            device = open_device(self.rate, backend, self.period_ms)
        except Exception:
            return False
        generator = self._generator()
        next(generator)
        try:
            with quiet_stderr():
                device.start(generator)
        except Exception:
            with contextlib.suppress(Exception):
                device.close()
            return False
        self.device = device
        self.name = getattr(device, "backend", backend)
        self.using_null = self.name.lower() == "null"
        self._last_pull = time.monotonic()
        return True

    def open(self) -> str:
        """Open the device (idempotent); returns the backend's name."""
        with self._lock:
            if self.is_open:
                return self.name
            self._stop.clear()
            if self.backend == "null" or not self._start_device("auto"):
                # silence: keep time in software
                self.name, self.using_null = "null", True
                self._start_pump()
                if self.backend != "null":
                    self._notice(NO_DEVICE)
            self.is_open = True
            if self.device is not None:  # silence has no device to lose
                self._watchdog = threading.Thread(target=self._watch, name="companion-audio-watchdog", daemon=True)
                self._watchdog.start()
            return self.name

    def close(self) -> None:
        with self._lock:
            self._stop.set()
            self._stop_pump()
            device, self.device = self.device, None
            if device is not None:
                with contextlib.suppress(Exception):
                    device.close()
            self.is_open = False
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None and watchdog is not threading.current_thread():
            watchdog.join(timeout=2.0)

    # -- losing and finding the device ---------------------------------------

    def simulate_loss(self) -> None:
        """For tests: the device stops calling back, as an unplugged device would."""
        with self._lock:
            device = self.device
            if device is not None:
                with contextlib.suppress(Exception):
                    device.stop()

    def _watch(self) -> None:
        next_retry = 0.0
        while not self._stop.wait(0.25):
            with self._lock:
                if self._stop.is_set():
                    return
                now = time.monotonic()
                if not self.lost and self.device is not None and now - self._last_pull > self.lost_after:
                    self.lost = True
                    device, self.device = self.device, None
                    threading.Thread(target=_close_quietly, args=(device,), daemon=True).start()
                    self._start_pump()
                    self._notice(DEVICE_LOST)
                    next_retry = now + self.retry_every
                elif self.lost and now >= next_retry:
                    next_retry = now + self.retry_every
                    self._stop_pump()
                    if self._start_device("auto"):
                        self.lost = False
                        self._notice(DEVICE_BACK)
                    else:
                        self._start_pump()

    def _start_pump(self) -> None:
        if self._pump is not None:
            return
        self._pump_stop.clear()
        self._pump = threading.Thread(target=self._run_pump, name="companion-audio-pump", daemon=True)
        self._pump.start()

    def _stop_pump(self) -> None:
        pump, self._pump = self._pump, None
        if pump is not None:
            self._pump_stop.set()
            if pump is not threading.current_thread():
                pump.join(timeout=2.0)

    def _run_pump(self) -> None:
        """Pull frames at the real-time rate and drop them: the session clock goes on.
        Like a device filling its buffer, it pulls a period ahead, the first at once
        (the music's first track is known as soon as it starts)."""
        started = time.monotonic()
        pulled = 0
        period = self.period_ms / 1000.0
        while True:
            due = int((time.monotonic() - started + period) * self.rate) - pulled
            while due > 0:
                n = min(due, self.rate)
                try:
                    self.fill(n)
                except Exception:
                    pass
                pulled += n
                due -= n
            if self._pump_stop.wait(period):
                return


def _close_quietly(device) -> None:
    with contextlib.suppress(Exception):
        with quiet_stderr():
            device.close()
