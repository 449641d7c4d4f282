"""Each format carries what the therapist needs; files are written safely."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat

import pytest
from pypdf import PdfReader

from companion.export import EXPORTERS, ExportProblem, FileExists, export, get
from companion.export.selection import Selection, build_report


def _render(store, fmt, **choices) -> bytes:
    return get(fmt).render(build_report(store, Selection(**choices)))


def test_markdown_has_each_infusion_with_urinary_symptoms_standing_out(filled):
    md = _render(filled, "md").decode()
    assert "## Infusion 1 of 6 in the initiation series: Monday 2 March 2026" in md
    assert "> Let go of the fear of the pain" in md
    assert "- before: pain 6, mood 4, anxiety 5" in md
    assert "**Urinary symptoms were reported after infusion 2.**" in md
    assert "Floating over a lake — ruhig, спокойно, 静か 🌊" in md
    assert "Something only for me" not in md


def test_the_report_says_about_urinary_symptoms_what_the_patient_was_told(filled):
    from companion.core import text

    told = text.URINARY_NOTICE
    assert "let your doctor know immediately" in told
    md = _render(filled, "md").decode()
    page = _render(filled, "html").decode()
    reader = PdfReader(io.BytesIO(_render(filled, "pdf")))
    pdf = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for report in (md, page, pdf):
        assert text.REPORT_URINARY_HEADING in report
        assert told in report
    assert "clinician" not in md and "tell your" not in md


def test_left_out_fields_are_absent_from_the_report(filled):
    md = _render(filled, "md", exclude_fields=frozenset({"side_effects", "therapy"})).decode()
    assert "Side effects" not in md and "Nausea" not in md
    assert "2026-03-03 15:30" not in md


def test_csv_one_row_per_record(filled):
    text = _render(filled, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["record"] for r in rows].count("rating") == 6
    first = rows[0]
    assert (first["infusion"], first["timing"], first["pain"]) == ("1", "before", "6")
    checkin = next(r for r in rows if r["record"] == "checkin")
    assert checkin["sleep"] == "good" and checkin["date"] == "2026-03-03"


def test_pdf_prints_the_report_and_survives_any_unicode(filled):
    filled.journal.add("Emoji 😀👨‍👩‍👧, Hebrew שלום, Chinese 你好, math ∑∫ and 𝄞", tags=["x"])
    data = _render(filled, "pdf")
    reader = PdfReader(io.BytesIO(data))
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert "Let go of the fear of the pain" in content
    assert "URINARY SYMPTOMS REPORTED" in content
    assert "Pain, mood and anxiety after each infusion" in content
    assert "Emoji" in content and "\ufffd" in content  # the placeholder is visible
    assert "font cannot show" in content


def test_html_is_self_contained(filled):
    page = _render(filled, "html").decode()
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "<svg" in page and "Let go of the fear of the pain" in page


def test_html_escapes_what_the_patient_wrote(store):
    store.journal.add("<script>alert(1)</script> & more")
    page = _render(store, "html").decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_written_file_is_private_and_logged_with_its_checksum(filled, tmp_path):
    target = tmp_path / "report.md"
    result = export(filled, Selection(), "md", target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert hashlib.sha256(target.read_bytes()).hexdigest() == result.sha256
    [logged] = filled.exports.all()
    assert (logged.format, logged.path, logged.sha256) == ("md", str(target), result.sha256)
    assert logged.counts["infusions"] == 3 and logged.records == result.report.records
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_existing_file_needs_force(filled, tmp_path):
    target = tmp_path / "report.json"
    target.write_text("keep me")
    with pytest.raises(FileExists):
        export(filled, Selection(), "json", target)
    assert target.read_text() == "keep me"
    export(filled, Selection(), "json", target, force=True)
    assert json.loads(target.read_text())["format"] == "companion-export"
    assert len(filled.exports.all()) == 1


def test_unwritable_places(filled, tmp_path):
    with pytest.raises(ExportProblem, match="does not exist"):
        export(filled, Selection(), "md", tmp_path / "missing" / "r.md")
    with pytest.raises(ExportProblem, match="is a folder"):
        export(filled, Selection(), "md", tmp_path)
    with pytest.raises(ExportProblem, match="unknown format"):
        get("docx")
    assert filled.exports.all() == []


def test_every_format_is_registered_by_name():
    assert set(EXPORTERS) == {"pdf", "html", "md", "json", "csv"}
    assert get("markdown").name == "md"


def test_pdf_prints_the_same_through_fpdf2s_public_text_call(filled, monkeypatch):
    """Without the fpdf2 internals the fast text path writes through, every
    line goes through ``FPDF.text`` and the report reads the same."""
    import companion.export.pdf as pdf_format

    def pages(data: bytes) -> list[str]:
        return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]

    fast = pages(_render(filled, "pdf"))
    monkeypatch.setattr(pdf_format, "_fast_path_available", lambda pdf: False)
    plain = pages(_render(filled, "pdf"))
    assert plain == fast
    assert "Let go of the fear of the pain" in " ".join(plain)


def test_each_report_says_whether_the_urinary_symptoms_were_marked_as_told(filled, clock):
    from datetime import datetime

    not_yet = "Not marked as told to the clinic yet."
    assert not_yet in _render(filled, "md").decode()
    clock.set(datetime(2026, 3, 9, 10, 0))
    [marked] = filled.sessions.mark_urinary_told()
    assert marked.number == 2

    told = "The patient marked it as told to the clinic on Monday 9 March 2026."
    md = _render(filled, "md").decode()
    assert told in md and not_yet not in md
    assert md.index("URINARY SYMPTOMS REPORTED") < md.index(told) < md.index("## Infusion 3 of 6")
    assert told in _render(filled, "html").decode()
    pdf = PdfReader(io.BytesIO(_render(filled, "pdf")))
    assert "told to the clinic on Monday 9 March 2026" in "\n".join(
        p.extract_text() for p in pdf.pages)
    rows = json.loads(_render(filled, "json"))["tables"]["infusions"]
    assert [r["urinary_told_at"] for r in rows] == [None, clock.now().isoformat(timespec="seconds"), None]

    left_out = frozenset({"side_effects"})
    assert "marked it as told" not in _render(filled, "md", exclude_fields=left_out).decode()
    rows = json.loads(_render(filled, "json", exclude_fields=left_out))["tables"]["infusions"]
    assert all("urinary_told_at" not in r for r in rows)


def test_a_pdf_of_one_unbroken_megabyte_has_all_of_it(tmp_path):
    """1 MB without a space (issue 12: it took 24 GB before the kernel killed
    the export). Rendered in a child process held to 2 GB of memory, so that
    a regression fails here instead of taking the machine's memory; the PDF
    opens with pypdf and carries every character, in order."""
    import resource
    import subprocess
    import sys

    from companion.export.view import build_view
    from tests.benchmarks.long_text_pdf import report, unbroken

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    out = tmp_path / "long.pdf"
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks.long_text_pdf", "word", "1000000",
                           str(out)], preexec_fn=limited, timeout=600, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]  # MemoryError: the cost grew with the square
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    # The footer of each page (and its number) comes between the pieces of the line.
    footer = "".join(build_view(report("word", 1_000_000)).footer.split())
    body = "".join("".join(page.extract_text().split()).replace(f"{footer}{number}", "")
                   for number, page in enumerate(reader.pages, 1))
    assert f"before{unbroken(1_000_000)}after" in body
    assert len(reader.pages) > 100
