"""Writing documents: one stored document's rows, and which acts of a region are in force.

Which documents are in force is derived state, recomputed per region inside the storing
transaction, so it does not depend on the order files arrive in (an amendment may come
before the act it amends): an act a later act amends is *superseded*; of several renditions
of one act (its DOCX, its PDF, a scan: different bytes, same region, number, date and type)
one is in force and the others are *duplicates* of it, the born-digital one preferred over a
text PDF, over an OCR'd scan.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple, Optional, Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from schema import RoadmapDocument
from pipeline.identity import act_id
from pipeline.store.ledger import describe_document, origin_status, renditions_differ
from pipeline.store.rows import insert_rows
from pipeline.store.tables import (
    activities, documents, indicators, ingest_ledger, now, parties, pending_compliance,
)
from pipeline.versions import resolve_versions

# Statements built once: an ingest stores documents by the hundred, and building and
# fingerprinting a fresh statement for each of its rows cost more than the database's work.
_ACTIVITY_IDS = select(activities.c.document_id, activities.c.id).where(
    activities.c.document_id.in_(bindparam("document_ids", expanding=True))).order_by(
    activities.c.document_id, activities.c.position)
_c = documents.c
_REGION_VERSIONS = select(
    _c.id, _c.path, _c.number, _c.date, _c.level, _c.municipality, _c.doc_type, _c.amends, _c.format, _c.ocr,
    _c.activity_count,
    _c.superseded_by, _c.duplicate_of,
).where(_c.region_code == bindparam("region"))
_PENDING = select(pending_compliance.c.region_key).where(pending_compliance.c.region_key == bindparam("key"))
_INSERT_PENDING = insert(pending_compliance)


def insert_documents(conn: Connection, entries: Sequence[tuple[RoadmapDocument, str]]) -> None:
    """Documents, each with the path it is stored under: each one's row (with its JSON as
    extracted), its activities, their parties and indicators — in one statement per table
    for all of them: a statement per document and table was most of storing a short order."""
    document_rows = []
    activity_rows = []
    for doc, path in entries:
        data = doc.to_json_dict()
        data["source"]["path"] = path
        document_rows.append(dict(
            id=doc.id, sha256=doc.source.sha256, path=path, format=doc.source.format,
            pages=doc.source.pages, ocr=doc.source.ocr, issuer=doc.issuer,
            region_code=doc.region.code if doc.region else None,
            region_name=doc.region.name if doc.region else None,
            level=doc.level, municipality=doc.municipality, doc_type=doc.doc_type,
            number=doc.number, date=doc.date, title=doc.title,
            period_start=doc.period.start if doc.period else None,
            period_end=doc.period.end if doc.period else None,
            amends=data["amends"], warnings=data["warnings"], superseded_by=None, duplicate_of=None,
            activity_count=len(doc.activities),
            stored_at=now(), document=data, act_id=act_id(doc),
        ))
        for position, (a, a_json) in enumerate(zip(doc.activities, data["activities"]), start=1):
            activity_rows.append(dict(
                document_id=doc.id, position=position, seq=a.seq, section=a.section, text=a.text,
                schedule_raw=a.schedule.raw, schedule_kind=a.schedule.kind,
                schedule_start=a.schedule.start, schedule_end=a.schedule.end,
                schedule_dates=a_json["schedule"]["dates"], schedule_recurrence=a.schedule.recurrence,
                federal_schedule=a_json["federal_schedule"], result=a.result,
                page=a.source.page, table_no=a.source.table, row_no=a.source.row,
            ))
    insert_rows(conn, documents, document_rows)
    if not activity_rows:
        return
    insert_rows(conn, activities, activity_rows)
    # Their ids, by document and position: a driver executemany returns none (nor does
    # SQLite's RETURNING).
    ids: dict[str, list[int]] = {}
    for document_id, activity_id in conn.execute(_ACTIVITY_IDS, {"document_ids": [doc.id for doc, _ in entries]}):
        ids.setdefault(document_id, []).append(activity_id)
    party_rows = []
    indicator_rows = []
    for doc, _ in entries:
        for activity_id, a in zip(ids.get(doc.id, ()), doc.activities):
            for position, p in enumerate(a.responsible, start=1):
                party_rows.append(dict(activity_id=activity_id, position=position, raw=p.raw,
                                       name=p.name, kind=p.kind))
            for position, ind in enumerate(a.indicators, start=1):
                indicator_rows.append(dict(activity_id=activity_id, position=position, text=ind.text,
                                           target=ind.target, unit=ind.unit, comparator=ind.comparator))
    insert_rows(conn, parties, party_rows)
    insert_rows(conn, indicators, indicator_rows)


class Change(NamedTuple):
    """A stored document whose place among its region's versions a refresh changed."""

    id: str
    was_in_force: bool  # neither superseded nor a duplicate before
    superseded_by: Optional[str]
    duplicate_of: Optional[str]


def refresh_region(conn: Connection, region_code: Optional[str]) -> list[Change]:
    """Recompute one region's superseded / duplicate marks and its files' ledger statuses;
    the documents whose marks changed (when any did, its compliance is marked stale)."""
    if region_code is None:
        return []  # "the same region" cannot be established
    c = documents.c
    rows = conn.execute(_REGION_VERSIONS, {"region": region_code}).all()
    wanted = resolve_versions(rows)
    changed = [row for row in rows if wanted[row.id] != (row.superseded_by, row.duplicate_of)]
    for row in changed:
        superseded_by, duplicate_of = wanted[row.id]
        conn.execute(update(documents).where(c.id == row.id).values(
            superseded_by=superseded_by, duplicate_of=duplicate_of))
    for row in changed:
        status, note = origin_status(conn, *wanted[row.id], row.id)
        conn.execute(update(ingest_ledger).where(
            ingest_ledger.c.document_id == row.id, ingest_ledger.c.path == row.path,
        ).values(status=status, error=note))
    if changed:
        mark_pending(conn, [region_code])
    return [Change(row.id, row.superseded_by is None and row.duplicate_of is None, *wanted[row.id]) for row in changed]


def took_the_place_of(conn: Connection, changes: Iterable[Change], stored_now: Sequence[str]) -> dict[str, str]:
    """What each document stored now (`stored_now`, in the order its files came) took the place
    of, for its file's line in the run's report: an act in force before it that it amends, or
    the rendition of its act that was in force (and whether that one's plan differs). A
    document stored beside it took its place only if its file came first: so the notes do not
    depend on how a run groups its files into transactions."""
    order = {document_id: n for n, document_id in enumerate(stored_now)}
    notes: dict[str, list[str]] = {}
    for change in changes:
        winner = change.superseded_by or change.duplicate_of
        if winner not in order or not change.was_in_force or order.get(change.id, -1) > order[winner]:
            continue
        act, origin, day = describe_document(conn, change.id)
        if change.superseded_by:
            notes.setdefault(winner, []).append(f"supersedes act {act} stored from {origin} on {day}")
            continue
        note = f"in force in place of another rendition of the act stored from {origin} on {day}"
        differs = renditions_differ(conn, winner, change.id)
        if differs:
            note += f"; THE PLANS DIFFER ({differs}): see `roadmap diff {change.id} {winner}`"
        notes.setdefault(winner, []).append(note)
    return {document_id: "; ".join(lines) for document_id, lines in notes.items()}


def mark_pending(conn: Connection, region_keys: Iterable[str]) -> None:
    """Regions whose compliance is stale, marked in the transaction that made it so."""
    for key in set(region_keys):
        if conn.execute(_PENDING, {"key": key}).first() is None:
            conn.execute(_INSERT_PENDING, {"region_key": key, "marked_at": now()})
