"""`roadmap export`: the activities of the acts in force, one row per activity."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


def command(
    format: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv, xlsx or parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here (default: stdout)."),
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL or SQLite file path. Default: $ROADMAP_DB, else ./roadmaps.db."),
) -> None:
    """Export the stored current activities (acts no later act amends, one rendition per act)
    as one table: the document's keys, then the activity's fields, parties and indicators."""
    from pipeline.store import Store, resolve_db_url

    url = resolve_db_url(db)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        typer.echo(f"no roadmap store at {url} (run `roadmap ingest DIR` first)", err=True)
        raise typer.Exit(code=1)
    if output is None and format is not ExportFormat.csv and sys.stdout.isatty():
        typer.echo(f"{format.value} is binary: give -o FILE or redirect stdout", err=True)
        raise typer.Exit(code=2)

    from pipeline.reports.activities import activities_frame
    from pipeline.reports.formats import render, write_output

    with Store(url) as store:
        frame = activities_frame(store)
    write_output(render("activities", format.value, frame), output)
