"""What each workbench page shows, read from the store: plain data, no HTML.

The overview is the HTML report's matrix (pipeline.reports.build_report) cut by the page's
filters; the review queue is the compliance rows that need review, most consequential first
(a late, undated or missing status before an uncertain «в срок», then the least confident);
a document's versions are its other renditions (same act id) and the acts it amends or is
amended by.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from schema import Activity, ComplianceRow, Milestone, ReviewItem, RoadmapDocument
from pipeline.diff import PlanDiff, diff_plans
from pipeline.identity import act_id, activity_ids
from pipeline.review import nearest_activity
from pipeline.reports import STATUS_ORDER, Report, build_report, document_label
from pipeline.store import Store

# Which statuses the queue shows first: a wrong «нет в плане» or «позже срока» costs more
# than an uncertain «в срок».
QUEUE_RANK = {"late": 0, "undated": 0, "missing": 0, "on_time": 1}


@dataclass(frozen=True)
class Filters:
    """The overview's GET parameters; empty strings mean «any»."""

    year: Optional[int] = None
    level: str = ""
    region: str = ""
    status: str = ""
    review: bool = False

    def keeps_row(self, row: ComplianceRow) -> bool:
        return (not self.status or row.status == self.status) and (not self.review or row.needs_review)


@dataclass
class YearMatrix:
    year: int
    milestones: list[Milestone]
    rows: list[tuple]  # (DocumentInfo, its statuses' counts in this year)
    counts: dict[str, int]


@dataclass
class Overview:
    report: Report
    years: list[YearMatrix]
    options: dict[str, list]
    counts: dict[str, int]
    review_count: int
    document_count: int


def overview(store: Store, milestones: Sequence[Milestone], filters: Filters) -> Overview:
    """The year × document × milestone matrix of the documents in force, filtered."""
    report = build_report(store.current_documents(), store.compliance(), milestones)
    options = {
        "years": sorted({m.year for m in report.milestones}),
        "levels": sorted({d.level for d in report.documents if d.level}),
        "regions": sorted({(d.region_code, d.region_name) for d in report.documents if d.region_code}),
        "statuses": list(STATUS_ORDER),
    }
    years = []
    totals = {s: 0 for s in STATUS_ORDER}
    shown_documents: set[str] = set()
    for year in options["years"]:
        if filters.year is not None and year != filters.year:
            continue
        year_milestones = [m for m in report.milestones if m.year == year]
        docs = []
        counts = {s: 0 for s in STATUS_ORDER}
        for doc in report.documents:
            if (filters.level and doc.level != filters.level) or (filters.region and doc.region_code != filters.region):
                continue
            cells = [report.cell(doc.id, m.id) for m in year_milestones]
            present = [c for c in cells if c is not None]
            if not present or not any(filters.keeps_row(c.row) for c in present):
                continue
            own = {s: 0 for s in STATUS_ORDER}
            for c in present:
                own[c.row.status] += 1
                counts[c.row.status] += 1
            docs.append((doc, own))
            shown_documents.add(doc.id)
        if docs:
            years.append(YearMatrix(year, year_milestones, docs, counts))
            for status, n in counts.items():
                totals[status] += n
    review_count = sum(1 for r in report.rows if r.row.needs_review and r.row.document_id in shown_documents)
    return Overview(report, years, options, totals, review_count, len(shown_documents))


@dataclass
class QueueItem:
    row: ComplianceRow
    document_label: str
    activity_index: Optional[int]
    milestone_title: str
    act_id: str = ""
    # the other steps the same activity plans: a corrected date is the activity's, so it moves them too
    also_plans: list[str] = field(default_factory=list)


def activity_index(doc: RoadmapDocument, row: ComplianceRow) -> Optional[int]:
    """The position of the activity a compliance row rests on (by its evidence's place); for a
    `missing` in review, of the activity its reason names as the nearest."""
    e = row.evidence
    if e is None:
        return nearest_activity(doc, row.review_reasons) if row.status == "missing" else None
    for i, a in enumerate(doc.activities):
        s = a.source
        if (s.table, s.row, s.page) == (e.table, e.row, e.page) and a.text == e.activity_text:
            return i
    for i, a in enumerate(doc.activities):
        if (a.source.table, a.source.row) == (e.table, e.row):
            return i
    return None


def queue_key(row: ComplianceRow) -> tuple:
    return (QUEUE_RANK.get(row.status, 1), row.confidence if row.confidence is not None else 0.0,
            row.federal_deadline, row.document_id, row.milestone_id)


def review_queue(store: Store, milestones: Sequence[Milestone],
                 queue: Optional[Sequence[ReviewItem]] = None) -> list[QueueItem]:
    """The store's review queue (rows nobody corrected or confirmed yet), most consequential
    first, with what a page needs beside each row. `queue`: `store.review_queue()` when the
    caller has it already (a page showing both kinds of entry asks the store once)."""
    titles = {m.id: m.title for m in milestones}
    docs: dict[str, Optional[RoadmapDocument]] = {}
    queue = store.review_queue() if queue is None else queue
    waiting = {(i.document_id, i.milestone_id): i for i in queue if i.milestone_id}
    items = []
    rows = store.compliance()
    shared = also_plans(rows)
    for row in sorted((r for r in rows if (r.document_id, r.milestone_id) in waiting), key=queue_key):
        if row.document_id not in docs:
            docs[row.document_id] = store.document(row.document_id)
        doc = docs[row.document_id]
        items.append(QueueItem(row, document_label(doc) if doc else row.document_id,
                               activity_index(doc, row) if doc else None, titles.get(row.milestone_id, ""),
                               waiting[(row.document_id, row.milestone_id)].act_id,
                               shared.get((row.document_id, row.milestone_id), [])))
    return items


def also_plans(rows: Sequence[ComplianceRow]) -> dict[tuple[str, str], list[str]]:
    """(document id, milestone id) → the other milestones whose rows rest on the same activity:
    a date corrected from one row is the activity's, so it moves theirs too."""
    by_activity: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        if r.evidence is not None and r.evidence.activity_id:
            by_activity.setdefault((r.document_id, r.evidence.activity_id), []).append(r.milestone_id)
    return {(r.document_id, r.milestone_id): [m for m in by_activity[(r.document_id, r.evidence.activity_id)]
                                              if m != r.milestone_id]
            for r in rows if r.evidence is not None and r.evidence.activity_id}


@dataclass
class ActivityItem:
    """A corrected activity an amending act changed: the queue's other kind of entry."""

    item: ReviewItem
    document_label: str
    activity_index: Optional[int]


def changed_corrections(store: Store, queue: Optional[Sequence[ReviewItem]] = None) -> list[ActivityItem]:
    """The review queue's corrected activities that a new rendition or amendment changed (no
    milestone: the correction, not a status, is in doubt), with what a page needs beside each.
    `queue` as for `review_queue`."""
    items = []
    documents: dict[str, Optional[RoadmapDocument]] = {}  # several corrected rows of one act: read it once
    for item in store.review_queue() if queue is None else queue:
        if item.milestone_id:
            continue
        if item.document_id not in documents:
            documents[item.document_id] = store.document(item.document_id)
        doc = documents[item.document_id]
        index = None
        if doc is not None and item.activity_id in (ids := activity_ids(doc)):
            index = ids.index(item.activity_id)
        items.append(ActivityItem(item, document_label(doc) if doc else item.document_id, index))
    return items


@dataclass
class Versions:
    renditions: list[RoadmapDocument] = field(default_factory=list)
    superseded_by: Optional[RoadmapDocument] = None
    supersedes: list[RoadmapDocument] = field(default_factory=list)
    duplicate_of: Optional[RoadmapDocument] = None
    diff: Optional[PlanDiff] = None


def versions(store: Store, doc: RoadmapDocument, milestones: Sequence[Milestone]) -> Versions:
    """The document's other renditions, the act amending it (with the diff to it) and the
    acts it amends."""
    region = doc.region.code if doc.region else None
    others = [d for d in store.documents(region) if d.id != doc.id] if region else []
    by_id = {d.id: d for d in others}
    amended = store.superseded_by()
    duplicates = store.duplicate_of()
    key = act_id(doc)
    out = Versions(
        renditions=[d for d in others if act_id(d) == key],
        superseded_by=by_id.get(amended.get(doc.id) or ""),
        supersedes=[d for d in others if amended.get(d.id) == doc.id],
        duplicate_of=by_id.get(duplicates.get(doc.id) or ""),
    )
    if out.superseded_by is not None:
        out.diff = diff_plans(doc, out.superseded_by, milestones)
    return out


@dataclass
class RegionVersions:
    code: str
    name: str
    documents: list[RoadmapDocument]
    superseded_by: dict[str, Optional[str]]
    duplicate_of: dict[str, Optional[str]]
    diffs: list[tuple[RoadmapDocument, RoadmapDocument, PlanDiff]]


def amendment_regions(store: Store) -> list[tuple[str, str, int, int]]:
    """(code, name, number of stored acts, number of its plans an amendment changed) of every
    region, by code: the page lists those with amendments before any region is chosen."""
    seen: dict[str, tuple[str, set[str], set[str]]] = {}
    amended = store.superseded_by()
    duplicates = store.duplicate_of()
    for d in store.documents():
        if d.region:
            _, acts, changed = seen.setdefault(d.region.code, (d.region.name, set(), set()))
            acts.add(act_id(d))
            if amended.get(d.id) and not duplicates.get(d.id):
                changed.add(act_id(d))
    return [(code, name, len(acts), len(changed)) for code, (name, acts, changed) in sorted(seen.items())]


def region_versions(store: Store, code: str, milestones: Sequence[Milestone]) -> Optional[RegionVersions]:
    """A region's stored plans, oldest first, and the diff of each amended plan to its successor."""
    docs = store.documents(code)
    if not docs:
        return None
    amended = store.superseded_by()
    duplicates = store.duplicate_of()
    by_id = {d.id: d for d in docs}
    diffs = [(d, by_id[amended[d.id]], diff_plans(d, by_id[amended[d.id]], milestones))
             for d in docs if amended.get(d.id) in by_id and not duplicates.get(d.id)]
    name = docs[0].region.name if docs[0].region else code
    return RegionVersions(code, name, docs, {d.id: amended.get(d.id) for d in docs},
                          {d.id: duplicates.get(d.id) for d in docs}, diffs)


def activity_record(doc: RoadmapDocument, activity: Activity, activity_id: str) -> dict:
    """One activity for the JSON API: its stable id, its document, the schema's fields and how
    sure its reading is (pipeline.review.activity_review)."""
    from pipeline.review import activity_review

    confidence, needs_review, reasons = activity_review(doc, activity)
    return {"activity_id": activity_id, "document_id": doc.id, **activity.model_dump(mode="json"),
            "confidence": confidence, "needs_review": needs_review, "review_reasons": reasons}


def current_activities(store: Store) -> list[dict]:
    """Every activity of the documents in force, with its stable id."""
    out = []
    for doc in store.current_documents():
        out.extend(activity_record(doc, a, aid) for a, aid in zip(doc.activities, activity_ids(doc)))
    return out


def document_summary(doc: RoadmapDocument, superseded_by: Optional[str], duplicate_of: Optional[str]) -> dict:
    """A document's metadata for lists (the API's /documents, the ledger)."""
    return {
        "id": doc.id, "act_id": act_id(doc), "label": document_label(doc),
        "region_code": doc.region.code if doc.region else None,
        "region_name": doc.region.name if doc.region else None,
        "level": doc.level, "municipality": doc.municipality, "doc_type": doc.doc_type,
        "number": doc.number, "date": doc.date.isoformat() if doc.date else None, "title": doc.title,
        "format": doc.source.format, "ocr": doc.source.ocr, "path": doc.source.path, "sha256": doc.source.sha256,
        "activities": len(doc.activities), "superseded_by": superseded_by, "duplicate_of": duplicate_of,
        "current": superseded_by is None and duplicate_of is None,
    }
