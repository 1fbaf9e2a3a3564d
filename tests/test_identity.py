"""Stable ids: one act id for every rendition of an order, one activity id for an activity in
each of them, unchanged by a re-read; an OCR-misread activity still found by similarity."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.identity import act_id, activity_ids, wording_key
from schema import Activity, RowSource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("a,b", [
    (("1.", "Совещание с руководителями ОО"), ("1", "совещание  с руководителями ОО.")),
    ((None, "Семинар «Школа»"), (None, 'Семинар "Школа"')),
    ((None, "1.2. Отчёт"), (None, "Отчет")),
])
def test_wording_key_ignores_print(a, b):
    def make(seq, text):
        return Activity(seq=seq, text=text, source=RowSource(table=1, row=1))

    assert wording_key(make(*a)) == wording_key(make(*b))


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["tyumen-oblast-2022", "samara-cu-2021", "ivanovo-2022", "tyumen-city-2021"])
def test_renditions_share_act_and_activity_ids(stem):
    from pipeline.extract import extract

    docx, pdf = extract(FIXTURES / "orders" / f"{stem}.docx"), extract(FIXTURES / "orders" / f"{stem}.pdf")
    assert docx.id != pdf.id and act_id(docx) == act_id(pdf)
    assert activity_ids(docx) == activity_ids(pdf)
    assert len(set(activity_ids(docx))) == len(docx.activities)
    assert activity_ids(extract(FIXTURES / "orders" / f"{stem}.docx")) == activity_ids(docx)  # a re-read


def test_act_without_number_keeps_its_file_id():
    from pipeline.extract import extract

    doc = extract(FIXTURES / "orders" / "tyumen-oblast-2022.docx")
    assert act_id(doc.model_copy(update={"number": None})) == f"doc-{doc.id}"


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed (Debian: tesseract-ocr tesseract-ocr-rus)")
def test_a_scanned_activity_is_found_by_similarity():
    from pipeline.extract import extract

    docx = extract(FIXTURES / "orders" / "tyumen-oblast-2022.docx")
    scan = extract(FIXTURES / "scans" / "tyumen-oblast-2022.scan.pdf")
    from pipeline.diff import pair_activities

    pairs = pair_activities(docx.activities, scan.activities)
    assert len(pairs) >= 0.9 * len(docx.activities)
    assert all(docx.activities[i].seq == scan.activities[j].seq for i, j, _ in pairs)
