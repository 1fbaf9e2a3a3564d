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
starts for `roadmap serve` keeps them. With them off, the events a run sends that server
(three per task run, others per flow run) have no reader either: `no_events_without_a_reader`
stops them being built and sent for the run, as `no_heartbeats_for_a_temporary_server` stops
the flow-run heartbeats nobody reads there.
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
from contextvars import ContextVar
from typing import Any, Iterator

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


@contextmanager
def no_heartbeats_for_a_temporary_server() -> Iterator[None]:
    """Flow-run heartbeats let a Prefect server tell a crashed run from a slow one; the
    temporary server of a run without PREFECT_API_URL dies with the run, so nobody reads
    them there, and stopping their thread costs each run up to a second at its end.
    The settings are copied without validation: `temporary_settings` re-reads every
    environment source (≈ 0.15 CPU-s per run) to change this one value."""
    import prefect.context

    context = prefect.context.get_settings_context()
    settings = context.settings
    if settings.api.url:
        yield
        return
    quiet = settings.model_copy(update={"flows": settings.flows.model_copy(update={"heartbeat_frequency": None})})
    with prefect.context.SettingsContext(profile=context.profile, settings=quiet):
        yield


# Set inside a run whose events nobody reads (`no_events_without_a_reader`); task threads
# inherit it with the run's context, other runs of the process do not.
_NO_READER: ContextVar[bool] = ContextVar("roadmap_events_without_a_reader", default=False)


@contextmanager
def no_events_without_a_reader() -> Iterator[None]:
    """Send no Prefect events from the runs inside, when nothing would read them: the run's
    server is the temporary one (no PREFECT_API_URL) and every server-side reader of events
    is off (the task-run recorder, the event store, automations' triggers, the event logger,
    the event stream out; TEMPORARY_SERVER_DEFAULTS, unless the user turned one on). Each
    task run's three state events cost the flow process and that server ≈ 1 ms of CPU per
    order ingested, on the cores the extraction needs. Prefect decides per event through
    `prefect.events.utilities.should_emit_events` (the seam its own test fixtures patch);
    it is wrapped once, and answers as before outside such a run."""
    from prefect.settings import get_current_settings

    if events_have_a_reader(get_current_settings()):
        yield
        return
    import prefect.events.utilities as events

    if not getattr(events.should_emit_events, "roadmap_gate", False):
        events.should_emit_events = _gated(events.should_emit_events)
    token = _NO_READER.set(True)
    try:
        yield
    finally:
        _NO_READER.reset(token)


def events_have_a_reader(settings: Any) -> bool:
    """Whether a Prefect event sent under `settings` would be read: a configured server (its
    UI, its automations, Prefect Cloud) or a temporary server with an event service on."""
    services = settings.server.services
    return bool(settings.api.url or services.task_run_recorder.enabled or services.event_persister.enabled
                or services.triggers.enabled or services.event_logger.enabled
                or settings.server.events.stream_out_enabled)


def _gated(should_emit: Any) -> Any:
    def should_emit_events() -> bool:
        return not _NO_READER.get() and should_emit()

    should_emit_events.roadmap_gate = True  # type: ignore[attr-defined]
    return should_emit_events


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
