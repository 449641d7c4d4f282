"""Test audio made in Python: WAV (any depth), FLAC (verbatim frames), MP3 frames.

Encoders for MP3 with sound and for Ogg Vorbis are not reasonable to write
here; tests that need them use `lame` / `oggenc` when installed and skip
with a reason otherwise.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import wave
from pathlib import Path

import numpy as np


def tone(seconds: float, rate: int = 44100, freq: float = 440.0, amp: float = 0.1, channels: int = 2,
         seed: int = 0) -> np.ndarray:
    """A soft chord plus a little noise, smoothly faded in and out, float (n, channels)."""
    n = int(seconds * rate)
    t = np.arange(n) / rate
    rng = np.random.default_rng(seed)
    x = np.sin(2 * np.pi * freq * t) + 0.5 * np.sin(2 * np.pi * freq * 1.5 * t + 0.3)
    x = x / 1.5 + 0.05 * rng.standard_normal(n)
    fade = min(int(0.05 * rate), n // 2)
    if fade:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        x[:fade] *= ramp
        x[n - fade:] *= ramp[::-1]
    x *= amp
    out = np.stack([x * (1.0 if c % 2 == 0 else 0.9) for c in range(channels)], axis=1)
    return out


def write_wav(path: Path, samples: np.ndarray, rate: int = 44100, bits: int = 16, float32: bool = False) -> Path:
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim == 1:
        samples = samples[:, None]
    channels = samples.shape[1]
    if float32:
        data = samples.astype("<f4").tobytes()
        block = channels * 4
        header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE"
        header += b"fmt " + struct.pack("<IHHIIHH", 16, 3, channels, rate, rate * block, block, 32)
        header += b"data" + struct.pack("<I", len(data))
        Path(path).write_bytes(header + data)
        return Path(path)
    if bits == 8:
        data = np.clip(np.rint(samples * 127 + 128), 0, 255).astype(np.uint8).tobytes()
    elif bits == 16:
        data = np.clip(np.rint(samples * 32767), -32768, 32767).astype("<i2").tobytes()
    elif bits == 24:
        ints = np.clip(np.rint(samples * 8388607), -8388608, 8388607).astype("<i4")
        data = ints.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    elif bits == 32:
        data = np.clip(np.rint(samples * 2147483647), -2147483648, 2147483647).astype("<i4").tobytes()
    else:
        raise ValueError(bits)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(bits // 8)
        wav.setframerate(rate)
        wav.writeframes(data)
    return Path(path)


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


_CRC16 = []
for _i in range(256):
    _c = _i << 8
    for _ in range(8):
        _c = ((_c << 1) ^ 0x8005) & 0xFFFF if _c & 0x8000 else (_c << 1) & 0xFFFF
    _CRC16.append(_c)


def _crc16(data: bytes) -> int:
    crc = 0
    table = _CRC16
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ byte]
    return crc


def write_flac(path: Path, samples: np.ndarray, rate: int = 44100, bits: int = 16, block: int = 4096) -> Path:
    """A valid FLAC file with verbatim (uncompressed) subframes."""
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim == 1:
        samples = samples[:, None]
    n, channels = samples.shape
    scale = (1 << (bits - 1)) - 1
    ints = np.clip(np.rint(samples * scale), -scale - 1, scale).astype(np.int64)
    info = struct.pack(">HH", block, block) + b"\x00\x00\x00" + b"\x00\x00\x00"
    packed = (rate << 44) | ((channels - 1) << 41) | ((bits - 1) << 36) | n
    info += packed.to_bytes(8, "big") + b"\x00" * 16
    out = bytearray(b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info)
    for number, start in enumerate(range(0, n, block)):
        chunk = ints[start:start + block]
        size = len(chunk)
        header = bytearray(b"\xff\xf8")
        header.append(0x70)  # block size: 16-bit value at the end; rate from STREAMINFO
        header.append(((channels - 1) << 4) | 0x00)  # independent channels; depth from STREAMINFO
        header += chr(number).encode("utf-8")
        header += struct.pack(">H", size - 1)
        header.append(_crc8(bytes(header)))
        frame = bytearray(header)
        for c in range(channels):
            frame.append(0x02)  # verbatim subframe, no wasted bits
            column = chunk[:, c]
            if bits == 16:
                frame += column.astype(">i2").tobytes()
            elif bits == 24:
                big = column.astype(">i4").view(np.uint8).reshape(-1, 4)[:, 1:]
                frame += big.tobytes()
            else:
                raise ValueError(bits)
        frame += struct.pack(">H", _crc16(bytes(frame)))
        out += frame
    Path(path).write_bytes(bytes(out))
    return Path(path)


def write_silent_mp3(path: Path, frames: int = 100) -> Path:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, mono) whose content is silence."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC4])
    frame = header + bytes(417 - 4)
    Path(path).write_bytes(frame * frames)
    return Path(path)


def encode_with(tool: str, wav: Path, out: Path) -> Path | None:
    """MP3 through lame, Ogg Vorbis through oggenc, when installed."""
    exe = shutil.which(tool)
    if exe is None:
        return None
    if tool == "lame":
        command = [exe, "--quiet", "-b", "128", str(wav), str(out)]
    else:
        command = [exe, "--quiet", "-q", "4", "-o", str(out), str(wav)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out
