"""`roadmap timeline`: print the federal milestones the plans are checked against, or write
them as the spreadsheet template federal staff edit (`-f xlsx -o t.xlsx`)."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from cli.commands._common import load_timeline_or_exit, refuse_binary_to_terminal, require_output, usage_error


class TimelineFormat(str, Enum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


def command(
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Only this year's milestones."),
    timeline: Optional[List[Path]] = typer.Option(None, "--timeline", "-t", help="Timeline (JSON, XLSX, XLS, ODS or CSV) replacing the packaged one (repeatable)."),
    format: TimelineFormat = typer.Option(TimelineFormat.table, "--format", "-f", help="table, json or xlsx (json and xlsx are the files --timeline reads)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout (xlsx: a file or a pipe, never a terminal)."),
    sources: bool = typer.Option(False, "--sources", help="Also print where each date comes from (table format)."),
) -> None:
    """Print the federal 500+ timeline (packaged, or the given files), or write it as a template."""
    require_output(output)
    refuse_binary_to_terminal(format.value, output)
    milestones = load_timeline_or_exit(timeline, year=year)
    if not milestones:
        usage_error(f"no milestones{f' for {year}' if year else ''}")
    from pipeline.reports.formats import write_output

    if format is TimelineFormat.xlsx:
        import io

        from pipeline.timeline_sheet import write_timeline_xlsx

        buffer = io.BytesIO()
        write_timeline_xlsx(milestones, buffer)
        write_output(buffer.getvalue(), output)
        return
    if format is TimelineFormat.json:
        text = json.dumps([m.model_dump(mode="json") for m in milestones], ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(_table_lines(milestones, sources))
    write_output(text, output)


_HEADER_ID = "milestone"


def _table_lines(milestones: list, sources: bool) -> list[str]:
    """One line per milestone under a header naming the columns: id, federal dates (start–end
    when the step lasts), the step (with `sources`, a line of its evidence below)."""
    width = max(len(_HEADER_ID), *(len(m.id) for m in milestones))
    lines = [f"{_HEADER_ID:<{width}}  {'federal dates':>17}  step\n"]
    for m in milestones:
        when = m.deadline.strftime("%d.%m.%Y")
        if m.start and m.start != m.deadline:
            when = f"{m.start:%d.%m}–{when}"
        lines.append(f"{m.id:<{width}}  {when:>17}  {m.title}\n")
        if sources and m.source:
            lines.append(f"{'':<{width}}  {'':>17}  ↳ {m.source}\n")
    return lines
