"""The nightly ingest: a Prefect deployment of `ingest_orders` on a cron schedule.

Scheduled runs are created by a Prefect server's scheduler service, which the temporary
in-process server Prefect starts for one-off runs does not run ("Cannot schedule flows on
an ephemeral server"). So `serve_nightly` uses the server PREFECT_API_URL names, or else
starts a local `prefect server` (127.0.0.1, its database under PREFECT_HOME) for as long as
it serves, then polls for due runs and executes them in this process.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

from flows.ingest import ingest_orders

NIGHTLY_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Europe/Moscow"
DEPLOYMENT_NAME = "nightly-ingest"


def deployment_parameters(inbox: str | os.PathLike[str], db_url: Optional[str] = None) -> dict[str, Any]:
    """Absolute paths: the runs happen later, from wherever the server process runs. With no
    db_url the run reads $ROADMAP_DB then (keeps a password out of the deployment)."""
    from pipeline.store import resolve_db_url

    db = resolve_db_url(db_url) if db_url else None
    return {"inbox": str(Path(inbox).expanduser().resolve()), "db_url": db}


def nightly_deployment(inbox: str | os.PathLike[str], db_url: Optional[str] = None, cron: str = NIGHTLY_CRON,
                       timezone: str = DEFAULT_TIMEZONE, name: str = DEPLOYMENT_NAME) -> Any:
    """The RunnerDeployment of the ingest flow on `cron` (in `timezone`)."""
    from prefect.schedules import Cron

    return ingest_orders.to_deployment(
        name=name,
        parameters=deployment_parameters(inbox, db_url),
        schedule=Cron(cron, timezone=timezone),
        description=f"Ingest new orders from {Path(inbox).expanduser().resolve()} on '{cron}' ({timezone}).",
        tags=["roadmap", "nightly"],
    )


def run_once(deployment: Any) -> dict:
    """One run of what the deployment runs, now, in this process."""
    return ingest_orders(**deployment.parameters)


def serve_nightly(deployment: Any, run_now: bool = False) -> None:
    """Serve the deployment until interrupted (starting a local Prefect server if needed);
    with run_now, ingest once first, against the same server."""
    from prefect import serve

    from flows.ingest import IngestFailed

    if threading.current_thread() is threading.main_thread():
        # `kill` / systemd stop: leave through the finally blocks, so a started server stops too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with scheduling_server():
        if run_now:
            try:
                print(f"ingested now: {run_once(deployment)['counts']}", file=sys.stderr)
            except IngestFailed as exc:
                print(f"ingest now: {exc}", file=sys.stderr)
        serve(deployment, print_starting_message=True)


@contextmanager
def scheduling_server(startup_timeout: float = 180.0) -> Iterator[str]:
    """The API URL of a Prefect server that runs the scheduler: PREFECT_API_URL's, or a
    `prefect server start` child process on a free loopback port, stopped on exit."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield str(configured)
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        _wait_healthy(url, server, startup_timeout)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"prefect server not ready after {timeout:.0f} s")
