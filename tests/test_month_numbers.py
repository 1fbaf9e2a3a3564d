"""Months given by number under a header that says they are months."""
import pytest

from normalizers.dates import parse_schedule
from normalizers.month_numbers import months_by_number

LABEL = "Срок (месяц 2022 года)"


@pytest.mark.parametrize("cell, label, spelled", [
    ("01", LABEL, "январь 2022 г."),
    ("01–02", LABEL, "январь–февраль 2022 г."),
    ("04, 10", LABEL, "апрель, октябрь 2022 г."),
    ("03, 06, 09, 12", LABEL, "март, июнь, сентябрь, декабрь 2022 г."),
    ("05", LABEL, "май 2022 г."),
    ("9-10", "Срок (месяцы)", "сентябрь-октябрь"),
    ("11", "Мес. проведения", "ноябрь"),
    ("13", LABEL, "13"),                    # no month 13: left as printed
    ("15.02", LABEL, "15.02"),              # a date, not a month number
    ("01–02", "Срок исполнения", "01–02"),  # the header says nothing of months
    ("", LABEL, ""),
])
def test_months_by_number(cell, label, spelled):
    assert months_by_number(cell, label) == spelled


@pytest.mark.parametrize("cell, kind, start, end", [
    ("01", "period", "2022-01-01", "2022-01-31"),
    ("01–02", "period", "2022-01-01", "2022-02-28"),
    ("04, 10", "dates", "2022-04-01", "2022-10-31"),
    ("03, 06, 09, 12", "dates", "2022-03-01", "2022-12-31"),
    ("01–12", "period", "2022-01-01", "2022-12-31"),
])
def test_month_numbers_read_as_months(cell, kind, start, end):
    schedule = parse_schedule(months_by_number(cell, LABEL), default_year=2022)
    assert (schedule.kind, str(schedule.start), str(schedule.end)) == (kind, start, end)
