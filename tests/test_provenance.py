"""Every activity says where it was printed: page, table, row, and for PDFs (text layer and
scans) the row's box on its page — the evidence an auditor cites. The box is checked against
the page itself: the text pdfplumber finds inside it is the activity's."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TEXT_PDFS = sorted((FIXTURES / "orders").glob("*.pdf")) + sorted((FIXTURES / "blind3").glob("*.pdf"))


def _words(text: str) -> list[str]:
    return re.findall(r"[А-Яа-яЁёA-Za-z]{4,}", text.lower())


@pytest.mark.slow
@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.name)
def test_pdf_row_boxes_hold_their_activity(path):
    import pdfplumber

    from pipeline.extract import extract

    doc = extract(path)
    with pdfplumber.open(str(path)) as pdf:
        for activity in doc.activities:
            source = activity.source
            assert source.page and source.bbox, f"{path.name} row {source.row}: no page or box"
            page = pdf.pages[source.page - 1]
            x0, top, x1, bottom = source.bbox
            assert 0 <= x0 < x1 <= page.width + 1 and 0 <= top < bottom <= page.height + 1
            inside = " ".join(page.crop((max(0, x0 - 1), max(0, top - 1), min(page.width, x1 + 1),
                                         min(page.height, bottom + 1))).extract_text().split())
            first = _words(activity.text)[:2]  # the cell's first line: a row cut by a page goes on overleaf
            assert first and all(w in inside.lower() for w in first), (
                f"{path.name} row {source.row}: {first} not in the box's text {inside[:120]!r}")


def test_docx_rows_have_no_box():
    from pipeline.extract import extract

    doc = extract(FIXTURES / "orders" / "samara-cu-2021.docx")
    assert all(a.source.bbox is None and a.source.page is None and a.source.row > 0 for a in doc.activities)


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed (Debian: tesseract-ocr tesseract-ocr-rus)")
def test_scan_rows_have_boxes_on_their_page():
    from pipeline.extract import extract

    doc = extract(FIXTURES / "scans" / "tyumen-oblast-2022.scan.pdf")
    assert doc.source.ocr
    for activity in doc.activities:
        x0, top, x1, bottom = activity.source.bbox
        assert activity.source.page and 0 <= x0 < x1 and 0 <= top < bottom < 1200
