"""`roadmap compare PATH...`: each plan against the federal timeline, as a table to read at a
terminal, or JSON/CSV/XLSX/HTML."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import typer

from cli.commands._common import (
    EXIT_SOME_FAILED, EXIT_USAGE, load_timeline_or_exit, progress, refuse_binary_to_terminal, require_output,
    require_paths, require_store, stdout_is_terminal, usage_error,
)


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


def _documents_from_json(path: Path) -> list:
    """RoadmapDocument objects from `roadmap extract` output: a list, or a single document."""
    from schema import RoadmapDocument

    data = json.loads(path.read_text(encoding="utf-8"))
    items = data if isinstance(data, list) else [data]
    return [RoadmapDocument.model_validate(item) for item in items]


def _order_files(folder: Path) -> list[Path]:
    from extractors.read import iter_order_files

    return list(iter_order_files([folder]))


def _expand(paths: List[Path], failures: list[tuple[str, str]]) -> list[Path]:
    """The files to read: JSON and order files under folders, files as given."""
    files: list[Path] = []
    for given in paths:
        try:
            files += sorted(given.rglob("*.json")) + _order_files(given) if given.is_dir() else [given]
        except ImportError as exc:
            failures.append((str(given), f"extraction is not available: {exc}"))
    return files


def load_documents(paths: List[Path], on_file: Callable[[Path, int], None] = lambda path, total: None,
                   ) -> tuple[list, list[tuple[str, str]]]:
    """Documents from JSON files and order files (extracted on the fly); failures with reasons.
    `on_file(path, total)` is called after each file (a progress bar).

    Order files are read in a reader process meanwhile (extractors/read_ahead.py); the
    normalizers are imported only when an order file is met: comparing JSON needs none of them.
    """
    from extractors.read_ahead import read_ahead

    documents, failures = [], []
    files = _expand(paths, failures)
    with read_ahead([path for path in files if path.suffix.lower() != ".json"]) as reading:
        reads = iter(reading)
        for path in files:
            _load_one(path, reads, documents, failures)
            on_file(path, len(files))
    unique: dict = {}
    for doc in documents:
        unique.setdefault(doc.id, doc)
    return list(unique.values()), failures


def _load_one(path: Path, reads: Iterator, documents: list, failures: list[tuple[str, str]]) -> None:
    """One file's documents into `documents`, or its failure with the reason; an order file's
    read is the next of `reads` (they come in the order of the files)."""
    from pydantic import ValidationError

    try:
        if path.suffix.lower() == ".json":
            documents.extend(_documents_from_json(path))
        else:
            _, raw = next(reads)  # taken first: the next order file's read is the next one
            from pipeline.extract import document_from_read

            documents.append(document_from_read(raw))
    except ImportError as exc:
        failures.append((str(path), f"extraction is not available: {exc}"))
    except json.JSONDecodeError as exc:
        failures.append((str(path), f"not a JSON file: {exc}"))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        failures.append((str(path), f"not RoadmapDocument JSON: {where}: {first['msg']}"))
    except OSError as exc:
        failures.append((str(path), exc.strerror or str(exc)))
    except Exception as exc:  # ExtractionError's one-line reason, or any bug: the batch goes on
        readers = any(kind.__name__ == "ExtractionError" for kind in type(exc).__mro__)  # its kinds too
        failures.append((str(path), str(exc) if readers else f"internal error: {type(exc).__name__}: {exc}"))


def _one_rendition_per_act(documents: list) -> list:
    """The DOCX and the PDF (or a scan) of one act are one plan: compare it once, from the
    preferred rendition (as the store keeps it), and say which files were folded in."""
    from pipeline.versions import preferred_renditions

    duplicate_of = preferred_renditions(documents)
    by_id = {doc.id: doc for doc in documents}
    kept = []
    for doc in documents:
        other = duplicate_of.get(doc.id)
        if other is None:
            kept.append(doc)
        else:
            typer.echo(f"{doc.source.path}: same act as {by_id[other].source.path}, compared once", err=True)
    return kept


def _from_store(url: str, milestones: list, year: Optional[int], timeline_given: bool) -> tuple[list, list]:
    """The store's acts in force as corrected, and their compliance: the stored rows (what the
    workbench shows, every correction applied) when the packaged timeline and every year are
    wanted; otherwise scored again here against `milestones` for `year`, the store's
    corrections applied the same way."""
    from pipeline.store import Store

    with Store(url) as store:
        documents = store.current_documents()
        if not timeline_given and year is None:
            return documents, store.compliance()
        corrections = store.corrections()
    from pipeline.compare import compare_document
    from pipeline.corrections import correct_rows

    rows = [row for doc in documents
            for row in correct_rows(doc, compare_document(doc, milestones, year), corrections)]
    return documents, rows


def default_format(output: Optional[Path]) -> CompareFormat:
    """A table for a person at a terminal; JSON for a pipe or a file (what scripts read)."""
    return CompareFormat.table if output is None and stdout_is_terminal() else CompareFormat.json


def command(
    paths: Optional[List[Path]] = typer.Argument(None, help="Order files, folders, or JSON from `roadmap extract` (or --db)."),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Compare with this year's milestones only (default: the plan's years)."),
    timeline: Optional[List[Path]] = typer.Option(None, "--timeline", "-t", help="Timeline (JSON, XLSX, XLS, ODS or CSV) replacing the packaged one (repeatable)."),
    format: Optional[CompareFormat] = typer.Option(
        None, "--format", "-f", help="table, json, csv, xlsx or html [default: table on a terminal, else json]."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout (xlsx: a file or a pipe, never a terminal)."),
    db: Optional[str] = typer.Option(
        None, "--db", help="Compare the plans in force in this store (SQLAlchemy URL or SQLite file path), as corrected, instead of PATHs."),
) -> None:
    """Check each plan against the federal 500+ timeline: on time, late, undated or missing."""
    if paths and db:
        usage_error("name the orders to compare (PATH...) or a store (--db URL), not both")
    if not paths and not db:
        usage_error("name the orders to compare (PATH...) or a store (--db URL)")
    require_paths(paths or ())
    require_output(output)
    format = format or default_format(output)
    refuse_binary_to_terminal(format.value, output)
    milestones = load_timeline_or_exit(timeline)
    if year is not None and not any(m.year == year for m in milestones):
        usage_error(f"no federal milestones for {year} (`roadmap timeline` lists the years there are)")
    if db:
        url = require_store(db)
        with progress("reading the store") as advance:
            documents, rows = _from_store(url, milestones, year, bool(timeline))
        if not documents:
            from pipeline.store import redact_url

            usage_error(f"no roadmap documents in {redact_url(url)} (run `roadmap ingest DIR` first)")
        _write(rows, documents, milestones, format, output)
        return
    with progress("loading the matcher…") as advance:
        from pipeline.compare import compare_documents

        documents, failures = load_documents(paths, on_file=lambda path, total: advance(path.name[:40], total=total))
        for path, reason in failures:
            typer.echo(f"{path}: {reason}", err=True)
        if not documents:
            typer.echo("no roadmap documents to compare", err=True)
            raise typer.Exit(code=EXIT_SOME_FAILED if failures else EXIT_USAGE)
        documents = _one_rendition_per_act(documents)
        advance("comparing", step=0)
        rows = compare_documents(documents, milestones, year)
    covered = {r.document_id for r in rows}
    for doc in documents:
        if doc.id not in covered:
            typer.echo(f"{doc.source.path}: no federal milestones for its year(s); use --year or --timeline", err=True)

    _write(rows, documents, milestones, format, output)
    if failures:
        raise typer.Exit(code=EXIT_SOME_FAILED)


def _write(rows: list, documents: list, milestones: list, format: CompareFormat, output: Optional[Path]) -> None:
    from pipeline.reports.formats import render, write_output

    write_output(render("compliance", format.value, rows, documents, milestones), output, format.value)
