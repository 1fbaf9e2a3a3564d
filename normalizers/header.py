"""Read an order's header (issuer, act type, number, date, title, amended acts, region,
level, municipality, plan period) from the paragraphs that precede its roadmap table.

Russian orders share one layout whatever the region: the issuing body in capitals, the act
type (`ПРИКАЗ`, `П Р И К А З`, `РАСПОРЯЖЕНИЕ` …), the signed date and number (on one line,
on two lines, or on the act-type line), the place, then the `О …` / `Об …` title, then the
preamble (`В соответствии с письмом … от 22.11.2021 № 02-21/683`) and, after the signature,
an appendix stamp repeating the date and number. So the date and number are looked for
between the act-type line and the title (then just above the act type, then between the
title and the preamble for layouts that print the title first); dates and numbers of
cited acts in the preamble and of the appendix stamp never compete with them.

Republics print bilingual headers (the national-language column beside the Russian one);
extractors read such columns side by side on one line or as a two-cell table. When national
letters appear near the top, lines are split where a capitals column meets mixed-case text
and only their Russian words are kept (`ЧĂВАШ РЕСПУБЛИКИН КАБИНЕТ МИНИСТРОВ` → `КАБИНЕТ
МИНИСТРОВ`).

Everything here is a pure function of the paragraph texts. Dates are parsed by
`normalizers.dates.parse_date`; regions come from `normalizers.regions`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from normalizers.dates import MONTH_WORD, fix_ocr_digits, parse_date
from normalizers.regions import (
    capital_nominative,
    find_city_regions,
    find_region_matches,
    fold_homoglyphs,
    region_of_city,
)
from language.inflection import inflect_phrase
from language.morphology import get_morph, is_dictionary_word, parse_word
from language.words import is_caps_text
from normalizers.text import clean_text
from schema import ActRef, Period, Region

DOC_TYPES = ("приказ", "распоряжение", "постановление", "решение")

# How far from the top the header may lie (lines), and how far a title may run.
_HEADER_SCAN = 40
_TITLE_MAX_LINES = 12

_FEDERAL_CITY_CODES = {"RU-MOW", "RU-SPE", "RU-SEV"}


@dataclass
class HeaderInfo:
    """The order's header fields; names match RoadmapDocument's (see document_fields)."""

    issuer: Optional[str] = None
    doc_type: Optional[str] = None
    number: Optional[str] = None
    date: Optional[dt.date] = None
    title: Optional[str] = None
    amends: list[ActRef] = field(default_factory=list)
    region: Optional[Region] = None
    level: Optional[str] = None
    municipality: Optional[str] = None
    period: Optional[Period] = None
    warnings: list[str] = field(default_factory=list)

    def document_fields(self) -> dict:
        """Keyword arguments for RoadmapDocument (everything but `warnings`)."""
        return {
            "issuer": self.issuer,
            "doc_type": self.doc_type,
            "number": self.number,
            "date": self.date,
            "title": self.title,
            "amends": list(self.amends),
            "region": self.region,
            "level": self.level,
            "municipality": self.municipality,
            "period": self.period,
        }


# ---------------------------------------------------------------------------------------
# Lines.

_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)")


def _clean_line(raw: str) -> str:
    line = fold_homoglyphs(raw)
    line = _MD_PREFIX.sub("", line).replace("\\", " ")
    line = clean_text(line)
    return line.strip("* ").strip()


# Letters of the national languages printed beside Russian in republics' headers
# (Chuvash, Tatar, Bashkir, Yakut, Buryat, Kazakh, Kabardian …); Russian never uses them.
_NATIONAL = re.compile(r"[ĂăĔĕÇçŸÿӐӑӖӗҪҫӲӳӨөҮүҺһҢңҤҥҖҗӘәҘҙҠҡӀӏІіЇїҒғҚқҰұÖöÜüÄäŊŋ]")
_PUNCT = " .,;:«»\"()[]!?–—-"


def _russian_token(token: str) -> bool:
    if _NATIONAL.search(token):
        return False
    core = token.strip(_PUNCT)
    if not core or re.search(r"\d", core) or not re.search(r"[А-Яа-яЁё]", core):
        return True
    return all(is_dictionary_word(part) for part in core.split("-") if part)


def russian_part(line: str) -> str:
    """The longest run of Russian words in a line of a bilingual header
    (`ЧĂВАШ РЕСПУБЛИКИН КАБИНЕТ МИНИСТРОВ` → `КАБИНЕТ МИНИСТРОВ`)."""
    tokens = line.split()
    best: tuple[int, int] = (0, 0)
    start = 0
    for i, token in enumerate(tokens + [None]):
        if token is None or not _russian_token(token):
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = i + 1
    return " ".join(tokens[best[0] : best[1]])


def _caps_word(token: str) -> bool:
    core = token.strip(_PUNCT)
    return len(core) >= 2 and core.isupper() and is_dictionary_word(core)


def split_columns(line: str) -> list[str]:
    """A line where a caps column and a mixed-case column were read side by side, split:
    `от 15.12.2021 № 1890 КАБИНЕТ МИНИСТРОВ` → [`от 15.12.2021 № 1890`, `КАБИНЕТ МИНИСТРОВ`].
    Only a run of two or more capitalized dictionary words counts as a column."""
    tokens = line.split()
    caps = [_caps_word(t) for t in tokens]
    lettered = [bool(re.search(r"[а-яё]", t)) for t in tokens]
    n = len(tokens)
    for cut in range(1, n):
        head_caps = all(caps[:cut]) and cut >= 2
        tail_caps = all(caps[cut:]) and n - cut >= 2
        if tail_caps and any(lettered[:cut]):
            return [" ".join(tokens[:cut]), " ".join(tokens[cut:])]
        if head_caps and not caps[cut] and any(lettered[cut:]):
            return [" ".join(tokens[:cut]), " ".join(tokens[cut:])]
    return [line]


def _drop_national(lines: list[str]) -> list[str]:
    """In a bilingual header (national letters near the top) split lines where two columns
    were read side by side, and keep only the Russian text of the lines above the title."""
    if not any(_NATIONAL.search(line) for line in lines[:_HEADER_SCAN]):
        return lines
    split: list[str] = []
    for i, line in enumerate(lines):
        if i < _HEADER_SCAN and not _is_preamble(line):
            split.extend(split_columns(line))
        else:
            split.extend(lines[i:])
            break
    out = list(split)
    top = next((i for i, line in enumerate(split[:_HEADER_SCAN]) if _TITLE_START.match(line) or _is_preamble(line)),
               min(len(split), _HEADER_SCAN))
    for i, line in enumerate(split[:top]):
        kept = russian_part(line)
        fragment = kept != line and len(kept.split()) <= 1
        if fragment and not (match_doc_type(kept) or re.search(r"\d", kept)):
            kept = ""  # one word left of a national-language line (`ТАТАРСТАН РЕСПУБЛИКАСЫ`)
        elif kept != line and _echoes(kept, [ln for ln in split[:i] if ln and russian_part(ln) == ln]):
            kept = ""  # `… ВЕЛÖДÖМ ДА НАУКА МИНИСТЕРСТВО`: the national name's loanwords, not a name
        out[i] = kept
    return out


def _echoes(kept: str, others: list[str]) -> bool:
    """Every longer word of `kept` is already in the Russian lines above (by its stem): the
    national-language name repeats the Russian one printed first."""
    stems = {w[:4] for ln in others for w in re.findall(r"[а-яё]{4,}", ln.lower())}
    words = re.findall(r"[а-яё]{4,}", kept.lower())
    return bool(words) and all(w[:4] in stems for w in words)


def header_lines(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs split into cleaned lines (markdown, tabs, homoglyphs fixed); a blank
    paragraph becomes an empty line, because a blank line ends a title."""
    lines: list[str] = []
    for para in paragraphs:
        if not para or not para.strip():
            lines.append("")
            continue
        for raw in para.splitlines():
            line = _clean_line(raw)
            if lines and _CUT_NUMBER.search(lines[-1]) and re.fullmatch(r"[0-9A-Za-zА-Яа-яЁё]{1,5}", line):
                lines[-1] += line  # `№ 89-` / `р`: a number wrapped at its hyphen
                continue
            lines.append(line)
    return _drop_national(lines)


_PREAMBLE = re.compile(
    r"^(?:в\s+соответствии|в\s+целях|с\s+целью|на\s+основании|руководствуясь|во\s+исполнение"
    r"|в\s+связи\s+с|для\s+обеспечения|в\s+рамках"
    r"|п\s?р\s?и\s?к\s?а\s?з\s?ы\s?в\s?а\s?ю|п\s?о\s?с\s?т\s?а\s?н\s?о\s?в\s?л\s?я\s?ю"
    r"|р\s?а\s?с\s?п\s?о\s?р\s?я\s?ж\s?а\s?ю\s?с\s?ь|обязываю|предлагаю)",
    re.IGNORECASE,
)
_PREAMBLE_INSIDE = re.compile(
    r"\s(?=(?:В\s+соответствии|В\s+целях|С\s+целью|На\s+основании|Руководствуясь|Во\s+исполнение)\b)"
)


def _is_preamble(line: str) -> bool:
    return bool(_PREAMBLE.match(line))


# ---------------------------------------------------------------------------------------
# Act type.

_DOC_PLAIN = re.compile(r"^(?P<w>" + "|".join(DOC_TYPES) + r")(?![а-яёa-z])(?P<rest>.*)$", re.I)
_DOC_SPACED = re.compile(
    r"^(?P<w>" + "|".join(r"\s".join(w) for w in DOC_TYPES) + r")"
    r"(?!\s?[а-яё](?:[\s:.,!]|$))(?P<rest>.*)$",
    re.I,
)
_DOC_REST = re.compile(r"^(?:$|№|N|от\b|\d|«|»|\"|г\.|:|-|–|—)", re.I)


def match_doc_type(line: str) -> Optional[tuple[str, str]]:
    """(act type in lower case, rest of the line) when `line` is an act-type heading."""
    s = line.lstrip(" «\"'").strip()
    for regex in (_DOC_PLAIN, _DOC_SPACED):
        m = regex.match(s)
        if m:
            rest = m.group("rest").strip()
            if _DOC_REST.match(rest):
                return re.sub(r"\s", "", m.group("w")).lower(), rest
    return None


def find_doc_type(lines: Sequence[str]) -> Optional[tuple[int, str]]:
    """(line index, act type) of the first act-type heading above the preamble, or None."""
    for i, line in enumerate(lines[:_HEADER_SCAN]):
        if _is_preamble(line):
            return None
        found = match_doc_type(line)
        if found:
            return i, found[0]
    return None


# ---------------------------------------------------------------------------------------
# Number and date.

_NUM_SIGN = r"(?:№|(?<![A-Za-z])N\s?[oо°º]?(?=\s*\d)|(?<![A-Za-z])N[eе](?=\s*\d))"
_NUM_WORD = r"[0-9A-Za-zА-Яа-яЁё]+"
_CUT_NUMBER = re.compile(_NUM_SIGN + r"\s*" + _NUM_WORD + r"(?:[-‐–/]" + _NUM_WORD + r")*[-‐–/]$")
_NUMBER = re.compile(
    _NUM_SIGN + r"\s*(?P<num>" + _NUM_WORD + r"(?:\s?[-‐–/.]\s?" + _NUM_WORD + r")*"
    r"(?:\s(?!ОТ\b|Г\.)[А-ЯЁ]{1,3}(?![\w.]))?)"
)
_DATE = re.compile(
    r"(?P<d>«\s*\d{1,2}\s*»\s*(?:" + MONTH_WORD + r"|\d{1,2}\s?\.?)\s*(?:\d{4}|\d{2})(?!\d)"
    r"|(?<![\d.])\d{1,2}\s?[./]\s?\d{1,2}\s?[./]\s?(?:\d{4}|\d{2})(?![\d])"
    r"|(?<![\d.])\d{1,2}\s+" + MONTH_WORD + r"\s+\d{4})",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$")
_CITED = re.compile(r"письм|ходатайств|обращени|протокол|согласно\s+приказ", re.I)


def find_number(line: str) -> Optional[str]:
    """The act number after `№` / `N` / `No` in `line`, as printed (no sign), or None."""
    for m in _NUMBER.finditer(line):
        num = m.group("num").strip(" .,;:")
        if re.search(r"\d", num) and not (_DATE_LIKE.match(num) and parse_date(num)):
            return re.sub(r"\s*([-‐–/])\s*", r"\1", num)
    return None


def find_date(line: str) -> Optional[dt.date]:
    """The first full date written in `line` (numeric, `«09» 08.2021`, `30 декабря 2021 г.`)."""
    probe = fix_ocr_digits(line.lower().replace('"', "«", 1).replace('"', "»", 1))
    for m in _DATE.finditer(probe):
        parsed = parse_date(m.group("d"))
        if parsed is not None:
            return parsed
    return None


# ---------------------------------------------------------------------------------------
# Title.

_TITLE_START = re.compile(r"^[«\"]?\s*(?:об?|обо)\s+[а-яё«\"]", re.I)
_TITLE_INLINE = re.compile(
    r"(?<![\w.])(?:Об?|ОБ?)\s+(?:утверждени|внесени|организаци|реализаци|создани|проведени"
    r"|УТВЕРЖДЕНИ|ВНЕСЕНИ|ОРГАНИЗАЦИ|РЕАЛИЗАЦИ)"
)


# A title line that names a body in the genitive continues (`… в постановление` /
# `Кабинета Министров … от 15.12.2021 № 1890`); so does one after a dangling word.
_GENITIVE_BODY = re.compile(
    r"^(?:кабинета|министерства|департамента|правительства|администрации|управления|комитета"
    r"|главы|губернатора|мэрии|агентства|отдела)\b",
    re.I,
)
_OPEN_END = re.compile(
    r"(?:\b(?:в|во|на|по|о|об|от|для|и|с|со|к|из|при)"
    r"|\b(?:приказ|постановление|распоряжение|решение|приказы|постановления|распоряжения))\s*$",
    re.I,
)


def _quote_depth(text: str) -> int:
    return text.count("«") - text.count("»") + (text.count('"') % 2)


_PLACE_LINE = re.compile(r"^(?:г\.|гор\.|город|с\.|пос\.|п\.|рп\.|пгт\.?)\s*[А-ЯЁ][\w-]*\.?$")


def _is_stamp(line: str) -> bool:
    """A date-and-number line that is not part of a title (`«18» января 2022 г. № 10-П-47`):
    it opens with the date. `город Набережные Челны от 20.12.2021 № 3105-р` ends a title."""
    return bool(re.match(r"^[«\"]?\s*\d", line)) and bool(find_date(line) and find_number(line))


def _continues_title(title: str, line: str) -> bool:
    if _is_preamble(line) or match_doc_type(line) or _PLACE_LINE.match(line) or _is_stamp(line):
        return False
    if not title.rstrip().endswith((".", ":", ";")) and _MUNICIPALITY.match(fold_homoglyphs(line).lower()):
        return True  # `… в общеобразовательных организациях` / `Таврического муниципального района …`
    if _quote_depth(title) > 0:
        return True
    if is_caps_text(line) and not is_caps_text(title):
        return False  # another column or the header bled in; a title keeps one case style
    first = line[0]
    if first.islower() or first in "«\"(":
        return True
    if re.match(r"^(?:на\s+)?(?:19|20)\d\d\b", line, re.I):
        return True
    if re.match(r"^(?:№|от\s)", line, re.I):
        return True
    if _GENITIVE_BODY.match(line) or _OPEN_END.search(title):
        return True
    matches = find_region_matches(line)
    return bool(matches and matches[0].start == 0)


_BLED_NUMBER = re.compile(r"\s+(" + _NUM_SIGN + r"\s*\S+)\s*$")


def split_bled_number(line: str) -> tuple[str, Optional[str]]:
    """A title line with the act number printed at its right edge (`Об утверждении … № 45-р`,
    the date-and-number line's right half read onto the title's line): (line, number)."""
    m = _BLED_NUMBER.search(line)
    if not m or re.search(r"\bот\s*$", line[: m.start()].rstrip(), re.I) or find_date(line[: m.start()][-25:]):
        return line, None
    number = find_number(m.group(1))
    return (line[: m.start()], number) if number else (line, None)


def _finish_title(text: str) -> str:
    text = " ".join(text.split())
    cut = _PREAMBLE_INSIDE.search(text)
    if cut and _quote_depth(text[: cut.start()]) <= 0:
        text = text[: cut.start()]
    text = text.strip(" ,;:")
    if is_caps_text(text):
        text = _sentence_case(text)
    return text


def find_title(lines: Sequence[str], start: int = 0) -> Optional[tuple[int, str]]:
    """(first line index, title) of the `О …` / `Об …` title at or after `start`.

    Continuation lines are joined while they start in lower case, with a quote, a year,
    a region name or a body in the genitive, or while a `«` is still open; a blank line or
    the preamble ends it.
    """
    span = _title_span(lines, start)
    return (span.start, span.title) if span else None


@dataclass
class _TitleSpan:
    start: int
    end: int  # the line after the title's last
    title: str
    bled_number: Optional[str] = None


def _title_span(lines: Sequence[str], start: int, stop: Optional[int] = None) -> Optional[_TitleSpan]:
    """The title at or after `start` (and before `stop`), with the lines it spans."""
    end = min(len(lines), start + _HEADER_SCAN, stop if stop is not None else len(lines))
    for i in range(start, end):
        line = lines[i]
        if _is_preamble(line):
            break
        if not _TITLE_START.match(line):
            continue
        title, bled = split_bled_number(line)
        last = i
        for j in range(i + 1, min(len(lines), i + _TITLE_MAX_LINES)):
            nxt = lines[j]
            if not nxt:
                if _quote_depth(title) > 0:
                    continue
                break
            if not _continues_title(title, nxt):
                break
            title += " " + nxt
            last = j
        return _TitleSpan(i, last + 1, _finish_title(title), bled)
    for i in range(max(0, start - 1), min(end, start + 3)):
        line = lines[i]
        m = _TITLE_INLINE.search(line)
        if m and m.start() > 0 and "«" not in line[: m.start()] and (find_date(line) or find_number(line)):
            return _TitleSpan(i, i + 1, _finish_title(line[m.start() :]))
    return None


_AMEND = re.compile(r"внесени\w*\s+(?:\w+\s+)?изменени|изменени\w*\s+в\s", re.I)


def _ref_date(group: str) -> str:
    """A date of a cited act, captured in `group` (dates written as in headers)."""
    return (
        rf"(?P<{group}>«\s*\d{{1,2}}\s*»\s*(?:{MONTH_WORD}|\d{{1,2}}\s?\.?)\s*\d{{2,4}}"
        rf"|\d{{1,2}}\s?[./]\s?\d{{1,2}}\s?[./]\s?\d{{2,4}}|\d{{1,2}}\s+{MONTH_WORD}\s+\d{{4}})"
        r"(?:\s*(?:г\.?|года))?"
    )


_REF = re.compile(
    r"от\s*" + _ref_date("d1") + r"\s*" + _NUM_SIGN + r"\s*(?P<n1>[^\s,;«»]+)"
    r"|" + _NUM_SIGN + r"\s*(?P<n2>[^\s,;«»]+)\s*от\s*" + _ref_date("d2"),
    re.IGNORECASE,
)


def parse_amends(title: Optional[str]) -> list[ActRef]:
    """Acts an amending order amends: every `от <date> № <number>` (or `№ … от …`) of a
    `О внесении изменений …` title, outside the quoted title of the amended act."""
    if not title or not _AMEND.search(title):
        return []
    quote = title.find("«")
    head = title if quote < 0 else title[:quote]
    refs = []
    for m in _REF.finditer(head):
        number = (m.group("n1") or m.group("n2")).strip(" .,;:")
        raw_date = m.group("d1") or m.group("d2")
        refs.append(ActRef(number=number, date=parse_date(raw_date)))
    return refs


# ---------------------------------------------------------------------------------------
# Issuer.

_BODY_HEADS = {
    "администрация", "департамент", "министерство", "комитет", "управление", "отдел",
    "правительство", "агентство", "служба", "учреждение", "дирекция", "инспекция", "центр",
    "глава", "мэрия",
}
_GENITIVE_HEADS = {
    "министерства": "министерство", "департамента": "департамент",
    "администрации": "администрация", "управления": "управление", "комитета": "комитет",
    "правительства": "правительство", "отдела": "отдел", "агентства": "агентство",
    "главы": "глава", "мэрии": "мэрия",
}
_NOMINATIVE_ADJ = re.compile(r"^[а-яё-]+(?:ое|ее|ый|ий|ая|яя)$")
_NOT_ISSUER = re.compile(
    r"^(?:российская\s+федерация|рф|проект|копия|экземпляр\s*№?.*|для\s+служебного.*)$"
    r"|тел\.|телефон|факс|e-?mail|\bинн\b|\bкпп\b|\bогрн\b|\bокпо\b|\bул\.|улица|проспект|@|www\.|https?:"
    r"|(?<!\d)\d{6}(?!\d)|^г\.\s*\S+$|^\[|^!\[",
    re.IGNORECASE,
)
_CITY_WORD = re.compile(
    r"(?<![\w-])(?:(?:города|городу|городе|городом|город)\s+|г\.\s*)([а-яё][а-яё-]*)"
)
_GO_NAME = re.compile(r"городск\w*\s+округ\w*\s+(?:[«\"]?\s*город\s+)?([а-яё][а-яё-]*)")
# Territorial offices named by compass points are written `Северо-Западное`, `Юго-Восточное`.
_DIRECTION = re.compile(r"(?<![\w-])(?:северо|юго)-(?:западн|восточн)\w*")
# The government of several republics is `Кабинет Министров` (both words capitalized).
_CABINET = re.compile(r"кабинет\w*\s+министров")
_MUNICIPAL_ADJ = re.compile(
    r"(?<![\w-])(?!муниципальн|городск|сельск|автономн|административн|внутригородск)"
    r"([а-яё][а-яё-]*(?:ого|его|ий|ый))"
    r"(?=\s+(?:муниципальн\w*\s+(?:район|округ)|городск\w*\s+(?:округ|поселени)"
    r"|сельск\w*\s+поселени|район\w*\b|округ\w*\b|улус\w*\b))"
)


def _cap(word: str) -> str:
    parts = word.split("-")
    return "-".join(p if p in {"на", "де", "и"} else p[:1].upper() + p[1:] for p in parts)


def _recase_caps(line: str, capitalize_first: bool) -> str:
    """Lower-case an all-caps line, then restore capitals: region names, city names,
    district names, quoted names, abbreviations; optionally the first letter."""
    low = line.lower()
    chars = list(low)

    def put(start: int, text: str) -> None:
        chars[start : start + len(text)] = list(text)

    for m in _MUNICIPAL_ADJ.finditer(low):
        put(m.start(1), _cap(m.group(1)))
    for m in _CITY_WORD.finditer(low):
        put(m.start(1), _cap(m.group(1)))
        # an adjective opens a two-word name: `Набережные Челны`, `Нижний Новгород`
        nxt = re.match(r"\s+([а-яё][а-яё-]+)", low[m.end(1):])
        if nxt and any(p.tag.POS == "ADJF" for p in parse_word(m.group(1))[:1]):
            put(m.end(1) + nxt.start(1), _cap(nxt.group(1)))
    for m in _GO_NAME.finditer(low):
        put(m.start(1), _cap(m.group(1)))
    for m in _DIRECTION.finditer(low):
        put(m.start(), _cap(m.group(0)))
    for m in _CABINET.finditer(low):
        put(m.start(), m.group(0).title())
    for m in find_region_matches(line):
        if len(m.cased) == m.end - m.start:
            put(m.start, m.cased)
    for m in re.finditer(r"[«\"]\s*([а-яё])", low):
        put(m.start(1), m.group(1).upper())
    for m in re.finditer(r"[A-ZА-ЯЁ]{2,5}", line):
        word = m.group(0)
        before = line[m.start() - 1] if m.start() else " "
        after = line[m.end()] if m.end() < len(line) else " "
        bounded = not (before.isalpha() or before == "-" or after.isalpha() or after == "-")
        if bounded and not is_dictionary_word(word):
            put(m.start(), word)
    out = "".join(chars)
    if capitalize_first and out:
        out = out[0].upper() + out[1:]
    return out


def _sentence_case(text: str) -> str:
    return _recase_caps(text, capitalize_first=True)


def _starts_unit(line: str) -> bool:
    """Whether a header line names a new body (`ЦЕНТРАЛЬНОЕ УПРАВЛЕНИЕ`, `ДЕПАРТАМЕНТ …`)
    rather than continuing the previous one (`ТЮМЕНСКОЙ ОБЛАСТИ`)."""
    words = re.findall(r"[а-яё-]+", line.lower())
    for word in words[:4]:
        if word in _BODY_HEADS:
            return True
        if not _NOMINATIVE_ADJ.match(word):
            return False
    return False


def title_case_issuer(lines: Sequence[str]) -> str:
    """The issuer's lines as one title-cased name: `ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ И НАУКИ` +
    `ТЮМЕНСКОЙ ОБЛАСТИ` → `Департамент образования и науки Тюменской области`."""
    parts = []
    for i, line in enumerate(lines):
        new_unit = i == 0 or _starts_unit(line)
        if is_caps_text(line):
            parts.append(_recase_caps(line, capitalize_first=new_unit))
        elif new_unit and line:
            parts.append(line[0].upper() + line[1:])
        else:
            parts.append(line)
    return " ".join(" ".join(parts).split())


def _issuer_candidate(line: str) -> bool:
    if re.fullmatch(r"\([^()]*\)", line or ""):
        return False  # `(ДЕПОБРАЗОВАНИЯ И МОЛОДЕЖИ ЮГРЫ)`: a short name, printed under the full one
    first_letter = next((c for c in line or "" if c.isalpha()), "")
    if not first_letter.isupper():
        return False  # a body's name starts with a capital; lower-case text is bleed or prose
    return bool(line) and len(line) <= 200 and not _NOT_ISSUER.search(line) and not (
        find_number(line) or find_date(line) or match_doc_type(line) or _TITLE_START.match(line)
    )


def _strip_short_name_ref(line: str) -> str:
    """Drop a trailing `(далее – Департамент)`; a name's own parenthesis (`Саха (Якутия)`) stays."""
    return re.sub(r"\s*\(\s*далее\b[^)]*\)\s*$", "", line, flags=re.I)


_LEGAL_FORM_LINE = re.compile(
    r"^(?:муниципальн|государственн|областн|краев|республиканск)\w*\s+(?:казенн|бюджетн|автономн)\w*"
    r"\s+(?:образовательн\w*\s+)?учреждени\w*$", re.I)


def issuing_unit(lines: Sequence[str]) -> list[str]:
    """The body that issues the act, from a letterhead that may name its superior or region
    first. `ПРАВИТЕЛЬСТВО САРАТОВСКОЙ ОБЛАСТИ` / `МИНИСТЕРСТВО ОБРАЗОВАНИЯ САРАТОВСКОЙ
    ОБЛАСТИ` and `РЕСПУБЛИКА ДАГЕСТАН` / `АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО РАЙОНА «…»`: the last
    unit names its own territory, so it is the issuer. `АДМИНИСТРАЦИЯ ГОРОДА ТЮМЕНИ` /
    `ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ`: the department is only named through its parent, which stays."""
    starts = [i for i, line in enumerate(lines) if i == 0 or _starts_unit(line)]
    # `МУНИЦИПАЛЬНОЕ КАЗЕННОЕ УЧРЕЖДЕНИЕ` / `УПРАВЛЕНИЕ ОБРАЗОВАНИЯ …`: a legal form is the
    # next unit's own, not a superior body
    starts = [i for k, i in enumerate(starts)
              if not (k > 0 and _LEGAL_FORM_LINE.match(lines[starts[k - 1]]) and starts[k - 1] == i - 1)]
    if len(starts) < 2:
        return list(lines)
    last = list(lines[starts[-1]:])
    low = fold_homoglyphs(" ".join(last)).lower()
    if find_region_matches(" ".join(last)) or _MUNICIPALITY.search(low):
        return last
    return list(lines)


def find_issuer_lines(lines: Sequence[str], doc_index: Optional[int],
                      skip: Iterable[int] = ()) -> list[str]:
    """The issuer's lines as printed: above the act-type heading, or, when the heading comes
    first (`ПРИКАЗ` / `министерства образования …`), the genitive lines just below it.
    Lines in `skip` (the title's) are never the issuer's."""
    skipped = set(skip)
    top = doc_index if doc_index is not None else min(len(lines), 10)
    above = [
        _strip_short_name_ref(ln)
        for i, ln in enumerate(lines[:top])
        if i not in skipped and _issuer_candidate(ln)
    ]
    if doc_index is None:
        above = [ln for ln in above if re.search("|".join(_BODY_HEADS), ln.lower())]
    if above:
        return issuing_unit(above[-6:])
    if doc_index is None:
        return []
    below: list[str] = []
    for line in lines[doc_index + 1 : doc_index + 6]:
        if not line:
            if below:
                break
            continue
        if not _issuer_candidate(line):
            break
        if not below:
            first = line.split()[0].lower()
            if first not in _GENITIVE_HEADS:
                break
            line = _GENITIVE_HEADS[first] + line[len(first) :]
            line = line.upper() if is_caps_text(line[len(first) :] or "X") else line
        below.append(line)
    return below


# ---------------------------------------------------------------------------------------
# Level and municipality.

_TERRITORIAL = re.compile(
    r"территориальн\w*\s+(?:управлени|отдел|орган|подразделени)"
    r"|(?<![\w-])(?!главн|государствен|областн|краев|республиканск|региональн|муниципальн)"
    r"[а-яё-]+(?:ое|ее)\s+(?:окружное\s+)?управлени[ея]\b"
    r"|окружн\w*\s+управлени"
)
_REGIONAL_BODY = re.compile(r"министерств|департамент|комитет|агентств|правительств|управлени")
_MUNICIPAL = re.compile(
    r"муниципальн\w*\s+(?:район|округ|образовани|учреждени|казенн|бюджетн)"
    r"|городск\w*\s+(?:округ|поселени)|сельск\w*\s+поселени|(?<![\w-])район\w*\b|улус"
    r"|администраци\w*\s+(?:муниципальн|[а-яё-]+(?:ого|его)\s+(?:район|округ|муниципальн|городск))"
)


def _non_subject_city(issuer_low: str) -> bool:
    """Whether the issuer names a city (`города Тюмени`) that is not a federal city."""
    for m in _CITY_WORD.finditer(issuer_low):
        region = region_of_city(m.group(1))
        if region is None or region.code not in _FEDERAL_CITY_CODES:
            return True
    return False


def classify_level(issuer: Optional[str]) -> Optional[str]:
    """`territorial` (a territorial office of a regional ministry), `municipal` (a city or
    district administration or its education body) or `regional` (a subject's body)."""
    if not issuer:
        return None
    low = fold_homoglyphs(issuer).lower().replace("ё", "е")
    regions = find_region_matches(issuer)
    has_region_body = bool(_REGIONAL_BODY.search(low))
    if _TERRITORIAL.search(low) and has_region_body and (regions or "министерств" in low):
        return "territorial"
    if _MUNICIPAL.search(low) or _non_subject_city(low):
        return "municipal"
    if regions:
        return "regional"
    if has_region_body and not re.search(r"российской\s+федерации|федеральн", low):
        return "regional"
    return None


def _title_word(word: str) -> str:
    return "-".join(p if p in {"на", "де"} else p[:1].upper() + p[1:].lower() for p in word.split("-"))


def _nominative_city(name: str) -> str:
    known = capital_nominative(name)
    if known:
        return known
    if get_morph() is None:
        return _title_word(name)
    parses = parse_word(name.lower())
    geo = [p for p in parses if "Geox" in p.tag] or [p for p in parses if "NOUN" in p.tag] or parses
    return _title_word(geo[0].normal_form) if geo else _title_word(name)


def _nominative_phrase(words: list[str], proper_first: bool = True) -> str:
    """`Южского муниципального района` → `Южский муниципальный район`;
    `proper_first` capitalizes the first word (a name, not `городской`)."""
    out = inflect_phrase(" ".join(words), "nomn", head_last=True).split(" ")
    if proper_first and len(out) > 1 and get_morph() is not None:
        out[0] = _title_word(out[0])
    return " ".join(out)


_MUNICIPALITY = re.compile(
    r"(?<![\w-])(?P<qkind>муниципальн\w*\s+(?:район|округ|образовани)\w*|городск\w*\s+(?:округ|поселени)\w*"
    r"|сельск\w*\s+поселени\w*)\s+(?P<qname>[«\"][^»\"]{2,60}[»\"]|[а-яё-]+(?:ий|ый|ой)\s+(?:район|округ)(?![\w-]))"
    r"|(?<![\w-])(?P<adj>(?!муниципальн|городск|сельск|автономн)[а-яё][а-яё-]*(?:ого|его))\s+"
    r"(?P<kind>муниципальн\w*\s+район\w*|муниципальн\w*\s+округ\w*|городск\w*\s+округ\w*"
    r"|городск\w*\s+поселени\w*|сельск\w*\s+поселени\w*|район\w*|улус\w*)(?![\w-])"
    r"|(?<![\w-])(?P<go>городск\w*\s+округ\w*)\s+(?:«?\s*город\s+)?(?P<goname>[а-яё][а-яё-]+)"
    r"|(?<![\w-])(?:(?P<cw>города|город)\s+|г\.\s*)(?P<city>[а-яё][а-яё-]+(?:\s+[а-яё][а-яё-]+)?)"
)


def find_municipality(issuer: Optional[str]) -> Optional[str]:
    """The municipality a municipal issuer belongs to, in the nominative:
    `Администрация города Тюмени` → `город Тюмень`; `… Южского муниципального района` →
    `Южский муниципальный район`; None when the issuer names none."""
    if not issuer:
        return None
    low = fold_homoglyphs(issuer).lower()
    for m in _MUNICIPALITY.finditer(low):
        if m.group("qkind"):  # `муниципального района «Кизлярский район»`: the name as printed
            kind = _nominative_phrase(m.group("qkind").split(), proper_first=False)
            name = issuer[m.start("qname"):m.end("qname")] if len(low) == len(issuer) else m.group("qname")
            name = _recase_caps(name, True) if is_caps_text(name) else name
            city = re.fullmatch(r"[«\"]\s*[Гг]ород\s+([^»\"]+?)\s*[»\"]", name)
            if city:  # `муниципального образования «Город Воткинск»` is the city
                return f"город {city.group(1)}"
            return f"{kind} {name}"
        if m.group("adj"):
            return _nominative_phrase([m.group("adj")] + m.group("kind").split())
        if m.group("go"):
            go = _nominative_phrase(m.group("go").split(), proper_first=False)
            return f"{go} {_title_word(m.group('goname'))}"
        words = m.group("city").split()
        if m.group("cw") == "город" and len(low) == len(issuer):
            # `муниципального образования город Набережные Челны`: the name is printed in the
            # nominative after a nominative `город`; its capitalized words are the name
            printed = issuer[m.start("city"):m.end("city")].split()
            name = [printed[0]] + [w for w in printed[1:2] if w[:1].isupper()]
            if not is_caps_text(" ".join(name)):
                return "город " + " ".join(name)
        if len(words) == 2 and capital_nominative(" ".join(words)):
            return "город " + capital_nominative(" ".join(words))
        region = region_of_city(words[0])
        if region is not None and region.code in _FEDERAL_CITY_CODES:
            continue
        return "город " + _nominative_city(words[0])
    return None


# ---------------------------------------------------------------------------------------
# Plan period.

_Y = r"((?:19|20)\d\d)"
_DASH = r"\s*(?:г\.?\s*|гг\.?\s*)?[-‐–—]\s*"
_PERIODS = (
    ("academic", re.compile(_Y + r"\s*[-–—/]\s*((?:19|20)?\d\d)\s*(?:уч\w*\.?\s*г|учебн)", re.I)),
    ("range", re.compile(r"(?<![\w])на\s+(?:период\s+)?" + _Y + _DASH + _Y + r"(?!\d)", re.I)),
    ("range", re.compile(
        r"срок\w*\s+(?:реализации|действия|исполнения)\s*[:\-–—]?\s*(?:на\s+)?" + _Y + _DASH + _Y
        + r"(?!\d)", re.I)),
    ("year", re.compile(
        r"срок\w*\s+(?:реализации|действия|исполнения)\s*[:\-–—]?\s*(?:на\s+|в\s+)?" + _Y
        + r"(?!\d)(?!\s*[-–—])", re.I)),
    ("year", re.compile(r"(?<![\w])на\s+" + _Y + r"\s*(?:год|г\.|гг?\b)", re.I)),
)
_MAX_PLAN_YEARS = 3
# An amendment quotes the wording it replaces (`слова «на 2022 год» заменить словами
# «на 2022 – 2023 годы»`): the replaced period is not the plan's.
_REPLACED_WORDING = re.compile(
    r"(?:слов\w*|цифр\w*)\s+«[^»]*»(?=\s*(?:,\s*)?(?:заменить|исключить|замен))", re.I
)


# `Утвердить дорожную карту на 2022 год`, `… и утверждении дорожной карты на 2022 год`: the
# period of the plan the act approves, within its sentence (not after a quote opens).
_APPROVES = re.compile(r"утвер[дж]\w*[^.;«]*$", re.I)


def plan_period(texts: Iterable[str]) -> Optional[Period]:
    """The period a plan covers: `на 2022 год`, `на 2020-2021гг.`, `на 2021 – 2022 годы`,
    `Сроки реализации: 2022 год`, `на 2021/2022 учебный год` (1 Sep – 31 Aug).

    The last statement wins: texts run in document order, and the one nearest the table
    is the plan's own heading, while earlier ones may be acts the preamble cites or the
    quoted title of an act being amended. Wording an amendment replaces (`слова «на 2022
    год» заменить …`) is ignored. Spans longer than three years are programmes the plan
    cites (`… на 2021-2026 годы`), not the plan's own period, and are skipped. A period the act
    names with its own verb (`утвердить … на 2022 год`) wins over the others: an order may
    also report on last year's plan (`отчет … на 2021 год`)."""
    last: Optional[Period] = None
    approved: Optional[Period] = None  # named with the act's own verb: `утвердить … на 2022 год`
    for text in texts:
        if not text:
            continue
        s = _REPLACED_WORDING.sub(" ", " ".join(fold_homoglyphs(text).split()))
        found: list[tuple[int, Period]] = []
        for kind, regex in _PERIODS:
            for m in regex.finditer(s):
                y1 = int(m.group(1))
                if kind == "year":
                    found.append((m.start(), Period(start=dt.date(y1, 1, 1), end=dt.date(y1, 12, 31))))
                    continue
                y2 = int(m.group(2))
                if y2 < 100:
                    y2 += y1 // 100 * 100
                if kind == "academic":
                    if y2 == y1 + 1:
                        found.append((m.start(), Period(start=dt.date(y1, 9, 1), end=dt.date(y2, 8, 31))))
                    continue
                if y1 <= y2 < y1 + _MAX_PLAN_YEARS:
                    found.append((m.start(), Period(start=dt.date(y1, 1, 1), end=dt.date(y2, 12, 31))))
        if found:
            last = max(found, key=lambda f: f[0])[1]
            approved_here = [f for f in found if _APPROVES.search(s[max(0, f[0] - 120):f[0]])
                             and _quote_depth(s[:f[0]]) <= 0]  # not inside a quoted title
            if approved_here:
                approved = max(approved_here, key=lambda f: f[0])[1]
    return approved or last


# ---------------------------------------------------------------------------------------
# The whole header.


def _region(issuer: Optional[str], title: Optional[str], rest: Sequence[str],
            municipality: Optional[str]) -> Optional[Region]:
    if issuer:
        found = find_region_matches(issuer)
        if found:
            return found[0].region
        cities = find_city_regions(issuer)
        if cities:
            return cities[0][1]
    if municipality and municipality.startswith("город "):
        region = region_of_city(municipality[len("город ") :])
        if region is not None:
            return region
    for text in ([title] if title else []) + list(rest):
        found = find_region_matches(text)
        if found:
            return found[0].region
    return None


_APPROVED = re.compile(r"^[«\"]?\s*(?:утвержд[её]н\w*|утверждаю)\s*[»\"]?\s*:?\s*(?P<rest>.*)$", re.I)
_BY_ACT = re.compile(
    r"^(?P<act>приказом|распоряжением|постановлением|решением)\s+(?P<issuer>.+?)\s*"
    r"(?=\bот\s+[«\d]|№|$)", re.I
)
_ACT_NOMINATIVE = {"приказом": "приказ", "распоряжением": "распоряжение",
                   "постановлением": "постановление", "решением": "решение"}


def find_approval(lines: Sequence[str]) -> Optional[tuple[str, str]]:
    """(act type, issuer) from an approval block (`УТВЕРЖДЕН распоряжением комитета …
    от 14.02.2022 № 312-р`), for a plan circulated without the order that approves it."""
    for i, line in enumerate(lines[:_HEADER_SCAN]):
        m = _APPROVED.match(line.strip())
        if not m:
            continue
        block = " ".join([m.group("rest")] + [ln.strip() for ln in lines[i + 1 : i + 7]])
        act = _BY_ACT.match(" ".join(block.split()))
        if not act:
            continue
        words = act.group("issuer").strip(" ,").split()
        head = _GENITIVE_HEADS.get(words[0].lower()) if words else None
        if head is None:
            continue
        issuer = " ".join([head.capitalize()] + words[1:])
        return _ACT_NOMINATIVE[act.group("act").lower()], issuer
    return None


def parse_header(paragraphs: Sequence[str]) -> HeaderInfo:
    """Every header field of an order from its paragraphs before the roadmap table."""
    lines = header_lines(paragraphs)
    info = HeaderInfo()

    doc = find_doc_type(lines)
    doc_index = doc[0] if doc else None
    if doc:
        info.doc_type = doc[1]
    else:
        info.warnings.append("header: act type (приказ/распоряжение/…) not found")

    span = _title_span(lines, doc_index + 1 if doc_index is not None else 0)
    if span is None and doc_index is not None:
        span = _title_span(lines, 0, stop=doc_index)  # printed under a left-hand column
    if span:
        title_index, title_end, info.title = span.start, span.end, span.title
    else:
        title_index = title_end = None
        info.warnings.append("header: title (О …/Об …) not found")

    title_lines = range(title_index, title_end) if span else range(0)
    issuer_lines = find_issuer_lines(lines, doc_index, skip=title_lines)
    approval = find_approval(lines) if doc is None else None
    if approval:
        info.doc_type, info.issuer = approval
        info.warnings = [w for w in info.warnings if not w.startswith("header: act type")]
    elif issuer_lines:
        info.issuer = title_case_issuer(issuer_lines)
    else:
        info.warnings.append("header: issuing body not found")

    info.number, info.date = _number_and_date(lines, doc_index, title_index, title_end)
    if info.number is None and span is not None:
        info.number = span.bled_number
    if info.number is None:
        info.warnings.append("header: act number not found")
    if info.date is None:
        info.warnings.append("header: act date not found")

    info.amends = parse_amends(info.title)
    info.level = classify_level(info.issuer)
    if info.level == "municipal":
        info.municipality = find_municipality(info.issuer)
    after_title = lines[(title_index or doc_index or 0) + 1 :]
    info.region = _region(info.issuer, info.title, after_title, info.municipality)
    if info.region is None:
        info.warnings.append("header: region not found")
    info.period = plan_period(([info.title] if info.title else []) + list(after_title))
    return info


def _number_and_date(lines: Sequence[str], doc_index: Optional[int], title_index: Optional[int],
                     title_end: Optional[int]) -> tuple[Optional[str], Optional[dt.date]]:
    """The signed header's number and date: between the act-type line and the title; else
    just above the act-type line; else between the title and the preamble (layouts that
    print the title first); else the first `от <date> № <number>` line near the top."""
    windows: list[Sequence[str]] = []
    if doc_index is not None:
        below_title = title_index is not None and title_index > doc_index
        end = title_index if below_title else doc_index + 6
        first = match_doc_type(lines[doc_index])
        windows.append([first[1] if first else ""] + list(lines[doc_index + 1 : end]))
        windows.append(lines[max(0, doc_index - 3) : doc_index])
    else:
        end = title_index if title_index is not None else min(len(lines), 15)
        windows.append(lines[:end])
    if title_end is not None:
        after: list[str] = []
        for line in lines[title_end : title_end + 6]:
            if _is_preamble(line):
                break
            after.append(line)
        windows.append(after)
    number = None
    date = None
    for window in windows:
        for line in window:
            if not line or _CITED.search(line) or _is_preamble(line):
                continue
            if number is None:
                number = find_number(line)
            if date is None:
                date = find_date(line)
        if number is not None and date is not None:
            break
    return number, date
