"""Journal entries: intentions, the integration journal and free notes.

Edits keep earlier revisions and deleting moves an entry to the trash, from
which it can be restored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from companion.core.models import clean_text
from companion.store.base import Repo, load_json, parse_time

#: Continuous typing keeps one earlier revision per this interval.
REVISION_INTERVAL = timedelta(minutes=5)


@dataclass
class Entry:
    id: int
    kind: str
    text: str
    created_at: datetime
    updated_at: datetime
    infusion_id: int | None = None
    prompt: str = ""
    tags: list[str] = field(default_factory=list)
    private: bool = False
    deleted_at: datetime | None = None


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(
        id=row["id"],
        kind=row["kind"],
        text=row["text"],
        created_at=parse_time(row["created_at"]),  # type: ignore[arg-type]
        updated_at=parse_time(row["updated_at"]),  # type: ignore[arg-type]
        infusion_id=row["infusion_id"],
        prompt=row["prompt"] or "",
        tags=load_json(row["tags"], []),
        private=bool(row["private"]),
        deleted_at=parse_time(row["deleted_at"]),
    )


class Journal(Repo):
    def get(self, entry_id: int) -> Entry:
        return _entry(self.db["entries"].get(entry_id))

    def find(self, infusion_id: int, kind: str, prompt: str = "") -> Entry | None:
        rows = list(
            self.db["entries"].rows_where(
                "infusion_id = ? and kind = ? and prompt = ? and deleted_at is null",
                [infusion_id, kind, prompt], order_by="id", limit=1,
            )
        )
        return _entry(rows[0]) if rows else None

    def add(self, text: str, *, kind: str = "note", infusion_id: int | None = None,
            prompt: str = "", tags: list[str] | None = None, private: bool = False) -> Entry:
        now = self.stamp()
        table = self.db["entries"]
        table.insert(
            {"infusion_id": infusion_id, "kind": kind, "prompt": prompt,
             "text": clean_text(text), "tags": json.dumps(tags or []),
             "private": int(private), "created_at": now, "updated_at": now}
        )
        return self.get(table.last_pk)

    def update_text(self, entry_id: int, text: str) -> Entry:
        """Save new text, keeping the earlier text as a revision now and then."""
        text = clean_text(text)
        with self.db.atomic():
            old = self.get(entry_id)
            if old.text == text:
                return old
            now = self.clock.now()
            last = self.db.execute(
                "select max(saved_at) from entry_revisions where entry_id = ?", [entry_id]
            ).fetchone()[0]
            due = last is None or now - datetime.fromisoformat(last) >= REVISION_INTERVAL
            if old.text and due:
                self.db["entry_revisions"].insert(
                    {"entry_id": entry_id, "text": old.text,
                     "saved_at": now.isoformat(timespec="seconds")}
                )
            self.db["entries"].update(
                entry_id, {"text": text, "updated_at": now.isoformat(timespec="seconds")}
            )
        return self.get(entry_id)

    def save_for(self, infusion_id: int, kind: str, prompt: str, text: str) -> Entry | None:
        """The autosave of a guided field: one entry per infusion, kind and prompt.

        Blank text creates nothing; an existing entry keeps its revisions.
        """
        existing = self.find(infusion_id, kind, prompt)
        if existing is None:
            if not clean_text(text).strip():
                return None
            return self.add(text, kind=kind, infusion_id=infusion_id, prompt=prompt)
        return self.update_text(existing.id, text)

    def revisions(self, entry_id: int) -> list[tuple[datetime, str]]:
        return [
            (parse_time(r["saved_at"]), r["text"])  # type: ignore[misc]
            for r in self.db["entry_revisions"].rows_where(
                "entry_id = ?", [entry_id], order_by="id"
            )
        ]

    def for_infusion(self, infusion_id: int) -> list[Entry]:
        return [
            _entry(r)
            for r in self.db["entries"].rows_where(
                "infusion_id = ? and deleted_at is null", [infusion_id], order_by="id"
            )
        ]

    def intentions(self, exclude_infusion: int | None = None) -> list[Entry]:
        """Earlier intentions, newest first, for the patient to reuse or build on."""
        return [
            _entry(r)
            for r in self.db["entries"].rows_where(
                "kind = 'intention' and deleted_at is null and trim(text) != '' "
                "and (infusion_id is null or infusion_id != ?)",
                [exclude_infusion if exclude_infusion is not None else -1],
                order_by="id desc",
            )
        ]

    def delete(self, entry_id: int) -> None:
        """Move to the trash."""
        self.db["entries"].update(entry_id, {"deleted_at": self.stamp()})

    def restore(self, entry_id: int) -> None:
        self.db["entries"].update(entry_id, {"deleted_at": None})

    def trash(self) -> list[Entry]:
        return [
            _entry(r)
            for r in self.db["entries"].rows_where("deleted_at is not null", order_by="deleted_at desc")
        ]


class Checkins(Repo):
    """The clinic's lifestyle questions, one check-in a day."""

    def for_day(self, day: str) -> dict[str, str]:
        rows = list(self.db["checkins"].rows_where("day = ?", [day]))
        return load_json(rows[0]["answers"], {}) if rows else {}

    def save(self, day: str, answers: dict[str, str], infusion_id: int | None = None) -> None:
        now = self.stamp()
        with self.db.atomic():
            rows = list(self.db["checkins"].rows_where("day = ?", [day]))
            if rows:
                changes: dict[str, Any] = {"answers": json.dumps(answers), "updated_at": now}
                if infusion_id is not None:
                    changes["infusion_id"] = infusion_id
                self.db["checkins"].update(rows[0]["id"], changes)
            else:
                self.db["checkins"].insert(
                    {"day": day, "infusion_id": infusion_id, "answers": json.dumps(answers),
                     "created_at": now, "updated_at": now}
                )
