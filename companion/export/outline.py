"""The report's outline: its sections built once, as a sequence of blocks.

PDF, HTML and Markdown only render blocks (``report_blocks``): the title, the
summary (page one), what the report covers, the infusions, the free journal
entries, the check-ins, the questionnaires and the charts. A new section is
added here, once, and shows in all three.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from companion.core import journaling, series, text, trends
from companion.core.models import format_duration, join_numbers
from companion.export import charts as charting
from companion.export.view import (
    EntryView,
    InfusionView,
    ReportView,
    day_label,
    ratings_line,
    urinary_told_line,
)

#: Section anchors: the HTML ids, and what the Markdown and PDF name.
SUMMARY_ANCHOR = "summary"
NOTES_ANCHOR = "notes"
SCORES_ANCHOR = "scores"
CHECKINS_ANCHOR = "checkins"
TRENDS_ANCHOR = "trends"
RECORDINGS_ANCHOR = "recordings"


def infusion_anchor(number: int) -> str:
    return f"infusion-{number}"


@dataclass
class Ref:
    """Where the detail of a summary line is: an anchor and the section's name."""
    anchor: str
    name: str


@dataclass
class Heading:
    """Level 1 is the title, 2 a section, 3 a part of one, 4 a dated entry's day."""
    text: str
    level: int = 2
    anchor: str = ""
    #: A date after the text, kept on one line (HTML).
    date: str = ""

    @property
    def full(self) -> str:
        return f"{self.text}: {self.date}" if self.text and self.date else self.text or self.date


@dataclass
class Paragraph:
    text: str
    muted: bool = False
    ref: Ref | None = None


@dataclass
class Bullets:
    #: (line, where its detail is)
    items: list[tuple[str, Ref | None]] = field(default_factory=list)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    ref: Ref | None = None
    #: Relative column widths when a column holds long text (the PDF wraps it);
    #: None: short cells, the first column narrow.
    widths: tuple[float, ...] | None = None


@dataclass
class Alert:
    text: str
    ref: Ref | None = None


@dataclass
class EntryText:
    """Something the patient wrote: the prompt it answers, its tags, its words."""
    entry: EntryView


@dataclass
class Figure:
    """A trend: drawn by the PDF and the HTML, a table of its numbers in Markdown."""
    figure: charting.Plot


@dataclass
class Section:
    """A part of the report the summary can point to (``anchor``)."""
    kind: str
    blocks: list["Block"]
    anchor: str = ""
    #: Starts on a new page (PDF, and the HTML when printed).
    new_page: bool = False


Block = Heading | Paragraph | Bullets | Table | Alert | EntryText | Figure | Section


def entry_blocks(e: EntryView) -> list[Block]:
    """An entry's words, and the voice recorded with it: its length (the sound
    itself stays in the journal)."""
    blocks: list[Block] = [EntryText(e)]
    if e.voice:
        said = (text.REPORT_VOICE_BESIDE.format(length=format_duration(e.voice), folder=e.voice_folder)
                if e.voice_folder else text.REPORT_VOICE.format(length=format_duration(e.voice)))
        blocks.append(Paragraph(said, muted=True))
    return blocks


def infusion_title(inf: InfusionView) -> str:
    return f"{inf.label}: {day_label(inf.day)}"


def short(inf: InfusionView) -> str:
    """``Infusion 2 of 6`` or ``Booster 1``: enough to find the section."""
    return series.place(inf.number).title


def _ref(inf: InfusionView) -> Ref:
    return Ref(infusion_anchor(inf.number), short(inf))


def _change(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return "–"
    diff = after - before
    return f"{diff:+d}" if diff else "0"


def _rating_cell(values: dict[str, int | None], name: str) -> str:
    return "–" if values.get(name) is None else str(values[name])


def bring_to_therapy(view: ReportView) -> list[tuple[date | None, str, Ref]]:
    """What the patient would like to bring to therapy, from every infusion's
    Integration answer and every free journal entry in range, newest first."""
    found: list[tuple[date | None, int, str, Ref]] = []
    for inf in view.infusions:
        for e in inf.journal:
            if e.prompt.endswith("therapist") and e.text.strip():
                found.append((e.day or inf.day, e.id, e.text.strip(), _ref(inf)))
    for e in view.notes:
        if e.prompt.endswith("therapist") and e.text.strip():
            found.append((e.day, e.id, e.text.strip(), Ref(NOTES_ANCHOR, text.REPORT_NOTES)))
    found.sort(key=lambda f: (f[0] or date.min, f[1]), reverse=True)
    return [(d, t, r) for d, _i, t, r in found]


def practices_held(view: ReportView, weeks: int = 4) -> list[str]:
    """For each daily practice: on how many of the last weeks' answered days it held."""
    if not view.checkins:
        return []
    by_day = {c.day: {k: str(v) for k, v in c.raw.items()} for c in view.checkins if c.day}
    if not by_day:
        return []
    last = max(date.fromisoformat(d[:10]) for d in by_day)
    days = journaling.days_back(last, weeks * 7)
    lines = []
    for key, (question, _options) in journaling.checkin_questions().items():
        held, answered = journaling.held_days(by_day, key, days)
        if answered:
            lines.append(text.REPORT_SUMMARY_PRACTICE.format(
                practice=question, held=held, answered=answered))
    return lines


def summary_blocks(view: ReportView) -> list[Block]:
    """Page one: what matters in the chosen range, each line pointing to its detail."""
    blocks: list[Block] = [Heading(text.REPORT_SUMMARY, 2, SUMMARY_ANCHOR)]
    by_number = sorted(view.infusions, key=lambda i: i.number)
    if by_number:
        latest = by_number[-1]
        blocks.append(Paragraph(text.REPORT_SUMMARY_LATEST.format(
            label=latest.label, day=day_label(latest.day)), ref=_ref(latest)))
    else:
        blocks.append(Paragraph(text.REPORT_SUMMARY_NO_INFUSION, muted=True))

    blocks.append(Heading(text.REPORT_SUMMARY_BRING, 3))
    bring = bring_to_therapy(view)
    if bring:
        blocks.append(Bullets([(f"{day_label(d)}: {t}", r) for d, t, r in bring]))
    else:
        blocks.append(Paragraph(text.REPORT_SUMMARY_NOTHING_TO_BRING, muted=True))

    with_effects = [i for i in reversed(by_number) if i.side_effects]
    if with_effects:
        blocks.append(Heading(text.REPORT_SIDE_EFFECTS, 3))
        for inf in (i for i in with_effects if i.urinary):
            blocks.append(Alert(f"{short(inf)}: {text.REPORT_URINARY} {urinary_told_line(inf)}", _ref(inf)))
        items = []
        for inf in with_effects:
            others = [s for s in inf.side_effects or [] if s != text.SIDE_EFFECTS.get("urinary")]
            if others:
                items.append((f"{short(inf)}: " + ", ".join(others), _ref(inf)))
        if items:
            blocks.append(Bullets(items))

    rated = [i for i in reversed(by_number) if i.ratings and any(
        v is not None for t in ("pre", "post") for v in i.ratings[t].values())]
    if rated:
        blocks.append(Heading(text.REPORT_SUMMARY_RATINGS, 3))
        header = [text.REPORT_SUMMARY_INFUSION]
        for name in ("pain", "mood", "anxiety"):
            label = text.RATINGS[name][0].lower()
            header += [f"{label} {text.REPORT_RATINGS_BEFORE}", text.REPORT_RATINGS_AFTER, text.REPORT_SUMMARY_CHANGE]
        rows = []
        for inf in rated:
            pre, post = inf.ratings["pre"], inf.ratings["post"]  # type: ignore[index]
            row = [str(inf.number)]
            for name in ("pain", "mood", "anxiety"):
                row += [_rating_cell(pre, name), _rating_cell(post, name), _change(pre.get(name), post.get(name))]
            rows.append(row)
        blocks.append(Table(header, rows, Ref(infusion_anchor(rated[0].number), text.REPORT_SUMMARY_RATINGS_WHERE)))

    fiqr = [(d, v) for d, v in view.fiqr_series() if d is not None]
    if fiqr:
        blocks.append(Heading(text.REPORT_SUMMARY_FIQR, 3))
        ref = Ref(SCORES_ANCHOR, text.REPORT_SCORES)
        change = trends.fiqr_change(fiqr)
        if change is None:
            last_day, now = fiqr[-1]
            blocks.append(Paragraph(text.REPORT_SUMMARY_FIQR_ONE.format(
                now=now, day=day_label(last_day)), ref=ref))
        else:
            crossed = (text.REPORT_SUMMARY_FIQR_WORSE if change.worse
                       else text.REPORT_SUMMARY_FIQR_BETTER if change.better
                       else text.REPORT_SUMMARY_FIQR_WITHIN)
            blocks.append(Paragraph(text.REPORT_SUMMARY_FIQR_LINE.format(
                now=change.current, day=day_label(change.current_day), baseline=change.baseline,
                first=day_label(change.baseline_day), change=change.change,
                crossed=crossed.format(threshold=change.threshold)), ref=ref))

    practices = practices_held(view)
    if practices:
        blocks.append(Heading(text.REPORT_SUMMARY_PRACTICES, 3))
        ref = Ref(CHECKINS_ANCHOR, text.REPORT_CHECKINS)
        blocks.append(Bullets([(line, ref) for line in practices]))
    return blocks


def see(ref: Ref) -> str:
    """How a line names where its detail is, in words (Markdown, PDF)."""
    return text.REPORT_SEE.format(section=ref.name)


def title_blocks(view: ReportView) -> list[Block]:
    blocks: list[Block] = [Heading(text.REPORT_TITLE, 1), Paragraph(text.REPORT_INTRO, muted=True)]
    if view.urinary_numbers:
        blocks.append(Alert(text.REPORT_URINARY_SUMMARY.format(numbers=join_numbers(view.urinary_numbers))))
    return blocks


def infusion_blocks(inf: InfusionView) -> list[Block]:
    """One infusion's section, from the intention to the therapy appointment."""
    blocks: list[Block] = [Heading(inf.label, 2, date=day_label(inf.day))]
    if not inf.complete:
        blocks.append(Paragraph(text.REPORT_NOT_COMPLETE.format(stage=inf.stage), muted=True))
    if inf.urinary:
        blocks += [Alert(text.REPORT_URINARY), Paragraph(urinary_told_line(inf), muted=True)]
    if inf.intention:
        blocks.append(Heading(text.REPORT_INTENTION, 3))
        blocks += [b for e in inf.intention for b in entry_blocks(e)]
    if inf.ratings is not None:
        blocks += [Heading(text.REPORT_RATINGS, 3), Bullets([
            (f"{text.REPORT_RATINGS_BEFORE}: {ratings_line(inf.ratings['pre'])}", None),
            (f"{text.REPORT_RATINGS_AFTER}: {ratings_line(inf.ratings['post'])}", None)])]
    if inf.moments:
        blocks += [Heading(text.REPORT_MOMENTS, 3), Bullets([
            (" · ".join(x for x in (m.at, m.phase, m.track) if x) + (f": {m.note}" if m.note else "")
             + (" " + text.REPORT_MOMENT_VOICE.format(length=format_duration(m.voice)) if m.voice else ""), None)
            for m in inf.moments])]
    if inf.ended_early:
        blocks.append(Paragraph(text.REPORT_ENDED_EARLY, muted=True))
    if inf.tracks:
        blocks += [Heading(text.REPORT_TRACKS, 3),
                   Bullets([(f"{track}: {feeling}", None) for track, feeling in inf.tracks])]
    if inf.journal or inf.notes:
        blocks.append(Heading(text.REPORT_JOURNAL, 3))
        blocks += [b for e in inf.journal + inf.notes for b in entry_blocks(e)]
    if inf.side_effects is not None:
        blocks.append(Heading(text.REPORT_SIDE_EFFECTS, 3))
        blocks.append(Bullets([(s, None) for s in inf.side_effects]) if inf.side_effects
                      else Paragraph(text.REPORT_NO_SIDE_EFFECTS))
    if inf.therapy_at:
        blocks.append(Paragraph(f"{text.REPORT_THERAPY}: {inf.therapy_at}"))
    return blocks


def report_blocks(view: ReportView) -> list[Block]:
    """The whole report, in order: what every readable format renders."""
    blocks: list[Block] = title_blocks(view)
    blocks.append(Section("summary", summary_blocks(view)))
    # Page one is the summary alone: the detail starts on a page of its own.
    blocks.append(Section("selection", [Heading(text.REPORT_SELECTION, 2),
                                        Bullets([(line, None) for line in view.selection_lines])],
                          new_page=True))
    for inf in view.infusions:
        blocks.append(Section("infusion", infusion_blocks(inf), infusion_anchor(inf.number)))
    if view.notes:
        notes: list[Block] = [Heading(text.REPORT_NOTES, 2)]
        for e in view.notes:
            notes += [Heading("", 4, date=day_label(e.day)), *entry_blocks(e)]
        blocks.append(Section("notes", notes, NOTES_ANCHOR))
    if view.checkins:
        questions: list[str] = []
        for c in view.checkins:
            questions += [q for q, _a in c.answers if q not in questions]
        rows = [[c.day] + [dict(c.answers).get(q, "–") for q in questions] for c in view.checkins]
        blocks.append(Section("checkins", [
            Heading(text.REPORT_CHECKINS, 2),
            Table([text.REPORT_CHECKINS_DAY, *questions], rows)], CHECKINS_ANCHOR))
    if view.scores:
        blocks.append(Section("scores", [
            Heading(text.REPORT_SCORES, 2), Paragraph(text.REPORT_SCORES_NOTE, muted=True),
            Table(list(text.REPORT_SCORES_HEADER),
                  [[s.day.isoformat() if s.day else "", s.label, s.summary] for s in view.scores],
                  widths=(1.0, 1.1, 4.5))], SCORES_ANCHOR))
    if view.recordings:
        blocks.append(Section("recordings", recording_blocks(view), RECORDINGS_ANCHOR))
    found = charting.charts(view)
    if found:
        blocks.append(Section("trends", [Heading(text.REPORT_TRENDS, 2), *(Figure(c) for c in found)],
                              TRENDS_ANCHOR, new_page=True))
    return blocks


def recording_blocks(view: ReportView) -> list[Block]:
    """Each voice recording the selection includes: its date, its length and
    what it goes with (and its file, when the sound was written beside the report)."""
    files = bool(view.audio_folder)
    note = (text.REPORT_RECORDINGS_NOTE_FILES.format(folder=view.audio_folder) if files
            else text.REPORT_RECORDINGS_NOTE)
    header = [*text.REPORT_RECORDINGS_HEADER, *([text.REPORT_RECORDINGS_FILE] if files else [])]
    rows = [[r.day.isoformat() if r.day else "", format_duration(r.seconds), r.goes_with,
             *([r.file] if files else [])] for r in view.recordings]
    widths = (1.0, 0.7, 3.2, 2.2) if files else (1.0, 0.7, 4.5)
    return [Heading(text.REPORT_RECORDINGS, 2), Paragraph(note, muted=True),
            Table(header, rows, widths=widths)]


def walk(blocks: list[Block]):
    """Every block, sections opened, in order."""
    for b in blocks:
        yield b
        if isinstance(b, Section):
            yield from walk(b.blocks)
