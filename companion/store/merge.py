"""Merging records from elsewhere (a JSON export) into this store, in one
transaction (issue 14). The export's importer checks the file and says
which tables come in what order; this module does the writing.

- a record is known by its identity (``uid``) or, for the records that are one
  a day or one per infusion, by that (``TablePlan.natural_key``); a record not
  known here is added, with the id it had when that id is free;
- a record known here and different in the file: the newer version wins (its
  change time; equal times are decided by the content, the same way on both
  machines), and an entry's text, a moment's note or a questionnaire's
  answers that lose are kept as an earlier version;
- the trash is this home's own: the file never changes what is in it;
- infusions are numbered again in the order they were started.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from companion.core.files import write_problem
from companion.core.records import FIRST_STAMP, MergeFailed, Outcome, TablePlan, derived_uid, legacy_uid


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
    "recordings": ("created_at", "finished_at"),
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


class _Previewed(Exception):
    """Ends the preview's transaction, which is rolled back."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def merge(db: Any, plan: list[TablePlan], tables: dict[str, list[dict[str, Any]]], *,
          preview: bool) -> Outcome:
    """The merge in one transaction; with ``preview`` rolled back at the end.
    Raises MergeFailed when the rows do not fit this database."""
    columns = {p.table: set(db[p.table].columns_dict) for p in plan if db[p.table].exists()}
    try:
        with db.atomic():
            outcome = _Merge(db, plan, columns).run(tables)
            if preview:
                raise _Previewed(outcome)
    except _Previewed as done:
        return done.outcome
    except Exception as exc:  # sqlite3 errors: the file does not fit this database
        raise MergeFailed(write_problem(exc)) from None
    return outcome


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
    def __init__(self, db: Any, plan: list[TablePlan], columns: dict[str, set[str]]) -> None:
        self.db = db
        self.plan = {p.table: p for p in plan}
        self.columns = columns
        self.outcome = Outcome(order=[p.table for p in plan])
        #: table -> the file's id -> the id here
        self.ids: dict[str, dict[Any, int]] = {}

    def run(self, tables: dict[str, list[dict[str, Any]]]) -> Outcome:
        for table in self.plan:
            rows = tables.get(table) or []
            self.ids[table] = {}
            if "uid" in self.columns.get(table, ()):
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
        if "uid" not in self.columns.get(table, ()):
            self._keyed(table, row)
            return
        uid = row.get("uid") or legacy_uid(table, row)
        values = {k: _value(v) for k, v in row.items() if k not in ("id", "uid")}
        for column, parent in self.plan[table].links.items():
            if values.get(column) is not None:
                values[column] = self.ids[parent][values[column]]
        local = self._find(table, "uid = ?", [uid])
        key = self.plan[table].natural_key
        if local is None and key:
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

    def _keyed(self, table: str, row: dict[str, Any]) -> None:
        """A row with no identity of its own (a piece of a recording), known by
        its natural key once its links point here; it never changes once written."""
        values = {k: _value(v) for k, v in row.items()}
        for column, parent in self.plan[table].links.items():
            if values.get(column) is not None:
                values[column] = self.ids[parent][values[column]]
        key = self.plan[table].natural_key
        if self._find(table, " and ".join(f"[{c}] is ?" for c in key),
                      [values.get(c) for c in key]) is not None:
            self.outcome.count("unchanged", table)
            return
        self.db[table].insert(values)
        self.outcome.count("added", table)

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
