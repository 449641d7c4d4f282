"""``companion encrypt | passphrase | decrypt | keyring | privacy``: the
journal's encryption from the shell, and the passphrase for every other
command that opens an encrypted journal.

Passphrases are read from the terminal without echo (``getpass``), or, for
these commands only, one a line from stdin when it is not a terminal (a
script). They are never taken on the command line, where other users and the
shell history could see them.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from companion import settings as settings_file
from companion.core import text
from companion.core.files import looks_encrypted
from companion.paths import Paths

if TYPE_CHECKING:
    import argparse

TRIES = 3


def add_parser(subparsers) -> None:  # type: ignore[no-untyped-def]
    enc = subparsers.add_parser("encrypt", help="encrypt the journal with a passphrase")
    enc.add_argument("--keyring", action="store_true",
                     help="keep the passphrase in the system keyring instead of typing it")
    pas = subparsers.add_parser("passphrase", help="change the passphrase of the encrypted journal")
    pas.add_argument("--keyring", action="store_true", default=None,
                     help="keep the new passphrase in the system keyring")
    pas.add_argument("--no-keyring", dest="keyring", action="store_false",
                     help="type the passphrase each time (removes it from the keyring)")
    dec = subparsers.add_parser("decrypt", help="turn encryption off: the journal becomes a plain file")
    ring = subparsers.add_parser("keyring", help="keep the passphrase in the system keyring, or stop")
    ring.add_argument("state", choices=("on", "off"))
    status = subparsers.add_parser("privacy", help="whether the journal is encrypted, and what is protected")
    for parser in (enc, pas, dec, ring, status):  # these open the journal themselves
        parser.set_defaults(run=run, unlock=False)


def read_secret(prompt: str, *, allow_stdin: bool = False) -> str:
    """A passphrase typed in the terminal without echo; a line of stdin for a
    script when ``allow_stdin``. Never echoed, never logged."""
    import getpass  # here: a plain journal's start-up imports this module but asks nothing

    from companion.cli.errors import Failure

    try:
        with open("/dev/tty", "rb"):
            pass
        has_tty = True
    except OSError:
        has_tty = False
    if has_tty and sys.stdin.isatty():
        return getpass.getpass(prompt)
    if allow_stdin and not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise Failure("no passphrase was given on stdin")
        return line.rstrip("\r\n")
    if has_tty:
        return getpass.getpass(prompt)
    raise Failure(text.PRIVACY_NEEDED)


def _new_passphrase(allow_stdin: bool) -> str:
    from companion.cli.errors import Failure
    from companion.store import crypto

    first = read_secret("New passphrase: ", allow_stdin=allow_stdin)
    problem = crypto.passphrase_problem(first)
    if problem:
        raise Failure(problem)
    if read_secret("The same passphrase again: ", allow_stdin=allow_stdin) != first:
        raise Failure(text.PRIVACY_MISMATCH)
    return first


def _current_passphrase(database: Path, allow_stdin: bool) -> str:
    """Ask until it opens the journal (three tries)."""
    from companion.cli.errors import Failure
    from companion.store import crypto

    scripted = allow_stdin and not sys.stdin.isatty()
    for _ in range(1 if scripted else TRIES):
        value = read_secret("Passphrase: ", allow_stdin=allow_stdin)
        if crypto.check(database, value):
            return value
        print(text.PRIVACY_WRONG, file=sys.stderr)
    raise Failure(text.PRIVACY_WRONG)


def unlock(paths: Paths, settings: settings_file.Settings | None = None, *,
           opening: bool = False) -> None:
    """Make an encrypted journal openable by this process: the keyring when the
    patient chose it, else the passphrase typed in the terminal. A plain
    journal (or none yet) needs nothing. ``opening``: the journal is opened
    right after (the app), which reuses the connection that checked it."""
    from companion.cli.errors import Failure

    database = paths.database
    try:
        if not looks_encrypted(database):
            return
    except OSError:
        return  # unreadable: opening it next says why, in one line
    from companion.store import crypto

    if crypto.known(database) is not None:
        return
    settings = settings or settings_file.load(paths.settings)
    if settings.use_keyring:
        try:
            stored = crypto.keyring_get(database)
        except crypto.KeyringUnavailable as exc:
            print(f"companion: {exc}", file=sys.stderr)
            stored = None
        if stored is not None:
            try:
                crypto.unlock(database, stored, keep_connection=opening)
                return
            except crypto.WrongPassphrase:
                print("companion: the passphrase in the keyring no longer opens the journal.",
                      file=sys.stderr)
    for _ in range(TRIES):  # asked until it opens the journal; checked once each
        try:
            crypto.unlock(database, read_secret("Passphrase: "), keep_connection=opening)
            return
        except crypto.WrongPassphrase:
            print(text.PRIVACY_WRONG, file=sys.stderr)
        except crypto.PrivacyError as exc:
            raise Failure(str(exc)) from exc
    raise Failure(text.PRIVACY_WRONG)


def run(args: argparse.Namespace, paths: Paths) -> int:
    from companion.cli.errors import Failure
    from companion.store import crypto

    database = paths.database
    settings = settings_file.load(paths.settings)
    if args.command == "privacy":
        return _status(paths, settings)
    try:
        if args.command == "encrypt":
            if crypto.is_encrypted(database):
                raise Failure(text.PRIVACY_ALREADY_ENCRYPTED)
            if not database.exists():
                from companion.cli.errors import open_store

                open_store(paths).close()  # a new home: create the journal first
            new = _new_passphrase(allow_stdin=True)
            crypto.encrypt(database, new)
            print(text.PRIVACY_ENCRYPTED_DONE)
            print(text.PRIVACY_FORGOTTEN)
            if args.keyring:
                try:
                    _keyring(paths, settings, True, new)
                except crypto.KeyringUnavailable as exc:
                    # The journal is encrypted, as asked: that part succeeded.
                    print(text.PRIVACY_ENCRYPTED_NO_KEYRING.format(reason=exc))
            return 0
        if args.command == "passphrase":
            if not crypto.is_encrypted(database):
                raise Failure(text.PRIVACY_NOT_ENCRYPTED + " Use `companion encrypt` first.")
            old = _current_passphrase(database, allow_stdin=True)
            new = _new_passphrase(allow_stdin=True)
            crypto.change(database, old, new)
            print(text.PRIVACY_CHANGED_DONE)
            keep = settings.use_keyring if args.keyring is None else args.keyring
            _keyring(paths, settings, keep, new)
            return 0
        if args.command == "decrypt":
            if not crypto.is_encrypted(database):
                raise Failure(text.PRIVACY_NOT_ENCRYPTED)
            old = _current_passphrase(database, allow_stdin=True)
            crypto.decrypt(database, old)
            _keyring(paths, settings, False, None)
            print(text.PRIVACY_DECRYPTED_DONE)
            return 0
        if args.command == "keyring":
            on = args.state == "on"
            value = None
            if on:
                if not crypto.is_encrypted(database):
                    raise Failure(text.PRIVACY_NOT_ENCRYPTED + " Use `companion encrypt --keyring`.")
                value = _current_passphrase(database, allow_stdin=True)
            _keyring(paths, settings, on, value)
            return 0
    except crypto.PrivacyError as exc:
        raise Failure(str(exc)) from exc
    raise Failure(f"unknown command {args.command!r}")


def _keyring(paths: Paths, settings: settings_file.Settings, on: bool, passphrase: str | None) -> None:
    """Keep (or remove) the passphrase in the keyring and remember the choice."""
    from companion.store import crypto

    if on and passphrase is not None:
        crypto.keyring_set(paths.database, passphrase)
        print(text.PRIVACY_KEYRING_ON)
    elif not on:
        crypto.keyring_delete(paths.database)
        if settings.use_keyring:
            print(text.PRIVACY_KEYRING_OFF)
    if settings.use_keyring != on:
        paths.ensure()
        settings_file.save(replace(settings, use_keyring=on), paths.settings)


def _status(paths: Paths, settings: settings_file.Settings) -> int:
    from companion.store import crypto

    database = paths.database
    if not database.exists():
        print(f"No journal yet at {database}.")
    else:
        print(text.PRIVACY_ON if crypto.is_encrypted(database) else text.PRIVACY_OFF)
        print(f"Journal: {database}")
    print(text.PRIVACY_KEYRING_ON if settings.use_keyring else text.PRIVACY_KEYRING_OFF)
    minutes = settings.idle_lock_minutes
    print(text.PRIVACY_LOCK_AFTER.format(n=minutes) if minutes else text.PRIVACY_LOCK_NEVER)
    print()
    print(text.PRIVACY_PROTECTED)
    return 0
