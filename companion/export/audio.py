"""The sound of the report's voice recordings, written beside it on request
(``companion export --include-audio``, the tick on the Export screen; issue 19).

One FLAC file per recording the selection includes, in a folder named after
the report (``report.pdf`` -> ``report-audio/``). The folder is the patient's
alone (mode 0700) and every file is created 0600 from its first moment
(``os.open`` with the mode, never wider), written under a hidden name and
renamed into place when whole. A recording is decoded and encoded again one
stored piece (a few seconds) at a time, so a long one never sits in memory
as samples. The report's table names each file (``view.recording_file``).
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import Any

from companion.core.files import sync_folder
from companion.export.view import recording_file, recordings_in_order

#: Only what the patient reads lists the files; the JSON carries the sound itself.
FORMATS = ("pdf", "html", "md")


def folder_for(report_path: Path) -> Path:
    """``~/report.pdf`` -> ``~/report-audio``."""
    return report_path.with_name(f"{report_path.stem}-audio")


def _pieces(report: Any, recording_id: int) -> list[bytes]:
    chunks = [c for c in report.tables.get("recording_chunks", []) if c["recording_id"] == recording_id]
    return [bytes(c["data"]) for c in sorted(chunks, key=lambda c: c["seq"])]


def _write_one(path: Path, rate: int, channels: int, pieces: list[bytes]) -> None:
    """One recording to ``path``: created 0600, a piece at a time, then renamed
    into place. Raises OSError (a full disk) or RuntimeError (the encoder);
    nothing is left behind."""
    import soundfile

    part = path.with_name(f".{path.name}.part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            with soundfile.SoundFile(raw, "w", samplerate=rate, channels=channels,
                                     format="FLAC", subtype="PCM_16") as out:
                for data in pieces:
                    samples, _rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
                    out.write(samples)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


def write_audio(report: Any, folder: Path, *, force: bool = False) -> list[Path]:
    """Every included recording as a FLAC file in ``folder``; returns the files.
    Raises OSError, FileExistsError (the folder is there and not ``force``),
    or RuntimeError; then what this call wrote is gone again (a folder it
    made too), so no half set of files stays beside a report never written."""
    made = False
    try:
        os.mkdir(folder, 0o700)
        made = True
    except FileExistsError:
        if not force or not folder.is_dir():
            raise
    written: list[Path] = []
    try:
        os.chmod(folder, 0o700)  # never wider than the patient alone (umask only narrows mkdir)
        for index, row in enumerate(recordings_in_order(report), start=1):
            path = folder / recording_file(row, index)
            _write_one(path, int(row["rate"]), int(row["channels"]), _pieces(report, row["id"]))
            written.append(path)
        sync_folder(folder)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return written
