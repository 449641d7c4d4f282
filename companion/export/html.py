"""HTML: the therapist's report as one self-contained, printable page.

No scripts, no web fonts, no links to fetch: the styles and the charts (SVG)
are inside the file, so it opens the same anywhere, offline.
"""

from __future__ import annotations

from html import escape

from companion.core import text
from companion.export import charts as charting
from companion.export.charts import PALETTE
from companion.export.outline import (
    Alert,
    Block,
    Bullets,
    Figure,
    EntryText,
    Heading,
    Paragraph,
    Ref,
    Section,
    Table,
    report_blocks,
)
from companion.export.selection import Report
from companion.export.view import EntryView, ReportView, build_view

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; color: #333; }
.intro, .note, footer { color: #555; font-size: .9rem; }
.entry { white-space: pre-wrap; border-left: 3px solid #bbb; padding: .1rem .8rem; margin: .4rem 0 .8rem; }
.prompt { font-style: italic; color: #444; margin: .6rem 0 0; }
.tags { color: #666; font-size: .85rem; }
.urinary { border: 2px solid #b00020; color: #b00020; font-weight: bold; padding: .4rem .8rem; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
/* issue 16: the summary */
.summary table { font-size: .8rem; }
.summary td, .summary th { text-align: right; white-space: nowrap; padding: .1rem .3rem; }
.summary td:first-child, .summary th:first-child { text-align: left; }
a.see { font-size: .85rem; color: #335; white-space: nowrap; }
.date { white-space: nowrap; }
@media print { a.see { color: inherit; text-decoration: none; } }
h2, h3 { white-space: normal; }
svg { max-width: 100%; height: auto; }
.legend span { margin-right: 1rem; white-space: nowrap; }
section.infusion { break-inside: auto; }
table.wide td { vertical-align: top; }
td:first-child { white-space: nowrap; }
h4 { font-size: .95rem; margin: 1rem 0 .2rem; color: #555; }
/* Printed, the pages are the PDF's: A4, its margins and type size, a new page
   where the PDF starts one (after the summary, before the charts). */
@page { size: A4; margin: 16mm 18mm; }
@media print {
  div.new-page { break-before: page; }
  body { margin: 0; max-width: none; font-size: 10.5pt; line-height: 1.4; }
  h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.2rem; } h3 { font-size: 11pt; }
  h2, h3, h4 { break-after: avoid; }
  .chart, tr, li { break-inside: avoid; }
}
"""


def _p(value: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(value)}</p>"


def _entry(e: EntryView) -> str:
    parts = []
    if e.heading:
        parts.append(_p(e.heading, "prompt"))
    meta = [f"#{t}" for t in e.tags] + ([f"({text.REPORT_PRIVATE})"] if e.private else [])
    if meta:
        parts.append(_p(" ".join(meta), "tags"))
    parts.append(f'<div class="entry">{escape(e.text)}</div>')
    return "\n".join(parts)


def _rgb(index: int) -> str:
    r, g, b = PALETTE[index % len(PALETTE)]
    return f"rgb({r},{g},{b})"


def _marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    corners = charting.marker_outline(shape, x, y, r)
    edge = 'stroke="#fff" stroke-width="0.8"'
    if corners is None:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" {edge}/>'
    pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
    return f'<polygon points="{pts}" fill="{colour}" {edge}/>'


def svg_chart(chart: charting.Plot, width: int = 640, height: int = 240) -> str:
    left, top, right, bottom = 36, 16, 10, 28
    w, h = width - left - right, height - top - bottom
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{escape(chart.title)}">']
    for tick in chart.y_ticks:
        y = top + chart.y(tick, h)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                   f'fill="#555">{tick:g}</text>')
    every = chart.label_every()
    last_right = -1e9
    for i, label in enumerate(chart.x_labels):
        x = left + chart.x(i, w)
        half = len(label) * 3.2
        start = min(max(x - half, 2), width - 2 - 2 * half)
        if (chart.xs is None and i % every) or (chart.xs is not None and start < last_right + 6):
            continue
        last_right = start + 2 * half
        out.append(f'<text x="{start + half:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
                   f'fill="#555">{escape(label)}</text>')
    for pos, label in chart.marks:
        x = left + pos * w
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + h}" stroke="#aaa" '
                   f'stroke-dasharray="3 3"/>')
        out.append(f'<text x="{x + 3:.1f}" y="{top + 10}" font-size="10" fill="#777">{escape(label)}</text>')
    for s in chart.series:
        for run in chart.points(s, w, h):
            pts = " ".join(f"{left + x:.1f},{top + y:.1f}" for x, y in run)
            if len(run) > 1:
                out.append(f'<polyline points="{pts}" fill="none" stroke="{_rgb(s.colour)}" stroke-width="2"/>')
    labels = charting.point_labels(chart, w, h, line=12)
    for lb in labels:  # markers over every line, values over every marker
        s = chart.series[lb.series]
        out.append(_marker(s.marker, left + lb.x, top + lb.y, 4.5 * lb.scale, _rgb(s.colour)))
    for lb in labels:
        dx = 6 if lb.align == "start" else -6
        out.append(f'<text x="{left + lb.x + dx:.1f}" y="{top + lb.label_y:.1f}" font-size="11" '
                   f'text-anchor="{lb.align}" fill="{_rgb(chart.series[lb.series].colour)}">{lb.text}</text>')
    out.append("</svg>")
    legend = "".join(
        f'<span><svg width="12" height="12" viewBox="0 0 12 12">{_marker(s.marker, 6, 6, 5, _rgb(s.colour))}'
        f"</svg> {escape(s.name)}</span>"
        for s in chart.series
    )
    if chart.marks:
        legend += ('<span><svg width="12" height="12"><line x1="6" y1="0" x2="6" y2="12" stroke="#aaa" '
                   f'stroke-dasharray="3 3"/></svg> {escape(text.REPORT_CHART_INFUSIONS)}</span>')
    return (f'<figure class="chart"><figcaption>{escape(chart.title)}</figcaption>'
            f'{"".join(out)}<div class="legend">{legend}</div></figure>')


def _see(ref: Ref | None) -> str:
    if ref is None:
        return ""
    return f' <a class="see" href="#{escape(ref.anchor)}">({escape(text.REPORT_SEE.format(section=ref.name))})</a>'


def _heading(bl: Heading) -> str:
    anchor = f' id="{escape(bl.anchor)}"' if bl.anchor else ""
    words = escape(bl.text)
    if bl.date:
        words += (": " if bl.text else "") + f'<span class="date">{escape(bl.date)}</span>'
    return f"<h{bl.level}{anchor}>{words}</h{bl.level}>"


def render_blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for bl in blocks:
        if isinstance(bl, Section):
            # a section the summary points to is found by its id; the others by their kind
            attr = f' id="{escape(bl.anchor)}"' if bl.anchor else f' class="{escape(bl.kind)}"'
            if bl.kind == "infusion":
                attr = f' class="infusion"{attr}'
            if bl.new_page:
                out.append('<div class="new-page"></div>')
            out += [f"<section{attr}>", *render_blocks(bl.blocks), "</section>"]
        elif isinstance(bl, Heading):
            out.append(_heading(bl))
        elif isinstance(bl, Paragraph):
            cls = ' class="note"' if bl.muted else ""
            out.append(f"<p{cls}>{escape(bl.text)}{_see(bl.ref)}</p>")
        elif isinstance(bl, Alert):
            out.append(f'<p class="urinary">{escape(bl.text)}{_see(bl.ref)}</p>')
        elif isinstance(bl, Bullets):
            out.append("<ul>" + "".join(f"<li>{escape(line)}{_see(ref)}</li>"
                                        for line, ref in bl.items) + "</ul>")
        elif isinstance(bl, Table):
            cls = ' class="wide"' if bl.widths else ""
            out.append(f"<table{cls}><tr>" + "".join(f"<th>{escape(h)}</th>" for h in bl.header) + "</tr>"
                       + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                                 for row in bl.rows) + "</table>")
            if bl.ref:
                out.append(f"<p>{_see(bl.ref)}</p>")
        elif isinstance(bl, EntryText):
            out.append(_entry(bl.entry))
        elif isinstance(bl, Figure):
            out.append(svg_chart(bl.figure))
    return out


def render_view(view: ReportView) -> str:
    b: list[str] = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(text.REPORT_TITLE)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        *render_blocks(report_blocks(view)),
        "<footer>" + escape(view.footer) + "</footer>",
        "</body>", "</html>", "",
    ]
    return "\n".join(b)


def render(report: Report) -> bytes:
    return render_view(build_view(report)).encode("utf-8")
