"""What differs between the databases the store runs on, one small object per database.

Everything else (tables, queries, transactions) is one SQLAlchemy Core code path. The
differences: how a URL is spelled, how the engine is set up, how writers are kept apart
(SQLite's BEGIN IMMEDIATE admits one writer at a time; PostgreSQL takes transaction-scoped
advisory locks) and which errors mean "a concurrent writer got there first, run it again".
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import orjson
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError

from language.patterns import compiled

DEFAULT_DB = "./roadmaps.db"


def json_text(value: Any) -> str:
    """A JSON column's value as stored: orjson, UTF-8 as it is. SQLAlchemy's default,
    `json.dumps`, escapes every Cyrillic letter as `\\uXXXX` — twice the bytes of a stored
    document — and is 3× slower on a stored document. `json.dumps` remains
    for what orjson refuses (an integer beyond 64 bits)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False)


def json_value(text_: str) -> Any:
    """A stored JSON column read back (also what `json.dumps` wrote before: NaN included)."""
    try:
        return orjson.loads(text_)
    except orjson.JSONDecodeError:
        return json.loads(text_)


JSON_CODEC = {"json_serializer": json_text, "json_deserializer": json_value}


class Dialect:
    """The differences of one database. The base class is any other server SQLAlchemy
    speaks: no locks beyond the database's own, only unique-key clashes retried."""

    name = ""

    def make_engine(self, url: str) -> Engine:
        return create_engine(url, pool_pre_ping=True, **JSON_CODEC)

    def lock_schema(self, conn: Connection) -> None:
        """Keep concurrent first uses from creating or upgrading the schema twice."""

    def lock_region(self, conn: Connection, region_key: str) -> None:
        """Admit one writer per region at a time, until the transaction ends."""

    def is_write_conflict(self, exc: Exception) -> bool:
        """A unique key a concurrent writer inserted first: worth running the transaction again."""
        return isinstance(exc, IntegrityError)


class SQLite(Dialect):
    """An embedded file in WAL mode; BEGIN IMMEDIATE makes writers queue on the busy timeout."""

    name = "sqlite"

    def make_engine(self, url: str) -> Engine:
        database = url.split("///", 1)[1] if "///" in url else ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **JSON_CODEC)

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

    def is_write_conflict(self, exc: Exception) -> bool:
        return super().is_write_conflict(exc) or "database is locked" in str(exc)


class PostgreSQL(Dialect):
    """A server (psycopg 3); writers of one region serialise on an advisory lock."""

    name = "postgresql"
    SCHEMA_LOCK = 5005002022
    # Deadlock / serialization failure.
    RETRY_SQLSTATES = frozenset({"40P01", "40001"})

    def lock_schema(self, conn: Connection) -> None:
        conn.execute(text(f"SELECT pg_advisory_xact_lock({self.SCHEMA_LOCK})"))

    def lock_region(self, conn: Connection, region_key: str) -> None:
        digest = hashlib.sha256(f"roadmap-region:{region_key}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def is_write_conflict(self, exc: Exception) -> bool:
        code = getattr(getattr(exc, "orig", None), "sqlstate", None)
        return super().is_write_conflict(exc) or code in self.RETRY_SQLSTATES


DIALECTS: dict[str, type[Dialect]] = {"sqlite": SQLite, "postgresql": PostgreSQL}


def dialect_for(url: str) -> Dialect:
    return DIALECTS.get(make_url(url).get_backend_name(), Dialect)()


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
    return compiled(r"(://[^:/@]+):[^@]*@").sub(r"\1:***@", url)


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
