"""`roadmap extract PATH...`: orders → RoadmapDocument JSON (or one CSV row per activity)."""
from __future__ import annotations

import gc
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from cli.commands._common import EXIT_SOME_FAILED, progress, require_output, require_paths, usage_error


class ExtractFormat(str, Enum):
    json = "json"
    csv = "csv"


def command(
    paths: List[Path] = typer.Argument(..., help="Order files or folders (searched recursively)."),
    format: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="json or csv (the activity table of `roadmap export`)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Extract roadmap orders (PDF, DOCX, DOC, RTF, ODT, spreadsheets, scans) into the shared roadmap schema."""
    require_paths(paths)
    require_output(output)
    from extractors.read import iter_order_files
    from extractors.read_ahead import read_ahead

    passed_over: list[Path] = []
    files = list(iter_order_files(paths, passed_over))
    if not files:
        usage_error("no order files found")
    # The reader process starts first, so the files are read while the normalizers, the
    # morphology dictionary and the schema's validators load here (all of them needed by
    # every document).
    with read_ahead(files) as reading:
        from language.morphology import get_morph
        from pipeline.extract import extract_many
        from pipeline.reports import some_names
        from pipeline.reports.formats import render, write_output
        from schema import build_document_validators

        get_morph()
        build_document_validators()
        with progress("extracting", total=len(files)) as advance:
            documents, failures = extract_many(reading, on_file=lambda path: advance(path.name[:40]))
    if passed_over:
        typer.echo(f"not read: {len(passed_over)} file(s) not named like an order "
                   f"({some_names([p.name for p in passed_over])}); `roadmap ingest` also opens ZIP archives", err=True)
    for path, reason in failures:
        typer.echo(f"{path}: {reason}", err=True)
    write_output(render("documents", format.value, documents), output, format.value)
    # The process ends here. Freezing what is left spares the interpreter's final cycle
    # collection over every parsed glyph and imported module (~0.1 s of a 1 s extract);
    # the files are closed already and the OS takes the memory back.
    gc.freeze()
    sys.stdout.flush()
    if failures:
        raise typer.Exit(code=EXIT_SOME_FAILED)
