"""Writing documents: one stored document's rows, and which acts of a region are in force.

Which documents are in force is derived state, recomputed per region inside the storing
transaction, so it does not depend on the order files arrive in (an amendment may come
before the act it amends): an act a later act amends is *superseded*; of several renditions
of one act (its DOCX, its PDF, a scan: different bytes, same region, number, date and type)
one is in force and the others are *duplicates* of it, the born-digital one preferred over a
text PDF, over an OCR'd scan.
"""
from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable, Iterable, Optional, Sequence

from sqlalchemy import JSON, Table, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from schema import RoadmapDocument
from pipeline.identity import act_id
from pipeline.store.ledger import origin_status
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
    _c.id, _c.path, _c.number, _c.date, _c.level, _c.doc_type, _c.amends, _c.format, _c.ocr, _c.activity_count,
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


# (dialect, driver, table, columns) → the driver's INSERT text, its parameters' order, each
# column's bind processor (None: the value goes as it is) and whether parameters are positional.
_PREPARED: dict[tuple, tuple[str, tuple[str, ...], list[Optional[Callable[[Any], Any]]], bool]] = {}


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Many rows of one table (every row with the same keys) in one driver `executemany`.

    SQLAlchemy's own executemany builds and processes a parameter set per row through its
    compiled-statement machinery: ≈ 20 µs a row, the largest part of storing a document
    (≈ 130 activity, party and indicator rows). Here the statement is compiled once per
    dialect and the values are taken column by column: only the columns whose type has a bind
    processor (dates for SQLite, JSON) go through it, so the database receives what
    SQLAlchemy would have sent."""
    if not rows:
        return
    dialect = conn.dialect
    columns = tuple(rows[0])
    key = (dialect.name, dialect.driver, table.name, columns)
    prepared = _PREPARED.get(key)
    if prepared is None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        order = compiled.positiontup if compiled.positional else columns
        processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order]
        prepared = _PREPARED[key] = (compiled.string, order, processors, compiled.positional)
    sql, order, processors, positional = prepared
    take = itemgetter(*order)
    values = list(map(take, rows)) if len(order) > 1 else [(take(row),) for row in rows]
    if any(processors):
        by_column = list(zip(*values))
        for n, proc in enumerate(processors):
            if proc is not None:
                by_column[n] = _processed(proc, by_column[n], isinstance(table.c[order[n]].type, JSON))
        values = list(zip(*by_column))
    conn.exec_driver_sql(sql, values if positional else [dict(zip(order, v)) for v in values])


def _processed(proc: Callable[[Any], Any], column: Sequence[Any], json: bool) -> list[Any]:
    """One column's values through its bind processor. Most JSON cells of a roadmap are None
    or an empty list (an activity's other dates, its federal step): each is processed once."""
    null = proc(None)
    if not json:
        return [null if v is None else proc(v) for v in column]
    empty = proc([])
    return [null if v is None else empty if v == [] else proc(v) for v in column]


def refresh_region(conn: Connection, region_code: Optional[str]) -> bool:
    """Recompute one region's superseded / duplicate marks and its files' ledger statuses;
    True when anything changed (its compliance is then marked stale)."""
    if region_code is None:
        return False  # "the same region" cannot be established
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
    return bool(changed)


def mark_pending(conn: Connection, region_keys: Iterable[str]) -> None:
    """Regions whose compliance is stale, marked in the transaction that made it so."""
    for key in set(region_keys):
        if conn.execute(_PENDING, {"key": key}).first() is None:
            conn.execute(_INSERT_PENDING, {"region_key": key, "marked_at": now()})
