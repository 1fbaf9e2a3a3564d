"""`roadmap status`: the ingest ledger, one row per file ever seen."""
from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer

from cli.commands._common import require_store, stdout_console


class StatusFormat(str, Enum):
    table = "table"
    json = "json"


class LedgerStatus(str, Enum):
    stored = "stored"
    duplicate = "duplicate"
    superseded = "superseded"
    skipped = "skipped"
    failed = "failed"


def command(
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL or SQLite file path. Default: $ROADMAP_DB, else ./roadmaps.db."),
    format: StatusFormat = typer.Option(StatusFormat.table, "--format", "-f", help="table or json."),
    only: Optional[List[LedgerStatus]] = typer.Option(
        None, "--only", help="Only files with this status (repeatable), e.g. --only failed."),
) -> None:
    """Every file the ingest has seen: stored, duplicate (same bytes or same act as another
    file), superseded (a later act amends it), skipped (a stray file, no order) or failed,
    with the reason. In the table, paths below the current folder are shown relative to it;
    the counts are always of every file.

    A path seen since with other bytes (a bad file replaced by a good one) keeps its older
    row, marked, but it is neither counted nor listed by --only."""
    import json

    from pipeline.store import LEDGER_STATUSES, Store, redact_url

    url = require_store(db)
    with Store(url) as store:
        entries = store.ledger()
    wanted = {status.value for status in only or ()}
    shown = [e for e in entries if e.status in wanted and e.current] if wanted else entries
    if format is StatusFormat.json:
        json.dump([e.to_json_dict() for e in shown], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from cli.commands._tables import counts_table, ledger_table

    console = stdout_console()
    title = f"Ingest ledger: {', '.join(sorted(wanted))} only" if wanted else "Ingest ledger"
    console.print(ledger_table(shown, under=os.getcwd(), title=title, db_url=url))
    counts = {s: 0 for s in LEDGER_STATUSES}
    current = [e for e in entries if e.current]
    for e in current:
        counts[e.status] = counts.get(e.status, 0) + 1
    files = "1 file" if len(current) == 1 else f"{len(current)} files"
    older = len(entries) - len(current)
    seen_since = f" (and {older} older version(s) of files seen since with other bytes)" if older else ""
    console.print(counts_table(counts, f"{files} in {redact_url(url)}{seen_since}"))
