"""Header lines printed in capitals put back in normal case: names of regions, cities,
districts and bodies keep their capitals."""
from __future__ import annotations

import re
from typing import Optional

from language.morphology import is_dictionary_word, parse_word
from language.patterns import compiled
from normalizers.regions import find_region_matches

CITY_WORD = compiled(
    r"(?<![\w-])(?:(?:города|городу|городе|городом|город)\s+|г\.\s*)([а-яё][а-яё-]*)"
)
_GO_NAME = compiled(r"городск\w*\s+округ\w*\s+(?:[«\"]?\s*город\s+)?([а-яё][а-яё-]*)")
_OKRUG_NAME = compiled(r"(?<![\w-])округ(?:а|у|ом|е)?\s+([а-яё][а-яё-]*)")  # `администрации округа Муром`
# `Администрация Северодвинска`: a city's administration named by the city alone, no `города`
_ADMINISTRATION_OF = compiled(r"(?<![\w-])администраци\w*\s+([а-яё][а-яё-]+)(?![\w-])")


def administration_place(low: str) -> Optional[re.Match]:
    """The `администрации <place>` of a lower-case line whose word after it is a place's name in
    the genitive (`Северодвинска`; not `города`, `муниципального`)."""
    for m in _ADMINISTRATION_OF.finditer(low):
        best = parse_word(m.group(1))[:1]
        if best and "Geox" in best[0].tag and best[0].tag.POS == "NOUN" and best[0].tag.case == "gent":
            return m
    return None
# Territorial offices named by compass points are written `Северо-Западное`, `Юго-Восточное`.
_DIRECTION = compiled(r"(?<![\w-])(?:северо|юго)-(?:западн|восточн)\w*")
# The government of several republics is `Кабинет Министров` (both words capitalized).
_CABINET = compiled(r"кабинет\w*\s+министров")
_MUNICIPAL_ADJ = compiled(
    r"(?<![\w-])(?!муниципальн|городск|сельск|автономн|административн|внутригородск)"
    r"([а-яё][а-яё-]*(?:ого|его|ий|ый))"
    r"(?=\s+(?:муниципальн\w*\s+(?:район|округ|образовани)|городск\w*\s+(?:округ|поселени)"
    r"|сельск\w*\s+поселени|район\w*\b|округ\w*\b|улус\w*\b|кожуун\w*\b))"
)


def _cap(word: str) -> str:
    parts = word.split("-")
    return "-".join(p if p in {"на", "де", "и"} else p[:1].upper() + p[1:] for p in parts)


def recase_caps(line: str, capitalize_first: bool) -> str:
    """Lower-case an all-caps line, then restore capitals: region names, city names,
    district names, quoted names, abbreviations; optionally the first letter."""
    low = line.lower()
    chars = list(low)

    def put(start: int, text: str) -> None:
        chars[start : start + len(text)] = list(text)

    for m in _MUNICIPAL_ADJ.finditer(low):
        put(m.start(1), _cap(m.group(1)))
    for m in CITY_WORD.finditer(low):
        put(m.start(1), _cap(m.group(1)))
        # an adjective opens a two-word name: `Набережные Челны`, `Нижний Новгород`
        nxt = compiled(r"\s+([а-яё][а-яё-]+)").match(low[m.end(1):])
        if nxt and any(p.tag.POS == "ADJF" for p in parse_word(m.group(1))[:1]):
            put(m.end(1) + nxt.start(1), _cap(nxt.group(1)))
    for m in _GO_NAME.finditer(low):
        put(m.start(1), _cap(m.group(1)))
    for m in _OKRUG_NAME.finditer(low):  # a place's name after a bare `округ`, not `округа города`
        if any("Geox" in p.tag for p in parse_word(m.group(1))):
            put(m.start(1), _cap(m.group(1)))
    if (place := administration_place(low)) is not None:
        put(place.start(1), _cap(place.group(1)))
    for m in _DIRECTION.finditer(low):
        put(m.start(), _cap(m.group(0)))
    for m in _CABINET.finditer(low):
        put(m.start(), m.group(0).title())
    for m in find_region_matches(line):
        if len(m.cased) == m.end - m.start:
            put(m.start, m.cased)
    for m in compiled(r"[«\"]\s*([а-яё])").finditer(low):
        put(m.start(1), m.group(1).upper())
    for m in compiled(r"[A-ZА-ЯЁ]{2,5}").finditer(line):
        word = m.group(0)
        before = line[m.start() - 1] if m.start() else " "
        after = line[m.end()] if m.end() < len(line) else " "
        bounded = not (before.isalpha() or before == "-" or after.isalpha() or after == "-")
        if bounded and not is_dictionary_word(word):
            put(m.start(), word)
    out = "".join(chars)
    if capitalize_first and out:
        out = out[0].upper() + out[1:]
    return out


def sentence_case(text: str) -> str:
    return recase_caps(text, capitalize_first=True)
