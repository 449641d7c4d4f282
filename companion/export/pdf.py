"""PDF: the report a therapist reads in minutes (fpdf2, Noto Sans from PyPI).

The font comes with the ``fontpkg-noto-sans`` package (SIL Open Font License),
so the PDF needs no system fonts. Noto Sans covers Latin, Greek, Cyrillic and
Vietnamese; a character it lacks (an emoji, CJK) prints as a visible U+FFFD
placeholder and the report says so. The HTML, Markdown and JSON keep it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from companion.core import text
from companion.export.charts import PALETTE, Chart, charts
from companion.export.selection import Report
from companion.export.view import EntryView, ReportView, build_view, day_label, ratings_line
from companion.export.view import join_numbers as _numbers

FAMILY = "noto"
PLACEHOLDER = "\ufffd"
BODY = 10.5
SMALL = 8.5
LINE = 5.2
INK = (29, 29, 31)
MUTED = (90, 90, 96)
ALERT = (176, 0, 32)


def font_path() -> Path:
    import fontpkg_noto_sans

    return Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"


@lru_cache(maxsize=1)
def _coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_path(), lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(value: str, coverage: frozenset[int] | None = None) -> tuple[str, bool]:
    """``value`` with every character the font lacks shown as U+FFFD.

    Invisible joiners and variation selectors the font lacks are dropped, so
    one emoji sequence becomes one placeholder. Returns the text and whether a
    placeholder was needed.
    """
    cover = coverage if coverage is not None else _coverage()
    out: list[str] = []
    replaced = False
    for ch in value:
        code = ord(ch)
        if code in cover or ch in "\n\t":
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in ("Cf", "Mn", "Me") or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
            continue  # a joiner, selector or combining mark riding on a placeholder
        if category == "Zs":
            out.append(" ")
            continue
        out.append(PLACEHOLDER)
        replaced = True
    return "".join(out), replaced


class ReportPDF(FPDF):
    def __init__(self, footer_line: str) -> None:
        super().__init__(format="A4")
        self.footer_line = footer_line
        self.replaced = False
        self.coverage = _coverage()
        self.add_font(FAMILY, "", str(font_path()))
        self.set_font(FAMILY, size=BODY)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.set_text_color(*INK)
        self.set_title(text.REPORT_TITLE)
        self.set_creator("companion")

    def clean(self, value: str) -> str:
        result, replaced = printable(value, self.coverage)
        self.replaced = self.replaced or replaced
        return result

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=SMALL)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.clean(self.footer_line), align="L")
        self.cell(0, 5, f"{self.page_no()}", align="R")
        self.set_text_color(*INK)

    # --- building blocks --------------------------------------------------

    def wrap(self, value: str, width: float) -> list[str]:
        """Greedy word wrap in linear time (fpdf2's multi_cell re-measures the
        whole line for every character, which is quadratic in long entries)."""
        measure: dict[str, float] = {}

        def w(word: str) -> float:
            found = measure.get(word)
            if found is None:
                found = measure[word] = self.get_string_width(word)
            return found

        space = w(" ")
        out: list[str] = []
        for paragraph in value.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                size = w(word)
                while size > width and word:  # a word longer than the line
                    if line:
                        out.append(" ".join(line))
                        line, used = [], 0.0
                    cut = len(word)
                    while cut > 1 and w(word[:cut]) > width:
                        cut = max(1, cut * 3 // 4)
                    out.append(word[:cut])
                    word = word[cut:]
                    size = w(word)
                extra = size + (space if line else 0.0)
                if line and used + extra > width:
                    out.append(" ".join(line))
                    line, used = [word], size
                else:
                    line.append(word)
                    used += extra
            out.append(" ".join(line))
        return out

    def lines(self, value: str, height: float, indent: float = 0.0) -> None:
        left = self.l_margin + indent
        width = self.w - self.r_margin - left
        for line in self.wrap(value, width):
            if self.will_page_break(height):
                self.add_page()
            self.set_x(left)
            self.cell(width, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, value: str, size: float, space: float = 3.0, colour=INK) -> None:
        if self.will_page_break(size * 0.6 + space + 3 * LINE):
            self.add_page()
        self.ln(space)
        self.set_font(FAMILY, size=size)
        self.set_text_color(*colour)
        self.text_mode = TextMode.FILL_STROKE  # a gentle bold: the font is one weight
        self.set_draw_color(*colour)
        self.set_line_width(size * 0.012)
        self.multi_cell(0, size * 0.5, self.clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.text_mode = TextMode.FILL
        self.set_text_color(*INK)
        self.set_font(FAMILY, size=BODY)
        self.ln(1)

    def para(self, value: str, *, size: float = BODY, colour=INK, indent: float = 0.0) -> None:
        self.set_font(FAMILY, size=size)
        self.set_text_color(*colour)
        self.lines(self.clean(value), LINE * size / BODY, indent)
        self.set_text_color(*INK)
        self.set_font(FAMILY, size=BODY)

    def bullet(self, value: str) -> None:
        self.set_x(self.l_margin + 2)
        self.cell(4, LINE, "•")
        self.lines(self.clean(value), LINE, 6)

    def entry(self, e: EntryView) -> None:
        if e.heading:
            self.para(e.heading, colour=MUTED, size=BODY - 1)
        meta = [f"#{t}" for t in e.tags] + ([f"({text.REPORT_PRIVATE})"] if e.private else [])
        if meta:
            self.para(" ".join(meta), colour=MUTED, size=SMALL)
        top = self.get_y()
        page = self.page_no()
        self.para(e.text or " ", indent=4)
        if self.page_no() == page:
            self.set_draw_color(190, 190, 190)
            self.set_line_width(0.6)
            self.line(self.l_margin + 1, top + 0.5, self.l_margin + 1, self.get_y() - 0.5)
        self.ln(1.5)

    def alert(self, value: str) -> None:
        self.set_draw_color(*ALERT)
        self.set_text_color(*ALERT)
        self.set_line_width(0.5)
        self.text_mode = TextMode.FILL_STROKE
        self.set_line_width(0.12)
        self.multi_cell(0, LINE + 0.6, self.clean(value), border=1, padding=2,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.text_mode = TextMode.FILL
        self.set_text_color(*INK)
        self.ln(1.5)

    def chart(self, chart: Chart) -> None:
        width = self.w - self.l_margin - self.r_margin
        height = 55.0
        if self.will_page_break(height + 30):
            self.add_page()
        self.heading(chart.title, 11, space=4)
        left = self.l_margin + 10
        top = self.get_y() + 2
        w = width - 12
        self.set_font(FAMILY, size=SMALL)
        self.set_text_color(*MUTED)
        self.set_line_width(0.2)
        for tick in chart.y_ticks:
            y = top + chart.y(tick, height)
            self.set_draw_color(220, 220, 220)
            self.line(left, y, left + w, y)
            self.text(self.l_margin, y + 1.2, f"{tick:g}")
        n = len(chart.x_labels)
        every = chart.label_every(16)
        for i, label in enumerate(chart.x_labels):
            if i % every == 0:
                x = left + (i * w / (n - 1) if n > 1 else w / 2)
                self.text(x - self.get_string_width(label) / 2, top + height + 5, self.clean(label))
        for s in chart.series:
            self.set_draw_color(*PALETTE[s.colour % len(PALETTE)])
            self.set_fill_color(*PALETTE[s.colour % len(PALETTE)])
            self.set_line_width(0.6)
            for run in chart.points(s, w, height):
                pts = [(left + x, top + y) for x, y in run]
                if len(pts) > 1:
                    self.polyline(pts)
                if len(pts) <= 60:
                    for x, y in pts:
                        self.circle(x, y, 0.9, style="F")
        legend_y = top + height + 11
        x = left
        for s in chart.series:
            self.set_fill_color(*PALETTE[s.colour % len(PALETTE)])
            self.rect(x, legend_y - 2.6, 3, 3, style="F")
            self.text(x + 4.5, legend_y, s.name)
            x += 8 + self.get_string_width(s.name)
        self.set_text_color(*INK)
        self.set_y(legend_y + 4)


def render_view(view: ReportView) -> bytes:
    pdf = ReportPDF(view.footer)
    pdf.add_page()
    pdf.heading(text.REPORT_TITLE, 17, space=0)
    pdf.para(text.REPORT_INTRO, colour=MUTED)
    if view.urinary_numbers:
        pdf.ln(2)
        pdf.alert(text.REPORT_URINARY_SUMMARY.format(numbers=_numbers(view.urinary_numbers)))
    pdf.heading(text.REPORT_SELECTION, 12)
    for line in view.selection_lines:
        pdf.bullet(line)
    for inf in view.infusions:
        pdf.ln(2)
        pdf.heading(f"{inf.label}: {day_label(inf.day)}", 14, space=4)
        if not inf.complete:
            pdf.para(text.REPORT_NOT_COMPLETE.format(stage=inf.stage), colour=MUTED)
        if inf.urinary:
            pdf.alert(text.REPORT_URINARY)
        if inf.intention:
            pdf.heading(text.REPORT_INTENTION, 11.5)
            for e in inf.intention:
                pdf.entry(e)
        if inf.ratings is not None:
            pdf.heading(text.REPORT_RATINGS, 11.5)
            pdf.bullet(f"{text.REPORT_RATINGS_BEFORE}: {ratings_line(inf.ratings['pre'])}")
            pdf.bullet(f"{text.REPORT_RATINGS_AFTER}: {ratings_line(inf.ratings['post'])}")
        if inf.moments:
            pdf.heading(text.REPORT_MOMENTS, 11.5)
            for m in inf.moments:
                line = " · ".join(x for x in (m.at, m.phase, m.track) if x)
                pdf.bullet(line + (f": {m.note}" if m.note else ""))
        if inf.ended_early:
            pdf.para(text.REPORT_ENDED_EARLY, colour=MUTED)
        if inf.tracks:
            pdf.heading(text.REPORT_TRACKS, 11.5)
            for track, feeling in inf.tracks:
                pdf.bullet(f"{track}: {feeling}")
        if inf.journal or inf.notes:
            pdf.heading(text.REPORT_JOURNAL, 11.5)
            for e in inf.journal + inf.notes:
                pdf.entry(e)
        if inf.side_effects is not None:
            pdf.heading(text.REPORT_SIDE_EFFECTS, 11.5)
            if inf.side_effects:
                for effect in inf.side_effects:
                    pdf.bullet(effect)
            else:
                pdf.para(text.REPORT_NO_SIDE_EFFECTS)
        if inf.therapy_at:
            pdf.ln(1)
            pdf.para(f"{text.REPORT_THERAPY}: {inf.therapy_at}")
    if view.notes:
        pdf.heading(text.REPORT_NOTES, 14, space=6)
        for e in view.notes:
            pdf.heading(day_label(e.day), 10.5, space=1.5, colour=MUTED)
            pdf.entry(e)
    if view.checkins:
        pdf.heading(text.REPORT_CHECKINS, 14, space=6)
        for c in view.checkins:
            pdf.bullet(f"{c.day}: " + "; ".join(f"{q}: {a}" for q, a in c.answers))
    if view.scores:
        pdf.heading(text.REPORT_SCORES, 14, space=6)
        pdf.para(text.REPORT_SCORES_NOTE, colour=MUTED, size=SMALL + 0.5)
        for s in view.scores:
            pdf.bullet(f"{s.day.isoformat() if s.day else ''}  {s.label}: {s.summary}")
    found = charts(view)
    if found:
        pdf.add_page()
        pdf.heading(text.REPORT_TRENDS, 14, space=0)
        for chart in found:
            pdf.chart(chart)
    if pdf.replaced:
        pdf.ln(4)
        pdf.para(text.REPORT_MISSING_GLYPH, colour=MUTED, size=SMALL)
    return bytes(pdf.output())


def render(report: Report) -> bytes:
    return render_view(build_view(report))
