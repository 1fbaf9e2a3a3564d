"""The ingest flow's work, run as plain functions (no Prefect server): what a mixed inbox
leaves in the store, idempotence, archives, compliance, error classification."""
from __future__ import annotations

import dataclasses
import errno
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Optional

import pytest

from extractors.raw import ExtractionError
from extractors.discover import FileItem
from pipeline.batch import extract_item, failure_reason, is_transient
import pipeline.ingest as ingest_module
from pipeline.ingest import process_inbox
from pipeline.reports.ingest import summary_markdown
from pipeline.store import Store

from flow_fixtures import BAD_FILES, GOOD, ORDERS, build_good_inbox, build_mixed_inbox

pytestmark = pytest.mark.usefixtures("extraction_available")


def run_sync(inbox: Path, db_url: str, on_progress=None, ready=None):
    """process_inbox with extraction done inline, in order (what the flow does with tasks);
    `ready`: which files count as extracted already (stored together)."""
    def submit(items: list[FileItem]) -> list[FileItem]:
        return items

    def resolve(item: FileItem):
        try:
            return extract_item(item), None
        except Exception as exc:
            return None, exc

    return process_inbox(str(inbox), db_url, submit, resolve, on_progress, ready=ready)


def test_files_at_hand_are_stored_together_with_the_same_result(tmp_path: Path, db_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Results that are ready when the flow gets to them share a transaction (at most
    STORE_GROUP); what the store holds and the report says is the same as one by one."""
    inbox = build_mixed_inbox(tmp_path / "inbox")
    groups: list[int] = []
    real = Store.store_documents

    def spy(self, entries):
        groups.append(len(entries))
        return real(self, entries)

    monkeypatch.setattr(Store, "store_documents", spy)
    one_by_one = run_sync(inbox, db_url)
    assert groups == [1] * len(GOOD)
    with Store(db_url) as store:
        before = store.content_snapshot()
        store.drop_all()
    groups.clear()
    monkeypatch.setattr(ingest_module, "STORE_GROUP", 2)
    together = run_sync(inbox, db_url, ready=lambda handle: True)
    # Nine files two at a time: the three good orders in two groups (the inbox's order pairs two),
    # the six bad files recorded on their own.
    assert sum(groups) == len(GOOD) and max(groups) == 2 and len(groups) == 2
    with Store(db_url) as store:
        assert store.content_snapshot() == before
    assert [(f.path, f.status, f.reason, f.activities) for f in together.files] == [
        (f.path, f.status, f.reason, f.activities) for f in one_by_one.files]


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
    assert report.counts == {"stored": len(GOOD), "duplicate": 0, "superseded": 0, "skipped": 0, "failed": len(BAD_FILES)}
    markdown = summary_markdown(report)
    assert "| 3 | 0 | 0 | 0 | 6 |" in markdown and "encrypted.pdf" in markdown


def test_progress_is_reported_to_the_given_listener_for_every_file(tmp_path: Path, db_url: str) -> None:
    inbox = build_good_inbox(tmp_path / "inbox")
    heard: list[tuple[str, int, int]] = []

    def listener(outcome, done: int, total: int) -> None:
        heard.append((outcome.path, done, total))

    report = run_sync(inbox, db_url, on_progress=listener)
    total = len(report.files)
    assert [(done, n) for _, done, n in heard] == [(i, total) for i in range(1, total + 1)]
    assert sorted(path for path, _, _ in heard) == [f.path for f in report.files]


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
    assert report.counts == {"stored": 0, "duplicate": len(GOOD), "superseded": 0, "skipped": 0, "failed": len(BAD_FILES)}
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


def test_a_region_whose_compliance_fails_leaves_the_others_of_its_transaction_written(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regions are rewritten a group a transaction; when one of them fails, the group is
    rewritten region by region, so only that one stays pending, with its reason."""
    import pipeline.scoring as scoring
    from pipeline.ingest import refresh_compliance

    inbox = build_good_inbox(tmp_path / "inbox")
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "pipeline.compare", None)
        with pytest.warns(RuntimeWarning, match="compliance not computed"):
            run_sync(inbox, db_url)
    real = scoring.timeline_compliance

    def failing_for_samara(doc):
        if doc.region and doc.region.code == "RU-SAM":
            raise ValueError("a broken timeline row")
        return real(doc)

    monkeypatch.setattr(scoring, "timeline_compliance", failing_for_samara)
    with Store(db_url) as store:
        with pytest.warns(RuntimeWarning, match="compliance not scored ahead"):
            result = refresh_compliance(store)
        assert sorted(result["regions"]) == ["RU-IVA", "RU-TYU"]
        assert result["errors"] == {"RU-SAM": "internal error: ValueError: a broken timeline row"}
        assert store.pending_compliance_regions() == ["RU-SAM"]
        assert {r.region_code for r in store.compliance()} == {"RU-IVA", "RU-TYU"}


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


def test_a_dead_pool_worker_is_replaced_and_only_the_file_that_kills_it_fails(tmp_path: Path) -> None:
    import os
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.batch import POOL as _POOL
    from pipeline.batch import WorkerCrashed, extract_batch

    order = tmp_path / "order.docx"
    order.write_bytes((ORDERS / "ivanovo-2022.docx").read_bytes())
    item = discover_one(order)
    with _POOL.running(1):
        first = _POOL.executor
        with pytest.raises(BrokenProcessPool):
            first.submit(os._exit, 3).result()  # a worker dies as a native crash would kill it
        [(doc, error)] = extract_batch([item], delays=())
        assert doc is None and isinstance(error, WorkerCrashed) and is_transient(error)
        assert _POOL.executor is not first
        [(doc, error)] = extract_batch([item])  # the fresh pool works
        assert error is None and (doc.region.code, doc.source.path) == ("RU-IVA", str(order))
        killer = dataclasses.replace(item, path="kills-the-worker")
        outcomes = extract_batch([item, killer, item], work=_die_on_killer, delays=(0, 0))
        assert [type(e).__name__ if e else d.source.path for d, e in outcomes] == [
            str(order), "WorkerCrashed", str(order)]
    assert _POOL.executor is None


@pytest.mark.parametrize("count, workers, sizes", [
    (0, 2, []),
    (1, 2, [1]),
    (7, 2, [1] * 7),
    (8, 2, [1] * 8),
    (9, 2, [2, 2, 2, 2, 1]),
    (16, 1, [4, 4, 4, 4]),
    (200, 2, [16] * 12 + [8]),
    (200, 1, [16] * 12 + [8]),
    (1000, 8, [16] * 62 + [8]),
    (40, 20, [1] * 40),
    (5, 0, [2, 2, 1]),
])
def test_files_go_to_the_workers_in_batches(count: int, workers: int, sizes: list[int]) -> None:
    from pipeline.batch import batches

    got = batches(list(range(count)), workers)
    assert [len(b) for b in got] == sizes
    assert [n for b in got for n in b] == list(range(count))  # every file once, in order


def test_a_batch_retries_transient_errors_file_by_file_and_keeps_going() -> None:
    from pipeline.batch import extract_batch

    calls: dict[str, int] = {}

    def work(name: str) -> str:
        calls[name] = calls.get(name, 0) + 1
        if name == "busy" and calls[name] < 3:
            raise OSError(errno.EAGAIN, "share busy")
        if name == "always-busy":
            raise TimeoutError("soffice took too long")
        if name == "broken":
            raise ExtractionError("encrypted PDF")
        return name.upper()

    outcomes = extract_batch(["ok", "busy", "broken", "always-busy", "fine"], work=work, delays=(0, 0))
    assert [(r, type(e).__name__ if e else None) for r, e in outcomes] == [
        ("OK", None), ("BUSY", None), (None, "ExtractionError"), (None, "TimeoutError"), ("FINE", None)]
    assert calls == {"ok": 1, "busy": 3, "broken": 1, "always-busy": 3, "fine": 1}


def test_an_error_that_cannot_travel_comes_back_as_its_text() -> None:
    import threading

    from pipeline.batch import extract_batch

    class Unpicklable(Exception):
        def __init__(self) -> None:
            super().__init__("holds a lock")
            self.lock = threading.Lock()

    def work(_item: str) -> str:
        raise Unpicklable()

    [(result, error)] = extract_batch(["x"], work=work, delays=())
    assert result is None and str(error) == "Unpicklable: holds a lock"
    assert failure_reason(error) == "internal error: RuntimeError: Unpicklable: holds a lock"


def _die_on_killer(item: FileItem):
    import os

    from pipeline.batch import extract_item

    if item.path == "kills-the-worker":
        os._exit(3)
    return extract_item(item)


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


def _ledger_view(db_url: str) -> dict[str, tuple[str, Optional[str]]]:
    with Store(db_url) as store:
        return {Path(e.path).name: (e.status, e.error) for e in store.ledger()}


def test_summary_agrees_with_the_ledger_when_a_later_file_re_marks_an_earlier_one(
        tmp_path: Path, db_url: str) -> None:
    """Finding: "7 stored / 0 duplicate" in the summary while `roadmap status` showed 5
    stored, 2 duplicate. Here the scan-like PDF is stored first and the DOCX of the same
    act, read later in the run, makes it a duplicate: the summary must say so."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-ivanovo.pdf").write_bytes((ORDERS / "ivanovo-2022.pdf").read_bytes())
    (inbox / "b-ivanovo.docx").write_bytes((ORDERS / "ivanovo-2022.docx").read_bytes())
    (inbox / "samara.docx").write_bytes((ORDERS / "samara-cu-2021.docx").read_bytes())
    report = run_sync(inbox, db_url)
    ledger = _ledger_view(db_url)
    told = {Path(f.path).name: (f.status, f.reason) for f in report.files}
    # The run says what the DOCX took the place of; the ledger's row of a stored file has no note.
    assert told.pop("b-ivanovo.docx") == ("stored", "in force in place of another rendition of the act stored from "
                                                    f"{inbox / 'a-ivanovo.pdf'} on {date.today().isoformat()}")
    assert told == {name: v for name, v in ledger.items() if name != "b-ivanovo.docx"}
    assert ledger["b-ivanovo.docx"] == ("stored", None)
    assert ledger["a-ivanovo.pdf"][0] == "duplicate"
    assert report.counts == {"stored": 2, "duplicate": 1, "superseded": 0, "skipped": 0, "failed": 0}
    assert "| 2 | 1 | 0 | 0 | 0 |" in summary_markdown(report)
    pdf = next(f for f in report.files if f.path.endswith("a-ivanovo.pdf"))
    assert (pdf.region, pdf.activities) == ("RU-IVA", len(Store(db_url).document(pdf.document_id).activities))


def test_a_duplicate_says_of_what_and_since_when(tmp_path: Path, db_url: str) -> None:
    """Finding: on a re-run every file was `duplicate` with an empty reason, region and count,
    so "already ingested" could not be told from "a copy of another act"."""
    inbox = build_good_inbox(tmp_path / "inbox")
    run_sync(inbox, db_url)
    (inbox / "copy of ivanovo.docx").write_bytes((ORDERS / "ivanovo-2022.docx").read_bytes())
    (inbox / "ivanovo-2022.pdf").write_bytes((ORDERS / "ivanovo-2022.pdf").read_bytes())
    report = run_sync(inbox, db_url)
    by_name = {Path(f.path).name: f for f in report.files}
    today = date.today().isoformat()
    original = str(inbox / "ivanovo-2022.docx")
    act = "RU-IVA приказ № 1222-0 of 2021-12-04"
    for name in GOOD:
        f = by_name[name]
        assert f.status == "duplicate" and f.reason.startswith(f"already ingested {today} (act RU-"), f
        assert f.region and f.activities > 0
    assert by_name["ivanovo-2022.docx"].reason == f"already ingested {today} (act {act})"
    assert by_name["copy of ivanovo.docx"].reason == f"same bytes as {original}, stored {today} (act {act})"
    assert by_name["ivanovo-2022.pdf"].reason == f"another rendition of act {act} stored from {original} on {today}"
    for name in ("copy of ivanovo.docx", "ivanovo-2022.pdf"):
        assert by_name[name].status == "duplicate"
        assert (by_name[name].region, by_name[name].activities) == ("RU-IVA", by_name["ivanovo-2022.docx"].activities)
    ledger = _ledger_view(db_url)
    assert ledger["ivanovo-2022.docx"] == ("stored", None)  # the ledger keeps what the file is
    assert ledger["ivanovo-2022.pdf"] == ("duplicate", by_name["ivanovo-2022.pdf"].reason)


STRAY_FILES = {
    "ingest.log": b"2026-12-01 02:00:01 INFO ingest started\n2026-12-01 02:00:05 INFO done\n",
    "note.txt": "Заметка: позвонить в министерство до пятницы.\nНе забыть приложить письмо.\n".encode(),
    "README": "Папка для приказов. Старые лежат в архиве.\n".encode("cp1251"),
    "logo.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "page.html": b"<!DOCTYPE html><html><body>x</body></html>",
}


def test_stray_files_in_an_inbox_are_skipped_not_failed(tmp_path: Path, db_url: str) -> None:
    """Finding: a `.log` or a `.txt` note in an inbox became `failed`. Files that are neither
    named like an order nor hold a document format are `skipped` with the reason; a corrupt
    or encrypted order (named like one) stays `failed`, and so does an order's bytes under
    an odd name that cannot be read."""
    inbox = build_good_inbox(tmp_path / "inbox")
    for name, data in STRAY_FILES.items():
        (inbox / name).write_bytes(data)
    for name in ("truncated.pdf", "encrypted.pdf"):
        (inbox / name).write_bytes(BAD_FILES[name][0]())
    (inbox / "scan.bin").write_bytes(BAD_FILES["truncated.pdf"][0]())
    report = run_sync(inbox, db_url)
    by_name = {Path(f.path).name: f for f in report.files}
    for name in STRAY_FILES:
        assert by_name[name].status == "skipped", by_name[name]
        assert by_name[name].reason.startswith("not an order ("), by_name[name]
    assert "GIF image" in by_name["logo.gif"].reason and "HTML page" in by_name["page.html"].reason
    # A text note says so once, not as an unknown format behind "not an order".
    assert by_name["note.txt"].reason == "not an order (.txt file): plain text"
    assert by_name["README"].reason == "not an order (file without an extension): plain text"
    assert by_name["ingest.log"].reason == "not an order (.log file): plain text"
    for name in ("truncated.pdf", "encrypted.pdf", "scan.bin"):
        assert by_name[name].status == "failed", by_name[name]
    assert report.counts == {"stored": len(GOOD), "duplicate": 0, "superseded": 0,
                             "skipped": len(STRAY_FILES), "failed": 3}
    ledger = _ledger_view(db_url)
    assert {n: s for n, (s, _) in ledger.items()} == {n: f.status for n, f in by_name.items()}
    markdown = summary_markdown(report)
    assert "## Skipped files (not orders)" in markdown and "ingest.log" in markdown
    from typer.testing import CliRunner

    from cli.app import app

    result = CliRunner().invoke(app, ["status", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output
    result = CliRunner().invoke(app, ["status", "--db", db_url, "-f", "json"])
    statuses = [e["status"] for e in json.loads(result.output)]
    assert statuses.count("skipped") == len(STRAY_FILES)
    again = run_sync(inbox, db_url)  # a stray file stays skipped, an order stays already ingested
    assert again.counts["skipped"] == len(STRAY_FILES) and again.counts["duplicate"] == len(GOOD)


def test_an_inbox_of_stray_files_only_is_not_a_failed_run(tmp_path: Path, db_url: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ingest.log").write_bytes(STRAY_FILES["ingest.log"])
    report = run_sync(inbox, db_url)
    assert [f.status for f in report.files] == ["skipped"] and not report.failed_entirely()
