"""The roadmap store: documents, activities, parties, indicators, compliance and the ingest
ledger, in an embedded SQLite file or in PostgreSQL — one SQLAlchemy Core code path for both.

Why it looks the way it does:
- Every stored document is written in ONE transaction together with its ledger row, so a
  process killed mid-ingest leaves either the whole document or nothing; re-running the
  ingest then converges on the same database as one clean run.
- Identity is the sha256 of the file bytes: the same bytes never store twice.
- Which documents are in force is derived state, recomputed per region inside the storing
  transaction (see documents.py).
- Which regions need their compliance recomputed is a table written in the same
  transactions, so a killed run leaves that work to the next one instead of losing it.
- The schema carries a version table; `MIGRATIONS` upgrades older databases in order.

The modules: tables (the schema), dialects (what differs between SQLite and PostgreSQL),
ledger, documents (writing and versions), records (reading back); `Store` here is the one
entry point, each public method one transaction.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from sqlalchemy import bindparam, delete, func, insert, inspect, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from schema import ComplianceRow, Correction, ReviewItem, RoadmapDocument
from pipeline.corrections import CorrectionError, CorrectionRequest, correct_rows, correction_notes
from pipeline.store import corrections as corrections_store
from pipeline.store import records
from pipeline.store.corrections import as_corrected, corrected_documents, stored_corrections
from pipeline.store.dialects import (
    DEFAULT_DB, Dialect, dialect_for, redact_url, resolve_db_url, scratch_database,
)
from pipeline.store.documents import insert_documents, mark_pending, refresh_region, took_the_place_of
from pipeline.store.migrations import MIGRATIONS
from pipeline.store.rows import insert_rows
from pipeline.store.ledger import (
    FileState, LedgerEntry, file_size, file_states, ledger_entries, ledger_rows, one_line, record_stored,
    seen_again, upsert_ledger,
)
from pipeline.store.tables import (
    CONTENT_TABLES, LEDGER_STATUSES, NO_REGION, SCHEMA_VERSION, compliance, documents,
    metadata, now, pending_compliance, region_key, schema_version,
)

# Regions whose compliance is rewritten in one transaction: few statements for a pass over
# many regions, few documents' ids in one statement.
COMPLIANCE_GROUP = 32


def compliance_groups(region_keys: Sequence[str]) -> list[Sequence[str]]:
    """The regions in order, COMPLIANCE_GROUP of them a group: one `update_compliance_of` each."""
    return [region_keys[n:n + COMPLIANCE_GROUP] for n in range(0, len(region_keys), COMPLIANCE_GROUP)]

_DOCUMENTS_BY_SHA = select(documents.c.sha256, documents.c.id).where(
    documents.c.sha256.in_(bindparam("shas", expanding=True)))


def _of_regions(region_keys: Iterable[str]) -> Any:
    """A filter on documents: those of the regions with these keys (NO_REGION: without a region)."""
    keys = set(region_keys)
    codes = sorted(keys - {NO_REGION})
    of_codes = documents.c.region_code.in_(codes)
    return or_(of_codes, documents.c.region_code.is_(None)) if NO_REGION in keys else of_codes

__all__ = [
    "COMPLIANCE_GROUP", "compliance_groups", "CorrectionError", "CorrectionRequest", "DEFAULT_DB", "LEDGER_STATUSES", "MIGRATIONS", "NO_REGION", "SCHEMA_VERSION", "Dialect", "FileState", "LedgerEntry",
    "Store", "StoreResult", "metadata", "redact_url", "resolve_db_url", "scratch_database",
]


@dataclass(frozen=True)
class StoreResult:
    """What storing one file did: the ledger status of its file (`stored`; `duplicate` when
    the bytes or the act were already stored; `superseded` when a stored act amends it)."""

    status: str
    document_id: str
    activities: int
    note: Optional[str] = None


class Store:
    """One database. Open with `Store(url)`; every public method runs its own transaction."""

    def __init__(self, url: Optional[str] = None, *, create: bool = True) -> None:
        self.url = resolve_db_url(url)
        self.dialect: Dialect = dialect_for(self.url)
        self.engine: Engine = self.dialect.make_engine(self.url)
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
            self.dialect.lock_schema(conn)
            schema_version.create(conn, checkfirst=True)
            current = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if current is None:
                metadata.create_all(conn, checkfirst=True)
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION, applied_at=now()))
                return SCHEMA_VERSION
            if current > SCHEMA_VERSION:
                raise RuntimeError(
                    f"database schema version {current} is newer than this program's {SCHEMA_VERSION}"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](conn)
                conn.execute(insert(schema_version).values(version=version, applied_at=now()))
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

    def record_failure(self, path: str, sha256: str, size: int, fmt: Optional[str], reason: str,
                       status: str = "failed") -> None:
        """A file that could not be stored, with its one-line reason: `failed` (an order that
        could not be read) or `skipped` (a stray file that is no order)."""
        self._write(lambda conn: upsert_ledger(conn, path, sha256, size, fmt, status, one_line(reason), None))

    def record_duplicate(self, path: str, sha256: str, size: int, fmt: Optional[str]) -> Optional[str]:
        """A file whose bytes are already stored. Returns the document id, or None when the
        bytes are in fact not stored (the caller must then extract and store the file)."""
        def work(conn: Connection) -> Optional[str]:
            doc_id = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()
            if doc_id is not None:
                upsert_ledger(conn, path, sha256, size, fmt, "duplicate", None, doc_id)
            return doc_id

        return self._write(work)

    def seen_again(self, keys: Iterable[tuple[str, str]]) -> None:
        """(path, sha256) rows seen again unchanged and not read again: `last_seen` only."""
        keys = list(keys)
        if keys:
            self._write(lambda conn: seen_again(conn, keys))

    def ledger(self) -> list[LedgerEntry]:
        """Every file ever seen, by path."""
        with self.engine.connect() as conn:
            return ledger_entries(conn)

    def file_states(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], FileState]:
        """(path, sha256) → the ledger's word on that file now, with its document's region,
        activity count and act (for the keys the ledger has)."""
        with self.engine.connect() as conn:
            return file_states(conn, keys)

    # -- documents ------------------------------------------------------------------------

    def store_document(self, doc: RoadmapDocument, *, path: Optional[str] = None,
                       size: Optional[int] = None) -> StoreResult:
        """Store one extracted document with its ledger row, in one transaction.

        Bytes already stored are recorded as a duplicate and store nothing new.
        """
        return self.store_documents([(doc, path, size)])[0]

    def store_documents(self, entries: Sequence[tuple[RoadmapDocument, Optional[str], Optional[int]]]
                        ) -> list[StoreResult]:
        """Store several extracted documents, each (document, path or None, size or None), in
        one transaction: what storing them one by one would leave, for a fraction of the
        cost — one commit, and each region's versions recomputed once (they are re-read in
        full: the largest part of storing a document into a region that holds many).

        If the transaction fails (after `_write`'s retries when a concurrent writer got there
        first), the documents are stored one by one instead, so the error (raised as before)
        is the one document's that caused it and those before it are kept."""
        if not entries:
            return []
        prepared = []
        for doc, path, size in entries:
            path = path or doc.source.path
            prepared.append((doc, path, size if size is not None else file_size(path)))
        regions = sorted({region_key(doc.region.code if doc.region else None) for doc, _, _ in prepared})

        def work(conn: Connection) -> list[StoreResult]:
            # One writer per region at a time: the versions of a region are computed from
            # what it holds, which a concurrent writer's uncommitted act would not be part of.
            # Taken in one order by every writer, so two batches cannot wait on each other.
            for key in regions:
                self.dialect.lock_region(conn, key)
            # Bytes stored before, or earlier in this group: a duplicate, as one by one.
            shas = sorted({doc.source.sha256 for doc, _, _ in prepared})
            stored = {sha: doc_id for sha, doc_id in conn.execute(_DOCUMENTS_BY_SHA, {"shas": shas})}
            known: list[Optional[str]] = []
            new: list[tuple[RoadmapDocument, str, int]] = []  # the entries stored now, in order
            for doc, path, size in prepared:
                known.append(stored.get(doc.source.sha256))
                if known[-1] is None:
                    stored[doc.source.sha256] = doc.id
                    new.append((doc, path, size))
            insert_documents(conn, [(doc, path) for doc, path, _ in new])
            # The stored files' ledger rows first: a duplicate's note reads only the document.
            record_stored(conn, [(path, doc.source.sha256, size, doc.source.format, doc.id) for doc, path, size in new])
            stored_regions = {doc.region.code if doc.region else None for doc, _, _ in new}
            for (doc, path, size), doc_id in zip(prepared, known):
                if doc_id is not None:
                    upsert_ledger(conn, path, doc.source.sha256, size, doc.source.format, "duplicate", None, doc_id)
            if stored_regions:
                mark_pending(conn, [region_key(code) for code in stored_regions])
            changes = [change for code in sorted(stored_regions, key=region_key)
                       for change in refresh_region(conn, code)]
            in_place_of = took_the_place_of(conn, changes, [doc.id for doc, _, _ in new])
            results = []
            ledger = {(r.path, r.sha256): (r.status, r.error)
                      for r in ledger_rows(conn, [(path, doc.source.sha256) for doc, path, _ in prepared])}
            for (doc, path, _), doc_id in zip(prepared, known):
                status, note = ledger[(path, doc.source.sha256)]
                if doc_id is not None:
                    results.append(StoreResult("duplicate", doc_id, 0, note))
                else:
                    results.append(StoreResult(status, doc.id, len(doc.activities), note or in_place_of.get(doc.id)))
            return results

        try:
            return self._write(work)
        except Exception:
            if len(prepared) == 1:
                raise
            return [result for doc, path, size in prepared
                    for result in self.store_documents([(doc, path, size)])]

    def _write(self, work: Callable[[Connection], Any], attempts: int = 6) -> Any:
        """Run `work` in one transaction, again when a concurrent writer got there first
        (a unique key it inserted meanwhile, a deadlock or serialization failure)."""
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except (IntegrityError, OperationalError) as exc:
                if attempt == attempts - 1 or not self.dialect.is_write_conflict(exc):
                    raise
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")

    def _read(self, query: Any, corrected: bool) -> list[RoadmapDocument]:
        """The one way documents are read: as corrected (pipeline/corrections.py), unless
        `corrected=False` asks for them as extracted."""
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            if corrected:
                return corrected_documents(conn, rows)
        return [RoadmapDocument.model_validate(r.document) for r in rows]

    def document(self, document_id: str, *, corrected: bool = True) -> Optional[RoadmapDocument]:
        found = self._read(select(documents.c.document, documents.c.act_id).where(documents.c.id == document_id),
                           corrected)
        return found[0] if found else None

    def documents(self, region_code: Optional[str] = None, *, current_only: bool = False,
                  corrected: bool = True) -> list[RoadmapDocument]:
        """Stored documents (of one region when given), oldest act first, as corrected."""
        c = documents.c
        query = select(c.document, c.act_id)
        if region_code is not None:
            query = query.where(c.region_code == region_code)
        if current_only:
            query = query.where(c.superseded_by.is_(None), c.duplicate_of.is_(None))
        query = query.order_by(c.region_code, c.date, c.stored_at, c.id)
        return self._read(query, corrected)

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
            for code in sorted(set(region_codes), key=region_key):
                self.dialect.lock_region(conn, region_key(code))
                if refresh_region(conn, code):
                    changed.add(region_key(code))
        return changed

    # -- compliance -----------------------------------------------------------------------

    def pending_compliance_regions(self) -> list[str]:
        """Region keys whose compliance is stale ("" = documents without a region)."""
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(pending_compliance.c.region_key)).scalars())

    def current_document_ids(self, region_keys: Iterable[str]) -> list[str]:
        """Ids of the regions' documents in force (those their compliance is computed for)."""
        c = documents.c
        with self.engine.connect() as conn:
            return list(conn.execute(select(c.id).where(
                _of_regions(region_keys), c.superseded_by.is_(None), c.duplicate_of.is_(None)).order_by(c.id)).scalars())

    def update_compliance(self, region_key: str,
                          compute: Callable[[RoadmapDocument], Sequence[ComplianceRow]],
                          known: Optional[Mapping[str, RoadmapDocument]] = None) -> int:
        """Replace one region's compliance rows by those of its current documents, and clear
        its pending mark, in one transaction. Returns the number of rows written. `known`:
        documents by id exactly as this store holds them (a run's own stored extractions),
        not read back: a document's id is its content's hash and its stored JSON never
        changes, so only the others' JSON is read and validated."""
        return self.update_compliance_of([region_key], compute, known)[region_key]

    def update_compliance_of(self, region_keys: Sequence[str],
                             compute: Callable[[RoadmapDocument], Sequence[ComplianceRow]],
                             known: Optional[Mapping[str, RoadmapDocument]] = None) -> dict[str, int]:
        """`update_compliance` of several regions in one transaction (an ingest's pass over
        the regions it changed: one transaction each cost as much as scoring them); the
        rows written per region. The regions are locked in one order, as storing locks them."""
        c = documents.c
        known = known or {}
        keys = sorted(set(region_keys))
        with self.engine.begin() as conn:
            for key in keys:
                self.dialect.lock_region(conn, key)
            doc_rows = conn.execute(select(c.id, c.act_id, c.region_code, c.superseded_by, c.duplicate_of)
                                    .where(_of_regions(keys))).all()
            ids = [r.id for r in doc_rows]
            if ids:
                conn.execute(delete(compliance).where(compliance.c.document_id.in_(ids)))
            rows = []
            written = dict.fromkeys(keys, 0)
            stamp = now()
            in_force = [r for r in doc_rows if r.superseded_by is None and r.duplicate_of is None]
            fixes = stored_corrections(conn, {r.act_id for r in in_force if r.act_id})
            for row, doc in zip(in_force, as_corrected(conn, in_force, known, fixes)):
                for cr in correct_rows(doc, compute(doc), fixes):
                    rows.append(dict(cr.model_dump(mode="json"), computed_at=stamp,
                                     federal_deadline=cr.federal_deadline, planned_end=cr.planned_end))
                    written[region_key(row.region_code)] += 1
            insert_rows(conn, compliance, rows)
            conn.execute(delete(pending_compliance).where(pending_compliance.c.region_key.in_(keys)))
        return written

    def compliance(self, region_code: Optional[str] = None) -> list[ComplianceRow]:
        cols = [compliance.c[name] for name in ComplianceRow.model_fields]
        query = select(*cols).order_by(compliance.c.region_code, compliance.c.document_id,
                                       compliance.c.federal_deadline, compliance.c.milestone_id)
        if region_code is not None:
            query = query.where(compliance.c.region_code == region_code)
        with self.engine.connect() as conn:
            return [ComplianceRow(**{**row._mapping, "needs_review": bool(row.needs_review),
                                     "review_reasons": row.review_reasons or [],
                                     "corrections": row.corrections or []})
                    for row in conn.execute(query)]

    # -- corrections and review ------------------------------------------------------------

    def add_correction(self, activity_id: Optional[str] = None, milestone_id: Optional[str] = None,
                       act_id: Optional[str] = None, *, field: Optional[str] = None, value: Any = None,
                       author: Optional[str] = None, comment: Optional[str] = None,
                       confirm: bool = False) -> Correction:
        """Record one correction (or, `confirm=True`, a confirmation) of an activity's field
        (`activity_id`) or of a compliance row's status (`act_id` + `milestone_id`); the
        affected compliance is recomputed. CorrectionError for an unknown id or a bad value.
        A correction nobody signed is recorded as by `anonymous`."""
        return self.add_corrections([CorrectionRequest(
            field=field, value=value, author=author, comment=comment, confirm=confirm,
            activity_id=activity_id, milestone_id=milestone_id, act_id=act_id)])[0]

    def add_corrections(self, requests: Sequence[CorrectionRequest], skip_unchanged: bool = False) -> list[Correction]:
        """Record a batch in one transaction: every request is resolved and validated first and
        any problem refuses them all (CorrectionError, its `problems` by request index). The
        regions they touch are marked pending in that transaction and recomputed after it.
        A correction that changes nothing is refused, or with `skip_unchanged` left out (as is
        a confirmation of what is confirmed already): the returned list holds what was recorded."""
        def work(conn: Connection) -> tuple[list[Correction], set[str]]:
            done, regions = corrections_store.record(conn, requests, skip_unchanged)
            mark_pending(conn, regions)
            return done, regions

        done, regions = self._write(work)
        self.refresh_compliance(regions)
        return done

    def refresh_compliance(self, region_keys: Optional[Iterable[str]] = None,
                           compute: Optional[Callable[[RoadmapDocument], Sequence[ComplianceRow]]] = None) -> int:
        """Recompute the given (default: every pending) region's compliance against the
        packaged timeline, or with `compute`, COMPLIANCE_GROUP regions a transaction.
        Returns the rows written."""
        keys = self.pending_compliance_regions() if region_keys is None else sorted(region_keys)
        if keys and compute is None:
            from pipeline.compare import packaged_compliance

            compute = packaged_compliance()
        return sum(sum(self.update_compliance_of(group, compute).values()) for group in compliance_groups(keys))

    def corrections(self, act_id: Optional[str] = None) -> list[Correction]:
        """Every correction and confirmation (of one act when given), oldest first."""
        with self.engine.connect() as conn:
            return corrections_store.stored_corrections(conn, None if act_id is None else [act_id])

    def review_queue(self) -> list[ReviewItem]:
        """What a person should look at, most consequential first: current compliance rows
        that need review and nobody corrected or confirmed (late, undated before on time;
        lower confidence first), and corrected activities an amending act changed."""
        c = documents.c
        with self.engine.connect() as conn:
            meta = conn.execute(select(c.id, c.act_id, c.superseded_by, c.duplicate_of)).all()
            fixes = corrections_store.stored_corrections(conn)
        act_of = {r.id: r.act_id for r in meta}
        current = self.current_documents()
        in_force = {d.id for d in current}
        amending = {r.id: r.superseded_by for r in meta if r.superseded_by in in_force and r.duplicate_of is None
                    and any(f.act_id == r.act_id for f in fixes)}
        amended: dict[str, list[RoadmapDocument]] = {}
        as_read: dict[str, RoadmapDocument] = {}
        for old_id, new_id in amending.items():
            amended.setdefault(new_id, []).append(self.document(old_id, corrected=False))
            as_read.setdefault(new_id, self.document(new_id, corrected=False))
        return corrections_store.review_queue(self.compliance(), current, act_of, amended, fixes, as_read)

    # -- reading for export and comparison -----------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per content table."""
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in CONTENT_TABLES}

    def current_activity_records(self) -> list[dict]:
        """One flat record per activity of the documents in force, as corrected, in document
        order: the columns of the one activity table (pipeline/reports/activities.py), with
        the corrections each activity's values rest on."""
        from pipeline.reports.activities import document_records

        fixes = self.corrections()
        return list(document_records(self.current_documents(), lambda doc: correction_notes(doc, fixes)))

    def content_snapshot(self) -> dict[str, list[tuple]]:
        """Every content table's rows without surrogate keys and timestamps, sorted: two
        stores holding the same documents, ledger and compliance compare equal."""
        with self.engine.connect() as conn:
            return records.content_snapshot(conn)

    def drop_all(self) -> None:
        """Remove every table of the store (tests; a fresh start)."""
        with self.engine.begin() as conn:
            metadata.drop_all(conn, checkfirst=True)
