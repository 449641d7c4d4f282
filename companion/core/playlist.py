"""Playlists: the TOML files that say what plays during the infusion.

Pure Python (stdlib only). The format is documented in ``playlists/README.md``
at the top of the repository; the shipped defaults live next to it.

A playlist has a name, a session length, phases (settle, onset, plateau,
return, ...) holding tracks, and the mix settings: crossfade, fade-in,
fade-out, loudness target, volume cap and what fills the session when the
music runs short (the *bed*).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from companion.core.models import format_duration

SESSION_SECONDS = 85 * 60
#: The arc of an infusion, minutes of 85 for each phase. The default score, the
#: bed that fills a short library and an imported playlist all follow it.
ARC = (("settle", 15.0), ("onset", 20.0), ("plateau", 35.0), ("return", 15.0))
GENERATORS = ("ambient",)
BEDS = ("ambient", "loop", "silence")
MOODS = ("settle", "onset", "plateau", "return")
AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".ogg", ".oga")
OTHER_AUDIO_SUFFIXES = (".m4a", ".aac", ".opus", ".wma", ".aif", ".aiff", ".webm", ".mka", ".ape", ".alac")


class PlaylistError(Exception):
    """A playlist that cannot be read; ``str(error)`` is one clear line."""


@dataclass(frozen=True)
class Track:
    """One entry of a phase: an audio file or a generated source."""

    file: Path | None = None
    generate: str | None = None
    gain: float = 0.0  # dB, on top of loudness normalisation
    title: str = ""
    length: float | None = None  # seconds, for generated sources
    mood: str | None = None  # for generated sources
    seed: int = 0

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.file is not None:
            return self.file.stem.replace("_", " ")
        return f"Ambient ({self.mood or 'plateau'})"

    @property
    def is_generated(self) -> bool:
        return self.generate is not None


@dataclass(frozen=True)
class Phase:
    name: str
    tracks: tuple[Track, ...] = ()


@dataclass
class Playlist:
    name: str
    session_seconds: float = float(SESSION_SECONDS)
    phases: tuple[Phase, ...] = ()
    crossfade: float = 10.0
    fade_in: float = 30.0
    fade_out: float = 60.0
    target_lufs: float = -23.0
    volume_cap: float = 0.85
    bed: str = "ambient"
    seed: int = 0
    source: Path | None = None

    def tracks(self) -> list[tuple[str, Track]]:
        """Every track in playing order with the name of its phase."""
        return [(phase.name, track) for phase in self.phases for track in phase.tracks]

    @property
    def first_phase(self) -> str | None:
        return self.phases[0].name if self.phases else None


# -- parsing ---------------------------------------------------------------

_TIME = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)\s*$")


def parse_duration(value: object, what: str) -> float:
    """Seconds from a number or "mm:ss" / "h:mm:ss"."""
    if isinstance(value, bool):
        raise PlaylistError(f"{what} must be a number of seconds or \"mm:ss\", not {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        match = _TIME.match(text)
        if match:
            hours, minutes, secs = match.groups()
            seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
        else:
            try:
                seconds = float(text)
            except ValueError:
                raise PlaylistError(
                    f"{what} must be a number of seconds or \"mm:ss\", not {value!r}"
                ) from None
    else:
        raise PlaylistError(f"{what} must be a number of seconds or \"mm:ss\", not {value!r}")
    if seconds < 0 or seconds != seconds:
        raise PlaylistError(f"{what} cannot be negative")
    return seconds


def _number(data: dict, key: str, default: float, where: str) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlaylistError(f"{where}: '{key}' must be a number, not {value!r}")
    return float(value)


PLAYLIST_KEYS = ("name", "session", "crossfade", "fade_in", "fade_out", "loudness", "volume_cap", "bed", "seed",
                 "phases")
PHASE_KEYS = ("name", "tracks")
TRACK_KEYS = ("file", "generate", "gain", "title", "length", "mood", "seed")


def _check_keys(raw: dict, known: tuple[str, ...], where: str) -> None:
    """Refuse a key the format does not know (a typo would otherwise be ignored silently)."""
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f" (expected one of {', '.join(sorted(known))})"
            raise PlaylistError(f"{where}: unknown key '{key}'{hint}")


def _track(raw: object, base: Path | None, where: str) -> Track:
    if isinstance(raw, str):
        raw = {"file": raw}
    if not isinstance(raw, dict):
        raise PlaylistError(f"{where}: a track must be a table like {{ file = \"...\" }}")
    _check_keys(raw, TRACK_KEYS, where)
    file = raw.get("file")
    generate = raw.get("generate")
    if (file is None) == (generate is None):
        raise PlaylistError(f"{where}: a track needs either 'file' or 'generate'")
    title = raw.get("title", "")
    if not isinstance(title, str):
        raise PlaylistError(f"{where}: 'title' must be text")
    gain = _number(raw, "gain", 0.0, where)
    if not -30.0 <= gain <= 12.0:
        raise PlaylistError(f"{where}: 'gain' must be between -30 and +12 dB")
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise PlaylistError(f"{where}: 'seed' must be a whole number")
    if file is not None:
        if not isinstance(file, str) or not file.strip():
            raise PlaylistError(f"{where}: 'file' must be a path")
        path = Path(file).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        return Track(file=path, gain=gain, title=title, seed=seed)
    if generate not in GENERATORS:
        raise PlaylistError(f"{where}: unknown generator {generate!r} (expected {', '.join(GENERATORS)})")
    length = parse_duration(raw.get("length", "10:00"), f"{where}: 'length'")
    if length < 1.0:
        raise PlaylistError(f"{where}: 'length' must be at least one second")
    mood = raw.get("mood")
    if mood is not None and mood not in MOODS:
        raise PlaylistError(f"{where}: unknown mood {mood!r} (expected {', '.join(MOODS)})")
    return Track(generate=generate, gain=gain, title=title, length=length, mood=mood, seed=seed)


def parse_playlist(data: dict, *, source: Path | None = None, default_name: str = "Playlist") -> Playlist:
    """A Playlist from parsed TOML data; raises PlaylistError."""
    where = source.name if source is not None else "playlist"
    base = source.parent if source is not None else None
    _check_keys(data, PLAYLIST_KEYS, where)
    name = data.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        raise PlaylistError(f"{where}: 'name' must be text")
    session = parse_duration(data.get("session", SESSION_SECONDS), f"{where}: 'session'")
    if not 10.0 <= session <= 6 * 3600:
        raise PlaylistError(f"{where}: 'session' must be between 0:10 and 6:00:00")
    crossfade = parse_duration(data.get("crossfade", 10.0), f"{where}: 'crossfade'")
    fade_in = parse_duration(data.get("fade_in", 30.0), f"{where}: 'fade_in'")
    fade_out = parse_duration(data.get("fade_out", 60.0), f"{where}: 'fade_out'")
    target = _number(data, "loudness", -23.0, where)
    if not -40.0 <= target <= -9.0:
        raise PlaylistError(f"{where}: 'loudness' must be between -40 and -9 LUFS")
    cap = _number(data, "volume_cap", 0.85, where)
    if not 0.05 <= cap <= 1.0:
        raise PlaylistError(f"{where}: 'volume_cap' must be between 0.05 and 1.0")
    bed = data.get("bed", "ambient")
    if bed not in BEDS:
        raise PlaylistError(f"{where}: 'bed' must be one of {', '.join(BEDS)}")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise PlaylistError(f"{where}: 'seed' must be a whole number")
    raw_phases = data.get("phases", [])
    if not isinstance(raw_phases, list):
        raise PlaylistError(f"{where}: 'phases' must be a list of [[phases]] tables")
    phases = []
    for number, raw_phase in enumerate(raw_phases, start=1):
        if not isinstance(raw_phase, dict):
            raise PlaylistError(f"{where}: phase {number} must be a [[phases]] table")
        phase_name = raw_phase.get("name", f"phase {number}")
        if not isinstance(phase_name, str):
            raise PlaylistError(f"{where}: phase {number}: 'name' must be text")
        _check_keys(raw_phase, PHASE_KEYS, f"{where}: phase '{phase_name}'")
        raw_tracks = raw_phase.get("tracks", [])
        if not isinstance(raw_tracks, list):
            raise PlaylistError(f"{where}: phase '{phase_name}': 'tracks' must be a list")
        tracks = tuple(
            _track(raw, base, f"{where}: phase '{phase_name}' track {i}")
            for i, raw in enumerate(raw_tracks, start=1)
        )
        phases.append(Phase(name=phase_name, tracks=tracks))
    return Playlist(
        name=name.strip(),
        session_seconds=session,
        phases=tuple(phases),
        crossfade=crossfade,
        fade_in=fade_in,
        fade_out=fade_out,
        target_lufs=target,
        volume_cap=cap,
        bed=bed,
        seed=seed,
        source=source,
    )


def read_playlist(path: Path) -> Playlist:
    """Load one TOML file; raises PlaylistError with one clear line."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise PlaylistError(f"playlist file not found: {path}") from None
    except UnicodeDecodeError:
        raise PlaylistError(f"{path.name}: not a text file (expected TOML in UTF-8)") from None
    except OSError as error:
        raise PlaylistError(f"cannot read playlist {path}: {error.strerror or error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlaylistError(f"{path.name}: malformed TOML: {error}") from None
    return parse_playlist(data, source=path, default_name=path.stem)


# -- finding playlists -----------------------------------------------------


def shipped_dir() -> Path:
    """The ``playlists/`` folder at the top of the repository (next to ``companion/``)."""
    return Path(__file__).resolve().parents[2] / "playlists"


def _builtin_default() -> Playlist:
    """The default arc, for an installation without the playlists/ folder."""
    phases = tuple(
        Phase(name, (Track(generate="ambient", mood=name, length=minutes * 60, seed=i + 1),))
        for i, (name, minutes) in enumerate(ARC)
    )
    return Playlist(
        name="Default",
        phases=phases,
        crossfade=40.0,
        fade_in=45.0,
        fade_out=90.0,
        target_lufs=-23.0,
        volume_cap=0.85,
        bed="ambient",
        seed=7,
    )


def default_playlist() -> Playlist:
    """The shipped default: generated ambient sound, no audio files needed."""
    path = shipped_dir() / "default.toml"
    if path.is_file():
        try:
            return read_playlist(path)
        except PlaylistError:
            pass
    return _builtin_default()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def list_playlists(search: list[Path]) -> list[tuple[str, Path]]:
    """(name, path) of every playlist in the search folders, first folder wins on a name clash.

    The name is the file's ``name`` key when it parses, otherwise its stem.
    Unreadable files are listed under their stem so ``check`` can explain them.
    """
    seen: dict[str, tuple[str, Path]] = {}
    for folder in search:
        try:
            files = sorted(Path(folder).glob("*.toml"))
        except OSError:
            continue
        for path in files:
            name = path.stem
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                if isinstance(data.get("name"), str) and data["name"].strip():
                    name = data["name"].strip()
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                pass
            key = _slug(name)
            if key not in seen:
                seen[key] = (name, path)
    return list(seen.values())


def load_playlist(ref: str, search: list[Path]) -> Playlist:
    """A playlist by file path, by name, or by file stem, looked up in ``search`` in order.

    ``"default"`` falls back to the shipped default. Raises PlaylistError.
    """
    candidate = Path(ref).expanduser()
    if candidate.suffix.lower() == ".toml" or candidate.is_file():
        if candidate.is_file():
            return read_playlist(candidate)
        raise PlaylistError(f"playlist file not found: {candidate}")
    wanted = _slug(ref)
    for folder in search:
        path = Path(folder) / f"{ref}.toml"
        if path.is_file():
            return read_playlist(path)
    for name, path in list_playlists(search):
        if _slug(name) == wanted or _slug(path.stem) == wanted:
            return read_playlist(path)
    if wanted == "default":
        return default_playlist()
    known = ", ".join(name for name, _ in list_playlists(search)) or "none"
    raise PlaylistError(f"no playlist named '{ref}' (known: {known})")


VARIATIONS = 8  # seeds 0-7 of every mood ship with their loudness measured: no synthesis at load


def with_variation(playlist: Playlist, number: int) -> Playlist:
    """The playlist with its generated sound in variation ``number`` (0: as written).

    Each generated track's seed (and the bed's) moves by ``number`` within the
    shipped seeds, and the track is titled as that variation, so ratings of
    the tracks apply to what was heard. Files are unchanged.
    """
    from companion.core import text

    if number % VARIATIONS == 0:
        return playlist

    def vary(track: Track) -> Track:
        if not track.is_generated:
            return track
        title = text.MUSIC_VARIATION_TITLE.format(title=track.display_title, number=number % VARIATIONS)
        return replace(track, seed=(track.seed + number) % VARIATIONS, title=title)

    phases = tuple(replace(phase, tracks=tuple(vary(track) for track in phase.tracks)) for phase in playlist.phases)
    return replace(playlist, phases=phases, seed=(playlist.seed + number) % VARIATIONS)


# -- writing (for `playlist import`) ---------------------------------------


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ord(ch) >= 0x20 and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def to_toml(playlist: Playlist, *, relative_to: Path | None = None) -> str:
    """TOML text for a playlist; file paths relative to ``relative_to`` where possible."""
    lines = [
        f"name = {_toml_string(playlist.name)}",
        f"session = {_toml_string(format_duration(playlist.session_seconds))}",
        f"crossfade = {playlist.crossfade:g}",
        f"fade_in = {playlist.fade_in:g}",
        f"fade_out = {playlist.fade_out:g}",
        f"loudness = {playlist.target_lufs:g}",
        f"volume_cap = {playlist.volume_cap:g}",
        f"bed = {_toml_string(playlist.bed)}",
    ]
    if playlist.seed:
        lines.append(f"seed = {playlist.seed}")
    for phase in playlist.phases:
        lines += ["", "[[phases]]", f"name = {_toml_string(phase.name)}"]
        for track in phase.tracks:
            lines += ["", "[[phases.tracks]]"]
            if track.file is not None:
                path = track.file
                if relative_to is not None:
                    try:
                        path = path.relative_to(relative_to)
                    except ValueError:
                        pass
                lines.append(f"file = {_toml_string(path.as_posix())}")
            else:
                lines.append(f"generate = {_toml_string(track.generate or 'ambient')}")
                if track.mood:
                    lines.append(f"mood = {_toml_string(track.mood)}")
                if track.length is not None:
                    lines.append(f"length = {_toml_string(format_duration(track.length))}")
                lines.append(f"seed = {track.seed}")
            if track.title:
                lines.append(f"title = {_toml_string(track.title)}")
            if track.gain:
                lines.append(f"gain = {track.gain:g}")
    return "\n".join(lines) + "\n"


# -- a playlist made from the patient's own files ---------------------------


def resolved(path: Path) -> Path:
    """The absolute, resolved path; a symlink loop or an unreadable folder keeps the path as written."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return path.absolute()


def read_m3u(path: Path) -> tuple[list[Path], list[str]]:
    """The files an M3U playlist lists (relative to it), and notes on what was skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlaylistError(f"file not found: {path}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    files, notes = [], []
    for line in text.lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "://" in line and not line.startswith("file://"):
            notes.append(f"skipped a stream address: {line}")
            continue
        if line.startswith("file://"):
            from urllib.parse import unquote, urlparse

            line = unquote(urlparse(line).path)
        entry = Path(line.replace("\\", "/")).expanduser()
        if not entry.is_absolute():
            entry = path.parent / entry
        files.append(entry)
    return files, notes


def audio_files_in(path: Path) -> list[Path]:
    """The audio files in a folder and below it, in name order (hidden files left out)."""
    suffixes = set(AUDIO_SUFFIXES) | set(OTHER_AUDIO_SUFFIXES)
    return sorted(
        (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(".")),
        key=lambda p: str(p.relative_to(path)).lower(),
    )


def assign_phases(durations: list[float], session_seconds: float) -> list[str]:
    """Phases by order: each track goes to the phase of the arc where its middle falls."""
    total = sum(durations)
    scale = session_seconds / (sum(m for _, m in ARC) * 60)
    bounds = []
    at = 0.0
    for name, minutes in ARC:
        at += minutes * 60 * scale
        bounds.append((at, name))
    stretch = session_seconds / total if total > session_seconds else 1.0
    names = []
    clock = 0.0
    for length in durations:
        middle = (clock + length / 2) * stretch
        names.append(next((name for end, name in bounds if middle < end), ARC[-1][0]))
        clock += length
    return names


def file_name_for(name: str) -> str:
    """The file an imported playlist called ``name`` is written to."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "playlist"
    return f"{slug}.toml"


def imported_playlist(name: str, files: list[Path], durations: list[float],
                      session_seconds: float = float(SESSION_SECONDS)) -> Playlist:
    """A playlist of the patient's files in the order given, each in the phase of
    the arc where its middle falls; what the music leaves free, the bed fills."""
    phases_for = assign_phases(durations, session_seconds)
    phases = []
    for phase_name, _minutes in ARC:
        tracks = tuple(Track(file=resolved(file)) for file, p in zip(files, phases_for) if p == phase_name)
        if tracks:
            phases.append(Phase(phase_name, tracks))
    return Playlist(name=name, session_seconds=session_seconds, phases=tuple(phases), crossfade=8.0,
                    fade_in=30.0, fade_out=60.0)
