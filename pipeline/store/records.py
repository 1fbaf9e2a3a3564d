"""Reading the store back: a content snapshot two stores holding the same documents compare
equal by. (The export's activity records come from the documents as corrected:
`Store.current_activity_records`.)"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from pipeline.store.tables import (
    activities, compliance, documents, indicators, ingest_ledger, parties, pending_compliance,
)


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


def _sorted_rows(result: Any) -> list[tuple]:
    rows = [tuple(_plain(v) for v in row) for row in result]
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value

