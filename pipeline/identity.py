"""Stable identities for what people refer to: an act (whatever rendition of it was read) and
an activity of it.

A document's `id` is its file's hash: the DOCX, the PDF and a scan of one order are three
documents. A correction or a review decision is about the act and its activity, so it must
reach every rendition and survive a re-ingest. `act_id` is a hash of the act's identity
(region, type, level, number, date — pipeline/versions.act_key), or of the file when the
number or date could not be read. `activity_id` adds the activity's printed number and
wording (case, spacing, quotes and punctuation ignored), with an ordinal among activities
printed identically in one act. Renditions that read an activity's wording differently (an
OCR typo) get another id: `match_activity` pairs such an activity with its counterpart by
similarity, so a correction still finds it: `pipeline.diff.pair_activities` pairs two
renditions' activities one to one.
"""
from __future__ import annotations

import hashlib
import re

from schema import Activity, RoadmapDocument
from pipeline.versions import act_key

_NOT_WORD = re.compile(r"[^0-9a-zа-я]+")
_LEADING_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|\d+[.)])\s+")


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()


def act_id(doc: RoadmapDocument) -> str:
    """One id for every rendition of an act; the document's own id when the act is unknown."""
    key = act_key(doc)
    if key is None:
        return f"doc-{doc.id}"
    region = doc.region.code if doc.region else ""
    return "act-" + _digest(region, *key)[:16]


def wording_key(activity: Activity) -> str:
    """The activity's number and wording in comparison form."""
    text = _LEADING_NUMBER.sub("", activity.text or "").lower().replace("ё", "е")
    seq = (activity.seq or "").strip().rstrip(".")
    return f"{seq}|{_NOT_WORD.sub(' ', text).strip()}"


def activity_ids(doc: RoadmapDocument) -> list[str]:
    """The stable id of each of the document's activities, in order."""
    base = act_id(doc)
    seen: dict[str, int] = {}
    ids = []
    for activity in doc.activities:
        key = wording_key(activity)
        seen[key] = seen.get(key, 0) + 1
        ids.append(f"{base}:{_digest(key, seen[key])[:12]}")
    return ids


def activity_id(doc: RoadmapDocument, activity: Activity) -> str:
    return activity_ids(doc)[next(i for i, a in enumerate(doc.activities) if a is activity)]
