"""Restoring a JSON export into an empty home: ``companion import FILE.json``.

Rows go back exactly as exported (ids included) in one transaction, so a full
export restored and exported again gives the same tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from companion.export import json as json_format
from companion.export.selection import SOURCES, schema_names


class ImportProblem(Exception):
    """The file cannot be restored here; the message is one line for the patient."""


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
        from companion.core import text

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


def _existing_records(db: Any) -> int:
    present = set(db.table_names())
    return sum(
        db.execute(f"select count(*) from [{s.table}]").fetchone()[0]
        for s in SOURCES if s.table in present
    )


def restore(store: Any, doc: dict[str, Any]) -> dict[str, int]:
    """Insert every row of ``doc`` into ``store``, which must hold no records yet."""
    db = store.db
    doc = check(doc)
    if _existing_records(db):
        raise ImportProblem(
            "this home already has records; import restores into an empty home "
            "(choose a new one with --home DIR)"
        )
    known = set(schema_names(db))
    newer = [name for name in doc.get("database_schema") or [] if name not in known]
    if newer:
        raise ImportProblem(
            f"the export follows a newer database ({newer[0]}); update companion first"
        )
    order = [s.table for s in SOURCES]
    unknown = sorted(set(doc["tables"]) - set(order))
    if unknown:
        raise ImportProblem(f"the export has a table this companion does not know: {unknown[0]}")
    present = set(db.table_names())
    counts: dict[str, int] = {}
    with db.atomic():
        for table in order:
            rows = doc["tables"].get(table) or []
            if not rows:
                continue
            if table not in present:
                raise ImportProblem(f"this database has no table {table}; update companion first")
            columns = set(db[table].columns_dict)
            names: list[str] = []
            for row in rows:
                for key in row:
                    if key not in columns:
                        raise ImportProblem(f"{table} has no column {key!r}")
                    if key not in names:
                        names.append(key)
            if "id" not in names:
                raise ImportProblem(f"rows of {table} have no id")
            sql = "insert into [{}] ({}) values ({})".format(
                table, ", ".join(f"[{n}]" for n in names), ", ".join("?" for _ in names)
            )
            try:
                db.conn.executemany(sql, [[_value(row.get(n)) for n in names] for row in rows])
            except Exception as exc:  # sqlite3 integrity errors: the file is inconsistent
                from companion.core.files import write_problem

                raise ImportProblem(f"{table} cannot be restored: {write_problem(exc)}") from None
            counts[table] = len(rows)
    return counts


def _value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value
