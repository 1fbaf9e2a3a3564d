"""CSV: one row per extracted activity, one row per compliance row (exactly the schema's
ComplianceRow fields, for programs), or the store's current activities."""
from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Iterable, Sequence

from schema import ComplianceRow, Milestone, RoadmapDocument

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = list(ComplianceRow.model_fields)
DOCUMENT_COLUMNS = [
    "document_id", "path", "region_code", "level", "municipality", "doc_type", "number", "date",
    "seq", "section", "text", "schedule_raw", "schedule_kind", "start", "end",
    "federal_schedule_raw", "federal_end", "responsible", "responsible_kinds", "indicators",
    "result", "page", "table", "row",
]


def activity_rows(documents: Iterable[RoadmapDocument]) -> Iterable[dict]:
    """Flatten documents to one dict per activity."""
    for doc in documents:
        for act in doc.activities:
            fed = act.federal_schedule
            yield {
                "document_id": doc.id,
                "path": doc.source.path,
                "region_code": doc.region.code if doc.region else None,
                "level": doc.level,
                "municipality": doc.municipality,
                "doc_type": doc.doc_type,
                "number": doc.number,
                "date": doc.date.isoformat() if doc.date else None,
                "seq": act.seq,
                "section": act.section,
                "text": act.text,
                "schedule_raw": act.schedule.raw,
                "schedule_kind": act.schedule.kind,
                "start": act.schedule.start.isoformat() if act.schedule.start else None,
                "end": act.schedule.end.isoformat() if act.schedule.end else None,
                "federal_schedule_raw": fed.raw if fed else None,
                "federal_end": fed.end.isoformat() if fed and fed.end else None,
                "responsible": "; ".join(p.name for p in act.responsible),
                "responsible_kinds": "; ".join(p.kind for p in act.responsible),
                "indicators": "; ".join(i.text for i in act.indicators),
                "result": act.result,
                "page": act.source.page,
                "table": act.source.table,
                "row": act.source.row,
            }


def render_documents(documents: Sequence[RoadmapDocument]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DOCUMENT_COLUMNS)
    writer.writeheader()
    writer.writerows(activity_rows(documents))
    return buffer.getvalue()


def render_csv(rows: Sequence[ComplianceRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in r.model_dump(mode="json").items()})
    return buffer.getvalue()


def render_compliance(rows: Sequence[ComplianceRow], documents: Sequence[RoadmapDocument],
                      milestones: Sequence[Milestone]) -> str:
    return render_csv(rows)


def render_activities(frame: "pd.DataFrame") -> str:
    return frame.to_csv(index=False)
