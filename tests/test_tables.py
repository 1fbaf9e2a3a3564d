"""Table recognition: header vocabulary, two-level headers, sections, content fallback."""
import pytest

from extractors.raw import RawParagraph, RawTable
from normalizers.tables import find_roadmap_rows, header_role, map_header


@pytest.mark.parametrize(
    "label, role",
    [
        ("№ п/п", "seq"),
        ("№", "seq"),
        ("N п/п", "seq"),
        ("п/п", "seq"),
        ("Мероприятие", "text"),
        ("Мероприятия", "text"),
        ("Наименование мероприятия", "text"),
        ("Задачи", "text"),
        ("Описание действий", "text"),
        ("Содержание работы", "text"),
        ("Срок", "date"),
        ("Сроки", "date"),
        ("Дата", "date"),
        ("Сроки реализации", "date"),
        ("Срок исполнения", "date"),
        ("Срок выполнения", "date"),
        ("Период проведения", "date"),
        ("Доля ОО, охваченных мероприятием, %", "indicator"),   # a measure and its unit, not the activity
        ("Количество участников, чел.", "indicator"),
        ("Число педагогов", "indicator"),
        ("Ответственный", "responsible"),
        ("Ответственные", "responsible"),
        ("Исполнители", "responsible"),
        ("Ответственный исполнитель", "responsible"),
        ("Показатель", "indicator"),
        ("Показатель реализации", "indicator"),
        ("Ожидаемый результат", "indicator"),
        ("Целевой индикатор", "indicator"),
        ("Планируемый результат", "indicator"),
        ("Планируемые результаты", "indicator"),
        ("Индикатор", "indicator"),
        ("Ожидаемые результаты", "indicator"),
        ("Итоговый документ", "result"),
        ("Результат", "result"),
        ("Форма отчетности", "result"),
        ("Форма и срок представления отчетности", "result"),  # the report's form first: not the schedule
        ("Форма и сроки представления отчётности", "result"),
        ("Формы отчетности", "result"),
        ("Форма представления результатов", "result"),
        ("Срок представления отчетности", "date"),  # a deadline column, though it names the report
        ("Срок и форма отчетности", "date"),
        ("Информационное сопровождение проекта", None),
        ("", None),
    ],
)
def test_header_role(label, role):
    assert header_role(label) == role


def test_two_level_header_maps_federal_and_regional_dates():
    rows = [
        ["Мероприятие", "Дата", None, "Показатель", "Ответственный"],
        [None, "федеральный проект", "региональный проект", None, None],
        ["Анкетирование", "до 04.02.2022", "до 01.02.2022", "(100%)", "ДОН ТО"],
    ]
    mapping = map_header(rows)
    assert mapping.header_rows == 2
    assert mapping.index == {
        "text": 0, "federal_date": 1, "regional_date": 2, "indicator": 3, "responsible": 4,
    }


@pytest.mark.parametrize("top, sub, expected", [
    # a merged parent over two columns: each sub-label names its own column
    (["№ п/п", "Мероприятие", "Срок", "Исполнители", "Ожидаемые результаты", None],
     [None, None, None, None, "Индикатор", "Форма отчетности"],
     {"seq": 0, "text": 1, "date": 2, "responsible": 3, "indicator": 4, "result": 5}),
    (["Мероприятие", "Результат", None, "Ответственный"],
     [None, "Показатель", "Итоговый документ", None],
     {"text": 0, "indicator": 1, "result": 2, "responsible": 3}),
    # date sub-labels have no role of their own: they qualify the parent
    (["Мероприятие", "Срок", None, "Ответственный"],
     [None, "начало", "окончание", None],
     {"text": 0, "date_start": 1, "date_end": 2, "responsible": 3}),
])
@pytest.mark.parametrize("numbering", [False, True])
def test_two_level_header_sub_labels_and_column_numbers(top, sub, expected, numbering):
    rows = [top, sub] + ([[str(i + 1) for i in range(len(top))]] if numbering else []) + [
        ["Анкетирование школ"] * len(top)]
    mapping = map_header(rows)
    assert mapping.header_rows == (3 if numbering else 2)
    assert mapping.index == expected


@pytest.mark.parametrize("row, numbering", [
    (["1", "2", "3", "4", "5"], True),
    (["1.", "2.", "3.", "4."], True),
    (["1", "2", "3", None, "4"], True),
    (["1", "2"], False),                               # too short to tell from a data row
    (["1", "Анкетирование", "до 01.02.2022", "ОО"], False),
    (["1", "3", "4", "5"], False),
    (["2022", "2023", "2024"], False),
])
def test_column_numbering_row(row, numbering):
    from normalizers.row_shapes import is_column_numbering

    assert is_column_numbering(row) is numbering


@pytest.mark.parametrize(
    "header, expected",
    [
        (["№ п/п", "Мероприятия", "Сроки", "Ответственный", "Итоговый документ"],
         {"seq": 0, "text": 1, "date": 2, "responsible": 3, "result": 4}),
        (["Мероприятие", "Срок исполнения", "Ожидаемый результат", "Ответственные"],
         {"text": 0, "date": 1, "indicator": 2, "responsible": 3}),
        (["Ответственный", "Срок", "Мероприятие"], {"responsible": 0, "date": 1, "text": 2}),
        (["Задачи", "Сроки реализации", "Исполнители", "Показатель реализации", "Информационное сопровождение"],
         {"text": 0, "date": 1, "responsible": 2, "indicator": 3}),
    ],
)
def test_single_header_any_column_order(header, expected):
    mapping = map_header([header, ["1"] * len(header)])
    assert mapping.header_rows == 1
    assert mapping.index == expected


def _table(rows):
    return RawTable(rows=rows, row_pages=[1] * len(rows))


def test_non_roadmap_table_without_dates_is_skipped():
    blocks = [
        _table([["ДО АГТ", "Полномочия, зоны ответственности", "Результат"], ["Отдел", "Разработка", "Акты"]]),
        _table([["№", "Мероприятие", "Сроки", "Исполнители"], ["1.1", "Анализ РПШ", "Март 2021", "Школы"]]),
    ]
    found = find_roadmap_rows(blocks)
    assert [r.cells["text"] for r in found.rows] == ["Анализ РПШ"]
    assert found.first_block == 1
    assert found.rows[0].table == 2


def test_section_rows_and_repeated_headers():
    header = ["№ п/п", "Мероприятия", "Сроки", "Ответственный", "Итоговый документ"]
    blocks = [
        _table([
            header,
            ["1. Анализ причин", None, None, None, None],
            ["1.1", "Статистический анализ", "Ноябрь 2020", "ЦУ", "Справки"],
            header,
            ["2. Диагностика", None, None, None, None],
            ["2.1", "Диагностика дефицитов", "Декабрь 2020", "ЦУ, РЦ", "Письмо"],
        ])
    ]
    rows = find_roadmap_rows(blocks).rows
    assert [(r.cells["seq"], r.section) for r in rows] == [("1.1", "1. Анализ причин"), ("2.1", "2. Диагностика")]


@pytest.mark.parametrize("numeral_row, section", [
    (["I.", "Диагностический этап", "", "", ""], "I. Диагностический этап"),
    (["II", "Разработка документов", None, None, None], "II Разработка документов"),
    (["IV.", "Мониторинг и подведение итогов", "", None, ""], "IV. Мониторинг и подведение итогов"),
    (["I.", "Диагностика и планирование", "", "", ""], "I. Диагностика и планирование"),  # no second header level
])
def test_a_roman_numeral_and_one_text_is_a_section_row(numeral_row, section):
    """`I.` in the № column and the title merged over the rest: a section, not an activity."""
    header = ["№ п/п", "Мероприятие", "Срок реализации", "Ответственный исполнитель", "Показатель"]
    rows = find_roadmap_rows([_table([
        header, numeral_row,
        ["1.", "Утверждение перечня ОО", "до 15.02.2021", "Министерство", "перечень утвержден"],
        ["2.", "Закрепление кураторов", "до 26.02.2021", "НИРО", "100 %"],
    ])]).rows
    assert [(r.cells["seq"], r.section) for r in rows] == [("1.", section), ("2.", section)]


@pytest.mark.parametrize("row", [
    ["5.", "Участие в вебинаре ФИОКО", "", "", ""],          # an activity with nothing but its text
    ["I.", "Совещание", "март 2021", "", ""],               # a dated row is an activity
])
def test_an_activity_row_with_empty_cells_stays_an_activity(row):
    header = ["№ п/п", "Мероприятие", "Срок реализации", "Ответственный исполнитель", "Показатель"]
    rows = find_roadmap_rows([_table([
        header, ["1.", "Утверждение перечня ОО", "до 15.02.2021", "Министерство", "перечень утвержден"], row,
    ])]).rows
    assert [r.cells["seq"] for r in rows] == ["1.", row[0]] and rows[1].section is None


def test_year_columns_under_the_date_header_make_one_date_cell():
    """`Сроки` over `2022 г.` | `2023 г.`: the years are a header level, not a row, and each
    row's date cell is its year cells with their years."""
    rows = find_roadmap_rows([_table([
        ["№ п/п", "Мероприятие", "Сроки", None, "Ответственные исполнители"],
        [None, None, "2022 г.", "2023 г.", None],
        ["1.", "Курсы повышения квалификации", "сентябрь – декабрь", "январь – май", "Институт"],
        ["2.", "Установочный семинар", "15.02", "14.02", "Министерство"],
        ["3.", "Конкурс методических разработок", "–", "октябрь – декабрь", "Институт"],
    ])]).rows
    assert [r.cells["date"] for r in rows] == [
        "сентябрь – декабрь 2022 г. – январь – май 2023 г.", "15.02 2022 г., 14.02 2023 г.", "октябрь – декабрь 2023 г."]


def test_heading_paragraph_names_section_and_headerless_continuation_table():
    header = ["№ п/п", "Мероприятия", "Сроки", "Ответственный", "Итоговый документ"]
    blocks = [
        RawParagraph("1. Анализ причин низкого результата"),
        _table([header, ["1.1", "Анализ", "Ноябрь 2020", "ЦУ", "Справки"]]),
        RawParagraph("3. Тематическое повышение квалификации"),
        _table([["3.1.", "Формирование запроса", "Январь-февраль 2021", "ЦУ, РЦ", "Информация"]]),
    ]
    rows = find_roadmap_rows(blocks).rows
    assert [(r.cells["seq"], r.section, r.table) for r in rows] == [
        ("1.1", "1. Анализ причин низкого результата", 1),
        ("3.1.", "3. Тематическое повышение квалификации", 2),
    ]


def test_an_amending_orders_instruction_above_a_table_is_no_section():
    """`1. Пункты 3, 5 … изложить в следующей редакции:` says what the rows below replace."""
    header = ["№ п/п", "Мероприятия", "Сроки", "Ответственный", "Итоговый документ"]
    blocks = [
        RawParagraph("1. Пункты 3, 5 дорожной карты изложить в следующей редакции:"),
        _table([header, ["3.", "Анализ", "Ноябрь 2022", "ЦУ", "Справки"]]),
        RawParagraph("3. Дополнить дорожную карту пунктами 13 – 20 следующего содержания:"),
        _table([["13.", "Формирование запроса", "Январь-февраль 2022", "ЦУ, РЦ", "Информация"]]),
    ]
    assert [(r.cells["seq"], r.section) for r in find_roadmap_rows(blocks).rows] == [("3.", None), ("13.", None)]


@pytest.mark.parametrize("heading, section", [
    # a heading naming the plan itself is the table's title, not its rows' section
    ("2. План мероприятий", None),
    ("2. План мероприятий («дорожная карта») по реализации проекта «500+» в 2021 году", None),
    ("II. Дорожная карта по реализации проекта", None),
    ("3. «Дорожная карта» адресной методической помощи", None),
    ("1. План-график мероприятий", None),
    ("2 План-график", None),
    # … while a heading naming a part of the plan is the section
    ("2. Методическое сопровождение", "2. Методическое сопровождение"),
    ("1. Мероприятия по планированию", "1. Мероприятия по планированию"),
    ("3. Подготовка планов мероприятий школ", "3. Подготовка планов мероприятий школ"),
    ("II. Реализация дорожных карт школ", "II. Реализация дорожных карт школ"),
])
def test_a_heading_naming_the_plan_is_no_section(heading, section):
    header = ["№ п/п", "Мероприятия", "Сроки", "Ответственный", "Итоговый документ"]
    blocks = [RawParagraph(heading), _table([header, ["1.", "Анализ", "Ноябрь 2022", "ЦУ", "Справки"]])]
    assert [r.section for r in find_roadmap_rows(blocks).rows] == [section]


def test_headerless_table_columns_guessed_from_content():
    blocks = [
        _table([
            ["1.", "Назначение координаторов проекта", "до 20.12.2021", "Департамент образования"],
            ["2.", "Проведение совещания с командами школ", "до 01.02.2022", "Региональный координатор"],
            ["3.", "Организация первого опроса участников", "10.03-24.03.2022", "Университет"],
        ])
    ]
    found = find_roadmap_rows(blocks)
    assert [r.cells.get("date") for r in found.rows] == ["до 20.12.2021", "до 01.02.2022", "10.03-24.03.2022"]
    assert found.rows[0].cells["seq"] == "1."
    assert found.rows[0].cells["responsible"] == "Департамент образования"
    assert found.warnings and "guessed" in found.warnings[0]


def test_table_with_narrative_only_is_not_a_roadmap():
    blocks = [_table([["Цель", "Задачи"], ["Повышение качества", "Диагностика факторов"]])]
    assert find_roadmap_rows(blocks).rows == []


def test_heading_wrapped_over_lines_or_glued_to_title_paragraph():
    header = ["№ п/п", "Мероприятия", "Сроки", "Ответственный"]
    blocks = [
        RawParagraph("«Дорожная карта» мероприятий\nна 2020-2021г.\n1. Анализ причин низкого\nрезультата обучения"),
        _table([header, ["1.1", "Анализ", "Ноябрь 2020", "ЦУ"]]),
    ]
    assert find_roadmap_rows(blocks).rows[0].section == "1. Анализ причин низкого результата обучения"


def test_start_and_end_date_columns_and_section_rows_are_not_headers():
    rows = [
        ["№ п/п", "Наименование мероприятия", "Срок", None, "Исполнители"],
        [None, None, "начало", "окончание", None],
        ["I. Организационные мероприятия", None, None, None, None],
        ["1.", "Анкетирование школ", "17.01.2022", "04.02.2022", "Управление образования"],
        ["III. Мониторинг и анализ результатов", None, None, None, None],
        ["2.", "Мониторинг", "01.04.2022", "30.04.2022", "Школы"],
    ]
    mapping = map_header(rows)
    assert mapping.header_rows == 2
    assert mapping.index == {"seq": 0, "text": 1, "date_start": 2, "date_end": 3, "responsible": 4}
    found = find_roadmap_rows([_table(rows)]).rows
    assert [(r.cells["text"], r.section) for r in found] == [
        ("Анкетирование школ", "I. Организационные мероприятия"),
        ("Мониторинг", "III. Мониторинг и анализ результатов"),
    ]


@pytest.mark.parametrize("row, skipped", [
    (["Мероприятие", "Срок исполнения", "Ответственный", "Показатель"], True),      # the header again
    (["Мероприятия", "Сроки", "Ответственные", "Показатели"], True),               # reworded repeat
    (["Участие ОО в итоговом мониторинге реализации проекта", "в сроки, установленные ФИОКО",
      "руководители ОО", "100% ОО приняли участие в мониторинге"], False),          # header words, data row
    (["Подготовка итогового отчета", "декабрь", "Ответственный исполнитель", "отчет"], False),
])
def test_header_repeated_in_the_body_is_skipped_but_data_rows_are_not(row, skipped):
    header = ["Мероприятие", "Срок исполнения", "Ответственный", "Показатель"]
    body = [["Анкетирование школ", "до 01.02.2022", "Институт", "100%"], row,
            ["Семинар для кураторов", "март", "Институт", "не менее 2"]]
    found = find_roadmap_rows([_table([header] + body)])
    texts = [r.cells["text"] for r in found.rows]
    assert (row[0] not in texts) is skipped
    assert texts[0] == "Анкетирование школ" and texts[-1] == "Семинар для кураторов"


@pytest.mark.parametrize("group_label", ["Направление", "Направление работы", "Задачи", "Этап"])
def test_grouping_column_beside_the_activity_names_the_section(group_label):
    """`Направление` merged down over its rows is their section when an activity column exists."""
    rows = [
        ["№ п/п", group_label, "Мероприятие", "Срок реализации", "Ответственные"],
        ["1.", "Диагностика", "Назначение координатора", "до 18 февраля 2022 г.", "Комитет"],
        ["2.", None, "Анкетирование", "до 4 марта 2022 г.", "руководители ОО"],
        ["3.", "Мониторинг", "Итоговый мониторинг", "декабрь 2022 г.", "ИМЦ"],
    ]
    found = find_roadmap_rows([_table(rows)])
    assert [(r.cells["text"], r.section) for r in found.rows] == [
        ("Назначение координатора", "Диагностика"), ("Анкетирование", "Диагностика"),
        ("Итоговый мониторинг", "Мониторинг"),
    ]
    assert all("group" not in r.cells for r in found.rows)


def test_tasks_column_alone_is_the_activity_text():
    rows = [["№", "Задачи", "Сроки", "Исполнители"], ["1.", "Анкетирование школ", "до 01.02.2022", "ИРО"]]
    found = find_roadmap_rows([_table(rows)])
    assert found.rows[0].cells["text"] == "Анкетирование школ" and found.rows[0].section is None


def test_numbered_parent_rows_are_headings_of_their_sub_items():
    """`1. | Организационный этап | январь – февраль` over `1.1`, `1.2` heads them (even dated)."""
    rows = [
        ["№", "Наименование мероприятия", "Сроки", "Исполнители"],
        ["1.", "Организационный этап", "январь – февраль 2022 г.", ""],
        ["1.1", "Назначение координатора", "до 01.02.2022", "Управление образования"],
        ["1.2", "Анкетирование", "февраль 2022 г.", "руководители ОО"],
        ["2.", "Итоговый этап", "декабрь 2022 г.", ""],
        ["2.1", "Итоговое совещание", "декабрь 2022 г.", "Управление образования"],
        ["3", "Отчет о реализации", "до 25.12.2022", "Управление образования"],   # no sub-items: an activity
    ]
    found = find_roadmap_rows([_table(rows)])
    assert [(r.cells["seq"], r.section) for r in found.rows] == [
        ("1.1", "1. Организационный этап"), ("1.2", "1. Организационный этап"),
        ("2.1", "2. Итоговый этап"), ("3", None),
    ]


@pytest.mark.parametrize("parent_executors, parent_is_activity", [
    ("", False),
    ("  ", False),
    ("руководители МОУ, кураторы", True),
    ("Управление образования", True),
])
def test_a_numbered_parent_row_with_executors_is_an_activity_done_in_parts(parent_executors, parent_is_activity):
    """`4. | Разработка … документов | март | руководители МОУ` over `4.1`, `4.2`: it names who
    does it, so it is an activity, and its parts keep the section above them (here none)."""
    rows = [
        ["№", "Наименование мероприятия", "Сроки", "Ответственный"],
        ["3.", "Семинар", "17 марта 2022 г.", "УМЦ"],
        ["4.", "Разработка концептуальных документов", "март 2022 г.", parent_executors],
        ["4.1.", "Разработка концепции развития", "до 14 марта 2022 г.", "руководители МОУ"],
        ["4.2.", "Размещение документов", "до 30 марта 2022 г.", "руководители МОУ"],
        ["5.", "Мониторинг", "до 29 апреля 2022 г.", "отдел общего образования"],
    ]
    found = find_roadmap_rows([_table(rows)])
    heading = None if parent_is_activity else "4. Разработка концептуальных документов"
    expected = [("3.", None)] + ([("4.", None)] if parent_is_activity else []) + [
        ("4.1.", heading), ("4.2.", heading), ("5.", None)]
    assert [(r.cells["seq"], r.section) for r in found.rows] == expected


@pytest.mark.parametrize("heading, is_section", [
    ("Диагностика и планирование", True),
    ("Методическая поддержка ОО", True),
    ("I полугодие 2022 года", True),    # a date spanning the whole row heads the rows under it
    ("Январь 2022 года", True),
])
def test_a_heading_spanning_the_row_from_a_first_date_column(heading, is_section):
    """`Срок | Мероприятие | …`: a heading merged over the row sits in the date column, a month
    or half-year (sections by time) as well as words; each row under it keeps its own date."""
    rows = [["Срок", "Мероприятие", "Ответственные", "Планируемый результат"],
            [heading, None, None, None],
            ["до 11.02.2022", "Формирование муниципальной команды", "Управление", "приказ"],
            ["каждый вторник", "Оперативные совещания", "ЦРО", "протоколы"]]
    found = find_roadmap_rows([_table(rows)])
    assert [r.section for r in found.rows if r.cells.get("text")] == [heading if is_section else None] * 2
    assert [r.cells["date"] for r in found.rows] == ["до 11.02.2022", "каждый вторник"]


def test_a_section_row_right_under_a_two_row_header_is_no_header_row():
    """`Планируемый результат` over `показатель` | `вид документа`, then a section merged over the
    row: it heads the rows, its words (`мероприятия`) label no column."""
    rows = [["№ п/п", "Наименование мероприятия", "Сроки", "Ответственные", "Планируемый результат", None],
            [None, None, None, None, "показатель (целевое значение)", "вид документа"],
            ["Организационно-диагностические мероприятия", None, None, None, None, None],
            ["1.", "Формирование муниципальной команды", "до 10 февраля", "Отдел образования", "100 %", "приказ"]]
    found = find_roadmap_rows([_table(rows)])
    assert [(r.cells["seq"], r.cells["text"], r.section) for r in found.rows] == [
        ("1.", "Формирование муниципальной команды", "Организационно-диагностические мероприятия")]


def test_a_repeated_sub_header_row_is_skipped_whatever_is_merged_down_into_it():
    """`Сроки` over `начало` | `окончание`, printed again on the next page: the sub-row's empty
    cells take nothing from the row above (a repeated header cut short by the page)."""
    header = [["№", "Мероприятия", "Исполнитель", "Сроки исполнения", None, "Форма представления результата"],
              [None, None, None, "начало", "окончание", None]]
    rows = header + [["1.", "Семинар", "ЦМС", "01.02.2022", "10.02.2022", "протокол"],
                     ["№", "Мероприятия", "Исполнитель", "Сроки исполнения", None, "Форма представления"],
                     [None, None, None, "начало", "окончание", None],
                     ["2.", "Курсы", "ИРО", "март 2022 г.", "май 2022 г.", "удостоверения"]]
    found = find_roadmap_rows([_table(rows)])
    assert [r.cells["seq"] for r in found.rows] == ["1.", "2."]


def test_a_date_merged_over_part_of_a_date_first_row_is_no_heading():
    """Only a date spanning the whole row heads the rows: one merged over some columns is a row."""
    rows = [["Срок", "Мероприятие", "Ответственные", "Планируемый результат"],
            ["до 11.02.2022", "Формирование муниципальной команды", "Управление", "приказ"],
            ["Январь 2022 года", "Семинар", None, "протокол"]]
    found = find_roadmap_rows([_table(rows)])
    assert [(r.cells["date"], r.section) for r in found.rows] == [("до 11.02.2022", None), ("Январь 2022 года", None)]


def test_a_continued_tables_row_of_column_numbers_is_no_activity():
    """`Продолжение приложения` over a table whose only header is the row of column numbers."""
    first = [["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные", "Ожидаемый результат"],
             ["1", "2", "3", "4", "5"],
             ["2.2.", "Размещение концептуальных документов", "до 30.03.2022", "руководители МОО", "100 %"]]
    second = [["1", "2", "3", "4", "5"],
              ["2.3.", "Курсы повышения квалификации", "по графику ИРО", "ИРО", "не менее 35 педагогов"]]
    found = find_roadmap_rows([_table(first), _table(second)])
    assert [r.cells["seq"] for r in found.rows] == ["2.2.", "2.3."]


def test_a_caption_merged_over_the_table_above_its_header():
    """`ПЛАН МЕРОПРИЯТИЙ («ДОРОЖНАЯ КАРТА»)` as the table's first, merged row: the header is below."""
    rows = [["ПЛАН МЕРОПРИЯТИЙ («ДОРОЖНАЯ КАРТА»)", None, None, None, None],
            ["№ п/п", "Мероприятие", "Срок исполнения", "Ответственный исполнитель", "Показатель результативности"],
            ["I. Организационные мероприятия", None, None, None, None],
            ["1.", "Утверждение перечня ШНОР", "до 20 февраля 2022 г.", "Министерство", "приказ"]]
    found = find_roadmap_rows([_table(rows)])
    [row] = found.rows
    assert (row.cells["text"], row.cells["indicator"], row.section) == (
        "Утверждение перечня ШНОР", "приказ", "I. Организационные мероприятия")


@pytest.mark.parametrize("heading, is_section", [
    ("ОРГАНИЗАЦИОННЫЕ МЕРОПРИЯТИЯ", True),       # in capitals, alone in the activity column
    ("МЕТОДИЧЕСКОЕ СОПРОВОЖДЕНИЕ", True),
    ("Организационные мероприятия", False),       # not in capitals, not merged: as before
])
def test_a_heading_in_capitals_in_the_activity_column(heading, is_section):
    rows = [["№ п/п", "Мероприятие", "Срок", "Ответственные"],
            ["", heading, "", ""],
            ["1.", "Совещание с руководителями ОО", "февраль 2022 г.", "Управление образования"]]
    found = find_roadmap_rows([_table(rows)])
    first = [r for r in found.rows if r.cells.get("seq")][0]
    assert first.section == (heading if is_section else None)


def test_co_executors_column_beside_the_responsible_one():
    rows = [["№ п/п", "Мероприятие", "Срок исполнения", "Ответственный", "Соисполнители", "Результат"],
            ["1.", "Курсы для команд ОО", "март", "заместитель министра", "ГБОУ ДПО «ТОИУУ»", "отчет"]]
    found = find_roadmap_rows([_table(rows)])
    assert found.rows[0].cells["responsible"] == "заместитель министра"
    assert found.rows[0].cells["co_responsible"] == "ГБОУ ДПО «ТОИУУ»"


def test_calendar_plan_marked_months_are_the_schedule_cell():
    """A plan laid out as a calendar (a column per month under `Срок (2022 год)`, the
    activity's months marked) reads as if each row had the date cell its marks stand for."""
    blocks = [_table([
        ["№ п/п", "Мероприятие", "Ответственные", "Срок исполнения (2022 год)", None, None, None, None],
        [None, None, None, "янв", "фев", "мар", "апр", "май"],
        ["1. Организация", None, None, None, None, None, None, None],
        ["1.1", "Анализ результатов", "ИРО", "Х", "", "", "", ""],
        ["1.2", "Семинар", "ИРО", "", "+", "+", "", ""],
        ["1.3", "Мониторинг", "ИРО", "Х", "", "х", "", "X"],
        ["1.4", "Консультации по запросу", "ИРО", "", "", "", "", ""],
    ])]
    rows = find_roadmap_rows(blocks).rows
    assert [(r.cells["seq"], r.cells["date"], r.section) for r in rows] == [
        ("1.1", "янв 2022", "1. Организация"), ("1.2", "фев, мар 2022", "1. Организация"),
        ("1.3", "янв, мар, май 2022", "1. Организация"), ("1.4", "", "1. Организация")]
    assert rows[0].cells["responsible"] == "ИРО"


def test_calendar_plan_by_quarter_in_one_header_row():
    blocks = [_table([
        ["№", "Мероприятие", "Исполнитель", "I кв.", "II кв.", "III кв.", "IV кв."],
        ["1", "Совещание", "Департамент", "+", "", "+", ""],
    ])]
    [row] = find_roadmap_rows(blocks).rows
    assert (row.cells["text"], row.cells["date"]) == ("Совещание", "I кв., III кв.")


def test_two_month_names_are_no_calendar():
    """A header naming months in passing (`Январь – март`) is no calendar; nor is a label
    with a year a date cell."""
    mapping = map_header([["№", "Мероприятие", "Срок (2022 год)", "Январь", "Март"], ["1", "А", "март", "", ""]])
    assert mapping is not None and not mapping.calendar and mapping.get("date") == 2


def test_the_column_named_indicator_holds_the_indicators():
    """`Планируемый результат` | `Показатель`: both read as indicators by their words; the one
    called so holds them, the other is left to no field."""
    mapping = map_header([["№", "Мероприятие", "Срок", "Ответственный", "Планируемый результат", "Показатель",
                           "Форма отчётности"], ["1", "А", "март", "ИРО", "проведено", "100%", "справка"]])
    assert (mapping.get("indicator"), mapping.get("result")) == (5, 6)
    alone = map_header([["№", "Мероприятие", "Срок", "Ответственный", "Планируемый результат"],
                        ["1", "А", "март", "ИРО", "100%"]])
    assert alone.get("indicator") == 4


@pytest.mark.parametrize("labels, indicator, value", [
    (["№", "Мероприятие", "Срок", "Ответственный", "Показатель", "Целевое значение"], 4, 5),
    (["№", "Мероприятие", "Срок", "Ответственные", "Показатель результативности", "Значение показателя, %"], 4, 5),
    (["№", "Мероприятие", "Срок", "Ответственный", "Индикатор", "Плановое значение"], 4, 5),
    (["№", "Мероприятие", "Срок", "Ответственный", "Показатель", "Целевой уровень"], 4, 5),
    (["№", "Мероприятие", "Срок", "Ответственный", "Планируемый результат", "Показатель", "Значение"], 5, 6),
    (["№", "Мероприятие", "Срок", "Ответственный", "Показатель", "Базовое значение", "Целевое значение"], 4, 6),
    (["№", "Мероприятие", "Срок", "Ответственный", "Целевой показатель, %"], 4, None),
    (["№", "Мероприятие", "Срок", "Ответственный", "Значение показателя"], 4, None),
    (["№", "Мероприятие", "Срок", "Ответственный", "Показатель", "Форма отчетности"], 4, None),
])
def test_a_value_column_beside_the_indicator_holds_its_targets(labels, indicator, value):
    """`Показатель` | `Целевое значение`: the words in one column, the target in the next; a
    value column alone is the indicator column itself."""
    mapping = map_header([labels, ["1", "А", "март", "ИРО"] + ["x"] * (len(labels) - 4)])
    assert (mapping.get("indicator"), mapping.get("indicator_value")) == (indicator, value)


@pytest.mark.parametrize("subs, indicator, value", [
    (["наименование", "базовое значение (2021 год)", "целевое значение (2022 год)"], 4, 6),
    (["наименование", "исходное значение", "целевое значение"], 4, 6),
    (["наименование", "значение"], 4, 5),
    (["наименование", "целевое значение"], 4, 5),
])
def test_an_indicator_over_its_name_baseline_and_target(subs, indicator, value):
    """`Показатель результативности` over `наименование` | `базовое значение` | `целевое
    значение`: the name is the indicator, the target its value, the baseline no field."""
    header = ["№ п/п", "Мероприятие", "Срок", "Ответственный", "Показатель результативности"] + [None] * (len(subs) - 1)
    mapping = map_header([header, [None] * 4 + subs, ["1.1.", "Анкетирование", "до 17.01.2022", "ОО", "доля ОО"]
                          + ["100 %"] * (len(subs) - 1)])
    assert mapping.header_rows == 2
    assert (mapping.get("indicator"), mapping.get("indicator_value")) == (indicator, value)


def test_a_section_row_right_under_a_two_level_header_is_a_section():
    """One text from the № column merged over the row, under `Сроки` over `2022 г.` | `2023 г.`:
    the first section's heading, not a third header level."""
    blocks = [_table([
        ["№ п/п", "Мероприятие", "Сроки", None, "Ответственные"],
        [None, None, "2022 г.", "2023 г.", None],
        ["Диагностика и планирование", None, None, None, None],
        ["1.", "Анкетирование", "февраль", "–", "РЦОКО"],
        ["Методическое сопровождение", None, None, None, None],
        ["2.", "Семинары", "–", "март", "ИРО"],
    ])]
    found = find_roadmap_rows(blocks)
    assert [(r.cells["seq"], r.section) for r in found.rows] == [
        ("1.", "Диагностика и планирование"), ("2.", "Методическое сопровождение")]
    assert found.rows[0].labels["seq"] == "№ п/п"


HEADER = ["№ п/п", "Мероприятие", "Срок", "Ответственный"]


@pytest.mark.parametrize("between, second_header, section", [
    # the header printed again over the rest of the roadmap: its last section goes on
    ("Продолжение приложения", HEADER, "Раздел II. Методическое сопровождение"),
    ("", HEADER, "Раздел II. Методическое сопровождение"),
    # a numbered heading above the second table names its own section
    ("3. Мониторинг", HEADER, "3. Мониторинг"),
    # another table, not the same header: no section carried
    ("Продолжение приложения", ["№", "Содержание", "Сроки", "Исполнители", "Результат"], None),
])
def test_a_section_goes_on_over_a_reprinted_header(between, second_header, section):
    width = len(second_header)
    blocks = [_table([HEADER, ["Раздел I. Организация", None, None, None], ["1.", "Совещание", "до 01.02.2022", "ИРО"],
                      ["Раздел II. Методическое сопровождение", None, None, None], ["2.", "Семинар", "март 2022", "ИРО"]])]
    if between:
        blocks.append(RawParagraph(between))
    blocks.append(_table([second_header, ["3.", "Вебинар", "14.02.2022", "ИРО"] + [""] * (width - 4)]))
    found = find_roadmap_rows(blocks)
    assert [r.section for r in found.rows] == ["Раздел I. Организация", "Раздел II. Методическое сопровождение", section]


def test_a_grouping_cell_broken_by_a_page_goes_on_from_its_first_part():
    """A `Задача` cell merged down over its rows, broken by the page: the part after the break
    (`поддержку педагогов`) continues the part before, for every row of the group."""
    blocks = [_table([
        ["№", "Задача", "Мероприятие", "Срок", "Ответственный"],
        ["1.1", "Задача 1. Выявить риски", "Анкетирование", "февраль 2022", "РЦОКО"],
        ["3.1", "Задача 3. Организовать методическую", "Курсы", "март 2022", "ИРО"],
        ["3.2", "поддержку педагогов", "Выезды кураторов", "апрель 2022", "Кураторы"],
        ["3.3", None, "Семинары", "май 2022", "ИРО"],
        ["4.1", "Задача 4. Обеспечить мониторинг", "Мониторинг", "июнь 2022", "РЦОКО"],
    ])]
    found = find_roadmap_rows(blocks)
    assert [r.section for r in found.rows] == [
        "Задача 1. Выявить риски", "Задача 3. Организовать методическую поддержку педагогов",
        "Задача 3. Организовать методическую поддержку педагогов",
        "Задача 3. Организовать методическую поддержку педагогов", "Задача 4. Обеспечить мониторинг"]


@pytest.mark.parametrize("label, role", [
    # abbreviated labels
    ("Мер-тие", "text"), ("Меропр.", "text"), ("Отв.", "responsible"), ("Срок исп.", "date"),
    ("Ожид. рез-т", "indicator"), ("Отм. об исп.", None),
    ("Целевая группа", None),            # who the activity is for: no indicator
    ("Целевая аудитория", None),
    ("Целевой показатель", "indicator"),
    ("Целевые значения", "indicator"),
    ("Ожидаемый результат", "indicator"),
])
def test_a_target_group_is_no_indicator(label, role):
    assert header_role(label) == role


@pytest.mark.parametrize("rows, labels", [
    # a label a narrow PDF column cut mid-word is one word again
    ([["№\nп/п", "Мероприятие", "Срок\nисполнени\nя", "Ответств\nенный"]],
     ["№ п/п", "Мероприятие", "Срок исполнения", "Ответственный"]),
    # one label merged over two columns naming two things: each column its part
    ([["№", "Мероприятие", "Ожидаемый результат /\nформа контроля", None]],
     ["№", "Мероприятие", "Ожидаемый результат", "форма контроля"]),
    # … not over three columns, nor when the columns have sub-labels
    ([["№", "Результат / форма", None, None]], ["№", "Результат / форма", "Результат / форма", "Результат / форма"]),
    ([["№", "Срок / период", None], [None, "начало", "окончание"]], ["№", "Срок / период начало", "Срок / период окончание"]),
])
def test_column_labels(rows, labels):
    from normalizers.table_labels import column_labels

    assert column_labels(rows, max(len(r) for r in rows))[0] == labels


def test_the_columns_under_a_shared_label_are_an_indicator_and_a_result():
    mapping = map_header([["№", "Мероприятие", "Срок", "Ответств\nенный", "Ожидаемый результат / форма контроля", None],
                          ["1", "А", "март", "ИРО", "100 % школ", "приказ"]])
    assert (mapping.get("responsible"), mapping.get("indicator"), mapping.get("result")) == (3, 4, 5)


def test_a_closing_note_merged_over_the_number_and_activity_is_no_activity():
    """`Контроль за исполнением плана` merged over № and activity, a person beside it."""
    blocks = [_table([["№ п/п", "Мер-тие", "Срок исп.", "Отв."],
                      ["1.", "Анализ", "до 12.02.2021", "Управление образования"],
                      ["Контроль за исполнением плана мероприятий", None, None, "Цаликова А.Б., заместитель"]])]
    assert [r.cells["seq"] for r in find_roadmap_rows(blocks).rows] == ["1."]


def test_a_text_only_row_under_a_numbered_row_continues_its_activity():
    """`– обучающихся и родителей` in a row of its own: its number and other cells merged down
    from the row above (or left empty) — the rest of that activity's text."""
    merged = RawTable(rows=[["№", "Мероприятие", "Срок", "Исполнители"],
                            ["2.", "Анкетирование:\n– педагогов;", "до 04.02.2022", "руководители ШНОР"],
                            [None, "– обучающихся и родителей", None, None],
                            ["3.", "Собеседования", "до 25.02.2022", "кураторы"],
                            ["", "по итогам анкетирования", "", ""]],
                      continued={(2, 0), (2, 2), (2, 3)})
    rows = find_roadmap_rows([merged]).rows
    assert [(r.cells["seq"], r.cells["text"]) for r in rows] == [
        ("2.", "Анкетирование:\n– педагогов;\n– обучающихся и родителей"),
        ("3.", "Собеседования\nпо итогам анкетирования")]


def test_executors_split_into_name_and_post_columns():
    """`Ответственные` over `ФИО` | `должность`: the names' column and the posts' column."""
    mapping = map_header([["№", "Мероприятие", "Срок", "Ответственные", None, "Результат"],
                          [None, None, None, "ФИО", "должность", None],
                          ["1.", "А", "март", "Гриценко О.П.", "заместитель начальника", "приказ"]])
    assert (mapping.header_rows, mapping.get("responsible"), mapping.get("responsible_post"),
            mapping.get("co_responsible")) == (2, 3, 4, None)


@pytest.mark.parametrize("heading, no_section", [
    ("1. Организационно-диагностический этап", False),
    ("II. Методическое сопровождение школ", False),
    ("2. Организация проведения диагностики профессиональных дефицитов педагогов", False),
    ("3. Мониторинг и оценка результатов", False),
    ("2. План мероприятий", True),                                  # the table's title
    ("II. Дорожная карта реализации проекта", True),
    ("3. План-график на 2022 год", True),
    ("1. Пункты 3, 5 изложить в следующей редакции:", True),         # an amending order's instruction
    ("1. Утвердить план мероприятий («дорожную карту») по реализации проекта «500+» на 2021 год:", True),
    ("4. Обеспечить выполнение мероприятий:", True),                 # the order's own instruction
    ("2. Провести мониторинг в соответствии с планом:", True),
])
def test_a_numbered_paragraph_over_a_table_names_its_section_or_not(heading, no_section):
    from normalizers.headings import names_no_section

    assert names_no_section(heading) is no_section
