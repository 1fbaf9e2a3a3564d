"""Parts of a year the date parser would misread, spelled out: two quarters or halves joined by
`и` or a comma (`во II и III кварталах`, `в течение второго и третьего кварталов`, `1, 2
квартал`) — consecutive parts are one span, as `II–III кварталы` is (`II квартал - III
квартал`), others two parts (`I кв., III кв.`); before this only the last part was read — and
a half of a school year (`I полугодие 2022/2023 учебного года` → `сентябрь - декабрь 2022`),
which is not the calendar year's half."""
from __future__ import annotations

import re

from language.patterns import compiled
from normalizers.vocabulary import load

_WORDS = load("date_words")
_NUMBERS: dict[str, int] = {**_WORDS["ordinal_stems"], **_WORDS["roman_numerals"]}
_NUMBER = (r"(?:[1-4]|" + "|".join(sorted(_WORDS["roman_numerals"], key=len, reverse=True))
           + "|" + "|".join(stem + r"[а-я]*" for stem in _WORDS["ordinal_stems"]) + ")")
_ENDING = r"(?:\s?-?\s?(?:й|ый|ий|ого|го|м|ом|е|ое|я|ая|ой|ей))?"
_PAIR = compiled(
    rf"(?<![\w.])(?P<a>{_NUMBER}){_ENDING}\s*(?:,|\bи\b)\s*(?P<b>{_NUMBER}){_ENDING}\s*"
    rf"(?P<part>{'|'.join(_WORDS['quarter'] + _WORDS['half'])})"
)


# `I полугодие 2022/2023 учебного года`: the school year's halves, September–December and
# January–August (the two cover the school year, 09-01..08-31, as `2022/2023 учебный год` does)
_SCHOOL_HALF = compiled(
    rf"(?<![\w.])(?P<n>{_NUMBER}){_ENDING}\s*(?:{'|'.join(_WORDS['half'])})\s+(?P<y1>\d{{4}})\s*[/-]\s*"
    rf"(?P<y2>\d{{4}}|\d{{2}})\s*(?:уч\w*\.?\s*г\w*\.?|учебн\w*\s+год\w*)"
)


def spell_school_halves(text: str) -> str:
    """`text` (lower case) with each half of a named school year spelled as its months."""
    def months(m: re.Match) -> str:
        first = int(m.group("y1"))
        n = _number(m.group("n"))
        if n not in (1, 2) or int(m.group("y2")[-2:]) != (first + 1) % 100:
            return m.group(0)
        return f"сентябрь - декабрь {first}" if n == 1 else f"январь - август {first + 1}"

    return _SCHOOL_HALF.sub(months, text)


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token in _NUMBERS:
        return _NUMBERS[token]
    return next(n for stem, n in _NUMBERS.items() if token.startswith(stem) and not stem.isascii())


def spell_part_pairs(text: str) -> str:
    """`text` (lower case) with each pair of parts spelled as a range or as two parts."""
    def spelled(m: re.Match) -> str:
        a, b, part = m.group("a"), m.group("b"), m.group("part")
        joiner = " - " if _number(b) == _number(a) + 1 else ", "
        return f"{a} {part}{joiner}{b} {part}"

    return _PAIR.sub(spelled, text)
