"""``companion backup`` and ``companion restore FILE``: copies by hand.

The app makes its own copies (once a day and before every schema change, the
newest seven kept, in ``<home>/backups/``). These commands make one when the
patient wants, list them, and put one back: restore checks the copy, asks
first, and keeps the current database aside (a damaged one is moved, untouched,
into ``<home>/damaged/``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from companion.paths import Paths


def add_parser(subparsers: Any) -> None:
    made = subparsers.add_parser(
        "backup", help="copy the database now (or --list the copies)",
        description="Copy the database into the backups folder of the home, or to --out FILE. "
        "The app also makes a copy once a day and before every update of the database.",
    )
    made.add_argument("--list", action="store_true", help="list the copies, newest first, and check each")
    made.add_argument("--out", metavar="FILE", help="write the copy to FILE instead (never replaces a file)")
    put = subparsers.add_parser(
        "restore", help="put a copy of the database back (asks first)",
        description="Replace the database with the copy FILE (a path, or a name from "
        "`companion backup --list`). The current database is kept aside first.",
    )
    put.add_argument("file", metavar="FILE", help="the copy to restore")
    put.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    made.set_defaults(run=run)
    put.set_defaults(run=run)


def run(args: argparse.Namespace, paths: Paths) -> int:
    if args.command == "backup":
        return _list(paths) if args.list else _backup(args, paths)
    return _restore(args, paths)


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, size // 1024)} kB"


def _backup(args: argparse.Namespace, paths: Paths) -> int:
    from companion.cli.errors import Failure, UsageError
    from companion.store import backup
    from companion.store.db import StoreError, open_database

    if not paths.database.exists():
        raise Failure(f"no records yet: there is no database at {paths.database}")
    out = Path(args.out).expanduser() if args.out else None
    if out is not None:
        if out.exists():
            raise UsageError(f"companion backup: {out} exists already; choose a new name")
        if not out.parent.is_dir():
            raise UsageError(f"companion backup: the folder {out.parent} does not exist")
    try:
        db = open_database(paths.database)
    except (StoreError, OSError) as exc:
        raise Failure(str(exc)) from exc
    try:
        if out is not None:
            backup.copy_database(db.conn, out)
            made = out
        else:
            made = backup.make(db.conn, backup.folder_for(paths.database), backup.MANUAL).path
    except backup.BackupError as exc:
        raise Failure(str(exc)) from exc
    finally:
        db.conn.close()
    print(f"Copied the database to {made} ({_size(made)}).")
    return 0


def _list(paths: Paths) -> int:
    from companion.store import backup, integrity

    copies = backup.list_backups(backup.folder_for(paths.database))
    if not copies:
        print(f"No copies yet in {backup.folder_for(paths.database)}.")
        return 0
    for copy in copies:
        verdict = integrity.check_file(copy.path)
        state = "ok" if verdict.ok else f"DAMAGED: {verdict.problem}"
        print(f"{copy.path.name}  {_size(copy.path):>8}  {copy.label}  {state}")
    return 0


def _find(name: str, paths: Paths) -> Path:
    from companion.cli.errors import UsageError
    from companion.store import backup

    given = Path(name).expanduser()
    if given.is_file():
        return given
    in_folder = backup.folder_for(paths.database) / name
    if in_folder.is_file():
        return in_folder
    raise UsageError(f"companion restore: {name} not found (see `companion backup --list`)")


def _restore(args: argparse.Namespace, paths: Paths) -> int:
    from companion.cli.errors import Failure, UsageError
    from companion.store import backup, integrity

    source = _find(args.file, paths)
    verdict = integrity.check_file(source)
    if not verdict.ok:
        raise Failure(f"{source} cannot be restored: {verdict.problem}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("companion restore: add --yes to restore without a question")
        print(f"Replace the database at {paths.database}\n   with the copy {source}?")
        print(backup.newer_line(paths.database, backup.as_copy(source)))
        print("The current database is kept aside first. Close the app before restoring.")
        try:
            answer = input("Restore? [y/N] ").strip().lower()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    try:
        paths.ensure()
        done = backup.restore(paths.database, source)
    except backup.BackupError as exc:
        raise Failure(str(exc)) from exc
    except OSError as exc:
        raise Failure(f"the copy could not be put back: {exc.strerror or exc}") from exc
    print(f"Restored the database from {source}.")
    if done.damaged:
        print(f"The damaged database was moved, unchanged, to {done.kept_aside}.")
    elif done.kept_aside is not None:
        print(f"The database it replaced is kept at {done.kept_aside}.")
    return 0
