import os

import pytest

from companion import settings as settings_file
from companion.core.models import check_rating, clean_text, format_duration
from companion.settings import Settings


def test_clean_text_keeps_unicode_and_drops_control_characters():
    typed = "Calm 🌊 — ça va\tbien\r\nnext\x00line\x1b[31m\x07 ok"
    assert clean_text(typed) == "Calm 🌊 — ça va\tbien\nnext" "line[31m ok"


def test_ratings_are_whole_numbers_from_0_to_10():
    assert check_rating(0) == 0 and check_rating(10) == 10 and check_rating(None) is None
    for bad in (-1, 11, 5.5, True):
        with pytest.raises(ValueError):
            check_rating(bad)  # type: ignore[arg-type]


def test_format_duration_as_a_clock():
    assert format_duration(0, clock=True) == "00:00"
    assert format_duration(85 * 60, clock=True) == "85:00"
    assert format_duration(754.9, clock=True) == "12:34"


def test_settings_round_trip_privately(tmp_path):
    path = tmp_path / "settings.toml"
    chosen = Settings(crisis_contacts='Call "Ana" on 555-0100\nor 988', volume=0.35, show_track=False,
                      mark_tone=False, theme="textual-light")
    settings_file.save(chosen, path)
    assert settings_file.load(path) == chosen
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_missing_settings_are_the_defaults(tmp_path):
    assert settings_file.load(tmp_path / "nope.toml") == Settings()


def test_broken_settings_fall_back_with_a_notice(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("volume = [", encoding="utf-8")
    loaded = settings_file.load(path)
    assert loaded == Settings()
    assert "not valid TOML" in loaded.problems[0]

    path.write_text('volume = "loud"\naudio_backend = "alsa"\nvolume_extra = 1\n', encoding="utf-8")
    loaded = settings_file.load(path)
    assert loaded.volume == Settings().volume
    assert loaded.audio_backend == "auto"
    assert len(loaded.problems) == 2


def test_volume_is_clamped(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("volume = 3\n", encoding="utf-8")
    assert settings_file.load(path).volume == 1.0


def test_format_duration_as_a_length():
    assert format_duration(245.4) == "4:05"
    assert format_duration(85 * 60) == "1:25:00"
    assert format_duration(-3) == "0:00"
