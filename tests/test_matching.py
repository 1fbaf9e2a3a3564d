"""Matching activities to federal milestones, rule by rule, as input → expected tables.

Activities here are written in many plans' styles, not copied from the fixture orders; the
milestones are the packaged timeline's, so these also check its keywords stay generic.
"""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.compare import plan_years, planned_status
from pipeline.matching import match_milestones
from pipeline.profiles import lemma_similarity, ordinal
from pipeline.lemmas import abbreviation, lemmatize
from schema import Activity, Period, RoadmapDocument, RowSource, Schedule, Source
from pipeline.timeline import load_timeline

D = date
TIMELINE = load_timeline()


def activity(text: str, end: date | None = None, start: date | None = None, kind: str | None = None,
             result: str | None = None, seq: str | None = None) -> Activity:
    if end is None and start is None:
        schedule = Schedule(raw="в течение года", kind=kind or "ongoing")
    else:
        schedule = Schedule(raw="…", kind=kind or ("period" if start else "deadline"), start=start, end=end)
    return Activity(seq=seq, text=text, schedule=schedule, result=result, source=RowSource(table=1, row=1))


def matched(milestone_id: str, activities: list[Activity]) -> Activity | None:
    """What the milestone is matched to when the plan holds just these activities."""
    year = int(milestone_id[:4])
    milestones = [m for m in TIMELINE if m.year == year]
    for match in match_milestones(milestones, activities, context=TIMELINE):
        if match.milestone.id == milestone_id:
            return match.activity
    raise KeyError(milestone_id)


# --------------------------------------------------------------------------- lemmas

@pytest.mark.parametrize("text, expected", [
    ("Размещение концептуальных документов", ["размещение", "концептуальный", "документ"]),
    ("в ИС МЭДК", ["в", "ИС", "МЭДК"]),                      # ИС is not "иса"
    ("школ-участниц", ["школа", "участница"]),               # hyphenated compounds split
    ("в ШНОРах", ["в", "ШНОР"]),                             # abbreviation with a case ending
    ("ФГБУ «ФИОКО»", ["ФГБУ", "ФИОКО"]),
    ("ДОРОЖНАЯ КАРТА", ["дорожный", "карта"]),               # all-caps heading words are words
    ("Анкетирования", ["анкетирование"]),
    ("первого опроса", ["первый", "опрос"]),                 # ambiguous form still lemmatized
    ("до 17.01.2022", ["до"]),                               # dates never reach the lemmatizer
    ("07.02.-14.02.2022 г.", ["г"]),
    ("кураторами, наставниками", ["куратор", "наставник"]),
    ("Подведение итогов", ["подведение", "итог"]),
    ("семинар-совещания", ["семинар", "совещание"]),
    ("", []),
])
def test_lemmatize(text, expected):
    assert lemmatize(text) == expected


@pytest.mark.parametrize("word, expected", [
    ("ИС", "ИС"), ("МЭДК", "МЭДК"), ("ФИОКО", "ФИОКО"), ("МОУО", "МОУО"), ("ШНОРах", "ШНОР"),
    ("РПШ", "РПШ"), ("ОО", "ОО"), ("ШКОЛА", None), ("ДОРОЖНАЯ", None), ("Школа", None), ("школа", None),
])
def test_abbreviation(word, expected):
    assert abbreviation(word) == expected


@pytest.mark.parametrize("a, b, same", [
    ("анкета", "анкетирование", True),
    ("риск", "рисковый", True),
    ("верификация", "верифицировать", True),
    ("концептуальный", "концепция", True),
    ("мониторинг", "мониторинговый", True),
    ("анкетирование", "анкетирвание", True),     # OCR slip
    ("МЭДК", "МЭДК", True),
    ("размещение", "разместить", False),         # the near miss: placing ≠ placed (expertise rows)
    ("экспертиза", "размещение", False),
    ("посещение", "посетить", False),
    ("ИС", "иса", False),
    ("ИС", "ИСА", False),
    ("опрос", "отбор", False),
    ("развитие", "разработка", False),
    ("назначение", "направление", False),
])
def test_lemma_similarity(a, b, same):
    assert (lemma_similarity(a, b) >= 0.8) is same


@pytest.mark.parametrize("text, expected", [
    ("Мониторинг, 1 этап: размещение данных", 1),
    ("2 этап Мониторинг размещения данных", 2),
    ("Второй этап мониторинга реализации программ", 2),
    ("Организация третьего опроса региональных участников", 3),
    ("Первое посещение школ кураторами", 1),
    ("Экспертиза документов (федеральный оператор), 2-я", 2),
    ("Опрос участников № 3", 3),
    ("Мониторинг позитивных изменений (1)", 1),
    ("Проведение 2 цикла семинаров", 2),
    ("Подведение итогов проекта", None),
    ("до 17.01.2022", None),
    ("МБОУ «Средняя школа № 37»", None),
    ("Экспертиза документов, размещенных на портале ФИОКО", None),
])
def test_ordinal(text, expected):
    assert ordinal(text) == expected


# --------------------------------------------------------------------------- matches

@pytest.mark.parametrize("milestone_id, text, end, start", [
    ("2022-concept-upload", "Размещение концептуальных документов в ИС МЭДК", D(2022, 3, 30), None),
    ("2022-concept-upload", "Загрузка школами концептуальных документов (концепция развития) в МЭДК", D(2022, 3, 25), None),
    ("2022-concept-upload", "Контроль размещения концептуальных документов школ", D(2022, 3, 20), None),
    ("2022-expertise-1", "Экспертиза документов, размещенных на портале ФИОКО", D(2022, 6, 20), None),
    ("2022-expertise-1", "Выборочная экспертиза концептуальных документов федеральным оператором", D(2022, 6, 30), None),
    ("2022-expertise-2", "Экспертиза документов школ федеральным оператором", D(2022, 11, 15), None),
    ("2022-risk-profile-survey", "Анкетирование школ для выявления рисковых профилей", D(2022, 2, 4), None),
    ("2022-risk-profile-survey", "Заполнение школами анкет (РПШ) на сайте федерального оператора", D(2022, 2, 1), None),
    ("2022-survey-1", "Проведение опроса участников проекта", D(2022, 3, 24), D(2022, 3, 10)),
    ("2022-survey-1", "Анкетирование участников проекта: опрос", D(2022, 3, 24), D(2022, 3, 10)),
    ("2022-survey-2", "Организация второго опроса участников", None, None),
    ("2022-survey-3", "Опрос педагогов и руководителей школ", D(2022, 10, 14), D(2022, 10, 3)),
    ("2022-summing-up", "Подведение итогов реализации проекта", D(2022, 12, 20), None),
    ("2022-summing-up", "Подведение итогов года по проекту 500+", D(2022, 12, 25), None),
    ("2022-monitoring-1", "1 этап мониторинга: размещение данных в ИС МЭДК", D(2022, 4, 29), None),
    ("2022-monitoring-2", "Мониторинг позитивных изменений, второй этап", D(2022, 11, 1), None),
    ("2022-curator-visits", "Посещение школ кураторами", D(2022, 2, 25), None),
    ("2022-curator-visits", "Визиты наставников в школы-участницы", D(2022, 2, 20), None),
    ("2022-team-formation", "Назначение кураторов и координаторов проекта", D(2022, 1, 17), None),
    ("2022-team-formation", "Формирование управленческой команды проекта", D(2022, 1, 15), None),
    ("2022-concept-docs", "Разработка концепции развития школы и среднесрочной программы", D(2022, 3, 14), None),
    ("2022-concept-docs", "Разработка школами концептуальных документов", D(2022, 3, 1), None),
    ("2022-setup-seminar", "Установочный вебинар для кураторов и школ", D(2022, 2, 10), None),
    ("2022-setup-seminar", "Проведение установочного совещания с муниципальными координаторами", D(2022, 2, 1), None),
    ("2021-expertise-1", "Выборочная экспертиза концептуальных документов федеральным оператором", D(2021, 6, 30), None),
    ("2021-curators-assigned", "Направление списков кураторов в ФИОКО", D(2021, 2, 14), None),
    ("2021-curator-visits", "Посещение школ кураторами, верификация рисковых профилей", D(2021, 3, 10), D(2021, 3, 2)),
    ("2021-concept-docs", "Разработка школами дорожных карт, концепций, среднесрочных программ", D(2021, 4, 30), None),
    ("2021-summing-up", "Подведение итогов проекта, обсуждение планов на следующий год", D(2021, 12, 20), None),
    ("2021-monitoring-1", "Мониторинг, 1 этап: данные для первичного мониторинга в МЭДК", D(2021, 5, 30), None),
])
def test_plans_the_step(milestone_id, text, end, start):
    a = activity(text, end, start)
    assert matched(milestone_id, [a]) is a


@pytest.mark.parametrize("milestone_id, text, end", [
    # near misses: the same objects, another action
    ("2022-concept-upload", "Экспертиза документов", D(2022, 3, 30)),
    ("2022-concept-upload", "Экспертиза документов, размещенных на портале ФИОКО", D(2022, 3, 30)),
    ("2022-expertise-1", "Размещение документов на портале", D(2022, 6, 20)),
    ("2021-concept-upload", "Выборочная экспертиза концептуальных документов федеральным оператором", D(2021, 6, 30)),
    ("2022-concept-docs", "Размещение концептуальных документов в ИС МЭДК", D(2022, 3, 30)),
    ("2022-concept-docs", "Разработка муниципальной программы повышения качества образования", D(2022, 3, 14)),
    ("2022-concept-upload", "Размещение информации о реализации проекта на сайте", D(2022, 3, 30)),
    ("2022-survey-1", "Анкетирование школ для выявления рисковых профилей", D(2022, 2, 4)),
    ("2022-risk-profile-survey", "Анализ программ по каждому рисковому профилю", D(2022, 2, 4)),
    ("2022-curator-visits", "Назначение кураторов проекта", D(2022, 2, 7)),
    ("2021-curators-assigned", "Анкетирование кандидатов в кураторы", D(2021, 2, 14)),
    ("2022-summing-up", "Итоговая защита школьных программ", D(2022, 11, 30)),
    ("2022-team-formation", "Сбор сведений о составе управленческих команд школ", D(2022, 1, 17)),
    # unrelated rows, even when dated exactly on the federal deadline
    ("2022-setup-seminar", "Информационное сопровождение реализации проекта", D(2022, 2, 14)),
    ("2022-monitoring-1", "Сбор информации о курсах повышения квалификации", D(2022, 4, 29)),
    ("2022-expertise-1", "Проведение мониторинга контекстных данных по школам федерального уровня", D(2022, 6, 20)),
    ("2022-team-formation", "Организация стажировки «На пути к результативной школе»", D(2022, 1, 17)),
])
def test_does_not_plan_the_step(milestone_id, text, end):
    assert matched(milestone_id, [activity(text, end)]) is None


@pytest.mark.parametrize("text, end, start, milestone_id, expected", [
    # siblings (three surveys, two monitorings, two expertises): dates pick the sibling …
    ("Проведение опроса участников проекта", D(2022, 3, 24), D(2022, 3, 10), "2022-survey-1", True),
    ("Проведение опроса участников проекта", D(2022, 3, 24), D(2022, 3, 10), "2022-survey-2", False),
    ("Проведение опроса участников проекта", D(2022, 3, 24), D(2022, 3, 10), "2022-survey-3", False),
    ("Экспертиза документов школ федеральным оператором", D(2022, 11, 15), None, "2022-expertise-1", False),
    ("1 этап мониторинга: размещение данных в ИС МЭДК", D(2022, 4, 29), None, "2022-monitoring-2", False),
    # … and an ordinal the row names must agree, dated or not
    ("Организация второго опроса участников", None, None, "2022-survey-1", False),
    ("Организация второго опроса участников", None, None, "2022-survey-2", True),
    ("Организация третьего опроса участников", D(2022, 6, 10), None, "2022-survey-2", False),
    # an undated row without an ordinal can serve every sibling
    ("Опросы участников проекта", None, None, "2022-survey-1", True),
    ("Опросы участников проекта", None, None, "2022-survey-3", True),
])
def test_siblings(text, end, start, milestone_id, expected):
    a = activity(text, end, start)
    assert (matched(milestone_id, [a]) is a) is expected


def test_one_activity_may_satisfy_several_milestones():
    both = activity("Разработка и размещение концептуальных документов школ в ИС МЭДК", D(2022, 3, 14))
    assert matched("2022-concept-docs", [both]) is both
    assert matched("2022-concept-upload", [both]) is both


@pytest.mark.parametrize("milestone_id, rows, expected", [
    # the date breaks a tie between rows saying the same thing
    ("2022-survey-2", [("Опрос участников проекта", D(2022, 3, 24)), ("Опрос участников проекта", D(2022, 6, 13))], 1),
    # the row that starts with the step's action beats one that only mentions it
    ("2022-curator-visits", [("Сбор графиков посещения кураторами", D(2022, 2, 24)),
                             ("Посещение школ кураторами", D(2022, 2, 25))], 1),
    # a rarer word in this plan beats a word every row repeats
    ("2022-setup-seminar", [("Проведение семинар-совещания с командами школ", D(2022, 2, 7)),
                            ("Организация установочного совещания с командами школ", D(2022, 2, 1)),
                            ("Совещание с командами школ по результатам мониторинга", D(2022, 4, 30))], 1),
    # the row's own text counts more than its result column
    ("2022-concept-upload", [("Мониторинг реализации плана", D(2022, 3, 30)),
                             ("Размещение концептуальных документов в ИС МЭДК", D(2022, 3, 30))], 1),
])
def test_best_of_several(milestone_id, rows, expected):
    acts = [activity(text, end) for text, end in rows]
    assert matched(milestone_id, acts) is acts[expected]


def test_result_column_counts_as_evidence():
    row = activity("Посещение образовательных организаций", D(2021, 3, 10), D(2021, 3, 2),
                   result="Кураторы посетили 100% школ, РПШ верифицированы")
    assert matched("2021-curator-visits", [row]) is row


def test_row_with_lost_text_but_the_federal_window_matches():
    lost = activity("", D(2022, 2, 4), D(2022, 1, 17))
    assert matched("2022-risk-profile-survey", [lost]) is lost
    assert matched("2022-survey-1", [lost]) is None
    assert matched("2022-risk-profile-survey", [activity("", D(2022, 2, 4))]) is None


# --------------------------------------------------------------------------- status

@pytest.mark.parametrize("kind, start, end, dates, deadline, expected", [
    ("deadline", None, D(2022, 1, 17), [], D(2022, 1, 17), (D(2022, 1, 17), "on_time", 0)),
    ("deadline", None, D(2022, 2, 1), [], D(2022, 2, 4), (D(2022, 2, 1), "on_time", -3)),
    ("date", D(2022, 6, 20), D(2022, 6, 20), [], D(2022, 6, 20), (D(2022, 6, 20), "on_time", 0)),
    ("period", D(2021, 2, 1), D(2021, 3, 31), [], D(2021, 2, 15), (D(2021, 3, 31), "late", 44)),
    ("period", D(2022, 11, 1), D(2022, 11, 30), [], D(2022, 12, 20), (D(2022, 11, 30), "on_time", -20)),
    ("dates", D(2022, 3, 1), D(2022, 10, 17), [D(2022, 3, 1), D(2022, 10, 17)], D(2022, 11, 1),
     (D(2022, 10, 17), "on_time", -15)),
    ("dates", None, None, [D(2022, 3, 1), D(2022, 12, 1)], D(2022, 11, 1), (D(2022, 12, 1), "late", 30)),
    ("after", D(2022, 4, 29), None, [], D(2022, 4, 29), (None, "undated", None)),
    ("after", D(2022, 5, 10), None, [], D(2022, 4, 29), (D(2022, 5, 10), "late", 11)),
    ("ongoing", D(2022, 1, 1), D(2022, 12, 31), [], D(2022, 4, 29), (None, "undated", None)),
    ("as_needed", None, None, [], D(2022, 4, 29), (None, "undated", None)),
    ("recurring", D(2022, 1, 1), D(2022, 12, 31), [], D(2022, 4, 29), (None, "undated", None)),
    ("unspecified", None, None, [], D(2022, 4, 29), (None, "undated", None)),
])
def test_planned_status(kind, start, end, dates, deadline, expected):
    schedule = Schedule(raw="…", kind=kind, start=start, end=end, dates=dates)
    assert planned_status(schedule, deadline) == expected


def _doc(period=None, activities=(), act_date=None) -> RoadmapDocument:
    return RoadmapDocument(id="x", source=Source(path="x.pdf", sha256="0" * 64, format="pdf"),
                           period=period, activities=list(activities))


@pytest.mark.parametrize("doc, expected", [
    (_doc(Period(start=D(2022, 1, 1), end=D(2022, 12, 31))), [2022]),
    (_doc(Period(start=D(2020, 1, 1), end=D(2021, 12, 31))), [2020, 2021]),
    (_doc(None, [activity("a", D(2021, 3, 1)), activity("b", D(2021, 5, 1)), activity("c", D(2020, 12, 1))]),
     [2020, 2021]),
    (_doc(None, [activity("a", D(2021, 3, 1))] * 8 + [activity("c", D(2022, 1, 10))]), [2021]),
    (_doc(None, []), []),
])
def test_plan_years(doc, expected):
    assert plan_years(doc) == expected


def test_a_timeline_is_profiled_once_and_a_changed_one_anew(monkeypatch):
    """Every document compared against one timeline reuses its profiles; a timeline whose
    milestone differs in any field (here a keyword) gets profiles of its own."""
    import pipeline.profiles as profiles

    built = []
    real = profiles._build_profiles
    monkeypatch.setattr(profiles, "_build_profiles", lambda ms: built.append(len(ms)) or real(ms))
    monkeypatch.setattr(profiles, "_PROFILED", {})
    timeline = load_timeline(None)
    first = profiles.milestone_profiles(timeline)
    again = profiles.milestone_profiles([m.model_copy() for m in timeline])
    assert built == [len(timeline)]
    assert [p.milestone.id for p in again] == [p.milestone.id for p in first]
    changed = [timeline[0].model_copy(update={"keywords": ["самоаудит школы"]})] + list(timeline[1:])
    other = profiles.milestone_profiles(changed)
    assert built == [len(timeline), len(timeline)]
    lemmas = lambda p: {t for c in p.concepts for alt in c.alternatives for t in alt}  # noqa: E731
    assert "самоаудит" in lemmas(other[0]) and "самоаудит" not in lemmas(first[0])
