"""`roadmap diff OLD NEW`: what changed between two versions of a plan."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from cli.commands._common import EXIT_SOME_FAILED, load_timeline_or_exit, require_output, usage_error


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


def _document(ref: str, db: Optional[str]):
    """A plan by file (an order, or `roadmap extract` JSON) or by its id in the store."""
    path = Path(ref)
    if path.exists():
        from cli.commands.compare import load_documents

        documents, failures = load_documents([path])
        if failures:
            typer.echo("\n".join(f"{p}: {reason}" for p, reason in failures), err=True)
            raise typer.Exit(code=EXIT_SOME_FAILED)
        if len(documents) != 1:
            usage_error(f"{ref}: holds {len(documents)} documents, diff takes one plan each side")
        return documents[0]
    from cli.commands._common import require_store
    from pipeline.store import Store

    store = Store(require_store(db), create=False)
    try:
        document = store.document(ref)
    finally:
        store.close()
    if document is None:
        usage_error(f"{ref}: not found (neither a file nor a stored document id)")
    return document


def _different_plans(before, after) -> str:
    """What tells the two documents apart as plans of different issuers (another region, or
    level, or municipality), '' when they may be versions of one plan."""
    def who(doc) -> tuple:
        return (doc.region.code if doc.region else None, doc.level, doc.municipality)

    a, b = who(before), who(after)
    if all(x is not None for x in a[:2] + b[:2]) and a != b:
        return " vs ".join(" ".join(str(v) for v in w if v) for w in (a, b))
    return ""


def command(
    old: str = typer.Argument(..., help="The earlier plan: an order file, `roadmap extract` JSON, or a stored document id."),
    new: str = typer.Argument(..., help="The later plan, likewise."),
    format: DiffFormat = typer.Option(DiffFormat.table, "--format", "-f", help="table, json or html."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    timeline: Optional[List[Path]] = typer.Option(None, "--timeline", "-t", help="Timeline replacing the packaged one."),
    db: Optional[str] = typer.Option(None, "--db", help="Store for document ids (default $ROADMAP_DB or sqlite:///roadmaps.db)."),
) -> None:
    """Activities moved, changed, added and dropped between two versions of a plan, and each
    federal milestone's status before and after."""
    require_output(output)
    milestones = load_timeline_or_exit(timeline)
    before, after = _document(old, db), _document(new, db)
    different = _different_plans(before, after)
    if different:
        typer.echo(f"warning: {old} and {new} look like plans of different issuers ({different}); "
                   "the diff pairs their activities by wording all the same", err=True)
    from pipeline.diff import diff_plans
    from pipeline.reports.formats import render, write_output

    write_output(render("diff", format.value, diff_plans(before, after, milestones)), output)
