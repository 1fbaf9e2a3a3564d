"""The roadmap store: documents, activities, parties, indicators, compliance and the ingest
ledger, in an embedded SQLite file or in PostgreSQL — one SQLAlchemy Core code path for both.

Why it looks the way it does:
- Every stored document is written in ONE transaction together with its ledger row, so a
  process killed mid-ingest leaves either the whole document or nothing; re-running the
  ingest then converges on the same database as one clean run.
- Identity is the sha256 of the file bytes: the same bytes never store twice.
- Which documents are in force is derived state, recomputed per region inside the storing
  transaction, so it does not depend on the order files arrive in (an amendment may come
  before the act it amends): an act a later act amends is *superseded*; of several
  renditions of one act (its DOCX, its PDF, a scan: different bytes, same region, number,
  date and type) one is in force and the others are *duplicates* of it, the born-digital
  one preferred over a text PDF, over an OCR'd scan.
- Which regions need their compliance recomputed is a table written in the same
  transactions, so a killed run leaves that work to the next one instead of losing it.
- The schema carries a version table; `MIGRATIONS` upgrades older databases in order.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from schema import ComplianceRow, RoadmapDocument
from pipeline.versions import as_date, resolve_versions

DEFAULT_DB = "./roadmaps.db"
SCHEMA_VERSION = 1
LEDGER_STATUSES = ("stored", "duplicate", "failed", "superseded")
# Region key used for documents whose region could not be read (compliance bookkeeping).
NO_REGION = ""

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String(16), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("path", Text, nullable=False),
    Column("format", String(8), nullable=False),
    Column("pages", Integer),
    Column("ocr", Boolean, nullable=False, default=False),
    Column("issuer", Text),
    Column("region_code", String(16), index=True),
    Column("region_name", Text),
    Column("level", String(16)),
    Column("municipality", Text),
    Column("doc_type", Text),
    Column("number", Text),
    Column("date", Date),
    Column("title", Text),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("amends", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("activity_count", Integer, nullable=False, default=0),
    # Another rendition (DOCX/PDF/scan) of the same act, preferred over this one.
    Column("duplicate_of", String(16)),
    Column("superseded_by", String(16)),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    Column("document", JSON, nullable=False),
)

activities = Table(
    "activities", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("seq", Text),
    Column("section", Text),
    Column("text", Text, nullable=False),
    Column("schedule_raw", Text, nullable=False),
    Column("schedule_kind", String(16), nullable=False),
    Column("schedule_start", Date),
    Column("schedule_end", Date),
    Column("schedule_dates", JSON, nullable=False),
    Column("schedule_recurrence", Text),
    Column("federal_schedule", JSON),
    Column("result", Text),
    Column("page", Integer),
    Column("table_no", Integer, nullable=False),
    Column("row_no", Integer, nullable=False),
    UniqueConstraint("document_id", "position"),
)

parties = Table(
    "parties", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("activity_id", Integer, ForeignKey("activities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("raw", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(24), nullable=False),
)

indicators = Table(
    "indicators", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("activity_id", Integer, ForeignKey("activities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("target", Float),
    Column("unit", Text),
    Column("comparator", String(2)),
)

compliance = Table(
    "compliance", metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("milestone_id", String(120), primary_key=True),
    Column("region_code", String(16)),
    Column("federal_deadline", Date, nullable=False),
    Column("activity_seq", Text),
    Column("activity_text", Text),
    Column("match_score", Float),
    Column("planned_end", Date),
    Column("status", String(16), nullable=False),
    Column("delta_days", Integer),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

# Regions whose compliance must be recomputed (written in the same transaction as the change
# that makes it stale, so a killed run leaves the work to the next one instead of losing it).
pending_compliance = Table(
    "pending_compliance", metadata,
    Column("region_key", String(16), primary_key=True),
    Column("marked_at", DateTime(timezone=True), nullable=False),
)

ingest_ledger = Table(
    "ingest_ledger", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("format", String(16)),
    Column("status", String(16), nullable=False),
    Column("error", Text),
    Column("document_id", String(16)),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("path", "sha256", name="uq_ledger_path_sha256"),
)

# version → upgrade function run inside one transaction, for databases older than it.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}

_CONTENT_TABLES = (documents, activities, parties, indicators, compliance, ingest_ledger)


def resolve_db_url(db: Optional[str] = None) -> str:
    """A SQLAlchemy URL from --db, else $ROADMAP_DB, else ./roadmaps.db.

    A bare path means an SQLite file; `postgresql://` and `postgres://` get the psycopg driver.
    """
    value = (db or os.environ.get("ROADMAP_DB") or DEFAULT_DB).strip()
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    return value


def redact_url(url: str) -> str:
    """The URL without its password, for messages and summaries."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _now() -> datetime:
    return datetime.now(timezone.utc)


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


@dataclass(frozen=True)
class StoreResult:
    """What storing one file did: the ledger status of its file (`stored`; `duplicate` when
    the bytes or the act were already stored; `superseded` when a stored act amends it)."""

    status: str
    document_id: str
    activities: int
    note: Optional[str] = None


def _region_key(code: Optional[str]) -> str:
    return code or NO_REGION


class Store:
    """One database. Open with `Store(url)`; every public method runs its own transaction."""

    def __init__(self, url: Optional[str] = None, *, create: bool = True) -> None:
        self.url = resolve_db_url(url)
        self.engine: Engine = _make_engine(self.url)
        self.dialect = self.engine.dialect.name
        if create:
            self.migrate()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def migrate(self) -> int:
        """Create the schema on first use, or upgrade it; returns the version now in force."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(5005002022)"))
            schema_version.create(conn, checkfirst=True)
            current = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if current is None:
                metadata.create_all(conn, checkfirst=True)
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION, applied_at=_now()))
                return SCHEMA_VERSION
            if current > SCHEMA_VERSION:
                raise RuntimeError(
                    f"database schema version {current} is newer than this program's {SCHEMA_VERSION}"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](conn)
                conn.execute(insert(schema_version).values(version=version, applied_at=_now()))
            return SCHEMA_VERSION

    def version(self) -> Optional[int]:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("schema_version"):
                return None
            return conn.execute(select(func.max(schema_version.c.version))).scalar()

    # -- ledger ---------------------------------------------------------------------------

    def stored_hashes(self, hashes: Optional[Iterable[str]] = None) -> dict[str, str]:
        """sha256 → document id of the documents already stored (among `hashes` when given)."""
        query = select(documents.c.sha256, documents.c.id)
        wanted = None if hashes is None else list(set(hashes))
        result: dict[str, str] = {}
        with self.engine.connect() as conn:
            if wanted is None:
                return dict(conn.execute(query).all())
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                result.update(conn.execute(query.where(documents.c.sha256.in_(chunk))).all())
        return result

    def record_failure(self, path: str, sha256: str, size: int, fmt: Optional[str], reason: str) -> None:
        """A file that could not be stored, with its one-line reason."""
        self._write(lambda conn: self._upsert_ledger(conn, path, sha256, size, fmt, "failed", _one_line(reason), None))

    def record_duplicate(self, path: str, sha256: str, size: int, fmt: Optional[str]) -> Optional[str]:
        """A file whose bytes are already stored. Returns the document id, or None when the
        bytes are in fact not stored (the caller must then extract and store the file)."""
        def work(conn: Connection) -> Optional[str]:
            doc_id = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()
            if doc_id is not None:
                self._upsert_ledger(conn, path, sha256, size, fmt, "duplicate", None, doc_id)
            return doc_id

        return self._write(work)

    def ledger(self) -> list[LedgerEntry]:
        """Every file ever seen, by path."""
        c = ingest_ledger.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(
                c.path, c.sha256, c.size, c.format, c.status, c.error, c.document_id, c.first_seen, c.last_seen,
            ).order_by(c.path, c.first_seen, c.sha256)).all()
        return [LedgerEntry(*row) for row in rows]

    def _upsert_ledger(self, conn: Connection, path: str, sha256: str, size: int, fmt: Optional[str],
                       status: str, error: Optional[str], document_id: Optional[str]) -> None:
        """One row per (path, bytes). Seeing the same file again keeps what it already is
        (a stored file re-seen is still the stored one), but a failure that now stores
        becomes stored, and a repeated failure keeps its latest reason."""
        c = ingest_ledger.c
        now = _now()
        row = conn.execute(
            select(c.id, c.status).where(c.path == path, c.sha256 == sha256)
        ).first()
        if row is None:
            if status == "duplicate" and document_id is not None:
                status, error = self._status_for_document(conn, path, document_id)
            conn.execute(insert(ingest_ledger).values(
                path=path, sha256=sha256, size=size, format=fmt, status=status, error=error,
                document_id=document_id, first_seen=now, last_seen=now,
            ))
            return
        values: dict[str, Any] = {"last_seen": now}
        known_good = row.status != "failed"
        if not known_good or status == "stored":
            values.update(status=status, error=error, format=fmt)
            if document_id is not None:
                values["document_id"] = document_id
        conn.execute(update(ingest_ledger).where(c.id == row.id).values(**values))

    def _status_for_document(self, conn: Connection, path: str, document_id: str) -> tuple[str, Optional[str]]:
        """A first sighting of known bytes: the file the document came from has the
        document's own status; any other copy is a duplicate of those bytes."""
        c = documents.c
        doc = conn.execute(select(c.path, c.superseded_by, c.duplicate_of).where(c.id == document_id)).first()
        if doc is not None and doc.path == path:
            return self._origin_status(conn, doc.superseded_by, doc.duplicate_of)
        return "duplicate", f"same bytes as {doc.path}" if doc is not None else None

    def _origin_status(self, conn: Connection, superseded_by: Optional[str],
                       duplicate_of: Optional[str]) -> tuple[str, Optional[str]]:
        """Ledger status and note of the file a document was stored from."""
        if superseded_by:
            return "superseded", f"superseded by {self._describe(conn, superseded_by)}"
        if duplicate_of:
            return "duplicate", f"same act as {self._describe(conn, duplicate_of)}"
        return "stored", None

    def _describe(self, conn: Connection, document_id: str) -> str:
        c = documents.c
        row = conn.execute(select(c.doc_type, c.number, c.date, c.path).where(c.id == document_id)).first()
        if row is None:
            return document_id
        act = " ".join(x for x in (row.doc_type, f"№ {row.number}" if row.number else None,
                                   f"of {row.date.isoformat()}" if row.date else None) if x)
        return f"{act} ({row.path})" if act else row.path

    # -- documents ------------------------------------------------------------------------

    def store_document(self, doc: RoadmapDocument, *, path: Optional[str] = None,
                       size: Optional[int] = None) -> StoreResult:
        """Store one extracted document with its ledger row, in one transaction.

        Bytes already stored are recorded as a duplicate and store nothing new.
        """
        path = path or doc.source.path
        sha = doc.source.sha256
        size = size if size is not None else _file_size(path)
        region = doc.region.code if doc.region else None

        def work(conn: Connection) -> StoreResult:
            # One writer per region at a time: the versions of a region are computed from
            # what it holds, which a concurrent writer's uncommitted act would not be part of.
            self._lock_region(conn, region)
            known = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha)).scalar()
            if known is not None:
                self._upsert_ledger(conn, path, sha, size, doc.source.format, "duplicate", None, known)
                return StoreResult("duplicate", known, 0, "same bytes already stored")
            self._insert_document(conn, doc, path)
            self._upsert_ledger(conn, path, sha, size, doc.source.format, "stored", None, doc.id)
            self._mark_pending(conn, [_region_key(region)])
            self._refresh_region(conn, region)
            status, note = conn.execute(select(ingest_ledger.c.status, ingest_ledger.c.error).where(
                ingest_ledger.c.path == path, ingest_ledger.c.sha256 == sha)).one()
            return StoreResult(status, doc.id, len(doc.activities), note)

        return self._write(work)

    def _write(self, work: Callable[[Connection], Any], attempts: int = 6) -> Any:
        """Run `work` in one transaction, again when a concurrent writer got there first
        (a unique key it inserted meanwhile, a deadlock or serialization failure)."""
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except (IntegrityError, OperationalError) as exc:
                if attempt == attempts - 1 or not _is_write_conflict(exc):
                    raise
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")

    def _lock_region(self, conn: Connection, region_code: Optional[str]) -> None:
        """PostgreSQL: a transaction-scoped advisory lock on the region (SQLite's BEGIN
        IMMEDIATE already admits one writer at a time)."""
        if self.dialect == "postgresql":
            digest = hashlib.sha256(f"roadmap-region:{_region_key(region_code)}".encode()).digest()
            key = int.from_bytes(digest[:8], "big", signed=True)
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def _insert_document(self, conn: Connection, doc: RoadmapDocument, path: str) -> None:
        data = doc.to_json_dict()
        data["source"]["path"] = path
        conn.execute(insert(documents).values(
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
            stored_at=_now(), document=data,
        ))
        if not doc.activities:
            return
        activity_rows = []
        for position, (a, a_json) in enumerate(zip(doc.activities, data["activities"]), start=1):
            activity_rows.append(dict(
                document_id=doc.id, position=position, seq=a.seq, section=a.section, text=a.text,
                schedule_raw=a.schedule.raw, schedule_kind=a.schedule.kind,
                schedule_start=a.schedule.start, schedule_end=a.schedule.end,
                schedule_dates=a_json["schedule"]["dates"], schedule_recurrence=a.schedule.recurrence,
                federal_schedule=a_json["federal_schedule"], result=a.result,
                page=a.source.page, table_no=a.source.table, row_no=a.source.row,
            ))
        ids = conn.execute(
            insert(activities).returning(activities.c.id, sort_by_parameter_order=True), activity_rows
        ).scalars().all()
        party_rows = []
        indicator_rows = []
        for activity_id, a in zip(ids, doc.activities):
            for position, p in enumerate(a.responsible, start=1):
                party_rows.append(dict(activity_id=activity_id, position=position, raw=p.raw,
                                       name=p.name, kind=p.kind))
            for position, ind in enumerate(a.indicators, start=1):
                indicator_rows.append(dict(activity_id=activity_id, position=position, text=ind.text,
                                           target=ind.target, unit=ind.unit, comparator=ind.comparator))
        if party_rows:
            conn.execute(insert(parties), party_rows)
        if indicator_rows:
            conn.execute(insert(indicators), indicator_rows)

    def document(self, document_id: str) -> Optional[RoadmapDocument]:
        with self.engine.connect() as conn:
            data = conn.execute(select(documents.c.document).where(documents.c.id == document_id)).scalar()
        return None if data is None else RoadmapDocument.model_validate(data)

    def documents(self, region_code: Optional[str] = None, *, current_only: bool = False) -> list[RoadmapDocument]:
        """Stored documents (of one region when given), oldest act first."""
        c = documents.c
        query = select(c.document)
        if region_code is not None:
            query = query.where(c.region_code == region_code)
        if current_only:
            query = query.where(c.superseded_by.is_(None), c.duplicate_of.is_(None))
        query = query.order_by(c.region_code, c.date, c.stored_at, c.id)
        with self.engine.connect() as conn:
            return [RoadmapDocument.model_validate(d) for d in conn.execute(query).scalars()]

    def current_documents(self, region_code: Optional[str] = None) -> list[RoadmapDocument]:
        """What is in force: documents no later act amends, one rendition per act."""
        return self.documents(region_code, current_only=True)

    def current_plan(self, region_code: str) -> Optional[RoadmapDocument]:
        """The plan in force for a region: its newest act no later act amends, a regional-level
        act preferred over a territorial or municipal one."""
        rank = {"regional": 0, None: 1, "territorial": 2, "municipal": 3}
        docs = self.current_documents(region_code)
        if not docs:
            return None
        return min(docs, key=lambda d: (rank.get(d.level, 4), -(d.date.toordinal() if d.date else 0)))

    def superseded_by(self) -> dict[str, Optional[str]]:
        """document id → id of the act that amends it (None when no stored act does)."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(documents.c.id, documents.c.superseded_by)).all())

    def duplicate_of(self) -> dict[str, Optional[str]]:
        """document id → id of the preferred rendition of the same act (None for that one)."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(documents.c.id, documents.c.duplicate_of)).all())

    # -- versions: amendments supersede --------------------------------------------------

    def refresh_supersession(self, region_codes: Optional[Iterable[Optional[str]]] = None) -> set[str]:
        """Recompute which acts later acts amend (all regions when None); returns the region
        keys whose state changed."""
        changed: set[str] = set()
        with self.engine.begin() as conn:
            if region_codes is None:
                region_codes = conn.execute(select(documents.c.region_code).distinct()).scalars().all()
            for code in sorted(set(region_codes), key=_region_key):
                self._lock_region(conn, code)
                if self._refresh_region(conn, code):
                    changed.add(_region_key(code))
        return changed

    def _refresh_region(self, conn: Connection, region_code: Optional[str]) -> bool:
        if region_code is None:
            return False  # "the same region" cannot be established
        c = documents.c
        rows = conn.execute(select(
            c.id, c.path, c.number, c.date, c.level, c.doc_type, c.amends, c.format, c.ocr, c.activity_count,
            c.superseded_by, c.duplicate_of,
        ).where(c.region_code == region_code)).all()
        wanted = resolve_versions(rows)
        changed = [row for row in rows if wanted[row.id] != (row.superseded_by, row.duplicate_of)]
        for row in changed:
            superseded_by, duplicate_of = wanted[row.id]
            conn.execute(update(documents).where(c.id == row.id).values(
                superseded_by=superseded_by, duplicate_of=duplicate_of))
        for row in changed:
            status, note = self._origin_status(conn, *wanted[row.id])
            conn.execute(update(ingest_ledger).where(
                ingest_ledger.c.document_id == row.id, ingest_ledger.c.path == row.path,
            ).values(status=status, error=note))
        if changed:
            self._mark_pending(conn, [region_code])
        return bool(changed)

    # -- compliance -----------------------------------------------------------------------

    def _mark_pending(self, conn: Connection, region_keys: Iterable[str]) -> None:
        for key in set(region_keys):
            exists = conn.execute(
                select(pending_compliance.c.region_key).where(pending_compliance.c.region_key == key)
            ).first()
            if exists is None:
                conn.execute(insert(pending_compliance).values(region_key=key, marked_at=_now()))

    def pending_compliance_regions(self) -> list[str]:
        """Region keys whose compliance is stale ("" = documents without a region)."""
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(pending_compliance.c.region_key)).scalars())

    def update_compliance(self, region_key: str,
                          compute: Callable[[RoadmapDocument], Sequence[ComplianceRow]]) -> int:
        """Replace one region's compliance rows by those of its current documents, and clear
        its pending mark, in one transaction. Returns the number of rows written."""
        c = documents.c
        region_filter = c.region_code.is_(None) if region_key == NO_REGION else c.region_code == region_key
        with self.engine.begin() as conn:
            self._lock_region(conn, region_key or None)
            doc_rows = conn.execute(
                select(c.id, c.document, c.superseded_by, c.duplicate_of).where(region_filter)).all()
            ids = [r.id for r in doc_rows]
            if ids:
                conn.execute(delete(compliance).where(compliance.c.document_id.in_(ids)))
            rows = []
            now = _now()
            for r in doc_rows:
                if r.superseded_by is not None or r.duplicate_of is not None:
                    continue
                for cr in compute(RoadmapDocument.model_validate(r.document)):
                    rows.append(dict(cr.model_dump(), computed_at=now))
            if rows:
                conn.execute(insert(compliance), rows)
            conn.execute(delete(pending_compliance).where(pending_compliance.c.region_key == region_key))
        return len(rows)

    def compliance(self, region_code: Optional[str] = None) -> list[ComplianceRow]:
        cols = [compliance.c[name] for name in ComplianceRow.model_fields]
        query = select(*cols).order_by(compliance.c.region_code, compliance.c.document_id,
                                       compliance.c.federal_deadline, compliance.c.milestone_id)
        if region_code is not None:
            query = query.where(compliance.c.region_code == region_code)
        with self.engine.connect() as conn:
            return [ComplianceRow(**row._mapping) for row in conn.execute(query)]

    # -- reading for export and comparison -----------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per content table."""
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in _CONTENT_TABLES}

    def current_activity_records(self) -> list[dict]:
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
        with self.engine.connect() as conn:
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

    def content_snapshot(self) -> dict[str, list[tuple]]:
        """Every content table's rows without surrogate keys and timestamps, sorted: two
        stores holding the same documents, ledger and compliance compare equal."""
        a = activities.c
        skip = {"id", "activity_id", "stored_at", "computed_at", "first_seen", "last_seen", "marked_at"}
        out: dict[str, list[tuple]] = {}
        with self.engine.connect() as conn:
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

    def drop_all(self) -> None:
        """Remove every table of the store (tests; a fresh start)."""
        with self.engine.begin() as conn:
            metadata.drop_all(conn, checkfirst=True)


@contextmanager
def scratch_database(server_url: str, prefix: str = "roadmap_scratch") -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database on the server of `server_url`, dropped
    afterwards: tests and benchmarks get an empty store without touching the given one."""
    base = make_url(resolve_db_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _ensure_wal(cur: Any, attempts: int = 50) -> None:
    """Switch a SQLite file to WAL once. The switch needs the file to itself and SQLite
    answers "database is locked" at once, without the busy handler, when another
    connection is writing, so it is retried; a file already in WAL mode is left alone."""
    import sqlite3
    import time

    for attempt in range(attempts):
        if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            return
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _is_write_conflict(exc: Exception) -> bool:
    """A unique key a concurrent writer inserted first, or a deadlock / serialization failure
    (PostgreSQL 40P01 / 40001): worth running the transaction again."""
    if isinstance(exc, IntegrityError):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return code in {"40P01", "40001"} or "database is locked" in str(exc)


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[1] if "///" in url else ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's BEGIN below decide transactions (pysqlite's own is lazy and
            # would upgrade read locks to write locks mid-transaction → SQLITE_BUSY).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            _ensure_wal(cur)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            # Writers queue on the busy timeout instead of failing on a lock upgrade.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


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
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _fmt_number(value: Optional[float]) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _one_line(reason: str) -> str:
    line = " ".join(str(reason).split())
    return line[:500] if line else "unknown error"


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0

