"""JSON: everything selected, lossless, with a schema version.

The file is one object::

    {
      "format": "companion-export",
      "schema_version": 2,            # this layout; bumped on any incompatible change
      "app_version": "0.1.0",
      "exported_at": "2026-03-02T09:30:00+01:00",
      "database_schema": ["m001_initial", ...],   # migrations the rows follow
      "selection": {...},             # what the patient chose (Selection.as_dict)
      "counts": {"infusions": 6, ...},
      "tables": {"infusions": [row, ...], "entries": [...], ...},
      "scores": {"<questionnaire id>": {...}}     # computed, for reading; ignored on import
    }

``tables`` holds every selected row exactly as stored: column names and values
of the database, ids included, text as typed (Unicode kept, never escaped).
JSON-encoded columns (tags, answers, checklist, side effects) stay strings, so
nothing is re-interpreted. Columns the patient left out are absent from their
rows. ``companion import FILE.json`` merges a file into a home.

Schema 2 (issue 14): every row carries its identity, ``uid``, which stays the
same on every machine, so an import recognises a record it already holds.
Files of schema 1 (0.1.0, without ``uid``) are still imported.

Voice (issue 19): ``recordings`` go with their entry (a private or left-out
entry keeps its voice at home) or their infusion; ``recording_chunks`` hold
their sound, each row one FLAC stream of a few seconds as stored, its
``data`` written as base64. A piece is known by its recording and ``seq``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from companion import __version__
from companion.export.selection import Report

FORMAT = "companion-export"
SCHEMA_VERSION = 2


def document(report: Report) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": report.created_at.isoformat(timespec="seconds"),
        "database_schema": report.schema,
        "selection": report.selection.as_dict(),
        "counts": report.counts(),
        "tables": report.tables,
        "scores": {str(k): v for k, v in report.scores.items()},
    }


def _bytes(value: Any) -> str:
    """Bytes (a recording's FLAC pieces) as base64 text."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def render(report: Report) -> bytes:
    return (json.dumps(document(report), ensure_ascii=False, indent=1, default=_bytes)
            + "\n").encode("utf-8")
