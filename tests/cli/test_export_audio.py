"""``companion export --include-audio`` (issue 19): the voice recordings the
report lists, as FLAC files in a private folder beside it."""

from __future__ import annotations

import errno
import os
import stat

import numpy as np
import soundfile

from companion.cli import main
from companion.store import Store
from tests.voice import spoken

RATE = 16000


def _seed(paths) -> dict[str, np.ndarray]:
    """A spoken entry (12 s, three pieces), a private spoken entry and a voice
    note of an infusion; returns the stored samples of each by its length."""
    store = Store.open(paths.database)
    try:
        infusion = store.sessions.begin()
        said = store.journal.add("The warm field again", infusion_id=infusion.id)
        secret = store.journal.add("Only mine", private=True)
        stored = {}
        for seconds, links in ((12.0, {"entry_id": said.id}), (3.0, {"entry_id": secret.id}),
                               (4.0, {"infusion_id": infusion.id})):
            voice = spoken(seconds, RATE)
            recording = store.recordings.start(rate=RATE, **links)
            for at in range(0, len(voice), 5 * RATE):
                store.recordings.append(recording, voice[at:at + 5 * RATE])
            store.recordings.finish(recording)
            stored[f"{seconds:g}"] = store.recordings.samples(recording)
        return stored
    finally:
        store.close()


def test_the_recordings_go_beside_the_report_private_and_sample_for_sample(paths, tmp_path, capsys):
    stored = _seed(paths)
    old = os.umask(0o022)  # a usual umask: the folder and files must still be private
    try:
        assert main(["export", "--out", str(tmp_path / "report.md"), "--include-audio"]) == 0
    finally:
        os.umask(old)
    out = capsys.readouterr().out
    folder = tmp_path / "report-audio"
    assert f"Wrote 2 voice recording(s) to {folder}" in out
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert len(files) == 2 and not [f for f in files if f.name.startswith(".")]
    report = (tmp_path / "report.md").read_text()
    assert "its file is in report-audio, beside this report" in report
    assert "kept in the journal" not in report
    by_length = {}
    for file in files:
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
        assert file.name in report  # the report's table names each file
        samples, rate = soundfile.read(file, dtype="float32", always_2d=True)
        assert rate == RATE
        by_length[f"{len(samples) / RATE:g}"] = samples
    assert set(by_length) == {"12", "4"}  # the private entry's voice stayed home
    for length, samples in by_length.items():
        assert np.array_equal(samples, stored[length])


def test_each_file_is_created_0600_from_its_first_moment(paths, tmp_path, monkeypatch, capsys):
    _seed(paths)
    opened = []
    real_open = os.open

    def watch(path, flags, mode=0o777, *args, **kwargs):
        if str(path).endswith(".flac.part"):
            opened.append((flags & os.O_CREAT, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", watch)
    assert main(["export", "--out", str(tmp_path / "r.html"), "--include-audio"]) == 0
    assert opened and all(created and mode == 0o600 for created, mode in opened)


def test_a_folder_there_already_or_a_full_disk_is_one_line(paths, tmp_path, monkeypatch, capsys):
    _seed(paths)
    (tmp_path / "r-audio").mkdir()
    assert main(["export", "--out", str(tmp_path / "r.pdf"), "--include-audio"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "r-audio exists already" in err
    assert not (tmp_path / "r.pdf").exists()

    def full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(soundfile.SoundFile, "write", full)
    assert main(["export", "--out", str(tmp_path / "s.pdf"), "--include-audio"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "No space left on device" in err and "Traceback" not in err
    assert not (tmp_path / "s.pdf").exists()  # no report naming files that are not there
    assert not (tmp_path / "s-audio").exists()  # no piece, no folder left behind


def test_json_carries_the_voice_itself(paths, tmp_path, capsys):
    _seed(paths)
    assert main(["export", "--out", str(tmp_path / "r.json"), "--include-audio"]) == 1
    assert "the JSON carries them already" in capsys.readouterr().err
    assert not (tmp_path / "r-audio").exists()
