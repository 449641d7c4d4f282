"""Deeper / lighter on the generated score, and a gentle skip between files."""

from __future__ import annotations

import numpy as np

from tests.audio import scoremeasure as sm
from tests.audio.audiofix import tone, write_wav
from companion.audio.ambient import EDGE_BLOCKS, GRID, AmbientSource, Steering, reverb_span
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
    knot = EDGE_BLOCKS * GRID  # envelopes are linear from knot to knot: the stretch of the press leans in
    before = 30 * RATE // knot * knot
    span = 30 * RATE // (GRID * reverb_span(RATE)) * (GRID * reverb_span(RATE))
    assert np.array_equal(plain[:span], lighter[:span])  # nothing changes before the press
    # and in the reverb's span of the press only the convolution's rounding, far under hearing
    # (at 22.05 kHz a span is one knot's stretch: nothing lies between them)
    assert span <= before
    assert np.max(np.abs(plain[span:before] - lighter[span:before]), initial=0.0) < 1e-6
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


def test_a_failing_file_is_covered_by_its_phase_mood(tmp_path):
    """A file that fails in the plateau is covered by the plateau's sound and one that fails
    in the return by the return's (it was the last phase's mood for both): measured, the
    return's cover is brighter, and each cover is exactly its mood's score at its gain."""
    rate = 11025
    names = ("settle", "onset", "plateau", "return")
    files = [write_wav(tmp_path / f"{n}.wav", tone(60.0, rate, 200 + 60 * i, amp=0.1, seed=i), rate)
             for i, n in enumerate(names)]
    playlist = Playlist(name="four", session_seconds=236.0,
                        phases=tuple(Phase(n, (Track(file=f),)) for n, f in zip(names, files)),
                        crossfade=2.0, fade_in=1.0, fade_out=2.0, target_lufs=-23.0, bed="ambient", seed=7)
    session = build_session(playlist, rate, AnalysisCache(None))

    class Vanishing:
        """The file plays 3 seconds, then its disk is gone."""

        def __init__(self, source):
            self.source, self.budget, self.error = source, 3 * rate, None

        def read(self, n):
            data = self.source.read(min(n, self.budget)) if self.budget > 0 else np.zeros((0, 2), np.float32)
            self.budget -= len(data)
            return data

        def close(self):
            self.source.close()

    def flaky_open(entry, frame):
        source = session.open(entry, frame)
        return Vanishing(source) if entry.phase in ("plateau", "return") and not entry.is_bed else source

    notices = []
    mixer = Mixer(session.plan, flaky_open, on_problem=lambda e, p: notices.append(p), rescue=session.rescue)
    out = np.concatenate([mixer.render(4096) for _ in range(session.plan.session_frames // 4096)])
    assert len(notices) == 2, [(e.phase, e.is_bed, e.start / rate, e.end / rate) for e in session.plan.entries]
    entries = {e.phase: e for e in session.plan.entries if not e.is_bed}
    bed_gain = np.float32(10 ** (session.plan.settings.bed_gain_db / 20))
    covers = {}
    for mood in ("plateau", "return"):
        a = entries[mood].start + 10 * rate  # well inside the cover, away from its fades
        b = a + 40 * rate
        covers[mood] = out[a:b]
        want = AmbientSource(rate, mood, 7, start=a, steering=session.steering).read(b - a)
        assert np.allclose(out[a:b], want * np.float32(session.bed_gains[mood]) * bed_gain, atol=2e-5), mood
    plateau, back = (sm.timbre(covers[m], rate) for m in ("plateau", "return"))
    assert back["high_share"] > 1.5 * plateau["high_share"], (plateau, back)
    assert back["centroid"] > plateau["centroid"], (plateau, back)
    assert abs(sm.per_minute(np.concatenate([covers["plateau"]] * 2), rate)[0]
               - sm.per_minute(np.concatenate([covers["return"]] * 2), rate)[0]) < 2.0  # alike in loudness
