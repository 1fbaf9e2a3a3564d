"""The ingest ledger: one row per (path, bytes) ever seen, with its status and reason.

A file's status follows its document: stored, a duplicate (same bytes, or another rendition
of an act stored in a preferred one), superseded (a later act amends it), failed (an order
that could not be read) or skipped (a stray file that is no order: a log, a note). A
duplicate's or superseded file's reason names the act and the file it yields to and since
when, so "a copy of another file" reads differently from "another rendition of the act".
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from pipeline.store.rows import insert_rows
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
    current: bool = True  # False: the path has been seen since with other bytes (a file fixed or replaced)

    def to_json_dict(self) -> dict:
        """The row as `roadmap status -f json` prints it: `reason` as in the table's column and in
        the ingest report's files, times in ISO 8601."""
        return {"path": self.path, "sha256": self.sha256, "size": self.size, "format": self.format,
                "status": self.status, "reason": self.error, "document_id": self.document_id,
                "first_seen": self.first_seen.isoformat(), "last_seen": self.last_seen.isoformat(),
                "current": self.current}


def ledger_entries(conn: Connection) -> list[LedgerEntry]:
    """Every file ever seen, by path."""
    c = ingest_ledger.c
    rows = conn.execute(select(
        c.path, c.sha256, c.size, c.format, c.status, c.error, c.document_id, c.first_seen, c.last_seen,
    ).order_by(c.path, c.first_seen, c.sha256)).all()
    latest: dict[str, datetime] = {}
    for row in rows:
        latest[row.path] = max(latest.get(row.path, row.last_seen), row.last_seen)
    # a path seen since with other bytes: this row is what the file was, not what it is
    return [LedgerEntry(*row, current=row.last_seen >= latest[row.path]) for row in rows]


@dataclass(frozen=True)
class FileState:
    """A ledger row with what its document is: a run's summary is read from these."""

    status: str
    reason: Optional[str]
    document_id: Optional[str]
    region: Optional[str]
    activities: int
    act: Optional[str]
    first_seen: datetime


def file_states(conn: Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], FileState]:
    """(path, sha256) → its ledger row and document, for the keys that have a row."""
    wanted = set(keys)
    paths = sorted({path for path, _ in wanted})
    c, d = ingest_ledger.c, documents.c
    out: dict[tuple[str, str], FileState] = {}
    for start in range(0, len(paths), 500):
        rows = conn.execute(
            select(c.path, c.sha256, c.status, c.error, c.document_id, c.first_seen, d.region_code,
                   d.activity_count, d.doc_type, d.number, d.date)
            .select_from(ingest_ledger.outerjoin(documents, d.id == c.document_id))
            .where(c.path.in_(paths[start:start + 500]))).all()
        for r in rows:
            if (r.path, r.sha256) in wanted:
                act = act_label(r.region_code, r.doc_type, r.number, r.date) if r.document_id else None
                out[(r.path, r.sha256)] = FileState(r.status, r.error, r.document_id, r.region_code,
                                                    r.activity_count or 0, act, r.first_seen)
    return out


def seen_again(conn: Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Files seen again as they were (a failure not read again): only their `last_seen` moves."""
    c = ingest_ledger.c
    stamp = now()
    for path, sha256 in keys:
        conn.execute(update(ingest_ledger).where(c.path == path, c.sha256 == sha256).values(last_seen=stamp))


# Built once: every stored file runs them (see pipeline/store/documents.py).
_ROW = select(ingest_ledger.c.id, ingest_ledger.c.status).where(
    ingest_ledger.c.path == bindparam("path"), ingest_ledger.c.sha256 == bindparam("sha256"))
_INSERT_ROW = insert(ingest_ledger)
_ROWS_BY_SHA = select(ingest_ledger.c.id, ingest_ledger.c.path, ingest_ledger.c.sha256, ingest_ledger.c.status,
                      ingest_ledger.c.error).where(ingest_ledger.c.sha256.in_(bindparam("shas", expanding=True)))


def upsert_ledger(conn: Connection, path: str, sha256: str, size: int, fmt: Optional[str],
                  status: str, error: Optional[str], document_id: Optional[str]) -> None:
    """A failed, skipped or duplicate file's row, one per (path, bytes). Seeing the same
    file again keeps what it already is (a stored file re-seen is still the stored one), and
    a repeated failure keeps its latest reason. Stored files go through `record_stored`."""
    c = ingest_ledger.c
    stamp = now()
    row = conn.execute(_ROW, {"path": path, "sha256": sha256}).first()
    if row is None:
        if status == "duplicate" and document_id is not None:
            status, error = _status_for_document(conn, path, document_id)
        conn.execute(_INSERT_ROW, dict(
            path=path, sha256=sha256, size=size, format=fmt, status=status, error=error,
            document_id=document_id, first_seen=stamp, last_seen=stamp,
        ))
        return
    values: dict[str, Any] = {"last_seen": stamp}
    if row.status in ("failed", "skipped"):
        values.update(status=status, error=error, format=fmt)
        if document_id is not None:
            values["document_id"] = document_id
    conn.execute(update(ingest_ledger).where(c.id == row.id).values(**values))


def record_stored(conn: Connection, files: Sequence[tuple[str, str, int, Optional[str], str]]) -> None:
    """Stored files' rows — (path, sha256, size, format, document id), each (path, bytes)
    once: whatever a file's row said before (a failure that now stores too), it becomes
    stored. Their rows are read in one query and the new ones inserted in one statement:
    three statements a stored file were a tenth of storing it."""
    c = ingest_ledger.c
    known = {(r.path, r.sha256): r.id for r in ledger_rows(conn, [(path, sha) for path, sha, *_ in files])}
    stamp = now()
    new = []
    for path, sha256, size, fmt, document_id in files:
        row_id = known.get((path, sha256))
        if row_id is None:
            new.append(dict(path=path, sha256=sha256, size=size, format=fmt, status="stored", error=None,
                            document_id=document_id, first_seen=stamp, last_seen=stamp))
        else:
            conn.execute(update(ingest_ledger).where(c.id == row_id).values(
                last_seen=stamp, status="stored", error=None, format=fmt, document_id=document_id))
    insert_rows(conn, ingest_ledger, new)


def ledger_rows(conn: Connection, keys: Sequence[tuple[str, str]]) -> list[Any]:
    """The ledger rows (id, path, sha256, status, error) of these (path, sha256) keys."""
    c = ingest_ledger.c
    wanted = set(keys)
    shas = sorted({sha for _, sha in wanted})
    rows = []
    for start in range(0, len(shas), 500):
        rows += [r for r in conn.execute(_ROWS_BY_SHA, {"shas": shas[start:start + 500]})
                 if (r.path, r.sha256) in wanted]
    return rows


def _status_for_document(conn: Connection, path: str, document_id: str) -> tuple[str, Optional[str]]:
    """A first sighting of known bytes: the file the document came from has the
    document's own status; any other copy is a duplicate of those bytes."""
    c = documents.c
    doc = conn.execute(select(c.path, c.superseded_by, c.duplicate_of).where(c.id == document_id)).first()
    if doc is not None and doc.path == path:
        return origin_status(conn, doc.superseded_by, doc.duplicate_of, document_id)
    if doc is None:
        return "duplicate", None
    act, origin, stored = describe_document(conn, document_id)
    return "duplicate", f"same bytes as {origin}, stored {stored} (act {act})"


# How a rendition's note begins: a duplicate read and stored in its run, not a copy of stored bytes.
RENDITION_NOTE = "another rendition of act"


def origin_status(conn: Connection, superseded_by: Optional[str], duplicate_of: Optional[str],
                  document_id: Optional[str] = None) -> tuple[str, Optional[str]]:
    """Ledger status and note of the file a document was stored from. A rendition whose plan
    is not the act's preferred one's (dates moved, rows added or dropped: a corrected
    appendix under the same number and date, a draft beside the signed text) says so and
    how to see it, instead of passing for a copy."""
    if superseded_by:
        act, origin, stored = describe_document(conn, superseded_by)
        return "superseded", f"superseded by act {act} stored from {origin} on {stored}"
    if duplicate_of:
        act, origin, stored = describe_document(conn, duplicate_of)
        note = f"{RENDITION_NOTE} {act} stored from {origin} on {stored}"
        differs = renditions_differ(conn, duplicate_of, document_id) if document_id else None
        if differs:
            note += (f"; BUT ITS PLAN DIFFERS ({differs}): not used for the act — "
                     f"see `roadmap diff {duplicate_of} {document_id}`")
        return "duplicate", note
    return "stored", None


def renditions_differ(conn: Connection, preferred_id: str, other_id: str) -> Optional[str]:
    """`2 moved, 1 dropped`: how a rendition's plan differs from the preferred rendition's, or
    None when the same activities carry the same dates (what two readings of one act's DOCX and
    PDF may differ in besides — an indicator split otherwise, a wrapped name — is not counted)."""
    from pipeline.diff import diff_activities  # only a rendition of a stored act gets here
    from schema import RoadmapDocument

    c = documents.c
    rows = {r.id: r.document for r in conn.execute(select(c.id, c.document).where(c.id.in_([preferred_id, other_id])))}
    if len(rows) < 2:
        return None
    diff = diff_activities(RoadmapDocument.model_validate(rows[preferred_id]).activities,
                           RoadmapDocument.model_validate(rows[other_id]).activities)
    counts = [f"{len(getattr(diff, kind))} {kind}" for kind in ("moved", "added", "dropped") if getattr(diff, kind)]
    return ", ".join(counts) or None


def act_label(region: Optional[str], doc_type: Optional[str], number: Optional[str],
              date: Optional[Any]) -> str:
    """`RU-TYU приказ № 918/02 of 2021-02-10`: enough to tell one act from another."""
    parts = (region, doc_type, f"№ {number}" if number else None,
             f"of {date.isoformat()}" if date else None)
    return " ".join(p for p in parts if p) or "without a readable number or date"


def describe_document(conn: Connection, document_id: str) -> tuple[str, str, str]:
    """(act label, path it was stored from, day it was stored) of a stored document."""
    c = documents.c
    row = conn.execute(select(c.region_code, c.doc_type, c.number, c.date, c.path, c.stored_at)
                       .where(c.id == document_id)).first()
    if row is None:
        return document_id, "an unknown file", "an unknown day"
    return (act_label(row.region_code, row.doc_type, row.number, row.date), row.path,
            row.stored_at.date().isoformat())


def one_line(reason: str) -> str:
    line = " ".join(str(reason).split())
    return line[:500] if line else "unknown error"


def file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
