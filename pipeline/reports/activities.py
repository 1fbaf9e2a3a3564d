"""The store's current activities as one pandas table, the subject of `roadmap export`."""
from __future__ import annotations

import pandas as pd

from pipeline.store import Store

COLUMNS = [
    "document_id", "region_code", "region_name", "level", "municipality", "issuer", "doc_type", "number",
    "document_date", "title", "source_path", "position", "seq", "section", "text",
    "schedule_raw", "schedule_kind", "schedule_start", "schedule_end", "schedule_dates", "schedule_recurrence",
    "federal_schedule_raw", "federal_schedule_kind", "federal_schedule_start", "federal_schedule_end",
    "responsible", "responsible_kinds", "indicators", "indicator_targets", "result", "page", "table_no", "row_no",
]
_DATE_COLUMNS = ["document_date", "schedule_start", "schedule_end", "federal_schedule_start", "federal_schedule_end"]
_INT_COLUMNS = ["position", "page", "table_no", "row_no"]


def activities_frame(store: Store) -> pd.DataFrame:
    """One row per activity of the acts in force, in region / act / table order."""
    frame = pd.DataFrame.from_records(store.current_activity_records(), columns=COLUMNS)
    for col in _DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col], errors="coerce").dt.date
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    for col in _INT_COLUMNS:
        frame[col] = frame[col].astype("Int64")
    return frame
