"""Indicator / expected-result cells → `Indicator` items with a numeric target when stated.

Splitting (only where a cell clearly lists several items, otherwise one item):
- line bullets (`- …`, `• …`, `1) …` at a line start) and top-level `;`;
- a line break after `.` `;` `!`, or before a capital word that opens a phrase (a
  nominative noun/adjective, a verb or short participle, `Не`, a number: `Письмо в
  МОУО\nПовестка совещания`), unless the line before is left open (`… и`, `… в`) or the
  line opens with a parenthesis (`… тестирование\n(100%)`: an aside of the line above);
- a sentence end (`. ` + capital letter) outside parentheses, not after an initial or a
  short abbreviation (`г.`, `т.д.`).
Other line breaks are PDF wraps (`Приказ Департамента\nИвановской области`: a capital word
with only oblique-case readings) and do not split.

Target, in order of preference within one item (the first of the best class wins):
1. the lower bound of a range: `от 70 до 90 %` → 70 `%` `>=` (at least that much is promised); else
   a number after a comparator word: `не менее 60%` → 60 `%` `>=`; `не более 5 %` → `<=`;
   `не реже 1 раза в месяц` → 1 `раз в месяц` `>=`; `не менее 4-х семинаров` → 4 `шт`
   `>=`; `не менее одного мероприятия` → 1 `шт` `>=`. `более`/`свыше`/`от` count as
   `>=`, `менее`/`до`/`не чаще` as `<=` (the schema has no strict comparators);
2. a percentage: `(100%)`, `100 % школ`, `Охват – 100% ШНОР`, `95%` → `=`;
3. a bare number in parentheses: `(12)` → `=`, no unit;
4. a count: `Проведено 4 семинара`, `включено 48 ОО` → 4, 48 `шт` `=`.
Units: `%`; `балл`, `чел`, `ч` (hours), `дн`; `раз в <period>` for frequencies; a counted
noun otherwise gives `шт`. Numbers that are not targets are ignored: years (`2022`),
dates, document numbers (`№ 100`), ranges (`1-4 классов`), `500+`, and ordinals
(`1 этапа`, `9 классов`, `2 полугодие`). No number → target, unit and comparator null.
"""
from __future__ import annotations

import re
from typing import Optional

from language.morphology import is_dictionary_word, parse_word
from language.patterns import compiled
from normalizers.text import clean_text, fold_whitespace, normalize_bullets
from normalizers.vocabulary import fill, load, pattern
from schema import Indicator

_EMPTY = compiled(r"^[\W_]*$")  # nothing but punctuation and spaces: "-", "—", "…"
_LINE_BULLET = compiled(r"^\s*(?:•|\d{1,2}\))\s+")
_ABBR_BEFORE_DOT = compiled(r"(?:\b\w|\bт\.\s?[дп]|\bгг?|\bим|\bул|\bдр|\bст|\bчел|\bруб|\bтыс|\bмлн)$", re.I)

_WORDS = load("indicator_words")
_NUMBER_WORDS: dict[str, int] = _WORDS["number_words"]
_NUM = r"(?P<num>\d+(?:[.,]\d+)?)(?:-?(?:х|ти|ми|го|ого|ех|ух|ёх))?(?!\w)"
_NUM_WORD = r"(?P<word>" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?!\w)"
_COMPARATORS = [(fill("{}", c["patterns"]), c["op"]) for c in _WORDS["comparators"]]
_COMPARATOR_RX = compiled(
    r"(?<!\w)(?P<cmp>" + "|".join(p for p, _ in _COMPARATORS) + r")(?!\w)\s*(?:,?\s*чем\s+)?(?:на\s+)?"
    r"(?:" + _NUM + r"|" + _NUM_WORD + r")",
    re.IGNORECASE,
)
_RANGE_RX = compiled(r"(?<!\w)от\s+(?P<num>\d+(?:[.,]\d+)?)\s*(?P<percent>%)?\s*до\s+\d+(?:[.,]\d+)?(?![\d.,]\d)",
                       re.IGNORECASE)
_PERCENT_RX = compiled(r"(?<![\w.,/№-])(?P<num>\d+(?:[.,]\d+)?)\s*(?:%|процент\w*)", re.IGNORECASE)
_PAREN_RX = compiled(r"\(\s*(?P<num>\d+(?:[.,]\d+)?)\s*\)")
_COUNT_RX = compiled(r"(?<![\w.,/№+-])(?P<num>\d{1,3})(?:-?(?:х|ти|ми|го|ех))?\s+(?P<noun>[а-яё]+)", re.IGNORECASE)

_ORDINAL_NOUNS = pattern(
    "^({})", _WORDS["ordinal_nouns"] + [m["genitive"] for m in load("date_words")["months"]], flags=re.IGNORECASE
)
_UNITS = [(pattern(r"^\s*{}", [u["pattern"]], flags=re.I), u["unit"]) for u in _WORDS["units"]]
_FREQUENCY = pattern(r"^\s*раз(?:а|)?\s+в\s+(?P<per>{})", _WORDS["frequency_periods"], flags=re.I)
_PLAIN_TIMES = compiled(r"^\s*раз(?:а)?(?!\w)", re.I)
_NOUN_AFTER = compiled(r"^\s*(?:[a-zа-яё]+\s+){0,2}?(?P<noun>[а-яё]{3,})", re.I)
_ABBREVIATION_AFTER = compiled(r"^\s*[А-ЯЁ]{2,}(?![\w.-])")  # `48 ОО`, `12 ШНОР`: counted schools


def _to_number(m: re.Match) -> float:
    if m.groupdict().get("num"):
        return float(m.group("num").replace(",", "."))
    return float(_NUMBER_WORDS[m.group("word").lower()])


def _unit_after(text: str) -> Optional[str]:
    """The unit printed right after a number (`%`, `балл`, `раз в месяц`, a counted noun → шт)."""
    for rx, unit in _UNITS:
        if rx.match(text):
            return unit
    f = _FREQUENCY.match(text)
    if f:
        return "раз в " + fold_whitespace(f.group("per").lower())
    if _PLAIN_TIMES.match(text):
        return "раз"
    if _ABBREVIATION_AFTER.match(text):
        return "шт"
    m = _NOUN_AFTER.match(text)
    if m and not _ORDINAL_NOUNS.match(m.group("noun")):
        return "шт"
    return None


def _is_noise_number(text: str, start: int, end: int) -> bool:
    """Years, dates, document numbers, ranges and project names are not targets."""
    before = text[max(0, start - 3):start]
    after = text[end:end + 2]
    num = text[start:end]
    if compiled(r"^(19|20)\d\d$").match(num):
        return True
    if "№" in before or compiled(r"[./]\s?$").search(before) and compiled(r"\d\s?$").search(text[:start].rstrip("./ ")):
        return True
    if compiled(r"^\s?[./]\d").match(after) or compiled(r"^\s?[-–]\s?\d").match(after) or after.startswith("+"):
        return True
    if compiled(r"\d\s?[-–]\s?$").search(before):
        return True
    return False


def _range(item: str) -> Optional[tuple[float, str]]:
    """`от 70 до 90 %`, `от 2 до 4 посещений`: a range promises at least its lower bound, in
    the unit printed after either bound; `от 5 до 9 классов` counts no unit and is no target."""
    for m in _RANGE_RX.finditer(item):
        unit = "%" if m.group("percent") else _unit_after(item[m.end():])
        if unit and not _is_noise_number(item, m.start("num"), m.end("num")):
            return float(m.group("num").replace(",", ".")), unit
    return None


_STATED_VALUE = compiled(r"[^\s\d]\s*[–—:-]\s*(?P<range>от\s+)?(?P<num>\d+(?:[.,]\d+)?)"
                         r"(?(range)\s+до\s+\d+(?:[.,]\d+)?|(?P<unit>\s*(?:шт|ед|чел)\.?)?)\s*\.?$", re.I)


def _target(item: str) -> tuple[Optional[float], Optional[str], Optional[str]]:
    # 1. a range, then a comparator + number
    bounded = _range(item)
    if bounded:
        return bounded[0], bounded[1], ">="
    for m in _COMPARATOR_RX.finditer(item):
        grp = "num" if m.group("num") else "word"
        if grp == "num" and _is_noise_number(item, m.start("num"), m.end("num")):
            continue
        cmp_word = m.group("cmp").lower()
        cmp = next(c for p, c in _COMPARATORS if re.fullmatch(p, cmp_word, re.IGNORECASE))
        unit = _unit_after(item[m.end():])
        if cmp_word in ("от", "до") and unit not in ("%", "балл", "чел", "шт"):
            continue  # "до 20.03", "от муниципалитета": not a bound
        if grp == "num" and unit is None and cmp_word in ("от", "до", "более", "менее"):
            continue
        return _to_number(m), unit, cmp
    # 2. percentages
    for m in _PERCENT_RX.finditer(item):
        if not _is_noise_number(item, m.start("num"), m.end("num")):
            return _to_number(m), "%", "="
    # 3. a bare number in parentheses
    for m in _PAREN_RX.finditer(item):
        if not _is_noise_number(item, m.start("num"), m.end("num")):
            return _to_number(m), None, "="
    # 4. a value after a dash or colon ending the item: `количество семинаров – 3`, `справка –
    # 1 шт.`, or a range there, which promises its lower bound (`участников – от 150 до 200`)
    stated = _STATED_VALUE.search(item)
    if stated and not _is_noise_number(item, stated.start("num"), stated.end("num")):
        unit = _unit_after(stated.group("unit")) if stated.group("unit") else None
        return _to_number(stated), unit, ">=" if stated.group("range") else "="
    # 5. a count of things
    for m in _COUNT_RX.finditer(item):
        if _is_noise_number(item, m.start("num"), m.end("num")):
            continue
        unit = _unit_after(item[m.end("num"):].lstrip("-хтимгоеХ"))
        if unit:
            return _to_number(m), unit, "="
    return None, None, None


_OPEN_END = pattern(  # a line ending so (`… и`, `… не более`) waits for the next: no new item there
    r"(?:[-–—(«]|\b(?:{}))\s*$",
    load("function_words")["open_end_words"] + _WORDS["open_end_words"]
    + [p for c in _WORDS["comparators"] for p in c["patterns"] if p[:1].isalpha()],
    flags=re.I,
)


def _starts_new_line_item(prev: str, line: str) -> bool:
    """After a plain line break: a new item when the line starts with a capital word that can
    open a phrase (a nominative noun or adjective, a verb or short participle, `Не`, a
    number) and the previous line is not left open (`… и`, `… в`, a hyphen). A capital word
    with only oblique readings (`Ивановской области`, `Департамента`) continues a PDF wrap,
    as does a year (`… в проекте` / `2022, приказ …`)."""
    if _OPEN_END.search(prev) or line.lstrip().startswith("("):
        return False  # a line opening with a parenthesis is an aside of the one above: `(100%)`
    first = compiled(r"\s*(\S+)").match(line)
    if not first:
        return False
    word = first.group(1).strip("«\"(")
    if compiled(r"(?:19|20)\d\d(?!\d)(?!\s*%)").match(word):
        return False
    if compiled(r"\d").match(word):
        return True
    if word[:1].islower() and _each_has_a_target(prev, line):
        low = word.lower().strip(".,:;")  # `не`, a noun or adjective, never a preposition (`в`)
        readings = parse_word(low)
        return low == "не" or len(low) > 2 and bool(readings) and readings[0].tag.POS not in ("PREP", "CONJ", "PRCL") \
            and any(p.tag.POS in ("NOUN", "ADJF") and p.tag.case == "nomn" for p in readings)
    if not word[:1].isupper() or word.isupper():
        return False
    return _opens_a_phrase(word.lower().strip(".,:;"))


def _opens_a_phrase(low: str) -> bool:
    """`не`, or a word a phrase can open with: a nominative noun or adjective, a verb."""
    if low == "не":
        return True
    if not is_dictionary_word(low):
        return False
    return any(
        p.tag.POS in ("VERB", "PRTS", "INFN") or (p.tag.POS in ("NOUN", "ADJF", "PRTF") and p.tag.case == "nomn")
        for p in parse_word(low)
    )


_ENDS_WITH_VALUE = compiled(r"\d+(?:[.,]\d+)?\s*(?:%|шт\.?|ед\.?|чел\.?)?\s*\.?$")


def _each_has_a_target(prev: str, line: str) -> bool:
    """`аналитическая справка – 1` / `охват ШНОР – 100 %`: a line stating a value of its own
    under one that did is a second indicator, though it opens in lower case; so is any line
    under one that ends with its value (`… – 100 %` / `доля опрошенных педагогов – не`, the
    second's value wrapped to the line after). A wrap carries no value on both sides."""
    return _target(prev)[0] is not None and (_ENDS_WITH_VALUE.search(prev) is not None or _target(line)[0] is not None)


def _split_lines(cell: str) -> list[str]:
    lines = normalize_bullets(cell.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    items: list[str] = []
    for ln in lines:
        if not ln.strip():
            continue
        starts_item = bool(_LINE_BULLET.match(ln))
        prev_closed = bool(items) and (
            compiled(r"[.;!]\s*$").search(items[-1]) or _starts_new_line_item(items[-1], ln))
        if items and not starts_item and not prev_closed:
            items[-1] = items[-1] + "\n" + ln
        else:
            items.append(_LINE_BULLET.sub("", ln) if starts_item else ln)
    return items


def _split_top(text: str, sep: str) -> list[str]:
    """Split at `sep` outside parentheses/quotes."""
    parts, buf, depth = [], [], 0
    for ch in text:
        if ch in "(«":
            depth += 1
        elif ch in ")»":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _split_sentences(text: str) -> list[str]:
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(«":
            depth += 1
        elif ch in ")»":
            depth = max(0, depth - 1)
        elif ch in ".!?" and depth == 0:
            nxt = text[i + 1:i + 3]
            if compiled(r"\s[А-ЯЁA-Z]").match(nxt) and not _ABBR_BEFORE_DOT.search(text[start:i]):
                out.append(text[start:i + 1])
                start = i + 1
    out.append(text[start:])
    return out


def split_items(cell: Optional[str]) -> list[str]:
    """The separate items of an indicator cell, each cleaned (see the module docstring)."""
    if not cell or _EMPTY.match(cell):
        return []
    items: list[str] = []
    for block in _split_lines(cell):
        for part in _split_top(block, ";"):
            for sentence in _split_sentences(clean_text(part)):
                s = sentence.strip(" ;,")
                if s and not _EMPTY.match(s):
                    items.append(s)
    return items


def parse_indicator(text: str) -> Indicator:
    """One item → Indicator with target/unit/comparator read from its text."""
    t = clean_text(text)
    target, unit, cmp = _target(t)
    bare = _BARE_NUMBER.match(t)
    if target is None and bare:  # `100` under `Целевой показатель, %`: the cell is the number
        target, cmp = float(bare.group(1).replace(",", ".")), "="
    return Indicator(text=t, target=target, unit=unit, comparator=cmp)


_BARE_NUMBER = compiled(r"^\s*(\d{1,6}(?:[.,]\d+)?)\s*$")


def parse_indicators(cell: Optional[str]) -> list[Indicator]:
    """An indicator / expected-result cell → Indicator items; `-` or empty → []."""
    return [parse_indicator(item) for item in split_items(cell)]


def with_value_column(indicators: list[Indicator], cell: Optional[str]) -> list[Indicator]:
    """`Показатель` | `Целевое значение`: the indicator's words in one column, its target in the
    next (`не менее 90 %`, `100`, `–`). Values pair with indicators in order; one indicator
    takes the first value; a value with no indicator beside it stands as printed."""
    values = parse_indicators(cell)
    if not values:
        return indicators
    if not indicators:
        return values
    if len(indicators) == 1:
        values = values[:1]
    elif len(values) != len(indicators):
        return indicators
    return [indicator.model_copy(update={"target": value.target, "unit": value.unit, "comparator": value.comparator})
            if indicator.target is None and value.target is not None else indicator
            for indicator, value in zip(indicators, values)]
