"""The order's `О …` / `Об …` title, an act number bled onto it, and the acts it amends."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from language.morphology import agrees, parse_word
from language.patterns import compiled
from language.words import is_caps_text
from normalizers.dates import MONTH_WORD, parse_date
from normalizers.header.acts import (
    NUM_SIGN, PREAMBLE_INSIDE, is_preamble, find_date, find_number,
    match_doc_type,
)
from normalizers.header.casing import sentence_case
from normalizers.header.municipality import MUNICIPALITY
from normalizers.header.settings import HEADER
from normalizers.regions import find_region_matches, fold_homoglyphs
from normalizers.text import drop_specks
from normalizers.vocabulary import genitive_heads, load, pattern
from schema import ActRef

TITLE_START = compiled(r"^[«\"]?\s*(?:об?|обо)\s+[а-яё«\"]", re.I)
_WORDS = load("header_words")
_TITLE_INLINE = pattern(r"(?<![\w.])(?:Об?|ОБ?)\s+(?:{})", _WORDS["title_subjects"])


# A title line that names a body in the genitive continues (`… в постановление` /
# `Кабинета Министров … от 15.12.2021 № 1890`); so does one after a dangling word.
_GENITIVE_BODY = pattern(r"^(?:{})\b", list(genitive_heads()), flags=re.I)
_OPEN_END = pattern(
    r"(?:\b(?:{})|\b(?:{}))\s*$",
    load("function_words")["open_end_words"],
    [t["word"] for t in _WORDS["act_types"]] + [t["plural"] for t in _WORDS["act_types"] if "plural" in t],
    flags=re.I,
)


def quote_depth(text: str) -> int:
    return text.count("«") - text.count("»") + (text.count('"') % 2)


# A title wrapped right before a place's name: `… в городе` / `городского округа` / `Коломна …`.
_CITY_WORD_END = compiled(r"(?:\bг\.|\b(?:город[аеу]?|(?:городск|муниципальн)\w+\s+округ[аеу]?))\s*$", re.I)
_PLACE_LINE = pattern(r"^(?:{})\s*[А-ЯЁ][\w-]*\.?$", _WORDS["place_words"])
_PLACE_AT_END = pattern(r"\s+(?:{})\s*[А-ЯЁ][\w-]*\.?$", _WORDS["place_words"])
_ACT_TYPE_AT_END = pattern(r"\b(?:{}|{})\s*$", [t["word"] for t in _WORDS["act_types"]],
                           [t["plural"] for t in _WORDS["act_types"] if "plural" in t], flags=re.I)


def drop_bled_place(line: str) -> str:
    """A title line with the place line of another column read onto its end (`О внесении
    изменений в постановление г. Чебоксары`, a bilingual letterhead's right-hand cell; on a
    line of its own the title runs on past it): the line without it. Only right after an act
    type, which names its issuer next, never a place: `… в школах г. Чебоксары` and `… в г.
    Чебоксары` keep it."""
    m = _PLACE_AT_END.search(line)
    if m and _ACT_TYPE_AT_END.search(line[: m.start()]):
        return line[: m.start()]
    return line


def _is_stamp(line: str) -> bool:
    """A date-and-number line that is not part of a title (`«18» января 2022 г. № 10-П-47`):
    it opens with the date. `город Набережные Челны от 20.12.2021 № 3105-р` ends a title."""
    return bool(compiled(r"^[«\"]?\s*\d").match(line)) and bool(find_date(line) and find_number(line))


def _place_in_genitive(word: str) -> bool:
    """`Северодвинска`: a place's name in the genitive, which goes on a phrase, never opens a line."""
    best = parse_word(word.strip(",.").lower())[:1]
    return bool(best) and word[:1].isupper() and "Geox" in best[0].tag and best[0].tag.case == "gent"


def _continues_title(title: str, line: str) -> bool:
    if compiled(r"(?:\bот|№)\s*$", re.I).search(title) and line[:1].isdigit():
        return True  # `… в приказ … от` / `28.01.2022 № 64 «…»`: the cited act's date, no stamp
    if is_preamble(line) or match_doc_type(line) or _PLACE_LINE.match(line) or _is_stamp(line):
        return False
    if not title.rstrip().endswith((".", ":", ";")) and MUNICIPALITY.match(fold_homoglyphs(line).lower()):
        return True  # `… в общеобразовательных организациях` / `Таврического муниципального района …`
    if quote_depth(title) > 0:
        return True
    if _CITY_WORD_END.search(title) and line[:1].isupper() and not is_caps_text(line):
        return True  # `… в городе` / `Нижний Тагил в 2022 году`: the place's name
    if is_caps_text(line) and not is_caps_text(title):
        return False  # another column or the header bled in; a title keeps one case style
    if is_caps_text(line) and is_caps_text(title) and line[:1].isalpha():
        # a title printed in capitals runs on in capitals: read its lines as if in lower case
        return _continues_title(title.lower(), line.lower())
    first = line[0]
    if first.islower() or first in "«\"(":
        return True
    if compiled(r"^(?:на\s+)?(?:19|20)\d\d\b", re.I).match(line):
        return True
    if compiled(r"^(?:№|от\s)", re.I).match(line):
        return True
    if _GENITIVE_BODY.match(line) or _OPEN_END.search(title) or _place_in_genitive(line.split()[0]):
        return True  # … `организациях` / `Северодвинска в 2022 году`: whose they are
    if _adjective_awaits_noun(title, line):
        return True  # `… организациях Удмуртской` / `Республики, имеющих …`: the noun the adjective waits for
    matches = find_region_matches(line)
    return bool(matches and matches[0].start == 0)


def _adjective_awaits_noun(title: str, line: str) -> bool:
    """The title's last word is an adjective and the line opens with a noun in its case and number."""
    last, first = title.split()[-1:], line.split()[:1]
    if not last or not first or last[0][-1:] in ",.;:)»":
        return False
    return agrees(last[0], first[0].strip(",.;:"), lambda p: p.tag.POS == "NOUN")


_BLED_NUMBER = compiled(r"\s+(" + NUM_SIGN + r"\s*\S+)\s*$")


def split_bled_number(line: str) -> tuple[str, Optional[str]]:
    """A title line with the act number printed at its right edge (`Об утверждении … № 45-р`,
    the date-and-number line's right half read onto the title's line): (line, number)."""
    m = _BLED_NUMBER.search(line)
    if not m or compiled(r"\bот\s*$", re.I).search(line[: m.start()].rstrip()) or find_date(line[: m.start()][-25:]):
        return line, None
    number = find_number(m.group(1))
    return (line[: m.start()], number) if number else (line, None)


def _finish_title(text: str) -> str:
    text = drop_specks(" ".join(text.split()))
    cut = PREAMBLE_INSIDE.search(text)
    if cut and quote_depth(text[: cut.start()]) <= 0:
        text = text[: cut.start()]
    text = text.strip(" ,;:")
    if is_caps_text(text):
        text = sentence_case(text)
    return text[:1].upper() + text[1:]  # `о внесении …`: OCR lost the capital every title opens with


def find_title(lines: Sequence[str], start: int = 0) -> Optional[tuple[int, str]]:
    """(first line index, title) of the `О …` / `Об …` title at or after `start`.

    Continuation lines are joined while they start in lower case, with a quote, a year,
    a region name or a body in the genitive, or while a `«` is still open; a blank line or
    the preamble ends it.
    """
    span = title_span(lines, start)
    return (span.start, span.title) if span else None


@dataclass
class TitleSpan:
    start: int
    end: int  # the line after the title's last
    title: str
    bled_number: Optional[str] = None


def title_span(lines: Sequence[str], start: int, stop: Optional[int] = None) -> Optional[TitleSpan]:
    """The title at or after `start` (and before `stop`), with the lines it spans."""
    end = min(len(lines), start + HEADER.scan_lines, stop if stop is not None else len(lines))
    for i in range(start, end):
        line = lines[i]
        if is_preamble(line):
            break
        if not TITLE_START.match(line):
            continue
        title, bled = split_bled_number(line)
        title = drop_bled_place(title)
        last = i
        for j in range(i + 1, min(len(lines), i + HEADER.title_max_lines)):
            nxt = drop_bled_place(lines[j])
            if not nxt:
                if quote_depth(title) > 0:
                    continue
                break
            if _PLACE_LINE.match(nxt) and _ACT_TYPE_AT_END.search(title):
                continue  # another column's place line between an act type and the issuer it names
            if not _continues_title(title, nxt):
                break
            title += " " + nxt
            last = j
        return TitleSpan(i, last + 1, _finish_title(title), bled)
    for i in range(max(0, start - 1), min(end, start + 3)):
        line = lines[i]
        m = _TITLE_INLINE.search(line)
        if m and m.start() > 0 and "«" not in line[: m.start()] and (find_date(line) or find_number(line)):
            return TitleSpan(i, i + 1, _finish_title(line[m.start() :]))
    return None


_AMEND = compiled(r"внесени\w*\s+(?:\w+\s+)?изменени|изменени\w*\s+в\s", re.I)


def _ref_date(group: str) -> str:
    """A date of a cited act, captured in `group` (dates written as in headers)."""
    return (
        rf"(?P<{group}>«\s*\d{{1,2}}\s*»\s*(?:{MONTH_WORD}|\d{{1,2}}\s?\.?)\s*\d{{2,4}}"
        rf"|\d{{1,2}}\s?[./]\s?\d{{1,2}}\s?[./]\s?\d{{2,4}}|\d{{1,2}}\s+{MONTH_WORD}\s+\d{{4}})"
        r"(?:\s*(?:г\.?|года))?"
    )


_REF = compiled(
    r"от\s*" + _ref_date("d1") + r"\s*" + NUM_SIGN + r"\s*(?P<n1>[^\s,;«»]+)"
    r"|" + NUM_SIGN + r"\s*(?P<n2>[^\s,;«»]+)\s*от\s*" + _ref_date("d2"),
    re.IGNORECASE,
)


def parse_amends(title: Optional[str]) -> list[ActRef]:
    """Acts an amending order amends: every `от <date> № <number>` (or `№ … от …`) of a
    `О внесении изменений …` title, outside the quoted title of the amended act."""
    if not title or not _AMEND.search(title):
        return []
    refs = []
    for m in _REF.finditer(title):
        if quote_depth(title[:m.start()]) > 0:  # inside a quoted name: the amended act's own title
            continue
        number = (m.group("n1") or m.group("n2")).strip(" .,;:")
        raw_date = m.group("d1") or m.group("d2")
        refs.append(ActRef(number=number, date=parse_date(raw_date)))
    return refs


_AMEND_ORDER = compiled(
    r"(?:^|\s)внести\s+(?:изменени\w*\s+)?в\s(?P<what>[^:;]*?)\bутвержд\w*\s+(?P<by>[^:;]*?)(?:следующ|изменени|:|$)", re.I)


def is_amending(title: Optional[str]) -> bool:
    """`О внесении изменений …`: the title of an order that amends another."""
    return bool(title) and bool(_AMEND.search(title))


def amended_in_text(text: str) -> list[ActRef]:
    """The act an amending order amends when its title names none (`О внесении изменений в план
    мероприятий …`): the one its operative clause names — `Внести в план …, утвержденный приказом
    … от 31.01.2022 № 96 (далее – план), следующие изменения`."""
    m = _AMEND_ORDER.search(text or "")
    if not m:
        return []
    by = m.group("by")
    for ref in _REF.finditer(by):
        if quote_depth(by[:ref.start()]) == 0:
            number = (ref.group("n1") or ref.group("n2")).strip(" .,;:")
            return [ActRef(number=number, date=parse_date(ref.group("d1") or ref.group("d2")))]
    return []
