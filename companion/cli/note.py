"""``companion note``: a journal entry from the shell (or stdin)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from companion.cli.errors import Failure, UsageError, open_store
from companion.paths import Paths


def add_parser(subparsers: Any) -> None:
    note = subparsers.add_parser("note", help="add a journal entry from the shell (or stdin)")
    note.add_argument("text", nargs="*", help="the entry; read from stdin when omitted")
    note.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    note.add_argument("--session", type=int, metavar="N", help="link to infusion number N")
    note.add_argument("--private", action="store_true", help="never exported unless asked")
    note.add_argument("--date", metavar="YYYY-MM-DD", help="the day the entry is about (default today)")
    note.set_defaults(run=run)


def run(args: argparse.Namespace, paths: Paths) -> int:
    """A journal entry from the shell. Waits for the app if it is writing at
    the same moment (the database's busy timeout), so both succeed."""
    import sqlite3

    from companion.core.journaling import MAX_ENTRY_CHARS, NoteProblem, checked_day, checked_text, clean_tags

    if args.session is not None and args.session < 1:
        raise UsageError("companion note: --session is an infusion number, 1 or more")
    try:
        day = checked_day(args.date) if args.date is not None else None
    except NoteProblem as exc:
        raise UsageError(f"companion note: --date: {exc}") from None
    if args.text:
        body = " ".join(args.text)
    elif not sys.stdin.isatty():
        # Bytes that are not UTF-8 become U+FFFD instead of stopping the note.
        raw = sys.stdin.buffer.read(MAX_ENTRY_CHARS * 4 + 1)
        body = raw.decode("utf-8", errors="replace").rstrip()
    else:
        raise UsageError("companion note: give the text, or pipe it on stdin")
    try:
        body = checked_text(body)
    except NoteProblem as exc:
        raise UsageError(f"companion note: {exc}") from None
    from companion.cli import quicknote

    from companion.core.files import looks_encrypted

    try:  # the quick way: sqlite3 alone, when the database is ready for it
        if looks_encrypted(paths.database):
            raise quicknote.NotReady("encrypted: only the Store opens it")
        entry_id, length = quicknote.add_note(
            paths.database, body, tags=args.tag, private=args.private,
            session=args.session, day=day,
        )
    except (quicknote.NotReady, OSError):
        pass  # no database yet or a migration pending: the ordinary way below
    except LookupError as exc:
        raise Failure(str(exc)) from exc
    except sqlite3.Error as exc:
        from companion.core.files import write_problem

        raise Failure(f"the note could not be saved ({write_problem(exc)}); nothing was written") from exc
    else:
        print(f"Saved entry {entry_id} ({length} characters).")
        return 0
    store = open_store(paths)
    try:
        infusion_id = None
        if args.session is not None:
            match = [i for i in store.sessions.all() if i.number == args.session]
            if not match:
                raise Failure(f"there is no infusion number {args.session}")
            infusion_id = match[0].id
        entry = store.journal.add(body, infusion_id=infusion_id, tags=clean_tags(args.tag),
                                  private=args.private, day=day)
    except sqlite3.Error as exc:
        from companion.core.files import write_problem

        raise Failure(f"the note could not be saved ({write_problem(exc)}); nothing was written") from exc
    finally:
        store.close()
    print(f"Saved entry {entry.id} ({len(entry.text)} characters).")
    return 0
