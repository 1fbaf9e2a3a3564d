"""A date cell counted from another row's event."""
from datetime import date

import pytest

from normalizers.event_dates import after_other_rows
from schema import Activity, RowSource, Schedule


def _activity(text: str, schedule: Schedule) -> Activity:
    return Activity(text=text, schedule=schedule, source=RowSource(table=1, row=1))


SEMINAR = _activity("Установочный семинар для кураторов «Старт проекта»",
                    Schedule(raw="21 сентября", kind="date", start=date(2021, 9, 21), end=date(2021, 9, 21)))


@pytest.mark.parametrize("cell, end", [
    ("в течение 10 дней после установочного семинара", date(2021, 10, 1)),
    ("не позднее 5 дней после установочного семинара", date(2021, 9, 26)),
    ("в течение 7 календарных дней после семинара", date(2021, 9, 28)),
    ("в течение 10 дней после итоговой конференции", None),   # no row names that event
    # weeks and months, and a count in words, as from the act's day
    ("в течение 2 недель после установочного семинара", date(2021, 10, 5)),
    ("не позднее двух недель после установочного семинара", date(2021, 10, 5)),
    ("в течение месяца после установочного семинара", date(2021, 10, 21)),
    ("в течение десяти дней после установочного семинара", date(2021, 10, 1)),
    ("в течение 2 рабочих недель после установочного семинара", None),  # working time: unknown
    ("в течение года", None),
])
def test_a_deadline_counted_from_another_rows_event(cell, end):
    later = _activity("Первичные выезды кураторов", Schedule(raw=cell, kind="ongoing"))
    result = after_other_rows([SEMINAR, later])[1]
    if end is None:
        assert result.schedule == later.schedule
    else:
        assert (result.schedule.kind, result.schedule.start, result.schedule.end) == ("deadline", None, end)


def test_an_event_with_no_single_day_leaves_the_cell_as_read():
    span = _activity("Установочный семинар", Schedule(raw="сентябрь", kind="period", start=date(2021, 9, 1),
                                                      end=date(2021, 9, 30)))
    later = _activity("Выезды", Schedule(raw="в течение 10 дней после установочного семинара", kind="ongoing"))
    assert after_other_rows([span, later])[1].schedule.kind == "ongoing"


def _numbered(seq: str, text: str, schedule: Schedule) -> Activity:
    return Activity(seq=seq, text=text, schedule=schedule, source=RowSource(table=1, row=1))


PLAN = [
    _numbered("1.", "Назначение кураторов ОО", Schedule(raw="до 22 октября", kind="deadline", end=date(2021, 10, 22))),
    _numbered("2.", "Анкетирование руководителей ОО", Schedule(raw="в течение ноября", kind="period",
                                                             start=date(2021, 11, 1), end=date(2021, 11, 30))),
    _numbered("3.", "Краевой установочный семинар для кураторов", Schedule(
        raw="18.11.2021", kind="date", start=date(2021, 11, 18), end=date(2021, 11, 18))),
    _numbered("3.1", "Совещание с руководителями МОУО", Schedule(
        raw="01.12.2021", kind="date", start=date(2021, 12, 1), end=date(2021, 12, 1))),
]


@pytest.mark.parametrize("cell, end", [
    # the row the cell points to by its number, whatever the event's words
    ("в течение 10 дней после проведения семинара (п. 3)", date(2021, 11, 28)),
    ("в течение 10 дней после проведения семинара (п.3)", date(2021, 11, 28)),
    ("в течение 10 дней после проведения семинара (см. п. 3)", date(2021, 11, 28)),
    ("не позднее 5 дней после совещания (пункт 3.1)", date(2021, 12, 6)),
    ("в течение 3 дней после мероприятия (№ 1)", date(2021, 10, 25)),
    ("в течение 10 дней после проведения семинара (п. 3).", date(2021, 11, 28)),
    ("в течение 2 недель после установочного совещания (п. 3)", date(2021, 12, 2)),
    # … a row of that number with no single day: read as the cell alone
    ("в течение 10 дней после анкетирования (п. 2)", None),
    # … no row of that number: the event's words find it, as without a number
    ("в течение 10 дней после совещания (п. 7)", date(2021, 12, 11)),
    ("в течение 10 дней после конференции (п. 7)", None),
    # `проведения` names no event: the seminar is found by its own word
    ("в течение 10 дней после проведения установочного семинара", date(2021, 11, 28)),
    ("в течение 10 дней после проведения", None),
])
def test_a_deadline_counted_from_a_row_named_by_its_number(cell, end):
    later = _numbered("4.", "Самодиагностика ОО", Schedule(raw=cell, kind="as_needed"))
    result = after_other_rows([*PLAN, later])[-1]
    if end is None:
        assert result.schedule == later.schedule
    else:
        assert (result.schedule.kind, result.schedule.start, result.schedule.end) == ("deadline", None, end)
