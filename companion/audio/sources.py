"""Sources of sound: decoded files and generated streams, read in chunks.

Every source gives float32 arrays shaped (frames, 2) at the output rate from
``read(n)``; fewer frames than asked means the end. A source never raises
from ``read``: a decoding error ends it and sets ``error``.

WAV, MP3, FLAC and Ogg Vorbis are decoded by miniaudio (any channel count and
bit depth); a file at another sample rate than the output is decoded at its
own rate and resampled by soxr (high quality: flat to 20 kHz, images far
below hearing), where miniaudio's own converter lost 5 dB at 20 kHz and left
images 14 dB under a tone. Other formats go through
ffmpeg, found the way pydub finds it; the decoded audio is streamed through
a pipe rather than loaded into a pydub AudioSegment, which would hold a
whole track in memory. Without ffmpeg they are skipped with a notice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Protocol

import numpy as np

MINIAUDIO_SUFFIXES = (".wav", ".wave", ".mp3", ".flac", ".ogg", ".oga")


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
    """A file decoded by miniaudio, converted to float32 stereo at ``rate``.

    miniaudio decodes straight into the numpy array that ``read`` returns
    (through its cffi interface), instead of into its own buffer that would
    then be copied: one pass over the samples fewer than ``stream_file``.
    """

    def __init__(self, path: Path, rate: int, start: int = 0) -> None:
        import miniaudio

        self.path = Path(path)
        self.error: str | None = None
        self._done = False
        self._lock = threading.Lock()
        self._decoder = None
        ffi, lib = miniaudio.ffi, miniaudio.lib
        self._ffi, self._lib = ffi, lib
        decoder = ffi.new("ma_decoder *")
        config = lib.ma_decoder_config_init(miniaudio.SampleFormat.FLOAT32.value, 2, int(rate))
        config.ditherMode = miniaudio.DitherMode.NONE.value
        if sys.platform == "win32":
            name = ffi.new("wchar_t[]", str(path))
            result = lib.ma_decoder_init_file_w(name, ffi.addressof(config), decoder)
        else:
            result = lib.ma_decoder_init_file(os.fsencode(str(path)), ffi.addressof(config), decoder)
        if result != lib.MA_SUCCESS:
            raise SourceError("not a playable audio file (corrupt or unsupported)")
        if start > 0 and lib.ma_decoder_seek_to_pcm_frame(decoder, int(start)) != lib.MA_SUCCESS:
            lib.ma_decoder_uninit(decoder)
            raise SourceError("not a playable audio file (cannot seek in it)")
        self._decoder = decoder
        self._count = ffi.new("ma_uint64 *")

    def read(self, frames: int) -> np.ndarray:
        out = np.empty((max(0, frames), 2), dtype=np.float32)
        got = self.read_into(out)
        return out if got == frames else out[:got]

    def read_into(self, out: np.ndarray) -> int:
        """Decode up to len(out) frames into ``out`` (C-contiguous float32 (n, 2)); returns how many."""
        frames = len(out)
        got = 0
        with self._lock:
            ffi, lib = self._ffi, self._lib
            while got < frames and not self._done and self._decoder is not None:
                buffer = ffi.from_buffer("float[]", out[got:], require_writable=True)
                result = lib.ma_decoder_read_pcm_frames(self._decoder, buffer, frames - got, self._count)
                count = int(self._count[0])
                got += count
                if result == lib.MA_AT_END or (result == lib.MA_SUCCESS and count == 0):
                    self._done = True
                elif result != lib.MA_SUCCESS:
                    self._done = True
                    self.error = "decoding failed part way (damaged file)"
        return got

    def close(self) -> None:
        with self._lock:
            self._done = True
            decoder, self._decoder = self._decoder, None
            if decoder is not None:
                try:
                    self._lib.ma_decoder_uninit(decoder)
                except Exception:
                    pass

    def __del__(self) -> None:  # a source dropped without close() still frees its decoder
        try:
            self.close()
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


class ResampledSource:
    """A file miniaudio decodes at its own rate, resampled to ``rate`` by soxr (HQ), streaming."""

    CHUNK = 16384

    def __init__(self, path: Path, file_rate: int, rate: int, start: int = 0) -> None:
        import soxr

        self._inner = MiniaudioSource(path, file_rate, start * file_rate // rate)
        self._stream = soxr.ResampleStream(file_rate, rate, 2, dtype="float32", quality="HQ")
        self._pending = np.zeros((0, 2), dtype=np.float32)
        self._ended = False

    @property
    def error(self) -> str | None:
        return self._inner.error

    def read(self, frames: int) -> np.ndarray:
        parts = [self._pending]
        have = len(self._pending)
        while have < frames and not self._ended:
            chunk = self._inner.read(self.CHUNK)
            last = len(chunk) < self.CHUNK
            out = self._stream.resample_chunk(chunk, last=last)
            if last:
                self._ended = True
            parts.append(out)
            have += len(out)
        data = np.concatenate(parts) if len(parts) > 1 else parts[0]
        self._pending = data[frames:]
        return np.ascontiguousarray(data[:frames], dtype=np.float32)

    def close(self) -> None:
        self._ended = True
        self._inner.close()


def open_file(path: Path, rate: int, start: int = 0) -> Source:
    """A decoder for a file at the output rate, positioned at ``start`` (output frames)."""
    path = Path(path)
    problem = check_file(path)
    if problem:
        raise SourceError(problem)
    if decoder_for(path) == "miniaudio":
        _, file_rate, _ = file_info(path)
        if file_rate != int(rate):
            return ResampledSource(path, file_rate, int(rate), start)
        return MiniaudioSource(path, rate, start)
    return FfmpegSource(path, rate, start)


class Silence:
    """Nothing, for as long as asked (stands in for a source that failed to open)."""

    error: str | None = None

    def read(self, frames: int) -> np.ndarray:
        return np.zeros((frames, 2), dtype=np.float32)

    def close(self) -> None:
        pass
