"""The report opens on the summary; the infusions follow newest first; the three
readable formats say the same in the same order (one outline)."""

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
def therapy(filled, clock):
    """``filled`` (three infusions; 1 answered "therapist", 2 had urinary symptoms)
    with a free entry for therapy, a fourth infusion and two FIQRs."""
    clock.advance(days=1)
    filled.journal.add("Ask about the anger that came up", prompt="between.therapist")
    fiqr(filled, 7)
    clock.advance(days=2)
    infusion(filled, clock, pre=(7, 3, 6), post=(4, 5, 3),
             journal={"therapist": "The silence after the music"}, effects={"nausea": True})
    fiqr(filled, 4)
    return filled


def _text(store, fmt: str, **choices) -> str:
    data = get(fmt).render(build_report(store, Selection(**choices)))
    if fmt == "pdf":
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    if fmt == "html":
        return " ".join(re.sub(r"<[^>]+>", " ", data.decode()).split())
    return " ".join(data.decode().replace("#", " ").replace("*", " ").split())


def _at(body: str, needle: str) -> int:
    assert needle in body, needle
    return body.index(needle)


@pytest.mark.parametrize("fmt", ["pdf", "html", "md"])
def test_the_report_opens_on_the_summary_then_the_newest_infusion(therapy, fmt):
    body = _text(therapy, fmt)
    summary = _at(body, text.REPORT_SUMMARY_BRING)
    first_infusion = body.index("Infusion 4 of 6 in the initiation series: ")
    assert summary < first_infusion
    # The infusions' own sections: the newest first.
    sections = [m.start() for m in re.finditer(r"Infusion \d of 6 in the initiation series: \w+day", body)]
    numbers = [int(body[s + len("Infusion ")]) for s in sections]
    assert numbers == [4, 3, 2, 1]
    assert sections[0] > summary


@pytest.mark.parametrize("fmt", ["pdf", "html", "md"])
def test_the_summary_gathers_what_to_bring_to_therapy_newest_first(therapy, fmt):
    body = _text(therapy, fmt)
    start = _at(body, text.REPORT_SUMMARY_BRING)
    end = body.index("Infusion 4 of 6 in the initiation series: ")
    summary = body[start:end]
    newest = summary.index("The silence after the music")
    between = summary.index("Ask about the anger that came up")
    oldest = summary.index("The image of my grandmother")
    assert newest < between < oldest
    # Each line says where its detail is.
    assert "see Infusion 1 of 6" in summary.replace("(", "")
    assert f"see {text.REPORT_NOTES}" in summary


@pytest.mark.parametrize("fmt", ["pdf", "html", "md"])
def test_the_summary_puts_urinary_symptoms_first_with_whether_told(therapy, fmt):
    summary = _text(therapy, fmt).split(text.REPORT_SELECTION)[0]
    effects = summary[_at(summary, f"{text.REPORT_SIDE_EFFECTS} "):]
    urinary = _at(effects, text.REPORT_URINARY_HEADING)
    assert urinary < effects.index("Nausea")
    assert text.REPORT_URINARY_NOT_TOLD in effects[urinary:]


@pytest.mark.parametrize("fmt", ["pdf", "html", "md"])
def test_the_summary_tables_the_ratings_and_weighs_the_fiqr_change(therapy, fmt):
    summary = _text(therapy, fmt).split(text.REPORT_SELECTION)[0]
    _at(summary, text.REPORT_SUMMARY_RATINGS)
    # Infusion 4: pain 7 -> 4 is a change of -3; infusion 1: 6 -> 3.
    assert re.search(r"\b4\s*\|?\s*7\s*\|?\s*4\s*\|?\s*-3\b", summary), summary
    # The FIQR fell from 70.0 to 40.0: more than max(14% of 70, 8) = 9.8 points.
    assert "40.0" in summary and "70.0" in summary and "-30.0" in summary
    assert "9.8 points" in summary and "this fall is that large" in summary


def test_the_oldest_first_choice_reverses_the_infusions(therapy):
    body = _text(therapy, "md", oldest_first=True)
    sections = [int(m.group(1)) for m in
                re.finditer(r"Infusion (\d) of 6 in the initiation series: \w+day", body)]
    assert sections == [1, 2, 3, 4]
    # The summary still gathers newest first.
    assert body.index("The silence after the music") < body.index("The image of my grandmother")


def test_the_cli_writes_newest_first_or_oldest_first(paths, clock, tmp_path):
    from companion.cli import main
    from companion.store import Store
    from tests.export.builders import history

    store = Store.open(paths.database, clock)
    try:
        history(store, clock)
    finally:
        store.close()
    for flags, expected in (([], [3, 2, 1]), (["--oldest-first"], [1, 2, 3])):
        target = tmp_path / f"r{len(flags)}.md"
        assert main(["export", "--out", str(target), *flags]) == 0
        body = target.read_text()
        found = [int(m.group(1)) for m in re.finditer(r"## Infusion (\d) of 6", body)]
        assert found == expected


def test_charts_keep_one_look_per_meaning_and_label_every_point(therapy):
    from companion.export.charts import charts
    from companion.export.html import svg_chart
    from companion.export.view import build_view

    found = charts(build_view(build_report(therapy, Selection())))
    looks: dict[str, set[tuple[int, str]]] = {}
    for chart in found:
        for s in chart.series:
            looks.setdefault(s.name, set()).add((s.colour, s.marker))
        # Within a chart no two series look alike, even in greyscale (the marker differs).
        assert len({s.marker for s in chart.series}) == len(chart.series)
    assert all(len(v) == 1 for v in looks.values()), looks
    fiqr = next(c for c in found if c.title == text.REPORT_TREND_SCORES)
    # A real time axis from the first infusion: both FIQRs come after infusion 3,
    # the second on the day of infusion 4, at the right end.
    assert [label for _pos, label in fiqr.marks] == ["1", "2", "3", "4"]
    marks = [pos for pos, _label in fiqr.marks]
    assert marks[0] == 0.0 and fiqr.xs is not None
    assert marks[2] < fiqr.xs[0] < marks[3] and fiqr.xs[1] == marks[3] == 1.0
    svg = svg_chart(fiqr)
    for value in ("70", "40"):
        assert f">{value}</text>" in svg


def test_a_character_the_pdf_font_lacks_is_noted_where_it_occurs(therapy):
    body = _text(therapy, "pdf")
    # Infusion 1's journal holds a wave emoji; the note follows that entry,
    # inside infusion 1, before the free journal entries.
    entry = _at(body, "Floating over a lake")
    note = _at(body, text.REPORT_MISSING_GLYPH_HERE)
    assert entry < note < body.index(text.REPORT_NOTES, entry)
    assert body.count(text.REPORT_MISSING_GLYPH_HERE) == 1
