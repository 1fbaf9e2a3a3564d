"""The act type, number and date of an order's header, and where the preamble starts."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional, Sequence

from language.patterns import compiled
from normalizers.dates import MONTH_WORD, fix_ocr_digits, parse_date
from normalizers.header.settings import HEADER
from normalizers.vocabulary import load, pattern

_WORDS = load("header_words")
DOC_TYPES = tuple(t["word"] for t in _WORDS["act_types"])


_PREAMBLE = pattern(
    "^(?:{})",
    [o["pattern"] for o in _WORDS["preamble_openers"]]
    + [r"\s?".join(verb) for verb in _WORDS["operative_verbs"]["spaced"]] + _WORDS["operative_verbs"]["plain"],
    flags=re.IGNORECASE,
)
PREAMBLE_INSIDE = pattern(
    r"\s(?=(?:{})\b)",
    [o["pattern"][:1].upper() + o["pattern"][1:] for o in _WORDS["preamble_openers"] if o.get("mid_text")],
)


def is_preamble(line: str) -> bool:
    return bool(_PREAMBLE.match(line))


_DOC_PLAIN = compiled(r"^(?P<w>" + "|".join(DOC_TYPES) + r")(?![а-яёa-z])(?P<rest>.*)$", re.I)
_DOC_SPACED = compiled(
    r"^(?P<w>" + "|".join(r"\s".join(w) for w in DOC_TYPES) + r")"
    r"(?!\s?[а-яё](?:[\s:.,!]|$))(?P<rest>.*)$",
    re.I,
)
_DOC_REST = compiled(r"^(?:$|№|N|от\b|\d|«|»|\"|г\.|:|-|–|—)", re.I)


def match_doc_type(line: str) -> Optional[tuple[str, str]]:
    """(act type in lower case, rest of the line) when `line` is an act-type heading."""
    s = line.lstrip(" «\"'").strip()
    for regex in (_DOC_PLAIN, _DOC_SPACED):
        m = regex.match(s)
        if m:
            rest = m.group("rest").strip()
            if _DOC_REST.match(rest):
                return compiled(r"\s").sub("", m.group("w")).lower(), rest
    return None


def find_doc_type(lines: Sequence[str]) -> Optional[tuple[int, str]]:
    """(line index, act type) of the first act-type heading above the preamble, or None."""
    for i, line in enumerate(lines[:HEADER.scan_lines]):
        if is_preamble(line):
            return None
        found = match_doc_type(line)
        if found:
            return i, found[0]
    return None


NUM_SIGN = r"(?:№|(?<![A-Za-z])N\s?[oо°º]?(?=\s*\d)|(?<![A-Za-z])N[eе](?=\s*\d))"
_NUM_WORD = r"[0-9A-Za-zА-Яа-яЁё]+"
CUT_NUMBER = compiled(NUM_SIGN + r"\s*" + _NUM_WORD + r"(?:[-‐–/]" + _NUM_WORD + r")*[-‐–/]$")
# What a number cut at its hyphen continues with on the next line: `р`, `05/2`, `НПА/16`,
# `21/245/22` (a few short parts, no spaces: a town or a title line is not one).
NUMBER_TAIL = compiled(r"[0-9A-Za-zА-Яа-яЁё]{1,6}(?:[-‐–/][0-9A-Za-zА-Яа-яЁё]{1,6}){0,3}")
_NUMBER = compiled(
    NUM_SIGN + r"\s*(?P<num>" + _NUM_WORD + r"(?:\s?[-‐–/.]\s?" + _NUM_WORD + r")*"
    r"(?:\s(?!ОТ\b|Г\.)[А-ЯЁ]{1,3}(?![\w.]))?)"
)
_DATE = compiled(
    r"(?P<d>«\s*\d{1,2}\s*»\s*(?:" + MONTH_WORD + r"|\d{1,2}\s?\.?)\s*(?:\d{4}|\d{2})(?!\d)"
    r"|(?<![\d.])\d{1,2}\s?[./]\s?\d{1,2}\s?[./]\s?(?:\d{4}|\d{2})(?![\d])"
    r"|(?<![\d.])\d{1,2}\s+" + MONTH_WORD + r"\s+\d{4})",
    re.IGNORECASE,
)
_DATE_LIKE = compiled(r"^\d{1,2}\.\d{1,2}\.\d{4}$")
_CITED = pattern("{}", _WORDS["cited_acts"], flags=re.I)


def find_number(line: str) -> Optional[str]:
    """The act number after `№` / `N` / `No` in `line`, as printed (no sign), or None."""
    for m in _NUMBER.finditer(line):
        num = m.group("num").strip(" .,;:")
        if compiled(r"\d").search(num) and not (_DATE_LIKE.match(num) and parse_date(num)):
            return compiled(r"\s*([-‐–/])\s*").sub(r"\1", num)
    return None


def find_date(line: str) -> Optional[dt.date]:
    """The first full date written in `line` (numeric, `«09» 08.2021`, `30 декабря 2021 г.`)."""
    probe = fix_ocr_digits(line.lower().replace('"', "«", 1).replace('"', "»", 1))
    for m in _DATE.finditer(probe):
        parsed = parse_date(m.group("d"))
        if parsed is not None:
            return parsed
    return None


_ENDS_WITH_SIGN = compiled(NUM_SIGN + r"\s*$")


def _sign_joined(lines: Sequence[str]) -> list[str]:
    """A line ending with `№` joined with the next, which holds the number (`«14» февраля
    2022 г. №` / `112-од`: a narrow PDF text box wraps there)."""
    out: list[str] = []
    for line in lines:
        if out and _ENDS_WITH_SIGN.search(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def number_and_date(lines: Sequence[str], doc_index: Optional[int], title_index: Optional[int],
                     title_end: Optional[int]) -> tuple[Optional[str], Optional[dt.date]]:
    """The signed header's number and date: between the act-type line and the title; else
    just above the act-type line; else between the title and the preamble (layouts that
    print the title first); else the first `от <date> № <number>` line near the top."""
    windows: list[Sequence[str]] = []
    if doc_index is not None:
        below_title = title_index is not None and title_index > doc_index
        end = title_index if below_title else doc_index + HEADER.number_lines_below
        first = match_doc_type(lines[doc_index])
        windows.append([first[1] if first else ""] + list(lines[doc_index + 1 : end]))
        windows.append(lines[max(0, doc_index - HEADER.number_lines_above) : doc_index])
    else:
        end = title_index if title_index is not None else min(len(lines), HEADER.number_lines_top)
        windows.append(lines[:end])
    if title_end is not None:
        after: list[str] = []
        for line in lines[title_end : title_end + HEADER.number_lines_after_title]:
            if is_preamble(line):
                break
            after.append(line)
        windows.append(after)
    number = None
    date = None
    for window in windows:
        for line in _sign_joined(window):
            if not line or _CITED.search(line) or is_preamble(line):
                continue
            if number is None:
                number = find_number(line)
            if date is None:
                date = find_date(line)
        if number is not None and date is not None:
            break
    if number is None and date is None:  # signed with its date and number below the signature only
        return _stamped(lines)
    return number, date


_STAMP_OPENER = compiled(r"^\s*(?:утвержд[её]н\w*|приложение|к\s+(?:приказу|распоряжению|постановлению))\b", re.I)
_STAMP_LINES = 4


def _stamped(lines: Sequence[str]) -> tuple[Optional[str], Optional[dt.date]]:
    """The act's number and date as its appendix's stamp prints them (`УТВЕРЖДЁН` /
    `распоряжением Правительства …` / `от 14 февраля 2022 года № 58-р`): the first line after a
    stamp's opening line giving both."""
    for i, line in enumerate(lines):
        if not _STAMP_OPENER.match(line or ""):
            continue
        for below in lines[i : i + _STAMP_LINES]:
            number, date = find_number(below or ""), find_date(below or "")
            if number is not None and date is not None and not _CITED.search(below):
                return number, date
    return None, None
