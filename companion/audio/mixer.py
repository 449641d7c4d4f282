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
import collections
import functools
import math
from typing import Callable

import numpy as np

from companion.core.plan import PlanEntry, Plan

LIMIT_THRESHOLD = 0.85  # the limiter leaves everything below this untouched
LOOKAHEAD = 4096
RESCUE_FADE_SECONDS = 3.0

Opener = Callable[[PlanEntry, int], object]
PeakOf = Callable[[PlanEntry], "float | None"]


def soft_limit(block: np.ndarray) -> np.ndarray:
    """Leave samples under the threshold alone, bend louder ones smoothly below 1.0."""
    if not len(block):
        return block
    peak = max(float(block.max()), -float(block.min()))
    if peak <= LIMIT_THRESHOLD:
        return block
    t = LIMIT_THRESHOLD
    magnitude = np.abs(block)
    over = magnitude > t
    bent = t + (1.0 - t) * np.tanh((magnitude[over] - t) / (1.0 - t))
    block[over] = np.sign(block[over]) * bent * 0.999
    return block


STEREO_CURVE_SECONDS = 10.0  # fades up to this long use a shared ready-made stereo curve


@functools.lru_cache(maxsize=4)
def _stereo_fade(frames: int, rising: bool) -> np.ndarray:
    """The equal-power fade over ``frames`` as (frames, 2) float32 gains, shared by every entry.

    Rising: sin(pi/2 * j / frames); falling: cos(pi/2 * j / frames). Both are
    stored forwards: multiplying by a reversed view is many times slower.
    """
    x = np.arange(frames, dtype=np.float32)
    x *= np.float32(0.5 * np.pi / frames)
    if rising:
        np.sin(x, out=x)
    else:
        np.cos(x, out=x)
    return np.repeat(x, 2).reshape(frames, 2)


def envelope_max(entry: PlanEntry, a: int, b: int) -> float:
    """An upper bound of the crossfade envelope of an entry over session frames [a, b).

    The fade in rises and the fade out falls, so the highest gain is at the
    last frame of a fade in and at the first frame of a fade out.
    """
    highest = 1.0
    if entry.fade_in and a < entry.start + entry.fade_in:
        highest = math.sin(0.5 * math.pi * min(1.0, max(0.0, (b - entry.start) / entry.fade_in)))
    fade_out_start = entry.end - entry.fade_out
    if entry.fade_out and b > fade_out_start:
        highest *= math.cos(0.5 * math.pi * min(1.0, max(0.0, (a - fade_out_start) / entry.fade_out)))
    return highest


def envelope(entry: PlanEntry, a: int, b: int) -> np.ndarray | float:
    """Equal-power crossfade envelope of an entry over session frames [a, b), float32.

    1.0 (a float) where the entry plays at full level.
    """
    fade_in_end = entry.start + entry.fade_in
    fade_out_start = entry.end - entry.fade_out
    if a >= fade_in_end and b <= fade_out_start:
        return 1.0
    gain = np.ones(b - a, dtype=np.float32)
    if entry.fade_in and a < fade_in_end:
        x = np.arange(a - entry.start, b - entry.start, dtype=np.float32)
        x *= np.float32(1.0 / entry.fade_in)
        np.clip(x, 0.0, 1.0, out=x)
        x *= np.float32(0.5 * np.pi)
        gain *= np.sin(x, out=x)
    if entry.fade_out and b > fade_out_start:
        x = np.arange(a - fade_out_start, b - fade_out_start, dtype=np.float32)
        x *= np.float32(1.0 / entry.fade_out)
        np.clip(x, 0.0, 1.0, out=x)
        x *= np.float32(0.5 * np.pi)
        gain *= np.cos(x, out=x)
    return gain


def master(plan: Plan, a: int, b: int) -> np.ndarray | float:
    """The session's master fades over [a, b): 1.0 (a float) between them, else float32 gains."""
    session = plan.session_frames
    fin, fout = plan.fade_in_frames, plan.fade_out_frames
    if a >= fin and b <= session - fout:
        return 1.0
    gain = np.ones(b - a, dtype=np.float32)
    if fin and a < fin:  # s-curve: 0.5 - 0.5 cos(pi x)
        x = np.arange(a, b, dtype=np.float32)
        x *= np.float32(1.0 / fin)
        np.clip(x, 0.0, 1.0, out=x)
        x *= np.float32(np.pi)
        np.cos(x, out=x)
        gain *= np.float32(0.5) - np.float32(0.5) * x
    if fout and b > session - fout:
        x = np.arange(session - a, session - b, -1, dtype=np.float32)
        x *= np.float32(1.0 / fout)
        np.clip(x, 0.0, 1.0, out=x)
        x *= np.float32(np.pi)
        np.cos(x, out=x)
        gain *= np.float32(0.5) - np.float32(0.5) * x
        if b > session:
            gain[max(0, session - a) :] = 0.0
    return gain


def _stereo(block: np.ndarray) -> np.ndarray:
    """A (frames, 2) float32 block seen as (frames,) complex64: one number per frame.

    Multiplying that by a real per-frame gain scales both channels in one
    contiguous pass (broadcasting a gain over a length-2 axis is much slower).
    """
    return block.view(np.complex64)[:, 0]


def mix_into(
    out: np.ndarray,
    data: np.ndarray,
    gain: np.ndarray | float,
    fresh: bool = False,
    level: float = 1.0,
    scratch: np.ndarray | None = None,
) -> None:
    """out += data * gain * level (out = ... when ``fresh``); data and out (frames, 2) float32.

    ``gain``: a float, per-frame gains (frames,) or per-sample gains (frames, 2).
    ``scratch``: room for at least as many frames as ``data``, for the products
    (fresh temporaries of this size cost page faults).
    """
    k = len(data)
    if isinstance(gain, float):
        gain *= level
        if fresh:
            np.multiply(data, np.float32(gain), out=out)
        elif gain == 1.0:
            out += data
        else:
            part = np.multiply(data, np.float32(gain), out=scratch[:k] if scratch is not None else None)
            out += part
        return
    if gain.ndim == 1:  # one gain per frame: both channels at once as complex numbers
        if level != 1.0:
            gain = gain * np.float32(level)
        if fresh:
            np.multiply(_stereo(data), gain, out=_stereo(out))
        else:
            _stereo(out)[:] += _stereo(data) * gain
        return
    if fresh:
        np.multiply(data, gain, out=out)
        if level != 1.0:
            out *= np.float32(level)
    else:
        part = np.multiply(data, gain, out=scratch[:k] if scratch is not None else None)
        if level != 1.0:
            part *= np.float32(level)
        out += part


class Voice:
    """An open source for one entry, with a small look-ahead buffer.

    A source that can decode into given memory (``read_into``) fills one of
    two buffers per block: the look-ahead left from the last block is moved
    to its front and the block's new frames decoded right behind it, so the
    mixer gets each block as one piece, freshly decoded and still in the CPU
    cache. Other sources' chunks are kept as they come and handed out as
    pieces.
    """

    def __init__(self, entry: PlanEntry, source, at: int, rate: int = 48000, pool: list | None = None) -> None:
        """``pool``: buffers left by closed voices, shared (fresh memory costs page faults)."""
        self.entry = entry
        self.level = 10.0 ** (entry.gain_db / 20.0)
        self._short_fade = round(STEREO_CURVE_SECONDS * rate)
        self.source = source
        self.frame = at  # the session frame of the next sample handed out
        self._chunks: collections.deque[np.ndarray] = collections.deque()
        self._have = 0
        self._ended = False
        self._read_into = getattr(source, "read_into", None)
        self._buffers: list[np.ndarray | None] = [None, None]  # used in turn (read_into sources)
        self._pool = pool
        self.failed = False  # ended before its planned end
        self.peak = math.inf  # the highest magnitude it can hand out, level included

    def _fill(self, n: int) -> None:
        """Buffer at least LOOKAHEAD frames beyond the next n (unless the sound ends first)."""
        missing = n + LOOKAHEAD - self._have
        if missing <= 0 or self._ended:
            return
        if self._read_into is not None:
            self._fill_into(missing)
        else:
            while missing > 0:
                try:
                    chunk = self.source.read(missing)
                except Exception:
                    chunk = None
                if chunk is None or not len(chunk):
                    self._ended = True
                    break
                chunk = np.ascontiguousarray(chunk, dtype=np.float32)
                self._chunks.append(chunk)
                self._have += len(chunk)
                missing -= len(chunk)
        remaining_planned = self.entry.end - self.frame
        if self._ended and self._have < remaining_planned:
            # ended early: fade out what is left instead of stopping dead
            count = self._have
            if count:
                rest = np.concatenate(list(self._chunks)) if len(self._chunks) > 1 else self._chunks[0].copy()
                rest *= np.cos(0.5 * np.pi * np.arange(1, count + 1) / count).astype(np.float32)[:, None]
                self._chunks = collections.deque([rest])
            # a few frames short is only resampling rounding at the end of a fade
            self.failed = remaining_planned - count > 2 * LOOKAHEAD and (
                self.entry.end - self.entry.fade_out > self.frame + count
            )

    def _new_buffer(self, size: int) -> np.ndarray:
        pool = self._pool
        if pool:
            for number, buffer in enumerate(pool):
                if len(buffer) >= size:
                    return pool.pop(number)
        return np.empty((size, 2), dtype=np.float32)

    def _fill_into(self, missing: int) -> None:
        """The frames still buffered, then ``missing`` new ones, in one buffer."""
        have = self._have
        size = have + missing
        buffers = self._buffers  # [the one to fill now, the one holding what is still buffered]
        if buffers[0] is None or len(buffers[0]) < size:
            buffers[0] = self._new_buffer(size)
        buffer = buffers[0]
        buffers.reverse()  # the next fill takes the other one
        at = 0
        for chunk in self._chunks:
            buffer[at : at + len(chunk)] = chunk
            at += len(chunk)
        while at < size:
            try:
                got = int(self._read_into(buffer[at:size]))
            except Exception:
                got = 0
            if got <= 0:
                self._ended = True
                break
            at += got
        self._chunks = collections.deque([buffer[:at]] if at else [])
        self._have = at

    def gain(self, lo: int, hi: int) -> np.ndarray | float:
        """The crossfade envelope over session frames [lo, hi) within the entry (without the level).

        A float where it is constant; (frames, 2) slices of a shared curve for
        short fades; (frames,) otherwise.
        """
        entry = self.entry
        fade_in_end = entry.start + entry.fade_in
        fade_out_start = entry.end - entry.fade_out
        if lo >= fade_in_end and hi <= fade_out_start:
            return 1.0
        if hi <= fade_in_end and entry.fade_in <= self._short_fade:
            return _stereo_fade(entry.fade_in, True)[lo - entry.start : hi - entry.start]
        if lo >= fade_out_start and entry.fade_out <= self._short_fade:
            return _stereo_fade(entry.fade_out, False)[lo - fade_out_start : hi - fade_out_start]
        return envelope(entry, lo, hi)

    def take(self, n: int) -> list[np.ndarray]:
        """The next n frames as pieces in order (fewer frames at the end of the sound).

        The pieces are valid until the next call: their memory is reused.
        """
        self._fill(n)
        pieces = []
        need = n
        while need and self._chunks:
            chunk = self._chunks[0]
            if len(chunk) <= need:
                pieces.append(self._chunks.popleft())
                need -= len(chunk)
            else:
                pieces.append(chunk[:need])
                self._chunks[0] = chunk[need:]
                need = 0
        self._have -= n - need
        self.frame += n
        return pieces

    def close(self) -> None:
        try:
            self.source.close()
        except Exception:
            pass
        if self._pool is not None:
            self._pool.extend(buffer for buffer in self._buffers if buffer is not None)
            self._pool.sort(key=len, reverse=True)
            del self._pool[4:]  # the largest few
        self._buffers = [None, None]
        self._chunks.clear()


class Mixer:
    def __init__(
        self,
        plan: Plan,
        opener: Opener,
        *,
        on_problem: Callable[[PlanEntry, str], None] | None = None,
        rescue: Callable[[int, int, PlanEntry], object] | None = None,
        peak: PeakOf | None = None,
    ) -> None:
        """``peak``: the highest sample magnitude an entry's source is known to
        hand out (measured on exactly the samples the mixer reads), or None where
        it is not known; blocks whose sum of peaks times gains stays under the
        limiter's threshold skip its scan (it would leave them untouched).
        """
        self.plan = plan
        self.opener = opener
        self._peak_of = peak
        self.on_problem = on_problem
        self._rescue_opener = rescue
        self.position = 0
        self._voices: dict[PlanEntry, Voice] = {}
        self._rescue: tuple[int, int, object] | None = None  # start, end, source
        self._scratch = np.empty((0, 2), dtype=np.float32)
        self._pool: list[np.ndarray] = []  # voices' buffers, for the next voices
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

    def active(self, a: int, b: int) -> list[PlanEntry]:
        lo = bisect.bisect_right(self._ends, a)
        hi = bisect.bisect_left(self._starts, b)
        return [entry for entry in self.plan.entries[lo:hi] if entry.start < b and entry.end > a]

    def _open(self, entry: PlanEntry, at: int) -> Voice:
        offset = entry.offset + (at - entry.start)
        try:
            source = self.opener(entry, offset)
        except Exception as error:  # vanished or unreadable since analysis
            self._report(entry, str(error) or "cannot be opened")
            source = _Empty()
        voice = Voice(entry, source, at, self.plan.rate, self._pool)
        peak = None
        if self._peak_of is not None:
            try:
                peak = self._peak_of(entry)
            except Exception:
                peak = None
        if peak is not None and math.isfinite(peak):
            voice.peak = peak * voice.level
        return voice

    def _report(self, entry: PlanEntry, problem: str) -> None:
        if self.on_problem is not None:
            try:
                self.on_problem(entry, problem)
            except Exception:
                pass

    def _start_rescue(self, at: int, entry: PlanEntry) -> None:
        if self._rescue is not None or self._rescue_opener is None:
            return
        later = [e for e in self.plan.entries if e.start >= entry.start and e is not entry and e.start >= at]
        until = later[0].start + later[0].fade_in if later else self.plan.session_frames
        until = max(until, at + 2 * round(RESCUE_FADE_SECONDS * self.plan.rate))
        try:
            source = self._rescue_opener(at, until, entry)
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

    def render(self, n: int, out: np.ndarray | None = None, borrow: bool = False) -> np.ndarray:
        """The next n frames of the mix; into ``out`` (n, 2) float32 when given.

        ``borrow``: where one decoded voice alone makes the block, it may be
        returned in the voice's own memory (scaled in place: no copy), valid
        until the next call, instead of in ``out``.
        """
        a = self.position
        b = a + n
        session = self.plan.session_frames
        if out is None:
            out = np.empty((n, 2), dtype=np.float32)
        if a >= session:
            self.position = b
            out.fill(0.0)
            return out
        if len(self._scratch) < n:
            self._scratch = np.empty((n, 2), dtype=np.float32)
        scratch = self._scratch
        zeroed = False
        bound = 0.0  # no sample of the block can exceed this
        active = self.active(a, b)
        if borrow and len(active) == 1 and self._rescue is None:
            borrowed = self._borrow(active[0], a, b)
            if borrowed is not None:
                out, bound = borrowed
                active = []
                zeroed = True
        # an entry that covers the whole block goes first: it writes the block without zeroing it
        for entry in sorted(active, key=lambda e: not (e.start <= a and e.end >= b)):
            lo, hi = max(a, entry.start), min(b, entry.end)
            voice = self._voices.get(entry)
            if voice is None or voice.frame != lo:
                if voice is not None:
                    voice.close()
                voice = self._voices[entry] = self._open(entry, lo)
            pieces = voice.take(hi - lo)
            bound += voice.peak * envelope_max(entry, lo, hi)
            if voice.failed:
                voice.failed = False
                self._report(entry, "ended early (damaged or missing file); the ambient bed covers the gap")
                self._start_rescue(lo, entry)
            # split where the envelope changes shape, so that each part has the
            # simplest gain: a number, or a slice of a shared fade curve
            fade_in_end, fade_out_start = entry.start + entry.fade_in, entry.end - entry.fade_out
            # the first sound, when it covers the block, writes it part by part: no zeroing first
            fresh = not zeroed and lo == a and hi == b
            own = voice._read_into is not None  # its pieces are its own memory, free to compute in
            if not zeroed and not fresh:
                out.fill(0.0)
            zeroed = True
            at = lo
            for piece in pieces:
                end = at + len(piece)
                if at < fade_in_end < end or at < fade_out_start < end:
                    edges = (fade_in_end, fade_out_start)
                    cuts = [at, *sorted(edge for edge in edges if at < edge < end), end]
                else:
                    cuts = (at, end)
                for c0, c1 in zip(cuts, cuts[1:]):
                    data = piece[c0 - at : c1 - at] if len(cuts) > 2 else piece
                    target = out if c0 == a and c1 == b else out[c0 - a : c1 - a]
                    mix_into(target, data, voice.gain(c0, c1), fresh, voice.level, data if own else scratch)
                at = end
            if fresh and at < b:  # the sound ended early: nothing after it
                out[at - a :].fill(0.0)
        if not zeroed:
            out.fill(0.0)
        if self._rescue is not None:
            self._mix_rescue(out, a, b)
            bound = math.inf
        ended = [e for e in self._voices if e.end <= b]
        for entry in ended:
            self._voices.pop(entry).close()
        if ended:
            _give_back_memory()
        m = master(self.plan, a, b)
        if isinstance(m, float):
            if m != 1.0:
                out *= np.float32(m)
        else:
            _stereo(out)[:] *= m
        self.position = b
        if bound * 1.001 <= LIMIT_THRESHOLD:  # proven: the limiter would leave every sample alone
            return out
        return soft_limit(out)

    def _borrow(self, entry: PlanEntry, a: int, b: int) -> tuple[np.ndarray, float] | None:
        """The block [a, b) in the voice's own buffer, scaled in place, and the bound of its
        samples: where the entry alone plays the whole block at a steady gain from a buffer
        the voice decoded into. None where the general path must mix it."""
        if not (entry.start + entry.fade_in <= a and b <= entry.end - entry.fade_out):
            return None
        voice = self._voices.get(entry)
        if voice is None or voice.frame != a or voice._read_into is None:
            return None
        voice._fill(b - a)
        if voice.failed or len(voice._chunks) != 1 or voice._have < b - a:
            return None  # ended early: the general path fades and reports it
        [block] = voice.take(b - a)
        if voice.level != 1.0:
            block *= np.float32(voice.level)
        return block, voice.peak

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


def _give_back_memory() -> None:
    """Hand the memory a closed voice freed back to the system (glibc keeps freed memory in its
    heap: each phase's score left megabytes behind, and the next one's came on top; the app's
    peak grew by 17 MB through an Experience). Rare (a voice ends every few minutes); a no-op
    elsewhere than glibc."""
    global _TRIM
    if _TRIM is None:
        try:
            import ctypes

            _TRIM = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM = None


class _Empty:
    error = None

    def read(self, frames: int) -> np.ndarray:
        return np.zeros((0, 2), dtype=np.float32)

    def close(self) -> None:
        pass
