"""The readable shape of a ``Report``: what the PDF, HTML, Markdown and CSV show.

Pure data derived from the selected rows; every readable format renders the
same view, so they carry the same content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from companion.core import measures, series, text
from companion.core.models import format_duration
from companion.export.selection import FIELDS, Report, infusion_day

RATING_NAMES = ("pain", "mood", "anxiety")


@dataclass
class EntryView:
    id: int
    kind: str
    heading: str  # the prompt it answers, or ""
    text: str
    day: date | None
    tags: list[str] = field(default_factory=list)
    private: bool = False
    #: The prompt key it answers ("therapist", "between.therapist"), or "".
    prompt: str = ""
    #: Seconds of voice recorded with it (0.0: none).
    voice: float = 0.0
    #: The folder beside the report its recording's file is in ("": not written out).
    voice_folder: str = ""


@dataclass
class MomentView:
    at: str  # 12:34 into the music
    phase: str
    track: str
    note: str
    #: Seconds of voice spoken for it (0.0: none).
    voice: float = 0.0


@dataclass
class InfusionView:
    number: int
    label: str
    day: date | None
    complete: bool
    stage: str
    ended_early: bool
    intention: list[EntryView]
    journal: list[EntryView]
    notes: list[EntryView]
    #: None when the ratings were left out.
    ratings: dict[str, dict[str, int | None]] | None
    moments: list[MomentView] | None
    #: Labels of the side effects ticked; None when left out.
    side_effects: list[str] | None
    urinary: bool
    #: When the patient marked the urinary symptoms as told to the clinic.
    urinary_told: date | None
    therapy_at: str | None
    tracks: list[tuple[str, str]] | None


@dataclass
class CheckinView:
    day: str
    answers: list[tuple[str, str]]
    raw: dict[str, Any]


@dataclass
class ScoreView:
    day: date | None
    kind: str
    label: str
    #: One line: the scores with their ranges (and, for the ACR, that it is tracking only).
    summary: str
    #: FIQR total, or the ACR's PDS; None when not scored.
    total: float | None
    infusion: int | None
    #: The scores by name for the charts: FIQR total/function/overall/symptoms, ACR wpi/sss/pds.
    values: dict[str, float] = field(default_factory=dict)


@dataclass
class RecordingView:
    """A voice recording the report lists (the sound is not in the report)."""
    id: int
    day: date | None
    seconds: float
    #: What it goes with: its entry's first words or its infusion.
    goes_with: str
    #: Its file beside the report ("" when the sound was not written out).
    file: str = ""


@dataclass
class ReportView:
    created_at: datetime
    selection_lines: list[str]
    infusions: list[InfusionView]
    notes: list[EntryView]
    checkins: list[CheckinView] | None
    scores: list[ScoreView] | None
    records: int
    left_out_fields: set[str]
    recordings: list[RecordingView] = field(default_factory=list)
    #: The folder beside the report holding the recordings' files, or "".
    audio_folder: str = ""

    @property
    def urinary_numbers(self) -> list[int]:
        """Infusions after which urinary symptoms were reported."""
        return sorted(inf.number for inf in self.infusions if inf.urinary)

    @property
    def footer(self) -> str:
        when = self.created_at
        return text.REPORT_FOOTER.format(when=f"{when.day} {when:%B %Y %H:%M}", records=self.records)

    def rating_series(self) -> list[tuple[int, dict[str, int | None], dict[str, int | None]]]:
        """(infusion number, before, after) for every infusion with ratings."""
        out = []
        for inf in sorted(self.infusions, key=lambda i: i.number):
            if inf.ratings and (any(v is not None for v in inf.ratings["pre"].values())
                                or any(v is not None for v in inf.ratings["post"].values())):
                out.append((inf.number, inf.ratings["pre"], inf.ratings["post"]))
        return out

    def fiqr_series(self) -> list[tuple[date | None, float]]:
        return [(s.day, s.total) for s in self.scores or [] if s.kind == "fiqr" and s.total is not None]

    def acr_series(self) -> list[tuple[date | None, float, float]]:
        """(day, WPI, SSS) for every scored ACR 2016 self-report."""
        return [(s.day, s.values["wpi"], s.values["sss"]) for s in self.scores or []
                if s.kind == "acr2016" and "wpi" in s.values and "sss" in s.values]


def _prompt_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for key, prompt in text.INTEGRATION_PROMPTS.items():
        labels[f"integration:{key}"] = prompt
    for group in getattr(text, "JOURNAL_PROMPTS", {}).values():
        for key, prompt in group.items():
            labels[f"note:{key}"] = prompt
            labels[f"*:{key}"] = prompt
    gratitude = getattr(text, "GRATITUDE_PROMPT_KEY", None)
    if gratitude:
        labels[f"*:{gratitude}"] = getattr(text, "GRATITUDE_PROMPT", "")
    return labels


def _tags(value: Any) -> list[str]:
    try:
        loaded = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return [str(t) for t in loaded] if isinstance(loaded, list) else []


def _json(value: Any, default: Any) -> Any:
    try:
        loaded = json.loads(value) if isinstance(value, str) and value else default
    except ValueError:
        return default
    return loaded if isinstance(loaded, type(default)) else default


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _entry(row: dict[str, Any], labels: dict[str, str], voices: dict[int, float] | None = None) -> EntryView:
    prompt = row.get("prompt") or ""
    heading = labels.get(f"{row['kind']}:{prompt}") or labels.get(f"*:{prompt}", "")
    return EntryView(
        id=row["id"], kind=row["kind"], heading=heading, text=row.get("text") or "",
        day=_day(row.get("day") or row.get("created_at")), tags=_tags(row.get("tags")),
        private=bool(row.get("private")),
        prompt=prompt,
        voice=(voices or {}).get(row["id"], 0.0),
    )


def _describe_selection(report: Report) -> list[str]:
    s = report.selection
    lines = []
    if s.since or s.until:
        lines.append(
            f"Dates: {s.since.isoformat() if s.since else 'the beginning'} to "
            f"{s.until.isoformat() if s.until else 'today'}"
        )
    else:
        lines.append("Dates: all")
    lines.append(
        "Infusions: " + (", ".join(str(n) for n in s.sessions) if s.sessions else "all in the range")
    )
    if s.tags:
        lines.append("Journal entries tagged: " + ", ".join(s.tags))
    lines.append("Private entries: " + ("included" if s.include_private else "left out"))
    if s.exclude_fields:
        lines.append("Left out: " + ", ".join(FIELDS[f] for f in sorted(s.exclude_fields)))
    if s.exclude_entries:
        lines.append(f"Entries left out by choice: {len(s.exclude_entries)}")
    return lines


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _score(row: dict[str, Any], record: dict[str, Any] | None) -> ScoreView:
    kind = row.get("kind") or ""
    scores = (record or {}).get("scores") or {}
    total: float | None = None
    values: dict[str, float] = {}
    if kind == "fiqr":
        label = "FIQR"
        for key in ("total", "function", "overall", "symptoms"):
            if _number(scores.get(key)) is not None and scores.get("valid", True):
                values[key] = _number(scores[key])  # type: ignore[assignment]
        if "total" in values:
            total = values["total"]
            summary = f"total {total:.1f} of 100"
            parts = [f"{name} {values[key]:.1f} of {top}" for key, name, top in (
                ("function", "function", 30), ("overall", "overall impact", 20),
                ("symptoms", "symptoms", 50)) if key in values]
            if parts:
                summary += " (" + ", ".join(parts) + ")"
            if scores.get("prorated") and isinstance(scores.get("answered"), int):
                summary += "; " + text.REPORT_FIQR_PARTLY.format(
                    answered=scores["answered"], items=len(measures.FIQR_ITEMS))
        else:
            summary = str(scores.get("reason") or "not scored")
    elif kind == "acr2016":
        label = "ACR 2016"
        for key in ("wpi", "sss", "pds"):
            if _number(scores.get(key)) is not None:
                values[key] = _number(scores[key])  # type: ignore[assignment]
        bits = [f"{name} {int(values[key])}{top}" for key, name, top in (
            ("wpi", "WPI", f" of {measures.ACR_MAX_WPI}"), ("sss", "SSS", f" of {measures.ACR_MAX_SSS}"),
            ("pds", "PDS", "")) if key in values]
        summary = ", ".join(bits) or str(scores.get("reason") or "not scored")
        # The app never diagnoses: whether the answers fit the published
        # pattern is in the JSON for the clinic, not in the readable report.
        summary += f"; {measures.ACR2016_LABEL}"
        total = values.get("pds")
    else:
        label, summary = kind, ""
    when = row.get("completed_at") or row.get("updated_at") or row.get("created_at")
    return ScoreView(day=_day(when), kind=kind, label=label, summary=summary, total=total,
                     infusion=row.get("infusion_id"), values=values)


def first_words(value: str, count: int = 8) -> str:
    words = value.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def recording_file(recording: Mapping[str, Any], index: int) -> str:
    """The name of a recording's file in the audio folder: its place in the
    report, its date, its identity's start (unique, stable, says nothing)."""
    day = (recording.get("created_at") or "")[:10] or "undated"
    return f"{index:02d}-{day}-{str(recording.get('uid') or recording.get('id'))[:8]}.flac"


def recordings_in_order(report: Report) -> list[dict[str, Any]]:
    """The recordings as the report lists them (the same order names their files)."""
    rows = sorted(report.tables.get("recordings", []), key=lambda r: (r.get("created_at") or "", r["id"]))
    if not report.selection.oldest_first:
        rows.reverse()
    return rows


def _recordings(report: Report, labels: dict[str, str]) -> list[RecordingView]:
    t = report.tables
    entries = {r["id"]: r for r in t.get("entries", [])}
    moments = {r["id"]: r for r in t.get("moments", [])}
    number_of = {r["id"]: r["number"] for r in t.get("infusions", [])}
    found = []
    for index, row in enumerate(recordings_in_order(report), start=1):
        entry = entries.get(row.get("entry_id"))
        number = number_of.get(row.get("infusion_id") if entry is None else entry.get("infusion_id"))
        infusion = series.place(number).title if number else ""
        if entry is not None:
            view = _entry(entry, labels)
            words = view.heading or first_words(view.text)
            goes_with = (text.REPORT_RECORDING_ENTRY_OF.format(words=words, infusion=infusion)
                         if infusion else text.REPORT_RECORDING_ENTRY.format(words=words))
        elif row.get("moment_id") in moments:
            at = format_duration(float(moments[row["moment_id"]].get("position") or 0), clock=True)
            goes_with = text.REPORT_RECORDING_MOMENT.format(at=at, infusion=infusion)
        else:
            goes_with = infusion or text.REPORT_RECORDING_ALONE
        found.append(RecordingView(
            id=row["id"], day=_day(row.get("created_at")), seconds=float(row.get("seconds") or 0.0),
            goes_with=goes_with,
            file=recording_file(row, index) if report.audio_folder else ""))
    return found


def build_view(report: Report) -> ReportView:
    labels = _prompt_labels()
    excluded = set(report.selection.exclude_fields)
    t = report.tables
    ratings: dict[int, dict[str, dict[str, int | None]]] = {}
    for row in t.get("ratings", []):
        per = ratings.setdefault(row["infusion_id"], {"pre": {}, "post": {}})
        per.setdefault(row["timing"], {}).update({n: row.get(n) for n in RATING_NAMES})
    moments: dict[int, list[MomentView]] = {}
    for row in sorted(t.get("moments", []), key=lambda r: (r.get("position") or 0.0, r["id"])):
        moments.setdefault(row["infusion_id"], []).append(
            MomentView(format_duration(row.get("position") or 0.0, clock=True), row.get("phase") or "",
                       row.get("track") or "", row.get("note") or "",
                       report.moment_voices.get(row["id"], 0.0))
        )
    tracks: dict[int, list[tuple[str, str]]] = {}
    for row in t.get("track_ratings", []):
        tracks.setdefault(row["infusion_id"], []).append(
            (row.get("track") or "", (row.get("rating") or "").replace("_", " "))
        )
    entries: dict[int | None, list[dict[str, Any]]] = {}
    for row in t.get("entries", []):
        entries.setdefault(row.get("infusion_id"), []).append(row)
    number_of = {r["id"]: r["number"] for r in t.get("infusions", [])}

    infusions: list[InfusionView] = []
    for row in t.get("infusions", []):
        rows = entries.get(row["id"], [])
        effects_raw = _json(row.get("side_effects"), {})
        effects = [text.SIDE_EFFECTS.get(k, k) for k, v in effects_raw.items() if v and k != "other"]
        other = (row.get("side_effects_other") or "").strip()
        if other:
            effects.append(other)
        elif effects_raw.get("other"):
            effects.append(text.SIDE_EFFECTS["other"])
        per = ratings.get(row["id"], {"pre": {}, "post": {}})
        infusions.append(InfusionView(
            number=row["number"],
            label=series.place(row["number"]).long_label,
            day=infusion_day(row),
            complete=row.get("stage") == "complete",
            stage=(row.get("stage") or "").capitalize(),
            ended_early=bool(row.get("ended_early")),
            intention=[_entry(r, labels, report.voices) for r in rows if r["kind"] == "intention"],
            journal=[_entry(r, labels, report.voices) for r in rows if r["kind"] == "integration"],
            notes=[_entry(r, labels, report.voices) for r in rows if r["kind"] not in ("intention", "integration")],
            ratings=None if "ratings" in excluded else {
                "pre": {n: per.get("pre", {}).get(n) for n in RATING_NAMES},
                "post": {n: per.get("post", {}).get(n) for n in RATING_NAMES},
            },
            moments=None if "moments" in excluded else moments.get(row["id"], []),
            side_effects=None if "side_effects" in excluded else effects,
            urinary="side_effects" not in excluded and bool(effects_raw.get("urinary")),
            urinary_told=_day(row.get("urinary_told_at")),
            therapy_at=None if "therapy" in excluded else (row.get("therapy_at") or ""),
            tracks=None if "tracks" in excluded else tracks.get(row["id"], []),
        ))

    if not report.selection.oldest_first:
        infusions.reverse()
    notes = [_entry(r, labels, report.voices) for r in entries.get(None, [])]
    notes.sort(key=lambda e: (e.day or date.min, e.id), reverse=not report.selection.oldest_first)

    checkins: list[CheckinView] | None = None
    if "checkins" not in excluded:
        questions = {**text.LIFESTYLE, **text.CHECKIN_EXTRA}
        checkins = []
        for row in sorted(t.get("checkins", []), key=lambda r: (r.get("day") or "", r["id"])):
            answers = _json(row.get("answers"), {})
            shown = [(questions[k][0] if k in questions else k.replace("_", " ").capitalize(), str(v))
                     for k, v in answers.items() if v not in (None, "")]
            checkins.append(CheckinView(row.get("day") or "", shown, answers))

    scores: list[ScoreView] | None = None
    if "scores" not in excluded:
        scores = []
        for row in t.get("questionnaires", []):
            if row.get("status") != "complete":
                continue
            view = _score(row, report.scores.get(row["id"]))
            view.infusion = number_of.get(row.get("infusion_id"))  # type: ignore[arg-type]
            scores.append(view)
        scores.sort(key=lambda s: (s.day or date.min, s.label))

    if report.audio_folder:
        for e in [*notes, *(e for inf in infusions for e in inf.intention + inf.journal + inf.notes)]:
            if e.voice:
                e.voice_folder = report.audio_folder
    return ReportView(
        created_at=report.created_at,
        selection_lines=_describe_selection(report),
        infusions=infusions,
        notes=notes,
        checkins=checkins,
        scores=scores,
        records=report.records,
        left_out_fields=excluded,
        recordings=_recordings(report, labels),
        audio_folder=report.audio_folder,
    )


def urinary_told_line(inf: InfusionView) -> str:
    """Whether and when the patient marked the urinary symptoms as told to the clinic."""
    if inf.urinary_told is None:
        return text.REPORT_URINARY_NOT_TOLD
    return text.REPORT_URINARY_TOLD.format(day=day_label(inf.urinary_told))


def ratings_line(values: dict[str, int | None]) -> str:
    return ", ".join(
        f"{text.RATINGS[n][0].lower()} {'–' if values.get(n) is None else values[n]}"
        for n in RATING_NAMES
    )


def day_label(day: date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else "date not recorded"


