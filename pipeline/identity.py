"""Stable identities for what people refer to: an act (whatever rendition of it was read) and
an activity of it.

A document's `id` is its file's hash: the DOCX, the PDF and a scan of one order are three
documents. A correction or a review decision is about the act and its activity, so it must
reach every rendition and survive a re-ingest. `act_id` is a hash of the act's identity
(region, type, level, number, date — pipeline/versions.act_key), or of the file when the
number or date could not be read. `activity_id` adds the activity's printed number and
wording (case, spacing, quotes and punctuation ignored), with an ordinal among activities
printed identically in one act. Renditions that read an activity's wording differently (an
OCR typo) get another id: a correction records the wording it was made on, and
`pipeline.corrections` pairs it with its counterpart by similarity
(`pipeline.diff.pair_activities`, one to one).
"""
from __future__ import annotations

import hashlib
from typing import Any, Optional

from language.patterns import compiled
from pipeline.versions import act_key
from schema import Activity, RoadmapDocument

_NOT_WORD = compiled(r"[^0-9a-zа-я]+")
_LEADING_NUMBER = compiled(r"^\s*(?:\d+(?:\.\d+)*\.?|\d+[.)])\s+")


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()


def act_id(doc: RoadmapDocument) -> str:
    """One id for every rendition of an act; the document's own id when the act is unknown."""
    return act_id_of(doc.region.code if doc.region else None, doc, doc.id)


def act_id_of(region_code: Optional[str], row: Any, document_id: str) -> str:
    """`act_id` from a region code and anything with number, date, doc_type and level (a
    stored document's row)."""
    key = act_key(row)
    if key is None:
        return f"doc-{document_id}"
    return "act-" + _digest(region_code or "", *key)[:16]


def wording_key(activity: Activity) -> str:
    """The activity's number and wording in comparison form."""
    text = _LEADING_NUMBER.sub("", activity.text or "").lower().replace("ё", "е")
    seq = (activity.seq or "").strip().rstrip(".")
    return f"{seq}|{_NOT_WORD.sub(' ', text).strip()}"


def activity_ids(doc: RoadmapDocument) -> list[str]:
    """The stable id of each of the document's activities, in order (an id pinned by
    `pin_activity_ids` wins: a corrected wording keeps the id of the wording as read)."""
    base = act_id(doc)
    seen: dict[str, int] = {}
    ids = []
    for activity in doc.activities:
        key = wording_key(activity)
        seen[key] = seen.get(key, 0) + 1
        ids.append(activity._stable_id or f"{base}:{_digest(key, seen[key])[:12]}")
    return ids


def pin_activity_ids(doc: RoadmapDocument) -> list[str]:
    """Fix each activity's id to the one its wording as read gives, before anything rewrites it."""
    ids = activity_ids(doc)
    for activity, stable in zip(doc.activities, ids):
        activity._stable_id = stable
    return ids


def activity_id(doc: RoadmapDocument, activity: Activity) -> str:
    return activity_ids(doc)[next(i for i, a in enumerate(doc.activities) if a is activity)]
