"""Regional plan × federal timeline: is each milestone planned, and on time.

The activity planning each milestone comes from pipeline/matching.py; here its schedule is
judged against the federal deadline (on time, late, undated) or the milestone is missing.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, Optional, Sequence

from schema import ComplianceRow, Milestone, RoadmapDocument, Schedule
from pipeline.identity import activity_ids
from pipeline.matching import match_milestones
from pipeline.profiles import UNDATED_KINDS, schedule_span
from pipeline.review import (
    REVIEW, ReviewSettings, absence_reasons, activity_reasons, assess, document_reasons, evidence_of, match_reasons,
    plan_of_step_reasons, schedule_reasons,
)


def plan_years(doc: RoadmapDocument) -> list[int]:
    """Years a plan covers: its period, else the years its dated rows end in, else its act's year."""
    if doc.period is not None:
        return list(range(doc.period.start.year, doc.period.end.year + 1))
    counts: dict[int, int] = {}
    for a in doc.activities:
        span = schedule_span(a.schedule)
        if span:
            counts[span[1].year] = counts.get(span[1].year, 0) + 1
    if counts:
        top = max(counts.values())
        return sorted(y for y, c in counts.items() if c >= 0.25 * top)
    return [doc.date.year] if doc.date else []


def planned_status(schedule: Schedule, deadline: date) -> tuple[Optional[date], str, Optional[int]]:
    """(planned_end, status, delta_days) of a matched activity's schedule against a deadline.

    `after X` has no end: late when X is already past the deadline, else undated.
    Recurring, ongoing and as-needed rows name no date for the step: undated.
    """
    if schedule.kind == "after":
        if schedule.start is not None and schedule.start > deadline:
            return schedule.start, "late", (schedule.start - deadline).days
        return None, "undated", None
    if schedule.kind in UNDATED_KINDS:
        return None, "undated", None
    end = schedule.end or (max(schedule.dates) if schedule.dates else None) or schedule.start
    if end is None:
        return None, "undated", None
    delta = (end - deadline).days
    return end, ("on_time" if delta <= 0 else "late"), delta


def compare_document(doc: RoadmapDocument, milestones: Sequence[Milestone],
                     year: Optional[int] = None, settings: ReviewSettings = REVIEW) -> list[ComplianceRow]:
    """One ComplianceRow per milestone of the plan's year(s), or of `year` when given; each
    status with the evidence it rests on, its confidence and why it may need review."""
    years = [year] if year is not None else plan_years(doc)
    selected = [m for m in milestones if m.year in years]
    region = doc.region.code if doc.region else None
    matches = match_milestones(selected, doc.activities, context=milestones, years=plan_years(doc))
    planned_by: dict[int, list[tuple[str, int]]] = {}
    for match in matches:
        if match.activity is not None:
            planned_by.setdefault(id(match.activity), []).append((match.milestone.id, match.group))
    for_document = document_reasons(doc, settings)
    ids = {id(a): aid for a, aid in zip(doc.activities, activity_ids(doc))}
    rows = []
    for match in matches:
        m = match.milestone
        if match.activity is None:
            doubts = absence_reasons(match.nearest, settings)
            rows.append(ComplianceRow(
                document_id=doc.id, region_code=region, milestone_id=m.id,
                federal_deadline=m.deadline, status="missing", needs_review=bool(doubts), review_reasons=doubts,
            ))
            continue
        a = match.activity
        schedule = a.schedule
        if schedule.kind == "unspecified" and a.federal_schedule is not None:
            schedule = a.federal_schedule
        planned_end, status, delta = planned_status(schedule, m.deadline)
        # one row may plan sibling steps (1st and 2nd monitoring); another kind of step is a doubt
        shared = [other for other, group in planned_by[id(a)] if other != m.id and group != match.group]
        reasons = (match_reasons(match.score, match.names_action, match.runner_up, shared, settings)
                   + plan_of_step_reasons(a.text, m.title, settings)
                   + schedule_reasons(schedule, status, m.deadline, settings)
                   + activity_reasons(doc, a, settings) + for_document)
        confidence, needs_review, review_reasons = assess(reasons, settings)
        rows.append(ComplianceRow(
            document_id=doc.id, region_code=region, milestone_id=m.id,
            federal_deadline=m.deadline, activity_seq=a.seq, activity_text=a.text,
            match_score=match.score, planned_end=planned_end, status=status, delta_days=delta,
            evidence=evidence_of(doc, a, ids[id(a)]), confidence=confidence, needs_review=needs_review,
            review_reasons=review_reasons,
        ))
    return rows


def compare_documents(docs: Iterable[RoadmapDocument], milestones: Sequence[Milestone],
                      year: Optional[int] = None) -> list[ComplianceRow]:
    rows: list[ComplianceRow] = []
    for doc in docs:
        rows.extend(compare_document(doc, milestones, year))
    return rows


def packaged_compliance() -> Callable[[RoadmapDocument], list[ComplianceRow]]:
    """A document's compliance against the packaged federal timeline (what the store keeps)."""
    from pipeline.timeline import load_timeline

    milestones = load_timeline()
    return lambda doc: compare_document(doc, milestones)
