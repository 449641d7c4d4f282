"""One outline, three renderers: the PDF, the HTML and the Markdown carry the
same headings in the same order, because they render the same blocks."""

from __future__ import annotations

import io
import re
from html import unescape

from pypdf import PdfReader

from companion.export import get
from companion.export.outline import Heading, report_blocks, walk
from companion.export.selection import Selection, build_report
from companion.export.view import build_view
from tests.export.builders import scored_history


def test_the_three_formats_show_the_outlines_headings_in_its_order(store, clock):
    scored_history(store, clock)
    store.journal.add("A free entry", tags=["sleep"])
    report = build_report(store, Selection())
    headings = [b.full for b in walk(report_blocks(build_view(report))) if isinstance(b, Heading)]
    assert len(headings) > 20

    md = get("md").render(report).decode()
    in_md = [line.lstrip("#").strip() for line in md.splitlines() if re.match(r"#{1,4} ", line)]
    assert in_md == headings

    page = get("html").render(report).decode()
    in_html = [unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", page)]
    assert in_html == headings

    pdf = PdfReader(io.BytesIO(get("pdf").render(report)))
    body = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    at = 0
    for heading in headings:  # each found after the one before
        at = body.index(" ".join(heading.split()), at)
