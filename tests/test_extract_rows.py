"""pipeline.extract on a built RawDocument: start/end date columns read as one schedule."""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.raw import RawDocument, RawParagraph, RawTable
from pipeline.extract import build_document

HEADER = ["№", "Мероприятие", "Срок начала", "Срок окончания", "Ответственный"]


def _document(start: str, end: str) -> RawDocument:
    rows = [HEADER, ["1.", "Анкетирование школ", start, end, "Институт"],
            ["2.", "Семинар для кураторов", "март", "апрель", "Институт"]]
    raw = RawDocument(path="x.docx", sha256="0" * 64, format="docx", pages=None)
    raw.blocks = [RawParagraph(text="ПРИКАЗ"), RawParagraph(text="от 01.02.2022 № 5"),
                  RawParagraph(text="Об утверждении дорожной карты на 2022 год"),
                  RawTable(rows=rows, row_pages=[None] * len(rows))]
    return raw


D = dt.date


@pytest.mark.parametrize("start, end, raw, kind, first, last", [
    ("01.02.2022", "15.02.2022", "01.02.2022 – 15.02.2022", "period", D(2022, 2, 1), D(2022, 2, 15)),
    ("февраль", "март", "февраль – март", "period", D(2022, 2, 1), D(2022, 3, 31)),
    ("-", "31.03.2022", "31.03.2022", "deadline", None, D(2022, 3, 31)),   # only the end: done by then
    ("", "20.12.2022", "20.12.2022", "deadline", None, D(2022, 12, 20)),
    ("01.02.2022", "-", "01.02.2022", "date", D(2022, 2, 1), D(2022, 2, 1)),
    ("01.02.2022", "01.02.2022", "01.02.2022", "date", D(2022, 2, 1), D(2022, 2, 1)),
    ("-", "март", "март", "period", D(2022, 3, 1), D(2022, 3, 31)),
])
def test_start_and_end_columns(start, end, raw, kind, first, last):
    act = build_document(_document(start, end)).activities[0]
    assert (act.schedule.raw, act.schedule.kind, act.schedule.start, act.schedule.end) == (raw, kind, first, last)


def test_co_executors_follow_the_lead_executors():
    rows = [["№", "Мероприятие", "Срок", "Ответственный", "Соисполнители"],
            ["1.", "Анкетирование школ", "до 01.02.2022", "начальник отдела общего образования",
             "ГБУ «Центр оценки качества образования», руководители ОО"]]
    raw = RawDocument(path="x.docx", sha256="0" * 64, format="docx", pages=None)
    raw.blocks = [RawParagraph(text="ПРИКАЗ"), RawParagraph(text="от 01.02.2022 № 5"),
                  RawTable(rows=rows, row_pages=[None] * len(rows))]
    names = [p.name for p in build_document(raw).activities[0].responsible]
    assert names == ["Начальник отдела общего образования", "ГБУ «Центр оценки качества образования»",
                     "Руководители образовательных организаций"]


@pytest.mark.parametrize("label, cell, unit", [
    ("Целевой показатель, %", "100", "%"),
    ("Целевой показатель, %", "не менее 75", "%"),
    ("Целевой показатель, %", "–", None),
    ("Показатель", "100", None),
    ("Показатель", "не менее 2 семинаров", "шт"),
])
def test_indicator_unit_from_the_header(label, cell, unit):
    rows = [["№", "Мероприятие", "Срок", "Ответственный", label],
            ["1.", "Анкетирование школ", "до 01.02.2022", "Институт", cell]]
    raw = RawDocument(path="x.docx", sha256="0" * 64, format="docx", pages=None)
    raw.blocks = [RawParagraph(text="ПРИКАЗ"), RawTable(rows=rows, row_pages=[None] * len(rows))]
    indicators = build_document(raw).activities[0].indicators
    assert (indicators[0].unit if indicators else None) == unit


def _two_part_plan(second_caption: str) -> RawDocument:
    header = ["Мероприятие", "Срок", "Ответственный"]
    first = [header, ["Анкетирование школ", "февраль-март", "Институт"], ["Семинар", "до 25 декабря", "Институт"]]
    second = [header, ["Корректировка программ", "январь-февраль", "Институт"], ["Конференция", "октябрь", "Институт"]]
    raw = RawDocument(path="x.docx", sha256="0" * 64, format="docx", pages=None)
    raw.blocks = [RawParagraph(text="ПРИКАЗ"), RawParagraph(text="от 24.01.2022 № 5"),
                  RawParagraph(text="Об утверждении плана мероприятий на 2022–2023 годы"),
                  RawParagraph(text="1. Утвердить:"),
                  RawParagraph(text="1.1. План мероприятий на 2022 год (приложение 1);"),
                  RawParagraph(text="1.2. План мероприятий на 2023 год (приложение 2)."),
                  RawParagraph(text="2. Назначить координатором проекта методиста."),
                  RawParagraph(text="Приложение 1"), RawParagraph(text="План мероприятий на 2022 год"),
                  RawTable(rows=first, row_pages=[None] * len(first)),
                  RawParagraph(text="Приложение 2"), RawParagraph(text=second_caption),
                  RawTable(rows=second, row_pages=[None] * len(second))]
    return raw


@pytest.mark.parametrize("caption, second_year", [
    ("План мероприятий на 2023 год", 2023),          # the caption names its part of the plan
    ("План мероприятий", 2022),                       # none named: the plan's own years
    ("План мероприятий на 2025 год", 2022),           # outside the plan: not trusted
])
def test_a_table_captioned_with_a_part_of_the_plan_dates_its_rows_in_it(caption, second_year):
    doc = build_document(_two_part_plan(caption))
    assert (doc.period.start, doc.period.end) == (D(2022, 1, 1), D(2023, 12, 31))
    ends = [a.schedule.end for a in doc.activities]
    assert ends == [D(2022, 3, 31), D(2022, 12, 25), D(second_year, 2, 28), D(second_year, 10, 31)]


@pytest.mark.parametrize("letterhead", [
    # a bilingual letterhead table: the Russian and the national column side by side
    [["МИНИСТЕРСТВО\nОБРАЗОВАНИЯ И НАУКИ\nРЕСПУБЛИКИ АДЫГЕЯ", "АДЫГЭ РЕСПУБЛИКЭМ\nГЪЭСЭНЫГЪЭМРЭ ШIЭНЫГЪЭМРЭКIЭ\nИ МИНИСТЕРСТВ"],
     ["ПРИКАЗ", "УНАШЪ"]],
    # … as a PDF's table finder draws it, the act's date and number in a row below
    [["", "МИНИСТЕРСТВО\nОБРАЗОВАНИЯ И НАУКИ\nРЕСПУБЛИКИ АДЫГЕЯ\nПРИКАЗ", "АДЫГЭ РЕСПУБЛИКЭМ\nИ МИНИСТЕРСТВ\nУНАШЪ"],
     ["от 21.01.2022", "", "№ 185"]],
])
def test_a_letterhead_table_is_read_cell_by_cell_and_is_no_roadmap(letterhead):
    """Cells side by side are columns, not one line (`ПРИКАЗ УНАШЪ` hid the act type); a
    header-less table whose dates and texts stand on different rows is no roadmap."""
    rows = [["№", "Мероприятие", "Срок", "Ответственный"], ["1.", "Совещание", "до 01.03.2022", "Министерство"],
            ["2.", "Семинар", "апрель 2022 г.", "Министерство"]]
    raw = RawDocument(path="x.docx", sha256="0" * 64, format="docx", pages=None)
    raw.blocks = [RawTable(rows=letterhead, row_pages=[1] * len(letterhead)), RawParagraph(text="от 21.01.2022 № 185"),
                  RawParagraph(text="Об утверждении дорожной карты на 2022 год"),
                  RawTable(rows=rows, row_pages=[1] * len(rows))]
    doc = build_document(raw)
    assert [a.text for a in doc.activities] == ["Совещание", "Семинар"]
    assert (doc.issuer, doc.doc_type, doc.number) == ("Министерство образования и науки Республики Адыгея", "приказ", "185")
    assert doc.title == "Об утверждении дорожной карты на 2022 год" and doc.region.code == "RU-AD"


def _plan(rows: list, title: str):
    """An order of act type, date and number, `title`, and the roadmap table `rows`, built."""
    raw = RawDocument(path="x.docx", sha256="0" * 64, format="docx", pages=None)
    raw.blocks = [RawParagraph(text="ПРИКАЗ"), RawParagraph(text="от 01.02.2022 № 5"), RawParagraph(text=title),
                  RawTable(rows=rows, row_pages=[1] * len(rows))]
    return build_document(raw)


def test_a_part_without_its_number_takes_the_section_rows():
    rows = [["№", "Мероприятие", "Срок", "Ответственный"], ["II квартал 2022 года", None, None, None],
            ["1.", "Выезды кураторов", "в течение квартала", "Кураторы"], ["2.", "Отчет", "ежеквартально", "ИРО"]]
    first, second = _plan(rows, "Об утверждении дорожной карты на 2022 год").activities
    assert (first.schedule.kind, first.schedule.start, first.schedule.end) == (
        "period", dt.date(2022, 4, 1), dt.date(2022, 6, 30))
    assert first.schedule.raw == "в течение квартала" and second.schedule.kind == "recurring"


@pytest.mark.parametrize("section, year", [
    ("II. Второй год реализации проекта (2023 год)", 2023),
    ("Мероприятия 2023 г.", 2023),
    ("I. Первый год (2022 год)", 2022),
    ("III. В течение всего периода (2022–2023 годы)", 2022),   # both years: the plan's reading
    ("Методическое сопровождение", 2022),
])
def test_a_section_naming_one_year_of_the_plan_dates_its_rows(section, year):
    rows = [["№", "Мероприятие", "Срок", "Ответственный"], [section, None, None, None],
            ["1.", "Корректировка программ", "январь – февраль", "Кураторы"], ["2.", "Отчет", "до 01.05", "ИРО"]]
    first, second = _plan(rows, "Об утверждении дорожной карты на 2022–2023 годы").activities
    assert (first.schedule.start, first.schedule.end) == (dt.date(year, 1, 1), dt.date(year, 2, 28))
    assert second.schedule.end == dt.date(year, 5, 1)


@pytest.mark.parametrize("own_label, federal_label", [
    ("Срок исполнения в Воронежской области", "Срок по федеральному графику"),
    ("Срок исполнения", "Срок федерального проекта"),
    ("Сроки реализации", "Федеральный срок"),
    ("Срок (региональный проект)", "Срок (федеральный проект)"),
])
@pytest.mark.parametrize("own, federal, kind, start, end", [
    ("не позднее 31 января 2022 г.", "до 17.01.2022", "deadline", None, dt.date(2022, 1, 31)),
    ("10.02.2022", "07.02.–14.02.2022", "date", dt.date(2022, 2, 10), dt.date(2022, 2, 10)),
    ("–", "07.02.–14.02.2022", "period", dt.date(2022, 2, 7), dt.date(2022, 2, 14)),   # none of its own
    ("", "до 14.03.2022", "deadline", None, dt.date(2022, 3, 14)),
    ("в течение I квартала 2022 г.", "–", "period", dt.date(2022, 1, 1), dt.date(2022, 3, 31)),
])
def test_the_regions_own_date_column_beside_a_federal_one(own_label, federal_label, own, federal, kind, start, end):
    """A date column beside a federal one is the region's own, whether or not its label says
    `региональный`: the schedule is its cell, else the federal cell; the federal schedule is
    always the federal cell."""
    rows = [["№", "Мероприятие", "Исполнители", own_label, federal_label],
            ["1.", "Анкетирование школ", "ИРО", own, federal]]
    act = _plan(rows, "Об утверждении дорожной карты на 2022 год").activities[0]
    assert (act.schedule.kind, act.schedule.start, act.schedule.end) == (kind, start, end)
    assert act.federal_schedule is not None and act.federal_schedule.raw == federal.strip()
