"""`roadmap export`: the activities of the acts in force, one row per activity."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from cli.commands._common import progress, refuse_binary_to_terminal, require_output, require_store


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


def command(
    format: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv, xlsx or parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here (default: stdout; xlsx and parquet: a pipe, never a terminal)."),
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL or SQLite file path. Default: $ROADMAP_DB, else ./roadmaps.db."),
) -> None:
    """Export the stored current activities (acts no later act amends, one rendition per act)
    as the activity table of `roadmap extract -f csv`: the document's keys, then the
    activity's fields, parties and indicators."""
    require_output(output)
    refuse_binary_to_terminal(format.value, output)
    url = require_store(db)
    from pipeline.reports.activities import activities_frame
    from pipeline.reports.formats import render, write_output
    from pipeline.store import Store

    with progress("reading the store") as advance:
        with Store(url) as store:
            frame = activities_frame(store)
        advance(f"writing {len(frame)} activities as {format.value}", step=0)
        data = render("activities", format.value, frame)
    write_output(data, output, format.value)
