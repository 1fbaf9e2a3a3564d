"""The store keeps what was extracted, never stores the same bytes twice, and keeps a ledger
of every file; the same tests run on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime

import threading
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import JSON, Column, Date, Integer, MetaData, Table, insert, inspect, select

import pipeline.store as store_module
from pipeline.store import SCHEMA_VERSION, Store, metadata, resolve_db_url
from pipeline.store.rows import insert_rows
from pipeline.store.tables import activities, compliance

from store_fixtures import gold_documents, make_doc


def test_schema_is_created_on_first_use(db_url: str) -> None:
    with Store(db_url) as store:
        assert store.version() == SCHEMA_VERSION
        tables = set(inspect(store.engine).get_table_names())
    assert set(metadata.tables) <= tables
    with Store(db_url) as again:  # reopening leaves the schema as it is
        assert again.version() == SCHEMA_VERSION
        assert again.counts()["documents"] == 0


def test_older_schema_is_migrated_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:

    Store(db_url).close()
    calls = []

    def add_note_column(conn) -> None:
        calls.append(1)
        conn.exec_driver_sql("ALTER TABLE documents ADD COLUMN note TEXT")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(store_module.MIGRATIONS, SCHEMA_VERSION + 1, add_note_column)
    with Store(db_url) as store:
        assert store.version() == SCHEMA_VERSION + 1
        columns = {c["name"] for c in inspect(store.engine).get_columns("documents")}
    assert "note" in columns
    Store(db_url).close()
    assert calls == [1]


def test_newer_schema_is_refused(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:

    Store(db_url).close()
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION - 1)
    with pytest.raises(RuntimeError, match="newer"):
        Store(db_url)


def test_documents_round_trip_with_all_their_rows(store: Store) -> None:
    docs = gold_documents()
    for doc in docs:
        result = store.store_document(doc, size=1000)
        assert (result.status, result.document_id, result.activities) == ("stored", doc.id, len(doc.activities))
    counts = store.counts()
    assert counts["documents"] == len(docs)
    assert counts["activities"] == sum(len(d.activities) for d in docs)
    assert counts["parties"] == sum(len(a.responsible) for d in docs for a in d.activities)
    assert counts["indicators"] == sum(len(a.indicators) for d in docs for a in d.activities)
    for doc in docs:
        assert store.document(doc.id) == doc


def test_same_bytes_store_nothing_new(store: Store) -> None:
    doc = gold_documents()[0]
    assert store.store_document(doc, size=10).status == "stored"
    before = store.counts()
    again = store.store_document(doc, size=10)
    assert (again.status, again.document_id) == ("duplicate", doc.id)
    assert store.counts() == before
    [entry] = store.ledger()
    assert (entry.path, entry.status, entry.document_id) == (doc.source.path, "stored", doc.id)


def test_a_copy_under_another_name_is_a_duplicate(store: Store) -> None:
    doc = gold_documents()[1]
    store.store_document(doc, size=10)
    copy = doc.model_copy(deep=True)
    copy.source.path = "/inbox/copy of order.docx"
    assert store.store_document(copy, size=10).status == "duplicate"
    assert store.record_duplicate("/inbox/third copy.pdf.docx", doc.source.sha256, 10, "docx") == doc.id
    statuses = {e.path: e.status for e in store.ledger()}
    assert statuses == {doc.source.path: "stored", "/inbox/copy of order.docx": "duplicate",
                        "/inbox/third copy.pdf.docx": "duplicate"}
    assert store.counts()["documents"] == 1


def test_a_copy_stored_with_its_original_in_one_transaction_is_a_duplicate(store: Store) -> None:
    doc = make_doc("twice")
    copy = make_doc("twice", path="/inbox/copy/twice.docx")
    results = store.store_documents([(doc, None, 10), (copy, None, 10)])
    assert [(r.status, r.document_id, r.activities) for r in results] == [
        ("stored", doc.id, len(doc.activities)), ("duplicate", doc.id, 0)]
    assert {e.path: e.status for e in store.ledger()} == {doc.source.path: "stored", copy.source.path: "duplicate"}
    assert store.counts()["documents"] == 1


def test_a_document_failing_in_a_group_fails_alone(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The group's transaction is rolled back and its documents stored one by one: those
    before the bad one are kept, the error is the bad one's, as when stored one by one."""
    first, bad, last = (make_doc(seed, number=seed) for seed in ("g1", "g2", "g3"))
    real_insert = store_module.insert_documents

    def insert(conn, entries):
        if any(doc.id == bad.id for doc, _ in entries):
            raise ValueError("cannot store g2")
        real_insert(conn, entries)

    monkeypatch.setattr(store_module, "insert_documents", insert)
    with pytest.raises(ValueError, match="cannot store g2"):
        store.store_documents([(first, None, 1), (bad, None, 1), (last, None, 1)])
    assert {e.path for e in store.ledger()} == {first.source.path}
    assert set(store.stored_hashes()) == {first.source.sha256}


def test_rows_are_written_as_sqlalchemy_would_write_them(store: Store) -> None:
    """insert_rows (a driver executemany with the columns' own bind processors) against
    SQLAlchemy's insert of the same rows: dates, JSON lists and nulls, floats, Cyrillic."""
    doc = make_doc("rows", activities=1)
    store.store_document(doc, size=1)
    document_id = doc.id
    rows = [
        dict(document_id=document_id, position=10 + n, seq=seq, section=None, text=text,
             schedule_raw=raw, schedule_kind=kind, schedule_start=start, schedule_end=end,
             schedule_dates=dates, schedule_recurrence=recurrence, federal_schedule=federal,
             result=result, page=page, table_no=1, row_no=n)
        for n, (seq, text, raw, kind, start, end, dates, recurrence, federal, result, page) in enumerate([
            ("1.", "Мониторинг «ШНОР»", "до 17.01.2022", "deadline", None, date(2022, 1, 17), [], None, None,
             "Отчёт", 3),
            (None, "Совещание", "07.02.-14.02.2022", "range", date(2022, 2, 7), date(2022, 2, 14),
             ["2022-02-07", "2022-02-14"], None, {"milestone": "m1", "note": "«кавычки»"}, None, None),
            ("3", "Ежемесячно", "ежемесячно", "recurring", None, None, [], "monthly", [], "", 1),
        ])
    ]
    activity_columns = [c for c in activities.c if c.name != "id"]
    with store.engine.begin() as conn:
        insert_rows(conn, activities, rows)
        conn.execute(insert(activities), [{**r, "position": r["position"] + 10} for r in rows])
        raw = {r[1]: r for r in conn.exec_driver_sql(
            f"SELECT {', '.join(c.name for c in activity_columns)} FROM activities WHERE position >= 10").all()}
    for r in rows:
        mine, theirs = raw[r["position"]], raw[r["position"] + 10]
        assert mine[:1] + mine[2:] == theirs[:1] + theirs[2:], r["text"]  # all but the position
    with store.engine.connect() as conn:
        back = conn.execute(select(activities).where(activities.c.position >= 10).order_by(activities.c.position)).all()
    assert [(b.schedule_start, b.schedule_end, b.schedule_dates, b.federal_schedule) for b in back[:3]] == [
        (r["schedule_start"], r["schedule_end"], r["schedule_dates"], r["federal_schedule"]) for r in rows]


def test_compliance_rows_are_written_as_sqlalchemy_would_write_them(store: Store) -> None:
    """The same for compliance rows (update_compliance): a timestamp, booleans, a float, a
    JSON object, a JSON list and nulls."""
    doc = make_doc("compliance-rows", activities=1)
    store.store_document(doc, size=1)
    stamp = datetime(2022, 3, 1, 12, 30, tzinfo=timezone.utc)
    rows = [
        dict(document_id=doc.id, milestone_id=milestone, region_code="RU-TYU", federal_deadline=date(2022, 3, 1),
             activity_seq=seq, activity_text=text, match_score=score, planned_end=planned, status=status,
             delta_days=delta, computed_at=stamp, evidence=evidence, confidence=confidence,
             needs_review=review, review_reasons=reasons)
        for milestone, seq, text, score, planned, status, delta, evidence, confidence, review, reasons in [
            ("m1", "1.", "Мониторинг", 91.5, date(2022, 2, 1), "on_time", -28,
             {"file": "a.pdf", "page": 2, "box": [1.5, 2.0, 3.25, 4.0]}, 0.9, False, []),
            ("m2", None, None, None, None, "missing", None, None, None, True, ["нет мероприятия"]),
        ]
    ]
    columns = [c.name for c in compliance.c]
    with store.engine.begin() as conn:
        insert_rows(conn, compliance, rows)
        conn.execute(insert(compliance), [{**r, "milestone_id": r["milestone_id"] + "-sqlalchemy"} for r in rows])
        raw = {r[1]: r for r in conn.exec_driver_sql(f"SELECT {', '.join(columns)} FROM compliance").all()}
    for r in rows:
        mine, theirs = raw[r["milestone_id"]], raw[r["milestone_id"] + "-sqlalchemy"]
        assert mine[:1] + mine[2:] == theirs[:1] + theirs[2:], r["milestone_id"]


@pytest.mark.parametrize("values", [
    [None, None],
    [date(2022, 1, 17), None, date(2021, 12, 31)],
    [[], None, ["2022-02-07"], {}, {"a": []}, [], "текст"],
])
def test_one_column_rows_are_written_as_sqlalchemy_would_write_them(store: Store, values: list) -> None:
    """Rows of a single column (a tuple of one value per row to the driver), dates and JSON
    cells among them: empty lists and nulls are processed once per column, not per cell."""
    scratch = MetaData()
    kind = JSON if any(isinstance(v, (list, dict, str)) for v in values) else Date
    table = Table(f"one_{kind.__name__.lower()}_{len(values)}", scratch, Column("id", Integer, primary_key=True),
                  Column("value", kind, nullable=True))
    scratch.create_all(store.engine)
    try:
        with store.engine.begin() as conn:
            insert_rows(conn, table, [{"value": v} for v in values])
            conn.execute(insert(table), [{"value": v} for v in values])
            raw = [r[0] for r in conn.exec_driver_sql(f"SELECT value FROM {table.name} ORDER BY id").all()]
        with store.engine.connect() as conn:
            back = [r[0] for r in conn.execute(select(table.c.value).order_by(table.c.id)).all()]
    finally:
        scratch.drop_all(store.engine)
    assert raw[:len(values)] == raw[len(values):]
    assert back[:len(values)] == values


def test_record_duplicate_of_unknown_bytes_asks_for_extraction(store: Store) -> None:
    assert store.record_duplicate("/inbox/new.docx", "f" * 64, 10, "docx") is None
    assert store.ledger() == []


def test_failures_keep_their_latest_one_line_reason(store: Store) -> None:
    store.record_failure("/inbox/bad.pdf", "a" * 64, 0, None, "empty file (0 bytes)")
    store.record_failure("/inbox/bad.pdf", "a" * 64, 0, None, "cannot open file:\n  Permission denied  ")
    [entry] = store.ledger()
    assert (entry.status, entry.error) == ("failed", "cannot open file: Permission denied")
    assert entry.last_seen >= entry.first_seen


def test_a_failed_file_that_later_extracts_becomes_stored(store: Store) -> None:
    doc = make_doc("flaky", path="/inbox/flaky.docx")
    store.record_failure(doc.source.path, doc.source.sha256, 5, "docx", "timeout converting")
    store.store_document(doc, size=5)
    [entry] = store.ledger()
    assert (entry.status, entry.error, entry.document_id) == ("stored", None, doc.id)


def test_a_stored_file_is_never_downgraded_to_failed(store: Store) -> None:
    doc = make_doc("good")
    store.store_document(doc, size=5)
    store.record_failure(doc.source.path, doc.source.sha256, 5, "docx", "transient glitch")
    [entry] = store.ledger()
    assert entry.status == "stored"


def test_ledger_json_has_the_documented_keys(store: Store) -> None:
    store.store_document(make_doc("a"), size=1)
    store.record_failure("/inbox/b.pdf", "b" * 64, 1, "pdf", "encrypted PDF")
    rows = [e.to_json_dict() for e in store.ledger()]
    keys = ["path", "sha256", "size", "format", "status", "reason", "document_id", "first_seen", "last_seen", "current"]
    assert [list(r) for r in rows] == [keys, keys]
    assert [{k: r[k] for k in keys[:7]} for r in rows] == [
        {"path": "/inbox/a.docx", "sha256": make_doc("a").source.sha256, "size": 1, "format": "docx",
         "status": "stored", "reason": None, "document_id": make_doc("a").id},
        {"path": "/inbox/b.pdf", "sha256": "b" * 64, "size": 1, "format": "pdf", "status": "failed",
         "reason": "encrypted PDF", "document_id": None},
    ]
    assert all(datetime.fromisoformat(r["first_seen"]) <= datetime.fromisoformat(r["last_seen"]) for r in rows)


def test_concurrent_writers_store_each_document_once(db_url: str) -> None:
    docs = [make_doc(f"doc{i}", number=str(i)) for i in range(6)]
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            with Store(db_url) as s:
                for k in range(len(docs)):
                    s.store_document(docs[(k + offset) % len(docs)], size=1)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(db_url) as s:
        assert s.counts()["documents"] == len(docs)
        assert s.counts()["activities"] == sum(len(d.activities) for d in docs)
        assert sorted(e.status for e in s.ledger()) == ["stored"] * len(docs)


def test_current_activity_records_flatten_parties_and_indicators(store: Store) -> None:
    docs = gold_documents()
    for doc in docs:
        store.store_document(doc, size=1)
    records = store.current_activity_records()
    assert len(records) == sum(len(d.activities) for d in docs)
    by_doc = {d.id: d for d in docs}
    for rec in records:
        activity = by_doc[rec["document_id"]].activities[rec["position"] - 1]
        assert rec["text"] == activity.text
        assert rec["schedule_kind"] == activity.schedule.kind
        assert rec["schedule_end"] == activity.schedule.end
        assert rec["responsible"] == "; ".join(p.name for p in activity.responsible)
        assert rec["indicators"] == "; ".join(i.text for i in activity.indicators)


@pytest.mark.parametrize("given, expected_prefix", [
    ("roadmaps.db", "sqlite:///"),
    ("./data/x.sqlite", "sqlite:///"),
    ("sqlite:///rel.db", "sqlite:///rel.db"),
    ("sqlite:////abs/path.db", "sqlite:////abs/path.db"),
    ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
])
def test_resolve_db_url(given: str, expected_prefix: str) -> None:
    url = resolve_db_url(given)
    assert url.startswith(expected_prefix)
    if "://" not in given:
        assert Path(url[len("sqlite:///"):]).is_absolute()


def test_resolve_db_url_defaults_to_env_then_local_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ROADMAP_DB", "postgresql://x@y/z")
    assert resolve_db_url(None) == "postgresql+psycopg://x@y/z"
    monkeypatch.delenv("ROADMAP_DB")
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'roadmaps.db'}"


def test_each_database_gets_its_dialect() -> None:
    from pipeline.store.dialects import Dialect, PostgreSQL, SQLite, dialect_for

    assert type(dialect_for("sqlite:////tmp/x.db")) is SQLite
    assert type(dialect_for("postgresql+psycopg://u@h/db")) is PostgreSQL
    assert type(dialect_for("mysql+pymysql://u@h/db")) is Dialect  # no locks of its own
