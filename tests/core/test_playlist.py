"""Playlist files: parsing, errors, lookup, the shipped default."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.core.playlist import (
    PlaylistError,
    default_playlist,
    list_playlists,
    load_playlist,
    parse_duration,
    read_playlist,
    shipped_dir,
    to_toml,
)


def test_the_default_needs_no_audio_files_and_fills_85_minutes():
    playlist = default_playlist()
    assert playlist.session_seconds == 85 * 60
    assert [phase.name for phase in playlist.phases] == ["settle", "onset", "plateau", "return"]
    assert all(track.is_generated for _, track in playlist.tracks())
    assert sum(track.length for _, track in playlist.tracks()) >= 85 * 60
    assert (shipped_dir() / "README.md").is_file()


def test_a_full_playlist(tmp_path):
    path = tmp_path / "evening.toml"
    path.write_text('''
name = "Evening"
session = "1:10:00"
crossfade = 6.5
fade_in = "0:20"
loudness = -20
volume_cap = 0.5
bed = "loop"
[[phases]]
name = "settle"
tracks = ["a.mp3", { file = "/abs/b.flac", gain = -3, title = "B" }]
[[phases]]
name = "plateau"
[[phases.tracks]]
generate = "ambient"
mood = "plateau"
length = "20:00"
seed = 5
''')
    p = read_playlist(path)
    assert p.name == "Evening" and p.session_seconds == 4200 and p.crossfade == 6.5 and p.fade_in == 20
    assert p.target_lufs == -20 and p.volume_cap == 0.5 and p.bed == "loop" and p.source == path
    (s1, a), (s2, b), (s3, c) = p.tracks()
    assert a.file == tmp_path / "a.mp3" and b.file == Path("/abs/b.flac") and b.gain == -3
    assert b.display_title == "B" and a.display_title == "a"
    assert c.generate == "ambient" and c.length == 1200 and c.seed == 5 and s3 == "plateau"
    again = tmp_path / "again.toml"
    again.write_text(to_toml(p, relative_to=tmp_path))
    q = read_playlist(again)
    assert q.tracks() == p.tracks() and q.session_seconds == p.session_seconds


@pytest.mark.parametrize(
    "body, message",
    [
        ('name = "x"\n[[phases]\n', "malformed TOML"),
        ('session = "soon"', "'session' must be"),
        ('volume_cap = 3', "volume_cap"),
        ('bed = "radio"', "'bed' must be one of"),
        ('[[phases]]\ntracks = [{ gain = 1 }]', "needs either 'file' or 'generate'"),
        ('[[phases]]\ntracks = [{ generate = "orchestra" }]', "unknown generator"),
        ('[[phases]]\ntracks = [{ file = "a.mp3", volume = 3 }]', "unknown key 'volume'"),
        ('crosfade = 8', "unknown key 'crosfade'; did you mean 'crossfade'?"),
        ('[[phases]]\nname = "settle"\ntraks = []', "phase 'settle': unknown key 'traks'; did you mean 'tracks'?"),
        ('[[phases]]\ntracks = [{ file = "a.mp3", titel = "A" }]', "did you mean 'title'?"),
        ('loudness = "loud"', "'loudness' must be a number"),
    ],
)
def test_malformed_playlists_get_one_clear_line(tmp_path, body, message):
    path = tmp_path / "p.toml"
    path.write_text(body)
    with pytest.raises(PlaylistError) as caught:
        read_playlist(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_lookup_by_name_stem_or_path(tmp_path):
    (tmp_path / "calm-one.toml").write_text('name = "Calm One"\n')
    assert load_playlist("Calm One", [tmp_path]).name == "Calm One"
    assert load_playlist("calm-one", [tmp_path]).name == "Calm One"
    assert load_playlist(str(tmp_path / "calm-one.toml"), []).name == "Calm One"
    assert load_playlist("default", [tmp_path]).name == "Default"
    assert ("Calm One", tmp_path / "calm-one.toml") in list_playlists([tmp_path])
    with pytest.raises(PlaylistError, match="no playlist named 'other'"):
        load_playlist("other", [tmp_path])
    with pytest.raises(PlaylistError, match="not found"):
        load_playlist(str(tmp_path / "none.toml"), [])


def test_durations():
    assert parse_duration("85:00", "x") == 5100
    assert parse_duration("1:02:03", "x") == 3723
    assert parse_duration(12, "x") == 12.0
    with pytest.raises(PlaylistError):
        parse_duration(-1, "x")


def test_a_new_variation_moves_the_generated_seeds_and_names_them():
    from companion.core.playlist import default_playlist, with_variation

    known = default_playlist()
    assert with_variation(known, 0) == known and with_variation(known, 8) == known
    varied = with_variation(known, 3)
    pairs = list(zip(known.tracks(), varied.tracks()))
    assert [v.seed for _, (_, v) in pairs] == [(k.seed + 3) % 8 for (_, k), _ in pairs]
    assert [v.title for _, (_, v) in pairs] == [f"{k.display_title} (variation 3)" for (_, k), _ in pairs]
    assert varied.seed == (known.seed + 3) % 8
    assert with_variation(varied, 0).tracks() == varied.tracks()
