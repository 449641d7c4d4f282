"""Every schema change, in order. Add new steps at the end; never edit old ones."""

from __future__ import annotations

from companion.store.db import import_sqlite_utils

sqlite_utils = import_sqlite_utils()

migrations = sqlite_utils.Migrations("companion")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["infusions"].create(
        {
            "id": int,
            "number": int,
            "stage": str,
            "created_at": str,
            "stage_changed_at": str,
            "playlist": str,
            "position": float,
            "checklist": str,
            "side_effects": str,
            "side_effects_other": str,
            "therapy_at": str,
            "experience_started_at": str,
            "experience_ended_at": str,
            "ended_early": int,
            "completed_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"number", "stage", "created_at"},
        defaults={"position": 0.0, "ended_early": 0, "checklist": "{}", "side_effects": "{}",
                  "side_effects_other": "", "therapy_at": "", "playlist": "default"},
    )
    db["ratings"].create(
        {
            "id": int,
            "infusion_id": int,
            "timing": str,  # "pre" or "post"
            "pain": int,
            "mood": int,
            "anxiety": int,
            "recorded_at": str,
        },
        pk="id",
        foreign_keys=[("infusion_id", "infusions", "id")],
        not_null={"infusion_id", "timing", "recorded_at"},
    )
    db["ratings"].create_index(["infusion_id", "timing"], unique=True)
    db["moments"].create(
        {
            "id": int,
            "infusion_id": int,
            "position": float,
            "track": str,
            "phase": str,
            "created_at": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("infusion_id", "infusions", "id")],
        not_null={"infusion_id", "position", "created_at"},
        defaults={"note": "", "track": "", "phase": ""},
    )
    db["entries"].create(
        {
            "id": int,
            "infusion_id": int,
            "kind": str,  # "intention", "integration" or "note"
            "prompt": str,  # the guided prompt's key, or "" for free text
            "text": str,
            "tags": str,
            "private": int,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
        foreign_keys=[("infusion_id", "infusions", "id")],
        not_null={"kind", "text", "created_at", "updated_at"},
        defaults={"prompt": "", "tags": "[]", "private": 0},
    )
    db["entries"].create_index(["infusion_id", "kind", "prompt"])
    db["entry_revisions"].create(
        {"id": int, "entry_id": int, "text": str, "saved_at": str},
        pk="id",
        foreign_keys=[("entry_id", "entries", "id")],
        not_null={"entry_id", "text", "saved_at"},
    )
    db["entry_revisions"].create_index(["entry_id"])
    db["checkins"].create(
        {
            "id": int,
            "day": str,
            "infusion_id": int,
            "answers": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("infusion_id", "infusions", "id")],
        not_null={"day", "answers", "created_at", "updated_at"},
    )
    db["checkins"].create_index(["day"], unique=True)


@migrations()
def m006_questionnaires(db: sqlite_utils.Database) -> None:
    """Outcome questionnaires (issue 6): FIQR and ACR 2016, drafts kept until finished.

    ``answers`` is the JSON form of core.measures (``*_answers_to_dict``); a
    draft may hold blanks. Deleting sets ``deleted_at`` (the trash); changing a
    finished questionnaire keeps the earlier answers in
    ``questionnaire_revisions``.
    """
    db["questionnaires"].create(
        {
            "id": int,
            "kind": str,  # "fiqr" or "acr2016"
            "status": str,  # "draft" or "complete"
            "answers": str,
            "infusion_id": int,
            "created_at": str,
            "updated_at": str,
            "completed_at": str,
            "deleted_at": str,
        },
        pk="id",
        foreign_keys=[("infusion_id", "infusions", "id")],
        not_null={"kind", "status", "answers", "created_at", "updated_at"},
        defaults={"status": "draft", "answers": "{}"},
    )
    db["questionnaires"].create_index(["kind", "status", "completed_at"])
    db["questionnaire_revisions"].create(
        {"id": int, "questionnaire_id": int, "answers": str, "saved_at": str},
        pk="id",
        foreign_keys=[("questionnaire_id", "questionnaires", "id")],
        not_null={"questionnaire_id", "answers", "saved_at"},
    )
    db["questionnaire_revisions"].create_index(["questionnaire_id"])


@migrations()
def m004_journal_search_and_track_ratings(db: sqlite_utils.Database) -> None:
    """The journal (issue 4): the day an entry is about, full-text search,
    revisions of moment notes, and how each track felt."""
    db["entries"].add_column("day", str)
    db.execute("update entries set day = substr(created_at, 1, 10) where day is null")
    db["entries"].create_index(["day"])
    db["entries"].create_index(["deleted_at"])
    db["entries"].enable_fts(
        ["text", "tags"], tokenize="unicode61 remove_diacritics 2", create_triggers=True
    )
    db["moment_revisions"].create(
        {"id": int, "moment_id": int, "text": str, "saved_at": str},
        pk="id",
        foreign_keys=[("moment_id", "moments", "id")],
        not_null={"moment_id", "text", "saved_at"},
    )
    db["moment_revisions"].create_index(["moment_id"])
    db["track_ratings"].create(
        {
            "id": int,
            "infusion_id": int,
            "track": str,  # the track's title as the player showed it
            "rating": str,  # "resonated", "neutral" or "not_for_me"
            "rated_at": str,
        },
        pk="id",
        foreign_keys=[("infusion_id", "infusions", "id")],
        not_null={"infusion_id", "track", "rating", "rated_at"},
    )
    db["track_ratings"].create_index(["infusion_id", "track"], unique=True)


@migrations()
def m005_export_log(db: sqlite_utils.Database) -> None:
    """The record of therapist exports (issue 5): when, what, where, and a checksum."""
    db["exports"].create(
        {
            "id": int,
            "created_at": str,
            "format": str,
            "path": str,
            "sha256": str,
            "bytes": int,
            "records": int,
            "counts": str,  # JSON: the preview's numbers
            "selection": str,  # JSON: Selection.as_dict()
        },
        pk="id",
        not_null={"created_at", "format", "path", "sha256", "bytes", "records"},
        defaults={"counts": "{}", "selection": "{}"},
    )


@migrations()
def m011_urinary_told(db: sqlite_utils.Database) -> None:
    """Home's reminder about urinary symptoms (issue 11): when the patient
    marked that they had told their clinic (ISO 8601 time; NULL until then)."""
    db["infusions"].add_column("urinary_told_at", str)


#: A random (version 4) UUID made by SQLite, for rows inserted without one.
UUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)

#: The tables whose records carry an identity: every table the export carries.
IDENTIFIED = ("infusions", "ratings", "moments", "moment_revisions", "track_ratings", "entries",
              "entry_revisions", "checkins", "questionnaires", "questionnaire_revisions")


@migrations()
def m014_record_uids(db: sqlite_utils.Database) -> None:
    """Every record carries a stable identity (issue 14), so an import into a
    home with records merges: ``uid``, unique. Existing rows get one derived
    from their table, id and first stamp (``core.records.legacy_uid``), the one
    a 0.1.0 export of them is given on import; a row inserted without one gets
    a random one from the trigger ``<table>_uid``.

    Entries have no such trigger: an update inside the insert would reach the
    search index's own triggers before the row is indexed (SQLite runs the
    newest trigger first) and damage the index. ``core.journaling.entry_row``
    gives every entry the app writes its identity; one written without
    (by hand, by another program) is known by its derived one."""
    from companion.core.records import FIRST_STAMP, legacy_uid

    for table in IDENTIFIED:
        db[table].add_column("uid", str)
        stamp = FIRST_STAMP[table]
        rows = db.execute(f"select id, [{stamp}] from [{table}]").fetchall()
        db.conn.executemany(
            f"update [{table}] set uid = ? where id = ?",
            [(legacy_uid(table, {"id": i, stamp: s}), i) for i, s in rows],
        )
        db.execute(f"create unique index [idx_{table}_uid] on [{table}] (uid)")
        if table == "entries":
            continue
        db.execute(
            f"create trigger [{table}_uid] after insert on [{table}] when new.uid is null "
            f"begin update [{table}] set uid = {UUID_SQL} where id = new.id; end"
        )


@migrations()
def m015_recordings(db: sqlite_utils.Database) -> None:
    """Voice recordings (issue 19), kept inside the journal's database so an
    encrypted journal encrypts the voice too and nothing is ever written to
    the disk in the clear. A recording is written in chunks of a few seconds,
    each encoded on its own (FLAC) and committed as it comes, so a crash
    loses at most the chunk being recorded."""
    db["recordings"].create(
        {
            "id": int, "uid": str, "entry_id": int, "infusion_id": int, "created_at": str,
            "rate": int, "channels": int, "seconds": float, "finished_at": str, "deleted_at": str,
        },
        pk="id",
        foreign_keys=[("entry_id", "entries", "id"), ("infusion_id", "infusions", "id")],
        not_null={"uid", "created_at", "rate", "channels"},
        defaults={"seconds": 0.0},
    )
    db.execute("create unique index idx_recordings_uid on recordings (uid)")
    db.execute("create index idx_recordings_entry on recordings (entry_id)")
    db["recording_chunks"].create(
        {"recording_id": int, "seq": int, "frames": int, "data": bytes},
        pk=("recording_id", "seq"),
        foreign_keys=[("recording_id", "recordings", "id")],
        not_null={"frames", "data"},
    )


@migrations()
def m016_recording_moments(db: sqlite_utils.Database) -> None:
    """A voice note spoken for a moment marked during the music (issue 19):
    the recording names its moment (NULL for a page's or a prompt's voice)."""
    db["recordings"].add_column("moment_id", int)
    db.execute("create index idx_recordings_moment on recordings (moment_id)")
