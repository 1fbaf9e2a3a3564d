"""Extraction accuracy on the fixture orders (fixtures/orders) against their hand-checked gold.

Every fixtures/orders/<stem>.{docx,pdf} with a fixtures/gold/<stem>.json is extracted with
pipeline.extract.extract and scored with pipeline.evaluate. The figures are printed (run
pytest with -s or -rA to see them) and put in the assertion message when a bar is missed.
Bars per format (micro over the documents): activity F1 >= 0.97, schedule end correct
>= 0.95, responsible parties F1 >= 0.90, metadata fields >= 0.90.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import DocumentScore, aggregate, format_report, format_scores, score_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ORDERS = FIXTURES / "orders"
GOLD = FIXTURES / "gold"
FORMATS = ("docx", "pdf")

BARS = {
    "activity_f1": 0.97,
    "schedule_end": 0.95,
    "parties_f1": 0.90,
    "metadata": 0.90,
}
MISMATCHES_SHOWN = 25

CASES = sorted(p for p in ORDERS.glob("*") if p.suffix.lstrip(".") in FORMATS and (GOLD / f"{p.stem}.json").exists())

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extract():
    module = pytest.importorskip("pipeline.extract", reason="pipeline.extract not available")
    return module.extract


@pytest.fixture(scope="module")
def scores(extract) -> dict[Path, DocumentScore]:
    """Each fixture extracted and scored once for the whole module."""
    results = {}
    for path in CASES:
        gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
        results[path] = score_document(extract(str(path)), gold, name=f"{path.stem}.{path.suffix[1:]}")
    return results


def _report(scores: list[DocumentScore], total: DocumentScore | None = None) -> str:
    return format_report(scores, total, MISMATCHES_SHOWN)


def test_fixtures_present():
    assert {p.suffix[1:] for p in CASES} == set(FORMATS), "run fixtures/build.py"
    assert len(CASES) >= 8


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_document_accuracy(scores, path):
    """Per document: print the figures; only require that something was extracted."""
    score = scores[path]
    print(f"\n{_report([score])}")
    assert score.n_predicted > 0, f"{path.name}: no activities extracted"


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_meets_bars(scores, fmt):
    per_document = [s for p, s in scores.items() if p.suffix == f".{fmt}"]
    if not per_document:
        pytest.skip(f"no {fmt} fixtures")
    total = aggregate(per_document, name=f"all .{fmt}")
    print(f"\n{format_scores(per_document + [total])}")
    missed = {name: total.figure(name) for name, bar in BARS.items()
              if total.figure(name) is None or total.figure(name) < bar}
    assert not missed, (
        f"{fmt}: below the bars {BARS}: "
        + ", ".join(f"{k}={'—' if v is None else f'{v:.3f}'}" for k, v in missed.items())
        + f"\n{_report(per_document, total)}"
    )
