"""The one entry point: ``companion`` and ``python -m companion`` call ``main``.

Errors are one clear line on stderr: exit status 2 for bad usage, 1 for a
failure. Never a traceback for something the user did.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from companion import __version__
from companion import settings as settings_file
from companion.paths import Paths, resolve


class UsageError(Exception):
    """Bad usage: exit status 2."""


class Failure(Exception):
    """Something the user asked for could not be done: exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="companion",
        description="A calm terminal companion for infusion days.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--home", metavar="DIR",
        help="keep the database, settings and caches in DIR (also COMPANION_HOME)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.add_parser("doctor", help="check the audio device, decoders, database and paths")
    note = commands.add_parser("note", help="add a journal entry from the shell (or stdin)")
    note.add_argument("text", nargs="*", help="the entry; read from stdin when omitted")
    note.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    note.add_argument("--session", type=int, metavar="N", help="link to infusion number N")
    note.add_argument("--private", action="store_true", help="never exported unless asked")
    note.add_argument("--date", metavar="YYYY-MM-DD", help="the day the entry is about (default today)")
    from companion import cli_playlist

    cli_playlist.add_parser(commands)
    from companion import cli_export

    cli_export.add_parser(commands)
    from companion import cli_scores

    cli_scores.add_parser(commands)
    from companion import cli_privacy

    cli_privacy.add_parser(commands)
    from companion import cli_backup

    cli_backup.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        paths = resolve(args.home)
        problem = home_problem(paths, args.home)
        if problem:
            raise Failure(problem)
        from companion import cli_privacy

        if args.command in cli_privacy.COMMANDS:
            return cli_privacy.run(args, paths)
        if args.command != "playlist":
            # An encrypted journal: keyring or passphrase first (the app opens it next).
            cli_privacy.unlock(paths, opening=args.command is None)
        if args.command is None:
            return run_app(paths)
        if args.command == "doctor":
            from companion.doctor import run_doctor

            return run_doctor(paths)
        if args.command == "note":
            return run_note(args, paths)
        if args.command in ("export", "import"):
            from companion import cli_export

            return cli_export.run(args, paths)
        if args.command == "playlist":
            from companion import cli_playlist

            return cli_playlist.run(args, paths)
        if args.command == "scores":
            from companion import cli_scores

            return cli_scores.run(args, paths)
        if args.command in ("backup", "restore"):
            from companion import cli_backup

            return cli_backup.run(args, paths)
        raise UsageError(f"companion: unknown command {args.command!r}")
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except Failure as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("companion: interrupted", file=sys.stderr)
        return 1


def home_problem(paths: Paths, given: str | None) -> str | None:
    """Why the home cannot hold the journal: it (or a folder above it) is a file."""
    from companion.core import text
    from companion.paths import ENV_HOME

    for folder in (paths.home, *paths.home.parents):
        if folder.exists():
            if folder.is_dir():
                return None
            source = "--home" if given is not None else ENV_HOME
            return text.HOME_IS_A_FILE.format(path=folder, home=paths.home, source=source)
    return None


def _open_store(paths: Paths):  # type: ignore[no-untyped-def]
    from companion.store import Store, StoreError

    try:
        paths.ensure()
        return Store.open(paths.database)
    except (StoreError, OSError) as exc:
        raise Failure(str(exc)) from exc


def run_app(paths: Paths) -> int:
    from companion.core.clock import SystemClock
    from companion.ui.app import make_app

    if not sys.stdout.isatty():
        raise Failure("the app needs a terminal; see `companion --help` for the commands.")
    try:
        store = _open_store(paths)
    except Failure as exc:  # a damaged database: one screen offers the newest good copy
        from companion.ui.screens.damaged import offer_backup

        restored = offer_backup(paths, exc.__cause__)
        if restored is None:
            raise
        if not restored:
            from companion.core import text

            raise Failure(text.DAMAGED_QUIT_LINE.format(path=paths.database)) from None
        store = _open_store(paths)
    settings = settings_file.load(paths.settings)

    def make_player():  # type: ignore[no-untyped-def]
        from companion.audio.player import Player  # numpy and the decoders: after Home is drawn

        return Player(backend=settings.audio_backend, cache_path=paths.analysis_cache)

    app = make_app(settings, store, make_player, SystemClock(), paths)
    try:
        code = app.run()
    finally:
        if app.player_ready:
            app.player.close()
        store.close()
    if app.return_code:  # a crash: Textual printed its report, the shell hears of it
        return app.return_code
    return code or 0


def run_note(args: argparse.Namespace, paths: Paths) -> int:
    """A journal entry from the shell. Waits for the app if it is writing at
    the same moment (the database's busy timeout), so both succeed."""
    import sqlite3
    from datetime import date

    from companion.core.journaling import MAX_ENTRY_CHARS, clean_tags, is_blank

    if args.session is not None and args.session < 1:
        raise UsageError("companion note: --session is an infusion number, 1 or more")
    if args.date is not None:
        try:
            date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"companion note: --date {args.date!r} is not a date like 2026-03-14") from None
    if args.text:
        body = " ".join(args.text)
    elif not sys.stdin.isatty():
        # Bytes that are not UTF-8 become U+FFFD instead of stopping the note.
        raw = sys.stdin.buffer.read(MAX_ENTRY_CHARS * 4 + 1)
        body = raw.decode("utf-8", errors="replace").rstrip()
    else:
        raise UsageError("companion note: give the text, or pipe it on stdin")
    if is_blank(body):
        raise UsageError("companion note: the entry is empty, so nothing was saved")
    if len(body) > MAX_ENTRY_CHARS:
        raise UsageError(f"companion note: the entry is longer than {MAX_ENTRY_CHARS:,} characters")
    from companion import quicknote

    from companion.cli_privacy import is_encrypted_file

    try:  # the quick way: sqlite3 alone, when the database is ready for it
        if is_encrypted_file(paths.database):
            raise quicknote.NotReady("encrypted: only the Store opens it")
        entry_id, length = quicknote.add_note(
            paths.database, body, tags=args.tag, private=args.private,
            session=args.session, day=args.date,
        )
    except quicknote.NotReady:
        pass  # no database yet or a migration pending: the ordinary way below
    except quicknote.QuickNoteError as exc:
        raise UsageError(f"companion note: {exc}") from exc
    except LookupError as exc:
        raise Failure(str(exc)) from exc
    except sqlite3.Error as exc:
        from companion.core.files import write_problem

        raise Failure(f"the note could not be saved ({write_problem(exc)}); nothing was written") from exc
    else:
        print(f"Saved entry {entry_id} ({length} characters).")
        return 0
    store = _open_store(paths)
    try:
        infusion_id = None
        if args.session is not None:
            match = [i for i in store.sessions.all() if i.number == args.session]
            if not match:
                raise Failure(f"there is no infusion number {args.session}")
            infusion_id = match[0].id
        entry = store.journal.add(body, infusion_id=infusion_id, tags=clean_tags(args.tag),
                                  private=args.private, day=args.date)
    except sqlite3.Error as exc:
        from companion.core.files import write_problem

        raise Failure(f"the note could not be saved ({write_problem(exc)}); nothing was written") from exc
    finally:
        store.close()
    print(f"Saved entry {entry.id} ({len(entry.text)} characters).")
    return 0
