"""``companion export ...``, ``companion export --list`` and ``companion import FILE.json``.

``add_parser(subparsers)`` adds the commands, each naming ``run(args, paths)``.
Errors are one line on stderr: exit 2 for bad usage (``errors.UsageError``),
1 for a failure (``errors.Failure``).
"""

from __future__ import annotations

import argparse

from pathlib import Path

from companion.paths import Paths


def add_parser(subparsers) -> None:  # type: ignore[no-untyped-def]
    from companion.core import text
    # The formats' words from core.text: the help is written without importing the export.
    formats = ", ".join(f"{name} ({words})" for name, words in text.EXPORT_FORMATS.items())
    export = subparsers.add_parser(
        "export", help="share a report with your therapist (pdf, html, md, json, csv)",
        description=f"Write what you choose to share. Formats: {formats}.",
    )
    export.add_argument("--format", "-f", metavar="FORMAT",
                        help="pdf, html, md, json or csv (default: from the file name)")
    export.add_argument("--out", "-o", metavar="PATH", help="the file to write")
    export.add_argument("--since", metavar="YYYY-MM-DD", help="from this day on")
    export.add_argument("--until", metavar="YYYY-MM-DD", help="up to and including this day")
    export.add_argument("--session", type=int, action="append", default=[], metavar="N",
                        help="infusion number N and the days after it (repeatable)")
    export.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only journal entries with this tag (repeatable)")
    export.add_argument("--oldest-first", action="store_true",
                        help="list the infusions and entries oldest first (the report starts with the newest)")
    export.add_argument("--include-private", action="store_true",
                        help="include entries marked private")
    export.add_argument("--include-history", action="store_true",
                        help="include earlier versions of entries (for a full backup)")
    export.add_argument("--exclude-entry", type=int, action="append", default=[], metavar="ID",
                        help="leave out this journal entry (repeatable)")
    export.add_argument("--leave-out", action="append", default=[], metavar="FIELD",
                        choices=list(text.EXPORT_FIELDS),
                        help="leave out a part: " + ", ".join(text.EXPORT_FIELDS))
    export.add_argument("--include-audio", action="store_true",
                        help="write the voice recordings the report lists as FLAC files in a private "
                             "folder beside it (REPORT-audio/)")
    export.add_argument("--force", action="store_true", help="replace the file if it exists")
    export.add_argument("--preview", action="store_true",
                        help="say what would be shared, and write nothing")
    export.add_argument("--list", action="store_true", help="list the exports made so far")
    export.add_argument("--pdf-password", action="store_true",
                        help="protect the PDF with a password (asked for, never on the command line)")
    restore = subparsers.add_parser(
        "import", help="merge a JSON export into this home (records it holds already are not doubled)",
        description="Merge a JSON export into this home. Every record is checked first; a file "
        "with a bad record is refused whole. Records this home holds already are recognised: "
        "the newer version wins and the other is kept as an earlier version. A copy of the "
        "journal is made first.")
    restore.add_argument("file", metavar="FILE.json")
    restore.add_argument("--preview", action="store_true",
                         help="say what would be added, updated and left unchanged, and write nothing")
    export.set_defaults(run=run)
    restore.set_defaults(run=run)


def _selection(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from companion.cli.errors import UsageError
    from companion.export.selection import Selection, SelectionError, parse_day

    try:
        return Selection(
            since=parse_day(args.since) if args.since else None,
            until=parse_day(args.until) if args.until else None,
            sessions=tuple(dict.fromkeys(args.session)),
            tags=tuple(t for t in (x.strip() for x in args.tag) if t),
            include_private=args.include_private,
            oldest_first=args.oldest_first,
            include_history=args.include_history,
            exclude_entries=frozenset(args.exclude_entry),
            exclude_fields=frozenset(args.leave_out),
        ).check()
    except SelectionError as exc:
        raise UsageError(f"companion export: {exc}") from None


def run(args: argparse.Namespace, paths: Paths) -> int:
    if args.command == "import":
        return run_import(Path(args.file), paths, preview=args.preview)
    return run_export(args, paths)


def run_export(args: argparse.Namespace, paths: Paths) -> int:
    from companion.cli.errors import Failure, UsageError, open_store
    from companion.export import ExportProblem, export, get, guess_format
    from companion.export.selection import DamagedRecords, build_report, preview_lines

    if args.list:
        return list_exports(paths)
    selection = _selection(args)
    out = Path(args.out).expanduser() if args.out else None
    if not args.preview:
        if out is None:
            raise UsageError("companion export: give the file to write with --out PATH")
        fmt = args.format or guess_format(out)
        if fmt is None:
            raise UsageError("companion export: give --format pdf, html, md, json or csv")
        try:
            get(fmt)
        except ExportProblem as exc:
            raise UsageError(f"companion export: {exc}") from None
    password = None
    if getattr(args, "pdf_password", False) and not args.preview:
        if get(fmt).name != "pdf":
            raise UsageError("companion export: --pdf-password works with the PDF format only")
        from companion.cli.privacy import read_secret

        password = read_secret("Password for the PDF: ")
        if not password or read_secret("The same password again: ") != password:
            raise Failure("the two passwords are not the same (or empty); nothing was written")
    store = open_store(paths)
    try:
        try:
            report = build_report(store, selection, sound=not args.preview)
        except DamagedRecords as exc:
            raise Failure(str(exc)) from None
        if args.preview:
            print("\n".join(preview_lines(report)))
            return 0
        assert out is not None
        try:
            result = export(store, selection, fmt, out, force=args.force, report=report,
                            password=password, include_audio=getattr(args, "include_audio", False))
        except ExportProblem as exc:
            raise Failure(str(exc)) from None
    finally:
        store.close()
    for line in preview_lines(result.report):
        print(line)
    print(f"Wrote {result.path} ({result.format}, {result.size:,} bytes, "
          f"{result.report.records} records).")
    print(f"SHA-256 {result.sha256}")
    if result.audio or getattr(args, "include_audio", False):
        from companion.core import text

        folder = result.path.with_name(f"{result.path.stem}-audio")
        print(text.EXPORT_AUDIO_WRITTEN.format(count=len(result.audio), folder=folder))
    if result.not_logged:
        import sys

        from companion.core import text

        print(f"companion: {text.EXPORT_NOT_LOGGED.format(reason=result.not_logged)}", file=sys.stderr)
    if password:
        from companion.core import text

        print(text.EXPORT_PDF_PASSWORD)
    return 0


def list_exports(paths: Paths) -> int:
    from companion.cli.errors import open_store

    store = open_store(paths)
    try:
        records = store.exports.all()
    finally:
        store.close()
    if not records:
        print("No exports yet.")
        return 0
    for r in records:
        counts = r.counts
        what = (f"{counts.get('infusions', 0)} infusions, {counts.get('entries', 0)} entries, "
                f"{counts.get('checkins', 0)} check-ins, {counts.get('scores', 0)} scores")
        print(f"{r.created_at:%Y-%m-%d %H:%M}  {r.format:<4}  {r.records:>6} records  {what}")
        print(f"    {r.path}")
        print(f"    SHA-256 {r.sha256}")
    return 0


def run_import(file: Path, paths: Paths, *, preview: bool = False) -> int:
    from companion.cli.errors import Failure, open_store
    from companion.core import text
    from companion.export.importer import ImportProblem, load, restore
    from companion.export.selection import SOURCES
    from companion.store import Store, backup

    try:
        doc = load(file.expanduser())
    except ImportProblem as exc:
        raise Failure(str(exc)) from None
    # A preview into a home without a database looks at an empty one in memory.
    store = Store.memory() if preview and not paths.database.exists() else open_store(paths)

    def copy_first() -> Path:
        try:
            return store.copy(backup.folder_for(paths.database), "before-import")
        except backup.BackupError as exc:
            raise ImportProblem(text.IMPORT_NO_BACKUP.format(reason=exc)) from None

    try:
        outcome = restore(store, doc, preview=preview, name=str(file), backup=copy_first)
    except ImportProblem as exc:
        raise Failure(str(exc)) from None
    finally:
        store.close()
    numbers = {k: outcome.total(k) for k in ("added", "updated", "unchanged")}
    line = text.IMPORT_PREVIEW if preview else text.IMPORT_DONE
    print(line.format(name=file, home=paths.home, **numbers))
    labels = {s.table: s.label for s in SOURCES}
    for table in outcome.tables():
        print(text.IMPORT_TABLE_LINE.format(
            label=labels[table], added=outcome.added.get(table, 0),
            updated=outcome.updated.get(table, 0), unchanged=outcome.unchanged.get(table, 0)))
    if outcome.backup is not None:
        print(text.IMPORT_BACKUP_MADE.format(path=outcome.backup))
    elif not preview and not numbers["added"] and not numbers["updated"]:
        print(text.IMPORT_NOTHING_NEW)
    return 0
