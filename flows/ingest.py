"""The ingest flow: an inbox folder of orders → the roadmap store.

discover (recursively, archives opened safely) → skip bytes already stored → one task per
batch of new files (extract, run concurrently: threads by default, `--workers N` a local pool
of N extraction processes, `--dask` a Dask cluster) → store each result in the flow's own
process (the results at hand together, up to 16 a transaction, so SQLite needs no sharing,
a Dask worker needs no database access, and a kill loses at most the few files being
stored) → recompute the compliance of the regions that changed → a table artifact and a
markdown summary.

Only orchestration is here. The work is plain functions: the run's policy in
pipeline/ingest.py (`process_inbox`, which files fail or are duplicates, compliance), one
extraction, error classification and the process pool in pipeline/batch.py, the summary in
pipeline/reports/ingest.py. Only transient errors (I/O hiccups, time-outs) are retried,
file by file.
No result is persisted or cached by Prefect: an extracted document is a copy of an order's
content and belongs in the store the user chose, not in ~/.prefect/storage. Nothing is
lost by it: the store's sha256 ledger already keeps a stored file from being extracted
again, and the files are stored a few per transaction as they come, so a re-run after a crash
redoes only the files that were in flight.
"""
from __future__ import annotations

import os
import sys
from datetime import datetime
from typing import Any, Optional

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.discover import FileItem
from flows.runtime import no_events_without_a_reader, no_heartbeats_for_a_temporary_server
from pipeline.collector import sparing_collector
from pipeline.batch import POOL, Outcome, batches, extract_batch, pool_for_run
from pipeline.ingest import (
    IngestFailed, ProgressListener, Resolved, Triage, handing_over, process_inbox, raise_if_failed,
)
from pipeline.scoring import extract_and_score
from pipeline.reports.ingest import summary_line, summary_markdown, summary_table

__all__ = ["IngestFailed", "extract_orders", "ingest_orders", "run_ingest", "task_runner_for"]


@task(
    name="extract-orders",
    task_run_name="extract {label}",
    persist_result=False,  # no document bodies in Prefect's storage; also turns caching off
)
def extract_orders(items: list[FileItem], label: str) -> list[Outcome]:
    """A batch of files → for each, its RoadmapDocument and compliance rows, or its error.
    With `--workers N` the task runs in a thread of the flow process and the batch goes to
    the local extraction pool at once; on Dask it runs where the runner puts it. Transient
    errors are retried per file inside (pipeline.batch.extract_batch), not by Prefect: one
    bad file must not send its whole batch round again."""
    return extract_batch(items, extract_and_score)


class _Batches:
    """Files handed to Prefect a batch per task run (pipeline.batch.batches): a task run
    costs the flow and Prefect's API server ≈ 45 ms of CPU, as much as extracting a short
    order, so one per file kept a second worker from paying off. Each file still gets a
    handle of its own, resolved in order; a batch is released once its last file is."""

    def __init__(self) -> None:
        self._outcomes: dict[int, list[Resolved]] = {}

    def submit(self, items: list[FileItem]) -> list[tuple[Any, int, int]]:
        handles: list[tuple[Any, int, int]] = []
        for batch in batches(items, POOL.workers or os.cpu_count() or 2):
            label = batch[0].name if len(batch) == 1 else f"{batch[0].name} +{len(batch) - 1}"
            future = extract_orders.submit(batch, label)
            handles += [(future, n, len(batch)) for n in range(len(batch))]
        return handles

    def ready(self, handle: tuple[Any, int, int]) -> bool:
        """Whether `resolve` would return at once: its batch resolved or its task finished
        (asked of the runner's own future: a Prefect future's state may be an API call)."""
        future = handle[0]
        if id(future) in self._outcomes:
            return True
        done = getattr(getattr(future, "wrapped_future", None), "done", None)
        return bool(done is not None and done())

    def resolve(self, handle: tuple[Any, int, int]) -> Resolved:
        future, n, size = handle
        outcomes = self._outcomes.get(id(future))
        if outcomes is None:
            outcomes = self._outcomes[id(future)] = _resolve_batch(future, size)
        if n == size - 1:
            del self._outcomes[id(future)]
        return outcomes[n]


def _resolve_batch(future: Any, size: int) -> list[Resolved]:
    future.wait()
    state = future.state
    if state.is_completed():
        return list(future.result())
    try:
        outcome = future.result(raise_on_failure=False)
    except BaseException as exc:  # a crashed worker, a lost Dask future
        outcome = exc
    error = outcome if isinstance(outcome, BaseException) else RuntimeError(state.message or f"task ended {state.type.value}")
    return [(None, error)] * size


def task_runner_for(workers: Optional[int] = None, dask: Optional[str] = None,
                    prefect_processes: bool = False) -> Any:
    """The task runner for `--dask ADDRESS|local` (prefect-dask; `local` starts a
    LocalCluster of N single-threaded worker processes), or for `--workers N` a thread pool
    of N (the extraction itself goes to the local process pool, pipeline.batch.POOL);
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
        return ThreadPoolTaskRunner(max_workers=workers + 1)
    return None


def run_ingest(inbox: str, db_url: Optional[str] = None, workers: Optional[int] = None,
               dask: Optional[str] = None, prefect_processes: bool = False,
               on_progress: Optional[ProgressListener] = None, triaged: Optional[Triage] = None,
               files: Optional[str] = None) -> dict:
    """Run the flow with the chosen task runner; returns the report (raises IngestFailed).
    `workers` alone: extraction (and compliance) in a local pool of that many processes.
    `on_progress` is called after each file with (outcome, done, total); `triaged`, the
    inbox as pipeline.ingest.triage already hashed it; `files`, where originals are kept."""
    runner = task_runner_for(workers, dask, prefect_processes)
    flow_ = ingest_orders.with_options(task_runner=runner) if runner is not None else ingest_orders
    local_pool = workers if not dask and not prefect_processes else None
    with handing_over(triaged), no_heartbeats_for_a_temporary_server(), no_events_without_a_reader(), \
            sparing_collector(), pool_for_run(local_pool):
        return flow_(inbox=inbox, db_url=db_url, on_progress=on_progress, files=files)


@flow(name="ingest-orders", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 2),
      log_prints=False, validate_parameters=True, persist_result=False)
def ingest_orders(inbox: str, db_url: Optional[str] = None,
                  on_progress: Optional[ProgressListener] = None, files: Optional[str] = None,
                  workers: Optional[int] = None) -> dict:
    """Ingest every new order under `inbox` into the store at `db_url` (default: $ROADMAP_DB
    or ./roadmaps.db), keeping the originals in `files` (default: $ROADMAP_FILES, else beside
    the store); `on_progress` hears of each file (not stored with the run: Prefect keeps a
    placeholder for a parameter it cannot serialise); `workers`, a local pool of that many
    extraction processes for this run when none runs yet (a scheduled run has only its
    deployment's parameters; `run_ingest` starts its pool around the run). Returns the run's
    report."""
    logger = get_run_logger()
    handles = _Batches()
    with pool_for_run(workers):
        report = process_inbox(inbox, db_url, handles.submit, handles.resolve, on_progress, files=files,
                               ready=handles.ready)
    create_table_artifact(key="ingest-files", table=summary_table(report) or [{"path": "", "status": "no files"}],
                          description=f"Files of {report.inbox}")
    create_markdown_artifact(key="ingest-summary", markdown=summary_markdown(report),
                             description="Ingest summary")
    logger.info("ingest of %s: %s", report.inbox, report.counts)
    if report.compliance.get("skipped"):
        logger.warning("compliance not computed: %s", report.compliance["skipped"])
    if _scheduled():  # `roadmap serve`'s terminal: a line a run (the CLI prints its own table)
        print(summary_line(report, datetime.now().astimezone()), file=sys.stderr, flush=True)
    raise_if_failed(report)
    return report.to_json_dict()


def _scheduled() -> bool:
    """Whether this flow run is a deployment's (a served schedule's), from the run's own
    context: no API call."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return bool(context and context.flow_run and context.flow_run.deployment_id)
