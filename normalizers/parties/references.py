"""An executors cell that points to another row's executors instead of naming them: `те же`
(the row above's), `см. п. 4` (row 4's). The activity takes the parties of the row it points to,
each with the printed words as its `raw`; a pointer to no row, or to a row naming no one, stays
as printed."""
from __future__ import annotations

import re
from typing import Optional

from language.patterns import compiled
from schema import Activity

_REFERENCE = compiled(
    r"^\s*(?:(?P<same>те\s+же|то\s+же|они\s+же|там\s+же)|см\.?\s*(?:п\.|пп?\s|пункт\w*\s*)\s*(?P<seq>\d+(?:\.\d+)*)\.?)\s*$",
    re.I,
)


def _key(seq: Optional[str]) -> str:
    return (seq or "").strip().rstrip(".")


def resolve_references(activities: list[Activity]) -> list[Activity]:
    """The activities with each pointing executors cell replaced by the parties it points to."""
    by_seq = {_key(a.seq): a for a in activities if a.seq}
    resolved: list[Activity] = []
    for activity in activities:
        m = _REFERENCE.match(activity.responsible[0].raw) if len(activity.responsible) == 1 else None
        target = None
        if m and m.group("same"):
            target = resolved[-1] if resolved else None
        elif m:
            target = by_seq.get(_key(m.group("seq")))
        if target is not None and target is not activity and target.responsible:
            printed = activity.responsible[0].raw
            activity = activity.model_copy(update={"responsible": [
                party.model_copy(update={"raw": printed}) for party in target.responsible]})
        resolved.append(activity)
    return resolved
