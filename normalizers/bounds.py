"""Date cells that bound the work on both sides or count back from a day, rewritten before the
cell is read (normalizers.dates) into the forms it reads already:

- `не ранее 1 марта и не позднее 31 марта 2022 г.` → `с 1 марта по 31 марта 2022 г.` (a period;
  `не ранее X` alone is `после X` already);
- `не позднее чем за 10 дней до 01.09` (what `до начала учебного года` becomes) → `до 22.08`;
- deadlines for parts of the schools or stages, each after its label (`для школ 1-й группы – до
  15.03.2022; для школ 2-й группы – до 31.03.2022`) → `до 15.03.2022, до 31.03.2022` (dates: the
  groups' numbers are no days);
- a row pointer (`(п. 1.2)`) is dropped: it names a row (normalizers.event_dates), not a day.
The text is a normalized cell: lower case, `е` for `ё`, dashes as `-`."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from language.patterns import compiled
from normalizers.act_relative import COUNT, count_of, shifted
from normalizers.vocabulary import load

_MONTHS = "|".join(m.get("label", m["root"]) for m in load("date_words")["months"])
_BOTH_SIDES = compiled(r"не\s+ранее\s+(?P<start>.+?)\s+и\s+не\s+позднее\s+(?P<end>.+)$")
_COUNTED_BACK = compiled(
    rf"(?:не\s+позднее\s+)?(?:чем\s+)?за\s+(?:(?P<n>{COUNT})\s+)?(?:календарн\w+\s+)?(?P<unit>дн|день|недел|месяц)\w*\s+"
    r"до\s+(?P<day>\d{1,2})\.(?P<month>\d{1,2})(?:\.(?P<year>\d{4}))?(?:\s*(?:г\.?|года))?")
_ROW_POINTER = compiled(r"\(\s*(?:см\.\s*)?(?:п\.|пункт\w*)\s*\d{1,3}(?:\.\d{1,3})*\.?\s*\)")
_LABELLED = compiled(rf"^(?P<label>[а-я][^;]*?)\s+-\s+(?P<deadline>до\s+\d{{1,2}}\.\d{{1,2}}(?:\.\d{{2,4}})?)\s*\.?$")
_DATE_WORDS = compiled(rf"\d{{1,2}}\.\d{{1,2}}|(?<![а-я])(?:{_MONTHS})")
# a year for counting back when the cell names none (its days come out the same but for leap days)
_ANY_YEAR = 2021


def rewritten_bounds(text: str, year: Optional[int] = None) -> str:
    text = " ".join(_ROW_POINTER.sub(" ", text).split())
    text = _BOTH_SIDES.sub(r"с \g<start> по \g<end>", text)
    text = _COUNTED_BACK.sub(lambda m: _counted_back(m, year), text)
    return _labelled_deadlines(text)


def _counted_back(m: re.Match, year: Optional[int]) -> str:
    try:
        day = date(int(m.group("year") or year or _ANY_YEAR), int(m.group("month")), int(m.group("day")))
    except ValueError:
        return m.group(0)
    back = shifted(day, -count_of(m.group("n")), m.group("unit"))
    return f"до {back:%d.%m.%Y}" if m.group("year") or year else f"до {back:%d.%m}"


def _labelled_deadlines(text: str) -> str:
    parts = [p.strip() for p in text.split(";") if p.strip()]
    if len(parts) < 2:
        return text
    found = [_LABELLED.match(p) for p in parts]
    if not all(found) or any(_DATE_WORDS.search(m.group("label")) for m in found):
        return text
    return ", ".join(m.group("deadline") for m in found)
