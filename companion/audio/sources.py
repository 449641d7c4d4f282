"""Sources of sound: decoded files and generated streams, read in chunks.

Every source gives float32 arrays shaped (frames, 2) at the output rate from
``read(n)``; fewer frames than asked means the end. A source never raises
from ``read``: a decoding error ends it and sets ``error``.

WAV, MP3, FLAC and Ogg Vorbis are decoded by miniaudio (any rate, channel
count and bit depth, converted by miniaudio). Other formats go through
ffmpeg, found the way pydub finds it; the decoded audio is streamed through
a pipe rather than loaded into a pydub AudioSegment, which would hold a
whole track in memory. Without ffmpeg they are skipped with a notice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Protocol

import numpy as np

MINIAUDIO_SUFFIXES = (".wav", ".wave", ".mp3", ".flac", ".ogg", ".oga")
MAX_READ = 16384  # miniaudio's stream buffer holds at most this many frames


class SourceError(Exception):
    """A source that cannot be opened; ``str()`` is one human line."""


class Source(Protocol):
    error: str | None

    def read(self, frames: int) -> np.ndarray: ...

    def close(self) -> None: ...


def ffmpeg_path() -> str | None:
    """ffmpeg as pydub would use it, or None when it is not installed."""
    converter = "ffmpeg"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pydub import AudioSegment  # lazily: pydub warns on import without ffmpeg

        converter = AudioSegment.converter or "ffmpeg"
    except Exception:
        pass
    return shutil.which(converter)


def decoder_for(path: Path) -> str:
    return "miniaudio" if path.suffix.lower() in MINIAUDIO_SUFFIXES else "ffmpeg"


def check_file(path: Path) -> str | None:
    """Why a file cannot even be tried, or None."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return "file not found"
    except OSError as error:
        return f"cannot read the file ({error.strerror or error})"
    if not Path(path).is_file():
        return "not a file"
    if stat.st_size == 0:
        return "empty file"
    if not os.access(path, os.R_OK):
        return "cannot read the file (permission denied)"
    if decoder_for(Path(path)) == "ffmpeg" and ffmpeg_path() is None:
        suffix = Path(path).suffix.lower() or "without an extension"
        return f"unsupported format ({suffix}); install ffmpeg to play it"
    return None


def file_info(path: Path) -> tuple[int, int, int]:
    """(frames, rate, channels) of a file miniaudio can decode."""
    import miniaudio

    try:
        info = miniaudio.get_file_info(str(path))
    except Exception:
        raise SourceError("not a playable audio file (corrupt or unsupported)") from None
    if not info.sample_rate or not info.nchannels:
        raise SourceError("not a playable audio file (no sample rate)")
    return int(info.num_frames or 0), int(info.sample_rate), int(info.nchannels)


class MiniaudioSource:
    """A file decoded by miniaudio, converted to float32 stereo at ``rate``."""

    def __init__(self, path: Path, rate: int, start: int = 0) -> None:
        import miniaudio

        self.path = Path(path)
        self.error: str | None = None
        try:
            self._gen = miniaudio.stream_file(
                str(path),
                output_format=miniaudio.SampleFormat.FLOAT32,
                nchannels=2,
                sample_rate=int(rate),
                frames_to_read=4096,
                seek_frame=int(start),
            )
        except Exception:
            raise SourceError("not a playable audio file (corrupt or unsupported)") from None
        self._done = False

    def read(self, frames: int) -> np.ndarray:
        parts = []
        got = 0
        while got < frames and not self._done:
            want = min(MAX_READ, frames - got)
            try:
                chunk = self._gen.send(want)
            except StopIteration:
                self._done = True
                break
            except Exception:
                self._done = True
                self.error = "decoding failed part way (damaged file)"
                break
            data = np.frombuffer(chunk, dtype=np.float32)
            if not len(data):
                self._done = True
                break
            parts.append(data.reshape(-1, 2))
            got += len(parts[-1])
        if not parts:
            return np.zeros((0, 2), dtype=np.float32)
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts)

    def close(self) -> None:
        self._done = True
        gen, self._gen = getattr(self, "_gen", None), None
        if gen is not None:
            try:
                gen.close()
            except Exception:
                pass


class FfmpegSource:
    """Any format ffmpeg knows, streamed as float32 stereo through a pipe."""

    def __init__(self, path: Path, rate: int, start: int = 0) -> None:
        self.error: str | None = None
        ffmpeg = ffmpeg_path()
        if ffmpeg is None:
            raise SourceError(f"unsupported format ({Path(path).suffix.lower()}); install ffmpeg to play it")
        command = [ffmpeg, "-nostdin", "-v", "error"]
        if start:
            command += ["-ss", f"{start / rate:.6f}"]
        command += ["-i", str(path), "-vn", "-f", "f32le", "-ac", "2", "-ar", str(int(rate)), "pipe:1"]
        try:
            self._proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        except OSError:
            raise SourceError("ffmpeg could not be started") from None
        self._done = False

    def read(self, frames: int) -> np.ndarray:
        if self._done or self._proc.stdout is None:
            return np.zeros((0, 2), dtype=np.float32)
        want = frames * 8
        data = bytearray()
        while len(data) < want:
            chunk = self._proc.stdout.read(want - len(data))
            if not chunk:
                self._done = True
                if self._proc.wait() not in (0, None) and not data:
                    self.error = "ffmpeg could not decode the file"
                break
            data += chunk
        usable = len(data) - len(data) % 8
        return np.frombuffer(bytes(data[:usable]), dtype=np.float32).reshape(-1, 2)

    def close(self) -> None:
        self._done = True
        proc = getattr(self, "_proc", None)
        if proc is not None and proc.poll() is None:
            try:
                proc.kill()
                proc.wait(timeout=2)
            except Exception:
                pass
        if proc is not None and proc.stdout is not None:
            try:
                proc.stdout.close()
            except Exception:
                pass


def open_file(path: Path, rate: int, start: int = 0) -> Source:
    """A decoder for a file at the output rate, positioned at ``start`` (output frames)."""
    path = Path(path)
    problem = check_file(path)
    if problem:
        raise SourceError(problem)
    if decoder_for(path) == "miniaudio":
        return MiniaudioSource(path, rate, start)
    return FfmpegSource(path, rate, start)


class Silence:
    """Nothing, for as long as asked (stands in for a source that failed to open)."""

    error: str | None = None

    def read(self, frames: int) -> np.ndarray:
        return np.zeros((frames, 2), dtype=np.float32)

    def close(self) -> None:
        pass
