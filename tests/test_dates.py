"""Date cells → Schedule (rules of docs/roadmap-schema.md, section Schedule).

Tables: every date-cell style of the four seed orders, then styles expected from unseen
regions. Context codes: "P2022" = plan period 2022-01-01..2022-12-31, "P2020-2021" = a
two-year plan, "A2021" = school year 2021-09-01..2022-08-31, "Y2022" = no plan period,
default_year 2022 (the act's year), "-" = nothing known.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date
from typing import Optional

import pytest

from normalizers.dates import month_number, parse_date, parse_schedule
from pipeline.schema import Period


def _ctx(code: str) -> tuple[Optional[Period], Optional[int]]:
    if code == "-":
        return None, None
    if code.startswith("Y"):
        return None, int(code[1:])
    if code.startswith("A"):
        y = int(code[1:])
        return Period(start=date(y, 9, 1), end=date(y + 1, 8, 31)), None
    years = [int(y) for y in code[1:].split("-")]
    return Period(start=date(years[0], 1, 1), end=date(years[-1], 12, 31)), None


def _d(text: Optional[str]) -> Optional[date]:
    return date.fromisoformat(text) if text else None


def _schedule(cell: str, ctx: str):
    plan, default_year = _ctx(ctx)
    return parse_schedule(cell, plan_period=plan, default_year=default_year)


# (cell, context, kind, start, end)
SEED_CELLS = [
    # Tyumen region order (plan 2022; federal and regional date columns)
    ("до 17.01.2022", "P2022", "deadline", None, "2022-01-17"),
    ("до 04.02.2022", "P2022", "deadline", None, "2022-02-04"),
    ("07.02.-14.02.2022", "P2022", "period", "2022-02-07", "2022-02-14"),
    ("февраль", "P2022", "period", "2022-02-01", "2022-02-28"),
    ("По мере необходимости", "P2022", "as_needed", None, None),
    ("Согласно графику", "P2022", "as_needed", None, None),
    ("Февраль-март", "P2022", "period", "2022-02-01", "2022-03-31"),
    ("01.03.2022 17.06.2022 16.09.2022 17.10.2022", "P2022", "dates", "2022-03-01", "2022-10-17"),
    ("10.03-24.03.2022", "P2022", "period", "2022-03-10", "2022-03-24"),
    ("-", "P2022", "unspecified", None, None),
    ("До 29.04.2022", "P2022", "deadline", None, "2022-04-29"),
    ("30.05.-13.06.2022", "P2022", "period", "2022-05-30", "2022-06-13"),
    ("20.06.2022", "P2022", "date", "2022-06-20", "2022-06-20"),
    ("01.03.-09.08.2022", "P2022", "period", "2022-03-01", "2022-08-09"),
    ("сентябрь-октябрь 2022", "P2022", "period", "2022-09-01", "2022-10-31"),
    ("сентябрь-\nоктябрь\n2022", "P2022", "period", "2022-09-01", "2022-10-31"),
    ("Январь-\nфевраль 2021", "P2020-2021", "period", "2021-01-01", "2021-02-28"),
    ("ноябрь 2022", "P2022", "period", "2022-11-01", "2022-11-30"),
    ("20.12.2022", "P2022", "date", "2022-12-20", "2022-12-20"),
    # Ivanovo region order (plan 2022, approved in 2021)
    ("25.11.2021", "P2022", "date", "2021-11-25", "2021-11-25"),
    ("до 20.12.2021", "P2022", "deadline", None, "2021-12-20"),
    ("17.01.2022 – 04.02.2022", "P2022", "period", "2022-01-17", "2022-02-04"),
    ("24.01.2022 –\n01.02.2022", "P2022", "period", "2022-01-24", "2022-02-01"),
    ("01.03. – 20.10.2022", "P2022", "period", "2022-03-01", "2022-10-20"),
    ("<p>22.03-23.03.2022</p>", "P2022", "period", "2022-03-22", "2022-03-23"),
    ("<p>01.03. – 20.04. 2022</p>", "P2022", "period", "2022-03-01", "2022-04-20"),
    ("после 29.04", "P2022", "after", "2022-04-29", None),
    ("20.01 – 20.10.2022", "P2022", "period", "2022-01-20", "2022-10-20"),
    ("01.02. – 01.11.2022", "P2022", "period", "2022-02-01", "2022-11-01"),
    ("июнь 2022", "P2022", "period", "2022-06-01", "2022-06-30"),
    ("30.05.2022 – 13.06.2022", "P2022", "period", "2022-05-30", "2022-06-13"),
    ("после 30.06.2022", "P2022", "after", "2022-06-30", None),
    ("01.10 – 20.10.2022", "P2022", "period", "2022-10-01", "2022-10-20"),
    ("25.10. – 28.10. 2022", "P2022", "period", "2022-10-25", "2022-10-28"),
    ("", "P2022", "unspecified", None, None),
    # Samara region orders (plan 2020–2021)
    ("Ноябрь 2020 Май-июнь 2021", "P2020-2021", "dates", "2020-11-01", "2021-06-30"),
    ("Декабрь 2020 Апрель 2021 Август 2021", "P2020-2021", "dates", "2020-12-01", "2021-08-31"),
    ("Декабрь 2020", "P2020-2021", "period", "2020-12-01", "2020-12-31"),
    ("Декабрь 2020 Январь 2021", "P2020-2021", "dates", "2020-12-01", "2021-01-31"),
    ("Сентябрь-октябрь 2021", "P2020-2021", "period", "2021-09-01", "2021-10-31"),
    ("Январь-февраль 2021", "P2020-2021", "period", "2021-01-01", "2021-02-28"),
    ("Постоянно по графику", "P2020-2021", "ongoing", "2020-01-01", "2021-12-31"),
    ("Декабрь 2020-январь 2021", "P2020-2021", "period", "2020-12-01", "2021-01-31"),
    ("Постоянно 2021", "P2020-2021", "ongoing", "2021-01-01", "2021-12-31"),
    ("Декабрь 2020 – Январь 2021", "P2020-2021", "period", "2020-12-01", "2021-01-31"),
    ("Апрель 2021 Август 2021", "P2020-2021", "dates", "2021-04-01", "2021-08-31"),
    ("Март 2021 Апрель 2021", "P2020-2021", "dates", "2021-03-01", "2021-04-30"),
    ("Сентябрь, октябрь 2021", "P2020-2021", "period", "2021-09-01", "2021-10-31"),
    ("02.03.21 – 10.03.2021", "P2021", "period", "2021-03-02", "2021-03-10"),
    ("в течение реализации проекта", "P2021", "ongoing", "2021-01-01", "2021-12-31"),
    ("В соответствии с планом курсовой подготовки в рамках государственного задания",
     "P2021", "as_needed", None, None),
    ("До 01.09.2021", "P2021", "deadline", None, "2021-09-01"),
    # Tyumen city order (plan 2021)
    ("Март - май 2021", "P2021", "period", "2021-03-01", "2021-05-31"),
    ("Март — декабрь 2021", "P2021", "period", "2021-03-01", "2021-12-31"),
    ("Март-сентябрь 2021", "P2021", "period", "2021-03-01", "2021-09-30"),
    ("Июль – август 2021", "P2021", "period", "2021-07-01", "2021-08-31"),
    ("Сентябрь - декабрь", "P2021", "period", "2021-09-01", "2021-12-31"),
    ("Сентябрь - декабрь", "Y2021", "period", "2021-09-01", "2021-12-31"),
    ("В течение года", "P2021", "ongoing", "2021-01-01", "2021-12-31"),
    ("Сроки", "P2021", "unspecified", None, None),
]

UNSEEN_CELLS = [
    # deadlines in words and other prefixes
    ("До 15 марта 2021 года", "-", "deadline", None, "2021-03-15"),
    ("до 1 февраля 2022 г.", "-", "deadline", None, "2022-02-01"),
    ("к 1 сентября", "P2022", "deadline", None, "2022-09-01"),
    ("не позднее 01.09.2021", "-", "deadline", None, "2021-09-01"),
    ("по 30.04.2022", "-", "deadline", None, "2022-04-30"),
    ("в срок до 10.01.2022", "-", "deadline", None, "2022-01-10"),
    ("срок – до 10.01.2022", "-", "deadline", None, "2022-01-10"),
    ("до конца 2022 года", "-", "deadline", None, "2022-12-31"),
    ("до 01.09.2021г.", "-", "deadline", None, "2021-09-01"),
    ("до01.09.2021", "-", "deadline", None, "2021-09-01"),
    ("до 1.09.2021", "-", "deadline", None, "2021-09-01"),
    ("до 31 декабря 2022 года", "-", "deadline", None, "2022-12-31"),
    # single dates with OCR slips and noise
    ("О1.02.2022", "-", "date", "2022-02-01", "2022-02-01"),
    ("1O.03.2022", "-", "date", "2022-03-10", "2022-03-10"),
    ("22. 03. 2021", "-", "date", "2021-03-22", "2021-03-22"),
    ("30 декабря 2021 г.", "-", "date", "2021-12-30", "2021-12-30"),
    ("«09» 08.2021", "-", "date", "2021-08-09", "2021-08-09"),
    ("20.06.2022.", "-", "date", "2022-06-20", "2022-06-20"),
    ("01.03.2022 (по согласованию)", "-", "date", "2022-03-01", "2022-03-01"),
    ("20.06.2022\n(по согласованию)", "-", "date", "2022-06-20", "2022-06-20"),
    ("1 февраля", "P2022", "date", "2022-02-01", "2022-02-01"),
    ("30/12/2021", "-", "date", "2021-12-30", "2021-12-30"),
    # ranges
    ("07.02.-14.02.20\n22", "-", "period", "2022-02-07", "2022-02-14"),
    ("с 1 по 15 марта 2022 г.", "-", "period", "2022-03-01", "2022-03-15"),
    ("с 10 по 20 мая 2022 года", "-", "period", "2022-05-10", "2022-05-20"),
    ("1-15 марта", "P2022", "period", "2022-03-01", "2022-03-15"),
    ("01-05.03.2022", "-", "period", "2022-03-01", "2022-03-05"),
    ("с 15.01.2022 по 15.02.2022", "-", "period", "2022-01-15", "2022-02-15"),
    ("с 01.03 по 30.04.2022", "-", "period", "2022-03-01", "2022-04-30"),
    ("с 01.03.2022 до 30.04.2022", "-", "period", "2022-03-01", "2022-04-30"),
    ("02.2022 - 04.2022", "-", "period", "2022-02-01", "2022-04-30"),
    ("сентябрь 2021 - май 2022", "-", "period", "2021-09-01", "2022-05-31"),
    ("декабрь 2021 года - январь 2022 года", "-", "period", "2021-12-01", "2022-01-31"),
    ("Январь 2022 г. - май 2022 г.", "-", "period", "2022-01-01", "2022-05-31"),
    ("Декабрь-январь 2021", "-", "period", "2020-12-01", "2021-01-31"),
    ("Декабрь-январь", "P2022", "period", "2021-12-01", "2022-01-31"),
    ("Декабрь-январь", "A2021", "period", "2021-12-01", "2022-01-31"),
    ("Сентябрь - декабрь", "A2021", "period", "2021-09-01", "2021-12-31"),
    ("Декабрь, январь 2022", "-", "period", "2021-12-01", "2022-01-31"),
    ("апрель, май", "P2022", "period", "2022-04-01", "2022-05-31"),
    ("ФЕВРАЛЬ-МАРТ 2022", "-", "period", "2022-02-01", "2022-03-31"),
    # months, years, parts of a year
    ("май 2022 г.", "-", "period", "2022-05-01", "2022-05-31"),
    ("в течение марта 2022", "-", "period", "2022-03-01", "2022-03-31"),
    ("янв. 2022", "-", "period", "2022-01-01", "2022-01-31"),
    ("09.2022", "-", "period", "2022-09-01", "2022-09-30"),
    ("Конец мая 2022", "-", "period", "2022-05-01", "2022-05-31"),
    ("2022 год", "-", "period", "2022-01-01", "2022-12-31"),
    ("в 2022 году", "-", "period", "2022-01-01", "2022-12-31"),
    ("2021 - 2022 годы", "-", "period", "2021-01-01", "2022-12-31"),
    ("2021/2022 учебный год", "-", "period", "2021-09-01", "2022-08-31"),
    ("в течение 1 квартала", "P2022", "period", "2022-01-01", "2022-03-31"),
    ("I квартал 2022", "-", "period", "2022-01-01", "2022-03-31"),
    ("III квартал", "P2022", "period", "2022-07-01", "2022-09-30"),
    ("IV кв. 2021", "-", "period", "2021-10-01", "2021-12-31"),
    ("2-й квартал 2022 г.", "-", "period", "2022-04-01", "2022-06-30"),
    ("первый квартал 2022 года", "-", "period", "2022-01-01", "2022-03-31"),
    ("I-II кв.", "P2022", "period", "2022-01-01", "2022-06-30"),
    ("III-IV квартал 2021 года", "-", "period", "2021-07-01", "2021-12-31"),
    ("2 полугодие 2022 года", "-", "period", "2022-07-01", "2022-12-31"),
    ("в I полугодии", "P2022", "period", "2022-01-01", "2022-06-30"),
    ("первое полугодие", "Y2021", "period", "2021-01-01", "2021-06-30"),
    ("в течение I полугодия 2022 г.", "-", "period", "2022-01-01", "2022-06-30"),
    # several checkpoints
    ("15.03.2022, 15.06.2022", "-", "dates", "2022-03-15", "2022-06-15"),
    ("до 15.03.2022, до 15.06.2022", "-", "dates", "2022-03-15", "2022-06-15"),
    ("13.06.2022\n 20.06.2022", "-", "dates", "2022-06-13", "2022-06-20"),
    ("март, май 2022", "-", "dates", "2022-03-01", "2022-05-31"),
    ("II квартал, IV квартал 2022", "-", "dates", "2022-04-01", "2022-12-31"),
    ("январь–февраль 2022 г., сентябрь 2022 г.", "-", "dates", "2022-01-01", "2022-09-30"),
    ("10 и 20 мая 2022", "-", "dates", "2022-05-10", "2022-05-20"),
    ("Ноябрь, март", "A2021", "dates", "2021-11-01", "2022-03-31"),
    # after
    ("с 01.09.2021", "-", "after", "2021-09-01", None),
    ("Начиная с сентября 2021", "-", "after", "2021-09-01", None),
    ("не ранее 01.03.2022", "-", "after", "2022-03-01", None),
    ("в течение 10 дней после 01.03.2022", "-", "after", "2022-03-01", None),
    # ongoing
    ("постоянно", "P2022", "ongoing", "2022-01-01", "2022-12-31"),
    ("в течение 2022 года", "P2021", "ongoing", "2022-01-01", "2022-12-31"),
    ("в течение года (по мере необходимости)", "P2022", "ongoing", "2022-01-01", "2022-12-31"),
    ("В течение года по отдельному плану", "P2022", "ongoing", "2022-01-01", "2022-12-31"),
    ("в течение 2021-2022 гг.", "-", "ongoing", "2021-01-01", "2022-12-31"),
    ("в течение учебного года", "A2021", "ongoing", "2021-09-01", "2022-08-31"),
    ("в течение года", "Y2021", "ongoing", "2021-01-01", "2021-12-31"),
    ("в течение года", "-", "ongoing", None, None),
    ("Постоянно, с 01.09.2021", "P2021", "ongoing", "2021-09-01", "2021-12-31"),
    ("в течение 2021 года, по отдельному графику", "-", "ongoing", "2021-01-01", "2021-12-31"),
    # as needed
    ("по отдельному плану", "P2022", "as_needed", None, None),
    ("по заявкам", "P2022", "as_needed", None, None),
    ("По мере поступления", "P2022", "as_needed", None, None),
    ("По итогам мониторинга", "P2022", "as_needed", None, None),
    ("по мере необходимости в 2022 году", "P2021", "as_needed", "2022-01-01", "2022-12-31"),
    # unspecified
    ("—", "P2022", "unspecified", None, None),
    ("  \n ", "P2022", "unspecified", None, None),
    ("какой-то текст", "P2022", "unspecified", None, None),
    ("31.02.2022", "P2022", "unspecified", None, None),
]

# (cell, context, recurrence, start, end)
RECURRING_CELLS = [
    ("1 раз в квартал", "P2022", "quarterly", "2022-01-01", "2022-12-31"),
    ("ежеквартально", "P2022", "quarterly", "2022-01-01", "2022-12-31"),
    ("еженедельно", "P2022", "weekly", "2022-01-01", "2022-12-31"),
    ("каждый четверг", "P2022", "weekly", "2022-01-01", "2022-12-31"),
    ("по четвергам", "P2022", "weekly", "2022-01-01", "2022-12-31"),
    ("Раз в неделю", "P2022", "weekly", "2022-01-01", "2022-12-31"),
    ("ежемесячно", "P2022", "monthly", "2022-01-01", "2022-12-31"),
    ("1 раз в месяц", "P2022", "monthly", "2022-01-01", "2022-12-31"),
    ("не реже 1 раза в месяц", "P2022", "monthly", "2022-01-01", "2022-12-31"),
    ("2 раза в месяц", "P2022", "monthly", "2022-01-01", "2022-12-31"),
    ("до 25 числа каждого месяца", "P2022", "monthly", "2022-01-01", "2022-12-31"),
    ("ежемесячно, до 5 числа", "P2022", "monthly", "2022-01-01", "2022-12-31"),
    ("Март – декабрь 2021 года, ежемесячно", "P2022", "monthly", "2021-03-01", "2021-12-31"),
    ("ежемесячно в течение 2022 года", "-", "monthly", "2022-01-01", "2022-12-31"),
    ("1 раз в полугодие", "P2022", "semiannual", "2022-01-01", "2022-12-31"),
    ("ежегодно", "P2022", "yearly", "2022-01-01", "2022-12-31"),
    ("Ежегодно, до 1 сентября", "P2022", "yearly", "2022-01-01", "2022-09-01"),
    ("ежедневно", "P2022", "daily", "2022-01-01", "2022-12-31"),
    ("1 раз в квартал (март, июнь, сентябрь, декабрь)", "P2022", "quarterly", "2022-03-01", "2022-12-31"),
    ("еженедельно", "-", "weekly", None, None),
]

# (cell, context, dates) for kind "dates": day items give their dates, month/quarter items
# their last day (a checkpoint is due by the end of the named span).
DATES_LISTS = [
    ("01.03.2022 17.06.2022 16.09.2022 17.10.2022", "P2022",
     ["2022-03-01", "2022-06-17", "2022-09-16", "2022-10-17"]),
    ("Ноябрь 2020 Май-июнь 2021", "P2020-2021", ["2020-11-30", "2021-06-30"]),
    ("Декабрь 2020 Апрель 2021 Август 2021", "P2020-2021", ["2020-12-31", "2021-04-30", "2021-08-31"]),
    ("Март 2021 Апрель 2021", "P2021", ["2021-03-31", "2021-04-30"]),
    ("01.03. 17.06.2022", "-", ["2022-03-01", "2022-06-17"]),
    ("10 и 20 мая 2022", "-", ["2022-05-10", "2022-05-20"]),
    ("II квартал, IV квартал 2022", "-", ["2022-06-30", "2022-12-31"]),
]

ALL_CELLS = (
    [c[0] for c in SEED_CELLS] + [c[0] for c in UNSEEN_CELLS]
    + [c[0] for c in RECURRING_CELLS] + [c[0] for c in DATES_LISTS]
)


@pytest.mark.parametrize("cell,ctx,kind,start,end", SEED_CELLS + UNSEEN_CELLS)
def test_schedule_kind_and_bounds(cell, ctx, kind, start, end):
    s = _schedule(cell, ctx)
    assert (s.kind, s.start, s.end) == (kind, _d(start), _d(end))
    if kind != "dates":
        assert s.dates == []
    if kind != "recurring":
        assert s.recurrence is None


@pytest.mark.parametrize("cell,ctx,recurrence,start,end", RECURRING_CELLS)
def test_recurring(cell, ctx, recurrence, start, end):
    s = _schedule(cell, ctx)
    assert (s.kind, s.recurrence, s.start, s.end) == ("recurring", recurrence, _d(start), _d(end))


@pytest.mark.parametrize("cell,ctx,dates", DATES_LISTS)
def test_dates_lists(cell, ctx, dates):
    s = _schedule(cell, ctx)
    assert s.kind == "dates"
    assert s.dates == [_d(x) for x in dates]
    assert (s.start, s.end) != (None, None) and s.end == max(s.dates)


@pytest.mark.parametrize("cell", ALL_CELLS)
def test_raw_is_whitespace_folded(cell):
    assert _schedule(cell, "P2022").raw == " ".join(cell.split())


@pytest.mark.parametrize("cell", ALL_CELLS)
@pytest.mark.parametrize("ctx", ["P2019", "Y2019", "-", "A2019"])
def test_bounds_ordered_and_no_year_from_the_clock(cell, ctx):
    """start <= end, and every year comes from the cell or the plan/act year — never today."""
    s = _schedule(cell, ctx)
    if s.start and s.end:
        assert s.start <= s.end
    unwrapped = re.sub(r"(?<=\d)\n(?=\d)", "", cell)
    printed = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", unwrapped)}
    printed |= {2000 + int(y) for y in re.findall(r"\.(\d\d)(?![\d.])", unwrapped)}
    plan, default_year = _ctx(ctx)
    context = set()
    if plan:
        context = set(range(plan.start.year - 1, plan.end.year + 2))
    elif default_year:
        context = {default_year - 1, default_year, default_year + 1}
    allowed = printed | {y + k for y in printed for k in (-1, 1)} | context
    for d in [s.start, s.end, *s.dates]:
        if d is not None:
            assert d.year in allowed, (cell, ctx, d)


@pytest.mark.parametrize("cell", [
    "Февраль-март", "после 29.04", "1 февраля", "III квартал", "Сентябрь - декабрь", "к 1 сентября",
])
def test_unknown_year_leaves_bounds_null(cell):
    s = _schedule(cell, "-")
    assert s.kind != "unspecified"
    assert (s.start, s.end, s.dates) == (None, None, [])


@pytest.mark.parametrize("text,default_year,expected", [
    ("30.12.2021", None, "2021-12-30"),
    ("30.12.21", None, "2021-12-30"),
    ("22. 03. 2021", None, "2021-03-22"),
    ("01.09.2021г.", None, "2021-09-01"),
    ("30 декабря 2021 г.", None, "2021-12-30"),
    ("9 августа 2021", None, "2021-08-09"),
    ("«09» 08.2021", None, "2021-08-09"),
    ("«09» августа 2021 г.", None, "2021-08-09"),
    ("1 февраля", 2022, "2022-02-01"),
    ("1 февраля", None, None),
    ("07.02.", 2022, "2022-02-07"),
    ("07.02.", None, None),
    ("О1.02.2022", None, "2022-02-01"),
    ("15 мая 2022 года", None, "2022-05-15"),
    ("31.02.2022", None, None),
    ("не дата", 2022, None),
])
def test_parse_date(text, default_year, expected):
    assert parse_date(text, default_year) == _d(expected)


@pytest.mark.parametrize("word,number", [
    ("Январь", 1), ("февраля", 2), ("марте", 3), ("апр.", 4), ("мая", 5), ("май", 5), ("июнь", 6),
    ("июля", 7), ("августа", 8), ("сент.", 9), ("Октябрь", 10), ("ноября", 11), ("ДЕКАБРЬ", 12),
    ("понедельник", None),
])
def test_month_number(word, number):
    assert month_number(word) == number


def test_speed_thousands_of_cells_per_second():
    plan, _ = _ctx("P2022")
    cells = ALL_CELLS * 10
    t = time.perf_counter()
    for c in cells:
        parse_schedule(c, plan, 2022)
    rate = len(cells) / (time.perf_counter() - t)
    assert rate > 2000, f"{rate:.0f} cells/s"


def test_import_is_light():
    """`roadmap extract` start-up: importing the normalizer must not pull dateparser in."""
    code = "import sys, normalizers.dates; print('dateparser' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
