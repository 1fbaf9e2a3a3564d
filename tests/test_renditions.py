"""Accuracy of the other forms orders arrive in, held like every other set (per document and
per format, floors for every printed figure — tests/accuracy_floors.json — and general bars):

- merged (fixtures/merged/, written blind): date and responsible cells merged across rows, in
  DOCX, PDF and scan; bar schedule end ≥ 0.97 in each.
- spreadsheets (fixtures/spreadsheets/): the sample orders' appendix alone as XLSX, XLS, ODS
  and CSV, scored against the originals' gold; a bare table carries no act metadata, so the
  bars are the activity ones of the DOCX/PDF renditions.
- images (fixtures/images/): a scan sent as a multi-page TIFF; the scan bars.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accuracy_sets import SETS, by_format, check_bars, check_document, check_set, format_of, score_set
from pipeline.evaluate import DocumentScore, format_report

BARS = {
    "merged": {"activity_f1": 0.97, "schedule_end": 0.97, "parties_f1": 0.90},
    "spreadsheets": {"activity_f1": 0.97, "schedule_end": 0.95},
    "images": {"activity_f1": 0.90, "schedule_end": 0.85},
}
OCR_FORMATS = {"scan", "tiff"}
NO_TESSERACT = "tesseract not installed (Debian: tesseract-ocr tesseract-ocr-rus)"

pytestmark = pytest.mark.slow


def _readable(path: Path) -> bool:
    return format_of(path) not in OCR_FORMATS or shutil.which("tesseract") is not None


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[Path, DocumentScore]]:
    from pipeline.extract import extract

    return {name: score_set(SETS[name], extract, [p for p in SETS[name].documents if _readable(p)])[name]
            for name in BARS}


def _report(scores: list[DocumentScore], total: DocumentScore | None = None) -> str:
    return format_report(scores, total, 25)


@pytest.mark.parametrize("name,count", [("merged", 9), ("spreadsheets", 16), ("images", 1)])
def test_sets_present(name, count):
    assert len(SETS[name].documents) == count, "run fixtures/merged/build_merged.py and fixtures/build_inputs.py"


CASES = [(name, path) for name in BARS for path in SETS[name].documents]


@pytest.mark.parametrize("name,path", CASES, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_document_meets_floors(scores, name, path):
    if not _readable(path):
        pytest.skip(NO_TESSERACT)
    score = scores[name][path]
    assert score.n_predicted > 0, f"{path.name}: no activities extracted"
    check_document(name, path, score, _report)


FORMATS = [(name, fmt) for name in BARS for fmt in SETS[name].formats]


@pytest.mark.parametrize("name,fmt", FORMATS)
def test_format_meets_floors_and_bars(scores, name, fmt):
    if fmt in OCR_FORMATS and shutil.which("tesseract") is None:
        pytest.skip(NO_TESSERACT)
    per_document = by_format(scores[name], fmt)
    check_set(name, fmt, per_document, _report)
    check_bars(f"{name} .{fmt}", per_document, BARS[name], _report)
    for score in per_document:  # the bars hold per document as well
        check_bars(score.name, [score], BARS[name], _report)


def test_readme_figures(scores):
    from accuracy_sets import check_readme

    expected = sum(len(SETS[name].formats) for name in BARS)
    if shutil.which("tesseract") is None:
        pytest.skip(NO_TESSERACT)
    assert check_readme(scores) == expected
