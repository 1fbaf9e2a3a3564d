"""The corrections table: reading documents as corrected, recording a batch of corrections
(resolved and validated as a whole), and the review queue.

Compliance after a correction: the transaction that records it marks the act's regions
pending (like a stored document does), and the store recomputes them right after from the
corrected documents; a run killed in between leaves the marks to the next ingest.
"""
from __future__ import annotations

from datetime import date, timezone
from typing import Any, Iterable, Mapping, Optional, Sequence

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from schema import ComplianceRow, Correction, ReviewItem, RoadmapDocument
from pipeline.corrections import (
    MILESTONE_FIELDS, WHOLE_ROW, CorrectionError, CorrectionRequest, UnchangedCorrection, apply_corrections,
    current_value, field_annotation, resolve_targets, review_values, validate_value, value_json,
)
from pipeline.diff import diff_activities
from pipeline.identity import act_id, activity_ids
from pipeline.review import evidence_of
from pipeline.store.tables import compliance, corrections, documents, now, region_key

_FIELDS = [c.name for c in corrections.c]
# The queue's order: what a wrong status costs most first.
STATUS_RANK = {"late": 0, "undated": 1, "missing": 2, None: 3, "on_time": 4}
ANONYMOUS = "anonymous"  # the author of a correction nobody signed
CHANGED = "исправленная строка изменена в новой редакции"
DROPPED = "исправленная строка исключена из новой редакции"


def stored_corrections(conn: Connection, act_ids: Optional[Iterable[str]] = None) -> list[Correction]:
    """Corrections (of the given acts), oldest first."""
    query = select(corrections).order_by(corrections.c.created_at, corrections.c.id)
    if act_ids is not None:
        wanted = sorted(set(act_ids))
        if not wanted:
            return []
        query = query.where(corrections.c.act_id.in_(wanted))
    return [Correction(**_utc(row._mapping)) for row in conn.execute(query)]


def _utc(row: Any) -> dict:
    """SQLite hands back naive datetimes: the store writes UTC."""
    data = dict(row)
    if data["created_at"] is not None and data["created_at"].tzinfo is None:
        data["created_at"] = data["created_at"].replace(tzinfo=timezone.utc)
    return data


def corrected_documents(conn: Connection, rows: Sequence[Any]) -> list[RoadmapDocument]:
    """Documents from rows holding `document` (the JSON as extracted) and `act_id`, with their
    acts' corrections applied."""
    fixes = stored_corrections(conn, {r.act_id for r in rows if r.act_id})
    docs = [RoadmapDocument.model_validate(r.document) for r in rows]
    return [apply_corrections(d, fixes) for d in docs] if fixes else docs


def as_corrected(conn: Connection, rows: Sequence[Any], known: Mapping[str, RoadmapDocument],
                 fixes: list[Correction]) -> list[RoadmapDocument]:
    """Documents of rows holding `id` with `fixes` applied: from `known` when there (a
    document's stored JSON never changes), the others' JSON read and validated."""
    unknown = [r.id for r in rows if r.id not in known]
    bodies = dict(conn.execute(select(documents.c.id, documents.c.document)
                               .where(documents.c.id.in_(unknown))).all()) if unknown else {}
    docs = [known[r.id] if r.id in known else RoadmapDocument.model_validate(bodies[r.id]) for r in rows]
    return [apply_corrections(d, fixes) for d in docs] if fixes else docs


def _act_documents(conn: Connection, act: str) -> list[RoadmapDocument]:
    """The stored renditions and versions of one act as read, the one in force first."""
    c = documents.c
    rows = conn.execute(select(c.document, c.superseded_by, c.duplicate_of).where(c.act_id == act)).all()
    rows = sorted(rows, key=lambda r: (r.superseded_by is not None, r.duplicate_of is not None))
    return [RoadmapDocument.model_validate(r.document) for r in rows]


def _activity_correction(conn: Connection, req: CorrectionRequest, field: str) -> Correction:
    act = req.activity_id.split(":", 1)[0]
    if req.act_id and req.act_id != act:
        raise CorrectionError(f"activity_id {req.activity_id} is not of act {req.act_id}")
    for raw in _act_documents(conn, act):
        ids = activity_ids(raw)
        if req.activity_id in ids:
            break
    else:
        raise CorrectionError(f"unknown activity_id {req.activity_id!r}")
    i = ids.index(req.activity_id)
    if field in MILESTONE_FIELDS:
        raise CorrectionError(f"{field!r} is a milestone row's field: give milestone_id and act_id")
    now_doc = apply_corrections(raw, stored_corrections(conn, [act]))
    old = None if field == WHOLE_ROW else current_value(now_doc.activities[i], field)
    return Correction(act_id=act, target_kind="activity", target=req.activity_id, field=field, old_value=old,
                      author=req.author or ANONYMOUS, comment=req.comment, target_text=raw.activities[i].text,
                      document_id=raw.id)


def _milestone_correction(conn: Connection, req: CorrectionRequest, field: str) -> Correction:
    if not req.act_id:
        raise CorrectionError(f"milestone {req.milestone_id}: give the act_id of its row")
    if field not in MILESTONE_FIELDS:
        raise CorrectionError(f"{field!r} is not a field of a milestone row ({', '.join(MILESTONE_FIELDS)})")
    row = conn.execute(
        select(compliance.c.document_id, compliance.c.status)
        .select_from(compliance.join(documents, compliance.c.document_id == documents.c.id))
        .where(documents.c.act_id == req.act_id, compliance.c.milestone_id == req.milestone_id)).first()
    if row is None:
        raise CorrectionError(f"unknown milestone row: act {req.act_id!r} has no compliance row "
                              f"for milestone {req.milestone_id!r}")
    return Correction(act_id=req.act_id, target_kind="milestone", target=req.milestone_id, field=field,
                      old_value=row.status, author=req.author or ANONYMOUS, comment=req.comment, document_id=row.document_id)


AUTHOR_MAX = 100     # characters of an author's name
COMMENT_MAX = 1000   # characters of a comment
PLAUSIBLE_YEARS = 5  # a corrected date lies within this many years of the act's date


def prepare(conn: Connection, request: CorrectionRequest) -> Correction:
    """A request resolved against the store and validated (CorrectionError with the reason)."""
    author = (request.author or "").strip() or ANONYMOUS
    if len(author) > AUTHOR_MAX or len(request.comment or "") > COMMENT_MAX:
        raise CorrectionError(f"an author is at most {AUTHOR_MAX} characters and a comment at most {COMMENT_MAX}")
    milestone = bool(request.milestone_id) and (
        request.field in MILESTONE_FIELDS or (request.confirm and not request.field) or not request.activity_id)
    field = request.field or ("status" if milestone else WHOLE_ROW if request.confirm else None)
    if field is None:
        raise CorrectionError("a field is required (e.g. schedule.end)")
    if request.confirm and field != WHOLE_ROW:
        field_annotation(field)
    value = None if request.confirm else validate_value(field, request.value)
    if field == "status" and not request.confirm and not (request.comment or "").strip():
        raise CorrectionError("a status correction must say why in its comment: it sets aside what the reading found")
    if milestone:
        if request.activity_id:  # named beside the row: it must be known (and of that act)
            _activity_correction(conn, request, WHOLE_ROW)
        draft = _milestone_correction(conn, request, field)
    elif request.activity_id:
        draft = _activity_correction(conn, request, field)
    else:
        raise CorrectionError("give an activity_id, or an act_id and a milestone_id")
    if not request.confirm:
        _plausible_dates(conn, draft.act_id, field, value)
    return draft.model_copy(update={
        "author": author, "kind": "confirm" if request.confirm else "correct",
        "new_value": None if request.confirm else value_json(field, value)})


def _plausible_dates(conn: Connection, act: str, field: str, value: Any) -> None:
    """A corrected date far from the act's own (`1900-01-01` on a 2021 plan) is a slip."""
    days = [d for d in (value if isinstance(value, list) else [value]) if isinstance(d, date)]
    if not days:
        return
    acts = [d for d in conn.execute(select(documents.c.date).where(documents.c.act_id == act)).scalars() if d]
    if not acts:
        return
    year = acts[0].year
    far = [d for d in days if abs(d.year - year) > PLAUSIBLE_YEARS]
    if far:
        raise CorrectionError(f"{field}: {far[0].isoformat()} is not a plausible date for an act of {year} "
                              f"(a corrected date lies within {PLAUSIBLE_YEARS} years of the act's)")


def record(conn: Connection, requests: Sequence[CorrectionRequest],
           skip_unchanged: bool = False) -> tuple[list[Correction], set[str]]:
    """Resolve and validate every request, then insert them all; any problem refuses the
    whole batch (CorrectionError listing each, by index). Returns the corrections and the
    region keys whose compliance they make stale.

    A correction to the value the field already reads changes nothing: it is refused, or with
    `skip_unchanged` (a workbook imported again) left out, as is a confirmation of what is
    confirmed already and not corrected since."""
    prepared: list[Correction] = []
    problems: list[tuple[Optional[int], str]] = []
    unchanged_at: list[int] = []
    drafts: list[tuple[int, Correction]] = []
    for index, request in enumerate(requests):
        try:
            drafts.append((index, prepare(conn, request)))
        except CorrectionError as exc:
            problems += [(index, reason) for _, reason in exc.problems]
    # the latest correction of each target, read for the acts these requests touch only
    wanted = skip_unchanged or any(d.kind == "confirm" for _, d in drafts)
    latest = _latest_kinds(conn, {d.act_id for _, d in drafts}) if wanted else {}
    for index, draft in drafts:
        unchanged = draft.kind == "correct" and draft.new_value == draft.old_value
        last = latest.get((draft.act_id, draft.target, draft.field))
        confirmed = draft.kind == "confirm" and last is not None and last[0] == "confirm"
        if skip_unchanged and (unchanged or confirmed):
            continue
        if unchanged:
            problems.append((index, f"{draft.field} already reads {draft.old_value}: nothing to correct "
                                    f"(a confirmation says the reading is right)"))
            unchanged_at.append(index)
            continue
        if confirmed and last[1] == draft.author:  # a form sent twice
            problems.append((index, f"already confirmed by {draft.author}, and nothing corrected since"))
            unchanged_at.append(index)
            continue
        prepared.append(draft)
    if problems:
        problems.sort(key=lambda p: p[0])  # by request, as they were met
        raise (UnchangedCorrection if len(unchanged_at) == len(problems) else CorrectionError)(problems)
    stamp = now()
    out = []
    for c in prepared:
        values = c.model_dump(exclude={"id"}) | {"created_at": stamp}
        new_id = conn.execute(insert(corrections).values(**values).returning(corrections.c.id)).scalar_one()
        out.append(c.model_copy(update={"id": new_id, "created_at": stamp}))
    acts = {c.act_id for c in out}
    regions = conn.execute(select(documents.c.region_code).where(documents.c.act_id.in_(acts)).distinct()).scalars()
    return out, {region_key(code) for code in regions}


def _latest_kinds(conn: Connection, acts: set[str]) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(act, target, field) → the kind of its latest correction (`correct` or `confirm`) and its
    author, for these acts."""
    if not acts:
        return {}
    return {(c.act_id, c.target, c.field): (c.kind, c.author) for c in stored_corrections(conn, acts)}


# --------------------------------------------------------------------------- the queue

def _rank(item: ReviewItem) -> tuple:
    return (STATUS_RANK[item.status], item.confidence if item.confidence is not None else -1.0,
            item.document_id, item.federal_deadline or item.planned_end or now().date(), item.milestone_id or "")


def review_queue(rows: Sequence[ComplianceRow], current: Sequence[RoadmapDocument], act_of: dict[str, str],
                 amended: dict[str, list[RoadmapDocument]], fixes: Sequence[Correction],
                 as_read: dict[str, RoadmapDocument]) -> list[ReviewItem]:
    """Compliance rows that need review (corrected and confirmed ones no longer do), and the
    corrected activities of superseded versions that the version in force changed or dropped.

    `current`: documents in force, corrected; `amended`: document id → the versions it
    supersedes, as read; `as_read`: document id → the document in force as read."""
    by_doc = {d.id: (d, dict(zip(activity_ids(d), d.activities))) for d in current}
    items = []
    for row in rows:
        if not row.needs_review or row.document_id not in by_doc:
            continue
        doc, acts = by_doc[row.document_id]
        activity = acts.get(row.evidence.activity_id) if row.evidence else None
        items.append(ReviewItem(
            document_id=row.document_id, act_id=act_of[row.document_id], region_code=row.region_code,
            milestone_id=row.milestone_id, activity_id=row.evidence.activity_id if row.evidence else None,
            status=row.status, confidence=row.confidence, reasons=row.review_reasons, evidence=row.evidence,
            federal_deadline=row.federal_deadline, planned_end=row.planned_end,
            values=review_values(activity) if activity is not None else {}))
    for doc_id, olds in amended.items():
        items += _changed_corrections(by_doc[doc_id][0], as_read[doc_id], olds, act_of[doc_id], fixes)
    return sorted(items, key=_rank)


def _changed_corrections(new: RoadmapDocument, new_read: RoadmapDocument, olds: Sequence[RoadmapDocument],
                         act: str, fixes: Sequence[Correction]) -> list[ReviewItem]:
    """Items for an old version's corrected activities that `new` moved, changed or dropped
    (settled by a correction or confirmation of the new activity, or a confirmation of a
    dropped one made after its correction)."""
    items = []
    new_ids = activity_ids(new)
    for old in olds:
        old_act_id = act_id(old)
        mine = [c for c in fixes if c.target_kind == "activity" and c.kind == "correct" and c.act_id == old_act_id]
        if not mine:
            continue
        old_ids = activity_ids(old)
        where = resolve_targets(old.model_copy(deep=True), mine)
        diff = diff_activities(old.activities, new_read.activities)
        change_of = {id(ch.old): ch for ch in diff.moved + diff.changed + diff.dropped}
        for index in sorted(set(where.values())):
            old_act = old.activities[index]
            change = change_of.get(id(old_act))
            if change is None:
                continue
            fields = sorted({c.field for c in mine if where.get(c.target) == index})
            if change.kind == "dropped":
                target, evidence_doc, activity, reason = old_ids[index], old, old_act, DROPPED
                last = max(c.created_at for c in mine if where.get(c.target) == index)
                if any(c.kind == "confirm" and c.target == target and c.created_at >= last for c in fixes):
                    continue
            else:
                j = next(k for k, a in enumerate(new_read.activities) if a is change.new)
                target, evidence_doc, activity = new_ids[j], new, new.activities[j]
                detail = (f"срок «{old_act.schedule.raw}» → «{change.new.schedule.raw}»" if change.kind == "moved"
                          else ", ".join(change.fields))
                reason = f"{CHANGED}: {detail}"
                if any(c.target == target for c in fixes):
                    continue
            items.append(ReviewItem(
                document_id=new.id, act_id=act if change.kind != "dropped" else old_act_id,
                region_code=new.region.code if new.region else None, activity_id=target,
                reasons=[f"{reason} (исправлено: {', '.join(fields)}; акт {old_act_id})"],
                evidence=evidence_of(evidence_doc, activity, target), values=review_values(activity)))
    return items
