"""Markdown: the therapist's report as plain text."""

from __future__ import annotations

from companion.core import text
from companion.export.view import join_numbers as _numbers
from companion.export.outline import Alert, Block, Bullets, Heading, Paragraph, Ref, Table, see, summary_blocks
from companion.export.selection import Report
from companion.export.view import (
    EntryView,
    ReportView,
    build_view,
    day_label,
    ratings_line,
    urinary_told_line,
)


def _quote(body: str) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in body.splitlines() or [""]]


def _entry(entry: EntryView) -> list[str]:
    head = []
    if entry.heading:
        head.append(f"*{entry.heading}*")
    meta = []
    if entry.tags:
        meta.append(" ".join(f"#{t}" for t in entry.tags))
    if entry.private:
        meta.append(f"({text.REPORT_PRIVATE})")
    if meta:
        head.append(" ".join(meta))
    return ([" ".join(head), ""] if head else []) + _quote(entry.text) + [""]


def _with_ref(line: str, ref: Ref | None) -> str:
    return f"{line} ({see(ref)})" if ref else line


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def render_blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Paragraph):
            out += [_with_ref(b.text, b.ref), ""]
        elif isinstance(b, Alert):
            out += [_with_ref(f"**{b.text}**", b.ref), ""]
        elif isinstance(b, Bullets):
            out += [_with_ref(f"- {line}", ref) for line, ref in b.items] + [""]
        elif isinstance(b, Table):
            out += ["| " + " | ".join(_cell(h) for h in b.header) + " |",
                    "|" + " --- |" * len(b.header)]
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows]
            out += [""] + ([f"({see(b.ref)})", ""] if b.ref else [])
    return out


def render_view(view: ReportView) -> str:
    out: list[str] = [f"# {text.REPORT_TITLE}", "", text.REPORT_INTRO, ""]
    if view.urinary_numbers:
        out += [f"**{text.REPORT_URINARY_SUMMARY.format(numbers=_numbers(view.urinary_numbers))}**", ""]
    out += render_blocks(summary_blocks(view))
    out += [f"## {text.REPORT_SELECTION}", ""]
    out += [f"- {line}" for line in view.selection_lines] + [""]
    for inf in view.infusions:
        out += [f"## {inf.label}: {day_label(inf.day)}", ""]
        if not inf.complete:
            out += [text.REPORT_NOT_COMPLETE.format(stage=inf.stage), ""]
        if inf.urinary:
            out += [f"**{text.REPORT_URINARY}**", "", urinary_told_line(inf), ""]
        if inf.intention:
            out += [f"### {text.REPORT_INTENTION}", ""]
            for e in inf.intention:
                out += _entry(e)
        if inf.ratings is not None:
            out += [f"### {text.REPORT_RATINGS}", "",
                    f"- {text.REPORT_RATINGS_BEFORE}: {ratings_line(inf.ratings['pre'])}",
                    f"- {text.REPORT_RATINGS_AFTER}: {ratings_line(inf.ratings['post'])}", ""]
        if inf.moments:
            out += [f"### {text.REPORT_MOMENTS}", ""]
            for m in inf.moments:
                bits = [m.at, m.phase, m.track]
                line = " · ".join(b for b in bits if b)
                out.append(f"- {line}" + (f": {m.note}" if m.note else ""))
            out.append("")
        if inf.ended_early:
            out += [text.REPORT_ENDED_EARLY, ""]
        if inf.tracks:
            out += [f"### {text.REPORT_TRACKS}", ""]
            out += [f"- {track}: {feeling}" for track, feeling in inf.tracks] + [""]
        if inf.journal or inf.notes:
            out += [f"### {text.REPORT_JOURNAL}", ""]
            for e in inf.journal + inf.notes:
                out += _entry(e)
        if inf.side_effects is not None:
            out += [f"### {text.REPORT_SIDE_EFFECTS}", ""]
            out += ([f"- {s}" for s in inf.side_effects] or [text.REPORT_NO_SIDE_EFFECTS]) + [""]
        if inf.therapy_at:
            out += [f"{text.REPORT_THERAPY}: {inf.therapy_at}", ""]
    if view.notes:
        out += [f"## {text.REPORT_NOTES}", ""]
        for e in view.notes:
            out += [f"#### {day_label(e.day)}", ""] + _entry(e)
    if view.checkins:
        out += [f"## {text.REPORT_CHECKINS}", ""]
        for c in view.checkins:
            out.append(f"- **{c.day}**: " + "; ".join(f"{q}: {a}" for q, a in c.answers))
        out.append("")
    if view.scores:
        out += [f"## {text.REPORT_SCORES}", "", text.REPORT_SCORES_NOTE, "",
                "| date | questionnaire | score |", "| --- | --- | --- |"]
        for s in view.scores:
            out.append(f"| {s.day.isoformat() if s.day else ''} | {s.label} | {s.summary} |")
        out.append("")
    series = view.rating_series()
    acr = view.acr_series()
    if len(series) > 1 or len(view.fiqr_series()) > 1 or len(acr) > 1:
        out += [f"## {text.REPORT_TRENDS}", ""]
        if len(series) > 1:
            out += [text.REPORT_TREND_RATINGS, "", "| infusion | pain | mood | anxiety |",
                    "| --- | --- | --- | --- |"]
            for number, _pre, post in series:
                cells = ["–" if post.get(n) is None else str(post[n]) for n in ("pain", "mood", "anxiety")]
                out.append(f"| {number} | " + " | ".join(cells) + " |")
            out.append("")
        fiqr = view.fiqr_series()
        if len(fiqr) > 1:
            out += [text.REPORT_TREND_SCORES, ""]
            out += [f"- {d.isoformat() if d else ''}: {v:.1f}" for d, v in fiqr] + [""]
        if len(acr) > 1:
            out += [text.REPORT_TREND_ACR, "", "| date | WPI | SSS |", "| --- | --- | --- |"]
            out += [f"| {d.isoformat() if d else ''} | {w:g} | {v:g} |" for d, w, v in acr] + [""]
    out += ["---", "", view.footer, ""]
    return "\n".join(out)


def render(report: Report) -> bytes:
    return render_view(build_view(report)).encode("utf-8")
