"""Every line of the summary points to where its detail is: the page in the PDF,
a link to the section in the HTML and the Markdown."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from companion.core import text
from companion.export import get
from companion.export.selection import Selection, build_report
from tests.export.builders import fiqr, infusion


@pytest.fixture
def long_report(filled, clock):
    """``filled`` with a fourth infusion, a free entry for therapy, two FIQRs and
    a month of check-ins: enough for the sections to spread over several pages."""
    clock.advance(days=1)
    filled.journal.add("Ask about the anger that came up", prompt="between.therapist")
    fiqr(filled, 7)
    clock.advance(days=2)
    infusion(filled, clock, pre=(7, 3, 6), post=(4, 5, 3),
             journal={"therapist": "The silence after the music", "experience": "Long " * 600},
             effects={"nausea": True})
    fiqr(filled, 4)
    for day in range(30):
        clock.advance(days=1)
        filled.checkins.save(clock.now().date().isoformat(),
                             {"exercise": "light", "sleep": "good" if day % 2 else "poor"})
    return filled


def _render(store, fmt: str) -> bytes:
    return get(fmt).render(build_report(store, Selection()))


def _page_numbers_on(page) -> list[tuple[float, int]]:
    """(height on the page, number) of every "page N" printed on ``page``."""
    found: list[tuple[float, int]] = []

    def visit(value, _cm, tm, _font, _size):
        match = re.fullmatch(r"page (\d+)", value.strip())
        if match:
            found.append((tm[5], int(match.group(1))))

    page.extract_text(visitor_text=visit)
    return found


def test_the_pdf_summary_gives_the_page_of_each_detail(long_report):
    reader = PdfReader(io.BytesIO(_render(long_report, "pdf")))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]

    def first_page_with(needle: str, after: int = 1) -> int:
        return next(n for n, body in enumerate(pages, 1) if n > after and needle in body)

    summary = reader.pages[0]
    numbers = _page_numbers_on(summary)
    assert len(numbers) >= 8
    # Each link on the summary page goes to the page its line names.
    links = [a.get_object() for a in summary["/Annots"]]
    assert len(links) == len(numbers)
    page_of = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, 1)}
    for link in links:
        bottom, top = link["/Rect"][1], link["/Rect"][3]
        [printed] = [n for y, n in numbers if bottom <= y <= top]
        assert page_of[link["/Dest"][0].idnum] == printed
    # And that page holds the section: the lines, read as the therapist would.
    layout = summary.extract_text(extraction_mode="layout").splitlines()

    def printed_beside(needle: str) -> int:
        [line] = [line for line in layout if needle in line]
        return int(re.search(r"page (\d+)\s*$", line).group(1))

    assert printed_beside("The image of my grandmother") == first_page_with(
        "Infusion 1 of 6 in the initiation series: ")
    assert printed_beside("The silence after the music") == first_page_with(
        "Infusion 4 of 6 in the initiation series: ")
    assert printed_beside("Ask about the anger") == first_page_with(text.REPORT_NOTES)
    assert printed_beside("FIQR total 40.0") == first_page_with(text.REPORT_SCORES_NOTE[:40])
    assert printed_beside("Sleep last night: held") == first_page_with(text.REPORT_CHECKINS)
    # The sections really are spread out: not every detail is on page 2.
    assert len({n for _y, n in numbers}) >= 3


def test_the_html_summary_links_to_each_section(long_report):
    page = _render(long_report, "html").decode()
    summary = page[page.index('id="summary"'):page.index(text.REPORT_SELECTION)]
    targets = re.findall(r'<a class="see" href="#([\w-]+)">\(see ([^)]+)\)</a>', summary)
    assert len(targets) >= 8
    for anchor, name in targets:
        start = page.index(f'id="{anchor}"')
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", page[start:]).group(1)
        shown = re.sub(r"<[^>]+>", "", heading)
        if name != text.REPORT_SUMMARY_RATINGS_WHERE:
            assert shown.startswith(name), (anchor, name, shown)


def test_the_markdown_summary_links_to_each_section(long_report):
    md = _render(long_report, "md").decode()
    summary = md[:md.index(f"## {text.REPORT_SELECTION}")]
    targets = re.findall(r"\(\[see ([^\]]+)\]\(#([\w-]+)\)\)", summary)
    assert len(targets) >= 8
    for name, anchor in targets:
        found = md.index(f'<a id="{anchor}"></a>')
        heading = next(line for line in md[found:].splitlines() if line.startswith("## "))
        if name != text.REPORT_SUMMARY_RATINGS_WHERE:
            assert heading[3:].startswith(name), (anchor, name, heading)
    assert ("Infusion 1 of 6", "infusion-1") in targets


def test_a_missing_character_in_a_listed_line_is_noted_under_that_line(store, clock):
    """Not only in journal entries: a side effect the patient typed with an emoji
    gets the note right under it, inside its infusion, and the summary line too."""
    inf = infusion(store, clock, effects={"other": True})
    store.sessions.save_side_effects(inf.id, {"other": True}, other="Dizzy 😵 for an hour")
    clock.advance(days=2)
    infusion(store, clock)
    reader = PdfReader(io.BytesIO(_render(store, "pdf")))
    body = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    first = body.index("Infusion 1 of 6 in the initiation series: ")
    listed = body.index("Dizzy", first)
    note = body.index(text.REPORT_MISSING_GLYPH_HERE, listed)
    assert note - listed < len("Dizzy \ufffd for an hour") + 5  # right under it
    assert body.count(text.REPORT_MISSING_GLYPH_HERE) == 2  # the summary's line and the infusion's
