"""Extraction accuracy on the fixture orders (fixtures/orders) against their hand-checked gold.

Every fixtures/orders/<stem>.{docx,pdf} with a fixtures/gold/<stem>.json is extracted with
pipeline.extract.extract and scored with pipeline.evaluate, against the gold and against the
keys as first written (fixtures/gold-original: the gold was revised after its first scoring).
The figures are printed (pytest -s or -rA) and put in the assertion message when a bar is missed.
- Bars per format (micro over the documents): activity F1 >= 0.97, schedule end >= 0.95,
  responsible parties F1 >= 0.90, metadata fields >= 0.90.
- Floors per document and per format for every printed figure, both keys
  (tests/accuracy_floors.json, see tests/accuracy_sets.py).
- The README's accuracy table rows of these sets, at the printed value.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from accuracy_sets import (
    SETS, by_format, check_bars, check_document, check_readme, check_set, readme_rows, score_set,
)
from pipeline.evaluate import DocumentScore, format_report

SET = SETS["fixtures"]
CASES = list(SET.documents)
FORMATS = ("docx", "pdf")

BARS = {
    "activity_f1": 0.97,
    "schedule_end": 0.95,
    "parties_f1": 0.90,
    "metadata": 0.90,
}
MISMATCHES_SHOWN = 25

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extract():
    module = pytest.importorskip("pipeline.extract", reason="pipeline.extract not available")
    return module.extract


@pytest.fixture(scope="module")
def scores(extract) -> dict[str, dict[Path, DocumentScore]]:
    """Each fixture extracted once for the whole module, scored against both keys."""
    return score_set(SET, extract)


def _report(scores: list[DocumentScore], total: DocumentScore | None = None) -> str:
    return format_report(scores, total, MISMATCHES_SHOWN)


def test_fixtures_present():
    assert set(SET.formats) == set(FORMATS), "run fixtures/build.py"
    assert len(CASES) >= 8


@pytest.mark.parametrize("key", SET.keys)
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_document_accuracy(scores, key, path):
    """Per document: every figure at or above its floor."""
    score = scores[key][path]
    print(f"\n{_report([score])}")
    assert score.n_predicted > 0, f"{path.name}: no activities extracted"
    check_document(key, path, score, _report)


@pytest.mark.parametrize("key", SET.keys)
@pytest.mark.parametrize("fmt", FORMATS)
def test_format_meets_floors(scores, key, fmt):
    check_set(key, fmt, by_format(scores[key], fmt), _report)


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_meets_bars(scores, fmt):
    check_bars(f"all .{fmt}", by_format(scores[SET.name], fmt), BARS, _report)


def test_readme_figures(scores):
    assert check_readme(scores) == 2 * len(FORMATS)


def test_readme_rows_are_all_known_sets():
    """Every row of the README's table names a set and format some accuracy test scores."""
    known = {(key, fmt) for s in SETS.values() for key in s.keys for fmt in s.formats}
    rows = readme_rows()
    assert rows and all((row.key, row.fmt) in known for row in rows), [r.line for r in rows]
    assert len({(row.key, row.fmt) for row in rows}) == len(rows)


def test_a_refused_document_scores_zero_and_the_set_goes_on():
    """A document the extractor refuses counts as nothing extracted (its gold activities all
    missed), instead of stopping the scoring of its set."""
    from extractors.raw import ExtractionError

    def refuse_the_first(path: str):
        if path == str(CASES[0]):
            raise ExtractionError("not a roadmap: none of its tables has a date/deadline column")
        from pipeline.extract import extract
        return extract(path)

    scores = score_set(SET, refuse_the_first, CASES[:2])["fixtures"]
    refused, read = scores[CASES[0]], scores[CASES[1]]
    assert (refused.n_predicted, refused.activity_f1, refused.metadata) == (0, 0.0, 0.0)
    assert refused.n_gold > 0 and read.activity_f1 == 1.0
