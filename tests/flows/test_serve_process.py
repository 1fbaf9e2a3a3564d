"""`roadmap serve` as a process: it says when the next run is, and SIGTERM (`kill`,
`systemctl stop`) ends it as Ctrl-C does — exit code 0, "stopped", the Prefect server it
started stopped with it, no warning from Prefect's own SIGTERM handler."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from processes import alive, descendants, killed_at_exit, sigterm

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def test_serve_says_when_it_runs_and_sigterm_stops_it_and_its_server(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # its own scheduling server
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), TZ="UTC",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    serve = subprocess.Popen(
        [sys.executable, "-c", "from cli.app import main; main()", "serve", "--inbox", str(inbox),
         "--db", str(tmp_path / "r.db"), "--cron", "0 2 * * *"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []
    with killed_at_exit(serve):
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and not any(line.startswith("next run ") for line in lines):
            line = serve.stderr.readline()
            if not line and serve.poll() is not None:
                break
            lines.append(line)
        [announced] = [line for line in lines if line.startswith("next run ")]
        assert re.match(r"next run \d{4}-\d{2}-\d{2} 23:00 UTC \(02:00 MSK by the schedule\); a line a run below, "
                        r"and the runs with their logs in Prefect's UI: http://127\.0\.0\.1:\d+/$",
                        announced.strip()), announced
        ui = announced.strip().rsplit(" ", 1)[1]
        assert _answers(ui)
        code = sigterm(serve)
    rest = serve.stderr.read()
    assert code == 0, "".join(lines) + rest
    assert rest.strip().endswith("stopped"), rest
    assert "RuntimeWarning" not in rest and "Traceback" not in rest, rest
    assert not _answers(ui)  # the scheduling server stopped with it


def test_sigterm_during_a_scheduled_run_says_it_was_cut_short(tmp_path: Path) -> None:
    """A scheduled run executes in a process of the runner's; SIGTERM stops serve, the run's
    process with it, and the last line says the ingest was cut short (not just «stopped»)."""
    from flow_fixtures import generator

    inbox = tmp_path / "inbox"
    generator().generate_orders(inbox, 200)  # long enough to be caught running
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    serve = subprocess.Popen(
        [sys.executable, "-c", "from cli.app import main; main()", "serve", "--inbox", str(inbox),
         "--db", str(tmp_path / "r.db"), "--cron", "* * * * *"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    with killed_at_exit(serve):
        run = None
        deadline = time.monotonic() + 180
        while run is None and time.monotonic() < deadline and serve.poll() is None:
            run = next((pid for pid, args in descendants(serve.pid) if "prefect.engine" in args), None)
            time.sleep(0.2)
        assert run is not None, "no scheduled run started within three minutes"
        time.sleep(2)
        code = sigterm(serve)
    rest = serve.stderr.read()
    assert code == 0, rest
    assert rest.strip().splitlines()[-1] == (
        "stopped; the ingest in progress was cut short: the files it had not stored yet are read by the next run"), rest
    assert "Traceback" not in rest, rest
    time.sleep(1)
    assert not alive(run), "the run's process outlived serve"

