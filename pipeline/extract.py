"""File → RoadmapDocument: read the bytes, pick the extractor, run the normalizers.

This is the whole extract path of the CLI; it imports neither Prefect nor spaCy.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Optional

from extractors.raw import ExtractionError, RawDocument, RawParagraph, RawTable
from extractors.read import read_raw
from extractors.read_ahead import Read
from language.patterns import compiled
from normalizers.dates import parse_schedule
from normalizers.event_dates import after_other_rows
from normalizers.header import header_cells, parse_header, plan_period
from normalizers.indicators import parse_indicators, with_value_column
from normalizers.month_numbers import months_by_number
from normalizers.parties import find_definitions, glossary_table, parse_parties
from normalizers.parties.references import resolve_references
from normalizers.parties.roster import Roster, find_roster, listed_kind, with_posts
from normalizers.section_dates import in_named_part
from normalizers.tables import TableRow, find_roadmap_rows
from normalizers.text import clean_text, strip_seq
from schema import (
    Activity,
    Period,
    RoadmapDocument,
    RowSource,
    Schedule,
    Source,
)

_YEAR = compiled(r"\b(20[12]\d)\b")


def extract(path: str | Path) -> RoadmapDocument:
    """Read one order. Raises ExtractionError (one-line reason) when it is not a readable roadmap."""
    raw = read_raw(path)
    return build_document(raw)


def document_from_read(raw: RawDocument | BaseException) -> RoadmapDocument:
    """The document of one read (extractors.read_ahead), or the exception reading raised,
    raised here: a failure is then reported as if this process had read the file."""
    if isinstance(raw, BaseException):
        raise raw
    return build_document(raw)


def build_document(raw: RawDocument) -> RoadmapDocument:
    """Normalize a RawDocument into the schema (pure: no I/O)."""
    found = find_roadmap_rows(raw.blocks)
    if not found.rows:
        raise ExtractionError(_no_roadmap_reason(raw))
    warnings = list(raw.warnings) + found.warnings

    first = found.first_block if found.first_block is not None else len(raw.blocks)
    header_texts = [text for b in raw.blocks[:first] for text in _header_texts(b)]
    header = parse_header([t for t in header_texts if t.strip()])
    all_text = "\n".join(_block_text(b) for b in raw.blocks)
    definitions = find_definitions(all_text)
    for block in raw.blocks:  # a list of abbreviations printed as a table; the text's own definitions win
        if isinstance(block, RawTable):
            for alias, full in glossary_table(block.rows).items():
                definitions.setdefault(alias, full)
    roster = find_roster(b.rows for b in raw.blocks if isinstance(b, RawTable))
    warnings.extend(header.warnings)

    period = plan_period(header_texts) or header.period
    act_year = header.date.year if header.date else None
    if period is None:
        period = _period_from_dates(found.rows)
        if period is not None:
            warnings.append(f"plan period taken from the table's dates: {period.start.year}")
    default_year = period.start.year if period else act_year

    parties_seen: dict[str, list] = {}  # a cell printed again (merged, repeated) is read once
    # a table's caption is read once, not once per row
    table_periods = {caption: _table_period(caption, period, default_year)
                     for caption in dict.fromkeys(row.caption for row in found.rows)}
    # … and a section row's, once per section: `II. Второй год реализации проекта (2023 год)`
    row_periods = {(caption, section): _section_period(section, *table_periods[caption])
                   for caption, section in dict.fromkeys((row.caption, row.section) for row in found.rows)}
    activities = [_activity(row, *row_periods[row.caption, row.section], definitions, header, warnings,
                            parties_seen, roster)
                  for row in found.rows]
    activities = after_other_rows(resolve_references(activities))
    return RoadmapDocument(
        id=raw.sha256[:16],
        source=Source(path=str(raw.path), sha256=raw.sha256, format=raw.format, pages=raw.pages, ocr=raw.ocr),
        **{**header.document_fields(), "period": period},
        activities=activities,
        warnings=warnings,
    )


def _header_texts(block) -> list[str]:
    """A header block's paragraphs: a table's cells as `header_cells` reads them."""
    if isinstance(block, RawParagraph):
        return [block.text]
    return header_cells(block.rows)


def _block_text(block) -> str:
    if isinstance(block, RawParagraph):
        return block.text
    return "\n".join(" ".join(c for c in row if c) for row in block.rows)


def _no_roadmap_reason(raw: RawDocument) -> str:
    tables = sum(1 for b in raw.blocks if isinstance(b, RawTable))
    if not raw.blocks:
        return "no text found in the document" + (" (scanned pages could not be read)" if raw.textless_pages else "")
    if tables == 0:
        return "not a roadmap: the document has no table"
    return f"not a roadmap: none of its {tables} table(s) has a date/deadline column"


def _table_period(caption: Optional[str], period: Optional[Period], default_year: Optional[int]
                  ) -> tuple[Optional[Period], Optional[int]]:
    """The period (and default year) a table's year-less dates are read in: the part of the plan
    its caption names (`План … на 2023 год` in a plan for 2022–2023), else the plan's."""
    return _narrowed(plan_period([caption]) if caption else None, period, default_year)


def _narrowed(part: Optional[Period], period: Optional[Period], default_year: Optional[int]
              ) -> tuple[Optional[Period], Optional[int]]:
    """`part` and its first year when it is a part of the plan's period, else the plan's own."""
    if part is None or period is None or part == period or part.start < period.start or part.end > period.end:
        return period, default_year
    return part, part.start.year


_ONE_YEAR = compiled(r"\b(20[12]\d)\s*(?:год|г\.|г\b)")


def _section_period(section: Optional[str], period: Optional[Period], default_year: Optional[int]
                    ) -> tuple[Optional[Period], Optional[int]]:
    """The year a section row names, when it is one year of a plan over several (`II. Второй
    год реализации проекта (2023 год)`): its rows' year-less dates are read in it."""
    years = set(_YEAR.findall(section or ""))
    m = _ONE_YEAR.search(section or "")
    if not m or len(years) != 1:
        return period, default_year
    year = int(m.group(1))
    return _narrowed(Period(start=date(year, 1, 1), end=date(year, 12, 31)), period, default_year)


def _period_from_dates(rows: list[TableRow]) -> Optional[Period]:
    years = Counter(
        int(y) for row in rows for key in ("date", "federal_date", "regional_date")
        for y in _YEAR.findall(row.cells.get(key, ""))
    )
    if not years:
        return None
    year = years.most_common(1)[0][0]
    return Period(start=date(year, 1, 1), end=date(year, 12, 31))


def _schedule(cell: str, period: Optional[Period], default_year: Optional[int],
              act_date: Optional[date] = None) -> Schedule:
    return parse_schedule(cell, plan_period=period, default_year=default_year, act_date=act_date)


_DASH_ONLY = compiled(r"^[\s\-–—]*$")


def _date_cell(cells: dict[str, str]) -> str:
    """The date text of a row: the region's own column beside a federal one (labelled
    `региональный проект` or just `Срок исполнения`); separate start/end columns read as one
    `start – end` range."""
    if "regional_date" in cells:
        return cells["regional_date"]
    if "date_start" not in cells and "date_end" not in cells:
        return cells.get("date", "")
    parts = [cells.get(k, "") for k in ("date_start", "date_end")]
    parts = [p for p in parts if not _DASH_ONLY.match(p)]
    if len(parts) == 2 and parts[0].strip() == parts[1].strip():
        parts = parts[:1]
    return " – ".join(parts) or cells.get("date", "")


def _with_header_unit(indicators: list, label: str) -> list:
    """`Целевой показатель, %` over bare numbers: the header gives the unit the cells omit."""
    if "%" not in label:
        return indicators
    return [i.model_copy(update={"unit": "%"}) if i.target is not None and i.unit is None else i
            for i in indicators]


def _indicators(cells: dict[str, str], labels: dict[str, str]) -> list:
    """The indicator column's items; a value column beside it (`Целевое значение`; its unit in
    its label: `Значение показателя, %`) gives their targets."""
    indicators = _with_header_unit(parse_indicators(cells.get("indicator", "")), labels.get("indicator", ""))
    if "indicator_value" not in cells:
        return indicators
    return _with_header_unit(with_value_column(indicators, cells["indicator_value"]), labels.get("indicator_value", ""))


def _executors_cell(cells: dict[str, str]) -> str:
    """The lead executors' cell; with `ФИО` | `должность` columns, each person joined to their post."""
    if "responsible_post" in cells:
        return with_posts(cells.get("responsible", ""), cells["responsible_post"])
    return cells.get("responsible", "")


def _end_only(cells: dict[str, str]) -> bool:
    """Separate start/end columns with only the end filled in."""
    return "date_end" in cells and bool(_DASH_ONLY.match(cells.get("date_start", ""))) \
        and not _DASH_ONLY.match(cells.get("date_end", ""))


def _activity(row: TableRow, period, default_year, definitions, header, warnings,
              parties_seen: dict[str, list], roster: Roster) -> Activity:
    cells = row.cells
    region_name = header.region.name if header.region else None
    text = clean_text(cells.get("text", ""))
    seq = (cells.get("seq") or "").strip().rstrip(".").strip() or None
    if seq is None:
        seq, text = strip_seq(text)
    elif text:
        leading, rest = strip_seq(text)
        if leading == seq:
            text = rest
    schedule = _schedule(months_by_number(_date_cell(cells), row.labels.get("date", "")), period, default_year,
                         header.date)
    if row.section:
        schedule = in_named_part(schedule.raw, row.section, period, default_year) or schedule
    if _end_only(cells) and schedule.kind == "date":
        # `Срок начала: –`, `Срок окончания: 31.03.2022`: done by that day, a deadline
        schedule = schedule.model_copy(update={"kind": "deadline", "start": None})
    federal = _schedule(cells["federal_date"], period, default_year) if "federal_date" in cells else None
    if federal is not None and schedule.kind == "unspecified":
        schedule = federal  # the region's own date where it gives one, else the federal one
    if not text:
        warnings.append(f"table {row.table} row {row.row}: activity text is empty")
    return Activity(
        seq=seq,
        section=clean_text(row.section) if row.section else None,
        text=text,
        schedule=schedule,
        federal_schedule=federal,
        responsible=[
            party
            for cell in (_executors_cell(cells), cells.get("co_responsible", ""))  # the lead executors first
            for party in _parties(cell, definitions, region_name, header, parties_seen, roster)
        ],
        indicators=_indicators(cells, row.labels),
        result=clean_text(cells.get("result", "")) or None,
        source=RowSource(page=row.page, table=row.table, row=row.row, bbox=list(row.box) if row.box else None),
    )


def _parties(cell: str, definitions, region_name, header, seen: dict[str, list], roster: Roster) -> list:
    if cell not in seen:
        parties = parse_parties(cell, definitions=definitions, region_name=region_name,
                                issuer_level=header.level, issuer=header.issuer)
        # a person named by surname and initials alone: the order's list of people says whom they serve
        seen[cell] = [p.model_copy(update={"kind": listed_kind(p.name, roster, header.level, definitions) or p.kind})
                      if p.kind == "other" else p for p in parties]
    return list(seen[cell])


def extract_many(reads: Iterable[Read], on_file: Optional[Callable[[Path], None]] = None,
                 ) -> tuple[list[RoadmapDocument], list[tuple[str, str]]]:
    """Normalize every file read (extractors.read_ahead: in a reader process, or `read_here`);
    a failure is reported with its reason and the batch goes on. `on_file(path)` is called
    after each file (a progress bar)."""
    documents: list[RoadmapDocument] = []
    failures: list[tuple[str, str]] = []
    for path, raw in reads:
        try:
            documents.append(document_from_read(raw))
        except ExtractionError as exc:
            failures.append((str(path), str(exc)))
        except Exception as exc:  # one bad file must never stop a batch of hundreds
            failures.append((str(path), f"internal error: {type(exc).__name__}: {exc}"))
        if on_file is not None:
            on_file(path)
    return documents, failures
