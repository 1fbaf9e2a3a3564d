"""`roadmap ingest DIR`: import every new order under a folder into the roadmap store.

The inbox is hashed against the ledger first: with nothing new the run is settled in this
process (last_seen recorded, the summary printed) and Prefect is not even imported; with new
files a Prefect flow run extracts them (in-process: no server to start)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from cli.commands._common import (
    EXIT_SIGTERM, EXIT_SOME_FAILED, exit_on_sigterm, progress, require_paths, require_store, stdout_console,
    usage_error,
)


def command(
    inbox: Path = typer.Argument(..., help="Folder of orders (searched recursively; ZIP archives are opened)."),
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL (postgresql+psycopg://…, sqlite:///file) or an SQLite file path. "
                           "Default: $ROADMAP_DB, else ./roadmaps.db."),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-w", min=1,
        help="Extract in a local pool of N processes (with --dask local: N Dask workers); N = the cores "
             "to use them all. Default: threads in this process, which read text PDFs and DOCX on one core "
             "(OCR and LibreOffice run in processes of their own)."),
    dask: Optional[str] = typer.Option(
        None, "--dask", help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local'."),
    retry_failed: bool = typer.Option(
        False, "--retry-failed", help="Read again the files whose same bytes failed before (after an upgrade, "
                                      "say); without it their recorded reason stands and they are not read."),
    as_json: bool = typer.Option(False, "--json", help="Print the run's report as JSON instead of tables."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own log lines."),
    files: Optional[Path] = typer.Option(
        None, "--files", help="Where the originals are kept by content (default: $ROADMAP_FILES, else beside "
                              "an SQLite database: roadmaps.db → roadmaps.files/)."),
) -> None:
    """Ingest new orders: extract each file once (same bytes are never stored twice), record
    every file in the ledger (stored / duplicate / superseded / skipped / failed, with its
    reason), recompute compliance for the regions that changed. A file that failed before,
    unchanged, keeps its reason and is not read again (--retry-failed reads it)."""
    require_paths([inbox], "inbox")
    if inbox.is_dir() and not any(p.is_file() and not p.name.startswith(".") for p in inbox.rglob("*")):
        usage_error(f"no files in {inbox}: nothing to ingest")
    require_store(db, must_exist=False)
    originals = str(files.expanduser().resolve()) if files is not None else None
    if dask and dask != "local" and workers:
        usage_error("--workers applies to --dask local only (a remote cluster has its own workers)")

    import json

    from cli.commands._tables import print_ingest_report
    from pipeline.ingest import IngestFailed, IngestReport, ingest_here, triage

    exit_on_sigterm(EXIT_SIGTERM, "ingest stopped (SIGTERM): the files it had not stored yet are read by the next run")
    with progress("hashing the inbox against the ledger…") as advance:
        def on_file(outcome, done: int, total: int) -> None:
            advance(f"{outcome.status:<9} {Path(outcome.path.split('!')[-1]).name[:40]}", total=total)

        try:
            triaged = triage(str(inbox), db, retry_failed)
            if triaged.new:
                advance(f"starting Prefect for {triaged.new} new file(s)…", step=0)
                report = _run_flow(str(inbox), db, workers, dask, verbose, on_file, triaged, originals)
            else:
                report = ingest_here(str(inbox), db, triaged, on_file, originals).to_json_dict()
        except IngestFailed as exc:
            report = exc.report

    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_ingest_report(report, stdout_console())
    outcome = IngestReport.from_json_dict(report)
    new, before = outcome.new_failures(), len(outcome.earlier_failures())
    earlier = (f"{before} file(s) failed in an earlier run and are unchanged: not read again "
               "(--retry-failed reads them)")
    if new:
        typer.echo(f"{len(new)} file(s) failed (see the reasons above, or `roadmap status`)"
                   + (f"; {earlier}" if before else ""), err=True)
        raise typer.Exit(code=EXIT_SOME_FAILED)
    if before:
        typer.echo(earlier, err=True)


def _run_flow(inbox: str, db: Optional[str], workers: Optional[int], dask: Optional[str], verbose: bool,
              on_file: Callable[..., None], triaged: Any, files: Optional[str]) -> dict:
    """The Prefect flow run, for an inbox with new files (Prefect is imported only here)."""
    from flows.runtime import configure_prefect_env

    configure_prefect_env(verbose)
    from flows.ingest import run_ingest

    return run_ingest(inbox, db, workers=workers, dask=dask, on_progress=on_file, triaged=triaged, files=files)
