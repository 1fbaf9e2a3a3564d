"""Compliance rows keep their evidence, confidence and review reasons in the store; a database
made before these columns existed is upgraded in place (schema version 1 → 2)."""
from __future__ import annotations

from sqlalchemy import text

from pipeline.compare import compare_document
from pipeline.store import SCHEMA_VERSION, Store
from pipeline.timeline import load_timeline
from store_fixtures import gold_documents

REVIEW_COLUMNS = ("evidence", "confidence", "needs_review", "review_reasons")


def _stored_compliance(store: Store) -> list:
    milestones = load_timeline()
    for doc in gold_documents():
        store.store_document(doc)
    for key in store.pending_compliance_regions():
        store.update_compliance(key, lambda d: compare_document(d, milestones))
    return store.compliance()


def test_review_fields_round_trip(store):
    rows = _stored_compliance(store)
    matched = [r for r in rows if r.status != "missing"]
    assert matched and all(r.evidence is not None and r.confidence is not None for r in matched)
    assert all(r.evidence.activity_text and r.evidence.row > 0 for r in matched)
    assert any(r.needs_review and r.review_reasons for r in matched)
    assert all(r.evidence is None and not r.needs_review for r in rows if r.status == "missing")


def test_a_version_1_database_is_upgraded(db_url):
    store = Store(db_url)
    with store.engine.begin() as conn:
        for column in REVIEW_COLUMNS:
            conn.execute(text(f"ALTER TABLE compliance DROP COLUMN {column}"))
        conn.execute(text("UPDATE schema_version SET version = 1"))
    store.close()
    upgraded = Store(db_url)
    try:
        assert SCHEMA_VERSION == 2
        with upgraded.engine.connect() as conn:
            assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == 2
        rows = _stored_compliance(upgraded)
        assert any(r.evidence is not None for r in rows)
    finally:
        upgraded.close()
