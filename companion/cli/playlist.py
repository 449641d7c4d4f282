"""``companion playlist list|check|render|import``.

``add_parser(subparsers)`` adds the command, which names ``run(args, paths)``. Errors are one line on stderr: exit 2 for bad usage,
1 for a failure; never a traceback for something the user did.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import wave
from pathlib import Path

from companion.cli.errors import UsageError
from companion.core.files import write_atomic
from companion.core.playlist import (
    PlaylistError,
    audio_files_in,
    file_name_for,
    format_duration,
    imported_playlist,
    list_playlists,
    load_playlist,
    read_m3u,
    resolved,
    shipped_dir,
    to_toml,
)

def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("playlist", help="list, check, render or import session playlists")
    commands = parser.add_subparsers(dest="playlist_command", metavar="list|check|render|import")
    commands.add_parser("list", help="the playlists you can choose")
    check = commands.add_parser("check", help="print the session plan and any problems")
    check.add_argument("name", help="playlist name or .toml file")
    render = commands.add_parser("render", help="write the session mix to a WAV file")
    render.add_argument("name", help="playlist name or .toml file")
    render.add_argument("--out", required=True, help="the WAV file to write")
    render.add_argument("--minutes", type=float, default=None, help="a shorter session of M minutes")
    render.add_argument("--rate", type=int, default=44100, help="sample rate in Hz (default 44100)")
    imp = commands.add_parser("import", help="make a playlist from a folder or an M3U file")
    imp.add_argument("source", help="a folder of audio files, or a .m3u/.m3u8 file")
    imp.add_argument("--name", required=True, help="the new playlist's name")
    imp.add_argument("--force", action="store_true", help="replace a playlist with the same name")
    parser.set_defaults(playlist_parser=parser, run=run, unlock=False)  # audio files only: no journal
    return parser


def search_path(paths) -> list[Path]:
    return [Path(paths.playlists), shipped_dir()]


def _err(message: str) -> None:
    print(f"companion playlist: {message}", file=sys.stderr)


def run(args: argparse.Namespace, paths) -> int:
    command = getattr(args, "playlist_command", None)
    try:
        if command == "list":
            return cmd_list(args, paths)
        if command == "check":
            return cmd_check(args, paths)
        if command == "render":
            return cmd_render(args, paths)
        if command == "import":
            return cmd_import(args, paths)
        _err("choose one of: list, check, render, import")
        return 2
    except UsageError as error:
        _err(str(error))
        return 2
    except PlaylistError as error:
        _err(str(error))
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 1
    except OSError as error:
        _err(f"{error.strerror or error}: {error.filename or ''}".strip(": "))
        return 1


def _cache(paths):
    from companion.audio.analysis import AnalysisCache

    try:
        Path(paths.cache).mkdir(parents=True, exist_ok=True, mode=0o700)
        return AnalysisCache(Path(paths.analysis_cache))
    except OSError:
        return AnalysisCache(None)


# -- list -------------------------------------------------------------------


def cmd_list(args, paths) -> int:
    found = list_playlists(search_path(paths))
    if not found:
        print("No playlists found.")
        return 0
    from rich.cells import cell_len

    width = max(cell_len(name) for name, _ in found)
    shipped = shipped_dir().resolve()
    for name, path in found:
        where = "shipped" if resolved(path).parent == shipped else str(path)
        print(f"{name}{' ' * (width - cell_len(name))}  {where}")
    return 0


# -- check ------------------------------------------------------------------


def plan_table(session) -> list[str]:
    plan = session.plan
    playlist = session.playlist
    rate = plan.rate
    lines = [
        f"{playlist.name}: {format_duration(plan.duration)} session, {len(playlist.tracks())} track(s), "
        f"crossfade {playlist.crossfade:g} s, fade-in {playlist.fade_in:g} s, fade-out {playlist.fade_out:g} s, "
        f"loudness {playlist.target_lufs:g} LUFS, volume cap {playlist.volume_cap:g}",
        "",
    ]
    rows = [("phase", "start", "track", "duration", "gain", "problems")]
    for entry in plan.entries:
        item = None if entry.is_bed else plan.items[entry.item]
        note = (item.problem or "") if item else "fills the rest of the session"
        if entry.loop:
            note = (note + "; " if note else "") + f"repeat {entry.loop}"
        rows.append(
            (
                entry.phase or "-",
                format_duration(entry.start / rate),
                entry.title,
                format_duration(entry.frames / rate),
                f"{entry.gain_db:+.1f} dB",
                note,
            )
        )
    planned = {entry.item for entry in plan.entries}
    for number, item in enumerate(plan.items):
        if number not in planned:
            reason = item.problem if item.frames is None else "does not fit in the session"
            if item.frames is not None and item.frames < rate:
                reason = "shorter than 1 s"
            rows.append((item.phase or "-", "-", item.title, "-", "-", f"skipped: {reason}"))
    # columns by display width: a CJK character or an emoji takes two cells of the terminal
    from rich.cells import cell_len, set_cell_size

    def fit(cell: str) -> str:
        return cell if cell_len(cell) <= 40 else set_cell_size(cell, 40)

    widths = [max(cell_len(fit(row[i])) for row in rows) for i in range(5)]
    for row in rows:
        cells = [set_cell_size(fit(row[i]), widths[i]) for i in range(5)]
        lines.append("  ".join(cells + [row[5]]).rstrip())
    return lines


def cmd_check(args, paths) -> int:
    from companion.audio.session import build_session

    playlist = load_playlist(args.name, search_path(paths))
    cache = _cache(paths)
    try:
        session = build_session(playlist, 44100, cache)
    finally:
        cache.close()
    for line in plan_table(session):
        print(line)
    print()
    if session.problems:
        print("Problems:")
        for problem in session.problems:
            print(f"  - {problem}")
        print()
    if not session.plan.playable:
        _err(f"'{playlist.name}' has no playable track; only the ambient bed would play")
        return 1
    print(f"OK: plays for {format_duration(session.plan.duration)}.")
    return 0


# -- render -----------------------------------------------------------------


def cmd_render(args, paths) -> int:
    import numpy as np

    from companion.audio.player import render_session
    from companion.audio.session import build_session

    if args.rate < 8000 or args.rate > 192000:
        raise UsageError("--rate must be between 8000 and 192000 Hz")
    if args.minutes is not None and not 10 / 60 <= args.minutes <= 360:
        raise UsageError("--minutes must be between 0.17 and 360")
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".wav":
        raise UsageError("--out must be a .wav file")
    if not out.parent.is_dir():
        raise PlaylistError(f"folder not found: {out.parent}")
    playlist = load_playlist(args.name, search_path(paths))
    cache = _cache(paths)
    try:
        seconds = args.minutes * 60 if args.minutes is not None else None
        session = build_session(playlist, args.rate, cache, session_seconds=seconds)
    finally:
        cache.close()
    for problem in session.problems:
        print(f"note: {problem}", file=sys.stderr)
    started = time.perf_counter()
    fd, tmp = tempfile.mkstemp(prefix=".render-", suffix=".wav", dir=out.parent)
    os.close(fd)
    try:
        with wave.open(tmp, "wb") as wav:
            wav.setnchannels(2)
            wav.setsampwidth(2)
            wav.setframerate(args.rate)

            def write(block):  # the block is ours to scale in place (reuse=True)
                block *= np.float32(32767.0)
                np.rint(block, out=block)
                np.clip(block, -32768.0, 32767.0, out=block)
                wav.writeframesraw(memoryview(block.astype("<i2")).cast("B"))

            frames = render_session(
                session, write, on_notice=lambda text: print(f"note: {text}", file=sys.stderr), reuse=True
            )
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    elapsed = time.perf_counter() - started
    print(f"Wrote {out} ({format_duration(frames / args.rate)} at {args.rate} Hz) in {elapsed:.1f} s.")
    return 0


# -- import -----------------------------------------------------------------


def cmd_import(args, paths) -> int:
    source = Path(args.source).expanduser()
    notes: list[str] = []
    if source.is_dir():
        files = audio_files_in(source)
    elif source.suffix.lower() in (".m3u", ".m3u8"):
        files, notes = read_m3u(source)
    elif source.exists():
        raise UsageError("import takes a folder or a .m3u/.m3u8 file")
    else:
        raise PlaylistError(f"not found: {source}")
    if not files:
        raise PlaylistError(f"no audio files in {source}")
    name = args.name.strip()
    if not name:
        raise UsageError("--name cannot be empty")
    folder = Path(paths.playlists)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / file_name_for(name)
    if target.exists() and not args.force:
        raise PlaylistError(f"a playlist '{name}' already exists ({target}); use --force to replace it")
    cache = _cache(paths)
    durations = []
    try:
        for file in files:
            analysis = cache.analyse(file)
            if analysis.error:
                notes.append(f"{file.name}: {analysis.error}")
            durations.append(analysis.seconds if not analysis.error else 0.0)
    finally:
        cache.close()
    playlist = imported_playlist(name, files, durations)
    write_atomic(target, to_toml(playlist).encode("utf-8"), mode=0o644)
    total = sum(durations)
    print(f"Wrote {target}: {len(files)} track(s), {format_duration(total)} of music for a "
          f"{format_duration(playlist.session_seconds)} session.")
    if total < playlist.session_seconds:
        print("The ambient bed will fill the rest of the session.")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
