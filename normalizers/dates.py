"""Dates and schedules in roadmap cells: one date expression, or a whole date-column cell.

Our own regex grammar does the whole job (до / после / с … по / ranges on any dash /
months / quarters / halves / recurrence / ongoing words), with a table of Russian month
stems for dates in words. dateparser is deliberately not used: it fills missing parts
from today's date (a year or day must never leak into a plan from the clock), misses most
structures here, and is ~100x slower than these regexes (see docs/toolchain-notes.md).

A year missing from a cell is taken, in order, from the same cell (a range's other end,
the next dated item, a bare year printed in the cell), then from the plan period, then
from `default_year` (the act's year); never from the current date. When no year can be
found the schedule keeps its kind and leaves the bounds null.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from language.patterns import compiled
from normalizers.act_relative import from_the_act
from normalizers.bounds import rewritten_bounds
from normalizers.day_words import days_in_digits
from normalizers.part_pairs import spell_part_pairs, spell_school_halves
from normalizers.stage_labels import drop_stage_labels
from normalizers.text import rejoin_wrapped
from normalizers.vocabulary import fill, load, pattern
from schema import Period, Schedule

_VOCAB = load("date_words")
_MONTHS: list[dict] = _VOCAB["months"]
_MONTH_STEMS: tuple[tuple[str, int], ...] = tuple((m["stem"], m["number"]) for m in _MONTHS)


def _month_forms() -> list[str]:
    """Per declension, its months' roots with their endings: `(?:март|август)(?:а|е|у|ом)?`."""
    forms = []
    for name, declension in _VOCAB["declensions"].items():
        roots = [m["root"] for m in _MONTHS if m["declension"] == name]
        head = roots[0] if len(roots) == 1 else fill("(?:{})", roots)
        forms.append(head + fill("(?:{})", declension["endings"]) + ("?" if declension.get("bare") else ""))
    return forms


# A Russian month name in any case form, or its usual abbreviation (text lowercased, ё → е).
MONTH_WORD = fill(r"(?:{}|(?:{})\.?(?![а-я]))", _month_forms(), _VOCAB["month_abbreviations"])


def month_number(word: str) -> Optional[int]:
    """Month number of a Russian month word (any case, any grammatical form), else None."""
    w = word.lower().strip(".").replace("ё", "е")
    for stem, number in _MONTH_STEMS:
        if w.startswith(stem):
            return number
    return None


def _year(text: Optional[str]) -> Optional[int]:
    """A 2- or 4-digit year; two digits mean 20xx (these plans are 21st-century)."""
    if not text:
        return None
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


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------------------------------
# Normalisation: extraction noise and OCR slips, before any grammar runs.

_TAG = compiled(r"<[^<>]{0,40}>")
_WRAPPED_YEAR = compiled(r"(\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*)(\d{1,3})[ \t]*\n\s*(\d{1,3})(?![\d.])")
_HYPHENATED_WORD = compiled(r"([а-яё])-[ \t]*\n\s*(?!(?:" + MONTH_WORD + r"))([а-яё])", re.I)
_OCR_ZERO = compiled(r"(?<![а-яa-z0-9])[оo](?=\d)|(?<=\d)[оo](?=[\d.])|(?<=\.)[оo](?=\d)")
_QUOTED_DAY = compiled(r"«\s*(\d{1,2})\s*»\s*[.,]?\s*(?=\d)")
_GLUE_LETTER_DIGIT = compiled(r"(?<=[а-я])(?=\d)|(?<=\d)(?=[а-я])")
_DASHES = compiled(r"[‐‑‒–—―−]")


def fix_ocr_digits(text: str) -> str:
    """Replace a letter O standing for a zero inside numeric dates (`О1.02.2022`)."""
    return _OCR_ZERO.sub("0", text)


def _normalize(cell: str) -> str:
    """Lowercased, whitespace-folded cell text with tags, wraps and OCR slips repaired (a word
    a narrow column cut without a hyphen, `ежекварталь` / `но`, rejoined)."""
    s = rejoin_wrapped(_TAG.sub(" ", cell))
    s = _WRAPPED_YEAR.sub(
        lambda m: m.group(1) + m.group(2) + m.group(3)
        if len(m.group(2)) + len(m.group(3)) == 4 else m.group(0), s)
    s = _HYPHENATED_WORD.sub(r"\1\2", s)
    s = days_in_digits(" ".join(s.split()).lower().replace("ё", "е").replace("і", "i"))
    s = _DASHES.sub("-", s)
    s = fix_ocr_digits(s)
    s = _QUOTED_DAY.sub(r"\1.", s).replace("«", " ").replace("»", " ")
    s = _GLUE_LETTER_DIGIT.sub(" ", s)
    return " ".join(s.split())


# ---------------------------------------------------------------------------------------
# One date expression.

_NUMERIC = compiled(r"^(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4}|\d{2})\s*(?:г\.?|года?)?\.?$")
_NUMERIC_NOYEAR = compiled(r"^(\d{1,2})\s*[./]\s*(\d{1,2})\s*\.?$")
_WORDS = compiled(r"^(\d{1,2})\s*(" + MONTH_WORD + r")\s*(?:(\d{4})\s*(?:г\.?|года?)?)?\.?$")


def parse_date(text: str, default_year: Optional[int] = None) -> Optional[date]:
    """Parse ONE date expression (`30.12.21`, `22. 03. 2021`, `9 августа 2021`, `1 февраля`).

    A missing year comes from `default_year` only (the plan or act year), never from today;
    without one such a date is unknown and None is returned.
    """
    s = _normalize(text).strip(" ,;")
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


# ---------------------------------------------------------------------------------------
# Schedule grammar: tokens (dated items) and the text between them.

_ORDINAL = {**_VOCAB["ordinal_stems"], **_VOCAB["roman_numerals"]}
_ROMAN = list(reversed(_VOCAB["roman_numerals"]))  # iv before i
_ORDINAL_END = r"(?:\s?-?\s?(?:й|ый|ий|ого|го|м|ом|е|ое|я|ая|ой|ей))?"
_NUM_ORD = fill(r"(?:[1-4]|{}|{})", _ROMAN, [stem + r"\w*" for stem in _VOCAB["ordinal_stems"]]) + _ORDINAL_END
_QUARTER = fill("(?:{})", _VOCAB["quarter"])
_HALF = fill("(?:{})", _VOCAB["half"] + _VOCAB["half_abbreviations"])
_DECADE = fill("(?:{})", _VOCAB["decade"])
_Y4 = r"(?:19|20)\d{2}"

_TOKEN = compiled(
    r"(?P<dc>(?<![\w.])(?P<dc_n>" + _NUM_ORD + r")\s*" + _DECADE + r"\s+(?P<dc_m>" + MONTH_WORD + r")"
    r"(?:\s*(?P<dc_y>" + _Y4 + r")(?!\d))?)"
    r"|(?P<dw>(?<![\d.])(?P<dw_d>\d{1,2})(?:\s?-?\s?(?:го|е))?\s+(?P<dw_m>" + MONTH_WORD + r")"
    r"(?:\s*(?P<dw_y>" + _Y4 + r")(?!\d))?)"
    r"|(?P<qt>(?<![\w.])(?P<qt_n>" + _NUM_ORD + r")\s*" + _QUARTER + r"(?:\s*(?P<qt_y>" + _Y4 + r")(?!\d))?)"
    r"|(?P<hf>(?<![\w.])(?P<hf_n>" + _NUM_ORD + r")\s*" + _HALF + r"(?:\s*(?P<hf_y>" + _Y4 + r")(?!\d))?)"
    r"|(?P<mn>(?<![\d.])(?P<mn_m>0?[1-9]|1[0-2])\s?\.\s?(?P<mn_y>" + _Y4 + r")(?!\d))"
    r"|(?P<dn>(?<![\d.])(?P<dn_d>\d{1,2})\s?[./]\s?(?P<dn_m>\d{1,2})(?![\d])"
    r"(?:\s?[./](?:\s*(?P<dn_y4>\d{4})(?!\d)|\s?(?P<dn_y2>\d{2})(?!\d)(?!\s?[.,]\s?\d))?)?)"
    r"|(?P<yr>(?<![\d.])(?P<yr_1>" + _Y4 + r")\s*(?:гг?\.?\s*)?[-/]\s*(?P<yr_2>" + _Y4 + r"|\d{2})(?![\d.])"
    r"(?P<yr_acad>\s*(?:уч\w*\.?\s*г|учебн))?)"
    r"|(?P<mw>(?<![а-я])(?P<mw_m>" + MONTH_WORD + r")(?:\s*(?P<mw_y>" + _Y4 + r")(?!\d))?)"
    r"|(?P<y1>(?<![\d.])(?P<y1_y>" + _Y4 + r")(?![\d]|\.\d))"
)

# "с 1 по 15 марта" → "с 1 марта по 15 марта"; "10-20.03.2022" → "10.03 - 20.03.2022".
_DAY_RANGE_WORDS = compiled(r"(?<![\d.])(\d{1,2})\s*(-|по|и|,)\s*(\d{1,2})\s+(" + MONTH_WORD + r")")
_DAY_RANGE_NUMERIC = compiled(r"(?<![\d.])(\d{1,2})\s*(-|по)\s*(\d{1,2})\s?\.\s?(\d{1,2})(?!\d)")
# "I-II квартал 2022" → "I квартал - II квартал 2022" (also halves).
_PART_RANGE = pattern(
    r"(?<![\w.])([1-4]|{})\s*-\s*([1-4]|{})" + _ORDINAL_END + r"\s*({})",
    _ROMAN, _ROMAN, _VOCAB["quarter"] + _VOCAB["half"])
_NOISE_PARENS = compiled(r"\([^()]*\)")
# `1 этап – до 29 апреля; 2 этап – до 1 ноября`: a stage's label before its date, no range
# what keeps a parenthetical: a digit, a month, a quarter or half by its Roman number (`(II–IV кварталы)`)
_DATED = pattern(r"\d|{}|(?<![а-я])[ivx]+(?![а-я])[^()]*?(?:{})", [MONTH_WORD], _VOCAB["quarter"] + _VOCAB["half"])

_DEADLINE_PREFIX = pattern(r"(?:{})(?:\s+(?:{}))?[\s:,.]*$", _VOCAB["deadline_words"], _VOCAB["period_end_words"])
_AFTER_PREFIX = pattern(r"(?:{})[\s:,.]*$", _VOCAB["after_words"])
_RANGE_OPENER = pattern(r"(?:{})[\s:,.]*$", _VOCAB["range_openers"])

_RECURRENCE: tuple[tuple[str, re.Pattern], ...] = tuple(
    (r["kind"], pattern("{}", r["patterns"])) for r in _VOCAB["recurrence"])  # quarterly: school quarters too
_ONGOING_STRONG = pattern("{}", _VOCAB["ongoing_strong"])
_ONGOING = pattern("{}", _VOCAB["ongoing"])
_AS_NEEDED = pattern("{}", _VOCAB["as_needed"])
_AFTER_SPAN = pattern(r"^\s*по\s+(?:{})\b", _VOCAB["after_event"])
_EMPTY = compiled(r"^[\s\-.,_/\\*?xх–—]*$")
# `в течение 10 дней после …`: a time allowed after an event, not a span of the plan
_DURATION = compiled(r"в\s+течени[еи]\s+(?:\d+|одн\w*|дв\w*|тр[её]х|четыр\w*|пят\w*|десят\w*)\s+"
                       r"(?:рабоч\w+\s+|календарн\w+\s+)?(?:дн|день|недел|месяц)")  # `… двух недель после …`
# a rate whose times the months named place: `2 раза в год`, any rate with months in parentheses
_NAMED_TIMES = compiled(r"(?<!\d)(?:[2-9]|1[0-2]|два|две|три|четыре)\s+раз\w*\s+в\s+год\b"
                        r"|\([^()]*?" + MONTH_WORD + r"[^()]*?" + MONTH_WORD + r"[^()]*\)")


@dataclass
class _Item:
    """One dated expression in a cell; `year` None until resolved."""

    kind: str  # day | decade | month | quarter | half | year | years | acad
    pos: tuple[int, int]
    year: Optional[int] = None
    month: int = 0
    day: int = 0
    n: int = 0
    year2: Optional[int] = None
    explicit: bool = False

    def span(self, year: Optional[int] = None) -> Optional[tuple[date, date]]:
        y = self.year if year is None else year
        if y is None:
            return None
        if self.kind == "day":
            d = _safe_date(y, self.month, self.day)
            return (d, d) if d else None
        if self.kind == "month":
            return date(y, self.month, 1), _month_end(y, self.month)
        if self.kind == "decade":  # days 1–10, 11–20, 21 to the month's end
            last = _month_end(y, self.month) if self.n == 3 else date(y, self.month, 10 * self.n)
            return date(y, self.month, 10 * self.n - 9), last
        if self.kind == "quarter":
            return date(y, 3 * self.n - 2, 1), _month_end(y, 3 * self.n)
        if self.kind == "half":
            return date(y, 6 * self.n - 5, 1), _month_end(y, 6 * self.n)
        if self.kind == "year":
            return date(y, 1, 1), date(y, 12, 31)
        if self.kind == "years":
            return date(y, 1, 1), date(self.year2 or y, 12, 31)
        return date(y, 9, 1), date(self.year2 or y + 1, 8, 31)  # acad: a school year

    @property
    def yearish(self) -> bool:
        return self.kind in ("year", "years", "acad")


def _ordinal(text: str) -> int:
    t = compiled(r"[\s\-].*$").sub("", text.strip())
    if t.isdigit():
        return int(t)
    if t in _ORDINAL:
        return _ORDINAL[t]
    for stem, n in _ORDINAL.items():
        if len(stem) > 3 and t.startswith(stem):
            return n
    return 0


def _items(s: str) -> list[_Item]:
    """Every dated expression of a normalised cell, in order."""
    out: list[_Item] = []
    for m in _TOKEN.finditer(s):
        pos = m.span()
        g = m.groupdict()
        if g["dc"]:
            n, month = _ordinal(g["dc_n"]), month_number(g["dc_m"])
            if 1 <= n <= 3 and month:
                y = _year(g["dc_y"])
                out.append(_Item("decade", pos, y, month, n=n, explicit=y is not None))
        elif g["dw"]:
            day, month = int(g["dw_d"]), month_number(g["dw_m"])
            y = _year(g["dw_y"])
            if month and _safe_date(y or 2000, month, day):
                out.append(_Item("day", pos, y, month, day, explicit=y is not None))
        elif g["qt"]:
            n = _ordinal(g["qt_n"])
            if 1 <= n <= 4:
                y = _year(g["qt_y"])
                out.append(_Item("quarter", pos, y, n=n, explicit=y is not None))
        elif g["hf"]:
            n = _ordinal(g["hf_n"])
            if 1 <= n <= 2:
                y = _year(g["hf_y"])
                out.append(_Item("half", pos, y, n=n, explicit=y is not None))
        elif g["mn"]:
            out.append(_Item("month", pos, _year(g["mn_y"]), int(g["mn_m"]), explicit=True))
        elif g["dn"]:
            day, month = int(g["dn_d"]), int(g["dn_m"])
            y = _year(g["dn_y4"] or g["dn_y2"])
            if _safe_date(y or 2000, month, day) if 1 <= month <= 12 else False:
                out.append(_Item("day", pos, y, month, day, explicit=y is not None))
        elif g["yr"]:
            y1, y2 = _year(g["yr_1"]), _year(g["yr_2"])
            if y1 and y2 and 0 <= y2 - y1 <= 10:
                kind = "acad" if g["yr_acad"] or (y2 == y1 + 1 and "/" in m.group(0)) else "years"
                out.append(_Item(kind, pos, y1, year2=y2, explicit=True))
        elif g["mw"]:
            month = month_number(g["mw_m"])
            if month:
                y = _year(g["mw_y"])
                out.append(_Item("month", pos, y, month, explicit=y is not None))
        elif g["y1"]:
            y = _year(g["y1_y"])
            if y:
                out.append(_Item("year", pos, y, explicit=True))
    return out


def _groups(s: str, items: list[_Item]) -> list[list[_Item]]:
    """Items joined by a dash (or `с … по/до …`) form one range group; others stand alone."""
    groups: list[list[_Item]] = []
    for i, item in enumerate(items):
        if i:
            gap = s[items[i - 1].pos[1]:item.pos[0]]
            opener = s[:groups[-1][0].pos[0]]
            is_range = "-" in gap or compiled(r"[\s,]*(?:(?:г\.|года?)\s*)?по[\s:]*").fullmatch(gap) is not None or (
                compiled(r"[\s,]*до[\s:]*").fullmatch(gap) is not None and _RANGE_OPENER.search(opener))
            if is_range and not (item.yearish and not groups[-1][-1].yearish):
                groups[-1].append(item)
                continue
        groups.append([item])
    return groups


def _absorb_bare_years(s: str, items: list[_Item]) -> list[_Item]:
    """A bare year next to year-less items (`март - апрель, 2022 г.`) qualifies them."""
    if not any(not it.explicit for it in items) or all(it.yearish for it in items):
        return items
    kept: list[_Item] = []
    for i, it in enumerate(items):
        if it.kind != "year":
            kept.append(it)
            continue
        left = [x for x in items[:i] if not x.yearish]
        right = [x for x in items[i + 1:] if not x.yearish]
        # Qualify the year-less run right before it (the usual "месяц, месяц 2022"), else after it.
        run = []
        for x in reversed(left):
            if x.explicit:
                break
            run.append(x)
        if not run:
            for x in right:
                if x.explicit:
                    break
                run.append(x)
        if not run:
            kept.append(it)
            continue
        for x in run:
            x.year = it.year
            x.explicit = True
    return kept


def _fit_year(item: _Item, plan: Optional[Period]) -> Optional[int]:
    """The first plan year whose copy of `item` overlaps the plan period."""
    if plan is None:
        return None
    for y in range(plan.start.year, plan.end.year + 1):
        sp = item.span(y)
        if sp and sp[0] <= plan.end and sp[1] >= plan.start:
            return y
    return plan.start.year


def _resolve_years(groups: list[list[_Item]], plan: Optional[Period]) -> None:
    """Fill missing years: within a range from its dated end, then from neighbouring items,
    then from the plan period (a year-less range is placed by its end, the date that
    compliance checks); keep each range ordered and the cell's items non-decreasing."""
    def carry_left(x: _Item, right: _Item) -> None:
        x.year = right.year
        a, b = x.span(), right.span()
        if a and b and a[0] > b[0]:
            x.year -= 1

    def carry_right(x: _Item, left: _Item) -> None:
        x.year = left.year
        a, b = x.span(), left.span()
        if a and b and a[0] < b[0]:
            x.year += 1

    def within(group: list[_Item]) -> None:
        for i in range(len(group) - 2, -1, -1):
            if group[i].year is None and group[i + 1].year is not None:
                carry_left(group[i], group[i + 1])
        for i in range(1, len(group)):
            if group[i].year is None and group[i - 1].year is not None:
                carry_right(group[i], group[i - 1])

    for g in groups:
        within(g)
    for i in range(len(groups) - 2, -1, -1):
        if groups[i][-1].year is None and groups[i + 1][0].year is not None:
            carry_left(groups[i][-1], groups[i + 1][0])
            within(groups[i])
    for i in range(1, len(groups)):
        if groups[i][0].year is None and groups[i - 1][-1].year is not None:
            carry_right(groups[i][0], groups[i - 1][-1])
            within(groups[i])
    if groups and groups[0][-1].year is None:
        y = _fit_year(groups[0][-1], plan)
        if y is None:
            return
        groups[0][-1].year = y
        within(groups[0])
        for i in range(1, len(groups)):
            if groups[i][0].year is None:
                carry_right(groups[i][0], groups[i - 1][-1])
                within(groups[i])


def _group_span(group: list[_Item]) -> Optional[tuple[date, date]]:
    first, last = group[0].span(), group[-1].span()
    if first is None or last is None:
        return None
    return first[0], max(last[1], first[0])


def _contiguous_months(s: str, groups: list[list[_Item]]) -> bool:
    """`Сентябрь, октябрь 2021`, `II полугодие 2022 г., I полугодие 2023 г.`: single months (or
    quarters, or halves) listed with commas, each starting where the one before ends."""
    kind = groups[0][0].kind if groups and groups[0] else None
    if kind not in ("month", "quarter", "half") or any(len(g) != 1 or g[0].kind != kind for g in groups):
        return False
    for a, b in zip(groups, groups[1:]):
        gap = s[a[0].pos[1]:b[0].pos[0]]
        if "," not in gap and " и " not in f" {gap} ":
            return False
        first, second = a[0].span(), b[0].span()
        if first and second:
            if (second[0] - first[1]).days != 1:
                return False
        elif kind != "month" or (b[0].month - a[0].month) % 12 != 1:
            return False
    return True


def _structure(s: str, items: list[_Item], plan: Optional[Period]):
    """(kind, start, end, dates) of the dated items, or None when there are none."""
    groups = _groups(s, items)
    _resolve_years(groups, plan)
    spans = [_group_span(g) for g in groups]
    prefix = s[:items[0].pos[0]]
    if len(groups) == 1:
        g, sp = groups[0], spans[0]
        start, end = (sp if sp else (None, None))
        if len(g) > 1:
            return "period", start, end, []
        if _DEADLINE_PREFIX.search(prefix):
            return "deadline", None, end, []
        if _AFTER_PREFIX.search(prefix):
            return "after", start, None, []
        if g[0].kind == "day":
            return "date", start, end, []
        return "period", start, end, []
    if _contiguous_months(s, groups):
        known = [sp for sp in spans if sp]
        if len(known) == len(spans):
            return "period", known[0][0], known[-1][1], []
        return "period", None, None, []
    dates: set[date] = set()
    for g, sp in zip(groups, spans):
        if sp is None:
            continue
        if all(x.kind == "day" for x in g):
            dates.update(sp)
        else:
            dates.add(sp[1])
    known = [sp for sp in spans if sp]
    start = min((sp[0] for sp in known), default=None)
    end = max((sp[1] for sp in known), default=None)
    return "dates", start, end, sorted(dates)


def _recurrence(s: str) -> Optional[str]:
    for name, pattern in _RECURRENCE:
        if pattern.search(s):
            return name
    return None


def _effective_plan(plan_period: Optional[Period], default_year: Optional[int]) -> Optional[Period]:
    if plan_period is not None:
        return plan_period
    if default_year is not None:
        return Period(start=date(default_year, 1, 1), end=date(default_year, 12, 31))
    return None


def _bounds_within_plan(structure, plan: Optional[Period]) -> tuple[Optional[date], Optional[date]]:
    """Bounds of an ongoing/recurring cell: the span it names, open ends closed by the plan
    period (unless that would put the end before the start)."""
    start, end = (structure[1], structure[2]) if structure else (None, None)
    if plan is not None:
        if start is None and (end is None or plan.start <= end):
            start = plan.start
        if end is None and (start is None or plan.end >= start):
            end = plan.end
    return start, end


def _structural_text(s: str) -> str:
    """Drop undated parentheticals (`(по согласованию)`) and spell shared-month day ranges
    and quarter ranges out in full, so the tokenizer sees one item per end."""
    s = drop_stage_labels(_NOISE_PARENS.sub(lambda m: m.group(0) if _DATED.search(m.group(0)) else " ", s))
    s = _DAY_RANGE_WORDS.sub(
        lambda m: f"{m.group(1)} {m.group(4)} {'-' if m.group(2) in ('-', 'по') else ','} "
                  f"{m.group(3)} {m.group(4)}", s)
    s = spell_part_pairs(_PART_RANGE.sub(r"\1 \3 - \2 \3", spell_school_halves(s)))
    return _DAY_RANGE_NUMERIC.sub(lambda m: f"{m.group(1)}.{m.group(4)} - {m.group(3)}.{m.group(4)}", s)


def year_columns_cell(parts: list[tuple[int, str]]) -> str:
    """One date cell of a row whose dates stand in a column per year (`Сроки` over `2022 г.` |
    `2023 г.`): each filled cell with its column's year unless it prints one; a span running on
    into the next year's column (`сентябрь – декабрь` | `январь – май`) joined as one range,
    other pairs listed (`15.02` | `14.02` → two dates); the same undated words in every column
    (`ежемесячно`) once, over the plan's years."""
    filled = [(year, " ".join(cell.split())) for year, cell in parts if cell and not _EMPTY.match(_normalize(cell))]
    if not filled:
        return ""
    if len(filled) > 1 and len({cell for _, cell in filled}) == 1 and not _DATED.search(_normalize(filled[0][1])):
        return filled[0][1]
    dated = [(year, cell if compiled(r"(?:19|20)\d\d").search(cell) else f"{cell} {year} г.") for year, cell in filled]
    out = dated[0][1]
    for (year0, before), (year1, after) in zip(dated, dated[1:]):
        first, second = parse_schedule(before, default_year=year0), parse_schedule(after, default_year=year1)
        runs_on = (first.kind == "period" and second.kind == "period" and first.end and second.start
                   and (second.start - first.end).days == 1)
        out += f" – {after}" if runs_on else f", {after}"
    return out



def parse_schedule(
    cell: Optional[str], plan_period: Optional[Period] = None, default_year: Optional[int] = None,
    act_date: Optional[date] = None,
) -> Schedule:
    """Read a date-column cell into a Schedule (kinds and bounds as in roadmap-schema.md);
    `act_date` is the day a cell's `с момента утверждения` names."""
    raw = " ".join(_TAG.sub(" ", cell or "").split())  # `<p>до 20.03.2022</p>` is `до 20.03.2022`
    s = _normalize(cell or "")
    s = from_the_act(s, act_date)  # `не позднее 10 дней после подписания настоящего приказа`: by the act's day + 10
    s = rewritten_bounds(s, default_year or (plan_period.start.year if plan_period else None))
    if _EMPTY.match(s):
        return Schedule(raw=raw, kind="unspecified")
    plan = _effective_plan(plan_period, default_year)

    text = _structural_text(s)
    items = _absorb_bare_years(text, _items(text))
    structure = _structure(text, items, plan) if items else None
    yearish_only = all(it.yearish for it in items)

    recurrence = _recurrence(s)
    if recurrence and structure is not None and structure[0] == "dates" and _NAMED_TIMES.search(s):
        # `2 раза в год (июнь, декабрь)`, `ежеквартально (март, июнь, …)`: the times named are the dates
        kind, start, end, dates = structure
        return Schedule(raw=raw, kind=kind, start=start, end=end, dates=dates)
    if recurrence:
        # `ежегодно до 1 февраля`: a year-less date is when in each year, not a bound of the recurrence,
        # which runs over the plan; a printed year (`ежегодно в 2022–2023 гг.`) or parts (`(II–IV кв.)`) bound it
        yearly_point = recurrence == "yearly" and not any(it.explicit for it in items)
        dated = None if yearly_point else structure
        start, end = _bounds_within_plan(dated, plan)
        return Schedule(raw=raw, kind="recurring", start=start, end=end, recurrence=recurrence)
    if _ONGOING_STRONG.search(s):
        start, end = _bounds_within_plan(structure, plan)
        return Schedule(raw=raw, kind="ongoing", start=start, end=end)
    open_ended = _AS_NEEDED.search(text, items[-1].pos[1]) if items and structure else None
    if open_ended and compiled(r"[\s,.]*(?:г\.?|года?)?[\s,.]*-\s*").fullmatch(text[items[-1].pos[1]:open_ended.start()]):
        # `февраль 2022 г. – по мере необходимости`: as needed from then on, to the plan's end
        # (to that year's end when the plan ends before it)
        start = structure[1]
        _, end = _bounds_within_plan(None, plan)
        if start is not None and (end is None or end < start):
            end = date(start.year, 12, 31)
        return Schedule(raw=raw, kind="as_needed", start=start, end=end)
    if _AFTER_SPAN.match(s) and structure and structure[0] in ("date", "period"):
        # `по итогам I полугодия`, `по итогам 2022 года`: once the span is over, as `после 29.04`
        return Schedule(raw=raw, kind="after", start=structure[2], end=None)
    if _AS_NEEDED.search(s) and yearish_only:
        # `В течение года по отдельному плану`: as needed, within the span the cell names
        if structure:
            start, end = structure[1], structure[2]
        elif _ONGOING.search(s) and not _DURATION.search(s):
            start, end = _bounds_within_plan(None, plan)
        else:
            start, end = None, None
        return Schedule(raw=raw, kind="as_needed", start=start, end=end)
    if _ONGOING.search(s) and yearish_only:
        start, end = _bounds_within_plan(structure, plan)
        return Schedule(raw=raw, kind="ongoing", start=start, end=end)
    if structure is None:
        return Schedule(raw=raw, kind="unspecified")
    kind, start, end, dates = structure
    return Schedule(raw=raw, kind=kind, start=start, end=end, dates=dates)
