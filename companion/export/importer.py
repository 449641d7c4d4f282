"""``companion import FILE.json``: a JSON export merged into this home (issue 14).

Every row is first checked by the app's own rules (``export/validate.py``); a
file with a bad row is refused whole, naming the first problems, and nothing
is written. Then, in one transaction and after a copy of the journal is made:

- a record is known by its identity (``uid``; a 0.1.0 file's rows are given
  the identity the migration gave the same rows at home) or, for the records
  that are one a day or one per infusion (ratings, track ratings, check-ins),
  by that; a record not known here is added, with the id it had when that id
  is free (so a full export restored into an empty home is the same, ids
  included);
- a record known here and different in the file: the newer version wins (its
  change time; equal times are decided by the content, the same way on both
  machines), and an entry's text, a moment's note or a questionnaire's
  answers that lose are kept as an earlier version, so nothing is dropped;
- the trash is this home's own: the file never changes what is in it;
- infusions are numbered again in the order they were started.

Importing the same file twice changes nothing the second time; two homes
that import each other's full export end with the same records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from companion.core import text
from companion.core.records import FIRST_STAMP, derived_uid, legacy_uid
from companion.export import json as json_format
from companion.export import validate
from companion.export.selection import SOURCES, schema_names


class ImportProblem(Exception):
    """The file cannot be imported here; the message is one line for the patient."""


def load(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblem(f"{path} does not exist") from None
    except OSError as exc:
        raise ImportProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ImportProblem(f"{path} is not a JSON file") from None
    except RecursionError:  # arrays in arrays thousands deep: no export looks like that
        raise ImportProblem(text.RESTORE_TOO_DEEP.format(path=path)) from None
    return check(doc, str(path))


def check(doc: Any, name: str = "the file") -> dict[str, Any]:
    if not isinstance(doc, dict) or doc.get("format") != json_format.FORMAT:
        raise ImportProblem(f"{name} is not a companion export")
    version = doc.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise ImportProblem(f"{name} has no valid schema_version")
    if version > json_format.SCHEMA_VERSION:
        raise ImportProblem(
            f"{name} was written by a newer companion (export schema {version}); update companion first"
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows) for rows in tables.values()
    ):
        raise ImportProblem(f"{name} has no readable tables")
    return doc


#: The columns that say when a record last changed, by table ("newer wins").
CHANGED_AT: dict[str, tuple[str, ...]] = {
    "infusions": ("created_at", "stage_changed_at", "experience_started_at",
                  "experience_ended_at", "completed_at", "urinary_told_at"),
    "ratings": ("recorded_at",),
    "moments": ("created_at",),
    "track_ratings": ("rated_at",),
    "entries": ("updated_at",),
    "checkins": ("updated_at",),
    "questionnaires": ("updated_at",),
}

#: Where the losing version of a record is kept: table -> (revision table,
#: its link column, the record's column, the revision's column).
KEPT_AS_REVISION: dict[str, tuple[str, str, str, str]] = {
    "entries": ("entry_revisions", "entry_id", "text", "text"),
    "moments": ("moment_revisions", "moment_id", "note", "text"),
    "questionnaires": ("questionnaire_revisions", "questionnaire_id", "answers", "answers"),
}

#: Earlier versions never change once written: known means unchanged.
REVISIONS = ("entry_revisions", "moment_revisions", "questionnaire_revisions")

#: Columns that are this home's own: never compared, never taken from a file.
LOCAL = ("id", "uid", "deleted_at", "number")


@dataclass
class Outcome:
    """What an import did (or, previewed, would do), by table."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    backup: Path | None = None

    def count(self, kind: str, table: str) -> None:
        counts = getattr(self, kind)
        counts[table] = counts.get(table, 0) + 1

    def total(self, kind: str) -> int:
        return sum(getattr(self, kind).values())

    def tables(self) -> list[str]:
        seen = set(self.added) | set(self.updated) | set(self.unchanged)
        return [s.table for s in SOURCES if s.table in seen]


class _Previewed(Exception):
    """Ends the preview's transaction, which is rolled back."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def restore(store: Any, doc: dict[str, Any], *, preview: bool = False,
            backup: Callable[[], Path] | None = None, name: str = "the file") -> Outcome:
    """Merge every row of ``doc`` into ``store``; with ``preview``, only say
    what would change (the same work, rolled back). ``backup`` makes the copy
    of the journal once the file is found valid, before anything is written
    (it raises ImportProblem when it cannot); none for a database in memory."""
    db = store.db
    doc = check(doc)
    known = set(schema_names(db))
    newer = [step for step in doc.get("database_schema") or [] if step not in known]
    if newer:
        raise ImportProblem(
            f"the export follows a newer database ({newer[0]}); update companion first"
        )
    order = [s.table for s in SOURCES]
    unknown = sorted(set(doc["tables"]) - set(order))
    if unknown:
        raise ImportProblem(f"the export has a table this companion does not know: {unknown[0]}")
    present = set(db.table_names())
    for table in order:
        if doc["tables"].get(table) and table not in present:
            raise ImportProblem(f"this database has no table {table}; update companion first")
    columns = {t: set(db[t].columns_dict) for t in order if t in present}
    found, count = validate.problems(doc["tables"], columns)
    if found:
        more = text.IMPORT_MORE_PROBLEMS.format(count=count - len(found)) if count > len(found) else ""
        raise ImportProblem(text.IMPORT_REFUSED.format(
            name=name,
            problems="; ".join(p.line() for p in found) + more))
    if backup is not None and not preview:
        # A file that changes nothing (imported before) writes nothing, not even a copy.
        would = _run(db, columns, doc["tables"], preview=True)
        if not would.total("added") and not would.total("updated"):
            return would
    made = backup() if backup is not None and not preview else None
    outcome = _run(db, columns, doc["tables"], preview=preview)
    outcome.backup = made
    return outcome


def _run(db: Any, columns: dict[str, set[str]], tables: dict[str, list[dict[str, Any]]], *,
         preview: bool) -> Outcome:
    """The merge in one transaction; with ``preview`` rolled back at the end."""
    try:
        with db.atomic():
            outcome = _Merge(db, columns).run(tables)
            if preview:
                raise _Previewed(outcome)
    except _Previewed as done:
        return done.outcome
    except Exception as exc:  # sqlite3 errors: the file does not fit this database
        from companion.core.files import write_problem

        raise ImportProblem(f"the file cannot be imported: {write_problem(exc)}") from None
    return outcome


merge = restore


def _value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _when(value: Any) -> float | None:
    try:
        return datetime.fromisoformat(value).timestamp() if value else None
    except (TypeError, ValueError):
        return None


class _Merge:
    def __init__(self, db: Any, columns: dict[str, set[str]]) -> None:
        self.db = db
        self.columns = columns
        self.outcome = Outcome()
        #: table -> the file's id -> the id here
        self.ids: dict[str, dict[Any, int]] = {}

    def run(self, tables: dict[str, list[dict[str, Any]]]) -> Outcome:
        for source in SOURCES:
            table = source.table
            rows = tables.get(table) or []
            self.ids[table] = {}
            if table in self.columns:
                self._name_unnamed(table)
            for row in rows:
                self._one(table, row)
        if tables.get("infusions"):
            self._renumber()
        return self.outcome

    def _name_unnamed(self, table: str) -> None:
        """Rows written without an identity (by hand, by another program) get
        the derived one here, as a file holding them would."""
        stamp = FIRST_STAMP[table]
        rows = self.db.execute(f"select id, [{stamp}] from [{table}] where uid is null").fetchall()
        for row_id, value in rows:
            self.db.execute(f"update [{table}] set uid = ? where id = ?",
                            [legacy_uid(table, {"id": row_id, stamp: value}), row_id])

    def _find(self, table: str, where: str, params: list[Any]) -> dict[str, Any] | None:
        cursor = self.db.execute(f"select * from [{table}] where {where} limit 1", params)
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cursor.description], found))

    def _one(self, table: str, row: dict[str, Any]) -> None:
        uid = row.get("uid") or legacy_uid(table, row)
        values = {k: _value(v) for k, v in row.items() if k not in ("id", "uid")}
        for column, parent in validate.links(table).items():
            if values.get(column) is not None:
                values[column] = self.ids[parent][values[column]]
        local = self._find(table, "uid = ?", [uid])
        if local is None and table in validate.NATURAL_KEYS:
            key = validate.NATURAL_KEYS[table]
            local = self._find(table, " and ".join(f"[{c}] is ?" for c in key),
                               [values.get(c) for c in key])
        if local is None:
            self.ids[table][row["id"]] = self._insert(table, row["id"], uid, values)
            self.outcome.count("added", table)
            return
        self.ids[table][row["id"]] = local["id"]
        theirs = {k: v for k, v in values.items() if k not in LOCAL}
        if all(local.get(k) == v for k, v in theirs.items()) or table in REVISIONS:
            self.outcome.count("unchanged", table)
            return
        ours = {k: local.get(k) for k in theirs}
        if self._newer(table, theirs, ours):
            changes = dict(theirs)
            if local["uid"] != uid:
                changes["uid"] = uid  # the winner's identity, on both machines
            self.db[table].update(local["id"], changes)
            self.outcome.count("updated", table)
            self._keep(table, local["id"], uid, ours, theirs)
        else:
            self.outcome.count("unchanged", table)
            self._keep(table, local["id"], local["uid"], theirs, ours)

    def _insert(self, table: str, file_id: Any, uid: str, values: dict[str, Any]) -> int:
        values = {k: v for k, v in values.items() if k != "deleted_at"}
        taken = self.db.execute(f"select 1 from [{table}] where id = ?", [file_id]).fetchone()
        if not taken:
            values["id"] = file_id
        values["uid"] = uid
        names = list(values)
        cursor = self.db.execute(
            "insert into [{}] ({}) values ({})".format(
                table, ", ".join(f"[{n}]" for n in names), ", ".join("?" for _ in names)),
            [values[n] for n in names])
        return int(cursor.lastrowid)

    @staticmethod
    def _newer(table: str, theirs: dict[str, Any], ours: dict[str, Any]) -> bool:
        """Whether the file's version wins: changed later, or at the same time
        and greater by content (so both machines choose the same one)."""
        stamps = CHANGED_AT.get(table, ())

        def latest(values: dict[str, Any]) -> float:
            times = [t for t in (_when(values.get(c)) for c in stamps) if t is not None]
            return max(times, default=float("-inf"))

        if latest(theirs) != latest(ours):
            return latest(theirs) > latest(ours)
        keys = sorted(theirs)
        return (json.dumps([theirs[k] for k in keys], default=str)
                > json.dumps([ours[k] for k in keys], default=str))

    def _keep(self, table: str, record_id: int, uid: str, loser: dict[str, Any],
              winner: dict[str, Any]) -> None:
        """Keep the losing text or answers as an earlier version of the record."""
        if table not in KEPT_AS_REVISION:
            return
        revisions, link, column, kept = KEPT_AS_REVISION[table]
        old = loser.get(column)
        if column not in loser or old == winner.get(column) or not str(old or "").strip():
            return
        if type(old) is not str:  # a damaged text's placeholder (store.db.DamagedValue): not theirs
            return
        stamps = CHANGED_AT[table]
        saved_at = next((loser[c] for c in stamps if loser.get(c)), None) or \
            next((winner[c] for c in stamps if winner.get(c)), None)
        revision_uid = derived_uid(revisions, uid, saved_at, old)
        if self._find(revisions, "uid = ?", [revision_uid]) is not None:
            return
        self.db[revisions].insert({link: record_id, kept: old, "saved_at": saved_at,
                                   "uid": revision_uid})
        self.outcome.count("added", revisions)

    def _renumber(self) -> None:
        """Infusions numbered in the order they were started (the trash keeps
        its numbers)."""
        rows = self.db.execute(
            "select id, number, created_at, uid from infusions where deleted_at is null"
        ).fetchall()
        rows.sort(key=lambda r: (_when(r[2]) or 0.0, r[3]))
        for number, (row_id, old, _created, _uid) in enumerate(rows, start=1):
            if old != number:
                self.db.execute("update infusions set number = ? where id = ?", [number, row_id])
