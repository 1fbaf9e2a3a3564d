"""Date cells counted from the act itself: `с момента утверждения` is the act's day, `не позднее
10 дней после подписания настоящего приказа` that day plus ten, `в течение месяца со дня
подписания настоящего распоряжения` the same day a month on. Rewritten as dates before the cell
is read (normalizers.dates), when the act's date is known."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Optional

from language.patterns import compiled

_FROM_THE_ACT = compiled(r"^с\s+момента\s+(?:утвержд|подписани|издани|вступлени)\w*"
                         r"(?:\s+(?:в\s+силу|настоящего|приказа|распоряжения|плана))*")
# A count in words, as `в течение … дней` puts it (the genitive: `двух`, `пятнадцати`, `тридцати`,
# `двадцати пяти`).
_WORD_NUMBERS = {
    "одного": 1, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8,
    "девяти": 9, "десяти": 10, "одиннадцати": 11, "двенадцати": 12, "тринадцати": 13, "четырнадцати": 14,
    "пятнадцати": 15, "шестнадцати": 16, "семнадцати": 17, "восемнадцати": 18, "девятнадцати": 19,
    "двадцати": 20, "тридцати": 30, "сорока": 40, "пятидесяти": 50, "шестидесяти": 60, "семидесяти": 70,
    "восьмидесяти": 80, "девяноста": 90, "ста": 100,
    # … and as `за … дней до` puts it (the accusative)
    "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "пятнадцать": 15, "двадцать": 20, "тридцать": 30, "сорок": 40, "шестьдесят": 60,
}
_TENS_WORDS = "|".join(w for w, n in _WORD_NUMBERS.items() if n >= 20 and n % 10 == 0)
_UNIT_WORDS = "|".join(w for w, n in _WORD_NUMBERS.items() if n < 10)
COUNT = (rf"\d{{1,3}}|(?:{_TENS_WORDS})(?:\s+(?:{_UNIT_WORDS}))?"
          rf"|{'|'.join(sorted(_WORD_NUMBERS, key=len, reverse=True))}")
_AFTER_THE_ACT = compiled(
    rf"^(?:не\s+позднее|в\s+течение)\s+(?:(?P<n>{COUNT})\s+)?(?:календарн\w+\s+)?"
    r"(?P<unit>дн|день|недел|месяц)\w*\s+(?:после|со\s+дня|с\s+даты|с\s+момента)\s+"
    r"(?:утвержд|подписани|издани)\w*\s+(?:настоящего\s+)?(?:приказа|распоряжения|постановления)")


def from_the_act(text: str, act_date: Optional[date]) -> str:
    """`text` (a normalized date cell: lower case, `е` for `ё`) with a span counted from the act
    written as the day it ends (`до 14.03.2022`) and `с момента утверждения` as `с <act's day>`."""
    if act_date is None:
        return text
    text = _AFTER_THE_ACT.sub(lambda m: f"до {_after(act_date, m):%d.%m.%Y}", text)
    return _FROM_THE_ACT.sub(f"с {act_date:%d.%m.%Y}", text)


def _after(act_date: date, m: re.Match) -> date:
    return shifted(act_date, count_of(m.group("n")), m.group("unit"))


def count_of(count: Optional[str]) -> int:
    """A count as a cell writes it (`10`, `двух`, `двадцати пяти`; none: one)."""
    if not count:
        return 1
    return int(count) if count.isdigit() else sum(_WORD_NUMBERS[w] for w in count.split())


def shifted(day: date, n: int, unit: str) -> date:
    """`day` moved by `n` days, weeks or months (`unit` their stem; back when `n` < 0); a month
    on is the same day of that month, or its last."""
    if unit.startswith("месяц"):
        month = day.month - 1 + n
        year, month = day.year + month // 12, month % 12 + 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return day + timedelta(days=n * (7 if unit.startswith("недел") else 1))
