"""The store's tables (SQLAlchemy Core, one definition for SQLite and PostgreSQL) and the
schema version they are at; `TABLE_MIGRATIONS` upgrade older databases (see migrations.py)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Optional

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
    text,
)
from sqlalchemy.engine import Connection

SCHEMA_VERSION = 5
# A plain string column, not a CHECK constraint: a new status needs no migration.
LEDGER_STATUSES = ("stored", "duplicate", "superseded", "skipped", "failed")
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
    # pipeline.identity.act_id: the same for every rendition of the act (corrections' key).
    (_ACT_ID := Column("act_id", String(24), index=True)),
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
    *(_REVIEW_COLUMNS := (
        Column("evidence", JSON),
        Column("confidence", Float),
        Column("needs_review", Boolean),
        Column("review_reasons", JSON),
    )),
    (_CORRECTIONS_COLUMN := Column("corrections", JSON)),
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

# A person's correction or confirmation of one field of an act's activity or compliance row
# (schema.Correction): keyed by act and stable activity id, never by file, so it outlives
# re-ingests and reaches every rendition; applied on every read (pipeline/corrections.py).
corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("act_id", String(24), nullable=False, index=True),
    Column("target_kind", String(16), nullable=False),   # activity | milestone
    Column("target", String(120), nullable=False),       # activity id or milestone id
    Column("field", String(64), nullable=False),
    Column("old_value", JSON(none_as_null=True)),
    Column("new_value", JSON(none_as_null=True)),        # null for a confirmation
    Column("kind", String(16), nullable=False),          # correct | confirm
    Column("author", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("comment", Text),
    Column("target_text", Text),                         # the activity's wording as read
    Column("document_id", String(16)),                   # the rendition it was made on
)


def _add_review_columns(conn: Connection) -> None:
    """Version 2: each compliance row keeps its evidence, confidence and review reasons."""
    for column in _REVIEW_COLUMNS:
        conn.execute(text(f"ALTER TABLE compliance ADD COLUMN {column.name} {column.type.compile(conn.dialect)}"))


def _add_corrections(conn: Connection) -> None:
    """Version 3: the corrections table, and each document's act id (computed from its row)."""
    from sqlalchemy import select, update

    from pipeline.identity import act_id_of

    conn.execute(text(f"ALTER TABLE documents ADD COLUMN act_id {_ACT_ID.type.compile(conn.dialect)}"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_act_id ON documents (act_id)"))
    c = documents.c
    for row in conn.execute(select(c.id, c.region_code, c.number, c.date, c.doc_type, c.level, c.municipality)).all():
        conn.execute(update(documents).where(c.id == row.id).values(act_id=act_id_of(row.region_code, row, row.id)))
    corrections.create(conn, checkfirst=True)
    # Rows computed before carry no evidence.activity_id.
    all_compliance_stale(conn)


def _add_row_corrections(conn: Connection) -> None:
    """Version 4: each compliance row says what people did to it (its `corrections`). Rows
    computed before say nothing: every region's compliance is stale."""
    column = _CORRECTIONS_COLUMN
    conn.execute(text(f"ALTER TABLE compliance ADD COLUMN {column.name} {column.type.compile(conn.dialect)}"))
    all_compliance_stale(conn)


def all_compliance_stale(conn: Connection) -> None:
    """Every region's compliance marked for recomputing (by the next ingest), for an upgrade
    after which the rows computed before lack what the new version's rows hold."""
    from sqlalchemy import select

    keys = {code or NO_REGION for code in conn.execute(select(documents.c.region_code).distinct()).scalars()}
    known = set(conn.execute(select(pending_compliance.c.region_key)).scalars())
    for key in sorted(keys - known):
        conn.execute(pending_compliance.insert().values(region_key=key, marked_at=now()))


# version → upgrade function run inside one transaction, for databases older than it (the
# whole list, with the upgrades that need the store's writers: pipeline/store/migrations.py).
TABLE_MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _add_review_columns, 3: _add_corrections,
                                                             4: _add_row_corrections}

CONTENT_TABLES = (documents, activities, parties, indicators, compliance, ingest_ledger)


def now() -> datetime:
    return datetime.now(timezone.utc)


def region_key(code: Optional[str]) -> str:
    return code or NO_REGION
