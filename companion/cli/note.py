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
    note.add_argument("--audio", metavar="FILE",
                      help="a voice recording (WAV, MP3, FLAC, Ogg; M4A with ffmpeg), stored in the journal")
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
    if args.audio is not None:
        return _with_audio(args, paths, day)
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
        infusion_id = _infusion_id(store, args.session)
        entry = store.journal.add(body, infusion_id=infusion_id, tags=clean_tags(args.tag),
                                  private=args.private, day=day)
    except sqlite3.Error as exc:
        from companion.core.files import write_problem

        raise Failure(f"the note could not be saved ({write_problem(exc)}); nothing was written") from exc
    finally:
        store.close()
    print(f"Saved entry {entry.id} ({len(entry.text)} characters).")
    return 0


def _with_audio(args: argparse.Namespace, paths: Paths, day: str | None) -> int:
    """An entry with a recording made elsewhere: the sound is stored in the
    journal's database in chunks (never a file beside it), then the entry,
    with the words given or "Voice note (m:ss)"."""
    from pathlib import Path

    from companion.audio.sources import SourceError
    from companion.audio.voice import VOICE_RATE, read_voice
    from companion.core import text
    from companion.core.journaling import NoteProblem, checked_text, clean_tags
    from companion.core.models import format_duration
    from companion.store.recordings import CHUNK_SECONDS

    source = Path(args.audio).expanduser()
    if not source.is_file():
        raise UsageError(f"companion note: --audio {source} is not a file")
    words = " ".join(args.text)
    store = open_store(paths)
    try:
        infusion_id = _infusion_id(store, args.session)
        recordings = store.recordings
        recording_id = recordings.start(rate=VOICE_RATE, channels=1, infusion_id=infusion_id)
        try:
            for block in read_voice(source, CHUNK_SECONDS):
                recordings.append(recording_id, block)
        except (SourceError, OSError) as exc:
            recordings.remove(recording_id)
            raise Failure(text.VOICE_NOTE_UNREADABLE.format(name=source.name, reason=exc)) from None
        except BaseException:
            recordings.remove(recording_id)
            raise
        seconds = recordings.get(recording_id).seconds
        if seconds <= 0:
            recordings.remove(recording_id)
            raise Failure(text.VOICE_NOTE_SILENT.format(name=source.name))
        length = format_duration(seconds)
        try:
            body = checked_text(words) if words.strip() else text.VOICE_NOTE_TEXT.format(length=length)
        except NoteProblem as exc:
            recordings.remove(recording_id)
            raise UsageError(f"companion note: {exc}") from None
        entry = store.journal.add(body, infusion_id=infusion_id, tags=clean_tags(args.tag),
                                  private=args.private, day=day)
        recordings.finish(recording_id, entry_id=entry.id)
        size = recordings.stored_bytes(recording_id)
    finally:
        store.close()
    print(text.VOICE_NOTE_SAVED.format(id=entry.id, length=length, size=f"{size / 1024:,.0f} kB"))
    return 0


def _infusion_id(store, session: int | None) -> int | None:  # type: ignore[no-untyped-def]
    if session is None:
        return None
    match = [i for i in store.sessions.all() if i.number == session]
    if not match:
        raise Failure(f"there is no infusion number {session}")
    return match[0].id
