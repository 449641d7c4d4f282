"""Loudness measurement, the analysis cache, and bad files."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from tests.audio.audiofix import tone, write_flac, write_silent_mp3, write_wav
from companion.audio import sources
from companion.audio.analysis import Analysis, AnalysisCache, LoudnessMeter, analyse_file, integrated_loudness


@pytest.mark.parametrize("rate", [44100, 48000, 96000])
def test_bs1770_reference_sine(rate):
    # BS.1770: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS
    t = np.arange(rate * 5) / rate
    x = np.zeros((len(t), 2))
    x[:, 0] = np.sin(2 * np.pi * 997 * t)
    assert integrated_loudness(x, rate) == pytest.approx(-3.01, abs=0.05)


def test_gating_ignores_silence_and_chunking_does_not_matter():
    rate = 48000
    t = np.arange(rate * 4) / rate
    loud = 0.1 * np.sin(2 * np.pi * 1000 * t)
    x = np.concatenate([loud, np.zeros(rate * 6)])
    x = np.stack([x, x], axis=1)
    whole = integrated_loudness(x, rate)
    assert whole == pytest.approx(-20.0, abs=0.25)  # edge blocks pass the relative gate
    meter = LoudnessMeter(rate)
    for i in range(0, len(x), 1234):
        meter.feed(x[i : i + 1234])
    assert meter.result() == pytest.approx(whole, abs=1e-9)
    assert integrated_loudness(np.zeros((rate * 2, 2)), rate) is None


def test_analysis_of_a_file(tmp_path):
    path = write_wav(tmp_path / "a.wav", tone(3.0, 22050, amp=0.2), 22050)
    a = analyse_file(path)
    assert a.error is None
    assert a.frames == 3 * 22050 and a.rate == 22050
    assert a.frames_at(44100) == 3 * 44100
    assert a.peak == pytest.approx(0.2, abs=0.05)
    assert -30 < a.lufs < -10


def test_mono_is_measured_as_played_on_two_channels(tmp_path):
    mono = write_wav(tmp_path / "m.wav", tone(3.0, channels=1, amp=0.1))
    stereo = write_wav(tmp_path / "s.wav", np.repeat(tone(3.0, channels=1, amp=0.1), 2, axis=1))
    assert analyse_file(mono).lufs == pytest.approx(analyse_file(stereo).lufs, abs=0.05)


def test_cache_is_keyed_by_path_size_and_mtime(tmp_path, monkeypatch):
    path = write_wav(tmp_path / "a.wav", tone(2.0, amp=0.1))
    cache = AnalysisCache(tmp_path / "cache" / "analysis.db")
    first = cache.analyse(path)
    calls = []
    real = analyse_file
    monkeypatch.setattr("companion.audio.analysis.analyse_file", lambda p: calls.append(p) or real(p))
    again = AnalysisCache(tmp_path / "cache" / "analysis.db")  # a new process would see the file
    assert again.analyse(path).lufs == pytest.approx(first.lufs)
    assert calls == []
    write_wav(path, tone(2.0, amp=0.4))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    changed = again.analyse(path)
    assert calls == [path]
    assert changed.lufs > first.lufs + 10


def _write(name, data):
    def make(folder):
        path = folder / name
        path.write_bytes(data)
        return path

    return make


BAD = {
    "missing": (lambda d: d / "nope.wav", "file not found"),
    "empty": (_write("empty.flac", b""), "empty file"),
    "text named mp3": (_write("notes.mp3", b"these are my notes\n" * 50), "not a playable audio file"),
    "garbage wav": (_write("g.wav", bytes(range(256)) * 20), "not a playable"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_files_get_one_clear_reason(tmp_path, kind):
    make, expected = BAD[kind]
    a = AnalysisCache(None).analyse(make(tmp_path))
    assert a.error is not None and expected in a.error


def test_unsupported_format_without_ffmpeg(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "ffmpeg_path", lambda: None)
    path = tmp_path / "song.m4a"
    path.write_bytes(b"\x00" * 1000)
    a = analyse_file(path)
    assert a.error == "unsupported format (.m4a); install ffmpeg to play it"


def test_truncated_files_play_what_is_there(tmp_path):
    wav = write_wav(tmp_path / "t.wav", tone(4.0, amp=0.1))
    wav.write_bytes(wav.read_bytes()[: 44 + 4 * 44100 * 2])  # header says 4 s, 2 s remain
    a = analyse_file(wav)
    assert a.error is None
    assert a.frames == pytest.approx(2 * 44100, abs=10)
    flac = write_flac(tmp_path / "t.flac", tone(4.0, amp=0.1))
    flac.write_bytes(flac.read_bytes()[: len(flac.read_bytes()) // 2])
    b = analyse_file(flac)
    assert b.error is None and 1.5 * 44100 < b.frames < 2.5 * 44100


def test_silent_mp3_decodes_and_is_reported_silent(tmp_path):
    a = analyse_file(write_silent_mp3(tmp_path / "quiet.mp3", frames=60))
    assert a.rate == 44100
    assert a.error == "silent"


def test_shipped_generator_loudness_matches_the_synthesis():
    """The default playlist's generators (and the usual bed) are not synthesised at load: their
    shipped loudness must be what synthesising them measures."""
    from companion.audio import ambient
    from companion.audio.analysis import analyse_generated

    for key in ambient.MEASURED:  # no stale entries: every key is today's recipe
        _, _, _, mood, seed = key.split(":")
        assert key == ambient.generator_key(mood, int(seed))
    fresh = []
    # three of the default's (the whole-track tests in test_render.py check more through the
    # pipeline); each is ten minutes of synthesis at 22.05 kHz
    for mood, seed in [("settle", 1), ("plateau", 3), ("return", 7)]:
        lufs, peak = ambient.measured(mood, seed)
        measured = analyse_generated(mood, seed)
        fresh.append(f'    "{ambient.generator_key(mood, seed)}": ({measured.lufs:.3f}, {measured.peak:.4f}),')
        assert measured.lufs == pytest.approx(lufs, abs=0.5), "\n".join(fresh)
        assert measured.peak == pytest.approx(peak, rel=0.05), "\n".join(fresh)


def test_the_default_playlist_loads_without_synthesising(tmp_path, monkeypatch):
    from companion.audio import ambient
    from companion.audio.player import Player
    from companion.core.playlist import default_playlist

    def no_synthesis(*args, **kwargs):
        raise AssertionError("synthesised at load")

    monkeypatch.setattr(ambient.AmbientSource, "read", no_synthesis)
    monkeypatch.setattr(ambient.AmbientSource, "read_into", no_synthesis)
    player = Player(backend="null", cache_path=tmp_path / "cache" / "analysis.db")
    try:
        assert player.load(default_playlist()) == []
        assert abs(player.duration - 85 * 60) < 0.01
    finally:
        player.close()


def test_an_unknown_generator_is_measured_once_and_cached(tmp_path):
    from companion.audio import ambient

    assert ambient.measured("settle", 12345) is None
    cache = AnalysisCache(tmp_path / "analysis.db")
    first = cache.analyse_generated("settle", 12345)
    assert first.lufs is not None and -30 < first.lufs < -15
    again = AnalysisCache(tmp_path / "analysis.db").analyse_generated("settle", 12345)
    assert again.lufs == pytest.approx(first.lufs)


def test_the_cache_forgets_a_file_once_its_decoder_is_gone(tmp_path, monkeypatch):
    """A file ffmpeg decoded is not playable once ffmpeg has gone: the key carries the decoder."""
    song = tmp_path / "song.m4a"
    song.write_bytes(b"x" * 1000)
    cache = AnalysisCache(tmp_path / "analysis.db")
    monkeypatch.setattr(sources, "ffmpeg_path", lambda: "/usr/bin/ffmpeg")
    with_ffmpeg = cache.file_key(song)
    cache._put(with_ffmpeg, Analysis(frames=44100, rate=44100, channels=2, lufs=-20.0, decoder="ffmpeg"))
    assert cache.analyse(song).error is None  # measured when ffmpeg was there
    monkeypatch.setattr(sources, "ffmpeg_path", lambda: None)
    assert cache.file_key(song) != with_ffmpeg
    assert cache.analyse(song).error == "unsupported format (.m4a); install ffmpeg to play it"


def test_a_very_quiet_track_is_limited_by_the_boost_not_by_clipping(tmp_path):
    from companion.audio.session import build_session
    from companion.core.playlist import Phase, Playlist, Track

    whisper = write_wav(tmp_path / "whisper.wav", tone(6.0, 22050, amp=0.002), 22050)
    loud_peaks = tone(6.0, 22050, amp=0.02)
    loud_peaks[::5000] = 0.99
    peaky = write_wav(tmp_path / "peaky.wav", loud_peaks, 22050)
    playlist = Playlist(name="q", session_seconds=20.0, phases=(Phase("settle", (Track(file=whisper), Track(file=peaky))),),
                        crossfade=1.0, fade_in=1.0, fade_out=1.0, target_lufs=-23.0, bed="silence")
    items = build_session(playlist, 22050, AnalysisCache(None)).plan.items
    assert "a very quiet recording is lifted by at most 20 dB" in items[0].problem
    assert "never clips" not in items[0].problem
    assert "so that it never clips" in items[1].problem


def test_a_48k_file_is_resampled_flat_and_clean(tmp_path):
    """48 kHz played at 44.1 kHz: 1 kHz and 19 kHz come out at the same level, nothing else above -80 dB."""
    rate_in, rate_out = 48000, 44100
    t = np.arange(3 * rate_in) / rate_in
    x = 0.25 * np.sin(2 * np.pi * 1000 * t) + 0.25 * np.sin(2 * np.pi * 19000 * t)
    path = write_wav(tmp_path / "hi.wav", np.stack([x, x], 1), rate_in, float32=True)
    source = sources.open_file(path, rate_out, start=0)
    out = source.read(3 * rate_out)[rate_out // 2 : rate_out // 2 + 2 * rate_out, 0].astype(np.float64)
    source.close()
    spectrum = np.abs(np.fft.rfft(out * np.blackman(len(out))))
    f = np.fft.rfftfreq(len(out), 1 / rate_out)
    level = 20 * np.log10(spectrum / spectrum.max() + 1e-20)
    at = {hz: level[np.argmin(abs(f - hz))] for hz in (1000, 19000)}
    assert abs(at[1000] - at[19000]) < 0.5
    elsewhere = (abs(f - 1000) > 30) & (abs(f - 19000) > 30) & (f < 21000)
    assert level[elsewhere].max() < -80.0
    # a seek lands where it should: the same samples as reading through
    again = sources.open_file(path, rate_out, start=rate_out)
    part = again.read(rate_out)[:, 0]
    again.close()
    whole = sources.open_file(path, rate_out).read(2 * rate_out)[rate_out:, 0]
    assert np.max(np.abs(part[2000:-2000] - whole[2000:-2000])) < 1e-3
