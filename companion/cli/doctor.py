"""``companion doctor``: what works on this machine, in plain lines."""

from __future__ import annotations

import argparse
import platform
import shutil
import sqlite3
import sys
from importlib import metadata
from typing import Any

from companion import __version__
from companion import settings as settings_file
from companion.paths import Paths

OK, WARN, FAIL = "ok  ", "warn", "FAIL"


def _line(status: str, what: str, detail: str) -> str:
    return f"[{status}] {what:<14} {detail}"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def check_database(paths: Paths) -> tuple[str, str]:
    from companion.store import Store, StoreError

    try:
        paths.ensure()
        store = Store.open(paths.database)
    except (StoreError, OSError) as exc:
        return FAIL, str(exc)
    try:
        result, mode, count = store.health()
    except sqlite3.Error as exc:
        return FAIL, f"{paths.database}: {exc}"
    finally:
        store.close()
    status = OK if result == "ok" else FAIL
    return status, f"{paths.database} ({mode}, integrity {result}, {count} infusions)"


def probe_device() -> tuple[bool, str]:
    """Whether a real playback device opens, and a line saying which."""
    from companion.audio.output import open_device

    try:
        device = open_device(44100, "auto")
    except Exception:
        device = None
    if device is None:
        return False, "none could be opened; the session clock still runs, silently"
    try:
        backend = str(getattr(device, "backend", "unknown"))
        name = str(getattr(device, "name", "") or "")
    finally:
        device.close()
    if backend.lower() == "null":
        return False, "no sound card found: playback would be silent (NULL backend)"
    return True, f"{name or 'default device'} ({backend})"


def check_audio(paths: Paths) -> list[tuple[str, str, str]]:
    rows = []
    real, detail = probe_device()
    rows.append((OK if real else WARN, "audio device", detail))
    ffmpeg = shutil.which("ffmpeg") or shutil.which("avconv")
    rows.append((OK, "decoders", "WAV, MP3, FLAC, Ogg Vorbis (miniaudio " + _version("miniaudio") + ")"))
    rows.append(
        (OK if ffmpeg else WARN, "other formats",
         f"through ffmpeg at {ffmpeg}" if ffmpeg else "ffmpeg not found: other formats are skipped")
    )
    return rows


def check_renders(paths: Paths, on: bool) -> tuple[str, str, str]:
    """The generated music rendered ahead of the next infusion (setting render_ahead)."""
    if not on:
        return OK, "rendered music", "off (render_ahead = false): the generated music is made as it plays"
    from companion.audio.scores import encoding, finished

    renders = finished(paths.scores)
    _, _, suffix = encoding()
    how = f"encoded as {suffix[1:].upper()}"
    if not renders:
        return OK, "rendered music", f"none yet: made at Home, between infusions ({how})"
    size = sum(path.stat().st_size for path in renders) / 1e6
    return OK, "rendered music", f"{len(renders)} track(s), {size:.0f} MB in {paths.scores} ({how})"


def add_parser(subparsers: Any) -> None:
    subparsers.add_parser(
        "doctor", help="check the audio device, decoders, database and paths"
    ).set_defaults(run=run)


def run(args: argparse.Namespace, paths: Paths) -> int:
    rows: list[tuple[str, str, str]] = [
        (OK, "companion", f"{__version__} on Python {platform.python_version()} ({sys.platform})"),
        (OK, "packages", ", ".join(
            f"{p} {_version(p)}" for p in ("textual", "sqlite-utils", "miniaudio", "pydub", "numpy")
        )),
        (OK, "home", str(paths.home)),
        (OK, "cache", str(paths.cache)),
    ]
    settings = settings_file.load(paths.settings)
    rows.append((WARN if settings.problems else OK, "settings",
                 "; ".join(settings.problems) or f"{paths.settings} (playlist {settings.playlist!r})"))
    status, detail = check_database(paths)
    rows.append((status, "database", detail))
    rows.extend(check_audio(paths))
    rows.append(check_renders(paths, settings.render_ahead))
    for row in rows:
        print(_line(*row))
    return 1 if any(r[0] == FAIL for r in rows) else 0
