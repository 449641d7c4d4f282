"""Journal entries: intentions, the integration journal and free notes.

Edits keep earlier revisions and deleting moves an entry to the trash, from
which it can be restored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from companion.core import text as copy
from companion.core.journaling import (
    NoteProblem,
    checked_day,
    checked_text,
    clean_tags,
    entry_row,
    fts_query,
    is_blank,
)
from companion.core.models import clean_text
from companion.store.base import Repo, load_json, parse_time
from companion.store.db import DamagedValue, is_damaged

#: Continuous typing keeps one earlier revision per this interval.
REVISION_INTERVAL = timedelta(minutes=5)

#: Around the matched words in a search snippet (private-use characters, which
#: never come from the database: the UI turns them into a highlight).
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"

#: ``infusion_id`` filter meaning "entries linked to no infusion".
NO_INFUSION = 0

#: How a track felt.
TRACK_RATINGS = tuple(copy.TRACK_RATINGS)


class EntryError(ValueError):
    """An entry that cannot be saved; the message is for the patient."""


def _checked(value: str, *, allow_blank: bool = False) -> str:
    try:
        return checked_text(value, allow_blank=allow_blank)
    except NoteProblem as exc:
        raise EntryError(str(exc)) from None


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
    day: str = ""
    """The day the entry is about (YYYY-MM-DD): the day written, unless changed."""
    infusion_number: int | None = None
    """The linked infusion's number in the series, where the query fetched it."""

    @property
    def date(self) -> date:
        return date.fromisoformat(self.day) if self.day else self.created_at.date()

    @property
    def damaged(self) -> bool:
        """The stored text cannot be read (``text`` is a placeholder naming the entry)."""
        return is_damaged(self.text)


@dataclass
class Hit:
    """One entry found: the entry and a snippet with the matches marked
    (between MARK_OPEN and MARK_CLOSE)."""

    entry: Entry
    snippet: str


@dataclass
class TrackSummary:
    """How one track felt, over every infusion it was rated in."""

    track: str
    counts: dict[str, int]
    infusions: list[int]
    """The numbers of the infusions that rated it."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _entry(row: dict[str, Any]) -> Entry:
    created = parse_time(row["created_at"])
    body = row["text"]
    if is_damaged(body):  # named, so the list says which entry it is
        body = DamagedValue(copy.DAMAGED_ENTRY.format(id=row["id"]))
    return Entry(
        id=row["id"],
        kind=row["kind"],
        text=body,
        created_at=created,  # type: ignore[arg-type]
        updated_at=parse_time(row["updated_at"]),  # type: ignore[arg-type]
        infusion_id=row["infusion_id"],
        prompt=row["prompt"] or "",
        tags=load_json(row["tags"], []),
        private=bool(row["private"]),
        deleted_at=parse_time(row["deleted_at"]),
        day=row.get("day") or (created.date().isoformat() if created else ""),
        infusion_number=row.get("infusion_number"),
    )


def _check_day(day: str) -> str:
    try:
        return checked_day(day)
    except NoteProblem as exc:
        raise EntryError(str(exc)) from None


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
            prompt: str = "", tags: list[str] | None = None, private: bool = False,
            day: str | None = None) -> Entry:
        """A new entry. Raises EntryError for blank or overlong text."""
        text = _checked(text)
        now = self.stamp()
        table = self.db["entries"]
        row = entry_row(text, now=now, kind=kind, infusion_id=infusion_id, prompt=prompt,
                        tags=tags, private=private, day=_check_day(day) if day else None)
        with self.db.atomic():
            table.insert(row)
        return self.get(table.last_pk)

    def update_text(self, entry_id: int, text: str, *, keep_revision: bool = False) -> Entry:
        """Save new text, keeping the earlier text as a revision now and then,
        and always before a large cut (so select-all and delete loses nothing)."""
        if is_damaged(text):  # a damaged earlier version: its placeholder is not the patient's text
            raise EntryError(copy.DAMAGED_ENTRY_NOT_EDITED.format(id=entry_id))
        text = _checked(text, allow_blank=True)
        with self.db.atomic():
            old = self.get(entry_id)
            if old.damaged:  # its bytes stay as they are, for a copy or a repair
                raise EntryError(copy.DAMAGED_ENTRY_NOT_EDITED.format(id=entry_id))
            if old.text == text:
                return old
            now = self.clock.now()
            last = self.db.execute(
                "select max(saved_at) from entry_revisions where entry_id = ?", [entry_id]
            ).fetchone()[0]
            due = last is None or now - datetime.fromisoformat(last) >= REVISION_INTERVAL
            big_cut = len(text.strip()) < len(old.text.strip()) / 2
            if old.text.strip() and (due or big_cut or keep_revision):
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
            if is_blank(text):
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
        with self.db.atomic():
            self.db["entries"].update(entry_id, {"deleted_at": self.stamp()})

    def restore(self, entry_id: int) -> None:
        with self.db.atomic():
            self.db["entries"].update(entry_id, {"deleted_at": None})

    def listing(self, limit: int = 500) -> list[tuple[int, str, bool, str]]:
        """(id, text, private, day) of the newest entries not in the trash,
        newest first: the Export screen's list."""
        return [(r[0], r[1], bool(r[2]), r[3]) for r in self.db.execute(
            "select id, text, private, coalesce(day, substr(created_at, 1, 10)) from entries "
            "where deleted_at is null order by id desc limit ?", [limit]
        ).fetchall()]

    def trashed(self) -> list[Entry]:
        """Entries in the trash; those of a discarded infusion are in the
        trash with it and come back with it (Sessions.restore)."""
        return [
            _entry(r)
            for r in self.db["entries"].rows_where(
                "deleted_at is not null and (infusion_id is null or infusion_id not in "
                "(select id from infusions where deleted_at is not null))",
                order_by="deleted_at desc",
            )
        ]

    def trashed_with(self, infusion_id: int) -> list[Entry]:
        """The entries in the trash with their discarded infusion."""
        return [
            _entry(r)
            for r in self.db["entries"].rows_where(
                "infusion_id = ? and deleted_at is not null", [infusion_id], order_by="id"
            )
        ]

    # --- the journal screen --------------------------------------------------

    def save_entry(self, entry_id: int | None, text: str, *, tags: list[str] | str = (),
                   private: bool = False, day: str | None = None, prompt: str = "",
                   infusion_id: int | None = None) -> Entry | None:
        """The autosave of the journal page: create the entry with its first
        words, then keep text, tags, private flag and day up to date together.

        A blank page creates nothing (None); an existing entry emptied keeps its
        earlier text as a revision.
        """
        clean = clean_tags(tags)
        with self.db.atomic():
            if entry_id is None:
                if is_blank(text):
                    return None
                return self.add(text, infusion_id=infusion_id, prompt=prompt, tags=clean,
                                private=private, day=day)
            self.update_text(entry_id, text)
            changes: dict[str, Any] = {
                "tags": json.dumps(clean, ensure_ascii=False), "private": int(private),
            }
            if day:
                changes["day"] = _check_day(day)
            old = self.db["entries"].get(entry_id)
            if any(old[k] != v for k, v in changes.items()):
                changes["updated_at"] = self.stamp()
                self.db["entries"].update(entry_id, changes)
        return self.get(entry_id)

    def restore_revision(self, entry_id: int, revision_text: str) -> Entry:
        """Bring back an earlier text; the current one becomes a revision."""
        return self.update_text(entry_id, revision_text, keep_revision=True)

    def _filters(self, tag: str | None, infusion_id: int | None, private: bool | None,
                 ) -> tuple[str, list[Any]]:
        # "+" keeps SQLite from choosing the deleted_at index (nearly every row
        # is NULL there) over walking the day index or the search index in order.
        where = ["+entries.deleted_at is null", "trim(entries.text) != ''"]
        params: list[Any] = []
        if tag:
            where.append("exists (select 1 from json_each(entries.tags) where value = ?)")
            params.append(tag)
        if infusion_id == NO_INFUSION:
            where.append("entries.infusion_id is null")
        elif infusion_id is not None:
            where.append("entries.infusion_id = ?")
            params.append(infusion_id)
        if private is not None:
            where.append("+entries.private = ?")
            params.append(int(private))
        return " and ".join(where), params

    def search(self, words: str = "", *, tag: str | None = None, infusion_id: int | None = None,
               private: bool | None = None, limit: int = 200) -> list[Hit]:
        """Entries matching every word (as a word or the start of one), newest
        first, each with a snippet marking the matches; without words, the
        latest entries by day.

        ``infusion_id`` NO_INFUSION keeps the entries linked to no infusion;
        ``private`` True or False keeps only private or only shareable entries.
        The newest ``limit`` are returned: the search index is walked newest
        first and stops there, so a word in every entry costs no more than a
        rare one, and snippets are made only for the entries returned.
        """
        where, params = self._filters(tag, infusion_id, private)
        query = fts_query(words)
        if query is None:
            sql = (
                f"select entries.*, infusions.number as infusion_number, null as snippet "
                f"from entries left join infusions on infusions.id = entries.infusion_id "
                f"where {where} order by entries.day desc, entries.id desc limit ?"
            )
            args: list[Any] = [*params, limit]
        else:
            sql = (
                f"select entries.*, infusions.number as infusion_number, "
                f"snippet(entries_fts, 0, ?, ?, '…', 24) as snippet from entries_fts "
                f"join entries on entries.id = entries_fts.rowid "
                f"left join infusions on infusions.id = entries.infusion_id "
                f"where entries_fts match ? and {where} "
                f"order by entries_fts.rowid desc limit ?"
            )
            args = [MARK_OPEN, MARK_CLOSE, query, *params, limit]
        cursor = self.db.execute(sql, args)
        cols = [d[0] for d in cursor.description]
        hits = []
        for values in cursor.fetchall():
            row = dict(zip(cols, values))
            snippet = " ".join((row.pop("snippet") or "").split())
            entry = _entry(row)
            hits.append(Hit(entry, snippet if MARK_OPEN in snippet else _opening(entry.text)))
        if query is not None:
            hits.sort(key=lambda h: (h.entry.day, h.entry.id), reverse=True)
        return hits

    def count(self, *, tag: str | None = None, infusion_id: int | None = None,
              private: bool | None = None) -> int:
        """How many entries the list holds (without filters, by the index alone)."""
        if tag is None and infusion_id is None and private is None:
            return self.db.execute(
                "select count(*) from entries where deleted_at is null"
            ).fetchone()[0]
        where, params = self._filters(tag, infusion_id, private)
        return self.db.execute(f"select count(*) from entries where {where}", params).fetchone()[0]

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many entries carry it, most used first."""
        return [
            (row[0], row[1])
            for row in self.db.execute(
                "select json_each.value, count(*) from entries, json_each(entries.tags) "
                "where entries.deleted_at is null group by json_each.value "
                "order by count(*) desc, json_each.value"
            ).fetchall()
        ]

    # --- moments and tracks --------------------------------------------------

    def save_moment_note(self, moment_id: int, note: str) -> None:
        """What the patient wrote beside a marked moment; earlier notes are kept
        as revisions on the same rule as entries."""
        note = _checked(note, allow_blank=True)
        with self.db.atomic():
            old = self.db["moments"].get(moment_id)["note"] or ""
            if old == note:
                return
            now = self.clock.now()
            last = self.db.execute(
                "select max(saved_at) from moment_revisions where moment_id = ?", [moment_id]
            ).fetchone()[0]
            due = last is None or now - datetime.fromisoformat(last) >= REVISION_INTERVAL
            if old.strip() and (due or len(note.strip()) < len(old.strip()) / 2):
                self.db["moment_revisions"].insert(
                    {"moment_id": moment_id, "text": old,
                     "saved_at": now.isoformat(timespec="seconds")}
                )
            self.db["moments"].update(moment_id, {"note": note})

    def moment_revisions(self, moment_id: int) -> list[tuple[datetime, str]]:
        return [
            (parse_time(r["saved_at"]), r["text"])  # type: ignore[misc]
            for r in self.db["moment_revisions"].rows_where(
                "moment_id = ?", [moment_id], order_by="id"
            )
        ]

    def rate_track(self, infusion_id: int, track: str, rating: str | None) -> None:
        """How a track felt in this infusion; None clears the rating."""
        if rating is not None and rating not in TRACK_RATINGS:
            raise ValueError(f"unknown track rating {rating!r}")
        track = " ".join(clean_text(track).split())
        if not track:
            raise ValueError("a track needs a title")
        with self.db.atomic():
            self.db.execute(
                "insert into track_ratings (infusion_id, track, rating, rated_at) "
                "values (?, ?, ?, ?) on conflict (infusion_id, track) do update set "
                "rating = excluded.rating, rated_at = excluded.rated_at",
                [infusion_id, track, rating or "", self.stamp()],
            )

    def track_ratings(self, infusion_id: int) -> dict[str, str]:
        return {
            r["track"]: r["rating"]
            for r in self.db["track_ratings"].rows_where(
                "infusion_id = ? and rating != ''", [infusion_id]
            )
        }

    def track_summary(self) -> list[TrackSummary]:
        """Every rated track with its ratings across infusions: the most
        resonant first, the ones marked "not for me" last."""
        found: dict[str, TrackSummary] = {}
        for track, rating, number in self.db.execute(
            "select track_ratings.track, track_ratings.rating, infusions.number "
            "from track_ratings join infusions on infusions.id = track_ratings.infusion_id "
            "where track_ratings.rating != '' and infusions.deleted_at is null "
            "order by infusions.number"
        ).fetchall():
            summary = found.setdefault(track, TrackSummary(track, dict.fromkeys(TRACK_RATINGS, 0), []))
            summary.counts[rating] = summary.counts.get(rating, 0) + 1
            summary.infusions.append(number)
        return sorted(
            found.values(),
            key=lambda s: (-(s.counts["resonated"] - s.counts["not_for_me"]),
                           -s.counts["resonated"], s.track.lower()),
        )


def _opening(value: str, width: int = 160) -> str:
    """The first words of an entry, on one line."""
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


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

    def between(self, first: str, last: str) -> dict[str, dict[str, str]]:
        """Every day's answers from ``first`` to ``last`` (YYYY-MM-DD), by day."""
        return {
            row["day"]: load_json(row["answers"], {})
            for row in self.db["checkins"].rows_where(
                "day >= ? and day <= ?", [first, last], order_by="day"
            )
        }
