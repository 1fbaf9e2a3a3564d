"""How sure a compliance status is, and why it may need a person to look.

The reasons are written in Russian: they are shown to auditors beside the status, in the
reports and the workbench.

A status rests on one matched activity. Each reason below lowers the confidence by its own
factor (so a reader can tell what a figure means) and the row needs review when the
confidence falls under the threshold or a reason is one a person must always check. All
numbers live in one settings object.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from language.patterns import compiled
from pipeline.identity import activity_ids
from pipeline.matching import Nearest
from schema import Activity, Evidence, RoadmapDocument, Schedule


@dataclass(frozen=True)
class ReviewSettings:
    certain_match_score: float = 70.0   # a lexical score at or above this is a certain match
    weak_match_score: float = 40.0      # below this the match is weak
    medium_match: float = 0.8           # factors: a score between the two
    weak_match: float = 0.5             # a score below weak_match_score
    competing_share: float = 0.9        # another activity within this share of the score competes
    keyword_only: float = 0.8           # factors: the activity names the step's keywords, not its action
    competing: float = 0.8              # another activity could plan the step as well
    shared_activity: float = 0.85       # the same activity also plans another, unrelated step
    date_not_understood: float = 0.4    # the date cell was printed but not understood
    ocr_unsure: float = 0.8             # OCR was unsure of words on the activity's page
    no_party: float = 0.9               # nobody is named responsible
    metadata_missing: float = 0.9       # per missing act number, date or region
    long_span_days: int = 181           # a late end of work this long (half a year), begun by the deadline, is a doubt
    long_span: float = 0.5              # factor: such a late end
    plans_the_step: float = 0.5         # factor: the activity draws up the step's schedule or plan, not the step
    near_missing_share: float = 0.9     # a `missing` whose nearest activity scored this share of what it needed
    threshold: float = 0.6              # below this a row needs review
    always: tuple[str, ...] = ("date", "region")  # reasons (by key) that always need review


REVIEW = ReviewSettings()
_OCR_UNSURE = compiled(r"^page (\d+): OCR unsure")


@dataclass(frozen=True)
class Reason:
    key: str
    text: str
    factor: float


def evidence_of(doc: RoadmapDocument, activity: Activity, activity_id: Optional[str] = None) -> Evidence:
    """Where the activity was printed, its text and date cell as printed, and its stable id
    (computed here when the caller has not: pass it when evidencing many activities)."""
    if activity_id is None:
        activity_id = activity_ids(doc)[next(i for i, a in enumerate(doc.activities) if a is activity)]
    source = activity.source
    return Evidence(path=doc.source.path, sha256=doc.source.sha256, page=source.page, table=source.table,
                    row=source.row, bbox=source.bbox, activity_text=activity.text, date_text=activity.schedule.raw,
                    activity_id=activity_id)


def activity_reasons(doc: RoadmapDocument, activity: Activity, settings: ReviewSettings = REVIEW) -> list[Reason]:
    """What makes an activity's reading uncertain, whatever it is matched to."""
    reasons = []
    schedule = activity.schedule
    if schedule.kind == "unspecified" and schedule.raw.strip() and not (
            activity.federal_schedule and activity.federal_schedule.kind != "unspecified"):
        reasons.append(Reason("date", f"срок не распознан: «{schedule.raw.strip()}»", settings.date_not_understood))
    if activity.source.page is not None and doc.source.ocr:
        unsure_pages = {int(m.group(1)) for w in doc.warnings if (m := _OCR_UNSURE.match(w))}
        if activity.source.page in unsure_pages:
            reasons.append(Reason("ocr", f"OCR не уверен в словах на стр. {activity.source.page}", settings.ocr_unsure))
    if not activity.responsible:
        reasons.append(Reason("party", "не назван ответственный", settings.no_party))
    return reasons


def schedule_reasons(schedule: Schedule, status: Optional[str], deadline: date,
                     settings: ReviewSettings = REVIEW) -> list[Reason]:
    """A late status that rests on the end of work spread over months and begun by the step's
    deadline (`янв, фев, …, дек 2022` against a February step): the plan may do the step in its
    first months, or only at the end — the dates cannot say which, a person can."""
    start, end = schedule.start, schedule.end
    if status != "late" or start is None or end is None or start > deadline:
        return []
    if (end - start).days + 1 < settings.long_span_days:
        return []
    return [Reason("span", f"срок — работа с {start:%d.%m.%Y} по {end:%d.%m.%Y}, начатая до срока этапа: "
                           "позже срока только её конец", settings.long_span)]


def document_reasons(doc: RoadmapDocument, settings: ReviewSettings = REVIEW) -> list[Reason]:
    """Act metadata a finding is cited by: its number, date and region."""
    missing = [(key, text) for key, text, value in (
        ("metadata", "не прочитан номер акта", doc.number), ("metadata", "не прочитана дата акта", doc.date),
        ("region", "не определён регион акта", doc.region)) if value is None]
    return [Reason(key, text, settings.metadata_missing) for key, text in missing]


def match_reasons(score: Optional[float], names_action: bool, runner_up: Optional[float],
                  shared_with: list[str], settings: ReviewSettings = REVIEW) -> list[Reason]:
    """How the activity came to plan the milestone."""
    reasons = []
    if score is not None and score < settings.weak_match_score:
        reasons.append(Reason("weak", f"слабое совпадение ({score:.0f} из 100)", settings.weak_match))
    elif score is not None and score < settings.certain_match_score:
        reasons.append(Reason("medium", f"частичное совпадение ({score:.0f} из 100)", settings.medium_match))
    if not names_action:
        reasons.append(Reason("keywords", "совпадение только по ключевым словам, действие этапа не названо",
                              settings.keyword_only))
    if score is not None and runner_up is not None and runner_up >= settings.competing_share * score:
        reasons.append(Reason("competing", f"другое мероприятие подходит почти так же ({runner_up:.0f})",
                              settings.competing))
    if shared_with:
        reasons.append(Reason("shared", f"то же мероприятие сопоставлено и с {', '.join(shared_with)}",
                              settings.shared_activity))
    return reasons


# `Формирование графиков посещения …`, `Разработка плана проведения …`: the schedule or plan of a step
_DRAWS_UP_A_PLAN = compiled(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:формирование|составление|разработка|утверждение|согласование|подготовка)\s+(?:\w+\s+){0,2}?"
    r"(?:график\w*|план\w*|расписани\w*)(?!\w)", re.I)
_A_PLAN = compiled(r"(?<!\w)(?:график|план|расписани)\w*", re.I)


def plan_of_step_reasons(activity_text: str, step_title: str, settings: ReviewSettings = REVIEW) -> list[Reason]:
    """An activity that draws up the schedule or plan of the step (`Формирование графиков
    посещения школ` for the curators' first visits) is dated when the schedule is ready, not
    when the step is done: a doubt, unless the step is itself a plan or schedule."""
    if _DRAWS_UP_A_PLAN.match(activity_text or "") and not _A_PLAN.search(step_title or ""):
        return [Reason("plan", "мероприятие составляет график или план этапа, а не выполняет его",
                       settings.plans_the_step)]
    return []


NEAREST_TEXT = 90  # characters of the nearest activity's text a reason quotes


def absence_reasons(nearest: Optional[Nearest], settings: ReviewSettings = REVIEW) -> list[str]:
    """Why a `missing` may be wrong: an activity scored nearly what it needed to plan the step.
    A `missing` charges the region with skipping a step, so such a row goes to a person, told
    which activity to look at. (One that scores enough but does not name the step is not a
    doubt: `Назначение кураторов` names the curators, not their visits.)"""
    if nearest is None:
        return []
    if nearest.refused != "score" or nearest.score < settings.near_missing_share * nearest.needed:
        return []
    a = nearest.activity
    name = f"п. {a.seq}" if a.seq else f"строка {a.source.row}" if a.source.row is not None else "мероприятие"
    text = a.text if len(a.text) <= NEAREST_TEXT else a.text[:NEAREST_TEXT - 1].rstrip() + "…"
    page = f", стр. {a.source.page}" if a.source.page is not None else ""
    return [f"возможно, этап запланирован другими словами: ближе всех {name} «{text}»{page} — "
            f"сходство {_figure(nearest.score, nearest.needed)} при нужных {_figure(nearest.needed, nearest.score)}"]


_NEAREST = compiled(r"ближе всех (?:п\. (?P<seq>\S+)|строка (?P<row>\d+)) «(?P<text>[^»…]{1,40})")


def nearest_activity(doc: RoadmapDocument, reasons: list[str]) -> Optional[int]:
    """The position in `doc` of the activity an absence reason names (`ближе всех п. 3 «…»`), so a
    page can link the `missing` to it as it links a status to its evidence; None when none does."""
    for reason in reasons:
        m = _NEAREST.search(reason)
        if not m:
            continue
        for i, a in enumerate(doc.activities):
            named = (a.seq or "").strip() == m.group("seq") if m.group("seq") else str(a.source.row) == m.group("row")
            if named and a.text.startswith(m.group("text")):
                return i
    return None


def _figure(value: float, other: float) -> str:
    """A score as the reasons print it: whole, unless it would read the same as `other`."""
    return f"{value:.0f}" if round(value) != round(other) else f"{value:.1f}".replace(".", ",")


def assess(reasons: list[Reason], settings: ReviewSettings = REVIEW) -> tuple[float, bool, list[str]]:
    """(confidence, needs_review, the reasons as text)."""
    confidence = 1.0
    for reason in reasons:
        confidence *= reason.factor
    confidence = round(max(0.0, min(1.0, confidence)), 3)
    needs = confidence < settings.threshold or any(r.key in settings.always for r in reasons)
    return confidence, needs, [r.text for r in reasons]


def activity_review(doc: RoadmapDocument, activity: Activity,
                    settings: ReviewSettings = REVIEW) -> tuple[float, bool, list[str]]:
    """An activity's own reading, whatever it is matched to: (confidence, needs_review, reasons)."""
    return assess(activity_reasons(doc, activity, settings) + document_reasons(doc, settings), settings)
