"""Date cells read against their row's context: `в течение квартала` under a section row
that names the quarter (normalizers.dates reads a cell alone)."""
from __future__ import annotations

import calendar
import re
from typing import Optional

from language.patterns import compiled
from normalizers.dates import parse_schedule
from schema import Period, Schedule

# `в течение квартала` with no number: the quarter the context names (a section row
# `I квартал 2022 года` above it), not the whole plan.
_UNNAMED_PART = compiled(
    r"^(?:в\s+течени[еи]|на\s+протяжении)\s+(?P<unit>квартал|полугоди|месяц)[а-яё]*\s*\.?$", re.I)
_PART_MONTHS = {"квартал": 3, "полугоди": 6, "месяц": 1}


def in_named_part(cell: Optional[str], context: Optional[str], plan_period: Optional[Period] = None,
                  default_year: Optional[int] = None) -> Optional[Schedule]:
    """`в течение квартала` under a section row naming the quarter (`I квартал 2022 года`) is
    that quarter, a `period`; likewise a half-year or a month. None when the cell is not such
    a reference or the context names no part of that length."""
    raw = " ".join((cell or "").split())
    m = _UNNAMED_PART.match(raw)
    if not m or not context:
        return None
    named = parse_schedule(context, plan_period, default_year)
    if named.kind != "period" or named.start is None or named.end is None or named.start.day != 1:
        return None
    months = (named.end.year - named.start.year) * 12 + named.end.month - named.start.month + 1
    last_day = calendar.monthrange(named.end.year, named.end.month)[1]
    unit = m.group("unit").lower()
    # a school year's half is September–December or January–August, not six months
    school_half = unit == "полугоди" and "полугоди" in context.lower()
    if (months != _PART_MONTHS[unit] and not school_half) or named.end.day != last_day:
        return None
    return Schedule(raw=raw, kind="period", start=named.start, end=named.end)
