"""The session player: the plan, the mixer and the device, with gentle controls.

Threads
- a *producer* renders the mix a little ahead (half a second to a second)
  into a queue, so decoding never happens inside the device callback; it
  wakes when less than half a second is left and renders half a second at
  once (each wake-up finds the caches cold: a block rendered alone every
  93 ms cost 1.7 times as much as the same blocks rendered in a row);
- the device's *audio thread* takes frames from the queue and applies the
  controls (volume, soften, pause, seek/skip ramps) sample by sample, so they
  react within one device period and always ramp: nothing abrupt;
- callbacks (on_position, on_track, on_notice, on_finished) are plain
  functions called from those threads; they must be quick, and whatever they
  raise is swallowed.

The session clock is the count of frames played (``position``); it stops
while paused and keeps going in real time on the NULL backend.
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from companion.audio.analysis import AnalysisCache
from companion.audio.cue import mark_cue
from companion.audio.mixer import Mixer
from companion.audio.output import Output
from companion.audio.scores import ScoreCache
from companion.audio.session import Session, build_session
from companion.core.plan import PlanEntry, Plan
from companion.core.playlist import Playlist

BLOCK = 4096
AHEAD_SECONDS = 1.0  # the producer tops the queue up to this much ...
REFILL_SECONDS = 0.5  # ... whenever less than this is left in it
CONTROL_RAMP = 0.3  # pause, resume, volume, seek, skip, stop
GENTLE_SKIP_SECONDS = 12.0  # "skip gently": the crossfade into the next track
STEER_STEP = 0.5  # one press of deeper or lighter
STEER_MARGIN = 1.0  # seconds past what is already mixed (and read ahead): a change never rewrites sound already made
SOFTEN_RAMP = 2.5
SOFTEN_DB = -8.0
RESTART_FADE = 4.0  # fading in after a resume-from-restart
DEFAULT_VOLUME = 0.7
TONE_LUFS = -23.0


def volume_gain(volume: float) -> float:
    """Amplitude for a volume setting: a square law, closer to how loudness is heard."""
    volume = min(1.0, max(0.0, volume))
    return volume * volume


@dataclass(frozen=True)
class TrackInfo:
    title: str
    phase: str | None
    index: int  # position in the playlist; -1 for the ambient bed
    start: float  # seconds into the session
    end: float
    is_bed: bool = False


class _Ramp:
    """A gain that moves linearly to its target over a given time."""

    def __init__(self, value: float, rate: int) -> None:
        self.value = value
        self.target = value
        self.step = 1.0
        self.rate = rate

    def to(self, target: float, seconds: float) -> None:
        self.target = target
        frames = max(1.0, seconds * self.rate)
        self.step = max(abs(target - self.value) / frames, 1e-9)

    def jump(self, value: float) -> None:
        self.value = self.target = value

    @property
    def moving(self) -> bool:
        return self.value != self.target

    def apply(self, n: int) -> np.ndarray | float:
        if self.value == self.target:
            return self.value
        direction = 1.0 if self.target > self.value else -1.0
        ramp = self.value + direction * self.step * np.arange(1, n + 1)
        if direction > 0:
            np.minimum(ramp, self.target, out=ramp)
        else:
            np.maximum(ramp, self.target, out=ramp)
        self.value = float(ramp[-1])
        if abs(self.value - self.target) < 1e-9:
            self.value = self.target
        return ramp


def _safe(callback, *args) -> None:
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        pass


class Player:
    def __init__(
        self,
        *,
        backend: str = "auto",
        sample_rate: int = 44100,
        cache_path: Path | None = None,
        scores_path: Path | None = None,
        on_position: Callable[[float], None] | None = None,
        on_track: Callable[["TrackInfo | None"], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> None:
        self.rate = int(sample_rate)
        self.backend = backend if backend in ("auto", "null") else "auto"
        self.on_position = on_position
        self.on_track = on_track
        self.on_notice = on_notice
        self.on_finished = on_finished
        self._cache_path = cache_path
        self._cache: AnalysisCache | None = None
        self._scores = ScoreCache(scores_path) if scores_path is not None else None
        self._session: Session | None = None
        self._plan: Plan | None = None
        self._mixer: Mixer | None = None
        self._mix_lock = threading.RLock()
        self._queue: collections.deque = collections.deque()  # (generation, start frame, block)
        self._queued = 0
        self._refill = int(REFILL_SECONDS * self.rate)
        self._cond = threading.Condition()
        self._generation = 0
        self._request: tuple | None = None  # for the producer: ("seek", frame) | ("skip", frame)
        self._producer: threading.Thread | None = None
        self._closing = False
        self._output: Output | None = None
        # controls (touched by the audio thread)
        self._volume = DEFAULT_VOLUME
        self._softened = False
        self._paused = False
        self._running = False  # a session is started
        self._finished = False
        self._played = 0  # session frame of the next frame to play
        self._level = _Ramp(volume_gain(self._volume), self.rate)
        self._run = _Ramp(1.0, self.rate)
        self._pending: tuple | None = None  # waits for the run ramp to reach 0
        self._after_pending = 1.0
        self._stopped = threading.Event()
        self._reported = -1
        self._track_key: tuple | None = None
        self._current: TrackInfo | None = None
        self._tone: tuple[np.ndarray, int] | None = None
        self._cue: tuple[np.ndarray, int] | None = None  # the marked-moment tone
        self._clip: "_Clip | None" = None  # a voice note played back
        self._cap = 1.0

    # -- properties ---------------------------------------------------------

    @property
    def duration(self) -> float:
        return self._plan.duration if self._plan is not None else 0.0

    @property
    def position(self) -> float:
        return self._played / self.rate

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def softened(self) -> bool:
        return self._softened

    @property
    def backend_name(self) -> str:
        return self._output.name if self._output is not None else "none"

    @property
    def using_null(self) -> bool:
        return self._output.using_null if self._output is not None else self.backend == "null"

    @property
    def current(self) -> TrackInfo | None:
        return self._current

    @property
    def phase(self) -> str | None:
        return self._current.phase if self._current is not None else None

    @property
    def plan(self) -> Plan | None:
        return self._plan

    @property
    def finished(self) -> bool:
        return self._finished

    # -- loading ------------------------------------------------------------

    def _analysis_cache(self) -> AnalysisCache:
        if self._cache is None:
            self._cache = AnalysisCache(self._cache_path)
        return self._cache

    def load(self, playlist: Playlist) -> list[str]:
        """Analyse (cached) and plan the playlist; returns the problems as human lines."""
        session = build_session(playlist, self.rate, self._analysis_cache(), scores=self._scores)
        with self._mix_lock:
            if self._mixer is not None:
                self._mixer.close()
            self._session = session
            self._plan = session.plan
            self._cap = playlist.volume_cap
            self._mixer = Mixer(
                session.plan,
                session.open,
                on_problem=self._on_mix_problem,
                rescue=session.rescue,
                peak=session.peak,
            )
        self._volume = min(self._volume, self._cap)
        self._level.jump(self._level_target())
        self._played = 0
        self._finished = False
        self._current = self._info_at(0)
        return session.problems

    def _on_mix_problem(self, entry: PlanEntry, problem: str) -> None:
        _safe(self.on_notice, f"{entry.title}: {problem}")

    # -- the producer -------------------------------------------------------

    def _ensure_producer(self) -> None:
        if self._producer is None or not self._producer.is_alive():
            self._closing = False
            self._producer = threading.Thread(target=self._produce, name="companion-audio-mix", daemon=True)
            self._producer.start()

    def _produce(self) -> None:
        ahead = int(AHEAD_SECONDS * self.rate)
        target = ahead  # render while less than this is queued
        while True:
            with self._cond:
                while not self._closing and self._request is None and (
                    self._queued >= target or self._mixer is None or self._mixer.finished or not self._running
                ):
                    target = self._refill  # full: sleep until it runs low, then fill it up at once
                    self._cond.wait(0.5)
                target = ahead
                if self._closing:
                    return
                request, self._request = self._request, None
                generation = self._generation
            try:
                with self._mix_lock:
                    mixer = self._mixer
                    if mixer is None:
                        continue
                    if request is not None:
                        kind, frame = request
                        if kind == "gentle" and self._plan is not None:
                            # from what is mixed next: what is queued plays on, nothing jumps
                            self._plan = self._plan.skip_gently(mixer.position, round(GENTLE_SKIP_SECONDS * self.rate))
                            mixer.set_plan(self._plan)
                        else:
                            if kind == "skip" and self._plan is not None:
                                self._plan = self._plan.skip(frame)
                                mixer.set_plan(self._plan)
                            mixer.seek(frame)
                    if mixer.finished:
                        continue
                    start = mixer.position
                    block = mixer.render(min(BLOCK, mixer.plan.session_frames - start))
            except Exception as error:  # never let the music thread die
                _safe(self.on_notice, f"Audio problem: {error}")
                block = None
            if block is None:
                continue
            with self._cond:
                if generation == self._generation:
                    self._queue.append((generation, start, block))
                    self._queued += len(block)

    def _request_seek(self, kind: str, frame: int) -> None:
        with self._cond:
            self._generation += 1
            self._queue.clear()
            self._queued = 0
            self._request = (kind, frame)
            self._played = frame
            self._cond.notify_all()

    # -- the audio thread -----------------------------------------------------

    def _take(self, n: int) -> tuple[np.ndarray, int]:
        """Up to n frames of the current generation from the queue."""
        parts = []
        got = 0
        with self._cond:
            while got < n and self._queue:
                generation, start, block = self._queue[0]
                if generation != self._generation:
                    self._queue.popleft()
                    self._queued -= len(block)
                    continue
                need = n - got
                if len(block) <= need:
                    self._queue.popleft()
                    parts.append(block)
                    got += len(block)
                    self._queued -= len(block)
                else:
                    parts.append(block[:need])
                    self._queue[0] = (generation, start + need, block[need:])
                    self._queued -= need
                    got += need
            if self._queued < self._refill:
                self._cond.notify_all()
        if not parts:
            return np.zeros((0, 2), dtype=np.float32), 0
        return (parts[0] if len(parts) == 1 else np.concatenate(parts)), got

    @property
    def session(self) -> Session | None:
        """The loaded session: its playlist, its plan, its bed, its steering."""
        return self._session

    @property
    def output(self) -> "Output | None":
        """The output the music plays through, once opened."""
        return self._output

    @property
    def cue_playing(self) -> bool:
        """A marked moment's tone is sounding."""
        return self._cue is not None

    @property
    def tone_playing(self) -> bool:
        """The Preparation's test tone is sounding."""
        return self._tone is not None

    @property
    def faded_out(self) -> bool:
        """The music's own gain is at zero (paused or stopped, its fade done)."""
        return self._run.value == 0.0

    def pull(self, frames: int) -> np.ndarray:
        """The next ``frames`` stereo frames, as the device takes them (the
        output's callback; tests and offline listening call it directly)."""
        return self._fill(frames)

    def _fill(self, n: int) -> np.ndarray:
        out = np.zeros((n, 2), dtype=np.float32)
        if self._running and not self._finished:
            self._fill_session(out, n)
        if self._tone is not None:
            self._tone = _add_one_shot(out, n, self._tone)
        if self._cue is not None:
            self._cue = _add_one_shot(out, n, self._cue)
        clip = self._clip
        if clip is not None:
            out += clip.read(n)[:, None]
            if clip.done:
                self._clip = None
        return out

    def play_clip(self, mono: np.ndarray, rate: int) -> None:
        """Play a recording once (a voice note) through the same output as the
        music, at the volume chosen; resampled as it plays, so a long one never
        sits in memory at the output's rate. Replaces a clip already playing."""
        self._clip = _Clip(mono, int(rate), self.rate, self._level_target())
        self._ensure_output()

    def stop_clip(self) -> None:
        self._clip = None

    @property
    def clip_playing(self) -> bool:
        """A recording played with ``play_clip`` is sounding (or paused)."""
        return self._clip is not None

    def pause_clip(self, paused: bool) -> None:
        """Pause the recording played back, or go on from where it paused."""
        clip = self._clip
        if clip is not None:
            clip.pause(paused)

    @property
    def clip_paused(self) -> bool:
        clip = self._clip
        return clip is not None and clip.paused

    def seek_clip(self, seconds: float) -> None:
        """Move the recording played back to ``seconds`` into it (held within it)."""
        clip = self._clip
        if clip is not None:
            clip.seek(seconds)

    @property
    def clip_position(self) -> float:
        """Seconds into the recording played back (0 when none plays)."""
        clip = self._clip
        return clip.position if clip is not None else 0.0

    @property
    def clip_length(self) -> float:
        clip = self._clip
        return clip.length if clip is not None else 0.0

    def _fill_session(self, out: np.ndarray, n: int) -> None:
        if self._pending is not None and self._run.value == 0.0:
            self._do_pending()
            return
        if self._paused and self._run.value == 0.0 and not self._run.moving:
            return  # paused: silence, and the clock stands still
        session_frames = self._plan.session_frames if self._plan is not None else 0
        n_take = min(n, max(0, session_frames - self._played))
        data, got = self._take(n_take)
        if got:
            run = self._run.apply(got)
            level = self._level.apply(got)
            gain = run * level
            if isinstance(gain, float):
                out[:got] = data * np.float32(gain)
            else:
                out[:got] = data * gain[:, None].astype(np.float32)
            self._played += got
        self._report()
        if self._played >= session_frames and session_frames:
            self._finished = True
            _safe(self.on_position, self.position)
            _safe(self.on_finished)

    def _do_pending(self) -> None:
        pending, self._pending = self._pending, None
        kind = pending[0]
        if kind == "stop":
            self._stopped.set()
            return
        frame = pending[1] if kind == "seek" else self._played
        self._request_seek(kind, frame)
        self._finished = False
        if not self._paused:
            self._run.to(1.0, CONTROL_RAMP)
        self._report(force=True)

    def _report(self, force: bool = False) -> None:
        quarter = self.rate // 4
        if force or self._reported < 0 or abs(self._played - self._reported) >= quarter:
            self._reported = self._played
            _safe(self.on_position, self.position)
            info = self._info_at(self._played)
            key = None if info is None else (info.index, info.start)
            if key != self._track_key:
                self._track_key = key
                self._current = info
                _safe(self.on_track, info)

    def _info_at(self, frame: int) -> TrackInfo | None:
        plan = self._plan
        if plan is None:
            return None
        entry = plan.audible_at(min(frame, plan.session_frames - 1))
        if entry is None:
            return None
        return TrackInfo(
            title=entry.title,
            phase=entry.phase,
            index=entry.index,
            start=entry.start / plan.rate,
            end=entry.end / plan.rate,
            is_bed=entry.is_bed,
        )

    # -- controls -----------------------------------------------------------

    def _level_target(self) -> float:
        gain = volume_gain(min(self._volume, self._cap))
        if self._softened:
            gain *= 10.0 ** (SOFTEN_DB / 20.0)
        return gain

    def _ensure_output(self) -> None:
        if self._output is None:
            # Whoever listens when the output speaks, not whoever listened when it opened.
            self._output = Output(self._fill, self.rate, self.backend, lambda line: _safe(self.on_notice, line))
        if not self._output.is_open:
            self._output.open()

    def start(self, position: float = 0.0) -> None:
        """Open the device and play from ``position`` seconds (fading in)."""
        if self._plan is None:
            raise RuntimeError("load a playlist first")
        frame = max(0, min(round(position * self.rate), self._plan.session_frames))
        self._running = False
        self._paused = False
        self._pending = None
        self._finished = False
        self._stopped.clear()
        self._reported = -1
        self._track_key = None
        if frame > 0:
            self._run.jump(0.0)
            self._run.to(1.0, RESTART_FADE)
        else:
            self._run.jump(1.0)  # the plan's own fade-in starts the session
        self._running = True
        self._ensure_producer()
        self._request_seek("seek", frame)
        self._ensure_output()

    def pause(self) -> None:
        if not self._running or self._paused:
            return
        self._paused = True
        self._run.to(0.0, CONTROL_RAMP)

    def resume(self) -> None:
        if not self._running or not self._paused:
            return
        self._paused = False
        if self._pending is None:
            self._run.to(1.0, CONTROL_RAMP)

    def toggle_pause(self) -> bool:
        if self._paused:
            self.resume()
        else:
            self.pause()
        return self._paused

    def set_volume(self, volume: float) -> None:
        self._volume = min(max(0.0, float(volume)), self._cap)
        self._level.to(self._level_target(), CONTROL_RAMP)

    def soften(self) -> bool:
        self._softened = not self._softened
        self._level.to(self._level_target(), SOFTEN_RAMP)
        return self._softened

    def seek(self, seconds: float) -> None:
        if self._plan is None:
            return
        frame = max(0, min(round(seconds * self.rate), self._plan.session_frames))
        if not self._running:
            self._played = frame
            return
        if self._paused:
            self._request_seek("seek", frame)
            self._finished = False
            self._report(force=True)
            return
        self._pending = ("seek", frame)
        self._run.to(0.0, CONTROL_RAMP)

    def skip(self) -> None:
        if self._plan is None or not self._running or self._finished:
            return
        if self._paused:
            self._request_seek("skip", self._played)
            self._report(force=True)
            return
        self._pending = ("skip",)
        self._run.to(0.0, CONTROL_RAMP)

    def can_skip_gently(self) -> bool:
        """A file plays (not the ambient bed or a generated track) and has a next one to go to."""
        plan, session = self._plan, self._session
        if plan is None or session is None or not self._running or self._finished:
            return False
        entry = plan.audible_at(self._played)
        if entry is None or entry.is_bed:
            return False
        ref = session.ref_for(entry)
        return ref.track is not None and not ref.track.is_generated

    def skip_gently(self) -> bool:
        """Crossfade over GENTLE_SKIP_SECONDS into the next track; False when there is nothing to skip."""
        if not self.can_skip_gently():
            return False
        with self._cond:
            self._request = ("gentle", self._played)
            self._cond.notify_all()
        return True

    @property
    def steering_level(self) -> float:
        return self._session.steering.level if self._session is not None else 0.0

    @property
    def steerable(self) -> bool:
        """Some of the session's sound is generated (deeper and lighter act on it)."""
        session = self._session
        if session is None:
            return False
        generated = any(ref.track is not None and ref.track.is_generated for ref in session.refs)
        return generated or session.playlist.bed == "ambient"

    def steer(self, direction: int, at: float | None = None) -> float | None:
        """Deeper (-1) or lighter (+1) by one step, ramped over tens of seconds; the session
        second it starts, or None when the level is at its limit. ``at`` replays a change
        made before a restart. Applies to every generated sound of the session."""
        session = self._session
        if session is None:
            return None
        level = max(-1.0, min(1.0, session.steering.level + STEER_STEP * direction))
        if level == session.steering.level:
            return None
        if at is None:
            with self._mix_lock:
                mixed = self._mixer.position if self._mixer is not None else self._played
            at = round(max(mixed, self._played) / self.rate + STEER_MARGIN, 3)
        session.steering.add(at, level)
        return at

    def stop(self) -> None:
        """Fade out briefly, then close the device; idempotent."""
        output = self._output
        if self._running and output is not None and output.is_open and not self._paused and not self._finished:
            self._pending = ("stop",)
            self._run.to(0.0, CONTROL_RAMP)
            self._stopped.wait(CONTROL_RAMP + 0.7)
        self._running = False
        self._pending = None
        if output is not None and self._tone is None:
            output.close()
        elif output is not None:
            output.close()
            self._tone = None
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        producer, self._producer = self._producer, None
        if producer is not None and producer is not threading.current_thread():
            producer.join(timeout=2.0)

    def test_tone(self, volume: float, seconds: float = 3.0) -> None:
        """A soft chord with gentle fades at that volume, through the device; returns at once."""
        seconds = max(0.5, min(float(seconds), 30.0))
        n = int(seconds * self.rate)
        t = np.arange(n) / self.rate
        tone = (
            0.55 * np.sin(2 * np.pi * 220.0 * t)
            + 0.30 * np.sin(2 * np.pi * 329.63 * t + 0.4)
            + 0.12 * np.sin(2 * np.pi * 440.0 * t + 1.1)
        )
        tone *= 1.0 + 0.04 * np.sin(2 * np.pi * 0.7 * t)
        fade = min(int(0.6 * self.rate), n // 2)
        shape = np.ones(n)
        shape[:fade] = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        shape[n - fade :] = shape[:fade][::-1]
        tone *= shape
        # about TONE_LUFS at full volume: the level of the session's music
        tone *= 10.0 ** ((TONE_LUFS + 3.0 + 0.7) / 20.0) / 0.67 * volume_gain(min(volume, self._cap))
        stereo = np.repeat(tone.astype(np.float32)[:, None], 2, axis=1)
        self._tone = (stereo, 0)
        self._ensure_output()

    def cue(self) -> None:
        """The confirmation of a marked moment: a soft slow-attack tone mixed
        under the music at the music's own level (see audio/cue.py)."""
        self._cue = (mark_cue(self.rate, self._level_target()), 0)

    def close(self) -> None:
        """Stop and release everything; idempotent and safe at interpreter exit."""
        try:
            self.stop()
        except Exception:
            pass
        with self._mix_lock:
            if self._mixer is not None:
                try:
                    self._mixer.close()
                except Exception:
                    pass
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def __del__(self) -> None:  # pragma: no cover - best effort at exit
        try:
            if self._output is not None and self._output.is_open:
                self._output.close()
        except Exception:
            pass


def render_session(
    session: Session,
    write: Callable[[np.ndarray], None],
    *,
    block: int = 65536,
    frames: int | None = None,
    on_notice: Callable[[str], None] | None = None,
    reuse: bool = False,
) -> int:
    """Render a whole session through the same mixer, as fast as possible; returns frames written.

    ``reuse``: hand every block to ``write`` in memory used again for later
    blocks (one array, or a voice's own buffer: faster); ``write`` may change
    it but must use it before returning and not keep it.
    """
    plan = session.plan
    mixer = Mixer(
        plan,
        session.open,
        on_problem=lambda entry, problem: _safe(on_notice, f"{entry.title}: {problem}"),
        rescue=session.rescue,
        peak=session.peak,
    )
    total = plan.session_frames if frames is None else min(frames, plan.session_frames)
    done = 0
    buffer = np.empty((block, 2), dtype=np.float32) if reuse else None
    try:
        while done < total:
            n = min(block, total - done)
            write(mixer.render(n, buffer[:n], borrow=True) if buffer is not None else mixer.render(n))
            done += n
    finally:
        mixer.close()
    return done


class _Clip:
    """A mono recording at its own rate, read at the output's rate a block at a
    time; it can pause and seek. A seek starts the resampler afresh at the new
    place (nothing is resampled ahead), and sound comes back from a seek or a
    pause with a fade of a few milliseconds, and stops for a pause with one, so
    nothing clicks."""

    CHUNK = 8192
    FADE_SECONDS = 0.01

    def __init__(self, mono: np.ndarray, rate_in: int, rate_out: int, gain: float) -> None:
        self._source = np.ascontiguousarray(np.asarray(mono, dtype=np.float32).reshape(-1))
        self._rate_in = int(rate_in)
        self._rate_out = int(rate_out)
        self._gain = float(gain)
        self._fade = max(1, round(self.FADE_SECONDS * self._rate_out))
        self._lock = threading.Lock()
        self._paused = False
        self._pausing = False  # the fade out before the pause is still to play
        self._fade_in = False
        self.done = False
        self._restart(0)

    def _restart(self, frame: int) -> None:
        import soxr

        self._at = frame  # the next source frame to resample
        self._base = frame / self._rate_in  # the source time the output counted below starts at
        self._out = 0  # output frames played since then
        self._stream = soxr.ResampleStream(self._rate_in, self._rate_out, 1, dtype="float32", quality="HQ")
        self._pending = np.zeros(0, dtype=np.float32)
        self._ended = False

    @property
    def length(self) -> float:
        return len(self._source) / self._rate_in

    @property
    def position(self) -> float:
        """Seconds into the recording of the next sound played."""
        return min(self.length, self._base + self._out / self._rate_out)

    @property
    def paused(self) -> bool:
        return self._paused or self._pausing

    def pause(self, paused: bool) -> None:
        with self._lock:
            if paused and not self.paused:
                self._pausing = True
            elif not paused and self.paused:
                self._paused = self._pausing = False
                self._fade_in = True

    def seek(self, seconds: float) -> None:
        """To ``seconds`` into the recording (held within it)."""
        with self._lock:
            frame = round(min(max(0.0, seconds), self.length) * self._rate_in)
            self._restart(min(frame, len(self._source)))
            self.done = False
            self._fade_in = True

    def _take(self, n: int) -> np.ndarray:
        parts, have = [self._pending], len(self._pending)
        while have < n and not self._ended:
            chunk = self._source[self._at : self._at + self.CHUNK]
            self._at += len(chunk)
            last = self._at >= len(self._source)
            out = self._stream.resample_chunk(chunk, last=last)
            self._ended = last
            parts.append(out)
            have += len(out)
        data = np.concatenate(parts) if len(parts) > 1 else parts[0]
        block, self._pending = data[:n], data[n:]
        self._out += len(block)
        return block

    def read(self, n: int) -> np.ndarray:
        silent = np.zeros(n, dtype=np.float32)
        with self._lock:
            if self._paused:
                return silent
            if self._pausing:  # a short fade down, then silence until resumed
                block = self._take(min(n, self._fade))
                silent[: len(block)] = block * np.linspace(1.0, 0.0, len(block), dtype=np.float32)
                self._pausing, self._paused = False, True
                return silent * self._gain
            block = self._take(n)
            if self._fade_in and len(block):
                m = min(len(block), self._fade)
                block = block.copy()
                block[:m] *= np.linspace(0.0, 1.0, m, dtype=np.float32)
                self._fade_in = False
            if self._ended and not len(self._pending):
                self.done = True
            silent[: len(block)] = block
            return silent * self._gain


def _add_one_shot(out: np.ndarray, n: int,
                  shot: tuple[np.ndarray, int]) -> tuple[np.ndarray, int] | None:
    """Mix the next ``n`` frames of a sound played once (the test tone, the
    marked-moment cue) into ``out``; what is left of it, or None when done."""
    samples, at = shot
    chunk = samples[at : at + n]
    out[: len(chunk)] += chunk
    return None if at + n >= len(samples) else (samples, at + n)
