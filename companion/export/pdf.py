"""PDF: the report a therapist reads in minutes (fpdf2, Noto Sans from PyPI).

The font comes with the ``fontpkg-noto-sans`` package (SIL Open Font License),
so the PDF needs no system fonts. Noto Sans covers Latin, Greek, Cyrillic and
Vietnamese; a character it lacks (an emoji, CJK) prints as a visible U+FFFD
placeholder and the report says so. The HTML, Markdown and JSON keep it.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

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
    see,
    walk,
)
from companion.export.selection import Report
from companion.export.view import EntryView, ReportView, build_view

FAMILY = "noto"
PLACEHOLDER = "\ufffd"
BODY = 10.5
SMALL = 8.5
LINE = 5.2
INK = (29, 29, 31)
MUTED = (90, 90, 96)
ALERT = (176, 0, 32)
LONG_WORD = 200
"""A word this long is measured without keeping its width (the cache would
hold every such word whole)."""


def font_path() -> Path:
    import fontpkg_noto_sans

    return Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"


@lru_cache(maxsize=1)
def _coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_path(), lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=1)
def _covered_chars() -> frozenset[str]:
    """The characters the font shows, as strings (a fast check of a whole text)."""
    return frozenset(chr(code) for code in _coverage()) | {"\n", "\t"}


def _fast_path_available(pdf: FPDF) -> bool:
    """Whether this fpdf2 has the internals the fast text path writes through;
    without them every line goes through the public ``FPDF.text``."""
    font = getattr(pdf, "current_font", None)
    return (
        hasattr(pdf, "_set_font_for_page") and hasattr(pdf, "current_font_is_set_on_page")
        and hasattr(pdf, "_out") and hasattr(getattr(font, "subset", None), "pick")
        and hasattr(font, "escape_text") and isinstance(getattr(font, "cw", None), dict)
    )


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
    """fpdf2 with a fast path for text: the report is mostly wrapped lines.

    fpdf2's ``cell``/``multi_cell`` copy the graphics state and re-measure the
    text through its fragment machinery on every call (about 30 s for 10,000
    entries). Here a word's width is summed once from the font's glyph widths
    and cached, and the lines of a paragraph that fall on one page go out as
    one text object (``BT ... T* ... ET``). Only plain left-aligned text takes
    this path; boxes and charts still use fpdf2's own calls.
    """

    def __init__(self, footer_line: str) -> None:
        super().__init__(format="A4")
        self.footer_line = footer_line
        self.replaced = False
        self.coverage = _coverage()
        self.covered = _covered_chars()
        self.add_font(FAMILY, "", str(font_path()))
        self.set_font(FAMILY, size=BODY)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.set_text_color(*INK)
        self.set_title(text.REPORT_TITLE)
        self.set_creator("companion")
        #: Width of a word in thousandths of an em (the same at every size).
        self._word_units: dict[str, int] = {}
        #: Per font: character -> its escaped glyph code in the font subset.
        self._encodings: dict[int, tuple[dict[int, str], set[str]]] = {}
        self._fast = _fast_path_available(self)
        #: (page, baseline) of the first line printed since it was last set to None.
        self.first_line: tuple[int, float] | None = None

    def clean(self, value: str) -> str:
        if self.covered.issuperset(value):  # the usual case, at C speed
            return value
        result, replaced = printable(value, self.coverage)
        self.replaced = self.replaced or replaced
        return result

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=SMALL)
        self.set_text_color(*MUTED)
        baseline = self.y + 2.5 + 0.3 * self.font_size
        self._text_run(self.l_margin + self.c_margin, baseline, [self.clean(self.footer_line)], 5)
        number = str(self.page_no())
        right = self.w - self.r_margin - self.c_margin - self.get_string_width(number)
        self._text_run(right, baseline, [number], 5)
        self.set_text_color(*INK)

    # --- the text fast path -------------------------------------------------

    def units(self, word: str) -> int:
        """The advance width of ``word`` in thousandths of an em."""
        found = self._word_units.get(word)
        if found is None:
            widths = self.current_font.cw
            found = self._word_units[word] = sum(widths[ord(ch)] for ch in word)
        return found

    def _encode(self, line: str) -> str:
        """``line`` as the escaped glyph codes of the current font's subset."""
        font = self.current_font
        table, known = self._encodings.setdefault(font.i, ({}, set()))
        if not known.issuperset(line):
            for ch in set(line) - known:
                mapped = font.subset.pick(ord(ch))
                table[ord(ch)] = "" if mapped is None else font.escape_text(chr(mapped))
                known.add(ch)
        return line.translate(table)

    def _text_run(self, x: float, baseline: float, lines: list[str], leading: float) -> None:
        """Print ``lines`` from (x, baseline), one every ``leading``, in one text object."""
        if not self._fast:
            for index, line in enumerate(lines):
                if line:
                    self.text(x, baseline + index * leading, line)
            return
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
        k = self.k
        parts = ["q"]
        if self.text_color != self.fill_color:
            parts.append(self.text_color.serialize().lower())
        parts.append(f"BT {x * k:.2f} {(self.h - baseline) * k:.2f} Td {leading * k:.2f} TL")
        if self.text_mode != TextMode.FILL:
            # as fpdf2 writes it for cells, so headings look the same as before
            parts.append(f"{int(self.text_mode)} Tr {self.line_width:.2f} w")
        parts.append(" T* ".join(f"({self._encode(line)}) Tj" for line in lines))
        parts.append("ET Q")
        self._out(" ".join(parts))

    def measure(self, word: str) -> int:
        """``units`` for a long word: measured once, not kept."""
        widths = self.current_font.cw
        return sum(widths.get(ord(ch), 0) for ch in word)

    def cut_long(self, word: str, limit: float) -> list[str]:
        """``word``, wider than the line, cut into pieces that each fit (the
        last may be short), in one pass: the running width of its characters
        is summed once and each cut found by bisection, so a word of a million
        characters costs about as much as a million characters of prose. (Cutting
        by re-measuring what is left after each cut took time and memory that
        grew with the square of the length.)"""
        widths = self.current_font.cw
        ends = list(accumulate(widths.get(ord(ch), 0) for ch in word))
        pieces: list[str] = []
        start, base = 0, 0
        while start < len(word):
            # the longest piece from ``start`` that fits; at least one character
            stop = max(start + 1, bisect_right(ends, base + limit, lo=start))
            pieces.append(word[start:stop])
            base = ends[stop - 1]
            start = stop
        return pieces

    def wrap(self, value: str, width: float) -> list[str]:
        """Greedy word wrap in linear time, measured with cached word widths."""
        limit = width * self.k / (self.font_size_pt * 0.001)  # in thousandths of an em
        w = self.units
        space = w(" ")
        out: list[str] = []
        for paragraph in value.replace("\t", "    ").split("\n"):
            line: list[str] = []
            used = 0
            for word in paragraph.split(" "):
                size = w(word) if len(word) < LONG_WORD else self.measure(word)
                if size > limit:  # a word longer than the line
                    if line:
                        out.append(" ".join(line))
                        line, used = [], 0
                    *full, word = self.cut_long(word, limit)
                    out.extend(full)
                    size = w(word) if len(word) < LONG_WORD else self.measure(word)
                extra = size + (space if line else 0)
                if line and used + extra > limit:
                    out.append(" ".join(line))
                    line, used = [word], size
                else:
                    line.append(word)
                    used += extra
            out.append(" ".join(line))
        return out

    def lines(self, value: str, height: float, indent: float = 0.0, right: float = 0.0) -> None:
        """Wrap ``value`` to the column and print it, breaking pages between lines;
        ``right`` keeps room free at the right (for a page number)."""
        left = self.l_margin + indent + self.c_margin
        width = self.w - self.r_margin - self.c_margin - left - right
        wrapped = self.wrap(value, width)
        baseline = 0.5 * height + 0.3 * self.font_size  # where fpdf2's cells put it
        start = 0
        while start < len(wrapped):
            if self.will_page_break(height):
                self.add_page()
            if start == 0 and self.first_line is None:
                self.first_line = (self.page, self.y + baseline)
            room = int((self.page_break_trigger - self.y) / height + 1e-9)
            end = min(len(wrapped), start + max(1, room))
            self._text_run(left, self.y + baseline, wrapped[start:end], height)
            self.y += (end - start) * height
            start = end
        self.x = self.l_margin

    # --- building blocks --------------------------------------------------

    def heading(self, value: str, size: float, space: float = 3.0, colour=INK) -> None:
        if self.will_page_break(size * 0.6 + space + 3 * LINE):
            self.add_page()
        self.ln(space)
        self.set_font(FAMILY, size=size)
        self.set_text_color(*colour)
        self.text_mode = TextMode.FILL_STROKE  # a gentle bold: the font is one weight
        self.set_draw_color(*colour)
        self.set_line_width(size * 0.012)
        self.lines(self.clean(value), size * 0.5)
        self.text_mode = TextMode.FILL
        self.set_text_color(*INK)
        self.set_font(FAMILY, size=BODY)
        self.ln(1)

    def para(self, value: str, *, size: float = BODY, colour=INK, indent: float = 0.0,
             right: float = 0.0, check: bool = True) -> None:
        self.set_font(FAMILY, size=size)
        self.set_text_color(*colour)
        self.lines(self.clean(value), LINE * size / BODY, indent, right)
        self.set_text_color(*INK)
        self.set_font(FAMILY, size=BODY)
        if check:
            self.missing_here(value, indent)

    def missing_here(self, value: str, indent: float = 0.0) -> None:
        """Under a text with a character the font lacks: a note saying so, there."""
        if not self.covered.issuperset(value) and printable(value, self.coverage)[1]:
            self.para(text.REPORT_MISSING_GLYPH_HERE, colour=MUTED, size=SMALL, indent=indent, check=False)

    def bullet(self, value: str, right: float = 0.0) -> None:
        if self.will_page_break(LINE):
            self.add_page()  # the bullet stays with its first line
        left = self.l_margin + 2 + self.c_margin
        self._text_run(left, self.y + 0.5 * LINE + 0.3 * self.font_size, ["•"], LINE)
        self.lines(self.clean(value), LINE, 6, right)
        self.missing_here(value, 6)

    def entry(self, e: EntryView) -> None:
        if e.heading:
            self.para(e.heading, colour=MUTED, size=BODY - 1)
        meta = [f"#{t}" for t in e.tags] + ([f"({text.REPORT_PRIVATE})"] if e.private else [])
        if meta:
            self.para(" ".join(meta), colour=MUTED, size=SMALL)
        top = self.get_y()
        page = self.page_no()
        self.set_text_color(*INK)
        self.lines(self.clean(e.text or " "), LINE, 4)
        if self.page_no() == page:
            self.set_draw_color(190, 190, 190)
            self.set_line_width(0.6)
            self.line(self.l_margin + 1, top + 0.5, self.l_margin + 1, self.get_y() - 0.5)
        self.missing_here(e.text, 4)
        self.ln(1.5)

    def alert(self, value: str, right: float = 0.0) -> None:
        self.set_draw_color(*ALERT)
        self.set_text_color(*ALERT)
        self.set_line_width(0.5)
        self.text_mode = TextMode.FILL_STROKE
        self.set_line_width(0.12)
        if self.will_page_break(2 * LINE + 4):
            self.add_page()
        if self.first_line is None:
            self.first_line = (self.page, self.y + 2 + 0.5 * (LINE + 0.6) + 0.3 * self.font_size)
        self.multi_cell(self.w - self.l_margin - self.r_margin - right, LINE + 0.6, self.clean(value),
                        border=1, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.text_mode = TextMode.FILL
        self.set_text_color(*INK)
        self.missing_here(value)
        self.ln(1.5)

    def table_block(self, header: list[str], rows: list[list[str]]) -> None:
        """A table of short cells: the first column as wide as its widest cell,
        the others equal; the header wraps and comes again on each new page."""
        width = self.w - self.l_margin - self.r_margin
        self.set_font(FAMILY, size=BODY - 1)
        first = max([16.0] + [self.get_string_width(self.clean(row[0])) + 2 * self.c_margin + 1
                              for row in rows if row])
        rest = (width - first) / max(1, len(header) - 1)
        widths = [first] + [rest] * (len(header) - 1)
        self.set_font(FAMILY, size=SMALL - 1)
        heads = [self.wrap(self.clean(h), w - 2 * self.c_margin) for w, h in zip(widths, header)]
        step = 3.2
        head_height = max(len(lines) for lines in heads) * step + 1.4

        def draw_header() -> None:
            self.set_font(FAMILY, size=SMALL - 1)
            self.set_text_color(*MUTED)
            x, top = self.l_margin, self.y
            for w, lines in zip(widths, heads):
                self.rect(x, top, w, head_height)
                self._text_run(x + self.c_margin, top + 0.7 + 0.75 * step, lines, step)
                x += w
            self.y = top + head_height
            self.set_font(FAMILY, size=BODY - 1)
            self.set_text_color(*INK)

        if self.will_page_break(head_height + LINE * 2):
            self.add_page()
        self.set_draw_color(190, 190, 190)
        self.set_line_width(0.2)
        draw_header()
        for row in rows:
            if self.will_page_break(LINE):
                self.add_page()
                self.set_draw_color(190, 190, 190)
                draw_header()
            for i, (w, c) in enumerate(zip(widths, row)):
                number = i > 0 and c.lstrip("+-–").replace(".", "", 1).isdigit() or c == "–"
                self.cell(w, LINE, self.clean(c), border=1, align="R" if number else "L")
            self.ln(LINE)
        self.set_font(FAMILY, size=BODY)
        self.ln(1.5)

    def marker(self, shape: str, x: float, y: float, r: float) -> None:
        """A filled marker centred on (x, y), in the fill colour, with a thin white
        edge so a marker on a line or on another marker stays whole."""
        corners = charting.marker_outline(shape, x, y, r)
        self.set_draw_color(255, 255, 255)
        self.set_line_width(0.25)
        if corners is None:
            self.circle(x, y, r, style="FD")
        else:
            self.polygon(corners, style="FD")

    def chart(self, chart: charting.Plot) -> None:
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
        widest = max((self.get_string_width(label) for label in chart.x_labels), default=0.0)
        every = chart.label_every(max(2, min(16, int(w // (widest + 3)))))  # labels never touch
        last_right = -1e9
        for i, label in enumerate(chart.x_labels):
            x = left + chart.x(i, w)
            lw = self.get_string_width(label)
            start = min(max(x - lw / 2, left - 4), left + w + 2 - lw)
            if (chart.xs is None and i % every == 0) or (chart.xs is not None and start > last_right + 2):
                self.text(start, top + height + 5, self.clean(label))
                last_right = start + lw
        for pos, label in chart.marks:  # the infusions, dashed, under the data
            x = left + pos * w
            self.set_draw_color(170, 170, 170)
            self.set_dash_pattern(dash=0.8, gap=0.8)
            self.line(x, top, x, top + height)
            self.set_dash_pattern()
            self.text(x + 0.8, top + 2.6, self.clean(label))
        for s in chart.series:
            colour = PALETTE[s.colour % len(PALETTE)]
            self.set_draw_color(*colour)
            self.set_line_width(0.6)
            for run in chart.points(s, w, height):
                if len(run) > 1:
                    self.polyline([(left + x, top + y) for x, y in run])
        self.set_font(FAMILY, size=SMALL)
        labels = charting.point_labels(chart, w, height, line=3.2)
        for lb in labels:  # markers over every line, values over every marker
            s = chart.series[lb.series]
            self.set_fill_color(*PALETTE[s.colour % len(PALETTE)])
            self.marker(s.marker, left + lb.x, top + lb.y, 1.4 * lb.scale)
        for lb in labels:
            self.set_text_color(*PALETTE[chart.series[lb.series].colour % len(PALETTE)])
            lw = self.get_string_width(lb.text)
            x = left + lb.x + (1.9 if lb.align == "start" else -1.9 - lw)
            self.text(x, top + lb.label_y, lb.text)
        self.set_text_color(*MUTED)
        legend_y = top + height + 11
        x = left
        for s in chart.series:
            self.set_fill_color(*PALETTE[s.colour % len(PALETTE)])
            self.marker(s.marker, x + 1.5, legend_y - 1.1, 1.5)
            self.text(x + 4.5, legend_y, s.name)
            x += 8 + self.get_string_width(s.name)
        if chart.marks:
            self.set_draw_color(170, 170, 170)
            self.set_dash_pattern(dash=0.8, gap=0.8)
            self.line(x + 1.5, legend_y - 2.8, x + 1.5, legend_y + 0.6)
            self.set_dash_pattern()
            self.text(x + 4.5, legend_y, self.clean(text.REPORT_CHART_INFUSIONS))
        self.set_text_color(*INK)
        self.set_y(legend_y + 4)


class _Steps:
    """Counts the parts of the report done and tells ``progress`` at each whole per cent."""

    def __init__(self, total: int, progress: Callable[[float], None] | None) -> None:
        self.total = max(1, total)
        self.progress = progress
        self.done = 0
        self.told = -1

    def step(self, n: int = 1) -> None:
        self.done += n
        percent = min(100, self.done * 100 // self.total)
        if self.progress is not None and percent > self.told:
            self.told = percent
            self.progress(percent / 100)


class _Links:
    """Internal links from the summary to the sections with the detail, and
    the page each is on: the number goes in a column kept free at the right
    of the summary line and is written once the section's page is known
    (the summary comes first, like a table of contents)."""

    def __init__(self, pdf: "ReportPDF") -> None:
        self.pdf = pdf
        self.by_anchor: dict[str, int] = {}
        #: anchor -> the page its section starts on
        self.pages: dict[str, int] = {}
        #: (anchor, page, baseline) of each summary line's page number
        self.slots: list[tuple[str, int, float]] = []

    def to(self, ref: Ref | None, top: float, page: int) -> None:
        """Make what was drawn since (``page``, ``top``) a link to ``ref``, its page
        number beside its first line (``first_line``: reset before drawing)."""
        pdf = self.pdf
        first, pdf.first_line = pdf.first_line, None
        if ref is None:
            return
        link = self.by_anchor.setdefault(ref.anchor, pdf.add_link())
        if first is not None and first[0] != page:  # it began on the next page
            page, top = first[0], pdf.t_margin
        if pdf.page_no() == page:
            width = pdf.w - pdf.l_margin - pdf.r_margin
            pdf.link(pdf.l_margin, top, width, pdf.get_y() - top, link)
        if first is not None:
            self.slots.append((ref.anchor, *first))

    def here(self, anchor: str, top: float) -> None:
        if not anchor:
            return
        self.pages[anchor] = self.pdf.page_no()
        link = self.by_anchor.get(anchor)
        if link is not None:
            self.pdf.set_link(link, y=max(0.0, top), page=self.pdf.page_no())

    def fill(self) -> None:
        """Write each summary line's page number, now that every section has one."""
        pdf = self.pdf
        here = pdf.page
        pdf.set_font(FAMILY, size=SMALL)
        pdf.set_text_color(*MUTED)
        for anchor, page, baseline in self.slots:
            number = self.pages.get(anchor)
            if number is None:
                continue
            label = text.REPORT_SEE_PAGE.format(page=number)
            pdf.page = page  # back to the summary's page, as fpdf2 does for a table of contents
            pdf.current_font_is_set_on_page = False
            pdf._text_run(pdf.w - pdf.r_margin - pdf.c_margin - pdf.get_string_width(label),
                          baseline, [label], LINE)
        pdf.page = here
        pdf.current_font_is_set_on_page = False
        pdf.set_font(FAMILY, size=BODY)
        pdf.set_text_color(*INK)


#: Room kept at the right of a summary line for "page 12".
PAGE_COLUMN = 16.0
HEADINGS = {1: (17, 0.0, INK), 2: (14, 4.0, INK), 3: (11.5, 3.0, INK), 4: (10.5, 1.5, MUTED)}


def _with_see(value: str, ref: Ref | None) -> str:
    return value + (f" ({see(ref)})" if ref else "")


def render_blocks(pdf: "ReportPDF", blocks: list[Block], links: _Links, steps: "_Steps") -> None:
    for bl in blocks:
        top, page = pdf.get_y(), pdf.page_no()
        pdf.first_line = None
        if not isinstance(bl, Section):
            steps.step()
        if isinstance(bl, Section):
            if bl.new_page and pdf.get_y() > pdf.t_margin + 1:
                pdf.add_page()
            elif bl.anchor:
                pdf.ln(2)
            render_blocks(pdf, bl.blocks[:1], links, steps)
            links.here(bl.anchor, pdf.get_y() - 10)
            render_blocks(pdf, bl.blocks[1:], links, steps)
        elif isinstance(bl, Heading):
            size, space, colour = HEADINGS.get(bl.level, HEADINGS[4])
            pdf.heading(bl.full, size, space=space if pdf.get_y() > pdf.t_margin + 1 else 0.0, colour=colour)
            links.here(bl.anchor, pdf.get_y() - 10)
        elif isinstance(bl, Paragraph):
            pdf.para(_with_see(bl.text, bl.ref), colour=MUTED if bl.muted else INK,
                     right=PAGE_COLUMN if bl.ref else 0.0)
            links.to(bl.ref, top, page)
        elif isinstance(bl, Alert):
            pdf.alert(_with_see(bl.text, bl.ref), right=PAGE_COLUMN if bl.ref else 0.0)
            links.to(bl.ref, top, page)
        elif isinstance(bl, Bullets):
            for line, ref in bl.items:
                top, page = pdf.get_y(), pdf.page_no()
                pdf.first_line = None
                pdf.bullet(_with_see(line, ref), right=PAGE_COLUMN if ref else 0.0)
                links.to(ref, top, page)
        elif isinstance(bl, Table):
            if bl.widths:  # a column of long text: a line per row reads better on A4
                for row in bl.rows:
                    pdf.bullet("  ".join(row[:-1]) + f": {row[-1]}")
            else:
                pdf.table_block(bl.header, bl.rows)
            if bl.ref:
                top, page = pdf.get_y(), pdf.page_no()
                pdf.first_line = None
                pdf.para(f"({see(bl.ref)})", colour=MUTED, size=SMALL, right=PAGE_COLUMN)
                links.to(bl.ref, top, page)
        elif isinstance(bl, EntryText):
            pdf.entry(bl.entry)
        elif isinstance(bl, Figure):
            pdf.chart(bl.figure)


def render_view(view: ReportView, progress: Callable[[float], None] | None = None,
                password: str | None = None) -> bytes:
    blocks = report_blocks(view)
    # Rendering the blocks is most of the work; the file itself is about a tenth.
    parts = sum(1 for b in walk(blocks) if not isinstance(b, Section))
    steps = _Steps(parts + max(1, parts // 10) + 1, progress)
    pdf = ReportPDF(view.footer)
    pdf.add_page()
    links = _Links(pdf)
    render_blocks(pdf, blocks, links, steps)
    if pdf.replaced:
        pdf.ln(4)
        pdf.para(text.REPORT_MISSING_GLYPH, colour=MUTED, size=SMALL)
    links.fill()
    if password:
        # AES-256 (PDF 2.0): the file opens only with this password.
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(owner_password=password, user_password=password,
                           encryption_method=EncryptionMethod.AES_256)
    data = bytes(pdf.output())
    steps.step(steps.total)
    return data


def render(report: Report, progress: Callable[[float], None] | None = None,
           password: str | None = None) -> bytes:
    return render_view(build_view(report), progress, password)
