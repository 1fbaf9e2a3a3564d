"""Compliance of many documents in one run, scored where they are extracted.

A document's compliance rows depend on the document alone (pipeline.compare against the
packaged federal timeline), so the worker that extracted it — a pool process, a Dask
worker — scores it right away, while the other workers are still extracting: compliance
overlaps the extraction instead of following it as a serial tail. The store still writes the
rows, a few dozen regions a transaction (pipeline/store: `update_compliance_of`); a document it
holds that no worker scored (an older act of a changed region), or that differs from the one
scored, is scored there: the rest of a run's pending documents at once in the pool, any
stragglers inline. Plain Python, no Prefect.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Optional

from extractors.discover import FileItem
from schema import ComplianceRow, RoadmapDocument
from pipeline.batch import POOL, extract_item

Compute = Callable[[RoadmapDocument], list[ComplianceRow]]


def compliance_function() -> tuple[Optional[Compute], Optional[str]]:
    """pipeline.compare's document comparison against the packaged federal timeline, or
    (None, why) when that module is not available (then compliance is skipped, not faked)."""
    try:
        import pipeline.compare  # noqa: F401 (only: is it there?)
        import pipeline.timeline  # noqa: F401
    except ImportError as exc:
        return None, f"pipeline.compare is not available ({exc})"
    return timeline_compliance, None


def timeline_compliance(doc: RoadmapDocument) -> list[ComplianceRow]:
    """One document against the packaged federal timeline (a module function: pool workers
    receive it by reference and load the timeline once each)."""
    from pipeline.compare import compare_document

    return compare_document(doc, _packaged_timeline())


@lru_cache(maxsize=1)
def _packaged_timeline() -> list:
    from pipeline.timeline import load_timeline

    return load_timeline()


def warm_up() -> None:
    """Do once what the first extracted and scored order would otherwise pay for: imports,
    spaCy's Russian pipeline with pymorphy3, the packaged timeline and its lemmas, the
    normalizers' compiled patterns — by extracting and scoring a two-row order built here.
    Best effort: a failure here only leaves the work to the first real order."""
    import tempfile
    from pathlib import Path

    try:
        import docx

        from pipeline.extract import extract

        with tempfile.TemporaryDirectory(prefix="roadmap-warm-up-") as folder:
            path = Path(folder) / "warm-up.docx"
            order = docx.Document()
            order.add_paragraph("ПРИКАЗ от 17.01.2022 № 1")
            order.add_paragraph("Об утверждении дорожной карты")
            table = order.add_table(rows=2, cols=4)
            cells = ["№ п/п", "Мероприятие", "Срок", "Ответственные"], \
                ["1", "Проведение мониторинга", "до 17.01.2022", "Министерство образования"]
            for row, values in zip(table.rows, cells):
                for cell, value in zip(row.cells, values):
                    cell.text = value
            order.save(path)
            timeline_compliance(extract(path))
    except Exception:
        return


@dataclass
class Extracted:
    """An extraction and, when the comparison could run, the document's compliance rows."""

    document: RoadmapDocument
    compliance: Optional[list[ComplianceRow]] = None


def extract_and_score(item: FileItem) -> Extracted:
    """Extract one item and score it against the timeline; a scoring error leaves the rows
    to the store's pass, which records it per region."""
    doc = extract_item(item)
    compute, _ = compliance_function()
    try:
        rows = compute(doc) if compute is not None else None
    except Exception:
        rows = None
    return Extracted(doc, rows)


class Scores:
    """Compliance rows scored during a run, by document id, with the document scored."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[RoadmapDocument, list[ComplianceRow]]] = {}
        self.scored_here = 0

    def remember(self, doc: RoadmapDocument, rows: Optional[list[ComplianceRow]]) -> None:
        if rows is not None:
            self._rows[doc.id] = (doc, rows)

    def fill(self, documents: Iterable[RoadmapDocument], compute: Compute) -> None:
        """Score the documents nobody scored yet, all at once (in the pool when one runs)."""
        missing = [d for d in documents if d.id not in self._rows]
        for doc, rows in zip(missing, POOL.map(compute, missing)):
            self._rows[doc.id] = (doc, rows)

    @property
    def documents(self) -> dict[str, RoadmapDocument]:
        """The scored documents by id."""
        return {doc_id: doc for doc_id, (doc, _rows) in self._rows.items()}

    def missing(self, ids: Iterable[str]) -> list[str]:
        return [i for i in ids if i not in self._rows]

    def reuse(self, compute: Compute) -> Compute:
        """`compute` for the store's per-region pass: the rows scored for this very document,
        else scored now (a concurrent run changed it)."""
        def rows_of(doc: RoadmapDocument) -> list[ComplianceRow]:
            hit = self._rows.get(doc.id)
            if hit is not None and (hit[0] is doc or hit[0] == doc):
                return hit[1]
            self.scored_here += 1
            return compute(doc)

        return rows_of
