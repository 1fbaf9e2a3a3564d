"""CSV: the activity table (pipeline/reports/activities.py) of extracted documents or of the
store, and one row per compliance row (the schema's ComplianceRow fields with the evidence
flattened into columns of its own, and the act's label beside its id). Every cell goes through pipeline/reports/cells.py, so no spreadsheet runs one."""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Optional, Sequence

from schema import ComplianceRow, Milestone, RoadmapDocument
from pipeline.reports import COMPLIANCE_TABLE_COLUMNS, compliance_record, document_label
from pipeline.reports.activities import COLUMNS as ACTIVITY_COLUMNS, document_records, frame_rows
from pipeline.reports.cells import csv_text

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = COMPLIANCE_TABLE_COLUMNS


def render_documents(documents: Sequence[RoadmapDocument]) -> str:
    records = document_records(documents)
    return csv_text(ACTIVITY_COLUMNS, ([r[c] for c in ACTIVITY_COLUMNS] for r in records))


def render_csv(rows: Sequence[ComplianceRow], labels: Optional[Mapping[str, str]] = None) -> str:
    """One line per compliance row: the schema's fields, the evidence flattened into columns,
    and the act's label (`labels`, by document id) beside its id."""
    records = (compliance_record(r, (labels or {}).get(r.document_id)) for r in rows)
    return csv_text(COLUMNS, ([d[c] for c in COLUMNS] for d in records), lineterminator="\n")


def render_compliance(rows: Sequence[ComplianceRow], documents: Sequence[RoadmapDocument],
                      milestones: Sequence[Milestone]) -> str:
    return render_csv(rows, {doc.id: document_label(doc) for doc in documents})


def render_activities(frame: "pd.DataFrame") -> str:
    return csv_text(ACTIVITY_COLUMNS, frame_rows(frame))
