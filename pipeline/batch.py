"""Extracting many files in one run: the extraction of one discovered item, which errors are
worth retrying, the one-line reason a failure is recorded with, the local process pool of
`--workers N`.

Plain Python, no Prefect: flows/ingest.py wraps these in tasks.
"""
from __future__ import annotations

import errno
import os
import subprocess
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any, Callable, Iterator, Optional, Sequence

from extractors.discover import FileItem, local_copy
from extractors.raw import ExtractionError
from extractors.sniff import check_not_stray
from schema import RoadmapDocument

Extractor = Callable[[str | os.PathLike[str]], RoadmapDocument]


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
            self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
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
                self.executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("spawn"))
        broken.shutdown(wait=False, cancel_futures=True)


# The one pool of this process: tasks run in threads (or on Dask) and find it here.
POOL = ExtractionPool()


def extract_in_pool(item: FileItem, work: Callable[[FileItem], Any] = extract_item) -> Any:
    """`work` (extract_item, or a module function doing more with the item) in the local
    extraction pool when one is running, else right here. (Module functions, so a task
    calling them pickles by reference for Prefect's and Dask's workers.)"""
    pool = POOL.executor
    if pool is None:
        return work(item)
    try:
        return pool.submit(work, item).result()
    except BrokenProcessPool as exc:
        POOL.replace(pool)
        raise WorkerCrashed(f"an extraction worker process died ({exc})") from None
