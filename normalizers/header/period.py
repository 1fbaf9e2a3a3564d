"""The period a plan covers (`на 2022 год`, `на 2021/2022 учебный год` …)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Optional

from language.patterns import compiled
from normalizers.dates import parse_schedule
from normalizers.header.settings import HEADER
from normalizers.header.title import quote_depth
from normalizers.regions import fold_homoglyphs
from normalizers.vocabulary import fill, load
from schema import Period

_Y = r"((?:19|20)\d\d)"
_APPROVE = r"утвер[дж]\w*"  # the act's own verb: `утвердить`, `утверждении`
_DASH = r"\s*(?:г\.?\s*|гг\.?\s*)?[-‐–—]\s*"
_TERM = fill(r"срок\w*\s+(?:{})\s*[:\-–—]?\s*", load("header_words")["plan_term_nouns"])  # `Сроки реализации:`
_PERIODS = (
    # `на 2021–2022 и 2022–2023 учебные годы`: two school years in a row, one plan
    ("academic_pair", compiled(
        _Y + r"\s*[-–—/]\s*(?:19|20)?\d\d\s+и\s+(?:19|20)?\d\d\s*[-–—/]\s*((?:19|20)?\d\d)\s*(?:уч\w*\.?\s*г|учебн)",
        re.I)),
    ("academic", compiled(_Y + r"\s*[-–—/]\s*((?:19|20)?\d\d)\s*(?:уч\w*\.?\s*г|учебн)", re.I)),
    ("range", compiled(r"(?<![\w])на\s+(?:период\s+)?" + _Y + _DASH + _Y + r"(?!\d)", re.I)),
    # `на 2022 год и плановый период 2023 (и 2024) года`: the planning years are the plan's too
    ("range", compiled(r"(?<![\w])на\s+" + _Y + r"\s*(?:год|г\.)\s+и\s+(?:на\s+)?планов\w+\s+период\w*\s+"
                       r"(?:(?:19|20)\d\d\s*(?:и|,|[-–—])\s*)?" + _Y + r"(?!\d)", re.I)),
    ("range", compiled(
        _TERM + r"(?:на\s+)?" + _Y + _DASH + _Y
        + r"(?!\d)", re.I)),
    ("year", compiled(
        _TERM + r"(?:на\s+|в\s+)?" + _Y
        + r"(?!\d)(?!\s*[-–—])", re.I)),
    ("year", compiled(r"(?<![\w])на\s+" + _Y + r"\s*(?:год|г\.|гг?\b)", re.I)),
    # `Об утверждении дорожной карты … в 2022 году`: the year the approved plan is carried out in
    # (`О реализации проекта в 2022 году` approves no plan)
    ("year", compiled(_APPROVE + r"[^.;]*?(?<![\w])в\s+" + _Y + r"\s*году\b", re.I)),
    # `на февраль – декабрь 2022 года`, `на период с 1 февраля по 31 декабря 2022 года`: part of a year;
    # `на период с декабря 2021 года по декабрь 2022 года`: months of two years
    ("months", compiled(
        r"(?<![\w])на\s+(?:период\s+)?(?P<span>(?:с\s+)?(?:\d{1,2}\s+)?[а-яё]+(?:\s+(?:19|20)\d\d\s*(?:года|г\.)?)?"
        r"\s*(?:[-‐–—]|по)\s*(?:\d{1,2}\s+)?[а-яё]+\s+" + _Y + r")(?!\d)", re.I)),
)
# An amendment quotes the wording it replaces (`слова «на 2022 год» заменить словами
# «на 2022 – 2023 годы»`): the replaced period is not the plan's.
_REPLACED_WORDING = compiled(
    r"(?:слов\w*|цифр\w*)\s+«[^»]*»(?=\s*(?:,\s*)?(?:заменить|исключить|замен))", re.I
)


# `Утвердить дорожную карту на 2022 год`, `… и утверждении дорожной карты на 2022 год`: the
# period of the plan the act approves, within its sentence (not after a quote opens).
_APPROVES = compiled(_APPROVE + r"[^.;«]*$", re.I)


def plan_period(texts: Iterable[str]) -> Optional[Period]:
    """The period a plan covers: `на 2022 год`, `на 2020-2021гг.`, `на 2021 – 2022 годы`,
    `Сроки реализации: 2022 год`, `на 2021/2022 учебный год` (1 Sep – 31 Aug), `на 2021–2022 и
    2022–2023 учебные годы` (1 Sep 2021 – 31 Aug 2023), `на февраль – декабрь 2022 года`, `на период
    с декабря 2021 года по декабрь 2022 года`.

    The last statement wins: texts run in document order, and the one nearest the table
    is the plan's own heading, while earlier ones may be acts the preamble cites or the
    quoted title of an act being amended. Wording an amendment replaces (`слова «на 2022
    год» заменить …`) is ignored. Spans longer than three years are programmes the plan
    cites (`… на 2021-2026 годы`), not the plan's own period, and are skipped. A period the act
    names with its own verb (`утвердить … на 2022 год`) wins over the others: an order may
    also report on last year's plan (`отчет … на 2021 год`)."""
    last: Optional[Period] = None
    approved: Optional[Period] = None  # named with the act's own verb: `утвердить … на 2022 год`
    for text in _with_sub_items(texts):
        if not text:
            continue
        s = _REPLACED_WORDING.sub(" ", " ".join(fold_homoglyphs(text).split()))
        found: list[tuple[int, Period]] = []
        pairs: list[tuple[int, int]] = []  # spans of two school years read as one period
        for kind, regex in _PERIODS:
            for m in regex.finditer(s):
                if any(a <= m.start() < b for a, b in pairs):
                    continue  # the second year of a pair already read with the first
                if kind == "months":
                    span = parse_schedule(m.group("span"))
                    if span.kind == "period" and span.start and span.end:
                        found.append((m.start(), Period(start=span.start, end=span.end)))
                    continue
                y1 = int(m.group(1))
                if kind == "year":
                    found.append((m.start(), Period(start=dt.date(y1, 1, 1), end=dt.date(y1, 12, 31))))
                    continue
                y2 = int(m.group(2))
                if y2 < 100:
                    y2 += y1 // 100 * 100
                if kind == "academic_pair":
                    if y2 == y1 + 2:
                        found.append((m.start(), Period(start=dt.date(y1, 9, 1), end=dt.date(y2, 8, 31))))
                        pairs.append((m.start(), m.end()))
                    continue
                if kind == "academic":
                    if y2 == y1 + 1:
                        found.append((m.start(), Period(start=dt.date(y1, 9, 1), end=dt.date(y2, 8, 31))))
                    continue
                if y1 <= y2 < y1 + HEADER.max_plan_years:
                    found.append((m.start(), Period(start=dt.date(y1, 1, 1), end=dt.date(y2, 12, 31))))
        if found:
            last = max(found, key=lambda f: f[0])[1]
            approved_here = [f for f in found if _approved(s, f[0]) and _quoted_depth(s, f[0]) <= 0]  # not in a quoted title
            if approved_here:
                approved = _joined([p for _, p in sorted(approved_here, key=lambda f: f[0])])
    return approved or last


_SUB_ITEM = compiled(r"(?:^|\s)\d{1,2}\.\d{1,2}\.?\s")
_APPROVE_VERB = compiled(_APPROVE, re.I)


def _with_sub_items(texts: Iterable[str]) -> list[str]:
    """The texts, a sub-item printed as a paragraph of its own (`1.1. План … на 2022 год;`)
    joined to the item it belongs to (`1. Утвердить:`), so the item's verb reaches it."""
    out: list[str] = []
    for text in texts:
        if out and text and _SUB_ITEM.match(text.lstrip()):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


# A new top-level item of the act (`2. Назначить …`), not a sub-item (`1.2. План …`).
_TOP_LEVEL_ITEM = compiled(r"(?<![\d.])\d{1,2}\.\s")


def _approved(s: str, at: int) -> bool:
    """Whether the period at `at` is named with the act's own verb: right after it, or in a
    sub-item of the item it opens (`1. Утвердить: 1.1. План … на 2022 год; 1.2. План … на 2023 год`)."""
    if _APPROVES.search(s[max(0, at - 120):at]):
        return True
    verbs = [m for m in _APPROVE_VERB.finditer(s, 0, at) if _quoted_depth(s, m.start()) <= 0]
    return bool(verbs) and _SUB_ITEM.search(s, verbs[-1].end(), at) is not None \
        and _TOP_LEVEL_ITEM.search(s, verbs[-1].end(), at) is None


def _quoted_depth(s: str, at: int) -> int:
    """How many «…» are open at `at`, counted from the start of the act's item it stands in: a
    quote an earlier item leaves unclosed (`«О реализации … «500+»,` — the outer one never
    closed) does not reach the items after it."""
    starts = [m.start() for m in _TOP_LEVEL_ITEM.finditer(s, 0, at)]
    return quote_depth(s[starts[-1] if starts else 0:at])


def _joined(periods: list[Period]) -> Period:
    """Plans approved together for consecutive spans (2022, then 2023) make one period; else
    the last one named."""
    out = periods[0]
    for p in periods[1:]:
        if p.start > out.end + dt.timedelta(days=1) or p.start < out.start:
            return periods[-1]
        out = Period(start=out.start, end=max(out.end, p.end))
    return out
