"""Dates and schedules in roadmap cells: one date expression, or a whole date-column cell.

Our own regex grammar does the structure (до / после / с … по / ranges on any dash / months /
quarters / recurrence): dateparser silently fills missing parts from today's date, which
must never leak into a plan, and is ~100x slower than a month-stem table.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("ма", 5), ("июн", 6),
    ("июл", 7), ("авг", 8), ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
)
# A Russian month name in any case form, or its usual abbreviation.
MONTH_WORD = (
    r"(?:январ[ьяеюё]\w*|янв\.?|феврал[ьяеюё]\w*|фев\.?|февр\.?|март[аеуом]*|мар\.?"
    r"|апрел[ьяеюё]\w*|апр\.?|ма[йяеюё]|ма[ея]м|июн[ьяеюё]\w*|июн\.?|июл[ьяеюё]\w*|июл\.?"
    r"|август[аеуом]*|авг\.?|сентябр[ьяеюё]\w*|сен\.?|сент\.?|октябр[ьяеюё]\w*|окт\.?"
    r"|ноябр[ьяеюё]\w*|нояб?\.?|декабр[ьяеюё]\w*|дек\.?)"
)


def month_number(word: str) -> Optional[int]:
    """Month number of a Russian month word (any case, any grammatical form), else None."""
    w = word.lower().strip(".")
    for stem, number in _MONTH_STEMS:
        if w.startswith(stem):
            return number
    return None


def _year(text: str) -> Optional[int]:
    """A 2- or 4-digit year; two digits mean 20xx (these plans are 21st-century)."""
    y = int(text)
    if len(text) == 2:
        return 2000 + y
    if len(text) == 4 and 1990 <= y <= 2100:
        return y
    return None


def _safe_date(year: Optional[int], month: int, day: int) -> Optional[date]:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# OCR slips: letter O/о/З for digits inside numeric dates; spaces around dots.
_OCR_DIGIT = re.compile(r"(?<=[\d.\s])[OoОо](?=[\d.])|(?<![\wА-Яа-яЁё])[OoОо](?=\d[.\s])")
_NUMERIC = re.compile(
    r"^«?\s*(\d{1,2})\s*»?\s*[.,/]\s*(\d{1,2})\s*[.,/]\s*(\d{4}|\d{2})\s*(?:г\.?|года?)?\.?$"
)
_NUMERIC_NOYEAR = re.compile(r"^«?\s*(\d{1,2})\s*»?\s*[.,/]\s*(\d{1,2})\s*\.?$")
_WORDS = re.compile(
    r"^«?\s*(\d{1,2})\s*»?\s*(" + MONTH_WORD + r")\s*(?:(\d{4})\s*(?:г\.?|года?)?)?\.?$",
    re.IGNORECASE,
)


_QUOTED_DAY = re.compile(r"«\s*(\d{1,2})\s*»\s*[.,]?\s*(?=\d)")


def fix_ocr_digits(text: str) -> str:
    """Replace a letter O standing for a zero inside numeric dates (`О1.02.2022`)."""
    return _OCR_DIGIT.sub("0", text)


def parse_date(text: str, default_year: Optional[int] = None) -> Optional[date]:
    """Parse ONE date expression (`30.12.21`, `22. 03. 2021`, `9 августа 2021`, `1 февраля`).

    A missing year comes from `default_year` only (the plan or act year), never from today;
    without one such a date is unknown and None is returned.
    """
    s = _QUOTED_DAY.sub(r"\1.", fix_ocr_digits(" ".join(text.split()).strip(" ,;")))
    m = _NUMERIC.match(s)
    if m:
        return _safe_date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _WORDS.match(s)
    if m:
        month = month_number(m.group(2))
        year = _year(m.group(3)) if m.group(3) else default_year
        return _safe_date(year, month, int(m.group(1))) if month else None
    m = _NUMERIC_NOYEAR.match(s)
    if m:
        return _safe_date(default_year, int(m.group(2)), int(m.group(1)))
    return None
