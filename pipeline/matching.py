"""Regional plan × federal timeline: which activity plans each milestone.

Matching works on lemmas, keywords and dates, never on a particular order's wording.
Milestones and rows are read as weighted concepts first (pipeline/profiles.py), then:
3. To plan a milestone a row must name the step: its action, or two of its keywords, or
   start with a keyword and be dated near the window ("Назначение кураторов" names curators,
   not the curators' visits). It needs MIN_SCORE, lowered when its dates fall near the
   federal window and when it starts with the action. It may serve several milestones, but
   not one it fits much worse than another unless it names that one's action (ratio test:
   "Экспертиза документов, размещенных …" never serves "Размещение документов"; "Разработка и
   размещение концептуальных документов" serves both). Milestones differing only by ordinal
   or date (1st/2nd monitoring, three surveys) are siblings: a dated row serves the sibling
   nearest in time, and an ordinal it names ("второго опроса") must agree. In a plan over
   several years, a row dated wholly in another of its years belongs to that year.
4. Among the rows left the best wins: score, +HEAD_BONUS for starting with the action, date
   closeness to the federal window, and concepts rare within the plan weighing more.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Sequence

from schema import Activity, Milestone
from pipeline.profiles import (
    ActivityProfile, MilestoneProfile, activity_profiles, alternative_hit, expresses_anchor,
    head_names_action, lexical_score, milestone_profiles, names_action,
)

# Tuning constants (roles: see the module docstring).
MIN_SCORE = 30.0          # lexical score an activity needs to plan a milestone at all
DATE_RELIEF = 10.0        # dates inside the federal window lower MIN_SCORE by this much
HEAD_RELIEF = 10.0        # so does a row starting with the milestone's action if it is a keyword
RATIO = 0.75              # score for m must be ≥ RATIO × the activity's best score elsewhere
HEAD_BONUS = 25.0         # ranking: the activity starts with the milestone's action
DATE_BONUS = 10.0         # ranking: points for an activity inside the federal window
DATE_SCALE_DAYS = 60.0    # date closeness = exp(−days away / DATE_SCALE_DAYS)
COMMONNESS = 0.15         # ranking: a concept found in n plan rows weighs 1/(1+COMMONNESS·(n−1))
SIBLING_SIMILARITY = 0.8  # weighted Jaccard of lemma weights above which milestones are siblings
SIBLING_SLACK_DAYS = 7    # a dated activity also serves a sibling this close to the nearest
EMPTY_TEXT_SCORE = 35.0   # score of an empty-text row whose dates reproduce a federal window


def window(m: Milestone) -> tuple[date, date]:
    return (m.start or m.deadline, m.deadline)


def date_distance(m: Milestone, span: tuple[date, date]) -> int:
    """Days from an activity's end to the milestone's window (0 when it ends inside it).

    The end is what the compliance status is judged on, so the row ending nearest the
    federal window is the likeliest plan of that step.
    """
    ws, we = window(m)
    end = span[1]
    if end < ws:
        return (ws - end).days
    if end > we:
        return (end - we).days
    return 0


def date_closeness(m: Milestone, span: Optional[tuple[date, date]]) -> float:
    if span is None:
        return 0.0
    return math.exp(-date_distance(m, span) / DATE_SCALE_DAYS)


def _weighted_jaccard(a: dict[str, float], b: dict[str, float]) -> float:
    keys = set(a) | set(b)
    num = sum(min(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    den = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    return num / den if den else 0.0


def sibling_groups(profiles: Sequence[MilestoneProfile]) -> list[int]:
    """Group label per milestone: milestones with near-identical lemmas share a label."""
    labels = list(range(len(profiles)))

    def find(i: int) -> int:
        while labels[i] != i:
            labels[i] = labels[labels[i]]
            i = labels[i]
        return i

    terms = [p.terms for p in profiles]
    for i in range(len(profiles)):
        for j in range(i + 1, len(profiles)):
            if _weighted_jaccard(terms[i], terms[j]) >= SIBLING_SIMILARITY:
                labels[find(j)] = find(i)
    return [find(i) for i in range(len(profiles))]


@dataclass
class Match:
    milestone: Milestone
    activity: Optional[Activity] = None
    score: Optional[float] = None
    candidates: list[tuple[int, float]] = field(default_factory=list)
    names_action: bool = False      # the activity names the milestone's action, not only keywords
    runner_up: Optional[float] = None  # the best score of another eligible activity
    group: int = -1                 # milestones of one group are siblings (1st/2nd monitoring)
    nearest: Optional["Nearest"] = None  # for an unmatched milestone: the activity that came nearest


@dataclass(frozen=True)
class Nearest:
    """What a `missing` status rests on: the activity that scored best for the step among those
    turned away for their score (`score`: under `needed`) or for naming neither the step's
    action nor two of its keywords (`no action`) — not those that plan another step, or this
    step in another year of the plan."""

    activity: Activity
    score: float
    needed: float
    refused: str


def _empty_text_fit(m: Milestone, a: ActivityProfile) -> bool:
    """A row whose text was lost but whose dates reproduce a federal window (start and end)."""
    if a.main or a.extra or a.span is None or m.start is None or m.start == m.deadline:
        return False
    return a.span == (m.start, m.deadline)


def _other_plan_year(m: Milestone, a: ActivityProfile, years: Sequence[int]) -> bool:
    if a.span is None:
        return False
    start, end = a.span
    return start.year == end.year != m.year and start.year in years


def _commonness(mp: MilestoneProfile, acts: Sequence[ActivityProfile]) -> list[float]:
    factors = []
    for c in mp.concepts:
        rows = sum(1 for ap in acts if max(alternative_hit(alt, ap.main) for alt in c.alternatives) >= 0.8)
        factors.append(1.0 / (1.0 + COMMONNESS * max(0, rows - 1)))
    return factors


def _eligible(i: int, j: int, s: float, ap: ActivityProfile, profiles: Sequence[MilestoneProfile],
              groups: list[int], scores: list[list[float]]) -> bool:
    """Ratio test against other milestones (unless the row names this milestone's action:
    "Разработка и размещение концептуальных документов" plans both steps); ordinal and date
    rules among siblings."""
    mp = profiles[i]
    others = [scores[k][j] for k in range(len(profiles)) if groups[k] != groups[i]]
    if others and s < RATIO * max(others) and not names_action(mp, ap):
        return False
    siblings = [k for k in range(len(profiles)) if groups[k] == groups[i]]
    if mp.ordinal is not None and ap.ordinal is not None and len(siblings) > 1:
        if any(profiles[k].ordinal == ap.ordinal for k in siblings):
            return mp.ordinal == ap.ordinal
    if len(siblings) > 1 and ap.span is not None:
        distances = {k: date_distance(profiles[k].milestone, ap.span) for k in siblings}
        if distances[i] > min(distances.values()) + SIBLING_SLACK_DAYS:
            return False
    return True


def match_milestones(milestones: Sequence[Milestone], activities: Sequence[Activity],
                     context: Optional[Sequence[Milestone]] = None,
                     years: Sequence[int] = ()) -> list[Match]:
    """The best activity (or none) for every milestone.

    `context` is the whole timeline the milestones come from: concept weights are rarities
    over it, so they do not change with the plan's year. `years` are the plan's years: a row
    dated wholly inside another of them is that year's step, not this one's.
    """
    context = list(context) if context is not None else []
    known = {m.id for m in context}
    everything = context + [m for m in milestones if m.id not in known]
    by_id = {p.milestone.id: p for p in milestone_profiles(everything)}
    profiles = [by_id[m.id] for m in milestones]
    acts = activity_profiles(activities)
    groups = sibling_groups(profiles)
    scores = [[lexical_score(mp, ap) for ap in acts] for mp in profiles]

    matches: list[Match] = []
    for i, mp in enumerate(profiles):
        m = mp.milestone
        commonness = _commonness(mp, acts)
        best: Optional[tuple[float, float, int]] = None
        candidates = []
        nearest: Optional[tuple[float, int, float, str]] = None  # (score, activity, needed, why) of the best refused
        for j, ap in enumerate(acts):
            s = scores[i][j]
            closeness = date_closeness(m, ap.span)
            relief = DATE_RELIEF * closeness + (HEAD_RELIEF if head_names_action(mp, ap, keyword=True) else 0.0)
            if s < MIN_SCORE - relief:
                if not _empty_text_fit(m, ap):
                    if nearest is None or s > nearest[0]:
                        nearest = (s, j, MIN_SCORE - relief, "score")
                    continue
                s = EMPTY_TEXT_SCORE
            elif not expresses_anchor(mp, ap, closeness):
                if nearest is None or s > nearest[0]:
                    nearest = (s, j, MIN_SCORE - relief, "no action")
                continue
            elif not _eligible(i, j, s, ap, profiles, groups, scores) or _other_plan_year(m, ap, years):
                continue  # it plans another step, or this step in another year of the plan
            key = (lexical_score(mp, ap, commonness) + DATE_BONUS * closeness
                   + (HEAD_BONUS if head_names_action(mp, ap) else 0.0))
            candidates.append((j, round(s, 1)))
            if best is None or key > best[0]:
                best = (key, s, j)
        match = Match(m, candidates=candidates, group=groups[i])
        if best is not None:
            match.activity = acts[best[2]].activity
            match.score = round(best[1], 1)
            match.names_action = names_action(mp, acts[best[2]]) or head_names_action(mp, acts[best[2]])
            others = [s for j, s in candidates if j != best[2]]
            match.runner_up = max(others) if others else None
        elif nearest is not None and nearest[0] > 0:
            score, j, needed, why = nearest
            match.nearest = Nearest(acts[j].activity, round(score, 1), round(needed, 1), why)
        matches.append(match)
    return matches
