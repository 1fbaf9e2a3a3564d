"""Write extracted documents as the schema's JSON or as a flat CSV, one row per activity."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Iterable, Optional

from schema import RoadmapDocument

CSV_COLUMNS = [
    "document_id", "path", "region_code", "level", "municipality", "doc_type", "number", "date",
    "seq", "section", "text", "schedule_raw", "schedule_kind", "start", "end",
    "federal_schedule_raw", "federal_end", "responsible", "responsible_kinds", "indicators",
    "result", "page", "table", "row",
]


def activity_rows(documents: Iterable[RoadmapDocument]) -> Iterable[dict]:
    """Flatten documents to one dict per activity (the CSV and tabular exports share it)."""
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


def render_documents(documents: list[RoadmapDocument], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([d.to_json_dict() for d in documents], ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(activity_rows(documents))
    return buffer.getvalue()


def write_documents(documents: list[RoadmapDocument], fmt: str, output: Optional[Path]) -> None:
    text = render_documents(documents, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
