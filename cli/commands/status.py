"""`roadmap status`: the ingest ledger, one row per file ever seen."""
from __future__ import annotations

import sys
from enum import Enum
from typing import Optional

import typer

from cli.commands._common import require_store, stdout_console


class StatusFormat(str, Enum):
    table = "table"
    json = "json"


def command(
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL or SQLite file path. Default: $ROADMAP_DB, else ./roadmaps.db."),
    format: StatusFormat = typer.Option(StatusFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """Every file the ingest has seen: stored, duplicate (same bytes or same act as another
    file), superseded (a later act amends it), skipped (a stray file, no order) or failed,
    with the reason."""
    import json

    from pipeline.store import LEDGER_STATUSES, Store, redact_url

    url = require_store(db)
    with Store(url) as store:
        entries = store.ledger()
    if format is StatusFormat.json:
        json.dump([e.to_json_dict() for e in entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from cli.commands._tables import counts_table, ledger_table

    console = stdout_console()
    console.print(ledger_table(entries))
    counts = {s: 0 for s in LEDGER_STATUSES}
    for e in entries:
        counts[e.status] = counts.get(e.status, 0) + 1
    console.print(counts_table(counts, f"{len(entries)} files in {redact_url(url)}"))
