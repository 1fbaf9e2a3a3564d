"""The issuer's level (regional, territorial, municipal) and the municipality it belongs to."""
from __future__ import annotations

import re
from typing import Optional

from language.inflection import inflect_phrase
from language.morphology import get_morph, parse_word
from language.patterns import compiled
from language.words import is_caps_text
from normalizers.header.casing import CITY_WORD, administration_place, recase_caps
from normalizers.regions import (
    capital_nominative, find_region_matches, fold_homoglyphs, region_of_city,
)
from normalizers.vocabulary import load, pattern

_FEDERAL_CITY_CODES = {"RU-MOW", "RU-SPE", "RU-SEV"}

_TERRITORIAL = compiled(
    r"территориальн\w*\s+(?:управлени|отдел|орган|подразделени)"
    r"|(?<![\w-])(?!главн|государствен|областн|краев|республиканск|региональн|муниципальн)"
    r"[а-яё-]+(?:ое|ее)\s+(?:окружное\s+)?управлени[ея]\b"
    r"|окружн\w*\s+управлени"
)
_REGIONAL_BODY = pattern("{}", load("header_words")["regional_body_stems"])
_MUNICIPAL = compiled(
    r"муниципальн\w*\s+(?:район|округ|образовани|учреждени|казенн|бюджетн)"
    r"|городск\w*\s+(?:округ|поселени)|сельск\w*\s+поселени|(?<![\w-])район\w*\b|улус|кожуун"
    r"|администраци\w*\s+(?:муниципальн|[а-яё-]+(?:ого|его)\s+(?:район|округ|муниципальн|городск))"
    r"|администраци\w*\s+округ\w*\s+[а-яё]"  # `администрации округа Муром`
)

# `Администрация Фрунзенского района Санкт-Петербурга`, `Управление образования Западного
# административного округа города Москвы`: a district's body of a federal city is a territorial
# body of the city (the subject), not a municipal one; a `муниципальный округ` there is municipal.
_FEDERAL_CITY_DISTRICT = compiled(r"(?<!муниципального\s)\b(?:район|округ)[аеу]?\b")


def _non_subject_city(issuer_low: str) -> bool:
    """Whether the issuer names a city (`города Тюмени`) that is not a federal city."""
    for m in CITY_WORD.finditer(issuer_low):
        region = region_of_city(m.group(1))
        if region is None or region.code not in _FEDERAL_CITY_CODES:
            return True
    return False


def _city_administration(low: str) -> Optional[str]:
    """`администрация северодвинска` → `Северодвинск`: a city (not a federal one) whose
    administration is named by the city alone."""
    place = administration_place(low.replace("ё", "е"))
    if place is None:
        return None
    name = _nominative_city(place.group(1))
    region = region_of_city(name.lower())
    return None if region is not None and region.code in _FEDERAL_CITY_CODES else name


def classify_level(issuer: Optional[str]) -> Optional[str]:
    """`territorial` (a territorial office of a regional ministry), `municipal` (a city or
    district administration or its education body) or `regional` (a subject's body)."""
    if not issuer:
        return None
    low = fold_homoglyphs(issuer).lower().replace("ё", "е")
    regions = find_region_matches(issuer)
    has_region_body = bool(_REGIONAL_BODY.search(low))
    if _TERRITORIAL.search(low) and has_region_body and (regions or "министерств" in low):
        return "territorial"
    if _FEDERAL_CITY_DISTRICT.search(low) and any(m.region.code in _FEDERAL_CITY_CODES for m in regions):
        return "territorial"  # a federal city's district runs its schools for the city, no municipality
    if _MUNICIPAL.search(low) or _non_subject_city(low) or _city_administration(low):
        return "municipal"
    if regions:
        return "regional"
    if has_region_body and not compiled(r"российской\s+федерации|федеральн").search(low):
        return "regional"
    return None


_DISTRICT_ADMINISTRATION = compiled(r"(?<![\w-])([а-яё-]+(?:ск|цк)(?:ой|ая|ую))\s+районн(?:ой|ая|ую)\s+администраци")


def _district_administration(low: str) -> Optional[str]:
    """`нерюнгринской районной администрации` → `Нерюнгринский район`: a district whose
    administration is named by the district's adjective (`… районная администрация`)."""
    found = _DISTRICT_ADMINISTRATION.search(low)
    return _nominative_phrase([found.group(1), "района"]) if found else None


def _title_word(word: str) -> str:
    return "-".join(p if p in {"на", "де"} else p[:1].upper() + p[1:].lower() for p in word.split("-"))


def _nominative_city(name: str) -> str:
    known = capital_nominative(name)
    if known:
        return known
    if get_morph() is None:
        return _title_word(name)
    parses = parse_word(name.lower())
    geo = [p for p in parses if "Geox" in p.tag] or [p for p in parses if "NOUN" in p.tag] or parses
    return _title_word(geo[0].normal_form) if geo else _title_word(name)


def _nominative_phrase(words: list[str], proper_first: bool = True) -> str:
    """`Южского муниципального района` → `Южский муниципальный район`;
    `proper_first` capitalizes the first word (a name, not `городской`)."""
    out = inflect_phrase(" ".join(words), "nomn", head_last=True).split(" ")
    if proper_first and len(out) > 1 and get_morph() is not None:
        out[0] = _title_word(out[0])
    return " ".join(out)


MUNICIPALITY = compiled(
    r"(?<![\w-])(?P<qkind>муниципальн\w*\s+(?:район|округ|образовани)\w*|городск\w*\s+(?:округ|поселени)\w*"
    r"|сельск\w*\s+поселени\w*)\s+(?P<qname>[«\"][^»\"]{2,60}[»\"]|[а-яё-]+(?:ий|ый|ой)\s+(?:район|округ)(?![\w-]))"
    r"|(?<![\w-])(?P<adj>(?!муниципальн|городск|сельск|автономн)[а-яё][а-яё-]*(?:ого|его))\s+"
    r"(?P<kind>муниципальн\w*\s+район\w*|муниципальн\w*\s+округ\w*|муниципальн\w*\s+образовани\w*"
    r"|городск\w*\s+округ\w*"
    r"|городск\w*\s+поселени\w*|сельск\w*\s+поселени\w*"
    r"|районн\w*\s+муниципальн\w*\s+образовани\w*|район(?:а|у|ом|е)?|улус\w*|кожуун\w*)(?![\w-])"
    r"|(?<![\w-])(?P<go>городск\w*\s+округ\w*)\s+(?:«?\s*город\s+)?(?P<goname>[а-яё][а-яё-]+)"
    r"|(?<![\w-])(?:(?P<cw>города|город)\s+|г\.\s*)(?P<city>[а-яё][а-яё-]+(?:\s+[а-яё][а-яё-]+)?)"
    r"|(?<![\w-])(?P<ok>округ(?:а|у|ом|е)?)\s+(?P<okname>[а-яё][а-яё-]*(?<!ого|его)(?<!ых|их|ой|ий|ый|ая|ое))(?![\w-])"
)


def official_district(municipality: Optional[str], text: str) -> Optional[str]:
    """`Навлинский район` (the letterhead's `Администрация Навлинского района`) as the order
    names it elsewhere when that is its official name: `Навлинского муниципального района` →
    `Навлинский муниципальный район`, `муниципального образования «Нерюнгринский район»` →
    `муниципальное образование «Нерюнгринский район»` (a name in quotes keeps its type words).
    Anything else is returned as it is."""
    m = compiled(r"([А-ЯЁ][а-яё-]+(?:ий|ый|ой))\s+район").fullmatch(municipality or "")
    if not m:
        return municipality
    folded = fold_homoglyphs(text)
    quoted = re.search(r"(?<![\w-])(муниципальн\w*\s+(?:образовани|район)\w*)\s+[«\"]\s*"
                       + re.escape(m.group(0)) + r"\s*[»\"]", folded, re.I)
    if quoted:
        return f"{_nominative_phrase(quoted.group(1).lower().split(), proper_first=False)} «{m.group(0)}»"
    if re.search(re.escape(m.group(1)[:-2].lower()) + r"\w*\s+муниципальн\w*\s+район", folded.lower()):
        return f"{m.group(1)} муниципальный район"
    return municipality


def find_municipality(issuer: Optional[str]) -> Optional[str]:
    """The municipality a municipal issuer belongs to, in the nominative:
    `Администрация города Тюмени` → `город Тюмень`; `… Южского муниципального района` →
    `Южский муниципальный район`; None when the issuer names none."""
    if not issuer:
        return None
    low = fold_homoglyphs(issuer).lower()
    for m in MUNICIPALITY.finditer(low):
        if m.group("qkind"):  # `муниципального района «Кизлярский район»`: the name as printed
            kind = _nominative_phrase(m.group("qkind").split(), proper_first=False)
            name = issuer[m.start("qname"):m.end("qname")] if len(low) == len(issuer) else m.group("qname")
            name = recase_caps(name, True) if is_caps_text(name) else name
            city = compiled(r"[«\"]\s*[Гг]ород\s+([^»\"]+?)\s*[»\"]").fullmatch(name)
            if city:  # `муниципального образования «Город Воткинск»` is the city
                return f"город {city.group(1)}"
            return f"{kind} {name}"
        if m.group("adj"):
            return _nominative_phrase([m.group("adj")] + m.group("kind").split())
        if m.group("go"):  # `городского округа Нальчик`, `… город Елец`: a city's formation is the city
            return f"город {_title_word(m.group('goname'))}"
        if m.group("ok"):  # `администрации округа Муром`: a city's okrug, named by the city
            if len(low) == len(issuer) and issuer[m.start("okname")].isupper():
                return f"город {_title_word(m.group('okname'))}"
            continue
        words = m.group("city").split()
        if m.group("cw") == "город" and len(low) == len(issuer):
            # `муниципального образования город Набережные Челны`: the name is printed in the
            # nominative after a nominative `город`; its capitalized words are the name
            printed = issuer[m.start("city"):m.end("city")].split()
            name = [printed[0]] + [w for w in printed[1:2] if w[:1].isupper()]
            if not is_caps_text(" ".join(name)):
                return "город " + " ".join(name)
        if len(words) == 2 and capital_nominative(" ".join(words)):
            return "город " + capital_nominative(" ".join(words))
        if len(words) == 2 and len(low) == len(issuer):
            printed = issuer[m.start("city"):m.end("city")].split()
            if printed[1][:1].isupper() and not is_caps_text(" ".join(printed)) \
                    and any(p.tag.POS == "ADJF" for p in parse_word(words[0])):
                # `города Нижний Тагил` (printed in the nominative, as the city's charter has it),
                # `города Старого Оскола`: an adjective opens a two-word name
                nominative = any(p.tag.POS == "ADJF" and "nomn" in p.tag for p in parse_word(words[0]))
                name = " ".join(words) if nominative else inflect_phrase(" ".join(words), "nomn", head_last=True)
                return "город " + " ".join(_title_word(w) for w in name.split())
        region = region_of_city(words[0])
        if region is not None and region.code in _FEDERAL_CITY_CODES:
            continue
        return "город " + _nominative_city(words[0])
    city = _city_administration(low)
    return f"город {city}" if city else _district_administration(low)
