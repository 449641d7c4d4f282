"""The Player on the NULL backend (silence: the software clock), and on a stand-in device
(miniaudio's own NULL backend pulling through the callback: the real device code path
without a sound card).

No timed assertions: every wait polls for a condition with a generous limit.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.audio.audiofix import tone, write_wav
from companion.audio import output as output_module
from companion.audio.player import Player, TrackInfo
from companion.core.playlist import Phase, Playlist, Track


def wait_until(condition, limit=20.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    raise AssertionError("condition not reached")


@pytest.fixture
def playlist(tmp_path):
    files = [write_wav(tmp_path / f"t{i}.wav", tone(4.0, 22050, 300 + 40 * i, amp=0.1, seed=i), 22050)
             for i in range(3)]
    return Playlist("test", session_seconds=10.0, phases=(Phase("settle", tuple(Track(file=f) for f in files)),),
                    crossfade=0.5, fade_in=0.5, fade_out=0.5, volume_cap=0.6)


@pytest.fixture
def events():
    return []


@pytest.fixture
def player(events):
    p = Player(
        backend="null",
        sample_rate=22050,
        on_position=lambda s: events.append(("position", s)),
        on_track=lambda t: events.append(("track", t)),
        on_notice=lambda s: events.append(("notice", s)),
        on_finished=lambda: events.append(("finished",)),
    )
    yield p
    p.close()


@pytest.fixture
def device_player(events, monkeypatch):
    """A Player with a "device": miniaudio's NULL backend opened where the real one would be."""
    real = output_module.open_device
    monkeypatch.setattr(output_module, "open_device",
                        lambda rate, backend, period_ms=output_module.PERIOD_MS: real(rate, "null", period_ms))
    p = Player(backend="auto", sample_rate=22050, on_notice=lambda s: events.append(("notice", s)))
    yield p
    p.close()


def test_silence_keeps_time_without_a_device(player, playlist, monkeypatch):
    opened = []
    monkeypatch.setattr(output_module, "open_device", lambda *a, **k: opened.append(a))
    player.load(playlist)
    player.start()
    wait_until(lambda: player.position >= 0.5)
    assert opened == []  # no device, not even miniaudio's NULL backend and its thread
    assert player.output.device is None and player.using_null


def test_plays_on_the_null_backend_and_keeps_real_time(player, playlist, events):
    assert player.load(playlist) == []
    assert player.duration == 10.0
    player.start()
    assert player.using_null and player.backend_name.lower() == "null"
    wait_until(lambda: player.position >= 0.4)  # past the device's first buffer fill
    began, first = time.monotonic(), player.position
    wait_until(lambda: player.position >= first + 1.0)
    # the NULL device never runs ahead of the wall clock
    assert time.monotonic() - began >= 0.8 * (player.position - first)
    assert any(kind == "position" for kind, *_ in events)
    tracks = [e[1] for e in events if e[0] == "track"]
    assert isinstance(tracks[0], TrackInfo) and tracks[0].index == 0 and tracks[0].phase == "settle"
    assert player.phase == "settle" and player.current.title == "t0"
    assert not [e for e in events if e[0] == "notice"]


def test_pause_stops_the_clock_and_resume_goes_on(player, playlist):
    player.load(playlist)
    player.start()
    wait_until(lambda: player.position > 0.3)
    assert player.toggle_pause() is True
    wait_until(lambda: player.faded_out)
    stood = player.position
    time.sleep(0.3)
    assert player.position == stood
    assert player.paused
    assert player.toggle_pause() is False
    wait_until(lambda: player.position > stood + 0.2)


def test_volume_is_capped_and_soften_toggles(player, playlist):
    player.load(playlist)
    player.set_volume(1.0)
    assert player.volume == 0.6
    player.set_volume(0.3)
    assert player.volume == 0.3
    assert player.soften() is True and player.softened
    assert player.soften() is False


def test_skip_moves_to_the_next_track_and_keeps_the_session_length(player, playlist):
    player.load(playlist)
    player.start()
    wait_until(lambda: player.position > 0.3)
    player.skip()
    wait_until(lambda: player.current is not None and player.current.index == 1)
    assert player.duration == 10.0
    assert player.plan.entries[-1].end == player.plan.session_frames


def test_seek_and_resume_after_a_restart(player, playlist):
    player.load(playlist)
    player.start(position=6.0)
    wait_until(lambda: player.position > 6.0)
    assert player.current.index in (1, 2)
    player.seek(2.0)
    wait_until(lambda: 2.0 <= player.position < 5.0)


def test_reaches_the_end_and_says_so(player, playlist, events):
    player.load(playlist)
    player.start(position=9.0)
    wait_until(lambda: ("finished",) in events)
    assert player.position == pytest.approx(10.0)
    assert player.finished


def test_stop_and_close_are_idempotent(player, playlist):
    player.stop()
    player.close()
    player.load(playlist)
    player.start()
    wait_until(lambda: player.position > 0.1)
    player.stop()
    player.stop()
    player.close()
    player.close()


def test_callbacks_that_raise_do_not_stop_the_music(playlist):
    def boom(*_):
        raise RuntimeError("UI bug")

    p = Player(backend="null", sample_rate=22050, on_position=boom, on_track=boom, on_notice=boom, on_finished=boom)
    try:
        p.load(playlist)
        p.start()
        wait_until(lambda: p.position > 0.5)
    finally:
        p.close()


def test_auto_backend_falls_back_quietly(playlist, capfd, events):
    p = Player(backend="auto", sample_rate=22050, on_notice=lambda s: events.append(s))
    try:
        p.load(playlist)
        p.start()
        wait_until(lambda: p.position > 0.1)
        if p.using_null:
            assert events == [output_module.NO_DEVICE]
    finally:
        p.close()
    assert capfd.readouterr().err == ""  # nothing from ALSA on the terminal


def test_a_lost_device_keeps_the_clock_going_and_comes_back(device_player, playlist, events):
    player = device_player
    player.load(playlist)
    player.start()
    wait_until(lambda: player.position > 0.2)
    out = player.output
    assert out.device is not None  # the stand-in device plays
    out.lost_after, out.retry_every = 0.3, 0.5
    out.simulate_loss()
    wait_until(lambda: ("notice", output_module.DEVICE_LOST) in events)
    at = player.position
    wait_until(lambda: player.position > at + 0.3)  # the pump keeps time
    wait_until(lambda: ("notice", output_module.DEVICE_BACK) in events)
    at = player.position
    wait_until(lambda: player.position > at + 0.2)


def test_test_tone_plays_without_a_session(events):
    p = Player(backend="null", sample_rate=22050)
    try:
        p.test_tone(0.5, seconds=0.6)
        assert p.tone_playing
        wait_until(lambda: not p.tone_playing)
        assert p.position == 0.0
    finally:
        p.close()


def test_tone_level_follows_the_volume():
    p = Player(backend="null", sample_rate=22050)
    # A device that takes nothing by itself: what the tone plays is what is pulled here.
    p._output = type("Fake", (), {"is_open": True, "open": lambda self: None, "close": lambda self: None})()
    p.test_tone(1.0, seconds=1.0)
    loud = np.abs(p.pull(22050)).max()
    p.test_tone(0.5, seconds=1.0)
    soft = np.abs(p.pull(22050)).max()
    assert soft == pytest.approx(loud / 4, rel=1e-3)
    assert loud < 0.5


def test_marking_a_moment_mixes_a_soft_slow_tone_under_the_music(player, playlist):
    player.load(playlist)
    player.set_volume(0.6)
    music = np.abs(player.pull(22050)).max()  # half a second of the session, not started: silence
    assert music == 0.0
    player.cue()
    first = player.pull(22050 // 100)  # the first 10 ms
    rest = np.concatenate([player.pull(4096) for _ in range(12)])
    peak = np.abs(rest).max()
    assert 0.0 < np.abs(first).max() < peak / 20  # a slow attack, not a click
    assert not player.cue_playing  # short: over within about 1.6 s
    # Well under the test tone at the same volume (the music's level).
    player.test_tone(0.6, seconds=1.0)
    tone = np.concatenate([player.pull(4096) for _ in range(6)])  # the whole second of it
    assert peak < np.abs(tone).max() / 4
    player.stop()  # the tone opened the device: closed, nothing else sounds
    # It follows the volume: softer when the volume is lower.
    player.set_volume(0.3)
    player.cue()
    quieter = np.abs(np.concatenate([player.pull(4096) for _ in range(12)])).max()
    assert quieter < peak / 3


def test_a_voice_note_plays_through_the_output_whole_at_the_volume_chosen():
    from tests.voice import rms_db, spoken

    p = Player(backend="null", sample_rate=22050)
    # A device that takes nothing by itself: what plays is what is pulled here.
    p._output = type("Fake", (), {"is_open": True, "open": lambda self: None, "close": lambda self: None})()
    p.set_volume(0.5)
    voice = spoken(4.0, 24000)
    p.play_clip(voice, 24000)
    heard = []
    while p.clip_playing:
        heard.append(p.pull(2048)[:, 0])
    played = np.concatenate(heard)
    assert 4.0 * 22050 - 50 <= len(played) < 4.0 * 22050 + 2048  # all of it, resampled, then done
    assert abs(rms_db(played[: int(3.9 * 22050)]) - (rms_db(voice[: int(3.9 * 24000)]) + 20 * np.log10(0.25))) < 0.3
    p.play_clip(voice, 24000)
    p.stop_clip()
    assert not p.clip_playing and not np.any(p.pull(2048))


def _clip_player() -> Player:
    p = Player(backend="null", sample_rate=22050)
    p._output = type("Fake", (), {"is_open": True, "open": lambda self: None, "close": lambda self: None})()
    p.set_volume(1.0)
    return p


def test_a_voice_note_seeks_and_what_plays_next_is_the_recording_from_there():
    # A recording whose every moment sounds different: a tone whose pitch rises
    # steadily, so the pitch heard says where in it the sound comes from.
    rate = 24000
    seconds = 30.0
    t = np.arange(int(seconds * rate)) / rate
    freq = 200.0 + 20.0 * t  # 200 Hz at the start, 800 Hz at the end
    voice = (0.5 * np.sin(2 * np.pi * np.cumsum(freq) / rate)).astype(np.float32)
    p = _clip_player()
    p.play_clip(voice, rate)
    assert p.clip_length == pytest.approx(30.0)
    p.pull(22050)  # one second played
    assert p.clip_position == pytest.approx(1.0, abs=0.01)

    def pitch(block: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(block * np.hanning(len(block))))
        return float(np.argmax(spectrum) * 22050 / len(block))

    p.seek_clip(p.clip_position + 5.0)  # forward 5 s
    assert p.clip_position == pytest.approx(6.0, abs=0.01)
    heard = p.pull(4410)[:, 0]
    assert p.clip_position == pytest.approx(6.2, abs=0.01)
    # the recording from 6.0 s on, resampled: same samples (past the short fade-in)
    expected = voice[int(6.0 * rate): int(6.2 * rate)]
    import soxr
    expected = soxr.resample(expected, rate, 22050, quality="HQ")
    fade = 400
    assert np.abs(heard[fade:4000] - expected[fade:4000]).max() < 0.02
    assert pitch(heard) == pytest.approx(200 + 20 * 6.1, abs=15)

    p.seek_clip(p.clip_position - 5.0)  # back 5 s, to 1.2 s
    assert pitch(p.pull(4410)[:, 0]) == pytest.approx(200 + 20 * 1.3, abs=15)
    p.seek_clip(-3.0)  # held at the start
    assert p.clip_position == 0.0
    p.seek_clip(29.5)
    p.pull(22050)
    assert not p.clip_playing  # played to its end


def test_a_paused_voice_note_is_silent_and_goes_on_from_where_it_paused():
    rate = 24000
    t = np.arange(10 * rate) / rate
    voice = (0.5 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    p = _clip_player()
    p.play_clip(voice, rate)
    p.pull(2205 * 10)
    p.pause_clip(True)
    assert p.clip_paused
    faded = p.pull(2048)[:, 0]
    assert np.abs(faded[:100]).max() > 0.1 and not np.any(faded[300:])  # a short fade down, then nothing
    at = p.clip_position
    for _ in range(20):
        assert not np.any(p.pull(2048))
    assert p.clip_position == at and p.clip_playing  # held, not finished
    p.pause_clip(False)
    assert not p.clip_paused
    back = p.pull(4410)[:, 0]
    assert np.abs(back[1000:]).max() > 0.4  # the voice again, at its level
    assert p.clip_position == pytest.approx(at + 0.2, abs=0.001)
