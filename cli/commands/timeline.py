"""`roadmap timeline`: print the federal milestones the plans are checked against."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer


class TimelineFormat(str, Enum):
    table = "table"
    json = "json"


def command(
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Only this year's milestones."),
    timeline: Optional[List[Path]] = typer.Option(None, "--timeline", "-t", help="Timeline JSON replacing the packaged one (repeatable)."),
    format: TimelineFormat = typer.Option(TimelineFormat.table, "--format", "-f", help="table, or json (the file format --timeline reads)."),
    sources: bool = typer.Option(False, "--sources", help="Also print where each date comes from (table format)."),
) -> None:
    """Print the federal 500+ timeline (packaged, or the given file)."""
    from pipeline.timeline import TimelineError, load_timeline

    try:
        milestones = load_timeline(timeline or None, year=year)
    except TimelineError as exc:
        typer.echo(f"timeline: {exc}", err=True)
        raise typer.Exit(code=2)
    if not milestones:
        typer.echo(f"no milestones{f' for {year}' if year else ''}", err=True)
        raise typer.Exit(code=1)
    if format is TimelineFormat.json:
        sys.stdout.write(json.dumps([m.model_dump(mode="json") for m in milestones], ensure_ascii=False, indent=2) + "\n")
        return
    width = max(len(m.id) for m in milestones)
    for m in milestones:
        when = m.deadline.strftime("%d.%m.%Y")
        if m.start and m.start != m.deadline:
            when = f"{m.start:%d.%m}–{when}"
        typer.echo(f"{m.id:<{width}}  {when:>17}  {m.title}")
        if sources and m.source:
            typer.echo(f"{'':<{width}}  {'':>17}  ↳ {m.source}")
