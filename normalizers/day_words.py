"""A named day (`до начала учебного года` → `до 01.09`, `до начала 2021/2022 учебного года` →
`до 01.09.2021`, `ко Дню учителя` → `до 05.10`) and a
day of the month written in words before its month: `не позднее первого ноября` →
`не позднее 1 ноября`, `до двадцать пятого марта` → `до 25 марта`, `с третьего по десятое
февраля` → `с 3 по 10 февраля`, so a date cell in words reads as one in digits. Only before a
month's name: `первого этапа` is no date. A week of a month (`2-я неделя сентября`, `третья неделя
мая`) is its seven days counted from the 1st, as a decade's ten are: `8 - 14 сентября`."""
from __future__ import annotations

import re

from language.patterns import compiled
from normalizers.vocabulary import load

_WORDS = load("date_words")
_STEMS: dict[str, int] = _WORDS["day_ordinal_stems"]
_NAMED_DAYS = [(compiled(rf"(?<![а-я]){d['pattern']}(?![а-я])"), d["day"]) for d in _WORDS["named_days"]]
_TENS: dict[str, int] = _WORDS["day_ordinal_tens"]
_MONTHS = "|".join(m["genitive"] for m in _WORDS["months"])
# Longer stems first: `девятнадцат` before `девят`, `пятнадцат` before `пят`.
_STEM = "|".join(sorted(_STEMS, key=len, reverse=True))
# Before the month, or before a second day and the month (`с третьего по 10 февраля`).
_DAY_IN_WORDS = compiled(
    rf"(?<![а-я])(?:(?P<tens>{'|'.join(_TENS)})\s+)?(?P<stem>{_STEM})[а-я]*\s*"
    rf"(?=(?:(?:-|по|и|,)\s*\d{{1,2}}\s+)?(?:{_MONTHS})(?![а-я]))"
)


_WEEK_NUMBERS = {"1": 1, "2": 2, "3": 3, "4": 4, "перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_WEEK = compiled(
    rf"(?<![\w.])(?P<n>[1-4]|перв|втор|трет|четверт)[а-я]*(?:\s*-\s*?[а-я]{{1,2}})?\s+недел[а-я]*\s+(?=(?:{_MONTHS})(?![а-я]))"
)


def days_in_digits(text: str) -> str:
    """`text` (lower case) with each day written in words before a month put in digits."""
    def digits(m: re.Match) -> str:
        day = _STEMS[m.group("stem")] + (_TENS[m.group("tens")] if m.group("tens") else 0)
        return f"{day} " if 1 <= day <= 31 else m.group(0)

    for named, day in _NAMED_DAYS:  # a school year named in the phrase gives the day its year
        text = named.sub(lambda m, day=day: day + (f".{m['year']}" if m.groupdict().get("year") else ""), text)
    text = _WEEK.sub(lambda m: f"{7 * _WEEK_NUMBERS[m.group('n')] - 6} - {7 * _WEEK_NUMBERS[m.group('n')]} ", text)
    return _DAY_IN_WORDS.sub(digits, _DAY_IN_WORDS.sub(digits, text))  # the second day, then the first
