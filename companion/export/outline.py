"""The report's outline: its sections built once, as a sequence of blocks.

PDF, HTML and Markdown only render blocks. Today the summary (page one) is
built here; the sections after it are still walked by each renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from companion.core import journaling, measures, series, text
from companion.export.view import InfusionView, ReportView, day_label, urinary_told_line

#: Section anchors: the HTML ids, and what the Markdown and PDF name.
SUMMARY_ANCHOR = "summary"
NOTES_ANCHOR = "notes"
SCORES_ANCHOR = "scores"
CHECKINS_ANCHOR = "checkins"


def infusion_anchor(number: int) -> str:
    return f"infusion-{number}"


@dataclass
class Ref:
    """Where the detail of a summary line is: an anchor and the section's name."""
    anchor: str
    name: str


@dataclass
class Heading:
    text: str
    level: int = 2
    anchor: str = ""


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


@dataclass
class Alert:
    text: str
    ref: Ref | None = None


Block = Heading | Paragraph | Bullets | Table | Alert


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

    fiqr = view.fiqr_series()
    if fiqr:
        blocks.append(Heading(text.REPORT_SUMMARY_FIQR, 3))
        (first_day, baseline), (last_day, now) = fiqr[0], fiqr[-1]
        ref = Ref(SCORES_ANCHOR, text.REPORT_SCORES)
        if len(fiqr) == 1:
            blocks.append(Paragraph(text.REPORT_SUMMARY_FIQR_ONE.format(
                now=now, day=day_label(last_day)), ref=ref))
        else:
            threshold = measures.fiqr_worsening_threshold(baseline)
            crossed = (text.REPORT_SUMMARY_FIQR_WORSE if measures.meaningful_worsening(baseline, now)
                       else text.REPORT_SUMMARY_FIQR_BETTER if baseline - now >= threshold
                       else text.REPORT_SUMMARY_FIQR_WITHIN)
            blocks.append(Paragraph(text.REPORT_SUMMARY_FIQR_LINE.format(
                now=now, day=day_label(last_day), baseline=baseline, first=day_label(first_day),
                change=now - baseline, crossed=crossed.format(threshold=threshold)), ref=ref))

    practices = practices_held(view)
    if practices:
        blocks.append(Heading(text.REPORT_SUMMARY_PRACTICES, 3))
        ref = Ref(CHECKINS_ANCHOR, text.REPORT_CHECKINS)
        blocks.append(Bullets([(line, ref) for line in practices]))
    return blocks


def see(ref: Ref) -> str:
    """How a line names where its detail is, in words (Markdown, PDF)."""
    return text.REPORT_SEE.format(section=ref.name)
