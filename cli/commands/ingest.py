"""`roadmap ingest DIR`: import every new order under a folder into the roadmap store
(a Prefect flow run in-process: no server to start)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer


def command(
    inbox: Path = typer.Argument(..., help="Folder of orders (searched recursively; ZIP archives are opened)."),
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL (postgresql+psycopg://…, sqlite:///file) or an SQLite file path. "
                           "Default: $ROADMAP_DB, else ./roadmaps.db."),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-w", min=1,
        help="Extract in a local pool of N processes (with --dask local: N Dask workers). "
             "Default: threads in this process."),
    dask: Optional[str] = typer.Option(
        None, "--dask", help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local'."),
    as_json: bool = typer.Option(False, "--json", help="Print the run's report as JSON instead of tables."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own log lines."),
) -> None:
    """Ingest new orders: extract each file once (same bytes are never stored twice), record
    every file in the ledger (stored / duplicate / superseded / skipped / failed, with its
    reason), recompute compliance for the regions that changed."""
    if not inbox.exists():
        typer.echo(f"inbox not found: {inbox}", err=True)
        raise typer.Exit(code=2)
    if dask and dask != "local" and workers:
        typer.echo("--workers applies to --dask local only (a remote cluster has its own workers)", err=True)
        raise typer.Exit(code=2)

    from flows.runtime import configure_prefect_env

    configure_prefect_env(verbose)

    import json

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.ingest import IngestFailed, run_ingest
    from cli.commands._tables import print_ingest_report

    err = Console(stderr=True)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)
    task_id = progress.add_task("starting Prefect…", total=None)

    def on_file(outcome, done: int, total: int) -> None:
        progress.update(task_id, total=total, completed=done,
                        description=f"{outcome.status:<9} {Path(outcome.path.split('!')[-1]).name[:40]}")

    failed = False
    with progress:
        try:
            report = run_ingest(str(inbox), db, workers=workers, dask=dask, on_progress=on_file)
        except IngestFailed as exc:
            report, failed = exc.report, True

    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_ingest_report(report, Console())
    if failed:
        typer.echo("nothing could be ingested", err=True)
        raise typer.Exit(code=1)
