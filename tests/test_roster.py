"""normalizers.parties.roster: a person named by surname and initials takes the kind of the body
the order's list of people (Ф.И.О. | Должность | Роль в проекте) says they serve."""
from __future__ import annotations

import pytest

from normalizers.parties.roster import find_roster, listed_kind

TEAM = [
    ["№", "Ф.И.О.", "Должность", "Роль в проекте"],
    ["1.", "Кузнецова Ирина Владимировна", "заместитель начальника УО", "руководитель муниципальной команды"],
    ["2.", "Орлова Марина Сергеевна", "главный специалист отдела общего образования УО", "муниципальный координатор"],
    ["3.", "Семёнов Пётр Ильич", "методист ГАУ ДПО «Институт развития образования»", "куратор"],
    ["4.", "Иванова Анна Петровна", "учитель МБОУ «СОШ № 5»", ""],
    ["5.", "Петров", "без инициалов", "эксперт"],
    ["6.", "Васильев Сергей Петрович", "старший преподаватель кафедры управления образованием "
     "ГАУ ДПО «Институт развития образования» (по согласованию)", "эксперт-консультант"],
    ["7.", "Кравец Анна Николаевна", "учитель-методист", "куратор проекта"],
    ["8.", "Иванова Туйаара Николаевна", "учитель начальных классов МБОУ «СОШ № 2»", "куратор МБОУ «СОШ № 7»"],
    ["9.", "Захарова Марина Сергеевна", "консультант департамента общего образования Министерства "
     "просвещения и воспитания Ульяновской области", "взаимодействие с МОУО"],
]


@pytest.mark.parametrize("name, level, kind", [
    ("Кузнецова И.В.", "municipal", "municipal"),       # the post names no body: the role does
    ("Кузнецова И. В.", "municipal", "municipal"),
    ("И.В. Кузнецова", "municipal", "municipal"),
    ("Орлова М.С.", "municipal", "municipal"),          # the post names the issuer's unit
    ("Орлова М.С.", "regional", "regional_authority"),
    ("Семенов П.И.", "regional", "regional_operator"),  # ё and е are one letter
    ("Иванова А.П.", "municipal", "school"),
    ("Иванова А.С.", "municipal", None),                # other initials: another person
    ("Сидорова А.П.", "municipal", None),               # not listed
    ("Петров П.П.", "municipal", None),                 # listed without a full name
    ("Кузнецова", "municipal", None),                   # a surname alone is no name to look up
    ("Отдел общего образования", "municipal", None),
    # a teacher of an institute's department serves the institute, whatever their role says
    ("Васильев С.П.", "municipal", "regional_operator"),
    # a post naming no body leaves it to the role
    ("Кравец А.Н.", "municipal", "curator"),
    ("Иванова Т.Н.", "municipal", "school"),            # … one naming its body says it
    ("Захарова М.С.", "regional", "regional_authority"),  # a consultant of a regional ministry's department
])
def test_listed_kind(name, level, kind):
    assert listed_kind(name, find_roster([TEAM]), level) == kind


@pytest.mark.parametrize("header", [
    ["№", "Мероприятие", "Срок", "Ответственный"],      # a roadmap: no person column
    ["Ф.И.О.", "Телефон"],                               # no post or role column
    [],
])
def test_tables_without_people_and_posts_list_nobody(header):
    rows = [header, ["Кузнецова Ирина Владимировна", "заместитель начальника УО", "", ""]] if header else []
    assert find_roster([rows]) == {}


@pytest.mark.parametrize("label", ["ФИО", "Ф. И. О.", "Фамилия, имя, отчество", "ф.и.о. участника"])
def test_person_column_labels(label):
    roster = find_roster([[[label, "Должность"], ["Орлова Марина Сергеевна", "директор МБОУ «СОШ № 1»"]]])
    assert listed_kind("Орлова М.С.", roster, "municipal") == "school"


@pytest.mark.parametrize("definitions, kind", [
    # the post names the body by the document's abbreviation: read as the document defines it
    ({"ИМО": "Информационно-методический отдел"}, "municipal"),
    # undefined, the post names no body the kinds know: what the post itself is
    ({}, "curator"),
])
def test_a_post_read_with_the_documents_definitions(definitions, kind):
    roster = find_roster([[["Ф.И.О.", "Должность", "Роль в проекте"],
                           ["Николаева Айталина Егоровна", "методист ИМО", "куратор МБОУ «СОШ № 1»"]]])
    assert listed_kind("Николаева А.Е.", roster, "municipal", definitions) == kind


@pytest.mark.parametrize("names, posts, joined", [
    ("Гриценко О.П.\nБондаренко И.А.", "заместитель начальника Управления образования\nмуниципальный координатор",
     "Гриценко О.П., заместитель начальника Управления образования;\nБондаренко И.А., муниципальный координатор"),
    # a post a narrow cell wrapped goes on until a line opening a post
    ("Гриценко О.П.\nБондаренко И.А.", "заместитель начальника\nУправления образования\nмуниципальный координатор",
     "Гриценко О.П., заместитель начальника Управления образования;\nБондаренко И.А., муниципальный координатор"),
    ("Шевченко Т.Н.\nТкаченко Л.В.", "куратор проекта\nкуратор проекта",
     "Шевченко Т.Н., куратор проекта;\nТкаченко Л.В., куратор проекта"),
    # posts that cannot be paired one to one: the names as printed
    ("Гриценко О.П.\nБондаренко И.А.", "заместитель начальника", "Гриценко О.П.\nБондаренко И.А."),
    ("Гриценко О.П.", "", "Гриценко О.П."),
])
def test_names_and_posts_in_two_columns_are_paired(names, posts, joined):
    from normalizers.parties.roster import with_posts

    assert with_posts(names, posts) == joined


SHORT_TEAM = [["Ф.И.О.", "Должность", "Роль в проекте"],
              ["Матвеева Л.Н.", "председатель комитета по образованию", "руководитель муниципальной команды"],
              ["Белякова С.И.", "методист МКУ «Информационно-методический центр»", "куратор проекта"],
              ["Л.П. Захарова", "директор МБОУ «Кингисеппская СОШ № 1»", "руководитель школы"],
              ["итого", "", ""]]


@pytest.mark.parametrize("name, kind", [
    ("Матвеева Л.Н.", "municipal"),
    ("Белякова С.И.", "municipal"),
    ("Захарова Л.П.", "school"),       # listed initials first, named surname first
    ("Никитина Е.Г.", None),           # not in the list
])
def test_a_list_naming_people_by_surname_and_initials(name, kind):
    assert listed_kind(name, find_roster([SHORT_TEAM]), "municipal") == kind
