"""An ingest killed with SIGKILL mid-run, then run again, ends with the same database as one
clean run: documents are stored with their ledger rows in transactions (a few files each, as
their extractions come in), and the regions awaiting compliance are remembered in the
database, not in the dead process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from pipeline.store import Store

from flow_fixtures import BAD_FILES, generator, report_of

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("extraction_available")]

N_ORDERS = 60  # enough batches that the kill lands mid-run (files are stored a batch at a time)
KILL_AFTER = 4  # documents stored before the kill


def _stored_documents(url: str) -> int:
    try:
        with Store(url, create=False) as store:
            return store.counts()["documents"]
    except Exception:  # schema not created yet by the child
        return 0


def test_sigkill_then_rerun_equals_one_clean_run(tmp_path: Path, make_db_url: Callable[[], str],
                                                 prefect_harness: dict[str, str]) -> None:
    inbox = tmp_path / "inbox"
    generator().generate_orders(inbox, N_ORDERS, start=9301)
    for name, (make, _word) in BAD_FILES.items():
        (inbox / name).write_bytes(make())
    killed_db, clean_db = make_db_url(), make_db_url()
    env = {**os.environ, **prefect_harness, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-c", "from cli.app import main; main()", "ingest", str(inbox), "--db", killed_db]

    child = subprocess.Popen(cmd, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and child.poll() is None and _stored_documents(killed_db) < KILL_AFTER:
        time.sleep(0.05)
    assert child.poll() is None, f"the ingest ended before it could be killed: {child.stderr.read()!r}"
    os.killpg(child.pid, signal.SIGKILL)  # the whole process group: the CLI and anything it started
    child.wait(timeout=30)
    child.stderr.close()
    at_kill = _stored_documents(killed_db)
    assert KILL_AFTER <= at_kill < N_ORDERS, "the kill must land mid-run"

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 1, rerun.stderr[-2000:]   # the bad files failed again: exit 1, the rest stored

    from flows.ingest import ingest_orders

    clean = report_of(lambda: ingest_orders(str(inbox), clean_db))  # no task cache: every file extracted anew
    assert clean["counts"] == {"stored": N_ORDERS, "duplicate": 0, "superseded": 0, "skipped": 0, "failed": len(BAD_FILES)}

    with Store(killed_db) as killed, Store(clean_db) as fresh:
        assert killed.counts() == fresh.counts()
        assert killed.pending_compliance_regions() == fresh.pending_compliance_regions() == []
        killed_snapshot, clean_snapshot = killed.content_snapshot(), fresh.content_snapshot()
    for table in clean_snapshot:
        assert killed_snapshot[table] == clean_snapshot[table], table
