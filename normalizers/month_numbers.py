"""Months a date column gives by their numbers because its header says they are months:
`Срок (месяц 2022 года)` over `01`, `01–02`, `04, 10`, `03, 06, 09, 12`. Spelled out as month
names (with the header's year) before the cell is read, so `01–02` is January–February, not a
day range; a cell of numbers under any other header is left alone."""
from __future__ import annotations

import re

from language.patterns import compiled
from normalizers.vocabulary import load

_MONTH_LABEL = compiled(r"месяц|мес\.", re.I)
_NUMBERS_ONLY = compiled(r"^\s*\d{1,2}(?:\s*[-–—,;]\s*\d{1,2})*\s*$")
_YEAR = compiled(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMBER = compiled(r"\d{1,2}")
_ENDINGS = {"soft": "ь", "hard": "", "may": "й"}
_NAMES = {m["number"]: m["root"] + _ENDINGS[m["declension"]] for m in load("date_words")["months"]}


def months_by_number(cell: str, label: str) -> str:
    """`01–02` under `Срок (месяц 2022 года)` → `январь–февраль 2022 г.`; anything else as it is."""
    if not cell or not _MONTH_LABEL.search(label or "") or not _NUMBERS_ONLY.match(cell):
        return cell
    numbers = [int(n) for n in _NUMBER.findall(cell)]
    if not all(1 <= n <= 12 for n in numbers):
        return cell
    spelled = _NUMBER.sub(lambda m: _NAMES[int(m.group(0))], cell.strip())
    year = _YEAR.search(label)
    return f"{spelled} {year.group(0)} г." if year else spelled
