"""Accuracy on scanned and legacy-format fixture orders against the originals' gold.

fixtures/scans/<stem>.scan.pdf (image-only, rotated, speckled; fixtures/build_scans.py)
and fixtures/legacy/<stem>.doc|.rtf are scored against fixtures/gold/<stem>.json (and the
keys as first written, fixtures/gold-original), the stem being the file name up to its
first dot, with pipeline.evaluate (as tests/test_accuracy.py does for DOCX/PDF).
- Bars for scans: activity F1 >= 0.9 and schedule end >= 0.85 over the documents, act number
  and date exact in each; legacy: as DOCX.
- Floors per document and per format for every printed figure (tests/accuracy_floors.json).
- The README's accuracy table rows of these sets, at the printed value.

OCR is slow, so the default run scores two scans (a ruled and a borderless table; about a
minute on 2 cores with a cold cache) against their per-document floors; ROADMAP_OCR_FULL=1
(as CI sets) scores all four (45 pages, about 100 s cold on 2 cores) and asserts the set's
floors and the README. The OCR cache goes to a per-session temporary directory unless
ROADMAP_OCR_CACHE is set.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from accuracy_sets import SETS, by_format, check_bars, check_document, check_readme, check_set, score_set, stem_of
from pipeline.evaluate import DocumentScore, format_report

SCANS, LEGACY = SETS["scans"], SETS["legacy"]
DEFAULT_SCANS = ("tyumen-oblast-2022", "ivanovo-2022")
FULL = os.environ.get("ROADMAP_OCR_FULL") == "1"
SCAN_CASES = [p for p in SCANS.documents if FULL or stem_of(p) in DEFAULT_SCANS]
HAS_TESSERACT = shutil.which("tesseract") is not None
HAS_SOFFICE = any(shutil.which(n) for n in ("soffice", "libreoffice"))
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT,
                                     reason="tesseract not installed (Debian: tesseract-ocr tesseract-ocr-rus)")
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (Debian: libreoffice-writer)")
needs_full = pytest.mark.skipif(not FULL, reason="the set's figures need all scans: ROADMAP_OCR_FULL=1")

SCAN_BARS = {"activity_f1": 0.90, "schedule_end": 0.85}
LEGACY_BARS = {"activity_f1": 0.97, "schedule_end": 0.95, "metadata": 0.90}
MISMATCHES_SHOWN = 20

pytestmark = pytest.mark.slow
documents: dict[Path, object] = {}  # what _extract_checked read, for the per-scan number/date checks


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory):
    saved = os.environ.get("ROADMAP_OCR_CACHE")
    if not saved:
        os.environ["ROADMAP_OCR_CACHE"] = str(tmp_path_factory.mktemp("ocr-cache"))
    saved_cache = os.environ.get("ROADMAP_CACHE")
    if not saved_cache:
        os.environ["ROADMAP_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    for key, value in (("ROADMAP_OCR_CACHE", saved), ("ROADMAP_CACHE", saved_cache)):
        if not value:
            os.environ.pop(key, None)


def _extract_checked(path: str):
    """pipeline.extract.extract, and the format it must have read the file as."""
    from pipeline.extract import extract

    document = extract(path)
    expected = "pdf" if path.endswith(".scan.pdf") else Path(path).suffix[1:]
    assert document.source.format == expected, f"{path}: read as {document.source.format}"
    if expected == "pdf":
        assert document.source.ocr, f"{path}: not read by OCR"
    documents[Path(path)] = document
    return document


@pytest.fixture(scope="module")
def scan_scores(cache_env) -> dict[str, dict[Path, DocumentScore]]:
    if not HAS_TESSERACT:
        pytest.skip("tesseract not installed (Debian: tesseract-ocr tesseract-ocr-rus)")
    return score_set(SCANS, _extract_checked, SCAN_CASES)


@pytest.fixture(scope="module")
def legacy_scores(cache_env) -> dict[str, dict[Path, DocumentScore]]:
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice not installed (Debian: libreoffice-writer)")
    return score_set(LEGACY, _extract_checked)


def _report(scores: list[DocumentScore], total: DocumentScore | None = None) -> str:
    return format_report(scores, total, MISMATCHES_SHOWN)


def test_fixtures_present():
    assert len(SCANS.documents) >= 4, "run fixtures/build_scans.py"
    assert set(LEGACY.formats) == {"doc", "rtf"}


@pytest.mark.ocr
@needs_tesseract
@pytest.mark.parametrize("key", SCANS.keys)
@pytest.mark.parametrize("path", SCAN_CASES, ids=lambda p: p.name)
def test_scan_document(scan_scores, key, path):
    """Per scan: act number and date exact, every figure at or above its floor."""
    gold = SCANS.gold(path)
    document = documents[path]
    assert document.number == gold["number"], f"{path.name}: number {document.number!r} != {gold['number']!r}"
    assert str(document.date) == str(gold["date"]), f"{path.name}: date {document.date} != {gold['date']}"
    check_document(key, path, scan_scores[key][path], _report)


@pytest.mark.ocr
@needs_tesseract
def test_scans_meet_the_bars(scan_scores):
    check_bars("scans", list(scan_scores[SCANS.name].values()), SCAN_BARS, _report)


@pytest.mark.ocr
@needs_tesseract
@needs_full
@pytest.mark.parametrize("key", SCANS.keys)
def test_scans_meet_floors(scan_scores, key):
    check_set(key, "scan", list(scan_scores[key].values()), _report)


@needs_soffice
@pytest.mark.parametrize("key", LEGACY.keys)
@pytest.mark.parametrize("path", LEGACY.documents, ids=lambda p: p.name)
def test_legacy_document(legacy_scores, key, path):
    check_document(key, path, legacy_scores[key][path], _report)


@needs_soffice
@pytest.mark.parametrize("key", LEGACY.keys)
@pytest.mark.parametrize("fmt", LEGACY.formats)
def test_legacy_formats_meet_floors(legacy_scores, key, fmt):
    check_set(key, fmt, by_format(legacy_scores[key], fmt), _report)


@needs_soffice
@pytest.mark.parametrize("fmt", LEGACY.formats)
def test_legacy_formats_meet_the_bars(legacy_scores, fmt):
    check_bars(f"all .{fmt}", by_format(legacy_scores[LEGACY.name], fmt), LEGACY_BARS, _report)


@needs_soffice
def test_readme_legacy_figures(legacy_scores):
    assert check_readme(legacy_scores) == len(LEGACY.keys) * len(LEGACY.formats)


@pytest.mark.ocr
@needs_tesseract
@needs_full
def test_readme_scan_figures(scan_scores):
    assert check_readme(scan_scores) == len(SCANS.keys)
