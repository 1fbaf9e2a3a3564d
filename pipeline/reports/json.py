"""JSON: extracted documents in the schema's own form, compliance rows as the schema's
ComplianceRow fields."""
from __future__ import annotations

import json
from typing import Sequence

from typing import TYPE_CHECKING

from schema import ComplianceRow, Milestone, RoadmapDocument

if TYPE_CHECKING:
    from pipeline.diff import PlanDiff


def render_documents(documents: Sequence[RoadmapDocument]) -> str:
    return json.dumps([d.to_json_dict() for d in documents], ensure_ascii=False, indent=2) + "\n"


def render_json(rows: Sequence[ComplianceRow]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2) + "\n"


def render_compliance(rows: Sequence[ComplianceRow], documents: Sequence[RoadmapDocument],
                      milestones: Sequence[Milestone]) -> str:
    return render_json(rows)


def render_diff(diff: "PlanDiff") -> str:
    return json.dumps(diff.to_json(), ensure_ascii=False, indent=2) + "\n"
