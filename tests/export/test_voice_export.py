"""Voice recordings in the export (issue 19): the JSON carries them and an
import into another home brings them back sample for sample; the report
lists them."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from companion.core.clock import FakeClock
from companion.export import get
from companion.export.importer import ImportProblem, restore
from companion.export.selection import Selection, build_report
from companion.store import Store
from tests.voice import spoken

EVERYTHING = Selection(include_private=True)
RATE = 16000


def record(store: Store, seconds: float, **links) -> int:
    """A recording stored as the recorder stores it: a chunk every 5 s."""
    voice = spoken(seconds, RATE)
    recording = store.recordings.start(rate=RATE, **links)
    for at in range(0, len(voice), 5 * RATE):
        store.recordings.append(recording, voice[at:at + 5 * RATE])
    store.recordings.finish(recording)
    return recording


@pytest.fixture
def home(clock: FakeClock) -> Store:
    """A home with a spoken entry (12 s), a private spoken entry and a voice
    note kept with an infusion."""
    store = Store.memory(clock)
    infusion = store.sessions.begin()
    said = store.journal.add("The warm field again", infusion_id=infusion.id)
    record(store, 12.0, entry_id=said.id, infusion_id=infusion.id)
    secret = store.journal.add("Only for me", private=True)
    record(store, 3.0, entry_id=secret.id)
    record(store, 4.0, infusion_id=infusion.id)
    return store


def exported(store: Store, selection: Selection = EVERYTHING) -> dict:
    return json.loads(get("json").render(build_report(store, selection)))


def other_home(clock: FakeClock) -> Store:
    """Another home whose ids are taken by records of its own."""
    store = Store.memory(clock)
    for n in range(3):
        store.journal.add(f"Already here {n}")
    infusion = store.sessions.begin()
    record(store, 2.0, infusion_id=infusion.id)
    return store


def test_a_recording_comes_back_sample_for_sample_in_another_home(home, clock):
    doc = exported(home)
    assert len(doc["tables"]["recordings"]) == 3
    # the pieces of sound are part of their recording, not records of their own
    assert build_report(home, EVERYTHING).records == 1 + 2 + 3
    assert build_report(home, EVERYTHING, sound=False).tables["recording_chunks"] == []
    first = doc["tables"]["recording_chunks"][0]
    assert base64.b64decode(first["data"]).startswith(b"fLaC")
    there = other_home(clock)
    outcome = restore(there, doc)
    assert outcome.added["recordings"] == 3 and outcome.added["recording_chunks"] == 3 + 1 + 1
    [hit] = there.journal.search("warm field")
    [back] = there.recordings.for_entry(hit.entry.id)
    [original] = home.recordings.for_entry(home.journal.search("warm field")[0].entry.id)
    assert back.id != original.id and hit.entry.id != original.entry_id  # other ids, mapped
    assert back.infusion_id == hit.entry.infusion_id
    assert back.seconds == pytest.approx(12.0)
    assert np.array_equal(there.recordings.samples(back.id), home.recordings.samples(original.id))
    assert len(there.recordings.samples(back.id)) == 12 * RATE


def test_the_same_file_twice_adds_nothing(home, clock):
    doc = exported(home)
    there = other_home(clock)
    restore(there, doc)
    before = there.db.execute("select count(*) from recording_chunks").fetchone()[0]
    again = restore(there, doc)
    assert again.total("added") == 0 and again.total("updated") == 0
    assert there.db.execute("select count(*) from recording_chunks").fetchone()[0] == before
    assert there.db.execute("select count(*) from recordings").fetchone()[0] == 1 + 3


def test_a_private_entry_keeps_its_voice_at_home(home):
    doc = exported(home, Selection())
    seconds = sorted(r["seconds"] for r in doc["tables"]["recordings"])
    assert seconds == [pytest.approx(4.0), pytest.approx(12.0)]
    kept = {r["id"] for r in doc["tables"]["recordings"]}
    assert {c["recording_id"] for c in doc["tables"]["recording_chunks"]} == kept
    left = exported(home, Selection(include_private=True, sessions=(2,)))
    assert left["tables"]["recordings"] == [] and left["tables"]["recording_chunks"] == []


def _refused(store: Store, doc: dict) -> str:
    with pytest.raises(ImportProblem) as caught:
        restore(store, doc)
    return str(caught.value)


@pytest.mark.parametrize("broken, why", [
    (base64.b64encode(b"RIFF....WAVEfmt not flac at all").decode(), "(FLAC)"),
    ("this is not base64!", "(base64 text)"),
    (base64.b64encode(b"fLaC" + b"\0" * 40).decode(), "(FLAC)"),
])
def test_a_broken_chunk_is_refused_and_nothing_is_written(home, clock, broken, why):
    doc = exported(home)
    chunk = doc["tables"]["recording_chunks"][1]
    chunk["data"] = broken
    there = other_home(clock)
    message = _refused(there, doc)
    assert f"recording_chunks record {chunk['recording_id']}/{chunk['seq']}, data" in message
    assert why in message and "nothing was written" in message
    assert there.db.execute("select count(*) from recordings").fetchone()[0] == 1
    assert there.journal.search("warm field") == []


def test_a_recording_whose_entry_is_not_in_the_file_is_refused(home, clock):
    doc = exported(home)
    spoken_entry = doc["tables"]["recordings"][0]["entry_id"]
    doc["tables"]["entries"] = [e for e in doc["tables"]["entries"] if e["id"] != spoken_entry]
    there = other_home(clock)
    message = _refused(there, doc)
    recording = doc["tables"]["recordings"][0]["id"]
    assert f"recordings record {recording}, entry_id: points to entries record {spoken_entry}" in message
    assert there.db.execute("select count(*) from recording_chunks").fetchone()[0] == 1


def _readable(store: Store, fmt: str, selection: Selection) -> str:
    import html
    import io
    import re

    from pypdf import PdfReader

    data = get(fmt).render(build_report(store, selection))
    if fmt == "pdf":
        return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    words = data.decode("utf-8")
    if fmt == "html":
        words = html.unescape(re.sub(r"<[^>]+>", " ", words))
    return " ".join(words.split())


@pytest.mark.parametrize("fmt", ["pdf", "html", "md"])
def test_the_report_lists_each_included_recording(home, fmt):
    shared = _readable(home, fmt, Selection())
    assert "Voice recordings" in shared
    day = home.clock.now().date().isoformat()
    assert shared.count(day) >= 2
    assert "0:12" in shared and "journal entry “The warm field again” (Infusion 1 of 6)" in shared
    assert "0:04" in shared and "Infusion 1 of 6" in shared
    assert "0:03" not in shared  # the private entry's voice stays home, and is not named
    everything = _readable(home, fmt, EVERYTHING)
    assert "0:03" in everything and "journal entry “Only for me”" in everything


@pytest.mark.parametrize("fmt", ["pdf", "html", "md"])
def test_a_report_without_recordings_has_no_such_section(home, fmt):
    assert "Voice recordings" not in _readable(home, fmt, Selection(sessions=(2,)))


def test_a_moments_voice_note_comes_back_with_its_moment(home, clock):
    """A voice note spoken for a marked moment (m016) keeps its moment in
    another home, where the moment has another id."""
    infusion = home.sessions.all()[0]
    moment = home.sessions.mark_moment(infusion.id, 1234.0, "Warm field", "plateau", note="light")
    record(home, 6.0, infusion_id=infusion.id, moment_id=moment.id)
    there = other_home(clock)
    there.sessions.mark_moment(there.sessions.all()[0].id, 10.0, "Theirs", "onset")  # takes an id
    restore(there, exported(home))
    [back_moment] = [m for i in there.sessions.all() for m in there.sessions.moments(i.id)
                     if m.note == "light"]
    [voice] = there.recordings.for_moment(back_moment.id)
    assert back_moment.id != moment.id
    assert voice.seconds == pytest.approx(6.0)
    [original] = home.recordings.for_moment(moment.id)
    assert np.array_equal(there.recordings.samples(voice.id), home.recordings.samples(original.id))


def test_a_moments_voice_stays_home_when_the_moments_do(home):
    infusion = home.sessions.all()[0]
    moment = home.sessions.mark_moment(infusion.id, 1234.0, "Warm field", "plateau")
    kept = record(home, 6.0, infusion_id=infusion.id, moment_id=moment.id)
    doc = exported(home, Selection(include_private=True, exclude_fields=frozenset({"moments"})))
    assert kept not in {r["id"] for r in doc["tables"]["recordings"]}


@pytest.mark.parametrize("fmt", ["pdf", "md"])
def test_the_report_says_which_moment_a_voice_note_was_spoken_for(home, fmt):
    infusion = home.sessions.all()[0]
    moment = home.sessions.mark_moment(infusion.id, 1234.0, "Warm field", "plateau")
    record(home, 6.0, infusion_id=infusion.id, moment_id=moment.id)
    shared = _readable(home, fmt, Selection())
    assert "the moment marked at 20:34 (Infusion 1 of 6)" in shared
