"""Voice recordings inside the journal's database (issue 19)."""

from __future__ import annotations

import numpy as np
import pytest

from companion.store import Store
from companion.store.recordings import CHUNK_SECONDS, RecordingError
from tests.voice import rms_db, spoken

RATE = 24000


def record(store: Store, seconds: float, **where) -> tuple[int, np.ndarray]:  # type: ignore[no-untyped-def]
    voice = spoken(seconds, RATE)
    recording_id = store.recordings.start(rate=RATE, **where)
    size = int(CHUNK_SECONDS * RATE)
    for start in range(0, len(voice), size):
        store.recordings.append(recording_id, voice[start:start + size])
    return recording_id, voice


def test_a_recording_decodes_to_the_same_length_and_level(store: Store) -> None:
    recording_id, voice = record(store, 12.3)
    entry = store.journal.add("spoken after the infusion")
    done = store.recordings.finish(recording_id, entry_id=entry.id)
    back = store.recordings.samples(recording_id)
    assert back.shape == (len(voice), 1)
    assert done.seconds == pytest.approx(12.3, abs=1 / RATE)
    assert abs(rms_db(back) - rms_db(voice)) < 0.01  # lossless (16 bit)
    assert np.max(np.abs(back[:, 0] - voice)) < 2 / 32768
    assert store.recordings.seconds_by_entry() == {entry.id: pytest.approx(12.3, abs=1 / RATE)}
    # compressed: FLAC keeps speech in well under the 16-bit size
    assert store.recordings.stored_bytes(recording_id) < len(voice) * 2 * 0.8


def test_each_chunk_is_kept_as_it_comes_so_an_interrupted_recording_keeps_what_was_said(paths, clock):
    store = Store.open(paths.database, clock)
    recording_id, voice = record(store, 11.0)  # three chunks; never finished (the process died)
    store.db.conn.close()  # no goodbye: what is committed is what a crash leaves
    again = Store.open(paths.database, clock)
    [left] = again.recordings.unfinished()
    assert left.id == recording_id and left.seconds == pytest.approx(11.0, abs=1 / RATE)
    assert len(again.recordings.samples(recording_id)) == len(voice)
    again.close()


def test_discarded_goes_to_the_trash_and_a_wrong_chunk_is_refused(store: Store) -> None:
    entry = store.journal.add("words")
    recording_id, _ = record(store, 2.0, entry_id=entry.id)
    assert [r.id for r in store.recordings.for_entry(entry.id)] == [recording_id]
    store.recordings.discard(recording_id)
    assert store.recordings.for_entry(entry.id) == []
    assert store.recordings.seconds_by_entry() == {}
    with pytest.raises(RecordingError):
        store.recordings.append(recording_id, np.zeros((10, 2), dtype=np.float32))  # mono recording
    with pytest.raises(RecordingError):
        store.recordings.start(rate=100)
