"""The JSON API under /api/ (its OpenAPI page is /api/docs).

`GET /api/activities` is a contract other tools rely on: the current activities, each with
its stable `activity_id` (pipeline.identity: the same across re-ingests and renditions),
its `document_id` and the schema's Activity fields.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, HTTPException, Request

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


@api_router.get("/diff", summary="What changed between two stored versions of a plan")
def diff(request: Request, old: str, new: str) -> dict[str, Any]:
    store = _store(request)
    before, after = store.document(old), store.document(new)
    missing = [ref for ref, doc in ((old, before), (new, after)) if doc is None]
    if missing:
        raise HTTPException(404, f"no such document: {', '.join(missing)}")
    return diff_plans(before, after, request.app.state.milestones).to_json()
