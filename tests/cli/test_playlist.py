"""`companion playlist list|check|render|import`, called through argparse."""

from __future__ import annotations

import argparse
import wave

import pytest

from tests.audio.audiofix import tone, write_flac, write_wav
from companion.cli import playlist as cli_playlist
from companion.core.playlist import assign_phases
from companion.paths import Paths


@pytest.fixture
def paths(tmp_path):
    p = Paths(home=tmp_path / "home", cache=tmp_path / "home" / "cache")
    p.ensure()
    p.playlists.mkdir()
    return p


def run(paths, *argv):
    parser = argparse.ArgumentParser(prog="companion")
    sub = parser.add_subparsers(dest="command")
    cli_playlist.add_parser(sub)
    args = parser.parse_args(["playlist", *argv])
    return cli_playlist.run(args, paths)


def write_playlist(paths, name, body):
    path = paths.playlists / f"{name}.toml"
    path.write_text(body)
    return path


def test_list_shows_the_default_and_the_patients_own(paths, capsys):
    write_playlist(paths, "mine", 'name = "Mine"\n')
    assert run(paths, "list") == 0
    out = capsys.readouterr().out
    assert "Default" in out and "Mine" in out


def test_check_prints_the_plan(paths, tmp_path, capsys):
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "one.wav", tone(20.0, 22050, amp=0.1), 22050)
    write_flac(music / "two.flac", tone(20.0, 22050, amp=0.05), 22050)
    (music / "bad.mp3").write_text("hello")
    write_playlist(paths, "short", f'''
name = "Short"
session = "0:50"
crossfade = 4
[[phases]]
name = "settle"
tracks = [{{ file = "{music}/one.wav" }}, {{ file = "{music}/bad.mp3" }}]
[[phases]]
name = "plateau"
tracks = [{{ file = "{music}/two.flac", gain = -2 }}]
''')
    assert run(paths, "check", "Short") == 0
    out = capsys.readouterr().out
    assert "phase" in out and "start" in out and "gain" in out
    assert "one" in out and "two" in out and "0:16" in out
    assert "bad: not a playable audio file" in out
    assert "the ambient bed fills the rest" in out


def test_check_fails_when_nothing_can_play(paths, capsys):
    write_playlist(paths, "broken", 'name = "Broken"\n[[phases]]\nname = "a"\ntracks = [{ file = "gone.mp3" }]\n')
    assert run(paths, "check", "broken") == 1
    captured = capsys.readouterr()
    assert "no playable track" in captured.err
    assert "Traceback" not in captured.err


def test_malformed_toml_is_one_clear_line(paths, capsys):
    write_playlist(paths, "bad", 'name = "Bad\n[[phases]\n')
    assert run(paths, "check", "bad") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "malformed TOML" in err


def test_unknown_playlist(paths, capsys):
    assert run(paths, "check", "nothing-like-this") == 1
    assert "no playlist named" in capsys.readouterr().err


def test_render_writes_the_exact_length(paths, tmp_path, capsys):
    out = tmp_path / "mix.wav"
    assert run(paths, "render", "default", "--out", str(out), "--minutes", "0.25", "--rate", "8000") == 0
    with wave.open(str(out)) as wav:
        assert wav.getframerate() == 8000
        assert wav.getnchannels() == 2
        assert wav.getnframes() == 15 * 8000
    assert "Wrote" in capsys.readouterr().out


def test_render_bad_usage_exits_2(paths, tmp_path, capsys):
    assert run(paths, "render", "default", "--out", str(tmp_path / "x.mp3")) == 2
    assert run(paths, "render", "default", "--out", str(tmp_path / "x.wav"), "--rate", "5") == 2


def test_import_a_folder_and_an_m3u(paths, tmp_path, capsys):
    music = tmp_path / "music"
    music.mkdir()
    for i in range(5):
        write_wav(music / f"{i:02d} song.wav", tone(3.0, 22050, amp=0.1, seed=i), 22050)
    assert run(paths, "import", str(music), "--name", "My Music") == 0
    text = (paths.playlists / "my-music.toml").read_text()
    assert text.count("[[phases.tracks]]") == 5
    assert run(paths, "check", "My Music") == 0
    assert run(paths, "import", str(music), "--name", "My Music") == 1  # no silent overwrite
    m3u = tmp_path / "list.m3u8"
    m3u.write_text("#EXTM3U\n#EXTINF:3,One\nmusic/00 song.wav\nhttp://radio.example/stream\nmusic/03 song.wav\n")
    assert run(paths, "import", str(m3u), "--name", "Two") == 0
    assert (paths.playlists / "two.toml").read_text().count("[[phases.tracks]]") == 2


def test_phases_by_order_follow_the_arc():
    names = assign_phases([300.0] * 17, 85 * 60)
    assert names[0] == "settle" and names[-1] == "return"
    assert names == sorted(names, key=["settle", "onset", "plateau", "return"].index)


def test_import_of_an_m3u_with_a_symlink_loop_is_one_line(paths, tmp_path, capsys):
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "good.wav", tone(3.0, 22050, amp=0.1), 22050)
    (music / "loop-a.wav").symlink_to(music / "loop-b.wav")
    (music / "loop-b.wav").symlink_to(music / "loop-a.wav")
    m3u = tmp_path / "list.m3u"
    m3u.write_text("music/good.wav\nmusic/loop-a.wav\n")
    assert run(paths, "import", str(m3u), "--name", "Loops") == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    [note] = [line for line in captured.err.splitlines() if "loop-a" in line]
    assert note.startswith("note: loop-a.wav: cannot read the file")
    assert run(paths, "check", "Loops") == 0


def test_check_aligns_wide_names_by_display_width(paths, tmp_path, capsys):
    music = tmp_path / "music"
    music.mkdir()
    for name in ("日本の歌", "calm 🌿 sea", "plain"):
        write_wav(music / f"{name}.wav", tone(12.0, 22050, amp=0.1), 22050)
    write_playlist(paths, "wide", f"""
name = "Wide"
session = "0:40"
crossfade = 2
[[phases]]
name = "settle"
tracks = ["{music}/日本の歌.wav", "{music}/calm 🌿 sea.wav", "{music}/plain.wav"]
""")
    assert run(paths, "check", "Wide") == 0
    from rich.cells import cell_len

    rows = [line for line in capsys.readouterr().out.splitlines() if " 0:12 " in line]
    assert len(rows) == 3
    columns = {cell_len(line[: line.index(" dB")]) for line in rows}  # where the gain column ends
    assert len(columns) == 1, rows
