"""The issuing body: its lines in the letterhead, the unit that issues, title-cased; or the
body named in an approval block."""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from language.patterns import compiled
from language.words import is_caps_text
from normalizers.header.acts import find_date, find_number, match_doc_type
from normalizers.header.casing import recase_caps
from normalizers.header.lines import in_another_language
from normalizers.header.municipality import MUNICIPALITY
from normalizers.header.settings import HEADER
from normalizers.header.title import TITLE_START
from normalizers.regions import find_region_matches, fold_homoglyphs
from normalizers.vocabulary import body_heads, genitive_heads, load, pattern, spelled_form_stems

_BODY_HEADS = body_heads("letterhead")
_GENITIVE_HEADS = genitive_heads("letterhead")
_NOMINATIVE_ADJ = compiled(r"^[а-яё-]+(?:ое|ее|ый|ий|ая|яя)$")
_WORDS = load("header_words")
_NOT_ISSUER = pattern(
    r"^(?:{})$|{}|(?<!\d)\d{6}(?!\d)|^г\.\s*\S+$|^\[|^!\[",
    _WORDS["not_issuer"]["whole_line"], _WORDS["not_issuer"]["anywhere"],
    flags=re.IGNORECASE,
)


def _starts_unit(line: str) -> bool:
    """Whether a header line names a new body (`ЦЕНТРАЛЬНОЕ УПРАВЛЕНИЕ`, `ДЕПАРТАМЕНТ …`)
    rather than continuing the previous one (`ТЮМЕНСКОЙ ОБЛАСТИ`)."""
    words = compiled(r"[а-яё-]+").findall(line.lower())
    for word in words[:4]:
        if word in _BODY_HEADS:
            return True
        if not _NOMINATIVE_ADJ.match(word):
            return False
    return False


def title_case_issuer(lines: Sequence[str]) -> str:
    """The issuer's lines as one title-cased name: `ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ И НАУКИ` +
    `ТЮМЕНСКОЙ ОБЛАСТИ` → `Департамент образования и науки Тюменской области`."""
    parts: list[str] = []
    caps: list[str] = []  # a unit's caps lines, recased together: `БАХЧИСАРАЙСКОГО` / `РАЙОНА`
    caps_first = False
    for i, line in enumerate(lines):
        new_unit = i == 0 or _starts_unit(line)
        if caps and (new_unit or not is_caps_text(line)):
            parts.append(recase_caps(" ".join(caps), capitalize_first=caps_first))
            caps = []
        if is_caps_text(line):
            caps_first = caps_first if caps else new_unit
            caps.append(line)
        elif new_unit and line:
            parts.append(line[0].upper() + line[1:])
        else:
            parts.append(line)
    if caps:
        parts.append(recase_caps(" ".join(caps), capitalize_first=caps_first))
    return " ".join(" ".join(parts).split())


def _region_alone(line: str) -> bool:
    """The whole line is a region's name in the nominative (a letterhead's line above the body;
    the region line under it, `ИРКУТСКОЙ ОБЛАСТИ`, is in the genitive and stays)."""
    matches = find_region_matches(line)
    return len(matches) == 1 and matches[0].start == 0 and matches[0].end >= len(line.rstrip(" .")) \
        and matches[0].cased.lower() == matches[0].region.name.lower()


def _issuer_candidate(line: str) -> bool:
    if compiled(r"\([^()]*\)").fullmatch(line or ""):
        return False  # `(ДЕПОБРАЗОВАНИЯ И МОЛОДЕЖИ ЮГРЫ)`: a short name, printed under the full one
    first_letter = next((c for c in line or "" if c.isalpha()), "")
    if not first_letter.isupper():
        return False  # a body's name starts with a capital; lower-case text is bleed or prose
    if _region_alone(line):
        return False  # `ИРКУТСКАЯ ОБЛАСТЬ` above the body, as `РОССИЙСКАЯ ФЕДЕРАЦИЯ` is: not its name
    if in_another_language(line):
        return False  # `УДМУРТ ЭЛЬКУНЛЭН КИВАЛТЭТЭЗ`: the body's name in the republic's language
    return bool(line) and len(line) <= HEADER.issuer_max_chars and not _NOT_ISSUER.search(line) and not (
        find_number(line) or find_date(line) or match_doc_type(line) or TITLE_START.match(line)
    )


def _territory_continuation(line: str) -> bool:
    """A lower-case letterhead line that goes on naming the body's territory in the genitive
    (`Управление образования администрации` / `городского округа город Елец`)."""
    low = fold_homoglyphs(line or "").strip()
    if not low or not low[0].islower() or len(low) > HEADER.issuer_max_chars or _NOT_ISSUER.search(low):
        return False
    if MUNICIPALITY.match(low):
        return True
    regions = find_region_matches(low)
    return bool(regions) and regions[0].start == 0


def _strip_short_name_ref(line: str) -> str:
    """Drop a trailing `(далее – Департамент)`; a name's own parenthesis (`Саха (Якутия)`) stays."""
    return compiled(r"\s*\(\s*далее\b[^)]*\)\s*$", re.I).sub("", line)


# `МУНИЦИПАЛЬНОЕ КАЗЕННОЕ УЧРЕЖДЕНИЕ`, `МУНИЦИПАЛЬНОЕ УЧРЕЖДЕНИЕ`, `ОРГАН МЕСТНОГО
# САМОУПРАВЛЕНИЯ`: what kind of body the
# next line names, part of its name
_LEGAL_FORM_LINE = pattern(
    r"^(?:(?:{})\w*\s+(?:(?:{})\w*\s+)?(?:образовательн\w*\s+)?{}\w*|орган\s+местного\s+самоуправления)$",
    spelled_form_stems("owner", letterhead=True), spelled_form_stems("funding"),
    load("legal_forms")["spelled"]["nouns"][:1],
    flags=re.I,
)


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
    if find_region_matches(" ".join(last)) or MUNICIPALITY.search(low):
        return last
    return list(lines)


def find_issuer_lines(lines: Sequence[str], doc_index: Optional[int],
                      skip: Iterable[int] = ()) -> list[str]:
    """The issuer's lines as printed: above the act-type heading, or, when the heading comes
    first (`ПРИКАЗ` / `министерства образования …`), the genitive lines just below it.
    Lines in `skip` (the title's) are never the issuer's."""
    skipped = set(skip)
    top = doc_index if doc_index is not None else min(len(lines), HEADER.issuer_top_lines)
    above: list[str] = []
    previous = -2
    for i, ln in enumerate(lines[:top]):
        if i in skipped:
            continue
        if _issuer_candidate(ln) or (previous == i - 1 and _territory_continuation(ln)):
            above.append(_strip_short_name_ref(ln))
            previous = i
    above = [ln for ln in above if ln]
    if doc_index is None:
        above = [ln for ln in above if re.search("|".join(_BODY_HEADS), ln.lower())]
    if above:
        return issuing_unit(_from_its_head(above, HEADER.issuer_max_lines))
    if doc_index is None:
        return []
    below: list[str] = []
    for line in lines[doc_index + 1 : doc_index + HEADER.genitive_issuer_lines]:
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


_APPROVED = compiled(r"^[«\"]?\s*(?:утвержд[её]н\w*|утверждаю)\s*[»\"]?\s*:?\s*(?P<rest>.*)$", re.I)
_ACT_NOMINATIVE = {t["instrumental"]: t["word"] for t in _WORDS["act_types"]}
_BY_ACT = pattern(r"^(?P<act>{})\s+(?P<issuer>.+?)\s*(?=\bот\s+[«\d]|№|$)", list(_ACT_NOMINATIVE), flags=re.I)


def _from_its_head(lines: list[str], most: int) -> list[str]:
    """The last `most` letterhead lines, or more when they cut a name after its head: a narrow
    column prints `УПРАВЛЕНИЕ` / `ОБРАЗОВАНИЯ, МОЛОДЕЖИ` / `И СПОРТА` / … over seven lines."""
    start = max(0, len(lines) - most)
    if start and not _starts_unit(lines[start]):
        head = next((j for j in range(start - 1, max(-1, start - 3), -1) if _starts_unit(lines[j])), None)
        if head is not None:
            start = head
    return lines[start:]


def find_approval(lines: Sequence[str]) -> Optional[tuple[str, str]]:
    """(act type, issuer) from an approval block (`УТВЕРЖДЕН распоряжением комитета …
    от 14.02.2022 № 312-р`), for a plan circulated without the order that approves it."""
    for i, line in enumerate(lines[:HEADER.scan_lines]):
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
