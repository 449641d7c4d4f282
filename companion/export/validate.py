"""Every row of an import checked by the rules the app applies when the
patient types (issue 14): ratings and answers in range, questionnaires of
the right shape, known stages, real dates, text without control characters,
and links that point to a record of the same file.

The rules are the app's own (``core``, where the store and the screens find them too);
this module only walks the file's rows with them. ``problems`` names each
row that breaks one: its table, its id in the file, the field and why.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from companion.core import stages, text
from companion.core.journaling import ENTRY_KINDS, MAX_ENTRY_CHARS, checkin_problem, clean_tags
from companion.core.models import check_rating, has_control_characters
from companion.core.series import appointment_time
from companion.export.selection import SOURCES
from companion.core.questionnaires import (
    COMPLETE,
    DRAFT,
    KINDS,
    QuestionnaireError,
    check_complete,
    check_draft,
)


@dataclass(frozen=True)
class Problem:
    table: str
    record: Any
    """The row's id in the file."""
    field: str
    why: str

    def line(self) -> str:
        return text.IMPORT_PROBLEM.format(table=self.table, record=self.record,
                                          field=self.field, why=self.why)


class _Bad(Exception):
    """One field breaks a rule (the message says why)."""


# --- the rules, one value at a time --------------------------------------------


def _stamp(value: Any) -> None:
    if not isinstance(value, str):
        raise _Bad("is not a date and time")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{value!r} is not a date and time") from None


def _day(value: Any) -> None:
    try:
        ok = isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        ok = False
    if not ok:
        raise _Bad(f"{value!r} is not a day like 2026-03-14")


def _text(value: Any, limit: int = MAX_ENTRY_CHARS) -> None:
    if not isinstance(value, str):
        raise _Bad("is not text")
    if has_control_characters(value):
        raise _Bad(text.IMPORT_CONTROL_CHARACTER)
    if len(value) > limit:
        raise _Bad(f"is longer than {limit:,} characters")


def _line(value: Any) -> None:
    _text(value, 1000)


def _rating(value: Any) -> None:
    try:
        check_rating(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _flag(value: Any) -> None:
    if value not in (0, 1) or isinstance(value, float):
        raise _Bad("is not 0 or 1")


def _position(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value < 0:
        raise _Bad("is not a position in seconds")


def _one_of(*allowed: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value not in allowed:
            raise _Bad(f"{value!r} is not one of {', '.join(allowed)}")
    return check


def _stage(value: Any) -> None:
    try:
        stages.parse_stage(value)
    except (stages.StageError, TypeError):
        raise _Bad(f"{value!r} is not a stage") from None


def _positive(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Bad("is not a whole number from 1")


def _uid(value: Any) -> None:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        raise _Bad(f"{value!r} is not a record identity (UUID)") from None


def _loaded(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return value
    if not isinstance(value, str):
        raise _Bad("is not JSON text")
    try:
        return json.loads(value)
    except ValueError:
        raise _Bad("is not JSON text") from None


def _flags(known: Mapping[str, str]) -> Callable[[Any], None]:
    """A JSON object of ticks, as the checklist and the side effects store them."""
    def check(value: Any) -> None:
        loaded = _loaded(value)
        if not isinstance(loaded, dict):
            raise _Bad("is not a set of ticks")
        for key, ticked in loaded.items():
            if key not in known:
                raise _Bad(f"has an unknown item {key!r}")
            if not isinstance(ticked, bool):
                raise _Bad(f"ticks {key!r} with {ticked!r}, not true or false")
    return check


def _tags(value: Any) -> None:
    loaded = _loaded(value)
    if not isinstance(loaded, list) or not all(isinstance(t, str) for t in loaded):
        raise _Bad("is not a list of tags")
    if clean_tags(loaded) != loaded:
        raise _Bad("holds a tag the journal would not store (blank, repeated, too long or with a #)")


def _appointment(value: Any) -> None:
    if not isinstance(value, str):
        raise _Bad("is not text")
    if value and appointment_time(value) is None:
        raise _Bad(f"{value!r} is not a day or a day and time")


def _checkin(value: Any) -> None:
    why = checkin_problem(_loaded(value))
    if why is not None:
        raise _Bad(why)


def _rate(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 8000 <= value <= 192000:
        raise _Bad(f"{value!r} is not a sample rate from 8000 to 192000")


def _channels(value: Any) -> None:
    if value not in (1, 2) or isinstance(value, (bool, float)):
        raise _Bad(f"{value!r} is not 1 or 2 channels")


def _count(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Bad("is not a whole number from 0")


def flac(value: Any) -> bytes:
    """A recording's piece as the JSON carries it (base64 of one FLAC stream),
    back as its bytes; raises ValueError, saying why, when it is not one."""
    if not isinstance(value, str):
        raise ValueError(text.IMPORT_NOT_BASE64)
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(text.IMPORT_NOT_BASE64) from None
    if not data.startswith(b"fLaC"):
        raise ValueError(text.IMPORT_NOT_FLAC)
    return data


def _chunk(value: Any) -> None:
    try:
        data = flac(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from None
    import soundfile

    try:
        soundfile.info(io.BytesIO(data))
    except (RuntimeError, soundfile.LibsndfileError):
        raise _Bad(text.IMPORT_NOT_FLAC) from None


#: table -> column -> rule. A column of the table not named here is not
#: checked (it is a link, checked below, or the row's id).
RULES: dict[str, dict[str, Callable[[Any], None]]] = {
    "infusions": {
        "number": _positive, "stage": _stage, "created_at": _stamp, "stage_changed_at": _stamp,
        "playlist": _line, "position": _position,
        "checklist": _flags(text.CHECKLIST), "side_effects": _flags(text.SIDE_EFFECTS),
        "side_effects_other": _text, "therapy_at": _appointment,
        "experience_started_at": _stamp, "experience_ended_at": _stamp, "ended_early": _flag,
        "completed_at": _stamp, "deleted_at": _stamp, "urinary_told_at": _stamp,
    },
    "ratings": {"timing": _one_of("pre", "post"), "pain": _rating, "mood": _rating,
                "anxiety": _rating, "recorded_at": _stamp},
    "moments": {"position": _position, "track": _line, "phase": _line, "created_at": _stamp,
                "note": _text},
    "moment_revisions": {"text": _text, "saved_at": _stamp},
    "track_ratings": {"track": _line, "rating": _one_of("", *text.TRACK_RATINGS), "rated_at": _stamp},
    "entries": {"kind": _one_of(*ENTRY_KINDS), "prompt": _line, "text": _text, "tags": _tags,
                "private": _flag, "created_at": _stamp, "updated_at": _stamp,
                "deleted_at": _stamp, "day": _day},
    "entry_revisions": {"text": _text, "saved_at": _stamp},
    "checkins": {"day": _day, "answers": _checkin, "created_at": _stamp, "updated_at": _stamp},
    "questionnaires": {"kind": _one_of(*KINDS), "status": _one_of(DRAFT, COMPLETE),
                       "created_at": _stamp, "updated_at": _stamp, "completed_at": _stamp,
                       "deleted_at": _stamp},
    "questionnaire_revisions": {"saved_at": _stamp},
    "recordings": {"created_at": _stamp, "rate": _rate, "channels": _channels,
                   "seconds": _position, "finished_at": _stamp, "deleted_at": _stamp},
    "recording_chunks": {"seq": _count, "frames": _count, "data": _chunk},
}

#: Columns a row cannot do without (the database's NOT NULL ones without a default).
REQUIRED: dict[str, tuple[str, ...]] = {
    "infusions": ("number", "stage", "created_at"),
    "ratings": ("infusion_id", "timing", "recorded_at"),
    "moments": ("infusion_id", "position", "created_at"),
    "moment_revisions": ("moment_id", "text", "saved_at"),
    "track_ratings": ("infusion_id", "track", "rating", "rated_at"),
    "entries": ("kind", "text", "created_at", "updated_at"),
    "entry_revisions": ("entry_id", "text", "saved_at"),
    "checkins": ("day", "answers", "created_at", "updated_at"),
    "questionnaires": ("kind", "status", "answers", "created_at", "updated_at"),
    "questionnaire_revisions": ("questionnaire_id", "answers", "saved_at"),
    "recordings": ("uid", "created_at", "rate", "channels"),
    "recording_chunks": ("recording_id", "seq", "frames", "data"),
}


#: Records that are one a day, or one per infusion and timing or track: two
#: of them are the same record, whatever their identity.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "ratings": ("infusion_id", "timing"),
    "track_ratings": ("infusion_id", "track"),
    "checkins": ("day",),
    "recording_chunks": ("recording_id", "seq"),
}

#: Tables whose rows have no id or identity of their own: known by their
#: natural key (a recording's pieces: the recording and the piece's place).
KEYED_ONLY = ("recording_chunks",)


def links(table: str) -> dict[str, str]:
    """The columns of ``table`` that point to a row of another table."""
    found: dict[str, str] = {}
    for source in SOURCES:
        if source.table == table:
            if source.infusion:
                found[source.infusion] = "infusions"
            if source.parent:
                found[source.parent[0]] = source.parent[1]
            found.update(source.links)
    return found


def _answers(kind: Any, status: Any, value: Any) -> None:
    """The questionnaire rules of the store: each answer in range, the right
    shape, and a finished ACR 2016 with every question answered."""
    loaded = _loaded(value)
    if kind not in KINDS:
        return  # the kind is named as the problem
    try:
        checked = check_draft(kind, loaded)
        if status == COMPLETE:
            check_complete(kind, checked)
    except QuestionnaireError as exc:
        raise _Bad(str(exc)) from None


def problems(tables: Mapping[str, list[dict[str, Any]]], columns: Mapping[str, set[str]],
             limit: int = 3) -> tuple[list[Problem], int]:
    """The first ``limit`` problems of the file's rows, and how many there are.

    ``columns`` holds each table's columns in this database.
    """
    found: list[Problem] = []
    count = 0

    def add(table: str, row: Mapping[str, Any], index: int, field: str, why: str) -> None:
        nonlocal count
        count += 1
        if len(found) < limit:
            record = row.get("id")
            if table in KEYED_ONLY:
                record = "/".join(str(row.get(c)) for c in NATURAL_KEYS[table])
            found.append(Problem(table, record if record is not None else f"#{index + 1}", field, why))

    ids = {table: {r.get("id") for r in rows} for table, rows in tables.items()}
    kinds = {r.get("id"): r.get("kind") for r in tables.get("questionnaires", [])}
    for source in SOURCES:
        table = source.table
        rules = RULES[table]
        pointers = links(table)
        known = columns.get(table, set())
        seen_uids: set[Any] = set()
        seen_ids: set[Any] = set()
        natural: dict[tuple[Any, ...], Any] = {}
        for index, row in enumerate(tables.get(table) or []):
            if table in NATURAL_KEYS:
                key = tuple(row.get(c) for c in NATURAL_KEYS[table])
                if key in natural:
                    add(table, row, index, NATURAL_KEYS[table][-1], text.IMPORT_SAME_KEY.format(
                        key=" and ".join(NATURAL_KEYS[table]), other=natural[key]))
                natural.setdefault(key, row.get("id"))
            for key in row:
                if key not in known:
                    add(table, row, index, key, text.IMPORT_UNKNOWN_COLUMN.format(column=key))
            if table in KEYED_ONLY:
                pass
            elif not isinstance(row.get("id"), int) or isinstance(row.get("id"), bool):
                add(table, row, index, "id", "is not a whole number")
            elif row["id"] in seen_ids:
                add(table, row, index, "id", "is the id of another record of the file")
            seen_ids.add(row.get("id"))
            for name in REQUIRED[table]:
                if row.get(name) is None:
                    add(table, row, index, name, "is missing")
            for name, rule in rules.items():
                value = row.get(name)
                if value is None:
                    continue
                try:
                    rule(value)
                except _Bad as exc:
                    add(table, row, index, name, str(exc))
            uid = row.get("uid")
            if uid is not None:
                try:
                    _uid(uid)
                except _Bad as exc:
                    add(table, row, index, "uid", str(exc))
                if uid in seen_uids:
                    add(table, row, index, "uid", "is the identity of another record of the file")
                seen_uids.add(uid)
            for name, parent in pointers.items():
                value = row.get(name)
                if value is not None and value not in ids.get(parent, set()):
                    add(table, row, index, name,
                        text.IMPORT_DANGLING.format(parent=parent, value=value))
            if table == "questionnaires" and row.get("answers") is not None:
                try:
                    _answers(row.get("kind"), row.get("status"), row["answers"])
                except _Bad as exc:
                    add(table, row, index, "answers", str(exc))
            if table == "questionnaire_revisions" and row.get("answers") is not None:
                try:
                    _answers(kinds.get(row.get("questionnaire_id")), DRAFT, row["answers"])
                except _Bad as exc:
                    add(table, row, index, "answers", str(exc))
    return found, count
