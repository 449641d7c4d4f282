"""What the patient chooses to share, and the plain ``Report`` built from it.

A ``Selection`` says what is chosen (a date range, infusions, tags, private
entries, single entries and whole fields left out). ``build_report`` reads the
store once and returns a ``Report``: the selected rows of every table (for the
lossless JSON), the counts for the preview, and what was left out. The
readable formats (PDF, HTML, Markdown, CSV) work on ``companion.export.view``,
which is derived from the report.

Adding a record type is one entry in ``SOURCES``: the table, the words for the
preview, the column that dates it and the column that links it to an
infusion (or the table it belongs to).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from companion.core import text
from companion.core.stages import Stage
from companion.core.records import DamagedRecords

__all__ = ["DamagedRecords", "Report", "Selection", "SelectionError", "build_report"]


class SelectionError(ValueError):
    """A selection that cannot be made (an impossible range, an unknown infusion)."""


#: Parts of the record the patient can leave out: key -> what the preview calls it.
FIELDS: dict[str, str] = dict(text.EXPORT_FIELDS)


@dataclass(frozen=True)
class RecordKind:
    """One kind of record the export can carry."""

    table: str
    #: Plural words for the preview ("check-ins").
    label: str
    #: The leave-out key that drops the whole source (see ``FIELDS``).
    field: str | None = None
    #: Columns that date a record, first one present wins (an ISO date or time).
    when: tuple[str, ...] = ()
    #: The column linking a record to an infusion.
    infusion: str | None = None
    #: A record that belongs to a row of another source: (column, table).
    parent: tuple[str, str] | None = None
    #: Counted in the preview's headline.
    headline: bool = False
    #: Only with ``Selection.include_history`` (earlier revisions of the text).
    history: bool = False
    #: Other columns pointing to a record of another source: (column, table). A
    #: record whose linked record is not shared stays home with it; one linked
    #: to a shared record comes along whatever its date.
    links: tuple[tuple[str, str], ...] = ()


#: Every table the export knows, parents before children. Tables that do not
#: exist in an older database are skipped.
SOURCES: tuple[RecordKind, ...] = (
    RecordKind("infusions", "infusions", headline=True),
    RecordKind("ratings", "ratings", field="ratings", infusion="infusion_id"),
    RecordKind("moments", "marked moments", field="moments", infusion="infusion_id"),
    RecordKind("moment_revisions", "earlier versions of moment notes", field="moments",
           parent=("moment_id", "moments"), history=True),
    RecordKind("track_ratings", "track ratings", field="tracks", infusion="infusion_id"),
    RecordKind("entries", "journal entries", when=("day", "created_at"), infusion="infusion_id",
           headline=True),
    RecordKind("entry_revisions", "earlier versions of entries", parent=("entry_id", "entries"),
           history=True),
    RecordKind("checkins", "check-ins", field="checkins", when=("day",), infusion="infusion_id",
           headline=True),
    RecordKind("questionnaires", "questionnaires", field="scores",
           when=("completed_at", "updated_at", "created_at"), infusion="infusion_id",
           headline=True),
    RecordKind("questionnaire_revisions", "earlier answers of questionnaires", field="scores",
           parent=("questionnaire_id", "questionnaires"), history=True),
    # Voice (issue 19): a recording goes with its entry or its infusion; its
    # sound is the FLAC pieces it was stored in (base64 in the JSON).
    RecordKind("recordings", "voice recordings", when=("created_at",), infusion="infusion_id",
               links=(("entry_id", "entries"), ("moment_id", "moments"))),
    RecordKind("recording_chunks", "pieces of voice recordings",
               parent=("recording_id", "recordings")),
)

#: Columns of ``infusions`` that belong to a leave-out field.
INFUSION_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "side_effects": ("side_effects", "side_effects_other", "urinary_told_at"),
    "therapy": ("therapy_at",),
    "checklist": ("checklist",),
    "music": ("playlist", "position"),
}

#: Entry kinds written in the guided stages: kept with their infusion even when
#: tags narrow the free journal.
GUIDED_KINDS = ("intention", "integration")


@dataclass(frozen=True)
class Selection:
    since: date | None = None
    until: date | None = None
    #: Infusion numbers; empty means all in the range.
    sessions: tuple[int, ...] = ()
    #: With tags, only free journal entries carrying one of them are shared.
    tags: tuple[str, ...] = ()
    include_private: bool = False
    #: Earlier revisions of entries and questionnaires (a full backup wants them).
    include_history: bool = False
    exclude_entries: frozenset[int] = frozenset()
    exclude_fields: frozenset[str] = frozenset()
    #: The report lists the infusions newest first unless this is set.
    oldest_first: bool = False

    def check(self) -> "Selection":
        if self.since and self.until and self.since > self.until:
            raise SelectionError(
                f"the range is impossible: {self.since.isoformat()} is after {self.until.isoformat()}"
            )
        unknown = sorted(set(self.exclude_fields) - set(FIELDS))
        if unknown:
            raise SelectionError(
                f"unknown field {unknown[0]!r}; choose from {', '.join(FIELDS)}"
            )
        bad = [n for n in self.sessions if n < 1]
        if bad:
            raise SelectionError(f"infusion numbers start at 1, not {bad[0]}")
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "sessions": list(self.sessions),
            "tags": list(self.tags),
            "include_private": self.include_private,
            "include_history": self.include_history,
            "exclude_entries": sorted(self.exclude_entries),
            "exclude_fields": sorted(self.exclude_fields),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Selection":
        def day(value: Any) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            since=day(data.get("since")), until=day(data.get("until")),
            sessions=tuple(data.get("sessions") or ()), tags=tuple(data.get("tags") or ()),
            include_private=bool(data.get("include_private")),
            include_history=bool(data.get("include_history")),
            exclude_entries=frozenset(data.get("exclude_entries") or ()),
            exclude_fields=frozenset(data.get("exclude_fields") or ()),
        )

    def with_changes(self, **changes: Any) -> "Selection":
        return replace(self, **changes)


@dataclass
class Report:
    """Everything selected, as plain data: no database, no Textual."""

    selection: Selection
    created_at: datetime
    #: Selected rows of every table, in id order, as stored.
    tables: dict[str, list[dict[str, Any]]]
    #: Migration names the rows follow (the database schema).
    schema: list[str]
    #: Counts left out, by reason: ("private", "journal entries") -> 3.
    left_out: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Computed scores of selected questionnaires by id (from store.measures).
    scores: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: Infusion numbers asked for that do not exist or are outside the range.
    missing_sessions: list[int] = field(default_factory=list)
    #: The journal it was read from is encrypted (the preview says the file will not be).
    encrypted_source: bool = False
    #: Seconds of voice recorded with each selected entry (entry id -> seconds); the
    #: report lists them, the sound itself stays in the journal.
    voices: dict[int, float] = field(default_factory=dict)
    #: Seconds of voice spoken for each selected marked moment (moment id -> seconds).
    moment_voices: dict[int, float] = field(default_factory=dict)
    #: The folder beside the report that the recordings' sound is written to
    #: (``--include-audio``), or "": the report names each file.
    audio_folder: str = ""

    def count(self, table: str) -> int:
        return len(self.tables.get(table, ()))

    @property
    def records(self) -> int:
        """How many records the export carries (every selected row; a
        recording's pieces of sound are part of it, not records of their own)."""
        return sum(len(rows) for table, rows in self.tables.items() if table != "recording_chunks")

    def counts(self) -> dict[str, int]:
        """The preview's headline numbers."""
        complete = [q for q in self.tables.get("questionnaires", []) if q.get("status") == "complete"]
        return {
            "infusions": self.count("infusions"),
            "entries": self.count("entries"),
            "checkins": self.count("checkins"),
            "scores": len(complete),
            "ratings": self.count("ratings"),
            "moments": self.count("moments"),
        }

    def is_empty(self) -> bool:
        return not any(self.tables.get(s.table) for s in SOURCES if s.headline or s.field)


# --- building ----------------------------------------------------------------


def _day_of(value: Any) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def infusion_day(row: Mapping[str, Any]) -> date | None:
    """The day of an infusion: when the music started, else when it was begun."""
    return _day_of(row.get("experience_started_at")) or _day_of(row.get("created_at"))


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(t) for t in value]
    try:
        loaded = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(t) for t in loaded] if isinstance(loaded, list) else []


def _norm_tag(tag: str) -> str:
    return tag.strip().lstrip("#").casefold()


def build_report(store: Any, selection: Selection, now: datetime | None = None, *,
                 sound: bool = True) -> Report:
    """Read the store once and keep what ``selection`` chooses. Without
    ``sound`` the recordings come without their pieces of sound (a preview
    need not read minutes of audio on every key)."""
    selection = selection.check()
    stored = store.tables
    present = stored.names()
    left: dict[tuple[str, str], int] = {}

    def leave(reason: str, label: str, n: int = 1) -> None:
        if n:
            left[(reason, label)] = left.get((reason, label), 0) + n

    # Infusions first: they decide what linked records come along.
    all_infusions = [r for r in stored.rows("infusions") if not r.get("deleted_at")]
    all_infusions.sort(key=lambda r: (r["number"], r["id"]))
    wanted = set(selection.sessions)
    chosen: list[dict[str, Any]] = []
    for row in all_infusions:
        day = infusion_day(row)
        if wanted and row["number"] not in wanted:
            continue
        if day is not None and (
            (selection.since and day < selection.since) or (selection.until and day > selection.until)
        ):
            continue
        chosen.append(row)
    found_numbers = {r["number"] for r in chosen}
    missing = sorted(wanted - found_numbers)
    chosen_ids = {r["id"] for r in chosen}

    # With chosen infusions, an unlinked record belongs to the days from that
    # infusion until the next one.
    windows: list[tuple[date, date | None]] = []
    if wanted:
        days = [(infusion_day(r), r["id"]) for r in all_infusions]
        for index, (day, infusion_id) in enumerate(days):
            if infusion_id in chosen_ids and day is not None:
                following = next(
                    (d for d, _ in days[index + 1:] if d is not None and d > day), None
                )
                windows.append((day, following))

    def in_range(day: date | None) -> bool:
        if day is None:
            return not (selection.since or selection.until or wanted)
        if selection.since and day < selection.since:
            return False
        if selection.until and day > selection.until:
            return False
        if wanted:
            return any(start <= day and (end is None or day < end) for start, end in windows)
        return True

    tags = {_norm_tag(t) for t in selection.tags if _norm_tag(t)}
    tables: dict[str, list[dict[str, Any]]] = {"infusions": chosen}
    for source in SOURCES[1:]:
        if source.table not in present:
            continue
        if source.history and not selection.include_history:
            continue
        if source.table == "recording_chunks" and not sound:
            tables[source.table] = []
            continue
        rows = stored.rows(source.table)
        if source.field and source.field in selection.exclude_fields:
            if not source.history:
                leave("field", FIELDS[source.field], len(rows))
            continue
        kept: list[dict[str, Any]] = []
        parent_ids: set[Any] = set()
        if source.parent:
            parent_ids = {r["id"] for r in tables.get(source.parent[1], [])}
        for row in rows:
            if row.get("deleted_at"):
                continue  # the trash is never shared
            if source.parent:
                if row.get(source.parent[0]) in parent_ids:
                    kept.append(row)
                continue
            others = [(c, t) for c, t in source.links if row.get(c) is not None]
            if others:
                if all(row[c] in {r["id"] for r in tables.get(t, [])} for c, t in others):
                    kept.append(row)
                continue
            linked = row.get(source.infusion) if source.infusion else None
            if linked is not None:
                if linked not in chosen_ids:
                    continue
            else:
                when = next((row.get(c) for c in source.when if row.get(c)), None)
                if not in_range(_day_of(when)):
                    continue
            if source.table == "entries":
                if row.get("private") and not selection.include_private:
                    leave("private", source.label)
                    continue
                if row["id"] in selection.exclude_entries:
                    leave("excluded", source.label)
                    continue
                if tags and row.get("kind") not in GUIDED_KINDS:
                    if not tags & {_norm_tag(t) for t in _tags(row.get("tags"))}:
                        leave("tags", source.label)
                        continue
            kept.append(row)
        tables[source.table] = kept

    for key, columns in INFUSION_FIELD_COLUMNS.items():
        if key in selection.exclude_fields:
            if chosen:
                leave("field", FIELDS[key], len(chosen))
            tables["infusions"] = [
                {k: v for k, v in row.items() if k not in columns} for row in tables["infusions"]
            ]

    scores: dict[int, dict[str, Any]] = {}
    measures = getattr(store, "measures", None)
    if measures is not None:
        for row in tables.get("questionnaires", []):
            if row.get("status") == "complete":
                try:
                    scores[row["id"]] = measures.get(row["id"]).record()
                except Exception:  # a record the scorer cannot read still exports as stored
                    continue

    chosen_entries = {r["id"] for r in tables.get("entries", [])}
    voices = {entry_id: seconds for entry_id, seconds in store.recordings.seconds_by_entry().items()
              if entry_id in chosen_entries} if "recordings" in present else {}
    chosen_moments = {r["id"] for r in tables.get("moments", [])}
    moment_voices = {moment_id: seconds for moment_id, seconds in store.recordings.seconds_by_moment().items()
                     if moment_id in chosen_moments} if "recordings" in present else {}

    return Report(
        selection=selection,
        created_at=now or store.clock.now(),
        tables=tables,
        schema=stored.schema_names(),
        left_out=left,
        scores=scores,
        missing_sessions=missing,
        encrypted_source=store.encrypted,
        voices=voices,
        moment_voices=moment_voices,
    )


# --- the preview ---------------------------------------------------------------


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _one(label: str, n: int) -> str:
    """ "journal entries" -> "journal entry" when there is one."""
    if n != 1:
        return label
    if label.endswith("ies"):
        return label[:-3] + "y"
    return label[:-1] if label.endswith("s") else label


def preview_lines(report: Report) -> list[str]:
    """What will be shared and what is left out, in plain words."""
    c = report.counts()
    lines = [
        text.EXPORT_PREVIEW_SHARED.format(
            infusions=_n(c["infusions"], "infusion"),
            entries=_n(c["entries"], "journal entry", "journal entries"),
            checkins=_n(c["checkins"], "check-in"),
            scores=_n(c["scores"], "questionnaire score"),
        )
    ]
    extra = [_n(c["ratings"], "set of ratings", "sets of ratings"),
             _n(c["moments"], "marked moment")]
    if report.count("recordings"):
        extra.append(_n(report.count("recordings"), "voice recording"))
    lines.append(text.EXPORT_PREVIEW_WITH.format(", ".join(extra)))
    if report.selection.include_history:
        lines.append(text.EXPORT_PREVIEW_HISTORY)
    if report.left_out:
        parts = []
        for (reason, label), n in sorted(report.left_out.items()):
            if reason == "field":
                parts.append(text.EXPORT_LEFT_FIELD.format(label=label))
            else:
                parts.append(text.EXPORT_LEFT_REASON[reason].format(n=n, label=_one(label, n)))
        lines.append(text.EXPORT_PREVIEW_LEFT_OUT + "; ".join(parts) + ".")
    else:
        lines.append(text.EXPORT_PREVIEW_NOTHING_LEFT)
    if report.missing_sessions:
        lines.append(
            text.EXPORT_PREVIEW_MISSING.format(", ".join(str(n) for n in report.missing_sessions))
        )
    if report.is_empty():
        lines.append(text.EXPORT_PREVIEW_EMPTY)
    if report.encrypted_source:
        lines.append(text.EXPORT_NOT_ENCRYPTED)
    return lines


def parse_day(value: str) -> date:
    """A date as the patient types it: YYYY-MM-DD."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise SelectionError(f"{value!r} is not a date like 2026-03-14") from None


def tags_in(store: Any) -> list[str]:
    """Every tag used on an entry not in the trash, for the Export screen."""
    found: dict[str, str] = {}
    for value in store.tables.entry_tags():
        for tag in _tags(value):
            found.setdefault(_norm_tag(tag), tag)
    return sorted(found.values(), key=str.casefold)


def completed_stage(row: Mapping[str, Any]) -> bool:
    return row.get("stage") == Stage.COMPLETE.value


def iter_ids(rows: Iterable[Mapping[str, Any]]) -> list[int]:
    return [int(r["id"]) for r in rows]
