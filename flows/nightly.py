"""The nightly ingest: a Prefect deployment of `ingest_orders` on a cron schedule.

Scheduled runs are created by a Prefect server's scheduler service, which the temporary
in-process server Prefect starts for one-off runs does not run ("Cannot schedule flows on
an ephemeral server"). So `serve_nightly` uses the server PREFECT_API_URL names, or else
starts a local `prefect server` (flows/runtime.py: `scheduling_server`) for as long as it
serves, then polls for due runs and executes them in this process.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Optional

from flows.ingest import IngestFailed, ingest_orders
from flows.runtime import scheduling_server

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


def nightly_deployment(inbox: str | os.PathLike[str], db_url: Optional[str] = None, cron: str = NIGHTLY_CRON,
                       timezone: str = DEFAULT_TIMEZONE, name: str = DEPLOYMENT_NAME,
                       files: Optional[str | os.PathLike[str]] = None, workers: Optional[int] = None) -> Any:
    """The RunnerDeployment of the ingest flow on `cron` (in `timezone`), keeping the
    originals in `files` when given, extracting in `workers` processes when given."""
    from prefect.schedules import Cron

    return ingest_orders.to_deployment(
        name=name,
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
    with run_now, ingest once first, against the same server."""
    from prefect import serve

    with scheduling_server():
        if run_now:
            try:
                print(f"ingested now: {run_once(deployment)['counts']}", file=sys.stderr)
            except IngestFailed as exc:
                print(f"ingest now: {exc}", file=sys.stderr)
        serve(deployment, print_starting_message=True)
