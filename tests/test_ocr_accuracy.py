"""Accuracy on scanned and legacy-format fixture orders against the originals' gold.

fixtures/scans/<stem>.scan.pdf (image-only, rotated, speckled; fixtures/build_scans.py)
and fixtures/legacy/<stem>.doc|.rtf are scored against fixtures/gold/<stem>.json,
the stem being the file name up to its first dot, with pipeline.evaluate (as
tests/test_accuracy.py does for DOCX/PDF). Bars for scans: activity F1 >= 0.9 and
schedule end >= 0.85 over the documents, act number and date exact in each.

OCR is slow, so the default run scores two scans (a ruled and a borderless table; about a
minute on 2 cores with a cold cache); ROADMAP_OCR_FULL=1 scores all of them. The OCR cache
goes to a per-session temporary directory unless ROADMAP_OCR_CACHE is set.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.evaluate import DocumentScore, aggregate, format_report, format_scores, score_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCANS = FIXTURES / "scans"
LEGACY = FIXTURES / "legacy"
GOLD = FIXTURES / "gold"
DEFAULT_SCANS = ("tyumen-oblast-2022", "ivanovo-2022")
FULL = os.environ.get("ROADMAP_OCR_FULL") == "1"

SCAN_BARS = {"activity_f1": 0.90, "schedule_end": 0.85}
LEGACY_BARS = {"activity_f1": 0.97, "schedule_end": 0.95, "metadata": 0.90}
MISMATCHES_SHOWN = 20


def gold_stem(path: Path) -> str:
    return path.name.split(".")[0]


def _cases(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if (GOLD / f"{gold_stem(p)}.json").exists())


SCAN_CASES = _cases(SCANS, "*.scan.pdf")
LEGACY_CASES = _cases(LEGACY, "*.doc") + _cases(LEGACY, "*.rtf")

pytestmark = pytest.mark.slow


def _gold(path: Path) -> dict:
    return json.loads((GOLD / f"{gold_stem(path)}.json").read_text(encoding="utf-8"))


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


def _score(path: Path) -> tuple[DocumentScore, object]:
    from pipeline.extract import extract

    document = extract(str(path))
    return score_document(document, _gold(path), name=path.name), document


def _report(scores: list[DocumentScore], total: DocumentScore | None = None) -> str:
    return format_report(scores, total, MISMATCHES_SHOWN)


def _check_bars(scores: list[DocumentScore], bars: dict, name: str) -> None:
    total = aggregate(scores, name=name)
    print(f"\n{format_scores(scores + [total])}")
    missed = {k: total.figure(k) for k, bar in bars.items() if total.figure(k) is None or total.figure(k) < bar}
    assert not missed, f"{name}: below {bars}: {missed}\n{_report(scores, total)}"


def test_fixtures_present():
    assert len(SCAN_CASES) >= 4, "run fixtures/build_scans.py"
    assert {p.suffix for p in LEGACY_CASES} == {".doc", ".rtf"}


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed (Debian: tesseract-ocr tesseract-ocr-rus)")
def test_scans_meet_the_bars(cache_env):
    chosen = [p for p in SCAN_CASES if FULL or gold_stem(p) in DEFAULT_SCANS]
    if not chosen:
        pytest.skip("no scan fixtures")
    scores = []
    for path in chosen:
        score, document = _score(path)
        gold = _gold(path)
        assert document.source.ocr, f"{path.name}: not read by OCR"
        assert document.number == gold["number"], f"{path.name}: number {document.number!r} != {gold['number']!r}"
        assert str(document.date) == str(gold["date"]), f"{path.name}: date {document.date} != {gold['date']}"
        scores.append(score)
    _check_bars(scores, SCAN_BARS, "scans")


@pytest.mark.skipif(not any(shutil.which(n) for n in ("soffice", "libreoffice")),
                    reason="LibreOffice not installed (Debian: libreoffice-writer)")
@pytest.mark.parametrize("suffix", [".doc", ".rtf"])
def test_legacy_formats_meet_the_bars(cache_env, suffix):
    chosen = [p for p in LEGACY_CASES if p.suffix == suffix]
    if not chosen:
        pytest.skip(f"no {suffix} fixtures")
    scores = []
    for path in chosen:
        score, document = _score(path)
        assert document.source.format == suffix[1:]
        scores.append(score)
    _check_bars(scores, LEGACY_BARS, f"all {suffix}")
