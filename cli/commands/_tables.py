"""Rich tables shared by the ingest and status commands (imported only when they run)."""
from __future__ import annotations

from typing import Any, Iterable

from rich.console import Console
from rich.table import Table

from language.patterns import compiled

STATUS_STYLE = {"stored": "green", "duplicate": "cyan", "superseded": "yellow", "skipped": "dim", "failed": "red"}
FILE_ROWS_LIMIT = 60


def with_store(reason: str, db_url: str) -> str:
    """A reason's `roadmap diff A B` hint as one can paste it: with `--db` when the store is an
    SQLite file other than the default one (a server's URL is not repeated: it may carry a
    password)."""
    from pipeline.store import resolve_db_url

    if "`roadmap diff " not in reason or not db_url.startswith("sqlite:///") or db_url == resolve_db_url(None):
        return reason
    path = db_url[len("sqlite:///"):]
    return compiled(r"`(roadmap diff [^`]+)`").sub(lambda m: f"`{m.group(1)} --db {path}`", reason)


def counts_table(counts: dict[str, int], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for status in counts:
        table.add_column(status, justify="right", style=STATUS_STYLE.get(status))
    table.add_row(*[str(n) for n in counts.values()])
    return table


def print_ingest_report(report: dict[str, Any], console: Console) -> None:
    """The run's files (all of them when few, else those with something to say), then counts."""
    files = report["files"]
    shown = files if len(files) <= FILE_ROWS_LIMIT else [f for f in files if f["status"] != "stored" and f["reason"]]
    if shown:
        table = Table(title=f"Files of {report['inbox']}", title_justify="left", show_lines=False)
        table.add_column("file", overflow="fold")
        table.add_column("status")
        table.add_column("region")
        table.add_column("activities", justify="right")
        table.add_column("reason", overflow="fold")
        for f in shown:
            reason = with_store((f.get("reason") or "").replace(report["inbox"].rstrip("/") + "/", ""), report["db"])
            status = f"[{STATUS_STYLE.get(f['status'], '')}]{f['status']}[/]" + (" (before)" if f.get("known") else "")
            table.add_row(_short_path(f["path"], report["inbox"]), status, f.get("region") or "",
                          str(f.get("activities") or ""), reason)
        console.print(table)
    console.print(counts_table(report["counts"], f"Ingest into {report['db']}"))
    comp = report.get("compliance") or {}
    if comp.get("skipped"):
        console.print(f"[yellow]compliance not computed:[/] {comp['skipped']}")
    elif comp.get("regions"):
        console.print(f"compliance recomputed for {', '.join(r or '(no region)' for r in comp['regions'])}"
                      f" ({comp['rows']} rows)")
    for region, error in (comp.get("errors") or {}).items():
        console.print(f"[red]compliance failed for {region}:[/] {error}")


def ledger_table(entries: Iterable[Any], under: str = "", title: str = "Ingest ledger", db_url: str = "") -> Table:
    """The ledger's rows; a path (and a path in a reason) below the folder `under` is shown
    relative to it, as `git status` shows paths below the working folder; a `roadmap diff`
    hint names the store `db_url` (`with_store`)."""
    table = Table(title=title, title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("status")
    table.add_column("sha256")
    table.add_column("last seen")
    table.add_column("reason", overflow="fold")
    under = under.rstrip("/")  # the root folder shortens nothing
    prefix = under + "/" if under else ""
    for e in entries:
        reason = with_store((e.error or "").replace(prefix, "") if prefix else e.error or "", db_url)
        status = f"[{STATUS_STYLE.get(e.status, '')}]{e.status}" if e.current \
            else f"[dim]{e.status} (older bytes)"
        table.add_row(_short_path(e.path, under) if under else e.path, status,
                      e.sha256[:12], e.last_seen.strftime("%Y-%m-%d %H:%M"), reason)
    return table


def _short_path(path: str, inbox: str) -> str:
    prefix = inbox.rstrip("/") + "/"
    return path[len(prefix):] if path.startswith(prefix) else path
