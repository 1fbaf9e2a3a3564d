"""`roadmap ingest` stopped with SIGTERM (`kill`, `systemctl stop`) mid-run: it says so, exits
143, and the temporary Prefect server it started stops with it (it was left running, its
parent gone); what it stored stays, and the next run stores the rest."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flow_fixtures import generator
from pipeline.store import Store
from processes import alive, descendants, killed_at_exit

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("extraction_available")]
ROOT = Path(__file__).resolve().parents[2]


def test_sigterm_stops_ingest_and_its_prefect_server(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    generator().generate_orders(inbox, 200)
    db = f"sqlite:///{tmp_path / 'r.db'}"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # its own temporary server
    env.update(PREFECT_HOME=str(tmp_path / "prefect"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    ingest = subprocess.Popen([sys.executable, "-c", "from cli.app import main; main()", "ingest", str(inbox),
                               "--db", db], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    with killed_at_exit(ingest):
        server = None
        deadline = time.monotonic() + 120
        while server is None and time.monotonic() < deadline and ingest.poll() is None:
            server = next((p for p, args in descendants(ingest.pid) if "prefect" in args and "server" in args), None)
            time.sleep(0.2)
        assert server is not None, "no Prefect server started within two minutes"
        time.sleep(3)  # into the run
        ingest.send_signal(signal.SIGTERM)
        code = ingest.wait(60)
    err = ingest.stderr.read()
    assert code == 143, err
    assert "ingest stopped (SIGTERM): the files it had not stored yet are read by the next run" in err
    assert "Traceback" not in err, err
    deadline = time.monotonic() + 15
    while alive(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(server), "the Prefect server outlived the ingest that started it"
    with Store(db) as store:
        stored = store.counts()["documents"]
    assert stored < 200  # cut short; the next run stores the rest
    again = subprocess.run([sys.executable, "-c", "from cli.app import main; main()", "ingest", str(inbox),
                            "--db", db], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    with Store(db) as store:
        assert store.counts()["documents"] == 200
