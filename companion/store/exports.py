"""The record of every export: when, what was selected, format, file and checksum."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from companion.store.base import Repo, load_json, parse_time


@dataclass
class ExportRecord:
    id: int
    created_at: datetime
    format: str
    path: str
    sha256: str
    bytes: int
    records: int
    counts: dict[str, int] = field(default_factory=dict)
    selection: dict[str, Any] = field(default_factory=dict)


def _record(row: dict[str, Any]) -> ExportRecord:
    return ExportRecord(
        id=row["id"], created_at=parse_time(row["created_at"]),  # type: ignore[arg-type]
        format=row["format"], path=row["path"], sha256=row["sha256"], bytes=row["bytes"],
        records=row["records"], counts=load_json(row["counts"], {}),
        selection=load_json(row["selection"], {}),
    )


class Exports(Repo):
    def record(self, *, format: str, path: str, sha256: str, size: int, records: int,
               counts: dict[str, int], selection: dict[str, Any]) -> ExportRecord:
        table = self.db["exports"]
        table.insert(
            {"created_at": self.stamp(), "format": format, "path": path, "sha256": sha256,
             "bytes": size, "records": records, "counts": json.dumps(counts),
             "selection": json.dumps(selection)}
        )
        return _record(table.get(table.last_pk))

    def all(self) -> list[ExportRecord]:
        """Every export, newest first."""
        return [_record(r) for r in self.db["exports"].rows_where(order_by="id desc")]
