"""The generated score rendered ahead, between infusions, and played like a recording.

Synthesising the score live costs several times what decoding a recording
does (issue 18: the Experience should be as light on the computer as a
player playing an MP3). Every sample of a generated track is a function of
(mood, seed, rate, frame) until the patient steers it, so it can be made
before it is needed and kept: between infusions a low-priority process renders
each generated track the next Experience will play into an MP3 file (Ogg
Vorbis where libsndfile cannot write MP3) in the cache folder, and the
Experience decodes it.

- Nothing waits for it: a track with no finished file is synthesised live, as
  before, and the renderer stops when an Experience begins (it never competes
  with the music).
- Steering (deeper / lighter) changes the sound from its moment on: the track
  then hands over to live synthesis at the frame it has reached, with a short
  crossfade between two signals that are the same music at the same place.
  Steered back to the middle, once nothing of the steering is left (its ramp
  and 30 s more), it goes back to the file the same way. A file that ends or
  fails before the track does hands over to live synthesis for good.
- A file is written under a temporary name, a digest of its bytes beside it,
  and renamed when whole: a killed renderer leaves no file that looks
  finished, and a file damaged or cut short since (its bytes no longer match)
  is not played: the track is made live. A full disk leaves the track to be
  made live. The file name carries the synthesis fingerprint
  (``generator_key``), so a changed score is never played from an old render.
- Only the scores the next Experience plays are kept, and the one the patient
  knows (about 75 MB for the default's 85 minutes); the renderer removes others.

The renderer is ``python -m companion.audio.scores``, started by the app with
the lowest CPU priority; it stops on its own when the app that started it is
gone. Rendering the default takes a few minutes of one core, once for the
music the patient knows, and once per infusion for a new variation.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from companion.audio import sources
from companion.audio.ambient import STEER_RAMP, AmbientSource, Steering, generator_key

# The encodings tried in order (libsndfile's name, subtype, suffix). MP3 (LAME, variable bit rate) first:
# miniaudio decodes it in half the time of Vorbis (0.067 against 0.119 % of a core at 44.1 kHz), it
# keeps the waveform closer (49 dB against 27 dB signal to error on the score) and it is exactly
# aligned (LAME's gapless header); it costs more to encode (40 against 135 times real time). Vorbis
# where the libsndfile at hand cannot write MP3.
ENCODINGS = (("MP3", "MPEG_LAYER_III", ".mp3"), ("OGG", "VORBIS", ".ogg"))
PART = ".part"
SUM = ".sum"  # beside each render: a digest of its bytes, written before the render is named
QUALITY = 0.4  # libsndfile's compression level (0 best .. 1 smallest): about 120 kbit/s for the score
WRITE_FRAMES = 8192  # frames handed to the encoder at once (libsndfile 1.2's Vorbis encoder crashes on large writes)
MARGIN_SECONDS = 2.0  # rendered past a track's planned end (its last crossfade, rounding)
HANDOVER_SECONDS = 0.5  # crossfade from the file to live synthesis and back
SETTLED_SECONDS = 30.0  # after steering has ramped back to the middle, until the synthesis is the render's again
LOCK_NAME = ".render.lock"
_NAME = re.compile(r"^score-[0-9a-f]{10}-[a-z]+-\d+-\d+\.(mp3|ogg)(\.part|\.sum)?$")


@dataclass(frozen=True)
class Score:
    """One generated track to render: its mood, seed, rate and length in frames."""

    mood: str
    seed: int
    rate: int
    frames: int

    @property
    def stem(self) -> str:
        _, _, fingerprint, mood, seed = generator_key(self.mood, self.seed).split(":")
        return f"score-{fingerprint}-{mood}-{seed}-{self.rate}"

    def names(self) -> list[str]:
        """Its file's name in each encoding."""
        return [self.stem + suffix for _, _, suffix in ENCODINGS]

    def argument(self) -> str:
        return f"{self.mood}:{self.seed}:{self.rate}:{self.frames}"

    @classmethod
    def parse(cls, argument: str) -> "Score":
        mood, seed, rate, frames = argument.split(":")
        return cls(mood, int(seed), int(rate), int(frames))


def scores_of(playlist, rate: int) -> list[Score]:
    """The generated tracks of a playlist, as the Experience would play them at ``rate``."""
    from companion.audio.session import _mood_for  # the same mood the session will give each track

    wanted: dict[str, Score] = {}
    for phase, track in playlist.tracks():
        if not track.is_generated or not track.length:
            continue
        score = Score(_mood_for(phase, track), int(track.seed), int(rate),
                      round((track.length + MARGIN_SECONDS) * rate))
        known = wanted.get(score.stem)
        if known is None or known.frames < score.frames:
            wanted[score.stem] = score
    return list(wanted.values())


class ScoreCache:
    """The folder of rendered scores."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._checked: dict[Path, tuple[tuple[int, int], int]] = {}  # path -> ((mtime, size), frames)

    def ready(self, mood: str, seed: int, rate: int, frames: int) -> Path | None:
        """The finished file of a score at least ``frames`` long, or None. A file's digest
        is checked once (again only if its time or size changes)."""
        for name in Score(mood, seed, rate, frames).names():
            path = self.folder / name
            try:
                stat = path.stat()
            except OSError:
                continue
            stamp = (stat.st_mtime_ns, stat.st_size)
            known = self._checked.get(path)
            if known is None or known[0] != stamp:
                known = self._checked[path] = (stamp, _length(path, rate))
            if known[1] >= frames:
                return path
        return None

    def missing(self, scores: list[Score]) -> list[Score]:
        return [score for score in scores if self.ready(score.mood, score.seed, score.rate, score.frames) is None]

    def prune(self, keep: list[Score]) -> None:
        """Remove rendered scores (and leftovers of killed renders) not in ``keep``."""
        names = {name for score in keep for name in score.names()}
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for path in entries:
            if _NAME.match(path.name) and path.name not in names:
                try:
                    path.unlink()
                except OSError:
                    pass


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _length(path: Path, rate: int) -> int:
    """The frames of a finished render at ``rate``; 0 for one cut short, damaged, or at another
    rate. Its bytes are checked against the digest written beside it (an MP3 decoder plays
    damaged bytes as noise, and counts the frames its header promises): about 0.1 s for the
    default's renders."""
    try:
        if (path.with_name(path.name + SUM)).read_text(encoding="ascii").strip() != _digest(path):
            return 0
        length, file_rate, _ = sources.file_info(path)
    except (OSError, ValueError, sources.SourceError):
        return 0
    return length if file_rate == rate else 0


def finished(folder: Path) -> list[Path]:
    """The finished renders in a folder (whole or not: their digests are read when played)."""
    try:
        return sorted(path for path in Path(folder).iterdir()
                      if _NAME.match(path.name) and path.suffix in (".mp3", ".ogg"))
    except OSError:
        return []


# -- playing -------------------------------------------------------------------


def unsteered(steering: Steering, t: float) -> bool:
    """Whether the synthesis at session second ``t`` is what a render holds: never steered,
    or steered back to the middle long enough ago that nothing of it is left (its ramp,
    then SETTLED_SECONDS: the level's window of about +-24 s and the reverb's tail)."""
    changes = steering.changes
    if not changes:
        return True
    at, level = changes[-1]
    return level == 0.0 and t >= at + STEER_RAMP + SETTLED_SECONDS


class RenderedScore:
    """A generated track played from its rendered file, handing over to live synthesis
    (``live(frame)``: an AmbientSource at that frame, ``offset`` its session second 0)
    once the patient steers, and back when the steering has come back to the middle and
    settled; or for good if the file ends or fails before the track does. Never ends,
    like the synthesis."""

    channels = 2

    def __init__(self, path: Path, rate: int, start: int, steering: Steering,
                 live: Callable[[int], AmbientSource], offset: float = 0.0) -> None:
        self.path = Path(path)
        self.rate = int(rate)
        self.frame = int(start)
        self.offset = float(offset)
        self.steering = steering
        self._live_factory = live
        self._file: sources.MiniaudioSource | None = sources.MiniaudioSource(self.path, self.rate, self.frame)
        self._live: AmbientSource | None = None
        self._file_failed = False  # the file ended or failed: live for good
        self._tail = np.empty((0, 2), dtype=np.float32)  # the last source's next frames, crossfaded out
        self._fade_left = 0
        self.error: str | None = None

    @property
    def live(self) -> bool:
        """Whether the track is synthesised now (after a handover)."""
        return self._live is not None

    def seek(self, frame: int) -> None:
        self.frame = max(0, int(frame))
        self._fade_left = 0
        if self._live is not None:
            self._live.seek(self.frame)
            return
        self._close_file()
        try:
            self._file = sources.MiniaudioSource(self.path, self.rate, self.frame)
        except sources.SourceError:
            self._file_failed = True
            self._live = self._live_factory(self.frame)

    def close(self) -> None:
        self._close_file()

    def read(self, frames: int) -> np.ndarray:
        out = np.empty((frames, 2), dtype=np.float32)
        self.read_into(out)
        return out

    def read_into(self, out: np.ndarray) -> int:
        frames = len(out)
        settled = unsteered(self.steering, self.frame / self.rate + self.offset)
        if self._live is not None and settled and not self._file_failed and not self._fade_left:
            self._hand_back(out)
        elif self._live is not None:
            self._live.read_into(out)
            if self._fade_left:
                self._fade(out)
        elif not settled:
            self._hand_over(out, self.frame, blend=True)
        else:
            assert self._file is not None
            got = self._file.read_into(out)
            if self._fade_left:
                self._fade(out)
            if got < frames:  # the file ended or failed early: live from where it stopped, for good
                self._file_failed = True
                self._fade_left = 0
                self._hand_over(out[got:], self.frame + got, blend=False)
        self.frame += frames
        return frames

    def _hand_over(self, out: np.ndarray, at: int, blend: bool) -> None:
        """Live synthesis from frame ``at`` into ``out``; with ``blend``, the file's next
        HANDOVER_SECONDS are crossfaded into it."""
        self._live = self._live_factory(at)
        self._live.read_into(out)
        if blend and self._file is not None:
            tail = np.empty((round(HANDOVER_SECONDS * self.rate), 2), dtype=np.float32)
            got = self._file.read_into(tail)
            self._tail, self._fade_left = tail[:got], got
            self._fade(out)
        self._close_file()

    def _hand_back(self, out: np.ndarray) -> None:
        """Back to the file at this frame, the synthesis's next HANDOVER_SECONDS crossfaded
        into it (the steering has left nothing: the two are the same music again)."""
        assert self._live is not None
        try:
            self._file = sources.MiniaudioSource(self.path, self.rate, self.frame)
        except sources.SourceError:  # gone since: stay live
            self._file_failed = True
            self._live.read_into(out)
            return
        tail = np.empty((round(HANDOVER_SECONDS * self.rate), 2), dtype=np.float32)
        self._live.read_into(tail)
        self._live = None
        self._tail, self._fade_left = tail, len(tail)
        got = self._file.read_into(out)
        if got < len(out):
            self._file_failed = True
            self._fade_left = 0
            self._hand_over(out[got:], self.frame + got, blend=False)
            return
        self._fade(out)

    def _fade(self, out: np.ndarray) -> None:
        """Blend the rest of the last source's tail into the start of ``out``: a linear
        crossfade (the two are the same music at the same place, in phase: the sum holds)."""
        total = len(self._tail)
        done = total - self._fade_left
        n = min(self._fade_left, len(out))
        x = (np.arange(done, done + n, dtype=np.float32) + np.float32(0.5)) / np.float32(total)
        out[:n] = out[:n] * x[:, None] + self._tail[done : done + n] * (np.float32(1.0) - x)[:, None]
        self._fade_left -= n
        if not self._fade_left:
            self._tail = np.empty((0, 2), dtype=np.float32)

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None


# -- rendering -------------------------------------------------------------------


def encoding() -> tuple[str, str, str]:
    """The first of ENCODINGS the libsndfile at hand can write."""
    import soundfile

    for format, subtype, suffix in ENCODINGS:
        if format in soundfile.available_formats() and subtype in soundfile.available_subtypes(format):
            return format, subtype, suffix
    return ENCODINGS[-1]


def render(folder: Path, score: Score, keep_going: Callable[[], bool] = lambda: True) -> Path | None:
    """Render one score into ``folder`` (through a temporary file): its path, or None if
    stopped or the disk refused (nothing is left behind then)."""
    import soundfile

    format, subtype, suffix = encoding()
    path = folder / (score.stem + suffix)
    part = path.with_name(path.name + PART)
    source = AmbientSource(score.rate, score.mood, score.seed, start=0)
    block = np.empty((WRITE_FRAMES, 2), dtype=np.float32)
    try:
        with soundfile.SoundFile(part, "w", samplerate=score.rate, channels=2, format=format, subtype=subtype,
                                 compression_level=QUALITY,
                                 bitrate_mode="VARIABLE" if format == "MP3" else None) as file:
            done = 0
            while done < score.frames:
                if not keep_going():
                    raise InterruptedError
                n = min(WRITE_FRAMES, score.frames - done)
                source.read_into(block[:n])
                file.write(block[:n])
                done += n
        summary = path.with_name(path.name + SUM)
        summary.write_text(_digest(part) + "\n", encoding="ascii")
        os.replace(part, path)
        return path
    except (OSError, RuntimeError, ValueError):  # a full disk, a folder gone, stopped, an encoder refusing
        for leftover in (part, path.with_name(path.name + SUM)):
            try:
                leftover.unlink()
            except OSError:
                pass
        return None


def _lock(folder: Path):
    """An exclusive lock on the folder's renderer, or None when another holds it."""
    try:
        import fcntl
    except ImportError:  # no advisory locks here: one renderer per app is the best we can do
        return open(os.devnull, "w")
    handle = open(folder / LOCK_NAME, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


_stopped = threading.Event()  # set by SIGTERM: the app stops the renderer as an Experience begins


def main(argv: list[str]) -> int:
    """``python -m companion.audio.scores FOLDER PARENT_PID SCORE... [--keep SCORE...]``:
    render the scores not yet rendered; remove every other render but the kept ones."""
    folder, parent = Path(argv[0]), int(argv[1])
    rest = argv[2:]
    cut = rest.index("--keep") if "--keep" in rest else len(rest)
    wanted = [Score.parse(a) for a in rest[:cut]]
    kept = [Score.parse(a) for a in rest[cut + 1 :]]
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = _lock(folder)
    except OSError:
        return 1
    if lock is None:
        return 0  # another renderer works on this folder
    with lock:
        cache = ScoreCache(folder)
        cache.prune(wanted + kept)

        def keep_going() -> bool:
            return not _stopped.is_set() and os.getppid() == parent

        for score in cache.missing(wanted):
            if render(folder, score, keep_going) is None:
                return 1
    return 0


class Renderer:
    """The app's handle on the renderer process: start it for a list of scores, stop it."""

    def __init__(self, folder: Path) -> None:
        self.cache = ScoreCache(folder)
        self._process: subprocess.Popen | None = None
        self._key: tuple = ()  # what the running renderer was given
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, scores: list[Score], keep: list[Score] = ()) -> bool:
        """Render the scores not yet rendered, in the background, removing other renders but
        ``keep``; True if a renderer started. A renderer at work on other scores is stopped."""
        key = (tuple(scores), tuple(keep))
        if self.running and key == self._key:
            return False
        self.stop()
        if not self.cache.missing(scores):
            return False
        command = [sys.executable, "-m", "companion.audio.scores", str(self.cache.folder), str(os.getpid())]
        command += [score.argument() for score in scores] + ["--keep"] + [score.argument() for score in keep]
        with self._lock:
            try:
                self._process = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True,  # a Ctrl+C in the terminal is for the app, not for it
                )
            except OSError:
                self._process = None
                return False
            self._key = key
        return True

    def stop(self, wait: float = 2.0) -> None:
        """Stop a render in progress (its unfinished file is removed by the process)."""
        with self._lock:
            process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    import signal

    try:
        os.nice(19)  # the lowest priority: it never competes with the app, or anything else
    except (AttributeError, OSError):
        pass
    signal.signal(signal.SIGTERM, lambda *_: _stopped.set())
    raise SystemExit(main(sys.argv[1:]))
