"""`roadmap serve --inbox DIR`: run the ingest every night (a Prefect deployment on a cron)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from cli.commands._common import exit_on_sigterm, usage_error


def command(
    inbox: Path = typer.Option(..., "--inbox", help="Folder the federal staff drop orders into."),
    cron: str = typer.Option("0 2 * * *", "--cron", help="When to run (cron syntax)."),
    timezone: str = typer.Option("Europe/Moscow", "--timezone", help="Time zone of the cron schedule."),
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL or SQLite path stored in the deployment. Default: $ROADMAP_DB "
                           "read at run time, else ./roadmaps.db (keep passwords in $ROADMAP_DB)."),
    files: Optional[Path] = typer.Option(
        None, "--files", help="Where the originals are kept by content, as `roadmap ingest --files` (default: "
                              "$ROADMAP_FILES read at run time, else beside an SQLite database)."),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-w", min=1,
        help="Each run extracts in a local pool of N processes, as `roadmap ingest --workers N` "
             "(default: threads in the run's process)."),
    name: Optional[str] = typer.Option(
        None, "--name", help="Deployment name (default: `nightly-ingest-<inbox folder>-<6 hex of its path>`, one "
                             "per inbox: two serves under one name share Prefect's database and one schedule)."),
    run_now: bool = typer.Option(False, "--run-now", help="Also ingest once right away, before serving."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own log lines."),
) -> None:
    """Serve the nightly ingest deployment until interrupted. Uses the Prefect server named
    by PREFECT_API_URL, or starts a local one (scheduled runs need its scheduler)."""
    if not inbox.is_dir():
        usage_error(f"inbox is not a folder: {inbox}")

    from flows.runtime import configure_prefect_env

    configure_prefect_env(verbose)
    from prefect.schedules import Cron

    from flows.nightly import nightly_deployment, serve_nightly

    try:
        ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        usage_error(f"invalid time zone: {timezone!r} (an IANA name, such as Europe/Moscow or Asia/Yekaterinburg)")
    try:
        Cron(cron, timezone=timezone)
    except Exception as exc:  # croniter says what is wrong
        usage_error(f"invalid schedule: {exc}")
    deployment = nightly_deployment(inbox, db, cron=cron, timezone=timezone, name=name, files=files, workers=workers)
    typer.echo(f"serving '{deployment.name}': ingest {deployment.parameters['inbox']} on '{cron}' ({timezone}); "
               "Ctrl-C stops", err=True)
    exit_on_sigterm()
    serve_nightly(deployment, run_now=run_now)
