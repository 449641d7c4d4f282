"""The mixer: executes a session plan chunk by chunk.

``Mixer.render(n)`` returns the next ``n`` frames of the exact session mix
(float32, stereo): every entry of the plan read from its source, times its
gain and its equal-power crossfade envelope, summed, times the master
fade-in/fade-out, through a soft peak limiter. Memory stays constant: only
the sources that sound in the current chunk are open, and each holds one
small look-ahead buffer.

A source that ends before the plan says (a file damaged part way, a disk
unplugged) is faded out over its look-ahead and a rescue bed of ambient
sound fades in until the next entry has taken over: nothing abrupt, no
silence the patient did not choose.
"""

from __future__ import annotations

import bisect
import math
from typing import Callable

import numpy as np

from companion.audio.ambient import AmbientSource
from companion.core.plan import Entry, Plan

LIMIT_THRESHOLD = 0.85  # the limiter leaves everything below this untouched
LOOKAHEAD = 4096
RESCUE_FADE_SECONDS = 3.0

Opener = Callable[[Entry, int], object]


def soft_limit(block: np.ndarray) -> np.ndarray:
    """Leave samples under the threshold alone, bend louder ones smoothly below 1.0."""
    peak = float(np.max(np.abs(block))) if len(block) else 0.0
    if peak <= LIMIT_THRESHOLD:
        return block
    t = LIMIT_THRESHOLD
    magnitude = np.abs(block)
    over = magnitude > t
    bent = t + (1.0 - t) * np.tanh((magnitude[over] - t) / (1.0 - t))
    block[over] = np.sign(block[over]) * bent * 0.999
    return block


def envelope(entry: Entry, a: int, b: int) -> np.ndarray | float:
    """Equal-power crossfade envelope of an entry over session frames [a, b)."""
    fade_in_end = entry.start + entry.fade_in
    fade_out_start = entry.end - entry.fade_out
    if a >= fade_in_end and b <= fade_out_start:
        return 1.0
    frames = np.arange(a, b, dtype=np.float64)
    gain = np.ones(b - a)
    if entry.fade_in and a < fade_in_end:
        x = np.clip((frames - entry.start) / entry.fade_in, 0.0, 1.0)
        gain *= np.sin(0.5 * np.pi * x)
    if entry.fade_out and b > fade_out_start:
        x = np.clip((frames - fade_out_start) / entry.fade_out, 0.0, 1.0)
        gain *= np.cos(0.5 * np.pi * x)
    return gain


def master(plan: Plan, a: int, b: int) -> np.ndarray | float:
    """The session's master fades over [a, b)."""
    session = plan.session_frames
    fin, fout = plan.fade_in_frames, plan.fade_out_frames
    if a >= fin and b <= session - fout:
        return 1.0
    frames = np.arange(a, b, dtype=np.float64)
    gain = np.ones(b - a)
    if fin and a < fin:
        gain *= 0.5 - 0.5 * np.cos(np.pi * np.clip(frames / fin, 0.0, 1.0))
    if fout and b > session - fout:
        gain *= 0.5 - 0.5 * np.cos(np.pi * np.clip((session - frames) / fout, 0.0, 1.0))
    gain[frames >= session] = 0.0
    return gain


class Voice:
    """An open source for one entry, with a small look-ahead buffer."""

    def __init__(self, entry: Entry, source, at: int) -> None:
        self.entry = entry
        self.source = source
        self.frame = at  # the session frame of the next sample handed out
        self._buffer = np.zeros((0, 2), dtype=np.float32)
        self._ended = False
        self.failed = False  # ended before its planned end

    def read(self, n: int) -> np.ndarray:
        want = n + LOOKAHEAD
        if len(self._buffer) < want and not self._ended:
            parts = [self._buffer]
            have = len(self._buffer)
            while have < want:
                try:
                    chunk = self.source.read(want - have)
                except Exception:
                    chunk = np.zeros((0, 2), dtype=np.float32)
                if not len(chunk):
                    self._ended = True
                    break
                parts.append(np.asarray(chunk, dtype=np.float32))
                have += len(chunk)
            self._buffer = np.concatenate(parts) if len(parts) > 1 else parts[0]
            remaining_planned = self.entry.end - self.frame
            if self._ended and len(self._buffer) < remaining_planned:
                # ended early: fade out what is left instead of stopping dead
                self._buffer = np.array(self._buffer, dtype=np.float32, copy=True)
                count = len(self._buffer)
                if count:
                    self._buffer *= np.cos(0.5 * np.pi * np.arange(1, count + 1) / count)[:, None]
                # a few frames short is only resampling rounding at the end of a fade
                self.failed = remaining_planned - count > 2 * LOOKAHEAD and (
                    self.entry.end - self.entry.fade_out > self.frame + count
                )
        out = self._buffer[:n]
        self._buffer = self._buffer[n:]
        if len(out) < n:
            out = np.concatenate([out, np.zeros((n - len(out), 2), dtype=np.float32)])
        self.frame += n
        return out

    def close(self) -> None:
        try:
            self.source.close()
        except Exception:
            pass


class Mixer:
    def __init__(
        self,
        plan: Plan,
        opener: Opener,
        *,
        on_problem: Callable[[Entry, str], None] | None = None,
        rescue: Callable[[int, int], object] | None = None,
    ) -> None:
        self.plan = plan
        self.opener = opener
        self.on_problem = on_problem
        self._rescue_opener = rescue
        self.position = 0
        self._voices: dict[Entry, Voice] = {}
        self._rescue: tuple[int, int, object] | None = None  # start, end, source
        self._index()

    def _index(self) -> None:
        self._starts = [entry.start for entry in self.plan.entries]
        self._ends = [entry.end for entry in self.plan.entries]

    @property
    def finished(self) -> bool:
        return self.position >= self.plan.session_frames

    def set_plan(self, plan: Plan) -> None:
        """Swap in a new plan (after a skip); voices of vanished entries close."""
        keep = set(plan.entries)
        for entry in list(self._voices):
            if entry not in keep:
                self._voices.pop(entry).close()
        self.plan = plan
        self._index()

    def seek(self, frame: int) -> None:
        self.position = max(0, min(int(frame), self.plan.session_frames))
        for voice in self._voices.values():
            voice.close()
        self._voices.clear()
        self._close_rescue()

    def close(self) -> None:
        self.seek(self.position)

    def active(self, a: int, b: int) -> list[Entry]:
        lo = bisect.bisect_right(self._ends, a)
        hi = bisect.bisect_left(self._starts, b)
        return [entry for entry in self.plan.entries[lo:hi] if entry.start < b and entry.end > a]

    def _open(self, entry: Entry, at: int) -> Voice:
        offset = entry.offset + (at - entry.start)
        try:
            source = self.opener(entry, offset)
        except Exception as error:  # vanished or unreadable since analysis
            self._report(entry, str(error) or "cannot be opened")
            source = _Empty()
        return Voice(entry, source, at)

    def _report(self, entry: Entry, problem: str) -> None:
        if self.on_problem is not None:
            try:
                self.on_problem(entry, problem)
            except Exception:
                pass

    def _start_rescue(self, at: int, entry: Entry) -> None:
        if self._rescue is not None or self._rescue_opener is None:
            return
        later = [e for e in self.plan.entries if e.start >= entry.start and e is not entry and e.start >= at]
        until = later[0].start + later[0].fade_in if later else self.plan.session_frames
        until = max(until, at + 2 * round(RESCUE_FADE_SECONDS * self.plan.rate))
        try:
            source = self._rescue_opener(at, until)
        except Exception:
            return
        self._rescue = (at, until, source)

    def _close_rescue(self) -> None:
        if self._rescue is not None:
            try:
                self._rescue[2].close()
            except Exception:
                pass
            self._rescue = None

    def render(self, n: int) -> np.ndarray:
        a = self.position
        b = a + n
        out = np.zeros((n, 2), dtype=np.float32)
        session = self.plan.session_frames
        if a >= session:
            self.position = b
            return out
        for entry in self.active(a, b):
            lo, hi = max(a, entry.start), min(b, entry.end)
            voice = self._voices.get(entry)
            if voice is None or voice.frame != lo:
                if voice is not None:
                    voice.close()
                voice = self._voices[entry] = self._open(entry, lo)
            data = voice.read(hi - lo)
            if voice.failed:
                voice.failed = False
                self._report(entry, "ended early (damaged or missing file); the ambient bed covers the gap")
                self._start_rescue(lo, entry)
            gain = 10.0 ** (entry.gain_db / 20.0) * envelope(entry, lo, hi)
            if isinstance(gain, float):
                out[lo - a : hi - a] += data * np.float32(gain)
            else:
                out[lo - a : hi - a] += data * gain[:, None].astype(np.float32)
        if self._rescue is not None:
            self._mix_rescue(out, a, b)
        for entry in [e for e in self._voices if e.end <= b]:
            self._voices.pop(entry).close()
        m = master(self.plan, a, b)
        if isinstance(m, float):
            if m != 1.0:
                out *= np.float32(m)
        else:
            out *= m[:, None].astype(np.float32)
        self.position = b
        return soft_limit(out)

    def _mix_rescue(self, out: np.ndarray, a: int, b: int) -> None:
        start, until, source = self._rescue  # type: ignore[misc]
        lo, hi = max(a, start), min(b, until)
        if hi > lo:
            fade = round(RESCUE_FADE_SECONDS * self.plan.rate)
            frames = np.arange(lo, hi, dtype=np.float64)
            rise = np.clip((frames - start) / fade, 0.0, 1.0)
            fall = np.clip((until - frames) / fade, 0.0, 1.0)
            gain = np.sin(0.5 * np.pi * rise) * np.sin(0.5 * np.pi * fall)
            gain *= 10.0 ** (self.plan.settings.bed_gain_db / 20.0)
            out[lo - a : hi - a] += source.read(hi - lo) * gain[:, None].astype(np.float32)
        if b >= until:
            self._close_rescue()


class _Empty:
    error = None

    def read(self, frames: int) -> np.ndarray:
        return np.zeros((0, 2), dtype=np.float32)

    def close(self) -> None:
        pass


def ambient_rescue(plan: Plan, mood: str | None, seed: int) -> Callable[[int, int], object]:
    def open_rescue(at: int, until: int):
        return AmbientSource(plan.rate, mood, seed, start=at)

    return open_rescue
