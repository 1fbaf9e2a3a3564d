"""Reading the store back: flat activity records for the export, and a content snapshot
two stores holding the same documents compare equal by."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Optional, Sequence

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from pipeline.store.tables import (
    activities, compliance, documents, indicators, ingest_ledger, parties, pending_compliance,
)
from pipeline.versions import as_date


def current_activity_records(conn: Connection) -> list[dict]:
    """One flat record per activity of the documents in force, in document order."""
    d, a = documents.c, activities.c
    query = (
        select(
            d.id.label("document_id"), d.region_code, d.region_name, d.level, d.municipality,
            d.issuer, d.doc_type, d.number, d.date.label("document_date"), d.title,
            d.path.label("source_path"), a.id.label("_activity_id"), a.position, a.seq, a.section,
            a.text, a.schedule_raw, a.schedule_kind, a.schedule_start, a.schedule_end,
            a.schedule_dates, a.schedule_recurrence, a.federal_schedule, a.result, a.page,
            a.table_no, a.row_no,
        )
        .select_from(activities.join(documents, a.document_id == d.id))
        .where(d.superseded_by.is_(None), d.duplicate_of.is_(None))
        .order_by(d.region_code, d.date, d.id, a.position)
    )
    rows = [dict(r._mapping) for r in conn.execute(query)]
    party_map = _children(conn, parties, ("raw", "name", "kind"))
    indicator_map = _children(conn, indicators, ("text", "target", "unit", "comparator"))
    records = []
    for r in rows:
        aid = r.pop("_activity_id")
        fed = r.pop("federal_schedule") or {}
        r["schedule_dates"] = ";".join(r["schedule_dates"] or [])
        r["federal_schedule_raw"] = fed.get("raw")
        r["federal_schedule_kind"] = fed.get("kind")
        r["federal_schedule_start"] = as_date(fed.get("start"))
        r["federal_schedule_end"] = as_date(fed.get("end"))
        ps = party_map.get(aid, [])
        r["responsible"] = "; ".join(p["name"] for p in ps)
        r["responsible_kinds"] = "; ".join(p["kind"] for p in ps)
        inds = indicator_map.get(aid, [])
        r["indicators"] = "; ".join(i["text"] for i in inds)
        r["indicator_targets"] = "; ".join(
            f"{i['comparator'] or ''}{_fmt_number(i['target'])}{i['unit'] or ''}"
            for i in inds if i["target"] is not None
        )
        records.append(r)
    return records


def content_snapshot(conn: Connection) -> dict[str, list[tuple]]:
    """Every content table's rows without surrogate keys and timestamps, sorted: two
    stores holding the same documents, ledger and compliance compare equal."""
    a = activities.c
    skip = {"id", "activity_id", "stored_at", "computed_at", "first_seen", "last_seen", "marked_at"}
    out: dict[str, list[tuple]] = {}
    out["documents"] = _sorted_rows(conn.execute(select(*[col for col in documents.c if col.name not in
                                                          {"stored_at"}])))
    out["activities"] = _sorted_rows(conn.execute(select(*[col for col in activities.c if col.name != "id"])))
    for child in (parties, indicators):
        cols = [col for col in child.c if col.name not in skip]
        q = select(a.document_id, a.position, *cols).select_from(
            child.join(activities, child.c.activity_id == a.id))
        out[child.name] = _sorted_rows(conn.execute(q))
    out["compliance"] = _sorted_rows(conn.execute(select(*[col for col in compliance.c if col.name not in skip])))
    out["ingest_ledger"] = _sorted_rows(conn.execute(select(*[col for col in ingest_ledger.c if col.name not in skip])))
    out["pending_compliance"] = _sorted_rows(conn.execute(select(pending_compliance.c.region_key)))
    return out


def _children(conn: Connection, table: Table, fields: Sequence[str]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    cols = [table.c.activity_id] + [table.c[f] for f in fields]
    for row in conn.execute(select(*cols).order_by(table.c.activity_id, table.c.position)):
        m = row._mapping
        out.setdefault(m["activity_id"], []).append({f: m[f] for f in fields})
    return out


def _sorted_rows(result: Any) -> list[tuple]:
    rows = [tuple(_plain(v) for v in row) for row in result]
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _fmt_number(value: Optional[float]) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
