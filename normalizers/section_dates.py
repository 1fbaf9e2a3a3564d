"""Date cells read against their row's context: `в течение квартала` under a section row
that names the quarter, `в течение этапа` under a stage row that prints its span
(normalizers.dates reads a cell alone)."""
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
# `в течение этапа`, `ежемесячно в течение этапа`: the span the stage's row prints, whatever
# its length; what comes before the words (a recurrence) is read alone.
_STAGE = compiled(r"^(?P<lead>.*?)\s*(?:в\s+течени[еи]|на\s+протяжении)\s+(?:всего\s+|данного\s+)?этапа\s*\.?$", re.I)


def in_named_part(cell: Optional[str], context: Optional[str], plan_period: Optional[Period] = None,
                  default_year: Optional[int] = None) -> Optional[Schedule]:
    """`в течение квартала` under a section row naming the quarter (`I квартал 2022 года`) is
    that quarter, a `period`; likewise a half-year or a month. None when the cell is not such
    a reference or the context names no part of that length."""
    raw = " ".join((cell or "").split())
    if not context:
        return None
    stage = _STAGE.match(raw)
    if stage:
        return _in_stage(raw, stage.group("lead"), context, plan_period, default_year)
    m = _UNNAMED_PART.match(raw)
    if not m:
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


def _in_stage(raw: str, lead: str, context: str, plan_period: Optional[Period],
              default_year: Optional[int]) -> Optional[Schedule]:
    """The stage's printed span, a `period`; with a recurrence before the words, that
    recurrence over the span. None when the row prints no span or the lead is not a recurrence."""
    span = parse_schedule(context, plan_period, default_year)
    if span.kind not in ("period", "date") or span.start is None or span.end is None:
        return None
    if not lead:
        return Schedule(raw=raw, kind="period", start=span.start, end=span.end)
    alone = parse_schedule(lead, plan_period, default_year)
    if alone.kind != "recurring":
        return None
    return alone.model_copy(update={"raw": raw, "start": span.start, "end": span.end})
