"""`roadmap review export|import`: the review queue as a workbook to fill in Excel, and the
filled workbook applied to the store as one batch (all or nothing)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.commands._common import EXIT_USAGE, refuse_binary_to_terminal, require_output, require_paths, require_store

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Review the uncertain statuses: export the queue to a workbook, import it filled in.")

DB_HELP = "SQLAlchemy URL or SQLite file path. Default: $ROADMAP_DB, else ./roadmaps.db."


@app.command("export")
def export(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="The workbook to write (default: stdout, a pipe, never a terminal)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Write the review queue (most consequential first) as an XLSX workbook: one row per
    item with its ids, status, confidence, reasons, evidence and current values, and empty
    columns for the new value, a confirmation, a comment and the author."""
    require_output(output)
    refuse_binary_to_terminal("xlsx", output)
    url = require_store(db)
    from pipeline.reports.formats import write_output
    from pipeline.reports.review_sheet import render_review
    from pipeline.store import Store

    with Store(url) as store:
        items = store.review_queue()
    write_output(render_review(items), output)
    typer.echo(f"{len(items)} item(s) to review", err=True)


@app.command("import")
def import_(
    workbook: Path = typer.Argument(..., help="A workbook written by `roadmap review export`, filled in."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    author: Optional[str] = typer.Option(None, "--author", help="Who reviewed (for rows with no author; default: the login name)."),
) -> None:
    """Apply a filled review workbook as a whole: every filled row is checked first (known
    ids, a known field, a valid value); any problem is printed with its row number and
    nothing is applied (exit 2). Rows the store already reads so (the same workbook imported
    again) are left out and counted."""
    require_paths([workbook], "workbook")
    url = require_store(db)
    import getpass

    from pipeline.corrections import CorrectionError
    from pipeline.reports.review_sheet import read_review
    from pipeline.store import Store

    requests, problems = read_review(workbook, author or getpass.getuser())
    if not problems:
        with Store(url) as store:
            try:
                done = store.add_corrections([request for _, request in requests], skip_unchanged=True)
            except CorrectionError as exc:
                problems = [(requests[k][0] if k is not None else 0, reason) for k, reason in exc.problems]
    if problems:
        for number, reason in sorted(problems):
            typer.echo(f"{workbook.name}: row {number}: {reason}" if number else f"{workbook.name}: {reason}", err=True)
        typer.echo("nothing applied", err=True)
        raise typer.Exit(code=EXIT_USAGE)
    confirmed = sum(1 for c in done if c.kind == "confirm")
    unchanged = len(requests) - len(done)
    typer.echo(f"applied {len(done) - confirmed} correction(s) and {confirmed} confirmation(s)"
               + (f"; {unchanged} row(s) left out: applied already, the store reads them so" if unchanged else ""),
               err=True)
