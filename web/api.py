"""The JSON API under /api/ (its OpenAPI page is /api/docs).

`GET /api/activities` is a contract other tools rely on: the current activities, each with
its stable `activity_id` (pipeline.identity: the same across re-ingests and renditions),
its `document_id` and the schema's Activity fields.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict

from pipeline.corrections import CorrectionError
from pipeline.diff import diff_plans
from pipeline.identity import act_id, activity_ids
from web import views

api_router = APIRouter(tags=["roadmap"])


def _store(request: Request):
    return request.app.state.store


@api_router.get("/documents", summary="Stored documents with their version state")
def documents(request: Request, region: Optional[str] = None, current: bool = False) -> list[dict[str, Any]]:
    store = _store(request)
    amended, duplicates = store.superseded_by(), store.duplicate_of()
    docs = store.current_documents(region) if current else store.documents(region)
    return [views.document_summary(d, amended.get(d.id), duplicates.get(d.id)) for d in docs]


@api_router.get("/documents/{doc_id}", summary="One document: the schema's fields and its activity ids")
def document(request: Request, doc_id: str) -> dict[str, Any]:
    store = _store(request)
    doc = store.document(doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    data = doc.model_dump(mode="json")
    for activity, aid in zip(data["activities"], activity_ids(doc)):
        activity["activity_id"] = aid
    data["act_id"] = act_id(doc)
    data["superseded_by"] = store.superseded_by().get(doc.id)
    data["duplicate_of"] = store.duplicate_of().get(doc.id)
    return data


@api_router.get("/activities", summary="Activities of the documents in force, with stable ids")
def activities(request: Request) -> list[dict[str, Any]]:
    return views.current_activities(_store(request))


@api_router.get("/compliance", summary="Compliance rows with evidence, confidence and review reasons")
def compliance(request: Request, region: Optional[str] = None, needs_review: Optional[bool] = None) -> list[dict[str, Any]]:
    rows = _store(request).compliance(region)
    if needs_review is not None:
        rows = [r for r in rows if r.needs_review == needs_review]
    return [r.model_dump(mode="json") for r in rows]


@api_router.get("/review", summary="Compliance rows that need review, most consequential first")
def review(request: Request) -> list[dict[str, Any]]:
    items = views.review_queue(_store(request), request.app.state.milestones)
    return [dict(i.row.model_dump(mode="json"), activity_index=i.activity_index) for i in items]


@api_router.get("/review/changed", summary="Corrected activities a new rendition or amendment changed")
def review_changed(request: Request) -> list[dict[str, Any]]:
    """The queue's other kind of entry (what `review export` lists beside the rows): an
    activity someone corrected that the act in force now prints otherwise, or dropped."""
    return [dict(c.item.model_dump(mode="json"), activity_index=c.activity_index)
            for c in views.changed_corrections(_store(request))]


class CorrectionBody(BaseModel):
    """A correction: `activity_id` + `field` (any schema field path: `schedule.end`, `responsible`,
    `text`…) + `value`; or `act_id` + `milestone_id` + `field: "status"`; `confirm: true` vouches
    for the value as read instead."""

    model_config = ConfigDict(extra="forbid")
    activity_id: Optional[str] = None
    act_id: Optional[str] = None
    milestone_id: Optional[str] = None
    field: Optional[str] = None
    value: Any = None
    comment: Optional[str] = None
    author: Optional[str] = None
    confirm: bool = False


@api_router.post("/corrections", status_code=201, summary="Record a correction or a confirmation")
def add_correction(request: Request, body: CorrectionBody) -> dict[str, Any]:
    """Validated like extracted data; applied on every read (export, compare, reports, this API)
    and kept across re-ingests and the act's other renditions. 422 with the reason otherwise."""
    try:
        correction = _store(request).add_correction(
            body.activity_id, body.milestone_id, body.act_id, field=body.field, value=body.value,
            author=body.author, comment=body.comment, confirm=body.confirm)
    except CorrectionError as exc:
        raise HTTPException(422, str(exc)) from None
    return correction.model_dump(mode="json")


@api_router.get("/corrections", summary="Every recorded correction and confirmation")
def corrections(request: Request, act_id: Optional[str] = None) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in _store(request).corrections(act_id)]


@api_router.get("/diff", summary="What changed between two stored versions of a plan")
def diff(request: Request, old: str, new: str) -> dict[str, Any]:
    store = _store(request)
    before, after = store.document(old), store.document(new)
    missing = [ref for ref, doc in ((old, before), (new, after)) if doc is None]
    if missing:
        raise HTTPException(404, f"no such document: {', '.join(missing)}")
    return diff_plans(before, after, request.app.state.milestones).to_json()
