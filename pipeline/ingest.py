"""One ingest run without the orchestration: discovered files → the store, with the outcome
of every file and the compliance of the regions that changed.

The policy lives here: a file refused by discovery or failing extraction is recorded in the
ledger with a one-line reason and the run goes on; a stray file (a log, a note) is skipped,
not failed; bytes already stored are a duplicate and are not extracted again; compliance is
recomputed for every region marked stale (the marks survive a crash), each document scored
where it was extracted (pipeline/scoring.py). An inbox is hashed against the ledger first
(`triage`): when nothing needs extracting, the run is settled in-process and no
orchestration starts at all. What the run reports
is read back from the ledger once every file is in, so it agrees with `roadmap status` even
when a later file of the run made an earlier one a duplicate or superseded it. How extractions are started and awaited (Prefect tasks, threads, a process
pool, Dask) is injected by the caller: flows/ingest.py.
"""
from __future__ import annotations

import time
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from extractors.discover import FileItem, discover
from extractors.raw import NotAnOrder
from schema import RoadmapDocument
from pipeline.batch import failure_reason
from pipeline.filestore import FileStore, default_root
from pipeline.reports import some_names
from pipeline.scoring import Extracted, Scores, compliance_function, extract_and_score
from pipeline.store import LEDGER_STATUSES, FileState, Store, compliance_groups, redact_url


class IngestFailed(RuntimeError):
    """Files were found but none could be ingested; `report` says why for each."""

    def __init__(self, message: str, report: dict) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class FileOutcome:
    """What this run did with one file, as the ledger has it after the run: stored (new
    document), duplicate (already ingested, a copy or another rendition: the reason says of
    what and since when), superseded (a stored act amends it), skipped (no order), failed.
    `region` and `activities` are those of the file's document, a duplicate's included.
    `known`: a failed (or skipped) file as an earlier run left it, unchanged and not read
    again — reported, but no news (a nightly run does not fail for it again)."""

    path: str
    sha256: str
    status: str
    reason: Optional[str] = None
    document_id: Optional[str] = None
    region: Optional[str] = None
    activities: int = 0
    known: bool = False


@dataclass
class IngestReport:
    inbox: str
    db: str
    files: list[FileOutcome] = field(default_factory=list)
    compliance: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # wall time of discover / extract+store / compliance

    @property
    def counts(self) -> dict[str, int]:
        out = {status: 0 for status in LEDGER_STATUSES}
        for f in self.files:
            out[f.status] = out.get(f.status, 0) + 1
        return out

    def failed_entirely(self) -> bool:
        """Orders were found and none could be ingested: the run failed (stray files that
        were skipped, and files that failed in an earlier run and were not read again, do not
        count either way)."""
        tried = [f for f in self.files if f.status != "skipped" and not f.known]
        return bool(tried) and all(f.status == "failed" for f in tried)

    def new_failures(self) -> list[FileOutcome]:
        """The files that failed in this run (not those an earlier run left failed)."""
        return [f for f in self.files if f.status == "failed" and not f.known]

    def earlier_failures(self) -> list[FileOutcome]:
        """The files that failed in an earlier run and, unchanged, were not read again."""
        return [f for f in self.files if f.status == "failed" and f.known]

    def to_json_dict(self) -> dict:
        return {"inbox": self.inbox, "db": self.db, "counts": self.counts,
                "files": [asdict(f) for f in self.files], "compliance": self.compliance,
                "seconds": self.seconds}

    @classmethod
    def from_json_dict(cls, data: dict) -> "IngestReport":
        """The report a flow run returned (its JSON form) as a report again."""
        return cls(inbox=data["inbox"], db=data["db"], files=[FileOutcome(**f) for f in data["files"]],
                   compliance=data.get("compliance") or {}, seconds=data.get("seconds") or {})


@dataclass(frozen=True)
class Triage:
    """An inbox hashed against the ledger before anything starts: every discovered item, and
    how many of them need extracting (bytes not stored, not refused by discovery)."""

    inbox: str
    items: list[FileItem]
    new: int
    seconds: float
    retry_failed: bool = False  # read again the files whose same bytes failed before


# A triaged inbox handed to the run that follows (the flow body, beside its parameters: as a
# parameter Prefect would record every file's path and hash with the flow run, and a
# module global of flows/ would travel with the flow's pickle to Dask).
_HANDED_OVER: ContextVar[Optional[Triage]] = ContextVar("roadmap_triaged_inbox", default=None)


@contextmanager
def handing_over(triaged: Optional[Triage]) -> Iterator[None]:
    """Within this block `process_inbox` of the same inbox uses `triaged` instead of
    discovering it again."""
    token = _HANDED_OVER.set(triaged)
    try:
        yield
    finally:
        _HANDED_OVER.reset(token)


def triage(inbox: str, db_url: Optional[str], retry_failed: bool = False) -> Triage:
    """Discover and hash the inbox and look the hashes up in the store; writes nothing, so a
    run started after it sees the ledger exactly as it was. A file whose same bytes failed (or
    were skipped) at the same path before is not new unless `retry_failed`: a corrupt file in
    the nightly inbox is not read, nor Prefect started for it, every night."""
    clock = time.perf_counter()
    items = discover(inbox)
    with Store(db_url) as store:
        stored = store.stored_hashes(i.sha256 for i in items if not i.error)
        unread = [i for i in items if not i.error and i.sha256 not in stored]
        failed = {} if retry_failed else failed_before(store, unread)
    new = sum(1 for i in unread if (i.path, i.sha256) not in failed)
    return Triage(_inbox_key(inbox), items, new, round(time.perf_counter() - clock, 3), retry_failed)


def failed_before(store: Store, items: Sequence[FileItem]) -> dict[tuple[str, str], FileState]:
    """The items whose ledger row (same path, same bytes) says failed or skipped."""
    states = store.file_states((i.path, i.sha256) for i in items)
    return {key: state for key, state in states.items() if state.status in ("failed", "skipped")}


def _inbox_key(inbox: str) -> str:
    return str(Path(inbox).expanduser().resolve())


# Called after each file with (outcome, files done, files found): the CLI's progress bar.
ProgressListener = Callable[[FileOutcome, int, int], None]
# A finished extraction: (Extracted or a bare document, None), or (None, its error).
Resolved = tuple[Optional[Extracted | RoadmapDocument], Optional[BaseException]]


def plan_items(store: Store, items: Sequence[FileItem],
               retry_failed: bool = False) -> tuple[list[FileItem], list[FileOutcome]]:
    """Split discovered items into those to extract and those settled without extraction:
    refused by discovery (recorded as failed), with bytes already stored (duplicates), or
    failed before as they are now (their reason stands, unless `retry_failed`)."""
    stored = store.stored_hashes(i.sha256 for i in items if not i.error)
    # One ledger query serves both: was a refused file refused before already, and did an
    # unstored file fail before as it is now.
    before = failed_before(store, [i for i in items if i.error or (not retry_failed and i.sha256 not in stored)])
    to_extract: list[FileItem] = []
    settled: list[FileOutcome] = []
    seen_again: list[tuple[str, str]] = []
    for item in items:
        key = (item.path, item.sha256)
        if item.error:
            store.record_failure(item.path, item.sha256, item.size, None, item.error)
            settled.append(FileOutcome(item.path, item.sha256, "failed", item.error, known=key in before))
        elif item.sha256 in stored and store.record_duplicate(item.path, item.sha256, item.size, None):
            settled.append(FileOutcome(item.path, item.sha256, "duplicate", document_id=stored[item.sha256]))
        elif (state := before.get(key)) is not None:
            settled.append(FileOutcome(item.path, item.sha256, state.status, state.reason, known=True))
            seen_again.append(key)
        else:
            to_extract.append(item)
    store.seen_again(seen_again)
    return to_extract, settled


# At most this many extraction results stored in one transaction (Store.store_documents):
# those already extracted when the flow gets to them, so a kill loses at most these.
STORE_GROUP = 16

Settled = tuple[FileItem, Optional[RoadmapDocument], Optional[BaseException]]


def record_results(store: Store, settled: Sequence[Settled], originals: FileStore) -> list[FileOutcome]:
    """Store extraction results (or their failures) with their ledger rows, the documents in
    one transaction, and keep the files' bytes in `originals`; one outcome per entry, in order."""
    outcomes: list[Optional[FileOutcome]] = [None] * len(settled)
    entries: list[tuple[RoadmapDocument, Optional[str], Optional[int]]] = []
    positions: list[int] = []
    for n, (item, doc, error) in enumerate(settled):
        if doc is None:
            reason = failure_reason(error if error is not None else RuntimeError("no result"))
            status = "skipped" if isinstance(error, NotAnOrder) else "failed"
            store.record_failure(item.path, item.sha256, item.size, None, reason, status)
            outcomes[n] = FileOutcome(item.path, item.sha256, status, reason)
            continue
        if doc.source.path != item.path:  # a shallow copy: a document's body is large and not changed here
            doc = doc.model_copy(update={"source": doc.source.model_copy(update={"path": item.path})})
        entries.append((doc, item.path, item.size))
        positions.append(n)
    for n, (doc, _, _), result in zip(positions, entries, store.store_documents(entries) if entries else []):
        item = settled[n][0]
        keep_original(originals, item, doc.source.format)
        # Stored but already amended by a stored act: new data all the same, with the note.
        status = "stored" if result.status == "superseded" else result.status
        outcomes[n] = FileOutcome(item.path, item.sha256, status, result.note, document_id=result.document_id,
                                  region=doc.region.code if doc.region else None, activities=result.activities)
    return [outcome for outcome in outcomes if outcome is not None]


def keep_original(files: FileStore, item: FileItem, fmt: str) -> None:
    """A copy of the file's bytes in the store's content-addressed folder (pipeline/filestore.py),
    so its pages can be shown after the inbox is cleaned. A copy that cannot be written costs
    only that: the document is stored all the same."""
    from extractors.discover import local_copy

    if files.find(item.sha256, fmt) is not None:
        return
    try:
        with local_copy(item) as path:
            files.put(path, item.sha256, fmt)
    except (OSError, ValueError) as exc:
        warnings.warn(f"{item.path}: original not kept in {files.root}: {exc}", RuntimeWarning, stacklevel=2)


def read_back(store: Store, outcomes: Sequence[FileOutcome],
              before: dict[tuple[str, str], FileState]) -> list[FileOutcome]:
    """The run's files as the ledger has them now that every file is in. A file the ledger
    already held as ingested before the run is a duplicate `already ingested <day> (act …)`."""
    after = store.file_states((f.path, f.sha256) for f in outcomes)
    out: list[FileOutcome] = []
    for f in outcomes:
        state = after.get((f.path, f.sha256))
        if state is None:
            out.append(f)
            continue
        status, reason = state.status, state.reason
        if status == f.status == "stored" and reason is None:
            reason = f.reason  # what the document took the place of, told by this run only
        prior = before.get((f.path, f.sha256))
        if prior is not None and prior.status not in ("failed", "skipped") and state.document_id:
            status = "duplicate"
            reason = f"already ingested {prior.first_seen.date().isoformat()} (act {state.act})"
            if state.status != "stored":
                reason += f"; {state.status}: {state.reason}"
        out.append(FileOutcome(f.path, f.sha256, status, reason, state.document_id, state.region,
                               state.activities, known=f.known and status == f.status))
    return out


def refresh_compliance(store: Store, scores: Optional[Scores] = None) -> dict:
    """Recompute compliance for every region whose documents changed since it was last
    computed (the pending marks survive a crash, so nothing is missed), reusing the rows the
    workers scored (`scores`) and scoring the rest of the regions' documents at once."""
    regions = store.pending_compliance_regions()
    if not regions:
        return {"regions": [], "rows": 0, "skipped": None, "errors": {}}
    compute, why_not = compliance_function()
    if compute is None:
        warnings.warn(f"compliance not computed: {why_not}", RuntimeWarning, stacklevel=2)
        return {"regions": [], "rows": 0, "skipped": why_not, "errors": {}, "pending": regions}
    scores = scores if scores is not None else Scores()
    try:
        scores.fill(filter(None, map(store.document, scores.missing(store.current_document_ids(regions)))), compute)
    except Exception as exc:  # scored region by region below, each failing on its own
        warnings.warn(f"compliance not scored ahead: {failure_reason(exc)}", RuntimeWarning, stacklevel=2)
    rows = 0
    done: list[str] = []
    errors: dict[str, str] = {}
    known = scores.documents
    for group in compliance_groups(regions):
        try:
            written: Optional[dict[str, int]] = store.update_compliance_of(group, scores.reuse(compute), known=known)
        except Exception:  # one region's failure must not lose the others: each on its own below
            written = None
        if written is not None:
            rows += sum(written.values())
            done += group
            continue
        for key in group:
            try:
                rows += store.update_compliance(key, scores.reuse(compute), known=known)
                done.append(key)
            except Exception as exc:
                errors[key or "(no region)"] = failure_reason(exc)
    # rescored: documents scored inline by the store's pass (changed since they were scored)
    return {"regions": done, "rows": rows, "skipped": None, "errors": errors, "rescored": scores.scored_here}


def process_inbox(inbox: str, db_url: Optional[str], submit: Callable[[list[FileItem]], list[Any]],
                  resolve: Callable[[Any], Resolved],
                  on_progress: Optional[ProgressListener] = None,
                  triaged: Optional[Triage] = None, files: Optional[str] = None,
                  ready: Optional[Callable[[Any], bool]] = None) -> IngestReport:
    """The flow's body with the task machinery injected: `submit` starts extractions and
    returns handles in order; `resolve` waits for one handle and returns (document, error);
    `ready`, whether a handle would resolve without waiting: the results that are are stored
    together (up to STORE_GROUP a transaction), the others as each comes (without `ready`,
    one file a transaction); `on_progress`, when given, hears of each file as it is settled;
    `triaged`, the inbox already discovered by `triage` (not discovered again; else one
    `handing_over`); `files`, where the originals are kept (pipeline.filestore.default_root
    decides when None)."""
    def settled(report: IngestReport, outcome: FileOutcome, total: int) -> None:
        report.files.append(outcome)
        if on_progress is not None:
            on_progress(outcome, len(report.files), total)

    with Store(db_url) as store:
        report = IngestReport(inbox=_inbox_key(inbox), db=redact_url(store.url))
        originals = FileStore(default_root(store.url, files))
        triaged = triaged or _HANDED_OVER.get()
        if triaged is None or triaged.inbox != report.inbox:
            triaged = triage(inbox, db_url)
        items = triaged.items
        report.seconds["discover"] = triaged.seconds
        clock = time.perf_counter()
        total = len(items)
        before = store.file_states((i.path, i.sha256) for i in items)
        to_extract, done = plan_items(store, items, triaged.retry_failed)
        for outcome in done:
            settled(report, outcome, total)
        handles = submit(to_extract) if to_extract else []
        scores = Scores()
        group: list[tuple[FileItem, Any, Optional[BaseException]]] = []
        for n, (item, handle) in enumerate(zip(to_extract, handles)):
            group.append((item, *resolve(handle)))
            if len(group) < STORE_GROUP and n + 1 < len(handles) and ready is not None and ready(handles[n + 1]):
                continue
            for outcome in _store_group(store, group, originals, scores):
                settled(report, outcome, total)
            group = []
        report.files = sorted(read_back(store, report.files, before), key=lambda f: f.path)
        report.seconds["extract_store"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        report.compliance = refresh_compliance(store, scores)
        report.seconds["compliance"] = round(time.perf_counter() - clock, 3)
    return report


def _store_group(store: Store, group: Sequence[tuple[FileItem, Any, Optional[BaseException]]],
                 originals: FileStore, scores: Scores) -> list[FileOutcome]:
    """Record a group of resolved extractions; the compliance rows of those stored as
    extracted are kept in `scores` (the store need not read them back to score them)."""
    extracted = [(item, result.document if isinstance(result, Extracted) else result, error)
                 for item, result, error in group]
    outcomes = record_results(store, extracted, originals)
    for (item, result, _), outcome in zip(group, outcomes):
        if (isinstance(result, Extracted) and outcome.status == "stored" and outcome.document_id == result.document.id
                and result.document.source.path == item.path):
            scores.remember(result.document, result.compliance)
    return outcomes


def _extract_here(item: FileItem) -> Resolved:
    try:
        return extract_and_score(item), None
    except Exception as exc:
        return None, exc


def ingest_here(inbox: str, db_url: Optional[str], triaged: Triage,
                 on_progress: Optional[ProgressListener] = None, files: Optional[str] = None) -> IngestReport:
    """A run without orchestration, every extraction right here in order: what the CLI does
    when `triage` found nothing new (`triaged.new == 0`): every file's ledger row gets its
    `last_seen`, duplicates their reasons, stale compliance is recomputed, and no Prefect is
    started. Raises IngestFailed like the flow."""
    report = process_inbox(inbox, db_url, list, _extract_here, on_progress, triaged, files)
    raise_if_failed(report)
    return report


def raise_if_failed(report: IngestReport) -> None:
    """A run with files that failed in it fails (the CLI's exit 1; a scheduled run's failed
    state is what Prefect's UI and notifications show the operator), its report kept with the
    error. Files an earlier run left failed, unchanged, do not fail it again."""
    new = report.new_failures()
    if report.failed_entirely():
        raise IngestFailed(f"none of the {len(report.files)} files could be ingested", report.to_json_dict())
    if new:
        names = some_names([Path(f.path.split("!")[-1]).name for f in new])
        raise IngestFailed(f"{len(new)} of {len(report.files)} files failed: {names} (reasons: `roadmap status`)",
                           report.to_json_dict())
