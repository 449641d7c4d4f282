"""Voice recordings (issue 19): a journal entry spoken instead of typed.

The audio lives in the database, never in a file beside it: an encrypted
journal encrypts it too, and a temporary file is never written. A recording
is stored as it is made, in chunks of a few seconds, each encoded on its own
(FLAC, lossless, through soundfile) and committed at once, so a crash or a
killed process loses at most the chunk being recorded, and any chunk decodes
without the others. Memory stays bounded: one chunk at a time, both ways.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from companion.core.records import new_uid
from companion.store.base import Repo, parse_time

if TYPE_CHECKING:
    import numpy as np

#: Seconds of audio in one stored chunk.
CHUNK_SECONDS = 5.0


class RecordingError(ValueError):
    """Audio that cannot be stored or read back; ``str()`` is one line."""


@dataclass(frozen=True)
class Recording:
    id: int
    entry_id: int | None
    infusion_id: int | None
    created_at: str
    rate: int
    channels: int
    seconds: float
    finished: bool
    moment_id: int | None = None
    #: When it went to the trash (None: it is kept).
    deleted_at: datetime | None = None


def _recording(row: dict[str, Any]) -> Recording:
    return Recording(row["id"], row["entry_id"], row["infusion_id"], row["created_at"],
                     row["rate"], row["channels"], float(row["seconds"] or 0.0),
                     row["finished_at"] is not None, row.get("moment_id"),
                     parse_time(row.get("deleted_at")))


def encode(samples: "np.ndarray", rate: int) -> bytes:
    """One chunk as FLAC bytes (16 bit), written to memory only."""
    import soundfile

    out = io.BytesIO()
    soundfile.write(out, samples, rate, format="FLAC", subtype="PCM_16")
    return out.getvalue()


def decode(data: bytes) -> "np.ndarray":
    """A stored chunk back as float32 samples, (frames, channels)."""
    import soundfile

    try:
        samples, _rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise RecordingError(f"a piece of the recording cannot be read ({exc})") from None
    return samples


class Recordings(Repo):
    def start(self, *, rate: int, channels: int = 1, entry_id: int | None = None,
              infusion_id: int | None = None, moment_id: int | None = None) -> int:
        """A new, empty recording (of a page, or of a marked moment); returns its id."""
        if not 8000 <= int(rate) <= 192000 or channels not in (1, 2):
            raise RecordingError(f"cannot record at {rate} Hz with {channels} channels")
        table = self.db["recordings"]
        with self.db.atomic():
            table.insert({
                "uid": new_uid(), "entry_id": entry_id, "infusion_id": infusion_id,
                "created_at": self.stamp(), "rate": int(rate), "channels": int(channels),
                "seconds": 0.0, "moment_id": moment_id,
            })
        return int(table.last_pk)

    def append(self, recording_id: int, samples: "np.ndarray") -> None:
        """Store the next chunk, committed at once (a crash keeps it)."""
        import numpy as np

        recording = self.get(recording_id)
        block = np.asarray(samples, dtype=np.float32)
        if block.ndim == 1:
            block = block[:, None]
        if block.shape[1] != recording.channels:
            raise RecordingError("the chunk has another number of channels than its recording")
        if not len(block):
            return
        data = encode(np.clip(block, -1.0, 1.0), recording.rate)
        with self.db.atomic():
            seq = self.db.execute(
                "select coalesce(max(seq) + 1, 0) from recording_chunks where recording_id = ?",
                [recording_id]).fetchone()[0]
            self.db["recording_chunks"].insert(
                {"recording_id": recording_id, "seq": seq, "frames": len(block), "data": data})
            self.db.execute("update recordings set seconds = seconds + ? where id = ?",
                            [len(block) / recording.rate, recording_id])

    def finish(self, recording_id: int, *, entry_id: int | None = None) -> Recording:
        """The recording is complete (and, when given, belongs to this entry)."""
        with self.db.atomic():
            changes: dict[str, Any] = {"finished_at": self.stamp()}
            if entry_id is not None:
                changes["entry_id"] = entry_id
            self.db["recordings"].update(recording_id, changes)
        return self.get(recording_id)

    def discard(self, recording_id: int) -> None:
        """To the trash, like an entry: kept until the trash is emptied."""
        with self.db.atomic():
            self.db["recordings"].update(recording_id, {"deleted_at": self.stamp()})

    def trashed(self) -> list[tuple[Recording, str, float | None]]:
        """Recordings in the trash, the latest first, each with the text of its
        page ("" without one) and the position of its moment (None without)."""
        rows = self.db.query(
            "select r.*, e.text as page_text, m.position as moment_position from recordings r "
            "left join entries e on e.id = r.entry_id left join moments m on m.id = r.moment_id "
            "where r.deleted_at is not null order by r.deleted_at desc, r.id desc")
        return [(_recording(row), row["page_text"] or "", row["moment_position"]) for row in rows]

    def restore(self, recording_id: int) -> Recording:
        """Back from the trash, with its page or moment as before."""
        with self.db.atomic():
            self.db["recordings"].update(recording_id, {"deleted_at": None})
        return self.get(recording_id)

    def get(self, recording_id: int) -> Recording:
        return _recording(self.db["recordings"].get(recording_id))

    def for_entry(self, entry_id: int) -> list[Recording]:
        return [_recording(r) for r in self.db["recordings"].rows_where(
            "entry_id = ? and deleted_at is null", [entry_id], order_by="id")]

    def for_moment(self, moment_id: int) -> list[Recording]:
        """The voice notes spoken for a marked moment, oldest first."""
        return [_recording(r) for r in self.db["recordings"].rows_where(
            "moment_id = ? and deleted_at is null", [moment_id], order_by="id")]

    def seconds_by_moment(self) -> dict[int, float]:
        """How long the voice notes of each marked moment last, for the report."""
        return {int(m): float(s) for m, s in self.db.execute(
            "select moment_id, sum(seconds) from recordings where moment_id is not null "
            "and deleted_at is null group by moment_id").fetchall()}

    def unfinished(self) -> list[Recording]:
        """Recordings a crash interrupted: what was saved of them is kept."""
        return [_recording(r) for r in self.db["recordings"].rows_where(
            "finished_at is null and deleted_at is null and seconds > 0", order_by="id")]

    def count(self) -> int:
        """Recordings not in the trash (the Export screen offers their sound)."""
        return int(self.db.execute(
            "select count(*) from recordings where deleted_at is null").fetchone()[0])

    def seconds_by_entry(self) -> dict[int, float]:
        """How long the recordings of each entry last, for the journal list."""
        return {int(e): float(s) for e, s in self.db.execute(
            "select entry_id, sum(seconds) from recordings where entry_id is not null "
            "and deleted_at is null group by entry_id").fetchall()}

    def chunks(self, recording_id: int) -> Iterator["np.ndarray"]:
        """The recording's samples, a chunk at a time, in order."""
        for (data,) in self.db.execute(
                "select data from recording_chunks where recording_id = ? order by seq",
                [recording_id]).fetchall():
            yield decode(data)

    def samples(self, recording_id: int) -> "np.ndarray":
        """The whole recording as float32 (frames, channels)."""
        import numpy as np

        recording = self.get(recording_id)
        parts = list(self.chunks(recording_id))
        if not parts:
            return np.zeros((0, recording.channels), dtype=np.float32)
        return np.concatenate(parts)

    def remove(self, recording_id: int) -> None:
        """Gone entirely: a recording whose making failed (an unreadable file)."""
        with self.db.atomic():
            self.db.execute("delete from recording_chunks where recording_id = ?", [recording_id])
            self.db.execute("delete from recordings where id = ?", [recording_id])

    def stored_bytes(self, recording_id: int) -> int:
        return int(self.db.execute(
            "select coalesce(sum(length(data)), 0) from recording_chunks where recording_id = ?",
            [recording_id]).fetchone()[0])
