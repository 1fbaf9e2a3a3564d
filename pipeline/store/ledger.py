"""The ingest ledger: one row per (path, bytes) ever seen, with its status and reason.

A file's status follows its document: stored, a duplicate (same bytes, or another rendition
of an act stored in a preferred one), superseded (a later act amends it) or failed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from pipeline.store.tables import documents, ingest_ledger, now


@dataclass(frozen=True)
class LedgerEntry:
    path: str
    sha256: str
    size: int
    format: Optional[str]
    status: str
    error: Optional[str]
    document_id: Optional[str]
    first_seen: datetime
    last_seen: datetime

    def to_json_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "status": self.status, "error": self.error}


def ledger_entries(conn: Connection) -> list[LedgerEntry]:
    """Every file ever seen, by path."""
    c = ingest_ledger.c
    rows = conn.execute(select(
        c.path, c.sha256, c.size, c.format, c.status, c.error, c.document_id, c.first_seen, c.last_seen,
    ).order_by(c.path, c.first_seen, c.sha256)).all()
    return [LedgerEntry(*row) for row in rows]


def upsert_ledger(conn: Connection, path: str, sha256: str, size: int, fmt: Optional[str],
                  status: str, error: Optional[str], document_id: Optional[str]) -> None:
    """One row per (path, bytes). Seeing the same file again keeps what it already is
    (a stored file re-seen is still the stored one), but a failure that now stores
    becomes stored, and a repeated failure keeps its latest reason."""
    c = ingest_ledger.c
    stamp = now()
    row = conn.execute(
        select(c.id, c.status).where(c.path == path, c.sha256 == sha256)
    ).first()
    if row is None:
        if status == "duplicate" and document_id is not None:
            status, error = _status_for_document(conn, path, document_id)
        conn.execute(insert(ingest_ledger).values(
            path=path, sha256=sha256, size=size, format=fmt, status=status, error=error,
            document_id=document_id, first_seen=stamp, last_seen=stamp,
        ))
        return
    values: dict[str, Any] = {"last_seen": stamp}
    known_good = row.status != "failed"
    if not known_good or status == "stored":
        values.update(status=status, error=error, format=fmt)
        if document_id is not None:
            values["document_id"] = document_id
    conn.execute(update(ingest_ledger).where(c.id == row.id).values(**values))


def _status_for_document(conn: Connection, path: str, document_id: str) -> tuple[str, Optional[str]]:
    """A first sighting of known bytes: the file the document came from has the
    document's own status; any other copy is a duplicate of those bytes."""
    c = documents.c
    doc = conn.execute(select(c.path, c.superseded_by, c.duplicate_of).where(c.id == document_id)).first()
    if doc is not None and doc.path == path:
        return origin_status(conn, doc.superseded_by, doc.duplicate_of)
    return "duplicate", f"same bytes as {doc.path}" if doc is not None else None


def origin_status(conn: Connection, superseded_by: Optional[str],
                  duplicate_of: Optional[str]) -> tuple[str, Optional[str]]:
    """Ledger status and note of the file a document was stored from."""
    if superseded_by:
        return "superseded", f"superseded by {_describe(conn, superseded_by)}"
    if duplicate_of:
        return "duplicate", f"same act as {_describe(conn, duplicate_of)}"
    return "stored", None


def _describe(conn: Connection, document_id: str) -> str:
    c = documents.c
    row = conn.execute(select(c.doc_type, c.number, c.date, c.path).where(c.id == document_id)).first()
    if row is None:
        return document_id
    act = " ".join(x for x in (row.doc_type, f"№ {row.number}" if row.number else None,
                               f"of {row.date.isoformat()}" if row.date else None) if x)
    return f"{act} ({row.path})" if act else row.path


def one_line(reason: str) -> str:
    line = " ".join(str(reason).split())
    return line[:500] if line else "unknown error"


def file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
