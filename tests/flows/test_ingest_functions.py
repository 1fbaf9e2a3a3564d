"""The ingest flow's work, run as plain functions (no Prefect server): what a mixed inbox
leaves in the store, idempotence, archives, compliance, error classification."""
from __future__ import annotations

import errno
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Optional

import pytest

from extractors.raw import ExtractionError
from extractors.discover import FileItem
from flows.ingest import _retry_if_transient
from pipeline.batch import extract_item, failure_reason, is_transient
from pipeline.ingest import process_inbox
from pipeline.reports.ingest import summary_markdown
from pipeline.store import Store

from flow_fixtures import BAD_FILES, GOOD, ORDERS, build_good_inbox, build_mixed_inbox

pytestmark = pytest.mark.usefixtures("extraction_available")


def run_sync(inbox: Path, db_url: str, on_progress=None):
    """process_inbox with extraction done inline, in order (what the flow does with tasks)."""
    def submit(items: list[FileItem]) -> list[FileItem]:
        return items

    def resolve(item: FileItem):
        try:
            return extract_item(item), None
        except Exception as exc:
            return None, exc

    return process_inbox(str(inbox), db_url, submit, resolve, on_progress)


def test_mixed_inbox_stores_every_good_order_and_records_every_bad_file(tmp_path: Path, db_url: str) -> None:
    inbox = build_mixed_inbox(tmp_path / "inbox")
    report = run_sync(inbox, db_url)
    by_name = {Path(f.path).name: f for f in report.files}
    assert sorted(by_name) == sorted(GOOD + list(BAD_FILES))
    for name in GOOD:
        assert by_name[name].status == "stored", by_name[name]
        assert by_name[name].activities > 0
    for name in BAD_FILES:
        outcome = by_name[name]
        assert outcome.status == "failed"
        assert outcome.reason and "\n" not in outcome.reason and len(outcome.reason) < 300
    with Store(db_url) as store:
        ledger = {Path(e.path).name: e for e in store.ledger()}
        assert sorted(ledger) == sorted(by_name)  # nothing lost, nothing invented
        assert {n: e.status for n, e in ledger.items() if n in GOOD} == {n: "stored" for n in GOOD}
        assert all(ledger[n].error == by_name[n].reason for n in BAD_FILES)
        assert store.counts()["documents"] == len(GOOD)
        assert store.pending_compliance_regions() == []
        assert store.compliance()
    assert report.counts == {"stored": len(GOOD), "duplicate": 0, "failed": len(BAD_FILES)}
    markdown = summary_markdown(report)
    assert "| 3 | 0 | 6 |" in markdown and "encrypted.pdf" in markdown


def test_progress_is_reported_to_the_given_listener_for_every_file(tmp_path: Path, db_url: str) -> None:
    inbox = build_good_inbox(tmp_path / "inbox")
    heard: list[tuple[str, int, int]] = []

    def listener(outcome, done: int, total: int) -> None:
        heard.append((outcome.path, done, total))

    report = run_sync(inbox, db_url, on_progress=listener)
    total = len(report.files)
    assert [(done, n) for _, done, n in heard] == [(i, total) for i in range(1, total + 1)]
    assert sorted(path for path, _, _ in heard) == [f.path for f in report.files]


def test_importing_the_flow_does_not_read_the_source_tree() -> None:
    code = ("import flows.ingest; from pipeline.batch import extractor_fingerprint; "
            "print(extractor_fingerprint.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    assert out.stdout.strip().splitlines()[-1] == "0"


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_reasons_say_what_is_wrong(tmp_path: Path, name: str) -> None:
    make, word = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(make())
    item = FileItem(str(path), str(path), "x" * 64, path.stat().st_size)
    with pytest.raises(ExtractionError) as caught:
        extract_item(item)
    assert word in failure_reason(caught.value).lower()


def test_ingesting_twice_changes_nothing(tmp_path: Path, db_url: str) -> None:
    inbox = build_mixed_inbox(tmp_path / "inbox")
    run_sync(inbox, db_url)
    with Store(db_url) as store:
        first_counts, first = store.counts(), store.content_snapshot()
    report = run_sync(inbox, db_url)
    assert report.counts == {"stored": 0, "duplicate": len(GOOD), "failed": len(BAD_FILES)}
    with Store(db_url) as store:
        assert store.counts() == first_counts
        assert store.content_snapshot() == first


def test_a_copy_and_a_new_file_on_the_second_night(tmp_path: Path, db_url: str) -> None:
    inbox = build_good_inbox(tmp_path / "inbox")
    run_sync(inbox, db_url)
    (inbox / "copy of ivanovo.docx").write_bytes((ORDERS / "ivanovo-2022.docx").read_bytes())
    (inbox / "tyumen-city-2021.docx").write_bytes((ORDERS / "tyumen-city-2021.docx").read_bytes())
    report = run_sync(inbox, db_url)
    statuses = {Path(f.path).name: f.status for f in report.files}
    assert statuses["copy of ivanovo.docx"] == "duplicate"
    assert statuses["tyumen-city-2021.docx"] == "stored"
    with Store(db_url) as store:
        ledger = {Path(e.path).name: (e.status, e.error) for e in store.ledger()}
        assert ledger["copy of ivanovo.docx"][0] == "duplicate"
        assert ledger["copy of ivanovo.docx"][1].startswith("same bytes as")
        assert store.counts()["documents"] == len(GOOD) + 1


def test_renditions_of_one_act_store_one_plan(tmp_path: Path, db_url: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for suffix in ("docx", "pdf"):
        (inbox / f"ivanovo-2022.{suffix}").write_bytes((ORDERS / f"ivanovo-2022.{suffix}").read_bytes())
    report = run_sync(inbox, db_url)
    statuses = {Path(f.path).name: f.status for f in report.files}
    assert statuses == {"ivanovo-2022.docx": "stored", "ivanovo-2022.pdf": "duplicate"}
    with Store(db_url) as store:
        plan = store.current_plan("RU-IVA")
        assert plan.source.format == "docx"
        assert len(store.current_activity_records()) == len(plan.activities)


def test_archives_are_ingested_member_by_member(tmp_path: Path, db_url: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "batch.zip", "w") as zf:
        zf.write(ORDERS / "ivanovo-2022.docx", "Иваново/приказ.docx")
        info = zipfile.ZipInfo("placeholder")
        info.filename = "../../escape.pdf"
        zf.writestr(info, (ORDERS / "samara-cu-2021.pdf").read_bytes())
        zf.writestr("empty.docx", b"")
    report = run_sync(inbox, db_url)
    outcomes = {f.path.split("!", 1)[1]: f for f in report.files}
    assert outcomes["Иваново/приказ.docx"].status == "stored"
    assert outcomes["../../escape.pdf"].status == "failed"
    assert outcomes["../../escape.pdf"].reason.startswith("unsafe path in archive")
    assert outcomes["empty.docx"].reason == "empty file (0 bytes)"
    with Store(db_url) as store:
        doc = store.current_plan("RU-IVA")
        assert doc.source.path.endswith("batch.zip!Иваново/приказ.docx")
        assert len(store.ledger()) == 3
    assert not (tmp_path / "escape.pdf").exists()


def test_without_the_comparison_module_compliance_waits(tmp_path: Path, db_url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = build_good_inbox(tmp_path / "inbox")
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "pipeline.compare", None)  # import fails as if absent
        with pytest.warns(RuntimeWarning, match="compliance not computed"):
            report = run_sync(inbox, db_url)
    assert report.compliance["skipped"].startswith("pipeline.compare is not available")
    with Store(db_url) as store:
        assert store.compliance() == []
        assert store.pending_compliance_regions() == ["RU-IVA", "RU-SAM", "RU-TYU"]
    report = run_sync(inbox, db_url)  # the module is back: the pending regions are computed
    assert sorted(report.compliance["regions"]) == ["RU-IVA", "RU-SAM", "RU-TYU"]
    with Store(db_url) as store:
        assert store.pending_compliance_regions() == []
        assert {r.region_code for r in store.compliance()} == {"RU-IVA", "RU-SAM", "RU-TYU"}


def test_a_file_changed_during_ingest_is_not_stored_under_its_old_hash(tmp_path: Path) -> None:
    path = tmp_path / "order.docx"
    path.write_bytes((ORDERS / "ivanovo-2022.docx").read_bytes())
    item = FileItem(str(path), str(path), "0" * 64, path.stat().st_size)
    with pytest.raises(ExtractionError, match="changed while it was being ingested"):
        extract_item(item)


def _os_error(code: int) -> OSError:
    return OSError(code, "simulated")


@pytest.mark.parametrize("exc, transient", [
    (ExtractionError("encrypted PDF"), False),
    (TimeoutError("slow share"), True),
    (subprocess.TimeoutExpired("soffice", 60), True),
    (ConnectionResetError(), True),
    (BlockingIOError(), True),
    (_os_error(errno.EAGAIN), True),
    (_os_error(errno.EBUSY), True),
    (_os_error(errno.EIO), True),
    (_os_error(errno.ESTALE), True),
    (_os_error(errno.ENOSPC), False),
    (FileNotFoundError(2, "gone"), False),
    (PermissionError(13, "denied"), False),
    (IsADirectoryError(21, "dir"), False),
    (ValueError("bug"), False),
    (KeyError("bug"), False),
    (MemoryError(), False),
])
def test_only_transient_errors_are_retried(exc: BaseException, transient: bool) -> None:
    assert is_transient(exc) is transient
    assert _retry_if_transient(None, None, SimpleNamespace(data=exc)) is transient


@pytest.mark.parametrize("exc, expected", [
    (ExtractionError("encrypted PDF: a password is needed to open it"), "encrypted PDF: a password is needed to open it"),
    (ExtractionError("two\n  lines"), "two lines"),
    (ExtractionError(""), "not a readable roadmap order"),
    (ValueError("bad cell"), "internal error: ValueError: bad cell"),
    (TimeoutError("soffice took too long"), "transient error, retries exhausted: TimeoutError: soffice took too long"),
    (_os_error(errno.EIO), "transient error, retries exhausted: OSError: simulated"),
    (KeyError(), "internal error: KeyError"),
])
def test_failure_reasons_are_one_line(exc: BaseException, expected: Optional[str]) -> None:
    assert failure_reason(exc) == expected


def test_a_dead_pool_worker_is_replaced_and_reported_as_transient(tmp_path: Path) -> None:
    import os
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.batch import POOL as _POOL
    from pipeline.batch import WorkerCrashed, extract_in_pool

    order = tmp_path / "order.docx"
    order.write_bytes((ORDERS / "ivanovo-2022.docx").read_bytes())
    item = discover_one(order)
    with _POOL.running(1):
        first = _POOL.executor
        with pytest.raises(BrokenProcessPool):
            first.submit(os._exit, 3).result()  # a worker dies as a native crash would kill it
        with pytest.raises(WorkerCrashed) as caught:
            extract_in_pool(item)
        assert is_transient(caught.value)
        assert _POOL.executor is not first
        doc = extract_in_pool(item)  # the fresh pool works
        assert (doc.region.code, doc.source.path) == ("RU-IVA", str(order))
    assert _POOL.executor is None


def discover_one(path: Path) -> FileItem:
    from extractors.discover import discover

    [item] = discover(path)
    return item


def test_the_fixture_folder_twice(tmp_path: Path, db_url: str) -> None:
    """The bundled orders (every born-digital rendition; the scans and legacy formats are
    left to their own tests for time): the ledger lists every file, a second ingest
    changes no row."""
    import shutil

    inbox = tmp_path / "orders"
    inbox.mkdir()
    files = sorted(p for p in ORDERS.iterdir() if p.is_file())
    for path in files:
        shutil.copy(path, inbox / path.name)
    run_sync(inbox, db_url)
    with Store(db_url) as store:
        counts = store.counts()
        ledger = store.ledger()
        current = store.current_documents()
    assert sorted(Path(e.path).name for e in ledger) == sorted(p.name for p in files)
    assert counts["documents"] == len(files) - sum(e.status == "failed" for e in ledger)
    # one act in force per order, whatever number of renditions it came in
    acts = {(d.region.code, d.number, d.date) for d in current}
    assert len(acts) == len(current)
    run_sync(inbox, db_url)
    with Store(db_url) as store:
        assert store.counts() == counts
        assert len(store.ledger()) == len(files)
