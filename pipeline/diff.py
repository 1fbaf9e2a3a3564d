"""What changed between two versions of a region's plan (an order and its amendment, or two
renditions): activities matched one-to-one across the versions, each pair classified, and every
federal milestone's status before and after.

Pure: two RoadmapDocuments (and the milestones) in, a PlanDiff out. Activities pair by the
similarity of their normalized text (rapidfuzz), best pairs first, position breaking ties; a
pair whose schedule differs is `moved` (with the days its end moved), one whose responsible
bodies, indicators, result, section or wording differ is `changed` (the fields named); an
activity with no partner is `added` or `dropped`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from rapidfuzz import fuzz

from language.patterns import compiled
from schema import Activity, Milestone, RoadmapDocument

MATCH_THRESHOLD = 75.0  # a reworded activity still pairs; another activity does not
_LEADING_NUMBER = compiled(r"^\s*(?:\d+(?:\.\d+)*\.?|\d+[.)])\s+")
COMPARED_FIELDS = ("text", "section", "responsible", "indicators", "result")


@dataclass
class ActivityChange:
    kind: str                      # moved | changed | added | dropped
    old: Optional[Activity] = None
    new: Optional[Activity] = None
    days: Optional[int] = None     # moved: new end − old end (None when one side has no end)
    fields: list[str] = field(default_factory=list)  # what else differs in a matched pair
    similarity: Optional[float] = None

    def to_json(self) -> dict:
        def brief(a: Optional[Activity]) -> Optional[dict]:
            if a is None:
                return None
            return {"seq": a.seq, "text": a.text, "schedule": a.schedule.model_dump(mode="json"),
                    "responsible": [p.name for p in a.responsible], "source": a.source.model_dump(mode="json")}

        return {"kind": self.kind, "old": brief(self.old), "new": brief(self.new), "days": self.days,
                "fields": self.fields, "changes": self.changes(), "similarity": self.similarity}

    def changes(self) -> dict[str, dict[str, object]]:
        """Each changed field as it reads on either side (`{"indicators": {"old": [...], "new": [...]}}`)."""
        if self.old is None or self.new is None:
            return {}
        return {name: {"old": shown_value(self.old, name), "new": shown_value(self.new, name)}
                for name in self.fields}


def shown_value(a: Activity, name: str):
    """A compared field as a reader sees it: the text as printed, names, indicator texts."""
    if name == "responsible":
        return [p.name for p in a.responsible]
    if name == "indicators":
        return [i.text for i in a.indicators]
    return getattr(a, name)


@dataclass
class MilestoneChange:
    milestone_id: str
    deadline: str
    before: str
    after: str
    before_delta: Optional[int] = None
    after_delta: Optional[int] = None
    # the amending act is dated after the step was due: a change it makes to the step's status is
    # made once the deadline had passed (a plan put right after the event, or the record of a delay)
    after_deadline: bool = False

    @property
    def status_changed(self) -> bool:
        return (self.before, self.before_delta) != (self.after, self.after_delta)


@dataclass
class PlanDiff:
    old_id: str
    new_id: str
    moved: list[ActivityChange] = field(default_factory=list)
    changed: list[ActivityChange] = field(default_factory=list)
    added: list[ActivityChange] = field(default_factory=list)
    dropped: list[ActivityChange] = field(default_factory=list)
    unchanged: int = 0
    milestones: list[MilestoneChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.moved or self.changed or self.added or self.dropped)

    def to_json(self) -> dict:
        return {
            "old": self.old_id, "new": self.new_id, "unchanged": self.unchanged,
            "moved": [c.to_json() for c in self.moved], "changed": [c.to_json() for c in self.changed],
            "added": [c.to_json() for c in self.added], "dropped": [c.to_json() for c in self.dropped],
            "milestones": [dict(m.__dict__) for m in self.milestones],
        }


def activity_key(text: str) -> str:
    """Comparison form of an activity's text: row number, case, ё and spacing ignored (also
    around a dash: `школ –участниками` in one rendition is `школ – участниками` in another)."""
    text = _LEADING_NUMBER.sub("", text or "").lower().replace("ё", "е")
    text = compiled(r"\s*[–—]\s*").sub(" – ", text)
    return " ".join(compiled(r"[«»\"“”„]").sub('"', text).split())


def pair_activities(old: Sequence[Activity], new: Sequence[Activity],
                    threshold: float = MATCH_THRESHOLD) -> list[tuple[int, int, float]]:
    """One-to-one pairs (old index, new index, similarity), best first; ties go to the pair
    closest in relative position (a repeated activity pairs with its own counterpart)."""
    old_keys = [activity_key(a.text) for a in old]
    new_keys = [activity_key(a.text) for a in new]
    candidates = []
    for i, a in enumerate(old_keys):
        for j, b in enumerate(new_keys):
            score = fuzz.ratio(a, b)
            if score >= threshold:
                offset = abs(i / max(len(old), 1) - j / max(len(new), 1))
                candidates.append((-score, offset, i, j))
    candidates.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for neg, _offset, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j, -neg))
    return sorted(pairs)


def _schedule_key(a: Activity) -> tuple:
    s = a.schedule
    return s.kind, s.start, s.end, tuple(s.dates), s.recurrence


def _field_value(a: Activity, name: str):
    if name == "text":
        return activity_key(a.text)
    if name == "responsible":
        return sorted(p.name.lower() for p in a.responsible)
    if name == "indicators":
        return [(i.text, i.target, i.unit, i.comparator) for i in a.indicators]
    return getattr(a, name)


def diff_activities(old: Sequence[Activity], new: Sequence[Activity]) -> PlanDiff:
    result = PlanDiff(old_id="", new_id="")
    pairs = pair_activities(old, new)
    paired_old = {i for i, _, _ in pairs}
    paired_new = {j for _, j, _ in pairs}
    for i, j, score in pairs:
        a, b = old[i], new[j]
        fields = [f for f in COMPARED_FIELDS if _field_value(a, f) != _field_value(b, f)]
        if _schedule_key(a) != _schedule_key(b):
            days = (b.schedule.end - a.schedule.end).days if a.schedule.end and b.schedule.end else None
            result.moved.append(ActivityChange("moved", a, b, days=days, fields=fields, similarity=round(score, 1)))
        elif fields:
            result.changed.append(ActivityChange("changed", a, b, fields=fields, similarity=round(score, 1)))
        else:
            result.unchanged += 1
    result.dropped = [ActivityChange("dropped", old=a) for i, a in enumerate(old) if i not in paired_old]
    result.added = [ActivityChange("added", new=b) for j, b in enumerate(new) if j not in paired_new]
    return result


def diff_plans(old: RoadmapDocument, new: RoadmapDocument,
               milestones: Optional[Sequence[Milestone]] = None) -> PlanDiff:
    """Activity changes, and each milestone's status in both versions when `milestones` are given."""
    result = diff_activities(old.activities, new.activities)
    result.old_id, result.new_id = old.id, new.id
    if milestones:
        from pipeline.compare import compare_document, plan_years

        years = sorted(set(plan_years(old)) | set(plan_years(new)))
        before = {r.milestone_id: r for y in years for r in compare_document(old, milestones, y)}
        after = {r.milestone_id: r for y in years for r in compare_document(new, milestones, y)}
        for mid in sorted(set(before) | set(after), key=lambda k: ((before.get(k) or after[k]).federal_deadline, k)):
            b, a = before.get(mid), after.get(mid)
            row = b or a
            result.milestones.append(MilestoneChange(
                milestone_id=mid, deadline=row.federal_deadline.isoformat(),
                before=b.status if b else "—", after=a.status if a else "—",
                before_delta=b.delta_days if b else None, after_delta=a.delta_days if a else None,
                after_deadline=bool(new.date and new.date > row.federal_deadline),
            ))
    return result
