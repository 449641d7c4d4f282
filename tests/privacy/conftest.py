"""Privacy fixtures: passphrases typed on cue, a keyring in memory."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from companion.store import crypto

OLD = "correct horse battery"
NEW = "a new passphrase, ünïcode"


class MemoryKeyring(KeyringBackend):
    """A system keyring that lives in the test."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture(autouse=True)
def fresh_passphrases() -> Iterator[None]:
    """No passphrase is carried from one test to the next."""
    crypto.forget()
    yield
    crypto.forget()
    crypto.step_hook = None


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the patient will type at each passphrase prompt, in order."""
    from companion.cli import privacy as cli_privacy

    answers: list[str] = []
    prompts: list[str] = []

    def read_secret(prompt: str, *, allow_stdin: bool = False) -> str:
        prompts.append(prompt)
        if not answers:
            raise AssertionError(f"an unexpected prompt: {prompt!r}")
        return answers.pop(0)

    monkeypatch.setattr(cli_privacy, "read_secret", read_secret)
    return answers
