"""Page stitching: repeated headers dropped, a row cut by a page break rejoined."""
import pytest

from extractors.raw import RawParagraph, RawTable
from extractors.stitch import merge_continuation_lines, stitch_page_tables

HEADER = ["№", "Мероприятие", "Сроки", "Исполнители"]


def _page(number, *blocks):
    return [RawTable(rows=b, row_pages=[number] * len(b)) if isinstance(b, list) else b for b in blocks]


def test_table_over_two_pages_becomes_one_with_cut_row_rejoined():
    page1 = _page(1, [HEADER, ["1.", "Назначение координатора", "25.11.2021", "Департамент"],
                      ["2.", "Проведение мониторинга контекстных", "до 20.12.2021", "Центр"]])
    page2 = _page(2, RawParagraph("2"), [HEADER, [None, "данных по школам", None, None],
                                         ["3.", "Назначение кураторов", "до 07.02.2022", "Координатор"]])
    blocks = stitch_page_tables([page1, page2])
    assert len(blocks) == 1
    table = blocks[0]
    assert table.rows[2] == ["2.", "Проведение мониторинга контекстных\nданных по школам", "до 20.12.2021", "Центр"]
    assert [r[0] for r in table.rows] == ["№", "1.", "2.", "3."]
    assert table.row_pages == [1, 1, 1, 2]


def test_row_starting_a_page_with_its_number_is_not_merged():
    page1 = _page(1, [HEADER, ["1.", "A", "до 01.02.2022", "X"], ["2.", "B", "до 02.02.2022", "Y"]])
    page2 = _page(2, [["3.", "C", "до 03.02.2022", "Z"]])
    table = stitch_page_tables([page1, page2])[0]
    assert [r[0] for r in table.rows] == ["№", "1.", "2.", "3."]


def test_tables_with_other_widths_stay_apart():
    page1 = _page(1, [["a", "b", "c"], ["1", "2", "3"]])
    page2 = _page(2, [HEADER, ["1.", "A", "до 01.02.2022", "X"]])
    assert len(stitch_page_tables([page1, page2])) == 2


def test_paragraph_between_tables_stops_stitching():
    page1 = _page(1, [HEADER, ["1.", "A", "до 01.02.2022", "X"], ["2.", "B", "до 01.02.2022", "X"]])
    page2 = _page(2, RawParagraph("ПЛАН МЕРОПРИЯТИЙ второй таблицы"), [HEADER, ["1.", "C", "март", "Y"]])
    assert len([b for b in stitch_page_tables([page1, page2]) if isinstance(b, RawTable)]) == 2


def test_borderless_line_rows_fold_into_table_rows():
    rows = [
        ["№", "Задачи", "Сроки", "Исполнители"],
        ["1.", "Начало реализации", "25.11.2021", "Региональный"],
        [None, "проекта", None, "координатор"],
        ["2.", "Проведение", "до 20.12.2021", "Центр оценки"],
        [None, "мониторинга", None, "качества"],
    ]
    merged = merge_continuation_lines(rows)
    assert merged[1] == ["1.", "Начало реализации\nпроекта", "25.11.2021", "Региональный\nкоординатор"]
    assert len(merged) == 3


def test_cut_row_without_number_column_rejoined_when_text_continues_lower_case():
    header = ["Мероприятие", "Срок исполнения", "Ожидаемый результат", "Ответственные"]
    page1 = _page(1, [header, ["Анализ концепций", "до 30.04.2021", "Проекты", "ЦУ"],
                      ["Выделение кадровых", "до", "Для 100 %", "РЦ"]])
    page2 = _page(2, [header, ["ресурсов для сопровождения", "20.03.2021", "определены наставники", None],
                      ["Проведение вебинаров", "в течение проекта", "100%", "ЦУ"]])
    table = stitch_page_tables([page1, page2])[0]
    assert table.rows[2] == ["Выделение кадровых\nресурсов для сопровождения", "до\n20.03.2021",
                             "Для 100 %\nопределены наставники", "РЦ"]
    assert len(table.rows) == 4


@pytest.mark.parametrize("date_cell, text_cell, joined", [
    ("ноябрь – декабрь 2022 г.", "Анализ результатов реализации проекта", False),   # a new row
    ("в течение года", "Посещение уроков кураторами", False),
    ("декабрь", "и размещение в ИС МЭДК", True),                                   # the cut row goes on
    ("", "и размещение в ИС МЭДК", True),
])
def test_a_date_column_first_in_lower_case_leaves_the_text_to_decide(date_cell, text_cell, joined):
    """`Срок | Мероприятие | …` with no № column: a new page's first row opening with a
    lower-case date is a new row when its activity text opens with a capital."""
    header = ["Срок", "Мероприятие", "Ответственные", "Планируемый результат"]
    page1 = _page(1, [header, ["до 11.02.2022", "Формирование муниципальной команды проекта", "Управление", "приказ"],
                      ["44-я неделя (31.10–03.11.2022)", "Второй этап мониторинга позитивных изменений",
                       "координатор", "100 % ОО"]])
    page2 = _page(2, [header, [date_cell, text_cell, "ЦРО", "справка"]])
    table = stitch_page_tables([page1, page2])[0]
    assert len(table.rows) == (3 if joined else 4)


def test_roman_section_line_starts_a_new_row():
    rows = [
        ["№", "Наименование", "Сроки", "Исполнители"],
        ["1", "Назначение", "янв. 2022", "Управление"],
        [None, "координатора", None, None],
        [None, "II. Методическое сопровождение", None, None],
        ["2", "Семинар", "II квартал 2022", "ИМЦ"],
    ]
    merged = merge_continuation_lines(rows)
    assert [r[1] for r in merged] == ["Наименование", "Назначение\nкоординатора", "II. Методическое сопровождение", "Семинар"]


def test_line_rows_without_number_column_start_at_a_capitalized_activity():
    """`Мероприятие | Срок | Ответственный`: the date column wraps too (`17 февраля` / `2022 г.`),
    so a row starts only where the activity text starts with a capitalized word or a number."""
    rows = [
        ["Совещание с руководителями", "17 февраля", "Гасанов Р.М.,"],
        ["ОО – участников проекта «О", "2022 г.", "заместитель главы"],
        ["задачах проекта»", "", "администрации"],
        ["Анкетирование руководителей,", "по графику", "руководители ОО"],
        ["учителей на платформе ФИОКО", "ФИОКО", ""],
        ["Раздел 2. Методическое сопровождение школ", None, None],
        ["Консультирование команд ОО", "постоянно", "РМК"],
        ["программ", "", "кураторы"],
        ["5 заседаний РМО", "1 раз в квартал", "РМК"],
    ]
    merged = merge_continuation_lines(rows)
    assert [r[0] for r in merged] == [
        "Совещание с руководителями\nОО – участников проекта «О\nзадачах проекта»",
        "Анкетирование руководителей,\nучителей на платформе ФИОКО",
        "Раздел 2. Методическое сопровождение школ",
        "Консультирование команд ОО\nпрограмм",
        "5 заседаний РМО",
    ]
    assert merged[0][1] == "17 февраля\n2022 г."
    assert merged[2][1:] == [None, None]


MERGED_HEADER = ["Направление", "№", "Мероприятие", "Срок", "Ответственные"]


@pytest.mark.parametrize("lower_first_cells, upper_direction, lower_direction, rows", [
    # a merged direction cell cut by the page: its last word goes back up, row 11 stays a row
    (["результатов", "11"], "Мониторинг и\nоценка\nрезультатов", None, 9),
    (["результатов", "11."], "Мониторинг и\nоценка\nрезультатов", None, 9),
    (["результатов", "2.4"], "Мониторинг и\nоценка\nрезультатов", None, 9),
    # a capitalized first cell is a direction of its own
    (["Оценка", "11"], "Мониторинг и\nоценка", "Оценка", 9),
    # no number below: the row was cut, and joins as a whole
    (["результатов", None], "Мониторинг и\nоценка\nрезультатов", None, 8),
])
def test_a_merged_cell_cut_by_the_page_rejoins_its_first_part(lower_first_cells, upper_direction,
                                                              lower_direction, rows):
    direction, number = lower_first_cells
    numbers = ["2.1", "2.2", "2.3"] if number == "2.4" else ["8", "9", "10"]
    page1 = _page(1, [MERGED_HEADER,
                      ["Организационные меры", "5", "Совещание", "январь", "Комитет"],
                      [None, "6", "Корректировка программ", "до 30 сентября", "руководители МАОУ"],
                      [None, "7", "Курсы", "по графику", "ИРО"],
                      ["Методическое сопровождение", numbers[0], "Семинар", "март", "ГМЦ"],
                      [None, numbers[1], "Стажировки", "апрель", "ГМЦ"],
                      ["Мониторинг и\nоценка", numbers[2], "Мониторинг программ", "декабрь, май", "ГМЦ,\nкураторы"]])
    lower_text = "Анализ результатов ВПР" if number else "антирисковых мер"
    page2 = _page(2, [MERGED_HEADER, [direction, number, lower_text, "IV квартал" if number else None,
                                      "ГМЦ" if number else None],
                      [None, "12", "Консультации", "по запросу", "ТПИ"]])
    table = stitch_page_tables([page1, page2])[0]
    assert len(table.rows) == rows  # the header, six rows of the first page, one or two of the next
    assert table.rows[6][0] == upper_direction
    if number:
        assert table.rows[7][0] == lower_direction and table.rows[7][1] == number


def test_text_cells_of_a_new_row_stay_in_it_even_in_lower_case():
    """Only a mostly merged-away column gives words back: a result cell of row 11 that starts
    in lower case (`аналитическая справка`) is row 11's."""
    page1 = _page(1, [HEADER + ["Результат"], ["1", "A", "март", "ГМЦ", "аналитическая\nсправка"],
                      ["2", "B", "апрель", "ГМЦ", "протокол"]])
    page2 = _page(2, [["3", "C", "май", "ГМЦ", "аналитическая\nсправка"]])
    table = stitch_page_tables([page1, page2])[0]
    assert table.rows[2][4] == "протокол" and table.rows[3][4] == "аналитическая\nсправка"


@pytest.mark.parametrize("rows, cut", [
    ([["", "преодоления рисков учебной\nнеуспешности", "", "", ""]], True),
    ([[None, "неуспешности", None]], True),
    ([["", "", "кураторы", ""]], True),
    ([["3.1.", "Мониторинг", "до 29.04.2022", "МОУ"]], False),        # a whole row: a table as any
    ([["", "преодоления", "", ""], ["", "рисков", "", ""]], False),    # two rows: not one cut row
    ([["неуспешности"]], False),                                       # a one-column box (a frame)
    ([["", "", "", ""]], False),                                        # nothing in it
])
def test_the_rest_of_a_cut_row_is_one_ruled_row_with_one_filled_cell(rows, cut):
    from extractors.pdf import _cut_row_part

    assert _cut_row_part(rows) is cut
