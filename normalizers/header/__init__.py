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
`normalizers.dates.parse_date`; regions come from `normalizers.regions`. Modules: `lines`
(clean lines, bilingual headers), `acts` (act type, number, date), `title` (title, amended
acts), `issuer`, `municipality` (level, municipality), `period`, `casing` (capitals put
back in normal case), `settings` (`HeaderSettings`); words come from data/header_words.json
and data/body_heads.json.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Sequence

from normalizers.header.acts import (
    DOC_TYPES, find_date, find_doc_type, find_number, match_doc_type, number_and_date,
)
from normalizers.header.issuer import (
    find_approval, find_issuer_lines, issuing_unit, title_case_issuer,
)
from normalizers.header.lines import header_cells, header_lines, russian_part, split_columns
from normalizers.header.municipality import classify_level, find_municipality, official_district
from normalizers.header.period import plan_period
from normalizers.header.title import (
    amended_in_text, find_title, is_amending, parse_amends, split_bled_number, title_span,
)
from normalizers.regions import find_city_regions, find_region_matches, region_of_city
from schema import ActRef, Period, Region

__all__ = [
    "DOC_TYPES", "HeaderInfo", "classify_level", "find_approval", "find_date", "find_doc_type",
    "find_issuer_lines", "find_municipality", "find_number", "find_title", "header_cells", "header_lines",
    "issuing_unit", "match_doc_type", "official_district", "parse_amends", "parse_header", "plan_period",
    "russian_part", "split_bled_number", "split_columns", "title_case_issuer",
]


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


def _region(issuer: Optional[str], title: Optional[str], rest: str,
            municipality: Optional[str], letterhead: Sequence[str] = ()) -> Optional[Region]:
    """The region named by the issuer (or its city), else by the title or the text after it,
    else by the letterhead above the title (`РЕСПУБЛИКА КАРЕЛИЯ` over a city administration
    that names only itself)."""
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
    # `rest`: the lines after the title as one text, a region's name wraps (`… Ярославской` / `области`)
    for text in ([title] if title else []) + [rest] + list(letterhead):
        found = find_region_matches(text)
        if found:
            return found[0].region
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

    span = title_span(lines, doc_index + 1 if doc_index is not None else 0)
    if span is None and doc_index is not None:
        span = title_span(lines, 0, stop=doc_index)  # printed under a left-hand column
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

    info.number, info.date = number_and_date(lines, doc_index, title_index, title_end)
    if info.number is None and span is not None:
        info.number = span.bled_number
    if info.number is None:
        info.warnings.append("header: act number not found")
    if info.date is None:
        info.warnings.append("header: act date not found")

    info.amends = parse_amends(info.title)
    info.level = classify_level(info.issuer)
    top = title_index or doc_index or 0
    after_title = " ".join(lines[top + 1 :])  # the lines after the title as one text: a name wraps
    if not info.amends and is_amending(info.title):  # the act amended named in the order's text only
        info.amends = amended_in_text(after_title)
    if info.level == "municipal":
        info.municipality = official_district(find_municipality(info.issuer), after_title)
    info.region = _region(info.issuer, info.title, after_title, info.municipality, lines[:top])
    if info.region is None:
        info.warnings.append("header: region not found")
    info.period = plan_period(([info.title] if info.title else []) + lines[top + 1 :])
    return info
