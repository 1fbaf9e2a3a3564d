"""The accuracy scorer on small hand-made documents: it must see every kind of error."""
from __future__ import annotations

import copy

import pytest

from pipeline.evaluate import (
    FIGURES,
    activity_key,
    aggregate,
    figure_kind,
    format_report,
    format_scores,
    match_activities,
    name_key,
    normalize,
    score_document,
)


def party(name, kind="regional_operator", raw=None):
    return {"raw": raw or name, "name": name, "kind": kind}


def activity(text, end, *, start=None, kind="deadline", seq=None, section=None, parties=("Региональный оператор",),
             targets=(), result=None, federal_end=None):
    act = {
        "seq": seq, "section": section, "text": text,
        "schedule": {"raw": end or "", "kind": kind, "start": start, "end": end, "dates": [], "recurrence": None},
        "federal_schedule": None,
        "responsible": [party(p) if isinstance(p, str) else p for p in parties],
        "indicators": [{"text": f"{t}%", "target": t, "unit": "%", "comparator": "="} for t in targets],
        "result": result,
        "source": {"page": None, "table": 1, "row": 1},
    }
    if federal_end is not None:
        act["federal_schedule"] = {"raw": federal_end, "kind": "deadline", "start": None, "end": federal_end,
                                   "dates": [], "recurrence": None}
    return act


GOLD = {
    "id": None, "source": None,
    "issuer": "Департамент образования и науки Тюменской области",
    "region": {"code": "RU-TYU", "name": "Тюменская область"},
    "level": "regional", "municipality": None, "doc_type": "приказ", "number": "918/02", "date": "2021-12-30",
    "title": "Об утверждении плана мероприятий по работе со школами с низкими образовательными результатами",
    "amends": [], "period": {"start": "2022-01-01", "end": "2022-12-31"},
    "activities": [
        activity("Анкетирование кандидатов в кураторы и наставники проекта", "2022-01-27", seq="1",
                 section="1. Организационный этап", targets=(100,)),
        activity("Установочный семинар для МОУО, школ и кураторов проекта", "2022-02-14", start="2022-02-07",
                 kind="period", seq="2", section="1. Организационный этап",
                 parties=("Департамент образования и науки Тюменской области", "ТОГИРРО")),
        activity("Опрос (анкетирование) участников проекта", "2022-03-24", start="2022-03-10", kind="period",
                 seq="3", section="2. Мониторинг", parties=(party("кураторы", "curator"),)),
        activity("Экспертиза документов, размещенных на портале ФИОКО", "2022-06-20", start="2022-06-20",
                 kind="date", seq="4", section="2. Мониторинг", parties=(party("ФГБУ «ФИОКО»", "federal"),)),
        activity("Опрос (анкетирование) участников проекта", "2022-06-13", start="2022-05-30", kind="period",
                 seq="5", section="2. Мониторинг", targets=(100,), result="Аналитическая справка"),
    ],
    "warnings": [],
}


def pred(mutate=None):
    document = copy.deepcopy(GOLD)
    document["id"] = "0123456789abcdef"
    if mutate:
        mutate(document)
    return document


def test_identical_document_scores_one_everywhere():
    score = score_document(pred(), GOLD)
    figures = score.figures()
    assert figures.pop("federal_end") is None  # the gold has no federal column
    ratios = {k: v for k, v in figures.items() if figure_kind(k) == "ratio"}
    assert all(value == 1.0 for value in ratios.values()), ratios
    assert all(figures[k] == 0 for k in figures if figure_kind(k) == "near_miss")
    assert score.mismatches == []


def test_wrong_end_date_is_caught():
    def wrong_end(d):
        d["activities"][1]["schedule"]["end"] = "2022-02-15"
    score = score_document(pred(wrong_end), GOLD)
    assert score.activity_f1 == 1.0
    assert score.figure("schedule_end") == pytest.approx(4 / 5)
    assert score.figure("schedule_start") == 1.0
    assert any(m.startswith("schedule_end:") and "2022-02-15" in m for m in score.mismatches)


def test_missing_activity_lowers_recall_and_counts_as_wrong_schedule():
    def drop(d):
        del d["activities"][3]
    score = score_document(pred(drop), GOLD)
    assert score.activity_precision == 1.0
    assert score.activity_recall == pytest.approx(4 / 5)
    assert score.activity_f1 == pytest.approx(2 * 0.8 / 1.8)
    assert score.figure("schedule_end") == pytest.approx(4 / 5)
    assert any(m.startswith("missing:") and "Экспертиза" in m for m in score.mismatches)


def test_extra_activity_lowers_precision_only():
    def extra(d):
        d["activities"].append(activity("Подведение итогов проекта, обсуждение планов на 2023 год", "2022-12-20"))
    score = score_document(pred(extra), GOLD)
    assert score.activity_recall == 1.0
    assert score.activity_precision == pytest.approx(5 / 6)
    assert score.figure("schedule_end") == 1.0
    assert any(m.startswith("extra:") and "Подведение" in m for m in score.mismatches)


def test_wrong_party_is_caught():
    def wrong_party(d):
        d["activities"][1]["responsible"][1] = party("МОУО", "municipal")
    score = score_document(pred(wrong_party), GOLD)
    assert score.parties_tp == 5 and score.parties_gold == 6 and score.parties_predicted == 6
    assert score.parties_f1 == pytest.approx(5 / 6)
    assert any(m.startswith("parties:") and "МОУО" in m for m in score.mismatches)


def test_missing_and_extra_parties_split_into_precision_and_recall():
    def change(d):
        d["activities"][0]["responsible"].append(party("кураторы", "curator"))
        d["activities"][1]["responsible"].pop()
    score = score_document(pred(change), GOLD)
    assert score.parties_precision == pytest.approx(5 / 6)
    assert score.parties_recall == pytest.approx(5 / 6)


def test_unexpanded_abbreviation_is_a_wrong_party_name():
    def abbreviation(d):
        d["activities"][1]["responsible"][0] = party("ДОН ТО", "regional_authority")
    assert score_document(pred(abbreviation), GOLD).parties_f1 < 1.0


def test_party_kind_is_scored_separately_from_names():
    def kind(d):
        d["activities"][2]["responsible"][0]["kind"] = "school"
    score = score_document(pred(kind), GOLD)
    assert score.parties_f1 == 1.0
    assert score.figure("party_kind") == pytest.approx(5 / 6)  # six parties, one kind wrong


@pytest.mark.parametrize("text", [
    "<p>Анкетирование кандидатов в кураторы и наставники проекта</p>",
    "1. Анкетирование кандидатов в кураторы и наставники проекта",
    "АНКЕТИРОВАНИЕ   кандидатов в кураторы и\nнаставники проекта",
    "Анкетирование кандидатов в кураторы и наставники проекта.",
    "Анкетирование кандидатов в кураторы и наставники  проекта ",
])
def test_cosmetic_text_differences_still_match(text):
    def cosmetic(d):
        d["activities"][0]["text"] = text
    score = score_document(pred(cosmetic), GOLD)
    assert score.n_matched == 5
    assert score.figure("schedule_end") == 1.0


@pytest.mark.parametrize("text", [
    "Анкетирование кандидатов в",                     # a row left split by a page break
    "Информационное сопровождение реализации проекта",  # another activity
])
def test_truncated_or_other_text_does_not_match(text):
    def change(d):
        d["activities"][0]["text"] = text
    score = score_document(pred(change), GOLD)
    assert score.n_matched == 4
    assert score.figure("schedule_end") == pytest.approx(4 / 5)


def test_debris_left_in_text_is_reported_by_text_exact_only():
    def debris(d):
        d["activities"][0]["text"] = "<b>" + d["activities"][0]["text"] + "</b>"
    score = score_document(pred(debris), GOLD)
    assert score.activity_f1 == 1.0
    assert score.figure("text_exact") == pytest.approx(4 / 5)
    assert any(m.startswith("text:") and "<b>" in m for m in score.mismatches)
    assert "1 mismatches" in repr(score) and len(repr(score)) < 200


def test_repeated_activities_pair_in_document_order():
    score = score_document(pred(), GOLD)
    pairs = match_activities(pred()["activities"], GOLD["activities"])
    assert pairs[2] == 2 and pairs[4] == 4
    assert score.figure("schedule_end") == 1.0


def test_repeated_activities_with_swapped_dates_are_wrong():
    def swap(d):
        a, b = d["activities"][2]["schedule"], d["activities"][4]["schedule"]
        d["activities"][2]["schedule"], d["activities"][4]["schedule"] = b, a
    assert score_document(pred(swap), GOLD).figure("schedule_end") == pytest.approx(3 / 5)


@pytest.mark.parametrize("field,value,expected", [
    ("seq", "1.", 1.0),            # a trailing dot is not an error
    ("seq", "7", 4 / 5),
    ("section", "1. Организационный  ЭТАП", 1.0),  # case and spaces only
    ("section", "1. Организационный этап.", 4 / 5),  # a trailing dot is a near miss, not a hit
    ("section", None, 4 / 5),
    ("section", "3. Информационное сопровождение", 4 / 5),
    ("result", "Справка", 1 / 2),  # gold has one result: the invented one counts, the empty rest do not
])
def test_seq_section_result(field, value, expected):
    def change(d):
        d["activities"][0][field] = value
    assert score_document(pred(change), GOLD).figure(field) == pytest.approx(expected)


@pytest.mark.parametrize("targets,expected", [
    ((100,), 1.0),
    ((), 1 / 2),        # target lost
    ((90,), 1 / 2),     # wrong target
    ((100, 60), 1 / 2), # a target too many
])
def test_indicator_targets(targets, expected):
    def change(d):
        d["activities"][0]["indicators"] = [{"text": "x", "target": t, "unit": "%", "comparator": "="}
                                            for t in targets]
    assert score_document(pred(change), GOLD).figure("indicator_target") == pytest.approx(expected)


def test_target_invented_where_gold_has_none_counts_against():
    def change(d):
        d["activities"][1]["indicators"] = [{"text": "60%", "target": 60, "unit": "%", "comparator": ">="}]
    assert score_document(pred(change), GOLD).figure("indicator_target") == pytest.approx(2 / 3)


def test_federal_schedule_end():
    gold = copy.deepcopy(GOLD)
    gold["activities"][0]["federal_schedule"] = activity("x", "2022-02-04", federal_end="2022-02-04")["federal_schedule"]
    good = copy.deepcopy(gold)
    bad = copy.deepcopy(gold)
    bad["activities"][0]["federal_schedule"] = None
    assert score_document(good, gold).figure("federal_end") == 1.0
    assert score_document(bad, gold).figure("federal_end") == 0.0


@pytest.mark.parametrize("field,value,ok", [
    ("issuer", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ И НАУКИ ТЮМЕНСКОЙ ОБЛАСТИ", True),
    ("issuer", "Департамент образования Ивановской области", False),
    ("issuer", None, False),
    ("number", "№ 918/02", True),
    ("number", "918", False),
    ("date", "2021-12-31", False),
    ("doc_type", "ПРИКАЗ", True),
    ("doc_type", "распоряжение", False),
    ("level", "municipal", False),
    ("municipality", "город Тюмень", False),
    ("title", "Об утверждении плана мероприятий по работе со школами с низкими образовательными результатами.", False),
    ("title", "ОБ УТВЕРЖДЕНИИ плана мероприятий по работе со школами с низкими образовательными результатами", True),
    ("title", "Об утверждении Муниципальной модели адресной поддержки школ", False),
    ("amends", [{"number": "199-од", "date": "2020-05-21"}], False),
    ("period", {"start": "2021-01-01", "end": "2021-12-31"}, False),
    ("period", None, False),
    ("region", {"code": "RU-TYU", "name": "Тюменская обл."}, True),
    ("region", {"code": "RU-IVA", "name": "Ивановская область"}, False),
])
def test_metadata_fields(field, value, ok):
    def change(d):
        d[field] = value
    score = score_document(pred(change), GOLD)
    key = "region.code" if field == "region" else field
    assert score.metadata_fields[key] is ok
    # municipality and amends are empty in the gold: counted apart unless the prediction fills them
    counted = 8 + (field in ("municipality", "amends"))
    assert score.metadata == pytest.approx(1.0 if ok else (counted - 1) / counted)


def test_amends_compare_number_and_date():
    gold = pred(lambda d: d.update(amends=[{"number": "199-од", "date": "2020-05-21"}]))
    assert score_document(pred(lambda d: d.update(amends=[{"number": "№ 199-од", "date": "2020-05-21"}])),
                          gold).metadata_fields["amends"]
    assert not score_document(pred(lambda d: d.update(amends=[{"number": "199-од", "date": None}])),
                              gold).metadata_fields["amends"]


def test_accepts_a_schema_object():
    from schema import RoadmapDocument

    data = pred()
    data["source"] = {"path": "x.docx", "sha256": "0" * 64, "format": "docx", "pages": None, "ocr": False}
    document = RoadmapDocument.model_validate(data)
    score = score_document(document, GOLD)
    assert score.activity_f1 == 1.0
    assert score.metadata == 1.0
    assert score.figure("schedule_end") == 1.0


def test_empty_prediction_scores_zero():
    score = score_document(pred(lambda d: d.update(activities=[], issuer=None)), GOLD)
    assert score.activity_f1 == 0.0
    assert score.figure("schedule_end") == 0.0
    assert score.parties_f1 is None


def test_empty_header_scores_no_metadata_for_fields_nobody_filled():
    empty = {key: None for key in ("issuer", "region", "municipality", "doc_type", "number", "date", "title",
                                   "period")}
    score = score_document(pred(lambda d: d.update(empty, amends=[], level="regional")), GOLD)
    assert score.metadata == pytest.approx(1 / 8)  # level only; municipality and amends are both empty
    assert score.figure("metadata_both_empty") == 2
    assert score.metadata_fields["municipality"] is None


def test_both_empty_is_counted_apart_from_hits():
    score = score_document(pred(), GOLD)
    assert score.figure("schedule_start") == 1.0
    assert score.counts["schedule_start"] == [4, 4]      # four activities have a start
    assert score.figure("schedule_start_both_empty") == 1  # one has none, on both sides
    assert score.figure("result_both_empty") == 4
    invented = score_document(pred(lambda d: d["activities"][0]["schedule"].update(start="2022-01-10")), GOLD)
    assert invented.counts["schedule_start"] == [4, 5]
    assert invented.figure("schedule_start_both_empty") == 0


def test_missing_activity_counts_only_its_filled_fields():
    score = score_document(pred(lambda d: d["activities"].__delitem__(0)), GOLD)
    assert score.counts["schedule_start"] == [4, 4]  # the lost activity had no start: nothing to count
    assert score.counts["schedule_end"] == [4, 5]
    assert score.figure("schedule_start_both_empty") == 0


@pytest.mark.parametrize("gold_name,predicted_name", [
    ("руководители образовательных организаций", "Руководители общеобразовательных организаций"),
    ("КГАОУ ДПО «Хабаровский краевой институт развития образования»",
     "«Хабаровский краевой институт развития образования»"),          # legal form dropped
    ("Государственное образовательное учреждение «Коми институт»",
     "Государственному образовательному учреждению «Коми институт»"),  # wrong case
    ("Министерство образования Тверской области", "Министерство образования Тюменской области"),
])
def test_near_miss_party_is_a_miss_reported_apart(gold_name, predicted_name):
    gold = copy.deepcopy(GOLD)
    gold["activities"][2]["responsible"] = [party(gold_name, "regional_authority")]
    score = score_document(pred(lambda d: d["activities"][2].update(
        responsible=[party(predicted_name, "regional_authority")])), gold)
    assert score.parties_tp == 5 and score.parties_gold == 6
    assert score.figure("party_near_miss") == 1
    assert score.near_misses["party"] == [(gold_name, predicted_name)]
    assert score.figure("party_kind") == 1.0  # the near-miss pair still has its kind judged
    assert "near misses, party names: 1" in format_report([score])


@pytest.mark.parametrize("predicted_name", [
    "ФГБУ \"ФИОКО\"", "фгбу «фиоко»", "ФГБУ  « ФИОКО »", "ФГБУ «ФИОКО»",
])
def test_party_names_equal_after_one_normalization(predicted_name):
    score = score_document(pred(lambda d: d["activities"][3]["responsible"][0].update(name=predicted_name)), GOLD)
    assert score.parties_f1 == 1.0 and score.figure("party_near_miss") == 0


def test_title_of_another_year_is_a_near_miss():
    gold = pred(lambda d: d.update(title="Об утверждении дорожной карты на 2022 год"))
    score = score_document(pred(lambda d: d.update(title="Об утверждении дорожной карты на 2021 год")), gold)
    assert score.metadata_fields["title"] is False
    assert score.figure("title_near_miss") == 1


def test_issuer_of_another_region_is_a_near_miss():
    score = score_document(pred(lambda d: d.update(issuer=GOLD["issuer"].replace("Тюменской", "Тверской"))), GOLD)
    assert score.metadata_fields["issuer"] is False
    assert score.figure("issuer_near_miss") == 1


def test_unrelated_party_is_no_near_miss():
    score = score_document(pred(lambda d: d["activities"][1]["responsible"].__setitem__(1, party("МОУО"))), GOLD)
    assert score.figure("party_near_miss") == 0 and score.parties_tp == 5


def test_aggregate_is_micro():
    good = score_document(pred(), GOLD, name="good")
    bad = score_document(pred(lambda d: d["activities"].__delitem__(slice(1, None))), GOLD, name="bad")
    total = aggregate([good, bad])
    assert total.n_gold == 10 and total.n_matched == 6 and total.n_predicted == 6
    assert total.activity_recall == pytest.approx(0.6)
    assert total.figure("schedule_end") == pytest.approx(6 / 10)
    assert total.documents == 2
    assert all(m.startswith("bad: ") for m in total.mismatches)


def test_format_scores_renders_every_figure():
    text = format_scores({"a": score_document(pred(), GOLD, name="a"),
                          "b": score_document(pred(lambda d: d.update(activities=[])), GOLD, name="b")})
    assert "schedule end" in text and "parties: F1" in text and "metadata" in text
    assert "1.000" in text and "0.000" in text and "—" in text
    assert text.splitlines()[0].split() == ["a", "b"]
    assert all(label in text for _, label in FIGURES)
    assert "near misses: party names" in text and "both empty: schedule start" in text


@pytest.mark.parametrize("raw,expected", [
    ("<p>Текст</p>", "текст"),
    ("**Текст**", "текст"),
    ("«Дорожная карта»", '"дорожная карта"'),
    ("школ- участниц", "школ-участниц"),
    ("Февраль – март", "февраль-март"),
    ("школы—участники", "школы-участники"),
    ("Ёлка", "елка"),
    ("  a \n b\t c ", "a b c"),
    (None, ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("МБОУ «Школа № 1»", "мбоу школа № 1"),
    ('МБОУ "Школа № 1"', "мбоу школа № 1"),
    ("МБОУ « Школа № 1 »", "мбоу школа № 1"),
    ("Учебно - методическое объединение", "учебно-методическое объединение"),
    ("Учебно–методическое  объединение", "учебно-методическое объединение"),
    ("Объёмы", "объемы"),
    ("<b>Школа</b>", "<b>школа</b>"),  # markup is debris, not a spelling: it stays a difference
    ("Школа.", "школа."),
    (None, ""),
])
def test_name_key(raw, expected):
    assert name_key(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("1. Начало", "начало"),
    ("1.1 Анкетирование", "анкетирование"),
    ("1.10. Подготовка", "подготовка"),
    ("2) в части", "в части"),
    ("1 этап Мониторинг", "1 этап мониторинг"),
    ("500+ проект", "500+ проект"),
    ("<p>18. Проведение</p>", "проведение"),
])
def test_activity_key_drops_row_numbers_only(raw, expected):
    assert activity_key(raw) == expected
