"""The ingest flow: an inbox folder of orders → the roadmap store.

discover (recursively, archives opened safely) → skip bytes already stored → one task per
new file (extract, mapped concurrently: threads by default, `--workers N` a local pool of
N extraction processes, `--dask` a Dask cluster) → store each result in the flow's own
process (one transaction per file, so SQLite needs no sharing, a Dask worker needs no
database access, and a kill loses at most the file in flight) → recompute the compliance
of the regions that changed → a table artifact and a markdown summary.

A file that fails is recorded in the ledger with a one-line reason and the run goes on; the
run ends Failed only when files were found and none could be ingested. Only transient
errors (I/O hiccups, time-outs) are retried. Extraction results are cached on the file's
sha256 and the extraction code's fingerprint, so a re-run after a crash does not redo work
and a code change does not serve stale results (Prefect recomputes a cache entry a kill
left truncated: measured).

The work is in plain functions (`process_inbox`, `extract_item`, `record_result`,
`refresh_compliance`) that tests call directly; the Prefect objects only orchestrate them.
"""
from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.raw import ExtractionError
from extractors.discover import FileItem, discover, local_copy
from schema import RoadmapDocument
from pipeline.store import Store, redact_url

ROOT = Path(__file__).resolve().parents[1]
# The code whose change must invalidate cached extraction results.
_FINGERPRINT_SOURCES = ("extractors", "normalizers", "pipeline/extract.py", "schema")

Extractor = Callable[[str | os.PathLike[str]], RoadmapDocument]
ProgressListener = Callable[["FileOutcome", int, int], None]
_listeners: list[ProgressListener] = []


class IngestFailed(RuntimeError):
    """Files were found but none could be ingested; `report` says why for each."""

    def __init__(self, message: str, report: dict) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class FileOutcome:
    """What this run did with one file: stored (new document), duplicate (bytes already
    stored), failed (with a one-line reason)."""

    path: str
    sha256: str
    status: str
    reason: Optional[str] = None
    document_id: Optional[str] = None
    region: Optional[str] = None
    activities: int = 0


@dataclass
class IngestReport:
    inbox: str
    db: str
    files: list[FileOutcome] = field(default_factory=list)
    compliance: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # wall time of discover / extract+store / compliance

    @property
    def counts(self) -> dict[str, int]:
        out = {"stored": 0, "duplicate": 0, "failed": 0}
        for f in self.files:
            out[f.status] = out.get(f.status, 0) + 1
        return out

    def to_json_dict(self) -> dict:
        return {"inbox": self.inbox, "db": self.db, "counts": self.counts,
                "files": [asdict(f) for f in self.files], "compliance": self.compliance,
                "seconds": self.seconds}


def add_progress_listener(listener: ProgressListener) -> None:
    """Called after each file with (outcome, done, total): the CLI's progress bar."""
    _listeners.append(listener)


def remove_progress_listener(listener: ProgressListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


# -- plain functions ------------------------------------------------------------------------

def default_extractor() -> Extractor:
    from pipeline.extract import extract

    return extract


def extract_item(item: FileItem, extractor: Optional[Extractor] = None) -> RoadmapDocument:
    """Extract one discovered item (a file, or an archive member via a private copy) and
    give the document the item's ledger path."""
    extractor = extractor or default_extractor()
    with local_copy(item) as path:
        doc = extractor(path)
    if doc.source.sha256 != item.sha256:
        raise ExtractionError("file changed while it was being ingested; it will be read again next run")
    doc.source.path = item.path
    return doc


_TRANSIENT_ERRNOS = {errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.EIO, errno.ETIMEDOUT, errno.ENOMEM,
                     errno.EMFILE, errno.ENFILE, errno.ESTALE, errno.ECONNRESET, errno.ENOLCK}


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: the same bytes may well succeed a moment later (a busy network share,
    a LibreOffice or Tesseract run that timed out). A file that is not a readable roadmap
    (ExtractionError) or a bug in our code fails the same way every time."""
    if isinstance(exc, ExtractionError):
        return False
    if isinstance(exc, (TimeoutError, subprocess.TimeoutExpired, ConnectionError, BlockingIOError,
                        InterruptedError, WorkerCrashed)):
        return True
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)):
        return False
    if isinstance(exc, OSError):
        return exc.errno in _TRANSIENT_ERRNOS
    return False


def failure_reason(exc: BaseException) -> str:
    """One line for the ledger: the extractor's own reason, else the error's type and text."""
    text = " ".join(str(exc).split())
    if isinstance(exc, ExtractionError):
        return text or "not a readable roadmap order"
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    label = "transient error, retries exhausted" if is_transient(exc) else "internal error"
    return f"{label}: {type(exc).__name__}: {text}"[:500] if text else f"{label}: {type(exc).__name__}"


def plan_items(store: Store, items: Sequence[FileItem]) -> tuple[list[FileItem], list[FileOutcome]]:
    """Split discovered items into those to extract and those settled without extraction:
    refused by discovery (recorded as failed) or with bytes already stored (duplicates)."""
    stored = store.stored_hashes(i.sha256 for i in items if not i.error)
    to_extract: list[FileItem] = []
    settled: list[FileOutcome] = []
    for item in items:
        if item.error:
            store.record_failure(item.path, item.sha256, item.size, None, item.error)
            settled.append(FileOutcome(item.path, item.sha256, "failed", item.error))
        elif item.sha256 in stored and store.record_duplicate(item.path, item.sha256, item.size, None):
            settled.append(FileOutcome(item.path, item.sha256, "duplicate", document_id=stored[item.sha256]))
        else:
            to_extract.append(item)
    return to_extract, settled


def record_result(store: Store, item: FileItem, doc: Optional[RoadmapDocument],
                  error: Optional[BaseException]) -> FileOutcome:
    """Store one extraction result (or its failure) with its ledger row."""
    if doc is None:
        reason = failure_reason(error if error is not None else RuntimeError("no result"))
        store.record_failure(item.path, item.sha256, item.size, None, reason)
        return FileOutcome(item.path, item.sha256, "failed", reason)
    doc = doc.model_copy(deep=True)
    doc.source.path = item.path
    result = store.store_document(doc, path=item.path, size=item.size)
    # Stored but already amended by a stored act: new data all the same, with the note.
    status = "stored" if result.status == "superseded" else result.status
    return FileOutcome(item.path, item.sha256, status, result.note, document_id=result.document_id,
                       region=doc.region.code if doc.region else None, activities=result.activities)


def compliance_function() -> tuple[Optional[Callable[[RoadmapDocument], list]], Optional[str]]:
    """pipeline.compare's document comparison against the packaged federal timeline, or
    (None, why) when that module is not available (then compliance is skipped, not faked)."""
    try:
        from pipeline.compare import compare_document
        from pipeline.timeline import load_timeline
    except ImportError as exc:
        return None, f"pipeline.compare is not available ({exc})"
    milestones = load_timeline()
    return (lambda doc: compare_document(doc, milestones)), None


def refresh_compliance(store: Store) -> dict:
    """Recompute compliance for every region whose documents changed since it was last
    computed (the pending marks survive a crash, so nothing is missed)."""
    regions = store.pending_compliance_regions()
    if not regions:
        return {"regions": [], "rows": 0, "skipped": None, "errors": {}}
    compute, why_not = compliance_function()
    if compute is None:
        warnings.warn(f"compliance not computed: {why_not}", RuntimeWarning, stacklevel=2)
        return {"regions": [], "rows": 0, "skipped": why_not, "errors": {}, "pending": regions}
    rows = 0
    done: list[str] = []
    errors: dict[str, str] = {}
    for key in regions:
        try:
            rows += store.update_compliance(key, compute)
            done.append(key)
        except Exception as exc:  # one region's failure must not lose the others
            errors[key or "(no region)"] = failure_reason(exc)
    return {"regions": done, "rows": rows, "skipped": None, "errors": errors}


def summary_table(report: IngestReport) -> list[dict]:
    return [{"path": f.path, "status": f.status, "reason": f.reason or "", "document_id": f.document_id or "",
             "region": f.region or "", "activities": f.activities} for f in report.files]


def summary_markdown(report: IngestReport) -> str:
    c = report.counts
    lines = [
        f"# Ingest of `{report.inbox}`",
        "",
        f"Store: `{report.db}`",
        "",
        "| stored | duplicate | failed |",
        "|---:|---:|---:|",
        f"| {c['stored']} | {c['duplicate']} | {c['failed']} |",
        "",
    ]
    failed = [f for f in report.files if f.status == "failed"]
    if failed:
        lines += ["## Failed files", "", "| file | reason |", "|---|---|"]
        lines += [f"| `{_md(f.path)}` | {_md(f.reason or '')} |" for f in failed]
        lines.append("")
    comp = report.compliance
    if comp.get("skipped"):
        lines.append(f"Compliance not computed: {comp['skipped']}")
    elif comp.get("regions"):
        regions = ", ".join(r or "(no region)" for r in comp["regions"])
        lines.append(f"Compliance recomputed for {len(comp['regions'])} region(s): {regions} ({comp['rows']} rows).")
    for region, error in (comp.get("errors") or {}).items():
        lines.append(f"Compliance failed for {region}: {error}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _notify(outcome: FileOutcome, done: int, total: int) -> None:
    for listener in list(_listeners):
        listener(outcome, done, total)


# -- Prefect ----------------------------------------------------------------------------------

def extractor_fingerprint() -> str:
    """A hash of the extraction code: part of the cache key."""
    digest = hashlib.sha256()
    for name in _FINGERPRINT_SOURCES:
        base = ROOT / name
        files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if base.is_dir() else [base]
        for p in files:
            if p.exists():
                digest.update(str(p.relative_to(ROOT)).encode())
                digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


_FINGERPRINT = extractor_fingerprint()


def _cache_key(_context: Any, parameters: dict[str, Any]) -> str:
    item: FileItem = parameters["item"]
    return f"roadmap-extract-{_FINGERPRINT}-{item.sha256}"


def _retry_if_transient(_task: Any, _task_run: Any, state: Any) -> bool:
    exc = state.data if isinstance(getattr(state, "data", None), BaseException) else None
    if exc is None:
        try:
            exc = state.result(raise_on_failure=False)
        except Exception:
            return False
    return isinstance(exc, BaseException) and is_transient(exc)


@task(
    name="extract-order",
    task_run_name="extract {item.name}",
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_condition_fn=_retry_if_transient,
    cache_key_fn=_cache_key,
    cache_expiration=timedelta(days=90),
    persist_result=True,
)
def extract_order(item: FileItem) -> RoadmapDocument:
    """One file → RoadmapDocument. With `--workers N` the task runs in a thread of the flow
    process and hands the CPU work to the local extraction pool; on Dask or Prefect's
    process pool it runs where the runner puts it."""
    return extract_in_pool(item)


def extract_in_pool(item: FileItem) -> RoadmapDocument:
    """Extract in the local extraction pool when one is running, else right here. (A module
    function, so the task pickles by reference for Prefect's and Dask's workers.)"""
    pool = _POOL.executor
    if pool is None:
        return extract_item(item)
    try:
        return pool.submit(extract_item, item).result()
    except BrokenProcessPool as exc:
        _POOL.replace(pool)
        raise WorkerCrashed(f"an extraction worker process died ({exc})") from None


class WorkerCrashed(RuntimeError):
    """A pool process died (a crash in a native library, the OOM killer): the files in
    flight are retried on a fresh pool; the one that kills it every time then fails."""


class _ExtractionPool:
    """The process pool of `--workers N`, shared by the run's task threads.

    Why not Prefect's ProcessPoolTaskRunner: it rebuilds the Prefect context and client in
    the worker for every task, measured here at ~0.35 s per file against ~0.1 s to extract
    a DOCX order; threads keep Prefect's bookkeeping in the flow process and the pool does
    only the extraction."""

    def __init__(self) -> None:
        self.executor: Optional[ProcessPoolExecutor] = None
        self.workers = 0
        self._lock = threading.Lock()

    @contextmanager
    def running(self, workers: int) -> Iterator[None]:
        with self._lock:
            self.workers = workers
            self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        try:
            yield
        finally:
            with self._lock:
                executor, self.executor = self.executor, None
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)

    def replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self.executor is broken:
                self.executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("spawn"))
        broken.shutdown(wait=False, cancel_futures=True)


_POOL = _ExtractionPool()


def process_inbox(inbox: str, db_url: Optional[str], submit: Callable[[list[FileItem]], list[Any]],
                  resolve: Callable[[Any], tuple[Optional[RoadmapDocument], Optional[BaseException]]]) -> IngestReport:
    """The flow's body with the task machinery injected: `submit` starts extractions and
    returns handles in order; `resolve` waits for one handle and returns (document, error)."""
    with Store(db_url) as store:
        report = IngestReport(inbox=str(Path(inbox).expanduser().resolve()), db=redact_url(store.url))
        clock = time.perf_counter()
        items = discover(inbox)
        report.seconds["discover"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        total = len(items)
        to_extract, settled = plan_items(store, items)
        for outcome in settled:
            report.files.append(outcome)
            _notify(outcome, len(report.files), total)
        handles = submit(to_extract) if to_extract else []
        for item, handle in zip(to_extract, handles):
            doc, error = resolve(handle)
            outcome = record_result(store, item, doc, error)
            report.files.append(outcome)
            _notify(outcome, len(report.files), total)
        report.files.sort(key=lambda f: f.path)
        report.seconds["extract_store"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        report.compliance = refresh_compliance(store)
        report.seconds["compliance"] = round(time.perf_counter() - clock, 3)
    return report


def _submit_extractions(items: list[FileItem]) -> list[Any]:
    return list(extract_order.map(items))


def _resolve_future(future: Any) -> tuple[Optional[RoadmapDocument], Optional[BaseException]]:
    future.wait()
    state = future.state
    if state.is_completed():
        return future.result(), None
    try:
        outcome = future.result(raise_on_failure=False)
    except BaseException as exc:  # a crashed worker, a lost Dask future
        outcome = exc
    if isinstance(outcome, BaseException):
        return None, outcome
    return None, RuntimeError(state.message or f"task ended {state.type.value}")


def task_runner_for(workers: Optional[int] = None, dask: Optional[str] = None,
                    prefect_processes: bool = False) -> Any:
    """The task runner for `--dask ADDRESS|local` (prefect-dask; `local` starts a
    LocalCluster of N single-threaded worker processes), or for `--workers N` a thread pool
    of N (the extraction itself goes to the local process pool, see _ExtractionPool);
    `prefect_processes` uses Prefect's ProcessPoolTaskRunner instead (benchmarks compare).
    None: the flow's default thread pool (enough when OCR and LibreOffice subprocesses do
    the heavy work)."""
    if dask:
        from prefect_dask import DaskTaskRunner

        from flows.runtime import quiet_dask_logs

        quiet_dask_logs()
        if dask == "local":
            return DaskTaskRunner(cluster_kwargs={
                "n_workers": workers or os.cpu_count() or 2, "threads_per_worker": 1,
                "processes": True, "dashboard_address": None, "silence_logs": 40,
            })
        return DaskTaskRunner(address=dask)
    if workers and prefect_processes:
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=workers)
    if workers:
        return ThreadPoolTaskRunner(max_workers=workers)
    return None


def run_ingest(inbox: str, db_url: Optional[str] = None, workers: Optional[int] = None,
               dask: Optional[str] = None, prefect_processes: bool = False) -> dict:
    """Run the flow with the chosen task runner; returns the report (raises IngestFailed).
    `workers` alone: extraction in a local pool of that many processes."""
    runner = task_runner_for(workers, dask, prefect_processes)
    flow_ = ingest_orders.with_options(task_runner=runner) if runner is not None else ingest_orders
    if workers and not dask and not prefect_processes:
        with _POOL.running(workers):
            return flow_(inbox=inbox, db_url=db_url)
    return flow_(inbox=inbox, db_url=db_url)


@flow(name="ingest-orders", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 2),
      log_prints=False, validate_parameters=True)
def ingest_orders(inbox: str, db_url: Optional[str] = None) -> dict:
    """Ingest every new order under `inbox` into the store at `db_url` (default: $ROADMAP_DB
    or ./roadmaps.db). Returns the run's report (JSON-able)."""
    logger = get_run_logger()
    report = process_inbox(inbox, db_url, _submit_extractions, _resolve_future)
    create_table_artifact(key="ingest-files", table=summary_table(report) or [{"path": "", "status": "no files"}],
                          description=f"Files of {report.inbox}")
    create_markdown_artifact(key="ingest-summary", markdown=summary_markdown(report),
                             description="Ingest summary")
    counts = report.counts
    logger.info("ingest of %s: %s", report.inbox, counts)
    if report.compliance.get("skipped"):
        logger.warning("compliance not computed: %s", report.compliance["skipped"])
    if report.files and counts["stored"] + counts["duplicate"] == 0:
        raise IngestFailed(f"none of the {len(report.files)} files could be ingested", report.to_json_dict())
    return report.to_json_dict()
