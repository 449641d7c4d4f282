"""Where companion keeps its files.

Everything lives under one home: the platformdirs user data directory by
default, or the directory given by ``--home`` or ``COMPANION_HOME``. With an
explicit home, settings and caches move there too, so a test (or a patient
with a USB stick) never touches the default location.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "companion"
ENV_HOME = "COMPANION_HOME"


@dataclass(frozen=True)
class Paths:
    home: Path
    cache: Path

    @property
    def database(self) -> Path:
        return self.home / "companion.db"

    @property
    def settings(self) -> Path:
        return self.home / "settings.toml"

    @property
    def playlists(self) -> Path:
        """The patient's own playlists (the defaults ship in the package)."""
        return self.home / "playlists"

    @property
    def analysis_cache(self) -> Path:
        """Loudness and duration cache of audio files: no patient data."""
        return self.cache / "analysis.db"

    @property
    def scores(self) -> Path:
        """The generated music rendered ahead of the next infusion: no patient data."""
        return self.cache / "scores"

    def ensure(self) -> None:
        """Create the directories, private to the user."""
        for folder in (self.home, self.cache):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def resolve(home: str | os.PathLike[str] | None = None) -> Paths:
    """The paths for an explicit home, ``COMPANION_HOME``, or the platform default."""
    chosen = home if home is not None else os.environ.get(ENV_HOME) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return Paths(home=root, cache=root / "cache")
    return Paths(
        home=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
