"""Real Prefect runs of the ingest flow (slow: they share one test harness): states,
artifacts, retries, the all-bad inbox, process-pool and Dask task runners."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

from pipeline.store import Store

from flow_fixtures import BAD_FILES, GOOD, build_mixed_inbox, generator, report_of

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("extraction_available", "prefect_harness")]


def _artifacts(flow_run_id) -> dict:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    # unkeyed: Prefect's record of a failed run's exception (file names and reasons)
    return {a.key: a for a in found if a.key is not None}


def test_flow_run_on_a_mixed_inbox_and_again(tmp_path: Path, db_url: str) -> None:
    from flows.ingest import ingest_orders

    inbox = build_mixed_inbox(tmp_path / "inbox")
    state = ingest_orders(str(inbox), db_url, return_state=True)
    assert state.is_failed()  # files failed in it: the run fails, its report kept with the error
    assert f"{len(BAD_FILES)} of {len(GOOD) + len(BAD_FILES)} files failed" in state.message
    report = state.result(raise_on_failure=False).report
    assert report["counts"] == {"stored": len(GOOD), "duplicate": 0, "superseded": 0, "skipped": 0, "failed": len(BAD_FILES)}
    artifacts = _artifacts(state.state_details.flow_run_id)
    assert set(artifacts) == {"ingest-files", "ingest-summary"}
    assert "| 3 | 0 | 0 | 0 | 6 |" in artifacts["ingest-summary"].data
    with Store(db_url) as store:
        counts, snapshot = store.counts(), store.content_snapshot()
        assert len(store.ledger()) == len(GOOD) + len(BAD_FILES)

    again = ingest_orders(str(inbox), db_url)  # the same bad files, unchanged: known, the run completes
    assert again["counts"] == {"stored": 0, "duplicate": len(GOOD), "superseded": 0, "skipped": 0, "failed": len(BAD_FILES)}
    with Store(db_url) as store:
        assert store.counts() == counts
        assert store.content_snapshot() == snapshot


def test_an_inbox_of_only_bad_files_fails_the_run_but_keeps_the_ledger(tmp_path: Path, db_url: str) -> None:
    from flows.ingest import IngestFailed, ingest_orders

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, (make, _word) in BAD_FILES.items():
        (inbox / name).write_bytes(make())
    state = ingest_orders(str(inbox), db_url, return_state=True)
    assert state.is_failed()
    with pytest.raises(IngestFailed) as caught:
        state.result()
    assert caught.value.report["counts"]["failed"] == len(BAD_FILES)
    with Store(db_url) as store:
        assert sorted(Path(e.path).name for e in store.ledger()) == sorted(BAD_FILES)
        assert {e.status for e in store.ledger()} == {"failed"}


def test_an_empty_inbox_is_not_a_failure(tmp_path: Path, db_url: str) -> None:
    from flows.ingest import ingest_orders

    (tmp_path / "empty").mkdir()
    assert ingest_orders(str(tmp_path / "empty"), db_url)["counts"] == {"stored": 0, "duplicate": 0, "superseded": 0, "skipped": 0, "failed": 0}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_transient_errors_are_retried_and_permanent_ones_are_not(tmp_path: Path, db_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import flows.ingest as ingest
    import pipeline.batch as batch
    from pipeline.extract import extract

    calls: dict[str, int] = {}

    def flaky(path):
        name = Path(path).name
        calls[name] = calls.get(name, 0) + 1
        if name.startswith("ivanovo") and calls[name] == 1:
            raise OSError(errno.EAGAIN, "share busy")
        return extract(path)

    monkeypatch.setattr(batch, "default_extractor", lambda: flaky)
    inbox = tmp_path / "inbox"
    orders = generator().generate_orders(inbox, 2, start=9001)
    (inbox / "empty.pdf").write_bytes(b"")
    report = report_of(lambda: ingest.ingest_orders(str(inbox), db_url))
    assert report["counts"] == {"stored": 2, "duplicate": 0, "superseded": 0, "skipped": 0, "failed": 1}
    assert calls[orders[0].name] == 2        # retried once, then stored
    assert calls[orders[1].name] == 1
    assert calls["empty.pdf"] == 1           # ExtractionError: never retried


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_process_pool_workers(tmp_path: Path, make_db_url: Callable[[], str]) -> None:
    from flows.ingest import run_ingest

    inbox = _fresh_inbox(tmp_path / "inbox", start=9101)
    pool_db, threads_db = make_db_url(), make_db_url()
    report = report_of(lambda: run_ingest(str(inbox), pool_db, workers=2))
    assert report["counts"] == {"stored": 4, "duplicate": 0, "superseded": 0, "skipped": 0, "failed": len(BAD_FILES)}
    report_of(lambda: run_ingest(str(inbox), threads_db))
    with Store(threads_db) as a, Store(pool_db) as b:
        assert a.content_snapshot() == b.content_snapshot()


# The scale-out set-up: Dask workers extract, PostgreSQL holds the store (SQLite without it).
DASK_BACKEND = "postgresql" if os.environ.get("ROADMAP_TEST_PG_URL") else "sqlite"


@pytest.mark.parametrize("backend", [DASK_BACKEND], indirect=True)
def test_dask_local_cluster(tmp_path: Path, make_db_url: Callable[[], str]) -> None:
    pytest.importorskip("prefect_dask", reason="prefect-dask not installed")
    from flows.ingest import run_ingest

    inbox = _fresh_inbox(tmp_path / "inbox", start=9201)
    dask_db, threads_db = make_db_url(), make_db_url()
    report = report_of(lambda: run_ingest(str(inbox), dask_db, dask="local", workers=2))
    assert report["counts"] == {"stored": 4, "duplicate": 0, "superseded": 0, "skipped": 0, "failed": len(BAD_FILES)}
    report_of(lambda: run_ingest(str(inbox), threads_db))
    with Store(threads_db) as a, Store(dask_db) as b:
        assert a.content_snapshot() == b.content_snapshot()


def _fresh_inbox(root: Path, start: int) -> Path:
    """Generated orders no other test uses, plus every kind of bad file."""
    generator().generate_orders(root, 4, start=start)
    for name, (make, _word) in BAD_FILES.items():
        (root / name).write_bytes(make())
    return root


def test_an_ingest_leaves_no_document_bodies_in_prefect_storage(tmp_path: Path, db_url: str,
                                                               prefect_harness: dict) -> None:
    """Finding: extracted documents were persisted by Prefect under ~/.prefect/storage for
    90 days, outside the store the user chose. After a run nothing new is in Prefect's
    result storage and no file under PREFECT_HOME holds an activity's text. (A flow run that
    fails has its exception written there by Prefect whatever the settings: file names and
    reasons, no content; other tests of the session leave those.)"""
    import base64
    import json

    from flows.ingest import run_ingest
    from pipeline.extract import extract

    from flow_fixtures import ORDERS, build_good_inbox

    home = Path(prefect_harness["PREFECT_HOME"])
    storage = Path(prefect_harness["PREFECT_LOCAL_STORAGE_PATH"])

    def files() -> set[Path]:
        return {p for base in (home, storage) if base.exists() for p in base.rglob("*") if p.is_file()}

    before = files()
    inbox = build_good_inbox(tmp_path / "inbox")
    report = run_ingest(str(inbox), db_url)
    assert report["counts"]["stored"] == len(GOOD)
    assert not {p for p in files() - before if storage in p.parents}, "results persisted by Prefect"
    texts = [a.text[:60] for name in GOOD for a in extract(ORDERS / name).activities[:3]]
    needles = [t.encode() for t in texts] + [json.dumps(t)[1:-1].encode() for t in texts]
    for path in files():
        data = path.read_bytes()
        try:  # Prefect writes a result as a base64 pickle
            data += base64.b64decode(data, validate=False)
        except ValueError:
            pass
        assert not any(n in data for n in needles), f"{path} holds a document's text"
    assert files() - before <= {p for p in files() if p.suffix in (".log", ".db", ".db-wal", ".db-shm", ".toml")}


def test_a_batch_is_ready_once_its_task_finished_without_asking_the_api() -> None:
    """The flow stores together the results it can have at once: `ready` asks the runner's
    own future (a thread's or Dask's), never Prefect's state (an API call)."""
    import concurrent.futures
    from types import SimpleNamespace

    from flows.ingest import _Batches

    class NoState(SimpleNamespace):
        @property
        def state(self):
            raise AssertionError("the API was asked")

    running = concurrent.futures.Future()
    batches = _Batches()
    future = NoState(wrapped_future=running)
    assert batches.ready((future, 0, 2)) is False
    running.set_result(None)
    assert batches.ready((future, 0, 2)) is True
    assert batches.ready((NoState(), 0, 1)) is False  # a future of another kind: waited for
