"""The shell: encrypt, passphrase, decrypt, keyring, and the other commands
on an encrypted journal."""

from __future__ import annotations

import pytest

from companion.cli import main
from companion.core import text
from companion.store import crypto
from tests.privacy.conftest import NEW, OLD


def note(words: str) -> int:
    return main(["note", words])


def test_the_cycle_from_the_shell(paths, typed: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert note("before encryption") == 0
    typed += [OLD, OLD]
    assert main(["encrypt"]) == 0
    assert text.PRIVACY_ENCRYPTED_DONE in capsys.readouterr().out
    assert crypto.is_encrypted(paths.database)

    crypto.forget()
    typed += [OLD]  # a note asks for the passphrase, then goes the ordinary way
    assert note("while encrypted") == 0
    crypto.forget()
    typed += [OLD, NEW, NEW]
    assert main(["passphrase"]) == 0
    crypto.forget()
    typed += [NEW]
    assert main(["scores", "--format", "json"]) == 0
    crypto.forget()
    typed += [NEW]
    assert main(["decrypt"]) == 0
    assert not crypto.is_encrypted(paths.database)
    capsys.readouterr()
    assert main(["export", "--preview", "--format", "md"]) == 0  # no passphrase now
    assert "2 journal entries" in capsys.readouterr().out
    assert typed == []


def test_a_wrong_passphrase_is_one_line_and_exit_1(paths, typed: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert note("a note") == 0
    typed += [OLD, OLD]
    main(["encrypt"])
    crypto.forget()
    capsys.readouterr()
    typed += ["wrong one 1", "wrong one 2", "wrong one 3"]
    assert note("another") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"companion: {text.PRIVACY_WRONG}"


def test_mismatched_or_short_new_passphrases_change_nothing(paths, typed: list[str],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    note("a note")
    typed += [OLD, NEW]
    assert main(["encrypt"]) == 1
    typed += ["short"]
    assert main(["encrypt"]) == 1
    err = capsys.readouterr().err
    assert text.PRIVACY_MISMATCH in err and "at least 8" in err
    assert not crypto.is_encrypted(paths.database)


def test_the_keyring_spares_the_typing(paths, typed: list[str], memory_keyring) -> None:
    note("a note")
    typed += [OLD, OLD]
    assert main(["encrypt", "--keyring"]) == 0
    assert OLD in memory_keyring.saved.values()
    crypto.forget()
    assert note("no passphrase asked") == 0  # typed is empty: any prompt would fail
    assert main(["keyring", "off"]) == 0
    assert memory_keyring.saved == {}
    from companion import settings as settings_file

    assert settings_file.load(paths.settings).use_keyring is False


def test_export_preview_says_the_file_is_not_encrypted(paths, typed: list[str],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    note("a note")
    capsys.readouterr()
    main(["export", "--preview", "--format", "md"])
    assert text.EXPORT_NOT_ENCRYPTED not in capsys.readouterr().out
    typed += [OLD, OLD]
    main(["encrypt"])
    main(["export", "--preview", "--format", "md"])
    assert text.EXPORT_NOT_ENCRYPTED in capsys.readouterr().out


def test_a_pdf_with_a_password_of_its_own(paths, typed: list[str], tmp_path) -> None:
    from pypdf import PdfReader

    note("shared with my therapist")
    out = tmp_path / "report.pdf"
    typed += ["pdf secret", "pdf secret"]
    assert main(["export", "--format", "pdf", "--pdf-password", "--out", str(out)]) == 0
    reader = PdfReader(out)
    assert reader.is_encrypted
    assert not reader.decrypt("wrong")
    assert reader.decrypt("pdf secret")
    assert "shared with my therapist" in "".join(p.extract_text() for p in reader.pages)
    typed += ["x", "x"]
    assert main(["export", "--format", "md", "--pdf-password", "--out", str(tmp_path / "r.md")]) == 2


def test_encrypt_keyring_without_a_keyring_says_what_happened_and_succeeds(
        paths, typed: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    import keyring
    from keyring.backends import fail

    from companion import settings as settings_file

    note("a note")
    typed += [OLD, OLD]
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert main(["encrypt", "--keyring"]) == 0
    finally:
        keyring.set_keyring(previous)
    captured = capsys.readouterr()
    assert "encrypted, but its passphrase is not kept anywhere" in captured.out
    assert captured.err == ""
    assert crypto.is_encrypted(paths.database)
    assert settings_file.load(paths.settings).use_keyring is False
