"""The Prefect runtime of the command line: settings applied before Prefect is imported
(its settings are read at import), and a local Prefect server for scheduled runs. Standard
library only at module level.

Without PREFECT_API_URL, Prefect starts a temporary local API server for the first flow
run of a process (16–19 s on a fresh PREFECT_HOME here), so its start-up timeout is raised
above the 20 s default; analytics are off (offline machines); task-state lines go to
Prefect's own log store but not to the console, where our progress bar and summary are.
A value the user already set always wins.

That temporary server also runs the services a long-lived server's users read: the event
store, automations' triggers and actions, the event stream to UI clients, and the recorder
that turns task-run events into rows for the UI. It dies with the run, so nobody reads what
they build; they were three quarters of its CPU (≈ 1.7 ms per order ingested, on the cores
the extraction needs), so they are off for it, and only for it: the server `scheduling_server`
starts for `roadmap serve` keeps them.
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from typing import Iterator

DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}
TEMPORARY_SERVER_DEFAULTS = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_API_EVENTS_STREAM_OUT_ENABLED": "false",
}
# The TEMPORARY_SERVER_DEFAULTS this process set (not the user): kept from a server it starts.
_SET_FOR_TEMPORARY_SERVER: set[str] = set()


def configure_prefect_env(verbose: bool = False) -> None:
    """Quiet, offline-friendly Prefect defaults for this process and its children."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    for key, value in TEMPORARY_SERVER_DEFAULTS.items():
        if key not in os.environ:
            os.environ[key] = value
            _SET_FOR_TEMPORARY_SERVER.add(key)
    if verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "INFO")
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
    else:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def quiet_dask_logs() -> None:
    """distributed logs every worker start and stop at INFO: keep warnings only."""
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
                 "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.ERROR)


@contextmanager
def scheduling_server(startup_timeout: float = 180.0) -> Iterator[str]:
    """The API URL of a Prefect server that runs the scheduler: PREFECT_API_URL's, or a
    `prefect server start` child process on a free loopback port, stopped on exit."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield str(configured)
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env=long_lived_server_env(),
    )
    try:
        _wait_healthy(url, server, startup_timeout)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        stop_process(server)


def long_lived_server_env() -> dict[str, str]:
    """This process's environment without the services switched off for a temporary server
    (a server that outlives a run keeps its UI's events and task runs)."""
    return {k: v for k, v in os.environ.items() if k not in _SET_FOR_TEMPORARY_SERVER}


def stop_process(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Ask a child server to stop; kill it when it does not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
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
