"""``companion import FILE.json``: a JSON export merged into this home (issue 14).

Every row is first checked by the app's own rules (``export/validate.py``); a
file with a bad row is refused whole, naming the first problems, and nothing
is written. Then the store merges the rows (``store/merge.py``), in one
transaction and after a copy of the journal is made:

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
from pathlib import Path
from typing import Any

from companion.core import text
from companion.export import json as json_format
from companion.export import validate
from companion.export.selection import SOURCES
from companion.core.records import MergeFailed, Outcome, TablePlan


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


def restore(store: Any, doc: dict[str, Any], *, preview: bool = False,
            backup: Callable[[], Path] | None = None, name: str = "the file") -> Outcome:
    """Merge every row of ``doc`` into ``store``; with ``preview``, only say
    what would change (the same work, rolled back). ``backup`` makes the copy
    of the journal once the file is found valid, before anything is written
    (it raises ImportProblem when it cannot); none for a database in memory."""
    doc = check(doc)
    known = set(store.tables.schema_names())
    newer = [step for step in doc.get("database_schema") or [] if step not in known]
    if newer:
        raise ImportProblem(
            f"the export follows a newer database ({newer[0]}); update companion first"
        )
    order = [s.table for s in SOURCES]
    unknown = sorted(set(doc["tables"]) - set(order))
    if unknown:
        raise ImportProblem(f"the export has a table this companion does not know: {unknown[0]}")
    present = set(store.tables.names())
    for table in order:
        if doc["tables"].get(table) and table not in present:
            raise ImportProblem(f"this database has no table {table}; update companion first")
    columns = {t: store.tables.columns(t) for t in order if t in present}
    found, count = validate.problems(doc["tables"], columns)
    if found:
        more = text.IMPORT_MORE_PROBLEMS.format(count=count - len(found)) if count > len(found) else ""
        raise ImportProblem(text.IMPORT_REFUSED.format(
            name=name,
            problems="; ".join(p.line() for p in found) + more))
    tables = _with_sound(doc["tables"])
    if backup is not None and not preview:
        # A file that changes nothing (imported before) writes nothing, not even a copy.
        would = _merge(store, tables, preview=True)
        if not would.total("added") and not would.total("updated"):
            return would
    made = backup() if backup is not None and not preview else None
    outcome = _merge(store, tables, preview=preview)
    outcome.backup = made
    return outcome


def _with_sound(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The rows with each recording's piece back as its FLAC bytes (checked already)."""
    chunks = tables.get("recording_chunks")
    if not chunks:
        return tables
    return {**tables, "recording_chunks": [{**row, "data": validate.flac(row["data"])}
                                           for row in chunks]}


def _merge(store: Any, tables: dict[str, list[dict[str, Any]]], *, preview: bool) -> Outcome:
    plan = [TablePlan(s.table, validate.links(s.table), validate.NATURAL_KEYS.get(s.table, ()))
            for s in SOURCES]
    try:
        return store.merge(plan, tables, preview=preview)
    except MergeFailed as exc:
        raise ImportProblem(f"the file cannot be imported: {exc}") from None


merge = restore
