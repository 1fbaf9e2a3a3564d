"""Compliance rows keep their evidence, confidence and review reasons in the store; a database
made before these columns existed is upgraded in place (schema version 1 → 2), one made
before the corrections table (2 → 3), and one made before a row said what people did to it
(3 → 4), and one where two districts' orders of one number and date were one act (4 → 5)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from pipeline.compare import compare_document
from pipeline.corrections import CorrectionRequest
from pipeline.identity import act_id
from pipeline.store import SCHEMA_VERSION, Store
from pipeline.timeline import load_timeline
from store_fixtures import gold_documents

REVIEW_COLUMNS = ("evidence", "confidence", "needs_review", "review_reasons")


def _stored_compliance(store: Store) -> list:
    milestones = load_timeline()
    for doc in gold_documents():
        if doc.id not in store.stored_hashes().values():
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


def _downgrade(store: Store, version: int) -> None:
    """Make a fresh database look like one made at `version`."""
    with store.engine.begin() as conn:
        if version < 4:
            conn.execute(text("ALTER TABLE compliance DROP COLUMN corrections"))
        if version < 3:
            conn.execute(text("DROP TABLE corrections"))
            conn.execute(text("DROP INDEX ix_documents_act_id"))
            conn.execute(text("ALTER TABLE documents DROP COLUMN act_id"))
        if version < 2:
            for column in REVIEW_COLUMNS:
                conn.execute(text(f"ALTER TABLE compliance DROP COLUMN {column}"))
        conn.execute(text("DELETE FROM pending_compliance"))  # as if its compliance were computed
        conn.execute(text(f"UPDATE schema_version SET version = {version}"))


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_an_older_database_is_upgraded(db_url, version):
    store = Store(db_url)
    old_doc = gold_documents()[0]
    store.store_document(old_doc)
    _downgrade(store, version)
    store.close()
    upgraded = Store(db_url)
    try:
        assert SCHEMA_VERSION == 5
        with upgraded.engine.connect() as conn:
            assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == 5
            # the act id of a document stored before version 3 is filled in from its row
            assert conn.execute(text("SELECT act_id FROM documents")).scalar() == act_id(old_doc)
        # its compliance, computed without evidence.activity_id, is recomputed by the next run
        assert upgraded.pending_compliance_regions() == [old_doc.region.code]
        rows = _stored_compliance(upgraded)
        assert any(r.evidence is not None for r in rows)
        assert upgraded.corrections() == []
    finally:
        upgraded.close()


def test_two_districts_taken_for_one_act_are_told_apart_by_the_upgrade(db_url):
    """Version 4 took two districts' orders of one number and date for renditions of one act:
    one stood for both, and a correction made on one applied to the other. The upgrade gives
    each its own act id, its correction follows the rendition it was made on, and both are in
    force again."""
    from types import SimpleNamespace

    from pipeline.identity import act_id_of, activity_ids
    from store_fixtures import make_doc

    fields = dict(region="RU-BA", number="123-од", date="2022-01-24", level="municipal")
    tuymazy = make_doc("tuymazy", **fields).model_copy(update={"municipality": "Туймазинский район"})
    belebey = make_doc("belebey", **fields).model_copy(update={"municipality": "муниципальный район Белебеевский район"})
    store = Store(db_url)
    store.store_document(tuymazy, size=1)
    store.store_document(belebey, size=1)
    assert store.duplicate_of() == {tuymazy.id: None, belebey.id: None}
    [correction] = store.add_corrections([CorrectionRequest(
        activity_id=activity_ids(tuymazy)[0], field="schedule.end", value="2022-02-10", author="Аудитор")])
    # What version 4 left: one act id for both, the later file a rendition of the earlier.
    old = act_id_of("RU-BA", SimpleNamespace(number=tuymazy.number, date=tuymazy.date, doc_type=tuymazy.doc_type,
                                             level="municipal"), tuymazy.id)  # no municipality in the key
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE documents SET act_id = :old"), {"old": old})
        conn.execute(text("UPDATE documents SET duplicate_of = :t WHERE id = :b"), {"t": tuymazy.id, "b": belebey.id})
        conn.execute(text("UPDATE corrections SET act_id = :old, target = :target"),
                     {"old": old, "target": old + correction.target[correction.target.index(":"):]})
    _downgrade(store, 4)
    store.close()
    upgraded = Store(db_url)
    try:
        assert upgraded.duplicate_of() == {tuymazy.id: None, belebey.id: None}
        assert {d.id for d in upgraded.current_documents("RU-BA")} == {tuymazy.id, belebey.id}
        [moved] = upgraded.corrections()
        assert (moved.act_id, moved.target) == (act_id(tuymazy), activity_ids(tuymazy)[0])
        assert act_id(tuymazy) != act_id(belebey)
        assert upgraded.pending_compliance_regions() == ["RU-BA"]
    finally:
        upgraded.close()

