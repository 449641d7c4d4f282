"""The therapist export: exporters looked up by name, and the one safe way to write.

    report = build_report(store, Selection(...))      # selection.py
    result = export(store, selection, "pdf", path)   # renders, writes, records

Every file is written to a temporary file in the same folder with mode 0600,
flushed, then renamed into place; an existing file is replaced only with
``force``. Each export is recorded in the store (``store.exports``) with its
SHA-256.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from companion.core import files, text
from companion.core.files import write_problem
from companion.export.selection import Report, Selection, SelectionError, build_report

__all__ = [
    "EXPORTERS", "ExportProblem", "ExportResult", "Exporter", "FileExists", "Progress", "Report",
    "Selection", "SelectionError", "Written", "build_report", "check_audio", "check_target", "export", "get", "guess_format",
    "record", "write_atomic", "write_file",
]

#: Called now and then while a report is rendered, with the part done (0.0 to 1.0).
Progress = Callable[[float], None]


class ExportProblem(Exception):
    """The export could not be written; the message is one line for the patient."""


class FileExists(ExportProblem):
    """The file is there already and ``force`` was not given."""


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    module: str
    description: str

    def render(self, report: Report, progress: Progress | None = None,
               password: str | None = None) -> bytes:
        module = importlib.import_module(f"companion.export.{self.module}")
        render: Callable[..., bytes] = module.render
        if password:  # only the PDF can carry a password of its own
            if "password" not in inspect.signature(render).parameters:
                raise ExportProblem(f"a {self.name.upper()} file cannot have a password; choose PDF")
            return render(report, progress=progress, password=password)
        if progress is not None and "progress" in inspect.signature(render).parameters:
            return render(report, progress=progress)  # the slow formats say how far they are
        return render(report)


EXPORTERS: dict[str, Exporter] = {
    e.name: e for e in (
        Exporter("pdf", ".pdf", "pdf", text.EXPORT_FORMATS["pdf"]),
        Exporter("html", ".html", "html", text.EXPORT_FORMATS["html"]),
        Exporter("md", ".md", "markdown", text.EXPORT_FORMATS["md"]),
        Exporter("json", ".json", "json", text.EXPORT_FORMATS["json"]),
        Exporter("csv", ".csv", "csv", text.EXPORT_FORMATS["csv"]),
    )
}
ALIASES = {"markdown": "md", "htm": "html", "text": "md", "txt": "md"}


def get(name: str) -> Exporter:
    key = ALIASES.get(name.lower(), name.lower())
    try:
        return EXPORTERS[key]
    except KeyError:
        raise ExportProblem(
            f"unknown format {name!r}; choose one of {', '.join(EXPORTERS)}"
        ) from None


def guess_format(path: Path) -> str | None:
    suffix = path.suffix.lower().lstrip(".")
    if not suffix:
        return None
    key = ALIASES.get(suffix, suffix)
    return key if key in EXPORTERS else None


def check_target(path: Path, force: bool) -> Path:
    """Where the file will go; problems are raised before anything is rendered."""
    path = Path(os.path.expanduser(path))
    if path.is_dir():
        raise ExportProblem(f"{path} is a folder; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise ExportProblem(f"the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportProblem(f"cannot write in {parent}: permission denied")
    if path.exists() and not force:
        raise FileExists(f"{path} exists already; choose another name or use --force to replace it")
    return path


def write_atomic(path: Path, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all (``core.files.write_atomic``);
    without ``force`` a file that is there already, or appears meanwhile, stays."""
    path = check_target(path, force)
    try:
        files.write_atomic(path, data, replace=force)
    except FileExistsError:
        raise FileExists(f"{path} exists already; choose another name or use --force to replace it") from None
    except OSError as exc:
        raise ExportProblem(f"cannot write {path}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class Written:
    """A file written by ``write_file``, not yet recorded."""

    path: Path
    format: str
    sha256: str
    size: int
    #: The voice recordings written beside it (``include_audio``).
    audio: tuple[Path, ...] = ()


@dataclass
class ExportResult:
    path: Path
    format: str
    sha256: str
    size: int
    report: Report
    record: Any
    not_logged: str | None = None
    """Why the written file could not be added to the log of exports (a
    read-only or full database), or None."""
    audio: tuple[Path, ...] = ()


def check_audio(fmt: str, path: Path, force: bool) -> Path:
    """The folder the voice recordings go to beside the report at ``path``;
    problems are raised before anything is rendered."""
    from companion.export.audio import FORMATS, folder_for

    if get(fmt).name not in FORMATS:
        raise ExportProblem(text.EXPORT_AUDIO_FORMATS)
    folder = folder_for(Path(os.path.expanduser(path)))
    if folder.exists() and not (force and folder.is_dir()):
        raise FileExists(text.EXPORT_AUDIO_EXISTS.format(folder=folder))
    return folder


def write_file(report: Report, fmt: str, path: Path, *, force: bool = False,
               progress: Progress | None = None, password: str | None = None,
               include_audio: bool = False) -> Written:
    """Render ``report`` and write it safely; with ``include_audio`` the voice
    recordings it includes go first into a private folder beside it, which
    the report names. Touches no database, so it may run in a worker thread;
    ``record`` then logs it on the store's thread."""
    exporter = get(fmt)
    path = check_target(Path(path), force)
    audio: list[Path] = []
    if include_audio:
        from companion.export.audio import write_audio

        folder = check_audio(fmt, path, force)
        report = replace(report, audio_folder=folder.name)
        data = exporter.render(report, progress, password)
        try:
            audio = write_audio(report, folder, force=force)
        except FileExistsError:
            raise FileExists(text.EXPORT_AUDIO_EXISTS.format(folder=folder)) from None
        except OSError as exc:
            raise ExportProblem(text.EXPORT_AUDIO_FAILED.format(
                folder=folder, problem=exc.strerror or exc)) from None
        except RuntimeError as exc:  # the encoder (soundfile): a full disk says so here too
            raise ExportProblem(text.EXPORT_AUDIO_FAILED.format(folder=folder, problem=exc)) from None
    else:
        data = exporter.render(report, progress, password)
    write_atomic(path, data, force)
    return Written(path.resolve(), exporter.name, hashlib.sha256(data).hexdigest(), len(data),
                   tuple(p.resolve() for p in audio))


def record(store: Any, written: Written, report: Report) -> Any:
    """Log a written export (when, what was selected, format, counts, file, SHA-256)."""
    return store.exports.record(
        format=written.format, path=str(written.path), sha256=written.sha256, size=written.size,
        records=report.records, counts=report.counts(), selection=report.selection.as_dict(),
    )


def export(store: Any, selection: Selection, fmt: str, path: Path, *, force: bool = False,
           now: datetime | None = None, report: Report | None = None,
           password: str | None = None, include_audio: bool = False) -> ExportResult:
    """Build, render, write and record one export."""
    get(fmt)
    check_target(Path(path), force)  # before the work of building the report
    if include_audio:
        check_audio(fmt, Path(path), force)
    if report is None:
        report = build_report(store, selection, now)
    written = write_file(report, fmt, path, force=force, password=password,
                         include_audio=include_audio)
    try:
        logged = record(store, written, report)
    except sqlite3.Error as exc:  # the file is written: say so, and why it is not logged
        return ExportResult(written.path, written.format, written.sha256, written.size, report,
                            None, write_problem(exc), written.audio)
    return ExportResult(written.path, written.format, written.sha256, written.size, report, logged,
                        audio=written.audio)
