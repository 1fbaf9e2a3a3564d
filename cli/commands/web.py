"""`roadmap web`: the auditor's workbench (pages and a JSON API) over the roadmap store."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from cli.commands._common import exit_on_sigterm, load_timeline_or_exit, require_store, usage_error

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def command(
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL or SQLite file path. Default: $ROADMAP_DB, else ./roadmaps.db."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    timeline: Optional[List[Path]] = typer.Option(None, "--timeline", "-t", help="Timeline replacing the packaged one."),
    uploads: Optional[Path] = typer.Option(
        None, "--uploads", help="Folder to keep uploaded orders in (default: a private temporary folder)."),
    files: Optional[Path] = typer.Option(
        None, "--files", help="The store's copies of the originals (default: $ROADMAP_FILES, else beside an SQLite database)."),
) -> None:
    """Serve the workbench: the status matrix with filters, each document with the page and
    row its statuses rest on, the review queue, plan amendments, the file ledger with an
    upload form, and the JSON API (/api/docs)."""
    if uploads is not None and uploads.exists() and not uploads.is_dir():
        usage_error(f"--uploads is not a folder: {uploads}")
    db = require_store(db)
    milestones = load_timeline_or_exit(timeline)
    if host not in LOOPBACK:
        typer.echo(f"warning: listening on {host}: the workbench has no login; anyone who can reach it "
                   "can read the store and upload files", err=True)

    import uvicorn

    from web.app import create_app
    from web.security import hosts_for

    app = create_app(db, milestones=milestones, uploads=uploads, files=files, allowed_hosts=hosts_for(host))
    typer.echo(f"workbench on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    exit_on_sigterm()
    uvicorn.run(app, host=host, port=port, log_level="warning")
