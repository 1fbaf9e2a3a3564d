"""A date cell counted from another row's event: `в течение 10 дней после установочного
семинара` is a deadline ten days after the day of the row whose activity is that seminar
(`Установочный семинар … | 21 сентября`); weeks and months (`в течение двух недель после …`) are
counted as from the act's day. Read over the whole plan, after each cell alone
(normalizers.dates cannot know the other rows); an event no row names, or one with no single
day, leaves the cell as it was read."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from language.morphology import lemma
from language.patterns import compiled
from normalizers.act_relative import COUNT, count_of, shifted
from schema import Activity, Schedule

_AFTER_EVENT = compiled(
    rf"^(?:в\s+течение|не\s+позднее)\s+(?:(?P<n>{COUNT})\s+)?(?:календарн\w+\s+)?(?P<unit>дн|день|недел|месяц)\w*"
    r"\s+после\s+(?P<event>[^,;()]+?)"
    r"\s*(?:\(\s*(?:см\.\s*)?(?:п\.|пункт\w*|№)\s*(?P<row>\d{1,3}(?:\.\d{1,3})*)\.?\s*\))?\s*\.?$",
    re.I)
_WORD = compiled(r"[а-яё]{4,}", re.I)
# Words that say an event is held, not which: `после проведения семинара` is after the seminar.
_HOLDING = {"проведение"}


def _lemmas(text: str) -> set[str]:
    return {lemma(w.lower()) for w in _WORD.findall(text)}


def _seq(activity: Activity) -> str:
    return (activity.seq or "").strip().rstrip(".")


def _event_day(activity: Activity) -> Optional[date]:
    """The one day a row's activity happens or is due: its date or deadline."""
    s = activity.schedule
    if s.kind == "date" and s.start is not None:
        return s.start
    if s.kind == "deadline" and s.end is not None:
        return s.end
    return None


def after_other_rows(activities: list[Activity]) -> list[Activity]:
    """The activities with each `… дней после <event>` cell read as a deadline counted from the
    earlier row the cell points to by its number (`(п. 3)`), else from the earlier row whose
    activity names every word of the event (by lemma)."""
    out: list[Activity] = []
    for activity in activities:
        m = _AFTER_EVENT.match(" ".join(activity.schedule.raw.split()))
        event = _lemmas(m.group("event")) - _HOLDING if m else set()
        if m and (event or m.group("row")) and activity.schedule.kind not in ("date", "deadline", "period"):
            named = [a for a in out if m.group("row") and _seq(a) == m.group("row")]
            if named:  # the row the cell points to by its number
                day = _event_day(named[-1])
            else:
                day = next((d for a in reversed(out) if (d := _event_day(a)) and event and event <= _lemmas(a.text)),
                           None)
            if day is not None:
                activity = activity.model_copy(update={"schedule": Schedule(
                    raw=activity.schedule.raw, kind="deadline",
                    end=shifted(day, count_of(m.group("n")), m.group("unit")))})
        out.append(activity)
    return out
