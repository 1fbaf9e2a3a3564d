"""A re-run with nothing new is settled from the ledger alone: no Prefect, same ledger
semantics (last_seen recorded, every file reported with its reason), and compliance scored
where each document is extracted (a pool process) agrees with compliance scored serially."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.batch import POOL
from pipeline.ingest import IngestFailed, IngestReport, ingest_here, triage
from pipeline.store import Store

from flow_fixtures import ORDERS, ROOT, build_good_inbox

pytestmark = pytest.mark.usefixtures("extraction_available")

# Runs the CLI in a fresh interpreter and says afterwards whether Prefect was ever imported.
_CLI = """
import sys
from cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("PREFECT IMPORTED" if "prefect" in sys.modules else "NO PREFECT", file=sys.stderr)
"""


def _copy_orders(inbox: Path) -> Path:
    inbox.mkdir()
    for path in sorted(ORDERS.iterdir()):
        if path.is_file():
            shutil.copy(path, inbox / path.name)
    return inbox


def test_a_second_ingest_of_the_orders_touches_only_last_seen_and_never_imports_prefect(
        tmp_path: Path, db_url: str) -> None:
    inbox = _copy_orders(tmp_path / "orders")
    ingest_here(str(inbox), db_url, triage(str(inbox), db_url))
    with Store(db_url) as store:
        counts, before = store.counts(), {e.path: e for e in store.ledger()}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", _CLI, "ingest", str(inbox), "--db", db_url, "--json"],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "NO PREFECT" in run.stderr
    report = json.loads(run.stdout)
    assert report["counts"]["duplicate"] == len(before) and report["counts"]["stored"] == 0
    for f in report["files"]:
        assert f["reason"].startswith("already ingested "), f
    with Store(db_url) as store:
        assert store.counts() == counts
        after = {e.path: e for e in store.ledger()}
    assert after.keys() == before.keys()
    for path, entry in after.items():
        assert entry.first_seen == before[path].first_seen
        assert entry.status == before[path].status and entry.error == before[path].error
        assert entry.last_seen > before[path].last_seen


def test_triage_counts_new_files_and_writes_nothing(tmp_path: Path, db_url: str) -> None:
    inbox = build_good_inbox(tmp_path / "inbox")
    first = triage(str(inbox), db_url)
    assert first.new == len(first.items) > 0
    with Store(db_url) as store:
        assert store.ledger() == [] and store.counts()["documents"] == 0
    ingest_here(str(inbox), db_url, first)
    assert triage(str(inbox), db_url).new == 0


def test_a_file_that_failed_is_not_read_again_unchanged_unless_retried(tmp_path: Path, db_url: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A corrupt file in the nightly inbox keeps its reason and only its last_seen moves; it
    is not new (no Prefect for it), not extracted again — until its bytes change or the run
    is asked to retry failures (`roadmap ingest --retry-failed`)."""
    import pipeline.ingest as ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ORDERS / "samara-cu-2021.docx", inbox / "order.docx")
    (inbox / "bad.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    with pytest.raises(IngestFailed, match="1 of 2 files failed: bad.pdf") as failed:  # a new failure fails the run
        ingest_here(str(inbox), db_url, triage(str(inbox), db_url))
    first = IngestReport.from_json_dict(failed.value.report)
    reason = next(f.reason for f in first.files if f.path.endswith("bad.pdf"))
    assert reason and next(f.status for f in first.files if f.path.endswith("bad.pdf")) == "failed"
    with Store(db_url) as store:
        before = {Path(e.path).name: e for e in store.ledger()}
    extracted: list[str] = []
    real = ingest._extract_here
    monkeypatch.setattr(ingest, "_extract_here", lambda item: (extracted.append(Path(item.path).name), real(item))[1])
    again = triage(str(inbox), db_url)
    assert again.new == 0                                     # nothing to start Prefect for
    report = ingest_here(str(inbox), db_url, again)
    assert extracted == []
    assert {Path(f.path).name: (f.status, f.reason) for f in report.files}["bad.pdf"] == ("failed", reason)
    with Store(db_url) as store:
        after = {Path(e.path).name: e for e in store.ledger()}
    assert (after["bad.pdf"].status, after["bad.pdf"].error) == ("failed", reason)
    assert after["bad.pdf"].last_seen > before["bad.pdf"].last_seen
    retried = triage(str(inbox), db_url, retry_failed=True)
    assert retried.new == 1
    with pytest.raises(IngestFailed):  # read again, it fails again: in this run
        ingest_here(str(inbox), db_url, retried)
    assert extracted == ["bad.pdf"]
    (inbox / "bad.pdf").write_bytes(b"%PDF-1.4 other bytes, still no pdf")
    assert triage(str(inbox), db_url).new == 1                # new bytes are read


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_compliance_scored_in_the_pool_equals_compliance_scored_here(
        tmp_path: Path, make_db_url) -> None:
    inbox = build_good_inbox(tmp_path / "inbox")
    serial_db, pool_db = make_db_url(), make_db_url()
    serial = ingest_here(str(inbox), serial_db, triage(str(inbox), serial_db))
    with POOL.running(2):
        pooled = ingest_here(str(inbox), pool_db, triage(str(inbox), pool_db))
    assert pooled.compliance["rows"] == serial.compliance["rows"] > 0
    assert pooled.compliance["rescored"] == serial.compliance["rescored"] == 0  # scored where extracted
    with Store(serial_db) as a, Store(pool_db) as b:
        assert a.content_snapshot() == b.content_snapshot()


def test_the_flow_reads_the_inbox_as_triaged_without_hashing_it_again(
        tmp_path: Path, db_url: str, prefect_harness: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ingest
    from flows.ingest import run_ingest

    inbox = build_good_inbox(tmp_path / "inbox")
    triaged = triage(str(inbox), db_url)

    def no_second_discovery(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the inbox was discovered again")

    monkeypatch.setattr(pipeline.ingest, "discover", no_second_discovery)
    report = run_ingest(str(inbox), db_url, triaged=triaged)
    assert report["counts"]["stored"] == len(triaged.items)


def test_a_failure_from_an_earlier_run_does_not_fail_the_next_one(tmp_path: Path, db_url: str) -> None:
    """The nightly run's exit code and line are about this run: a corrupt file (or a corrupt
    ZIP archive) left in the inbox fails the run that first read it (exit 1); the runs after
    report it as failed before and unchanged, exit 0 — until its bytes change."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ORDERS / "samara-cu-2021.docx", inbox / "order.docx")
    (inbox / "bad.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (inbox / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def ingest() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", "from cli.app import main; main()", "ingest", str(inbox),
                               "--db", db_url, "--json"], capture_output=True, text=True, env=env, timeout=300,
                              cwd=tmp_path)

    first = ingest()
    assert first.returncode == 1, first.stderr
    assert "2 file(s) failed (see the reasons above" in first.stderr
    assert {Path(f["path"]).name: f["known"] for f in json.loads(first.stdout)["files"]} == {
        "order.docx": False, "bad.pdf": False, "bad.zip": False}
    second = ingest()
    assert second.returncode == 0, second.stderr
    assert "2 file(s) failed in an earlier run and are unchanged: not read again" in second.stderr
    report = json.loads(second.stdout)
    assert [(Path(f["path"]).name, f["known"]) for f in report["files"] if f["status"] == "failed"] == [
        ("bad.pdf", True), ("bad.zip", True)]
    (inbox / "bad.pdf").write_bytes(b"%PDF-1.4 other bytes, still no pdf")
    third = ingest()
    assert third.returncode == 1, third.stderr
    assert "1 file(s) failed (see the reasons above, or `roadmap status`); 1 file(s) failed in an earlier run" in \
        third.stderr
