"""The generated score rendered ahead (audio/scores.py): played like a recording, the same
music as the synthesis; steering, a damaged or short file, a stop, a full disk."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from companion.audio.ambient import AmbientSource, Steering
from companion.audio.analysis import AnalysisCache
from companion.audio.mixer import Mixer
from companion.audio.scores import (
    PART, SUM, RenderedScore, Renderer, Score, ScoreCache, main, render, scores_of,
)
from companion.audio.session import build_session
from companion.core.playlist import Phase, Playlist, Track

RATE = 22050


def _playlist(seconds: float = 20.0) -> Playlist:
    return Playlist(name="brief", session_seconds=2 * seconds,
                    phases=(Phase("settle", (Track(generate="ambient", mood="settle", length=seconds, seed=1),)),
                            Phase("plateau", (Track(generate="ambient", mood="plateau", length=seconds, seed=3),))),
                    crossfade=4.0, fade_in=1.0, fade_out=2.0, target_lufs=-23.0, bed="silence")


def _snr(reference: np.ndarray, other: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(reference**2) / np.mean((reference - other) ** 2)))


def _rendered(tmp_path: Path, playlist: Playlist) -> ScoreCache:
    cache = ScoreCache(tmp_path / "scores")
    cache.folder.mkdir()
    for score in scores_of(playlist, RATE):
        assert render(cache.folder, score) is not None
    return cache


def test_the_session_plays_the_rendered_file_and_it_is_the_same_music_as_live(tmp_path):
    playlist = _playlist()
    cache = ScoreCache(tmp_path / "scores")
    session = build_session(playlist, RATE, AnalysisCache(None), scores=cache)
    entry = session.plan.entries[1]
    assert isinstance(session.open(entry, 5 * RATE), AmbientSource)  # nothing rendered yet: live
    cache = _rendered(tmp_path, playlist)
    assert cache.missing(scores_of(playlist, RATE)) == []
    session = build_session(playlist, RATE, AnalysisCache(None), scores=cache)
    source = session.open(entry, 5 * RATE)  # from 5 s in, as after a restart
    assert isinstance(source, RenderedScore)
    heard = source.read(10 * RATE)
    live = AmbientSource(RATE, "plateau", 3, start=5 * RATE).read(10 * RATE)
    assert not source.live
    assert _snr(live, heard) > 20  # the same notes at the same place (lossy: not the same samples)
    assert abs(np.sqrt(np.mean(heard**2)) / np.sqrt(np.mean(live**2)) - 1) < 0.05

    # and the whole session through the mixer: no gap, no jump where it starts or where phases meet
    mixer = Mixer(session.plan, session.open)
    out = np.concatenate([mixer.render(4096) for _ in range(session.plan.session_frames // 4096)])
    assert np.max(np.abs(np.diff(out, axis=0))) < 0.05
    end = session.plan.entries[-1].end // RATE  # the music's end (then its fade-out, then silence)
    level = np.sqrt(np.mean(out[: end * RATE].reshape(-1, RATE, 2) ** 2, axis=(1, 2)))
    assert level[2:-3].min() > 0.3 * np.median(level)


def test_steering_hands_over_to_live_synthesis_without_a_jump(tmp_path):
    playlist = _playlist()
    cache = _rendered(tmp_path, playlist)
    steering = Steering()
    path = cache.ready("plateau", 3, RATE, 10 * RATE)
    assert path is not None

    def live(frame: int) -> AmbientSource:
        return AmbientSource(RATE, "plateau", 3, start=frame, steering=steering)

    source = RenderedScore(path, RATE, 0, steering, live)
    before = source.read(4 * RATE)
    steering.add(4.2, -1.0)  # the nurse presses d: deeper, from 4.2 s on
    after = source.read(8 * RATE)
    assert source.live
    steered = AmbientSource(RATE, "plateau", 3, start=4 * RATE, steering=Steering([(4.2, -1.0)])).read(8 * RATE)
    fade = RATE // 2
    assert np.array_equal(after[fade:], steered[fade:])  # live, steered, once the short crossfade is over
    joined = np.concatenate([before, after])
    assert np.max(np.abs(np.diff(joined, axis=0))) < 0.05  # and no click where it changed hands
    assert _snr(steered[:fade], after[:fade]) > 20


def test_steered_back_to_the_middle_it_plays_the_render_again(tmp_path):
    playlist = _playlist(90.0)
    cache = _rendered(tmp_path, playlist)
    steering = Steering()
    path = cache.ready("plateau", 3, RATE, 90 * RATE)
    assert path is not None
    source = RenderedScore(path, RATE, 0, steering,
                           lambda f: AmbientSource(RATE, "plateau", 3, start=f, steering=steering))
    out = [source.read(RATE)]
    steering.add(1.2, -0.5)  # deeper
    out += [source.read(RATE) for _ in range(3)]
    assert source.live
    steering.add(4.2, 0.0)  # and back: ramped there by 44.2 s, nothing of it left 30 s later
    for second in range(4, 86):
        out.append(source.read(RATE))
        assert source.live == (second < 4.2 + 40 + 30)
    out = np.concatenate(out)
    unsteered = AmbientSource(RATE, "plateau", 3).read(len(out))
    assert np.max(np.abs(np.diff(out, axis=0))) < 0.05  # no click either way
    assert _snr(unsteered[76 * RATE :], out[76 * RATE :]) > 20  # the render again (lossy)
    assert not np.array_equal(unsteered[76 * RATE :], out[76 * RATE :])  # decoded, not synthesised


def test_a_damaged_render_is_made_live_and_a_short_one_plays_on_live_without_a_gap(tmp_path):
    playlist = _playlist()
    cache = _rendered(tmp_path, playlist)
    score = scores_of(playlist, RATE)[1]
    path = cache.ready(score.mood, score.seed, RATE, score.frames)
    assert path is not None
    data = path.read_bytes()
    middle = bytearray(data)
    middle[len(data) // 2 : len(data) // 2 + 4000] = os.urandom(4000)
    live = AmbientSource(RATE, "plateau", 3).read(score.frames + RATE)
    # cut short (a disk error, a copy gone wrong), damaged in the middle: not played, made live
    for damaged in (data[: len(data) // 2], bytes(middle)):
        path.write_bytes(damaged)
        session = build_session(playlist, RATE, AnalysisCache(None), scores=ScoreCache(cache.folder))
        source = session.open(session.plan.entries[1], 0)
        assert isinstance(source, AmbientSource)
        assert np.array_equal(source.read(score.frames + RATE), live)
    # a whole render played past its end (a track longer than its render): the synthesis goes on
    path.write_bytes(data)
    source = RenderedScore(path, RATE, 0, Steering(), lambda f: AmbientSource(RATE, "plateau", 3, start=f))
    out = source.read(score.frames + RATE)
    assert source.live
    level = np.sqrt(np.mean(out.reshape(-1, RATE, 2) ** 2, axis=(1, 2)))
    assert level.min() > 0.3 * np.median(level)  # no silence where the file ended
    assert np.max(np.abs(np.diff(out, axis=0))) < 0.05  # and no click
    assert _snr(live, out) > 20  # the same music throughout
    assert np.array_equal(out[-RATE:], live[-RATE:])  # made live from there


def test_a_stopped_render_or_a_full_disk_leaves_no_file_that_looks_finished(tmp_path):
    score = Score("settle", 1, RATE, 20 * RATE)
    folder = tmp_path / "scores"
    folder.mkdir()
    cache = ScoreCache(folder)
    blocks = iter(range(5))  # stopped after five blocks (SIGTERM, or the app gone)
    assert render(folder, score, keep_going=lambda: next(blocks, None) is not None) is None
    assert list(folder.iterdir()) == []
    assert render(tmp_path / "gone", score) is None  # the folder is not there (the disk refused)
    assert not (tmp_path / "gone").exists()
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        folder.chmod(0o500)  # cannot write
        try:
            assert render(folder, score) is None
        finally:
            folder.chmod(0o700)
    assert cache.missing([score]) == [score]


def test_the_renderer_keeps_only_what_the_next_infusion_plays(tmp_path):
    folder = tmp_path / "scores"
    wanted = Score("settle", 1, RATE, 3 * RATE)
    kept = Score("onset", 2, RATE, 3 * RATE)
    folder.mkdir()
    stale = folder / "score-0000000000-settle-1-22050.mp3"  # an older synthesis
    other = folder / "score-0000000000-onset-5-22050.ogg.part"  # a killed render's leftover
    mine = folder / "notes.txt"
    for path in (stale, other, mine):
        path.write_bytes(b"x")
    (folder / kept.names()[0]).write_bytes(b"kept")
    assert main([str(folder), str(os.getppid()), wanted.argument(), "--keep", kept.argument()]) == 0
    rendered = ScoreCache(folder).ready(wanted.mood, wanted.seed, RATE, wanted.frames)
    assert rendered is not None
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(
        [rendered.name, rendered.name + SUM, kept.names()[0], "notes.txt"])
    assert ScoreCache(folder).missing([wanted]) == []


def test_a_second_renderer_on_the_same_folder_leaves_it_to_the_first(tmp_path):
    from companion.audio.scores import _lock

    folder = tmp_path / "scores"
    folder.mkdir()
    held = _lock(folder)
    assert held is not None
    try:
        score = Score("settle", 1, RATE, 3 * RATE)
        assert main([str(folder), str(os.getppid()), score.argument()]) == 0
        assert not [name for name in score.names() if (folder / name).exists()]
    finally:
        held.close()


@pytest.mark.slow
def test_the_renderer_stops_when_the_app_is_gone_and_when_told(tmp_path):
    folder = tmp_path / "scores"
    score = Score("plateau", 3, 44100, 85 * 60 * 44100)  # far longer than the test
    # an "app" that starts the renderer and dies at once (as after SIGKILL)
    script = (
        "import sys\nfrom pathlib import Path\nfrom companion.audio.scores import Renderer, Score\n"
        f"Renderer(Path({str(folder)!r})).start([Score.parse({score.argument()!r})])\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if folder.exists() and not any(p.name.endswith(PART) for p in folder.iterdir()) and _no_renderer(folder):
            break
        time.sleep(0.2)
    assert _no_renderer(folder)
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == []

    renderer = Renderer(folder)
    assert renderer.start([score])
    deadline = time.monotonic() + 20
    while not any(p.name.endswith(PART) for p in folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    renderer.stop()  # an Experience begins
    assert not renderer.running
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == []


def _no_renderer(folder: Path) -> bool:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"companion.audio.scores" in command and str(folder).encode() in command:
                return False
    return True
