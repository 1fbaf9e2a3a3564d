"""The nightly ingest: a Prefect deployment of `ingest_orders` on a cron schedule.

Scheduled runs are created by a Prefect server's scheduler service, which the temporary
in-process server Prefect starts for one-off runs does not run ("Cannot schedule flows on
an ephemeral server"). So `serve_nightly` uses the server PREFECT_API_URL names, or else
starts a local `prefect server` (flows/runtime.py: `scheduling_server`) for as long as it
serves, then polls for due runs and executes them (each in a process of its own).
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import re
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from flows.ingest import IngestFailed, ingest_orders
from flows.runtime import scheduling_server
from pipeline.ingest import IngestReport
from pipeline.reports.ingest import summary_line

NIGHTLY_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Europe/Moscow"
DEPLOYMENT_NAME = "nightly-ingest"


def deployment_parameters(inbox: str | os.PathLike[str], db_url: Optional[str] = None,
                          files: Optional[str | os.PathLike[str]] = None,
                          workers: Optional[int] = None) -> dict[str, Any]:
    """Absolute paths: the runs happen later, from wherever the server process runs. With no
    db_url the run reads $ROADMAP_DB then (keeps a password out of the deployment); with no
    `files` (where the originals are kept), $ROADMAP_FILES or the folder beside the database;
    with `workers`, each run extracts in a local pool of that many processes."""
    from pipeline.store import resolve_db_url

    db = resolve_db_url(db_url) if db_url else None
    parameters: dict[str, Any] = {"inbox": str(Path(inbox).expanduser().resolve()), "db_url": db}
    if files is not None:
        parameters["files"] = str(Path(files).expanduser().resolve())
    if workers:
        parameters["workers"] = workers
    return parameters


def deployment_name(inbox: str | os.PathLike[str]) -> str:
    """The default name of an inbox's deployment: `nightly-ingest-<folder>-<6 hex of its path>`.
    Two `serve`s on one machine share Prefect's database; under one name the second took over
    the first's schedule and inbox, and the first never ran again."""
    path = Path(inbox).expanduser().resolve()
    folder = re.sub(r"[^\w-]+", "-", path.name).strip("-")[:30] or "root"
    return f"{DEPLOYMENT_NAME}-{folder}-{hashlib.sha256(str(path).encode()).hexdigest()[:6]}"


def nightly_deployment(inbox: str | os.PathLike[str], db_url: Optional[str] = None, cron: str = NIGHTLY_CRON,
                       timezone: str = DEFAULT_TIMEZONE, name: Optional[str] = None,
                       files: Optional[str | os.PathLike[str]] = None, workers: Optional[int] = None) -> Any:
    """The RunnerDeployment of the ingest flow on `cron` (in `timezone`), keeping the
    originals in `files` when given, extracting in `workers` processes when given; named
    `name`, else after its inbox (deployment_name)."""
    from prefect.schedules import Cron

    return ingest_orders.to_deployment(
        name=name or deployment_name(inbox),
        parameters=deployment_parameters(inbox, db_url, files, workers),
        schedule=Cron(cron, timezone=timezone),
        description=f"Ingest new orders from {Path(inbox).expanduser().resolve()} on '{cron}' ({timezone}).",
        tags=["roadmap", "nightly"],
    )


def run_once(deployment: Any) -> dict:
    """One run of what the deployment runs, now, in this process."""
    return ingest_orders(**deployment.parameters)


def serve_nightly(deployment: Any, run_now: bool = False) -> None:
    """Serve the deployment until interrupted (starting a local Prefect server if needed);
    with run_now, ingest once first, against the same server. Says when the next run is;
    each run prints its line (flows/ingest.py). Ctrl-C or SIGTERM stops it, and says so when
    a run was cut short by it."""
    runner = None
    cut_short = False
    try:
        with scheduling_server() as api_url:
            if run_now:
                cut_short = True  # until its ingest returns
                try:
                    report = run_once(deployment)
                except IngestFailed as exc:
                    report = exc.report
                cut_short = False
                print(summary_line(IngestReport.from_json_dict(report), datetime.now().astimezone()),
                      file=sys.stderr, flush=True)
            runner = _runner()
            runner.add_deployment(deployment)
            announce = (f"next run {when_next(deployment)}; a line a run below, and the runs with their logs in "
                        f"Prefect's UI: {api_url.removesuffix('/api')}/")
            try:
                asyncio.run(_serving(runner, announce))
            except KeyboardInterrupt:
                pass
    finally:
        cut_short = cut_short if runner is None else runner.interrupted_runs > 0
        print(stopped_line(cut_short), file=sys.stderr)


def stopped_line(cut_short: bool) -> str:
    """serve's last line. A run cut short loses nothing: its files are stored a few per
    transaction, and those not stored yet have no ledger row, so the next run reads them."""
    if not cut_short:
        return "stopped"
    return "stopped; the ingest in progress was cut short: the files it had not stored yet are read by the next run"


async def _serving(runner: Any, announce: str) -> None:
    """The runner's polling, announced once it has begun (and taken over SIGTERM); Ctrl-C
    goes through the same handler, which counts the runs it interrupts."""
    serving = asyncio.create_task(runner.start())
    await asyncio.sleep(0)  # `start` runs up to its first wait: its signal handler is set
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, runner.handle_sigterm)
    print(announce, file=sys.stderr, flush=True)
    await serving


def next_run(deployment: Any, after: Optional[datetime] = None) -> datetime:
    """When the scheduler will next run the deployment (its first schedule), in the
    schedule's time zone: the server's own computation of the cron."""
    from prefect.server.schemas.schedules import CronSchedule

    schedule = deployment.schedules[0].schedule
    return asyncio.run(CronSchedule(**schedule.model_dump()).get_dates(1, start=after))[0]


def when_next(deployment: Any, after: Optional[datetime] = None) -> str:
    """The next run in this machine's time, as each run's line gives it, and in the
    schedule's zone when that differs: `2026-12-07 23:00 UTC (02:00 MSK by the schedule)`."""
    scheduled = next_run(deployment, after)
    local = scheduled.astimezone()
    said = f"{local:%Y-%m-%d %H:%M %Z}"
    if local.utcoffset() != scheduled.utcoffset() or local.tzname() != scheduled.tzname():
        said += f" ({scheduled:%H:%M %Z} by the schedule)"
    return said


def _runner() -> Any:
    """Prefect's Runner, taking SIGTERM (`kill`, `systemctl stop`) as Ctrl-C: its own handler
    calls a coroutine without awaiting it (a RuntimeWarning) and held the process half a minute."""
    from prefect.runner import Runner

    class Runner_(Runner):
        interrupted_runs = 0  # flow runs in progress when the signal came

        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            # Scheduled runs' processes are tracked by the runner's process manager (Prefect
            # is pinned; tests/flows/test_serve_process.py sees this break on an upgrade).
            self.interrupted_runs = len(self._process_manager.flow_run_ids() | set(self._flow_run_process_map))
            raise KeyboardInterrupt

    return Runner_(pause_on_shutdown=True)
