"""Generalization check: extraction accuracy on held-out orders from unseen regions and layouts.

fixtures/unseen/ holds four invented orders (Perm krai, a Buryatia district, Chuvashia,
Khanty-Mansi AO) built by fixtures/unseen/build_unseen.py, each laid out unlike the seed
fixtures (column order, borderless table, two-row header with split date columns, a roadmap
continued in a header-less second table, dates in words...), with hand-written gold. Every
order is extracted with pipeline.extract.extract in both formats and scored with
pipeline.evaluate; the figures are printed (pytest -s or -rA). Bars per format, micro over the
four orders: activity F1 >= 0.97, schedule end >= 0.95, parties F1 >= 0.90, metadata >= 0.90.
The extractor must never be tuned to these files: a failure here points at a general mechanism.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from pipeline.evaluate import format_report, DocumentScore, aggregate, format_scores, score_document

UNSEEN = Path(__file__).resolve().parent.parent / "fixtures" / "unseen"
GOLD = UNSEEN / "gold"
FORMATS = ("docx", "pdf")
STEMS = ("perm-2022", "kyakhta-2022", "chuvashia-2022", "khmao-2022")

BARS = {
    "activity_f1": 0.97,
    "schedule_end": 0.95,
    "parties_f1": 0.90,
    "metadata": 0.90,
}
MISMATCHES_SHOWN = 40

CASES = [UNSEEN / f"{stem}.{fmt}" for stem in STEMS for fmt in FORMATS]


def _gold(path: Path) -> dict:
    return json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))


def test_unseen_fixtures_present():
    missing = [p.name for p in CASES if not p.exists()] + [f"gold/{s}.json" for s in STEMS
                                                           if not (GOLD / f"{s}.json").exists()]
    assert not missing, f"run fixtures/unseen/build_unseen.py: missing {missing}"


def test_unseen_gold_matches_its_sources():
    """The gold is what build_unseen.py writes from its hand-written values (nobody edited it apart)."""
    spec = importlib.util.spec_from_file_location("build_unseen", UNSEEN / "build_unseen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = [o["stem"] for o in module.ORDERS
             if (GOLD / f"{o['stem']}.json").read_text(encoding="utf-8") != module.gold_json(o)]
    assert not stale, f"gold out of date for {stale}: run fixtures/unseen/build_unseen.py --gold-only"


@pytest.fixture(scope="module")
def extract():
    module = pytest.importorskip("pipeline.extract", reason="pipeline.extract not available")
    return module.extract


@pytest.fixture(scope="module")
def scores(extract) -> dict[Path, DocumentScore]:
    """Each unseen order extracted and scored once for the whole module."""
    return {path: score_document(extract(str(path)), _gold(path), name=path.name) for path in CASES}


def _report(scores: list[DocumentScore], total: DocumentScore | None = None) -> str:
    return format_report(scores, total, MISMATCHES_SHOWN)


@pytest.mark.slow
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_unseen_document(scores, path):
    """Per order: print the figures; require only that a roadmap was found."""
    score = scores[path]
    print(f"\n{_report([score])}")
    assert score.n_predicted > 0, f"{path.name}: no activities extracted"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_unseen_meets_bars(scores, fmt):
    per_document = [s for p, s in scores.items() if p.suffix == f".{fmt}"]
    total = aggregate(per_document, name=f"unseen .{fmt}")
    print(f"\n{format_scores(per_document + [total])}")
    missed = {name: total.figure(name) for name, bar in BARS.items()
              if total.figure(name) is None or total.figure(name) < bar}
    assert not missed, (
        f"unseen {fmt}: below the bars {BARS}: "
        + ", ".join(f"{k}={'—' if v is None else f'{v:.3f}'}" for k, v in missed.items())
        + f"\n{_report(per_document, total)}"
    )
