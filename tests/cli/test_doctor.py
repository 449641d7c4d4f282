"""`companion doctor` says whether the generated music is rendered ahead, and how much is."""

from __future__ import annotations

from companion.audio.scores import Score, render
from companion.cli import main


def test_doctor_names_the_music_rendered_ahead(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("COMPANION_HOME", str(home))
    monkeypatch.setattr("companion.cli.doctor.probe_device", lambda: (False, "no sound card (test)"))

    main(["doctor"])
    line = [x for x in capsys.readouterr().out.splitlines() if "rendered music" in x]
    assert line and "none yet" in line[0]

    (home / "cache" / "scores").mkdir(parents=True)
    assert render(home / "cache" / "scores", Score("settle", 1, 22050, 2 * 22050)) is not None
    main(["doctor"])
    line = [x for x in capsys.readouterr().out.splitlines() if "rendered music" in x]
    assert line and "1 track(s)" in line[0] and str(home / "cache" / "scores") in line[0]

    (home / "settings.toml").write_text("render_ahead = false\n", encoding="utf-8")
    main(["doctor"])
    line = [x for x in capsys.readouterr().out.splitlines() if "rendered music" in x]
    assert line and "off" in line[0]
