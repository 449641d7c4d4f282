"""The patient's settings: a small TOML file in the home directory.

Unknown keys are kept out, wrong types fall back to the default with a
notice, and a broken file never stops the app from starting.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from companion.core import text
from companion.core.files import write_atomic


@dataclass(frozen=True)
class Settings:
    crisis_contacts: str = text.DEFAULT_CRISIS_CONTACTS
    """Shown on Home, the journal and (its first line) every writing screen; a clinic can set its own."""
    playlist: str = "default"
    """Name of the session playlist."""
    volume: float = 0.6
    """Playback volume, 0.0 to 1.0 (the playlist's cap still applies)."""
    audio_backend: str = "auto"
    """"auto" uses the sound card, falling back to silent playback; "null" is always silent."""
    show_track: bool = True
    """Whether the Experience screen shows the current track."""
    music_variation: str = "known"
    """Generated music: "known" plays the same piece every infusion (the one you know); "new"
    plays another variation of it each infusion (its tracks are rated as that variation)."""
    render_ahead: bool = True
    """Between infusions, render the generated music the next infusion plays (about 75 MB in the
    cache folder), so that during the infusion it is played like a recording: lighter on the
    computer. false: it is always made as it plays."""
    mark_tone: bool = True
    """Marking a moment also plays a soft tone under the music (false: the line on screen only)."""
    idle_lock_minutes: int = 10
    """Lock an encrypted journal after this many idle minutes, never during the infusion; 0 never."""
    use_keyring: bool = False
    """Take the passphrase of an encrypted journal from the system keyring."""
    theme: str = "textual-dark"
    """The colour theme (chosen with Ctrl+P, Theme); an unknown name falls back to the default."""
    problems: tuple[str, ...] = field(default=(), compare=False)
    """What was wrong with the file, one line each (not saved)."""


_SAVED = [f for f in fields(Settings) if f.name != "problems"]


def load(path: Path) -> Settings:
    """Read the settings; a missing file gives the defaults."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        return Settings(problems=(f"Could not read {path}: {exc.strerror}.",))
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        return Settings(problems=(f"{path} is not valid TOML ({exc}); using the defaults.",))
    values: dict[str, object] = {}
    problems: list[str] = []
    defaults = Settings()
    for f in _SAVED:
        if f.name not in data:
            continue
        value = data[f.name]
        default = getattr(defaults, f.name)
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not type(default):
            problems.append(f"Setting {f.name!r} should be a {type(default).__name__}; using the default.")
            continue
        values[f.name] = value
    if "volume" in values:
        values["volume"] = min(1.0, max(0.0, float(values["volume"])))  # type: ignore[arg-type]
    if "idle_lock_minutes" in values and not 0 <= values["idle_lock_minutes"] <= 24 * 60:  # type: ignore[operator]
        problems.append("Setting 'idle_lock_minutes' should be 0 (never) to 1440; using the default.")
        values.pop("idle_lock_minutes")
    if "crisis_contacts" in values and not str(values["crisis_contacts"]).strip():
        problems.append(text.CRISIS_CONTACTS_EMPTY)
        values.pop("crisis_contacts")
    if values.get("music_variation") not in (None, "known", "new"):
        problems.append("Setting 'music_variation' should be \"known\" or \"new\"; using \"known\".")
        values.pop("music_variation")
    if values.get("audio_backend") not in (None, "auto", "null"):
        problems.append("Setting 'audio_backend' should be \"auto\" or \"null\"; using \"auto\".")
        values.pop("audio_backend")
    return replace(defaults, problems=tuple(problems), **values)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def save(settings: Settings, path: Path) -> None:
    """Write the settings through a temporary file, private to the user."""
    data = asdict(settings)
    lines = ["# companion settings", ""]
    lines += [f"{f.name} = {_toml_value(data[f.name])}" for f in _SAVED]
    write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
