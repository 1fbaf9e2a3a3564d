"""The one activity table: one row per activity, the same columns and names whether the rows
come from files just extracted (`roadmap extract -f csv`) or from the store (`roadmap export`,
csv, xlsx or parquet: its documents as corrected, pipeline/corrections.py). `activity_id` is
the activity's stable id (pipeline/identity.py): the same in every rendition of the act and
across re-ingests, the key corrections and the workbench use.

Imports only the schema and identity at module level: `roadmap extract -f csv` loads neither
pandas nor the store.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional

from schema import Indicator, RoadmapDocument
from pipeline.identity import activity_ids
from pipeline.review import activity_review

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "document_id", "activity_id", "region_code", "region_name", "level", "municipality", "issuer", "doc_type", "number",
    "document_date", "title", "source_path", "position", "seq", "section", "text",
    "schedule_raw", "schedule_kind", "schedule_start", "schedule_end", "schedule_dates", "schedule_recurrence",
    "federal_schedule_raw", "federal_schedule_kind", "federal_schedule_start", "federal_schedule_end",
    "responsible", "responsible_kinds", "indicators", "indicator_targets", "result", "page", "table_no", "row_no",
    "confidence", "needs_review", "review_reasons", "corrections",
]
DATE_COLUMNS = ["document_date", "schedule_start", "schedule_end", "federal_schedule_start", "federal_schedule_end"]
INT_COLUMNS = ["position", "page", "table_no", "row_no"]


def _number(value: Optional[float]) -> str:
    return "" if value is None else str(int(value)) if float(value).is_integer() else str(value)


def _target(indicator: Indicator) -> str:
    return f"{indicator.comparator or ''}{_number(indicator.target)}{indicator.unit or ''}"


def document_records(documents: Iterable[RoadmapDocument],
                     corrections_of: Optional[Callable[[RoadmapDocument], dict[int, str]]] = None,
                     ) -> Iterable[dict]:
    """One record per activity of extracted documents, keyed by COLUMNS (as the store's).
    `corrections_of(doc)`: activity index → the corrections its values rest on (the store's
    documents; extracted files have none)."""
    for doc in documents:
        notes = corrections_of(doc) if corrections_of else {}
        for position, (act, act_id) in enumerate(zip(doc.activities, activity_ids(doc)), start=1):
            fed = act.federal_schedule
            confidence, needs_review, reasons = activity_review(doc, act)
            yield {
                "document_id": doc.id,
                "activity_id": act_id,
                "region_code": doc.region.code if doc.region else None,
                "region_name": doc.region.name if doc.region else None,
                "level": doc.level, "municipality": doc.municipality, "issuer": doc.issuer,
                "doc_type": doc.doc_type, "number": doc.number, "document_date": doc.date, "title": doc.title,
                "source_path": doc.source.path, "position": position, "seq": act.seq, "section": act.section,
                "text": act.text,
                "schedule_raw": act.schedule.raw, "schedule_kind": act.schedule.kind,
                "schedule_start": act.schedule.start, "schedule_end": act.schedule.end,
                "schedule_dates": ";".join(d.isoformat() for d in act.schedule.dates),
                "schedule_recurrence": act.schedule.recurrence,
                "federal_schedule_raw": fed.raw if fed else None,
                "federal_schedule_kind": fed.kind if fed else None,
                "federal_schedule_start": fed.start if fed else None,
                "federal_schedule_end": fed.end if fed else None,
                "responsible": "; ".join(p.name for p in act.responsible),
                "responsible_kinds": "; ".join(p.kind for p in act.responsible),
                "indicators": "; ".join(i.text for i in act.indicators),
                "indicator_targets": "; ".join(_target(i) for i in act.indicators if i.target is not None),
                "result": act.result,
                "page": act.source.page, "table_no": act.source.table, "row_no": act.source.row,
                "confidence": confidence, "needs_review": needs_review, "review_reasons": "; ".join(reasons),
                "corrections": notes.get(position - 1, ""),
            }


def activities_frame(store: Any) -> "pd.DataFrame":
    """One row per activity of the acts in force (a pipeline.store.Store's, as corrected),
    in region / act / table order."""
    import pandas as pd

    frame = pd.DataFrame.from_records(store.current_activity_records(), columns=COLUMNS)
    for col in DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col], errors="coerce").dt.date
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    for col in INT_COLUMNS:
        frame[col] = frame[col].astype("Int64")
    return frame


def frame_rows(frame: "pd.DataFrame") -> Iterable[tuple]:
    """The frame's rows as plain tuples, in COLUMNS order."""
    return frame[COLUMNS].itertuples(index=False, name=None)
