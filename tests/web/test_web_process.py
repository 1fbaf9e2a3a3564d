"""`roadmap web` as a process: stopped by SIGTERM (`kill`, `systemctl stop`, `docker stop`)
it ends as Ctrl-C ends it — exit code 0, exit handlers run (they stop the temporary Prefect
server an upload started), its private upload folder removed."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows.runtime import free_port
from processes import killed_at_exit, sigterm

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _serve(db: str, temp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, TMPDIR=str(temp), PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = subprocess.Popen(
        [sys.executable, "-c", "from cli.app import main; main()", "web", "--db", db, "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"roadmap web exited with {server.returncode}: {server.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(base + "/ledger", timeout=2) as response:
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("roadmap web did not answer")


def test_sigterm_ends_the_workbench_as_ctrl_c_does(tmp_path: Path) -> None:
    from pipeline.store import Store

    db = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    with Store(db):
        pass
    temp = tmp_path / "tmp"
    temp.mkdir()
    server, _ = _serve(db, temp)
    with killed_at_exit(server):
        assert list(temp.glob("roadmap-web-uploads-*")), "the private upload folder exists while it serves"
        code = sigterm(server)
    stderr = server.stderr.read().decode()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert not list(temp.glob("roadmap-web-uploads-*"))
