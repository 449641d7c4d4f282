"""Deeper / lighter on the generated score, and a gentle skip between files."""

from __future__ import annotations

import numpy as np

import scoremeasure as sm
from audiofix import tone, write_wav
from companion.audio.ambient import GRID, AmbientSource, Steering
from companion.audio.analysis import AnalysisCache
from companion.audio.mixer import Mixer
from companion.audio.session import build_session
from companion.core.playlist import Phase, Playlist, Track

RATE = 22050


def test_deeper_and_lighter_change_the_score_slowly_and_a_restart_keeps_them():
    plain = AmbientSource(RATE, "onset", 2).read(150 * RATE)
    lighter_changes = Steering([(30.0, 1.0)])
    lighter = AmbientSource(RATE, "onset", 2, steering=lighter_changes).read(150 * RATE)
    deeper = AmbientSource(RATE, "onset", 2, steering=Steering([(30.0, -1.0)])).read(150 * RATE)
    before = 30 * RATE // GRID * GRID  # envelopes are linear within a block: the block of the press leans in
    assert np.array_equal(plain[:before], lighter[:before])  # nothing changes before the press
    late = slice(80 * RATE, 150 * RATE)  # after the ramp
    t_plain, t_light, t_deep = (sm.timbre(x[late], RATE) for x in (plain, lighter, deeper))
    assert t_light["high_share"] > 1.3 * t_plain["high_share"] > 1.3 * 1.3 * t_deep["high_share"]
    assert t_light["centroid"] > t_plain["centroid"] > t_deep["centroid"]
    for x in (lighter, deeper):  # a slow change: no rise over 1.5 LU in a second
        assert sm.max_rise(x, RATE) < 1.5
    # a restart with the same changes resumes the same sound
    resumed = AmbientSource(RATE, "onset", 2, start=100 * RATE, steering=lighter_changes).read(10 * RATE)
    assert np.array_equal(resumed, lighter[100 * RATE : 110 * RATE])


def test_a_gentle_skip_crossfades_into_the_next_track(tmp_path):
    files = [write_wav(tmp_path / f"{i}.wav", tone(60.0, RATE, 220 * (i + 1), amp=0.1, seed=i), RATE) for i in range(3)]
    playlist = Playlist(name="files", session_seconds=150.0,
                        phases=(Phase("settle", tuple(Track(file=f) for f in files)),),
                        crossfade=4.0, fade_in=1.0, fade_out=2.0, target_lufs=-23.0, bed="silence")
    session = build_session(playlist, RATE, AnalysisCache(None))
    at = 20 * RATE
    gentle = session.plan.skip_gently(at, 12 * RATE)
    first, second = gentle.entries[0], gentle.entries[1]
    assert (first.end, first.fade_out) == (at + 12 * RATE, 12 * RATE)
    assert (second.start, second.fade_in, second.offset) == (at, 12 * RATE, 0)
    assert gentle.entries[-1].end <= gentle.session_frames
    mixer = Mixer(session.plan, session.open)
    out = [mixer.render(4096) for _ in range(at // 4096)]
    mixer.set_plan(gentle)  # as the player does: from the mixer's position, no seek
    out += [mixer.render(4096) for _ in range(20 * RATE // 4096)]
    out = np.concatenate(out)
    assert np.max(np.abs(np.diff(out, axis=0))) < 0.2  # nothing cut
    level = sm.short_term(out, RATE, window=1.0, hop=0.5)
    middle = level[int(2 * 19) : int(2 * 34)]
    assert middle.max() - middle.min() < 3.0  # equal power: no dip, no bump through the crossfade
    spectrum = np.abs(np.fft.rfft(out[-4 * RATE :, 0]))
    f = np.fft.rfftfreq(4 * RATE, 1 / RATE)
    assert spectrum[np.argmin(abs(f - 440))] > 10 * spectrum[np.argmin(abs(f - 220))]  # the next track plays


def test_a_short_library_keeps_the_arc(tmp_path):
    """Two minutes of music for a six-minute session: the bed that fills follows the arc's
    moods (onset, plateau, return), each at its own gain, not the last phase's mood."""
    from companion.audio.session import ArcBed

    rate = 11025
    files = [write_wav(tmp_path / f"{i}.wav", tone(60.0, rate, 300 + 50 * i, amp=0.1, seed=i), rate) for i in range(2)]
    playlist = Playlist(name="short", session_seconds=360.0,
                        phases=(Phase("settle", (Track(file=files[0]),)), Phase("onset", (Track(file=files[1]),))),
                        crossfade=2.0, fade_in=1.0, fade_out=2.0, target_lufs=-23.0, bed="ambient", seed=7)
    session = build_session(playlist, rate, AnalysisCache(None))
    [bed] = [e for e in session.plan.entries if e.is_bed]
    assert bed.start < 120 * rate
    source = session.open(bed, 0)
    assert isinstance(source, ArcBed)
    assert [source.mood_at(f * rate) for f in (120, 200, 330)] == ["onset", "plateau", "return"]
    assert set(session.bed_gains) == {"settle", "onset", "plateau", "return"}
    # outside the crossfades the bed is exactly that mood's score at its gain
    for seconds, mood in ((200, "plateau"), (340, "return")):
        bed_source = session.open(bed, seconds * rate - bed.start + bed.offset)
        got = bed_source.read(2 * rate)
        want = AmbientSource(rate, mood, 7, start=seconds * rate, steering=session.steering).read(2 * rate)
        assert np.allclose(got, want * np.float32(session.bed_gains[mood]), atol=1e-6), mood
