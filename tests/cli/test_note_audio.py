"""`companion note --audio FILE [TEXT]`: a voice memo made elsewhere, stored in
the journal (issue 19)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from companion.cli import main
from companion.store import Store
from companion.store.recordings import decode
from tests.voice import rms_db, write_voice_wav


def test_a_phone_memo_becomes_an_entry_with_its_recording(paths, tmp_path, capsys):
    memo = tmp_path / "memo.wav"
    voice = write_voice_wav(memo, 7.5, rate=44100, channels=2)
    code = main(["--home", str(paths.home), "note", "--audio", str(memo), "--tag", "voice",
                 "the", "warm", "field"])
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "with a voice recording of 0:08" in out
    store = Store.open(paths.database)
    [hit] = store.journal.search("warm field")
    [recording] = store.recordings.for_entry(hit.entry.id)
    assert hit.entry.tags == ["voice"]
    assert recording.seconds == pytest.approx(7.5, abs=0.01)  # the same length
    back = store.recordings.samples(recording.id)
    assert abs(rms_db(back) - rms_db(voice)) < 0.3  # and level (mono, 24 kHz)
    store.close()


def test_without_words_the_entry_says_it_is_a_voice_note(paths, tmp_path, capsys):
    memo = tmp_path / "memo.wav"
    write_voice_wav(memo, 3.0)
    assert main(["--home", str(paths.home), "note", "--audio", str(memo)]) == 0
    store = Store.open(paths.database)
    [hit] = store.journal.search("")
    assert hit.entry.text == "Voice note (0:03)"
    store.close()


def test_a_file_that_is_not_audio_is_one_line_and_nothing_is_kept(paths, tmp_path, capsys):
    bad = tmp_path / "memo.mp3"
    bad.write_bytes(b"this is not sound at all" * 200)
    assert main(["--home", str(paths.home), "note", "--audio", str(bad), "words"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "memo.mp3 could not be read as audio" in err
    assert "Traceback" not in err
    store = Store.open(paths.database)
    assert store.journal.search("") == []
    assert store.db.execute("select count(*) from recordings").fetchone()[0] == 0
    assert store.db.execute("select count(*) from recording_chunks").fetchone()[0] == 0
    store.close()


def test_an_encrypted_journal_holds_no_plain_audio(paths, tmp_path, capsys):
    """The voice is encrypted with the rest: neither the FLAC a chunk is stored
    as nor the raw samples appear in the file. The same note in a plain
    journal shows both, so the search would find them."""
    from companion.store import crypto

    memo = tmp_path / "memo.wav"
    write_voice_wav(memo, 6.0)
    found = {}
    for encrypted in (False, True):
        home = paths.home / ("enc" if encrypted else "plain")
        database = home / "companion.db"
        if encrypted:
            Store.open(database).close()
            crypto.encrypt(database, "a long passphrase here")
            crypto.unlock(database, "a long passphrase here")
        assert main(["--home", str(home), "note", "--audio", str(memo)]) == 0, capsys.readouterr().err
        store = Store.open(database)
        [recording_id] = [r[0] for r in store.db.execute("select id from recordings")]
        chunk = store.db.execute("select data from recording_chunks where recording_id = ? and seq = 0",
                                 [recording_id]).fetchone()[0]
        store.close()
        pcm = (decode(chunk)[4000:4200, 0] * 32767).round().astype("<i2").tobytes()
        raw = b"".join(p.read_bytes() for p in home.glob("companion.db*") if p.is_file())
        found[encrypted] = (chunk[100:164] in raw, pcm in raw)
    assert found[False][0]  # plain: the stored FLAC is there to find
    assert found[True] == (False, False)  # encrypted: neither the FLAC nor the samples


async def test_the_journal_list_marks_an_entry_with_a_recording_and_its_length(build_app, paths, tmp_path):
    memo = tmp_path / "memo.wav"
    write_voice_wav(memo, 4.0)
    assert main(["--home", str(paths.home), "note", "--audio", str(memo), "spoken"]) == 0
    store = Store.open(paths.database)
    store.journal.add("typed")
    store.close()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        listing = app.screen.query_one("#journal-list", OptionList)
        lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    spoken_line = next(line for line in lines if "spoken" in line)
    typed_line = next(line for line in lines if "typed" in line)
    assert "[voice 0:04]" in spoken_line and "[voice" not in typed_line


def test_the_report_lists_the_recording_with_its_length_in_every_format(paths, tmp_path, capsys):
    memo = tmp_path / "memo.wav"
    write_voice_wav(memo, 4.0)
    assert main(["--home", str(paths.home), "note", "--audio", str(memo), "what the music opened"]) == 0
    for suffix in ("md", "html", "pdf"):
        out = tmp_path / f"report.{suffix}"
        assert main(["--home", str(paths.home), "export", "--out", str(out)]) == 0, capsys.readouterr().err
        if suffix == "pdf":
            import io

            from pypdf import PdfReader

            shown = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
        else:
            shown = " ".join(out.read_text(encoding="utf-8").split())
        assert "what the music opened" in shown
        assert "With a voice recording of 0:04" in shown, suffix
