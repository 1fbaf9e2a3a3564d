"""Extracting many files in one run: the extraction of one discovered item, which errors are
worth retrying, the one-line reason a failure is recorded with, the local process pool of
`--workers N`.

Plain Python, no Prefect: flows/ingest.py wraps these in tasks.
"""
from __future__ import annotations

import errno
import math
import os
import pickle
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from typing import Any, Callable, ContextManager, Iterator, Optional, Sequence

from extractors.discover import FileItem, local_copy
from extractors.raw import ExtractionError
from extractors.sniff import check_not_stray
from schema import RoadmapDocument

Extractor = Callable[[str | os.PathLike[str]], RoadmapDocument]
# One item's end: (result, None) or (None, the error it failed with).
Outcome = tuple[Optional[Any], Optional[BaseException]]
# Waits before the first and the second retry of a transient error.
RETRY_DELAYS: tuple[float, ...] = (2.0, 10.0)
# Files per orchestrated task: enough that the orchestrator's bookkeeping (a task run's
# states, ≈ 45 ms per task with Prefect) is small beside the work, few enough that every
# worker gets several batches and a lost batch is a small loss.
MAX_BATCH = 16


def default_extractor() -> Extractor:
    from pipeline.extract import extract

    return extract


def extract_item(item: FileItem, extractor: Optional[Extractor] = None) -> RoadmapDocument:
    """Extract one discovered item (a file, or an archive member via a private copy) and
    give the document the item's ledger path. A stray file (a log, a note) raises NotAnOrder
    before any extractor sees it."""
    extractor = extractor or default_extractor()
    with local_copy(item) as path:
        check_not_stray(path, item.name)
        doc = extractor(path)
    if doc.source.sha256 != item.sha256:
        raise ExtractionError("file changed while it was being ingested; it will be read again next run")
    doc.source.path = item.path
    return doc


class WorkerCrashed(RuntimeError):
    """A pool process died (a crash in a native library, the OOM killer): the files in
    flight are retried on a fresh pool; the one that kills it every time then fails."""


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


# Imported by the pool's fork server before it forks any worker (pipeline/pool_preload.py).
POOL_PRELOAD = ["pipeline.pool_preload"]


def pool_context() -> BaseContext:
    """How pool workers start. Where the platform has it, a fork server that imported the
    extraction and comparison code and warmed their caches once (≈ 1.2 CPU-s: spaCy's
    pipeline, pymorphy3, the timeline's lemmas, the normalizers' patterns): every worker
    forked from it starts warm instead of paying that again. Forked from the fork server,
    never from the flow process, whose threads (Prefect's) make a plain fork unsafe.
    Elsewhere: spawn."""
    try:
        context = get_context("forkserver")
    except ValueError:
        return get_context("spawn")
    context.set_forkserver_preload(POOL_PRELOAD)
    return context


class ExtractionPool:
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
            context = pool_context()
            self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        if context.get_start_method() == "forkserver":
            # Start the fork server's warm-up now, beside the orchestrator's own start-up,
            # not when the first file arrives.
            from multiprocessing import forkserver

            forkserver.ensure_running()
        try:
            yield
        finally:
            with self._lock:
                executor, self.executor = self.executor, None
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)

    def map(self, function: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
        """function over values in the pool when one runs (in chunks, a few per worker),
        else right here."""
        executor = self.executor
        if executor is None or len(values) < 2:
            return [function(v) for v in values]
        chunk = max(1, len(values) // (4 * self.workers))
        return list(executor.map(function, values, chunksize=chunk))

    def replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self.executor is broken:
                self.executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=pool_context())
        broken.shutdown(wait=False, cancel_futures=True)


# The one pool of this process: tasks run in threads (or on Dask) and find it here.
POOL = ExtractionPool()


def pool_for_run(workers: Optional[int]) -> ContextManager[None]:
    """A pool of `workers` extraction processes for the length of one run, unless one already
    runs (the caller started it) or none is wanted. A module-level function, so a flow that
    calls it stays picklable by Dask (the pool holds a lock)."""
    return POOL.running(workers) if workers and POOL.executor is None else nullcontext()


def batches(items: Sequence[Any], workers: int, largest: int = MAX_BATCH) -> list[list[Any]]:
    """items in consecutive batches, about four per worker, none over `largest`."""
    if not items:
        return []
    size = max(1, min(largest, math.ceil(len(items) / (4 * max(1, workers)))))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def extract_batch(items: Sequence[FileItem], work: Callable[[FileItem], Any] = extract_item,
                  delays: Sequence[float] = RETRY_DELAYS) -> list[Outcome]:
    """Each item through `work` — all at once in the local extraction pool when one runs,
    else here in turn — as (result, None) or (None, error); one item's failure never fails
    the others. A transient error is retried after each of `delays` in turn; after a pool
    worker died, the items it took down are retried one at a time, so only the file that
    kills it fails. Errors come back picklable (a Dask worker sends them over the wire)."""
    outcomes = _run_all(items, work, one_at_a_time=False)
    for delay in delays:
        again = [n for n, (_, error) in enumerate(outcomes) if error is not None and is_transient(error)]
        if not again:
            break
        time.sleep(delay)
        crashed = any(isinstance(outcomes[n][1], WorkerCrashed) for n in again)
        for n, outcome in zip(again, _run_all([items[n] for n in again], work, one_at_a_time=crashed)):
            outcomes[n] = outcome
    return [(result, _portable(error)) for result, error in outcomes]


def _run_all(items: Sequence[FileItem], work: Callable[[FileItem], Any], one_at_a_time: bool) -> list[Outcome]:
    if one_at_a_time:
        return [_in_pool([item], work)[0] for item in items]
    return _in_pool(items, work)


def _here(work: Callable[[FileItem], Any], item: FileItem) -> Outcome:
    try:
        return work(item), None
    except Exception as exc:
        return None, exc


def _in_pool(items: Sequence[FileItem], work: Callable[[FileItem], Any]) -> list[Outcome]:
    """items through `work` in the local pool at once, or here in turn when none runs."""
    pool = POOL.executor
    if pool is None:
        return [_here(work, item) for item in items]
    try:
        futures = [pool.submit(work, item) for item in items]
    except BrokenProcessPool as exc:
        return [(None, _crashed(pool, exc))] * len(items)
    outcomes: list[Outcome] = []
    for future in futures:
        try:
            outcomes.append((future.result(), None))
        except BrokenProcessPool as exc:
            outcomes.append((None, _crashed(pool, exc)))
        except Exception as exc:
            outcomes.append((None, exc))
    return outcomes


def _crashed(pool: ProcessPoolExecutor, exc: BrokenProcessPool) -> WorkerCrashed:
    """A dead worker broke `pool`: a fresh one replaces it, and the files it held are
    retried as transient."""
    POOL.replace(pool)
    return WorkerCrashed(f"an extraction worker process died ({exc})")


def _portable(error: Optional[BaseException]) -> Optional[BaseException]:
    if error is None:
        return None
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
