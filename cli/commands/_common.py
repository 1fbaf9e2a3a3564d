"""What every command does the same way: exit codes, paths that must exist, binary formats
never to a terminal, progress on stderr, tables readable when piped, timeline warnings.

Exit codes (the README's table): 0 every file read; 1 some file failed (the rest still
written); 2 a usage error (a bad option, a path or store that does not exist, an unreadable
timeline, nothing to work on). Imports only typer and the standard library at module level.
"""
from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NoReturn, Optional

import typer

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_SIGTERM = 128 + signal.SIGTERM  # 143, as a shell reports a command SIGTERM ended
BINARY_FORMATS = ("xlsx", "parquet")


def usage_error(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code=EXIT_USAGE)


def exit_on_sigterm(code: int = 0, message: Optional[str] = None) -> None:
    """A `kill`, `systemctl stop` or `docker stop` (SIGTERM) ends the process as Ctrl-C does:
    through its `finally` blocks and exit handlers, so a Prefect server it started stops too
    (`serve`'s scheduling server, the temporary one an ingest or a workbench upload started).
    A server that caught the signal to shut down gracefully (uvicorn) raises it again when
    done, and SIGTERM's default action would end the process at once, skipping them. `code`:
    the exit status (a command cut short: 143, as the shell reports a SIGTERM), with
    `message` said on stderr first."""
    def stop(*_: object) -> None:
        if message:
            print(message, file=sys.stderr, flush=True)
        sys.exit(code)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def require_paths(paths: Iterable[Path], what: str = "path") -> None:
    """Every path named on the command line exists, or a usage error before any work."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        usage_error("\n".join(f"{what} not found: {p}" for p in missing))


def require_store(db: Optional[str], must_exist: bool = True) -> str:
    """The store's URL, once it is known to open: an SQLite file that does not exist (when
    `must_exist`: nothing to read), a server that refuses the connection or a database driver
    that is not installed is a usage error with one line, not a traceback."""
    from pipeline.store import redact_url, resolve_db_url

    url = resolve_db_url(db)
    if url.startswith("sqlite:///"):
        if must_exist and not Path(url[len("sqlite:///"):]).exists():
            usage_error(f"no roadmap store at {url} (run `roadmap ingest DIR` first)")
        return url
    from sqlalchemy.exc import SQLAlchemyError

    from pipeline.store import Store

    try:
        with Store(url, create=False) as store, store.engine.connect():
            pass
    except (SQLAlchemyError, ImportError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        usage_error(f"cannot open the roadmap store {redact_url(url)}: {reason}")
    return url


def require_output(output: Optional[Path]) -> None:
    """`-o FILE` can be written: its folder exists and it is not a folder itself — checked
    before any work, so a typo costs a usage error, not the run."""
    if output is None:
        return
    if output.is_dir():
        usage_error(f"cannot write {output}: it is a folder (give a file name)")
    if not output.parent.is_dir():
        usage_error(f"cannot write {output}: folder {output.parent} does not exist")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def refuse_binary_to_terminal(fmt: str, output: Optional[Path]) -> None:
    """XLSX or Parquet go to a file or a pipe, never to a terminal."""
    if output is None and fmt in BINARY_FORMATS and stdout_is_terminal():
        usage_error(f"{fmt} is binary: give -o FILE or redirect stdout (roadmap … -f {fmt} > out.{fmt})")


@contextmanager
def progress(description: str, total: Optional[int] = None) -> Iterator[Callable[..., None]]:
    """A rich progress bar on stderr, shown only when stderr is a terminal (nothing is written
    to a pipe or a log). Yields `advance(label=None, total=None, step=1)`: a step done. Off a
    terminal rich is not even imported (`roadmap extract`'s start-up stays short)."""
    if not sys.stderr.isatty():
        yield lambda *args, **kwargs: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=err, transient=True)
    task = bar.add_task(description, total=total)

    def advance(label: Optional[str] = None, total: Optional[int] = None, step: int = 1) -> None:
        changes: dict[str, Any] = {"advance": step}
        if label is not None:
            changes["description"] = label
        if total is not None:
            changes["total"] = total
        bar.update(task, **changes)

    with bar:
        yield advance


def stdout_console() -> Any:
    """A rich console for tables on stdout: as wide as the terminal, or, when piped, wide
    enough that no cell is cut mid-word (no colour codes either way off a terminal)."""
    from rich.console import Console

    return Console() if stdout_is_terminal() else Console(width=10_000, no_color=True)


def print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def load_timeline_or_exit(files: Optional[list[Path]], year: Optional[int] = None) -> list:
    """The milestones of the given files (or the packaged ones); what a user file held that was
    dropped is printed to stderr; an unreadable timeline is a usage error."""
    from pipeline.timeline import TimelineError, load_timeline

    require_paths(files or [], "timeline")
    warnings: list[str] = []
    try:
        milestones = load_timeline(files or None, year=year, warnings=warnings)
    except TimelineError as exc:
        usage_error(f"timeline: {exc}")
    print_warnings(warnings)
    return milestones
