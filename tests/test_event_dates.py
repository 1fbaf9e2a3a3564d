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
