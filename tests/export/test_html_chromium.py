"""The HTML report as a browser shows and prints it (headless Chromium, offline)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from companion.export import export
from companion.export.selection import Selection

BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(n)), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="Chromium is not installed here (.ci/run installs it on Debian)"
)


def _chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", *args],
        capture_output=True, timeout=120, check=False,
    )


def test_chromium_prints_the_report(filled, tmp_path):
    page = tmp_path / "report.html"
    export(filled, Selection(), "html", page)
    printed = tmp_path / "printed.pdf"
    done = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={printed}",
                     page.as_uri())
    assert printed.exists(), done.stderr.decode(errors="replace")[-2000:]
    reader = PdfReader(io.BytesIO(printed.read_bytes()))
    shown = "\n".join(p.extract_text() for p in reader.pages)
    assert "Infusion journal: shared with my therapist" in shown
    assert "Urinary symptoms were reported after infusion 2." in shown
    assert "Let go of the fear of the pain" in shown
    assert "Pain, mood and anxiety after each infusion" in shown
    assert "Something only for me" not in shown
    assert len(reader.pages) >= 3  # the summary, the detail, the charts


def test_printed_html_gives_the_pdf_pages(filled, tmp_path):
    """Printed, the HTML has the PDF's pages: as many, the summary alone on
    page one, the detail from page two, the charts on a page of their own."""
    from companion.core import text

    page, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    export(filled, Selection(), "html", page)
    export(filled, Selection(), "pdf", pdf)
    printed = tmp_path / "printed.pdf"
    done = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri())
    assert printed.exists(), done.stderr.decode(errors="replace")[-2000:]

    def firsts(data: bytes) -> list[str]:
        pages = PdfReader(io.BytesIO(data)).pages
        return [" ".join(p.extract_text().split())[:60] for p in pages]

    html_pages, pdf_pages = firsts(printed.read_bytes()), firsts(pdf.read_bytes())
    assert len(html_pages) == len(pdf_pages)
    for pages in (html_pages, pdf_pages):
        assert pages[0].startswith("Infusion journal: shared with my therapist")
        assert pages[1].startswith(text.REPORT_SELECTION)
        assert any(p.startswith(text.REPORT_TRENDS) for p in pages[2:])


def test_chromium_prints_the_summary_first_and_the_newest_infusion_first(filled, tmp_path):
    from companion.core import text

    page = tmp_path / "report.html"
    export(filled, Selection(), "html", page)
    printed = tmp_path / "printed.pdf"
    done = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri())
    assert printed.exists(), done.stderr.decode(errors="replace")[-2000:]
    reader = PdfReader(io.BytesIO(printed.read_bytes()))
    body = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    summary = body.index(text.REPORT_SUMMARY_BRING)
    assert summary < body.index("The image of my grandmother")
    assert "Summary" in " ".join(reader.pages[0].extract_text().split())
    heads = [body.index(f"Infusion {n} of 6 in the initiation series: ") for n in (3, 2, 1)]
    assert summary < heads[0] < heads[1] < heads[2]
