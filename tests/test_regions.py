"""normalizers.regions: subjects found in any case form, capitals mapped to their subject."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalizers.regions import (
    all_regions,
    capital_nominative,
    find_city_regions,
    find_region,
    find_region_matches,
    find_regions,
    fold_homoglyphs,
    region_by_code,
    region_of_city,
)

DATA = Path(__file__).resolve().parents[1] / "normalizers" / "data" / "regions.json"


# --- the data file --------------------------------------------------------------------

def test_all_89_subjects_with_unique_codes():
    regions = all_regions()
    assert len(regions) == 89
    assert len({r.code for r in regions}) == 89
    assert len({r.name for r in regions}) == 89


@pytest.mark.parametrize(
    "code,name",
    [
        ("RU-TYU", "Тюменская область"),
        ("RU-IVA", "Ивановская область"),
        ("RU-SAM", "Самарская область"),
        ("RU-PER", "Пермский край"),
        ("RU-BU", "Республика Бурятия"),
        ("RU-MOW", "город Москва"),
        ("RU-SPE", "город Санкт-Петербург"),
        ("RU-SEV", "город Севастополь"),
        ("RU-MOS", "Московская область"),
        ("RU-TA", "Республика Татарстан"),
        ("RU-BA", "Республика Башкортостан"),
        ("RU-KDA", "Краснодарский край"),
        ("RU-KHM", "Ханты-Мансийский автономный округ — Югра"),
        ("RU-YAN", "Ямало-Ненецкий автономный округ"),
        ("RU-CHE", "Челябинская область"),
        ("RU-CE", "Чеченская Республика"),
        ("RU-KYA", "Красноярский край"),
        ("RU-SA", "Республика Саха (Якутия)"),
        ("RU-CR", "Республика Крым"),
        ("RU-DPR", "Донецкая Народная Республика"),
        ("RU-LPR", "Луганская Народная Республика"),
        ("RU-ZAP", "Запорожская область"),
        ("RU-KHE", "Херсонская область"),
        ("RU-YEV", "Еврейская автономная область"),
    ],
)
def test_codes_and_canonical_names(code, name):
    region = region_by_code(code)
    assert region is not None and region.name == name
    assert region_by_code(code.lower()) == region


def test_data_file_documents_the_non_iso_codes():
    about = json.loads(DATA.read_text(encoding="utf-8"))["_about"]
    for code in ("RU-CR", "RU-SEV", "RU-DPR", "RU-LPR", "RU-ZAP", "RU-KHE"):
        assert code in about


@pytest.mark.parametrize("region", all_regions(), ids=lambda r: r.code)
def test_every_canonical_name_is_found(region):
    assert find_region(f"Министерство образования {region.name}") == region


# --- case forms -----------------------------------------------------------------------

CASE_FORMS = [
    ("Тюменской области", "RU-TYU"),
    ("Тюменская область", "RU-TYU"),
    ("по Тюменской области", "RU-TYU"),
    ("в Тюменскую область", "RU-TYU"),
    ("ТЮМЕНСКОЙ ОБЛАСТИ", "RU-TYU"),
    ("Пермского края", "RU-PER"),
    ("в Пермском крае", "RU-PER"),
    ("Пермскому краю", "RU-PER"),
    ("Республики Бурятия", "RU-BU"),
    ("Республике Бурятия", "RU-BU"),
    ("Республикой Бурятия", "RU-BU"),
    ("в Бурятии", "RU-BU"),
    ("Ивановской области", "RU-IVA"),
    ("Самарской области", "RU-SAM"),
    ("г. Москвы", "RU-MOW"),
    ("города Москвы", "RU-MOW"),
    ("в Москве", "RU-MOW"),
    ("Санкт-Петербурга", "RU-SPE"),
    ("в Санкт-Петербурге", "RU-SPE"),
    ("Ханты-Мансийского автономного округа – Югры", "RU-KHM"),
    ("Ханты-Мансийскому автономному округу - Югре", "RU-KHM"),
    ("в Югре", "RU-KHM"),
    ("ХМАО-Югры", "RU-KHM"),
    ("Чувашской Республики", "RU-CU"),
    ("в Чувашии", "RU-CU"),
    ("Республики Саха (Якутия)", "RU-SA"),
    ("в Якутии", "RU-SA"),
    ("Кабардино-Балкарской Республики", "RU-KB"),
    ("Карачаево-Черкесской Республике", "RU-KC"),
    ("Ямало-Ненецкого автономного округа", "RU-YAN"),
    ("Ненецкого автономного округа", "RU-NEN"),
    ("Еврейской автономной области", "RU-YEV"),
    ("Московской области", "RU-MOS"),
    ("Ленинградской области", "RU-LEN"),
    ("Свердловской областью", "RU-SVE"),
    ("Нижегородской области", "RU-NIZ"),
    ("Новгородской области", "RU-NGR"),
    ("Новосибирской области", "RU-NVS"),
    ("Челябинской области", "RU-CHE"),
    ("Чеченской Республики", "RU-CE"),
    ("в Чечне", "RU-CE"),
    ("Республики Татарстан", "RU-TA"),
    ("в Татарстане", "RU-TA"),
    ("Республики Башкортостан", "RU-BA"),
    ("Башкирии", "RU-BA"),
    ("Краснодарского края", "RU-KDA"),
    ("Красноярского края", "RU-KYA"),
    ("Алтайского края", "RU-ALT"),
    ("Республики Алтай", "RU-AL"),
    ("Республики Марий Эл", "RU-ME"),
    ("Республики Коми", "RU-KO"),
    ("Республики Тыва", "RU-TY"),
    ("в Туве", "RU-TY"),
    ("Удмуртской Республики", "RU-UD"),
    ("Республики Северная Осетия – Алания", "RU-SE"),
    ("Северной Осетии", "RU-SE"),
    ("Республики Дагестан", "RU-DA"),
    ("Республике Ингушетия", "RU-IN"),
    ("Республики Адыгея", "RU-AD"),
    ("Республики Хакасия", "RU-KK"),
    ("Республики Карелия", "RU-KR"),
    ("Республики Калмыкия", "RU-KL"),
    ("Республики Мордовия", "RU-MO"),
    ("Республики Крым", "RU-CR"),
    ("в Крыму", "RU-CR"),
    ("города Севастополя", "RU-SEV"),
    ("Донецкой Народной Республики", "RU-DPR"),
    ("ЛНР", "RU-LPR"),
    ("Запорожской области", "RU-ZAP"),
    ("Херсонской области", "RU-KHE"),
    ("Кемеровской области – Кузбасса", "RU-KEM"),
    ("Кузбассе", "RU-KEM"),
    ("Забайкальского края", "RU-ZAB"),
    ("Камчатского края", "RU-KAM"),
    ("Приморского края", "RU-PRI"),
    ("Ставропольского края", "RU-STA"),
    ("Хабаровского края", "RU-KHA"),
    ("Чукотского автономного округа", "RU-CHU"),
    ("Амурской области", "RU-AMU"),
    ("Архангельской области", "RU-ARK"),
    ("Белгородской области", "RU-BEL"),
    ("Владимирской области", "RU-VLA"),
    ("Волгоградской области", "RU-VGG"),
    ("Вологодской области", "RU-VLG"),
    ("Воронежской области", "RU-VOR"),
    ("Иркутской области", "RU-IRK"),
    ("Калининградской области", "RU-KGD"),
    ("Курской области", "RU-KRS"),
    ("Курганской области", "RU-KGN"),
    ("Орловской области", "RU-ORL"),
    ("Ростовской области", "RU-ROS"),
    ("Сахалинской области", "RU-SAK"),
    ("Саратовской области", "RU-SAR"),
    ("Тверской области", "RU-TVE"),
    ("Ульяновской области", "RU-ULY"),
    ("Ярославской области", "RU-YAR"),
    ("Орёл и Орловской области", "RU-ORL"),
]


@pytest.mark.parametrize("text,code", CASE_FORMS)
def test_case_forms(text, code):
    region = find_region(text)
    assert region is not None, text
    assert region.code == code


@pytest.mark.parametrize(
    "text,code,found",
    [
        (
            "Приказ департамента образования и науки Тюменской области от 30.12.2021 № 918/02",
            "RU-TYU",
            "Тюменской области",
        ),
        (
            "обеспечить участие школ Республики Бурятия в проекте «500+»",
            "RU-BU",
            "Республики Бурятия",
        ),
        ("руководителям МОУО Ханты-Мансийского автономного округа – Югры", "RU-KHM",
         "Ханты-Мансийского автономного округа"),
        ("в образовательных организациях Ямало - Ненецкого автономного округа", "RU-YAN",
         "Ямало - Ненецкого автономного округа"),
    ],
)
def test_found_inside_free_text(text, code, found):
    match = find_region_matches(text)[0]
    assert match.region.code == code
    assert match.text == found
    assert text[match.start : match.end] == found


@pytest.mark.parametrize(
    "text",
    [
        "Министерство просвещения Российской Федерации",
        "Федеральный институт оценки качества образования",
        "ОГБУ «Ивановский региональный центр оценки качества образования»",
        "Московский государственный университет",
        "Тюменский областной государственный институт развития регионального образования",
        "Крымский федеральный университет",
        "Санкт-Петербургская академия постдипломного образования",
        "Пермский государственный педагогический университет",
        "школы с низкими образовательными результатами",
        "",
    ],
)
def test_no_region_in_text_without_a_subject(text):
    assert find_region(text) is None


@pytest.mark.parametrize(
    "text,codes",
    [
        (
            "Ямало-Ненецкого автономного округа и Ненецкого автономного округа",
            ["RU-YAN", "RU-NEN"],
        ),
        ("Московской области и города Москвы", ["RU-MOS", "RU-MOW"]),
        ("Ленинградской области, Санкт-Петербурга", ["RU-LEN", "RU-SPE"]),
        ("Алтайского края и Республики Алтай", ["RU-ALT", "RU-AL"]),
        (
            "Департамент образования Ивановской области; письмо министерства образования "
            "Самарской области",
            ["RU-IVA", "RU-SAM"],
        ),
    ],
)
def test_find_regions_keeps_order_and_distinguishes_neighbours(text, codes):
    found = find_regions(text)
    assert [r.code for _, r in found] == codes
    positions = [pos for pos, _ in found]
    assert positions == sorted(positions)


def test_issuer_wins_over_a_region_cited_later():
    text = (
        "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ ИВАНОВСКОЙ ОБЛАСТИ\nПРИКАЗ\nВ соответствии с письмом "
        "министерства образования Самарской области от 01.02.2022 № 5"
    )
    assert find_region(text).code == "RU-IVA"


@pytest.mark.parametrize(
    "text,code",
    [
        ("Тюменскoй oбласти", "RU-TYU"),  # Latin o
        ("ПEРМСКОГО КPАЯ", "RU-PER"),  # Latin E, P
        ("Самарскои области", None),  # a missing letter is not guessed
    ],
)
def test_ocr_homoglyphs(text, code):
    region = find_region(text)
    assert (region.code if region else None) == code


def test_fold_homoglyphs_keeps_length_and_latin_words():
    text = "Тюменскoй oбласти, e-mail: info@edu.ru, No 5"
    folded = fold_homoglyphs(text)
    assert len(folded) == len(text)
    assert "Тюменской" in folded
    assert "e-mail: info@edu.ru, No 5" in folded


@pytest.mark.parametrize(
    "text,cased",
    [
        ("ТЮМЕНСКОЙ ОБЛАСТИ", "Тюменской области"),
        ("РЕСПУБЛИКИ БУРЯТИЯ", "Республики Бурятия"),
        ("ХАНТЫ-МАНСИЙСКОГО АВТОНОМНОГО ОКРУГА", "Ханты-Мансийского автономного округа"),
        ("ЧУВАШСКОЙ РЕСПУБЛИКИ", "Чувашской Республики"),
        ("ГОРОДА МОСКВЫ", "города Москвы"),
        ("РЕСПУБЛИКИ МАРИЙ ЭЛ", "Республики Марий Эл"),
        ("хмао", "ХМАО"),
    ],
)
def test_mentions_recased_like_the_canonical_name(text, cased):
    assert find_region_matches(text)[0].cased == cased


# --- capitals -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "city,code,nominative",
    [
        ("Тюмени", "RU-TYU", "Тюмень"),
        ("Тюмень", "RU-TYU", "Тюмень"),
        ("Перми", "RU-PER", "Пермь"),
        ("Иваново", "RU-IVA", "Иваново"),
        ("Самары", "RU-SAM", "Самара"),
        ("Улан-Удэ", "RU-BU", "Улан-Удэ"),
        ("Казани", "RU-TA", "Казань"),
        ("Уфы", "RU-BA", "Уфа"),
        ("Екатеринбурга", "RU-SVE", "Екатеринбург"),
        ("Ростова-на-Дону", "RU-ROS", "Ростов-на-Дону"),
        ("Нижнего Новгорода", "RU-NIZ", "Нижний Новгород"),
        ("Великом Новгороде", "RU-NGR", "Великий Новгород"),
        ("Орла", "RU-ORL", "Орёл"),
        ("Чебоксар", "RU-CU", "Чебоксары"),
        ("Йошкар-Олы", "RU-ME", "Йошкар-Ола"),
        ("Петропавловска-Камчатского", "RU-KAM", "Петропавловск-Камчатский"),
        ("Ханты-Мансийска", "RU-KHM", "Ханты-Мансийск"),
        ("Салехарда", "RU-YAN", "Салехард"),
        ("Якутска", "RU-SA", "Якутск"),
        ("Грозного", "RU-CE", "Грозный"),
        ("Симферополя", "RU-CR", "Симферополь"),
        ("Севастополя", "RU-SEV", "Севастополь"),
        ("Москвы", "RU-MOW", "Москва"),
        ("Ярославля", "RU-YAR", "Ярославль"),
        ("Южно-Сахалинска", "RU-SAK", "Южно-Сахалинск"),
        ("Нарьян-Мара", "RU-NEN", "Нарьян-Мар"),
    ],
)
def test_region_of_city(city, code, nominative):
    assert region_of_city(city).code == code
    assert capital_nominative(city) == nominative


@pytest.mark.parametrize("city", ["Тобольска", "Тольятти", "Сургута", "Кинешмы", "Тюменской", ""])
def test_region_of_city_only_knows_capitals(city):
    assert region_of_city(city) is None


@pytest.mark.parametrize(
    "text,code",
    [
        ("Администрация города Тюмени", "RU-TYU"),
        ("АДМИНИСТРАЦИЯ ГОРОДА ТЮМЕНИ", "RU-TYU"),
        ("Управление образования г. Перми", "RU-PER"),
        ("департамент образования г.Вологды", "RU-VLG"),
        ("в городе Иваново", "RU-IVA"),
    ],
)
def test_find_city_regions(text, code):
    assert find_city_regions(text)[0][1].code == code


def test_capital_without_a_city_word_is_not_a_mention():
    assert find_city_regions("Тюмень, 2021") == []
    assert find_city_regions("Комитет Владимира Петрова") == []


def _capitals():
    from normalizers.regions import _subjects

    return [(s.code, name) for s in _subjects() if s.capital for name in (s.capital, *s.capital_forms)]


@pytest.mark.parametrize("code, name", _capitals())
def test_every_capital_and_its_listed_forms_pass_the_prefilter(code: str, name: str) -> None:
    """The regexes are built only for capitals whose first letters the text holds: none may
    be filtered out of a text that names it, in any case form the lists or endings give."""
    from normalizers.regions import find_city_regions, region_of_city

    assert region_of_city(name).code == code
    assert region_of_city(name.upper()).code == code
    assert [r.code for _, r in find_city_regions(f"администрации г. {name}")] == [code]
